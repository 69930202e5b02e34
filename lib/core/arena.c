#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xalloc.h"

#define BLOCK_MIN	(64 * 1024)

struct evp_arena_block {
	struct evp_arena_block	*next;
	size_t			 size;
	/* the memory follows, aligned by the union */
	union { max_align_t a; char c[1]; } mem[];
};

void
evp_arena_init(struct evp_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void *
evp_arena_alloc(struct evp_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (a->head == NULL || a->head->size - a->used < n) {
		size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
		/* Blocks double as the arena grows, so a big run is few mallocs. */
		if (a->total > size && a->total < (size_t)1 << 30)
			size = a->total > n ? a->total : n;
		struct evp_arena_block *b = xmalloc(sizeof(*b) + size);
		b->next = a->head;
		b->size = size;
		a->head = b;
		a->used = 0;
		a->total += size;
	}
	void *p = (char *)a->head->mem + a->used;
	a->used += n;
	return p;
}

char *
evp_arena_dup(struct evp_arena *a, const void *p, size_t n)
{
	char *d = evp_arena_alloc(a, n + 1);

	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

void
evp_arena_reset(struct evp_arena *a)
{
	struct evp_arena_block *b, *next;

	if (a->head == NULL)
		return;
	/* Keep only the largest (newest) block. */
	for (b = a->head->next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head->next = NULL;
	a->total = a->head->size;
	a->used = 0;
}

void
evp_arena_release(struct evp_arena *a)
{
	struct evp_arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	evp_arena_init(a);
}
