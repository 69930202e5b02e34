#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/rdbuf.h"
#include "core/xalloc.h"

int
evp_rdbuf_fill(struct evp_rdbuf *b, size_t n)
{
	if (b->len - b->pos >= n)
		return 1;
	memmove(b->buf, b->buf + b->pos, b->len - b->pos);
	b->len -= b->pos;
	b->pos = 0;
	if (n > b->cap) {
		b->cap = n;
		b->buf = xrealloc(b->buf, b->cap);
	}
	while (b->len < n) {
		size_t want = b->cap - b->len;
		if (want > b->end - b->off)
			want = (size_t)(b->end - b->off);
		if (want == 0)
			return 0;
		ssize_t got = pread(b->fd, b->buf + b->len, want,
		    (off_t)b->off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0) {
			if (b->end == EVP_RDBUF_EOF)
				return 0;
			errno = 0;
			return -1;
		}
		b->len += (size_t)got;
		b->off += (uint64_t)got;
	}
	return 1;
}
