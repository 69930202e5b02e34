#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

void
evp_buf_init(struct evp_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void
evp_buf_release(struct evp_buf *b)
{
	free(b->p);
	evp_buf_init(b);
}

void
evp_buf_grow(struct evp_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (need < b->len)
		evp_oom();
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void
evp_buf_add(struct evp_buf *b, const void *p, size_t n)
{
	evp_buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
evp_buf_addc(struct evp_buf *b, int c)
{
	evp_buf_grow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

void
evp_buf_adds(struct evp_buf *b, const char *s)
{
	evp_buf_add(b, s, strlen(s));
}

void
evp_buf_printf(struct evp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	evp_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
evp_buf_reset(struct evp_buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}
