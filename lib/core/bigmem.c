#define _GNU_SOURCE		/* mremap */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/bigmem.h"
#include "core/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define MAPPED(n)	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define MAPPED(n)	0
#endif
#endif
#ifndef MAPPED
#define MAPPED(n)	((n) >= ((size_t)4 << 20))
#endif

static void *
map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		evp_oom();
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);	/* a hint: fine if refused */
#endif
	return p;
}

void *
evp_big_alloc(size_t n)
{
	return MAPPED(n) ? map(n) : xcalloc(1, n);
}

void *
evp_big_grow(void *p, size_t old, size_t n)
{
	if (!MAPPED(n)) {
		p = xrealloc(p, n);
		memset((char *)p + old, 0, n - old);
		return p;
	}
	if (!MAPPED(old)) {
		void *q = map(n);
		if (old > 0)
			memcpy(q, p, old);
		free(p);
		return q;
	}
#ifdef MREMAP_MAYMOVE
	p = mremap(p, old, n, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		evp_oom();
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
#else
	void *q = map(n);
	memcpy(q, p, old);
	munmap(p, old);
	return q;
#endif
}

void
evp_big_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	if (MAPPED(n))
		munmap(p, n);
	else
		free(p);
}
