#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/gunzip.h"
#include "core/worker.h"
#include "core/xalloc.h"

#define RAWBUF	(256 * 1024)
#define BLOCK	(1024 * 1024)
#define NBLOCKS	4

struct block {
	unsigned char	*p;
	size_t		 len, off;
};

struct evp_gunzip {
	/* the decoding thread's own */
	int		 fd;
	z_stream	 zs;
	unsigned char	*raw;
	int		 raw_eof;
	int		 member_end;
	const char	*pending;	/* damage found after some output */

	/* shared, under w.mu; w.stop: the reader wants the thread to finish */
	struct evp_worker w;
	struct block	 q[NBLOCKS];
	unsigned	 head, count;	/* a ring of decoded blocks */
	int		 done;		/* the thread has finished */
	const char	*why;		/* damage, if that is how it finished */
	int		 err;
	uint64_t	 bytes_in;
};

static ssize_t
read_raw(struct evp_gunzip *g)
{
	size_t got = 0;

	while (got < RAWBUF) {
		ssize_t r = read(g->fd, g->raw + got, RAWBUF - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			g->raw_eof = 1;
			break;
		}
		got += (size_t)r;
	}
	pthread_mutex_lock(&g->w.mu);
	g->bytes_in += got;
	pthread_mutex_unlock(&g->w.mu);
	return (ssize_t)got;
}

/* Inflate into out[0..cap).  Bytes produced, 0 at the end, -1 with why set. */
/* Are the rest of the input's bytes all zero (padding, as gzip allows)? */
static int
zero_padding(struct evp_gunzip *g)
{
	for (;;) {
		for (uInt i = 0; i < g->zs.avail_in; i++)
			if (g->zs.next_in[i] != 0)
				return 0;
		g->zs.avail_in = 0;
		if (g->raw_eof)
			return 1;
		ssize_t r = read_raw(g);
		if (r < 0)
			return 0;
		g->zs.next_in = g->raw;
		g->zs.avail_in = (uInt)r;
	}
}

static ssize_t
inflate_some(struct evp_gunzip *g, unsigned char *out, size_t cap,
    const char **why, int *err)
{
	if (g->pending != NULL) {
		*why = g->pending;
		return -1;
	}
	for (;;) {
		if (g->zs.avail_in == 0 && !g->raw_eof) {
			ssize_t r = read_raw(g);
			if (r < 0) {
				*err = errno;
				*why = "read error";
				return -1;
			}
			g->zs.next_in = g->raw;
			g->zs.avail_in = (uInt)r;
		}
		if (g->member_end) {
			if (g->zs.avail_in == 0 && g->raw_eof)
				return 0;
			if (g->zs.avail_in == 0)
				continue;
			/* Zeros after the last member must run to the end. */
			if (g->zs.next_in[0] == 0) {
				if (zero_padding(g))
					return 0;
				*why = "junk after the last gzip member";
				return -1;
			}
			/* Another member must start with the magic bytes. */
			if (g->zs.next_in[0] != 0x1f ||
			    (g->zs.avail_in >= 2 && g->zs.next_in[1] != 0x8b)) {
				*why = "junk after the last gzip member";
				return -1;
			}
			if (inflateReset(&g->zs) != Z_OK) {
				*why = "corrupt gzip data";
				return -1;
			}
			g->member_end = 0;
		}
		g->zs.next_out = out;
		g->zs.avail_out = (uInt)cap;
		int rc = inflate(&g->zs, Z_NO_FLUSH);
		size_t got = cap - g->zs.avail_out;
		const char *bad = NULL;
		if (rc == Z_STREAM_END)
			g->member_end = 1;
		else if (rc == Z_BUF_ERROR || (rc == Z_OK && got == 0)) {
			if (g->zs.avail_in == 0 && g->raw_eof)
				bad = "truncated gzip data";
		} else if (rc != Z_OK)
			bad = rc == Z_MEM_ERROR ? "out of memory" : "corrupt gzip data";
		/* What this call decoded before the damage is returned first. */
		if (bad != NULL && got > 0) {
			g->pending = bad;
			return (ssize_t)got;
		}
		if (bad != NULL) {
			*why = bad;
			return -1;
		}
		if (got > 0)
			return (ssize_t)got;
	}
}

static void *
run(void *arg)
{
	struct evp_gunzip *g = arg;
	const char *why = NULL;
	int err = 0;

	for (;;) {
		pthread_mutex_lock(&g->w.mu);
		while (g->count == NBLOCKS && !g->w.stop)
			pthread_cond_wait(&g->w.cv, &g->w.mu);
		int stop = g->w.stop;
		struct block *b = &g->q[(g->head + g->count) % NBLOCKS];
		pthread_mutex_unlock(&g->w.mu);
		if (stop)
			break;

		/* Fill a whole block, so the reader wakes once per megabyte. */
		size_t len = 0;
		ssize_t r = 1;
		while (len < BLOCK && (r = inflate_some(g, b->p + len, BLOCK - len,
		    &why, &err)) > 0)
			len += (size_t)r;

		pthread_mutex_lock(&g->w.mu);
		if (len > 0) {
			b->len = len;
			b->off = 0;
			g->count++;
		}
		if (r <= 0) {
			g->done = 1;
			g->why = r < 0 ? why : NULL;
			g->err = err;
		}
		pthread_cond_broadcast(&g->w.cv);
		pthread_mutex_unlock(&g->w.mu);
		if (r <= 0)
			break;
	}
	return NULL;
}

struct evp_gunzip *
evp_gunzip_start(int fd, const void *head, size_t n)
{
	struct evp_gunzip *g = xcalloc(1, sizeof(*g));

	g->fd = fd;
	g->raw = xmalloc(RAWBUF);
	memcpy(g->raw, head, n);
	g->bytes_in = n;
	/* 16 + MAX_WBITS: gzip wrapper only, so junk is not taken for zlib. */
	if (inflateInit2(&g->zs, 16 + MAX_WBITS) != Z_OK)
		evp_oom();
	g->zs.next_in = g->raw;
	g->zs.avail_in = (uInt)n;
	for (int i = 0; i < NBLOCKS; i++)
		g->q[i].p = xmalloc(BLOCK);
	if (evp_worker_start(&g->w, run, g) < 0)
		evp_oom();
	return g;
}

ssize_t
evp_gunzip_read(struct evp_gunzip *g, void *buf, size_t cap, const char **why,
    int *err)
{
	ssize_t n;

	pthread_mutex_lock(&g->w.mu);
	while (g->count == 0 && !g->done)
		pthread_cond_wait(&g->w.cv, &g->w.mu);
	if (g->count == 0) {
		*why = g->why;
		*err = g->err;
		n = g->why ? -1 : 0;
	} else {
		struct block *b = &g->q[g->head];
		size_t k = b->len - b->off < cap ? b->len - b->off : cap;
		pthread_mutex_unlock(&g->w.mu);
		/* The thread never touches a queued block: copy unlocked. */
		memcpy(buf, b->p + b->off, k);
		pthread_mutex_lock(&g->w.mu);
		b->off += k;
		if (b->off == b->len) {
			g->head = (g->head + 1) % NBLOCKS;
			g->count--;
			pthread_cond_broadcast(&g->w.cv);
		}
		n = (ssize_t)k;
	}
	pthread_mutex_unlock(&g->w.mu);
	return n;
}

uint64_t
evp_gunzip_bytes_in(struct evp_gunzip *g)
{
	pthread_mutex_lock(&g->w.mu);
	uint64_t n = g->bytes_in;
	pthread_mutex_unlock(&g->w.mu);
	return n;
}

void
evp_gunzip_free(struct evp_gunzip *g)
{
	if (g == NULL)
		return;
	evp_worker_stop(&g->w);
	inflateEnd(&g->zs);
	for (int i = 0; i < NBLOCKS; i++)
		free(g->q[i].p);
	free(g->raw);
	free(g);
}
