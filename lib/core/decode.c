#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bigmem.h"
#include "core/decode.h"
#include "core/spill.h"
#include "core/worker.h"
#include "core/xalloc.h"

#define RAWBUF	(256 * 1024)
#define BLOCK	(4 * 1024 * 1024)	/* a big block: huge pages (core/bigmem) */

size_t evp_decode_hold = EVP_DECODE_HOLD;

/*
 * The decoded bytes of one member: blocks in memory, then, past the
 * hold, the rest in a temporary file.  The decoding thread fills a unit;
 * once handed over, only the reader touches it.
 */
struct unit {
	struct unit	*next;
	unsigned char	**blk;		/* nhold of them at most */
	size_t		 nblk, nhold;
	size_t		 len;		/* bytes in blk */
	unsigned char	*tail;		/* past the hold: the block being filled */
	size_t		 tail_len;
	int		 fd;		/* the temporary file, or -1 */
	uint64_t	 spilled;	/* bytes in it */
	uint64_t	 off;		/* the reader's place */
	int		 damaged;
};

struct evp_decode {
	/* the decoding thread's own */
	const struct evp_codec *codec;
	void		*st;
	int		 fd;
	unsigned char	*raw;
	const unsigned char *in;
	size_t		 inlen;
	int		 raw_eof;
	struct unit	*cur;

	/* shared, under w.mu; w.stop: the reader is gone */
	struct evp_worker w;
	struct unit	*head, *last;	/* handed over, in order */
	size_t		 held;		/* their blocks in memory */
	unsigned char	**spare;	/* blocks to fill again: every block
					 * ever made is kept, as first touches
					 * of new memory cost more than reuse */
	size_t		 nspare, spcap;
	int		 done;		/* the thread has finished */
	const char	*why;		/* damage, if that is how it finished */
	int		 err;
	int		 cut;		/* it ended inside a member */
	int		 dmg_end;	/* in a damaged member that gave nothing */
	uint64_t	 bytes_in;
};

static unsigned char *
block_get(struct evp_decode *d)
{
	unsigned char *b = NULL;

	pthread_mutex_lock(&d->w.mu);
	if (d->nspare > 0)
		b = d->spare[--d->nspare];
	pthread_mutex_unlock(&d->w.mu);
	return b != NULL ? b : evp_big_alloc(BLOCK);
}

static void
spare_put(struct evp_decode *d, unsigned char *b)
{
	if (d->nspare == d->spcap) {
		d->spcap = d->spcap ? 2 * d->spcap : 16;
		d->spare = xrealloc(d->spare, d->spcap * sizeof(*d->spare));
	}
	d->spare[d->nspare++] = b;
}

/* Give a unit's blocks back (under w.mu), for reuse. */
static void
unit_free(struct evp_decode *d, struct unit *u)
{
	for (size_t i = 0; i < u->nblk; i++)
		spare_put(d, u->blk[i]);
	free(u->blk);
	if (u->tail != NULL)
		spare_put(d, u->tail);
	if (u->fd >= 0)
		close(u->fd);
	free(u);
}

static struct unit *
unit_new(void)
{
	struct unit *u = xcalloc(1, sizeof(*u));

	u->nhold = evp_decode_hold / BLOCK ? evp_decode_hold / BLOCK : 1;
	u->blk = xcalloc(u->nhold, sizeof(*u->blk));
	u->fd = -1;
	return u;
}

/* Write the tail block to the unit's file: 0, or an errno. */
static int
spill_tail(struct unit *u)
{
	if (u->tail_len == 0)
		return 0;
	if (u->fd < 0 && (u->fd = evp_spill_tmpfd()) < 0)
		return errno ? errno : EIO;
	for (size_t off = 0; off < u->tail_len; ) {
		ssize_t w = write(u->fd, u->tail + off, u->tail_len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		off += (size_t)w;
	}
	u->spilled += u->tail_len;
	u->tail_len = 0;
	return 0;
}

/* Where the next decoded bytes go, and how many fit: 0, or an errno. */
static int
room(struct evp_decode *d, unsigned char **out, size_t *cap)
{
	struct unit *u = d->cur;
	int e;

	if (u->tail == NULL && (u->nblk < u->nhold ||
	    u->len < u->nblk * (size_t)BLOCK)) {
		if (u->len == u->nblk * (size_t)BLOCK)
			u->blk[u->nblk++] = block_get(d);
		size_t used = u->len - (u->nblk - 1) * (size_t)BLOCK;
		*out = u->blk[u->nblk - 1] + used;
		*cap = BLOCK - used;
		return 0;
	}
	if (u->tail == NULL)
		u->tail = block_get(d);
	if (u->tail_len == BLOCK && (e = spill_tail(u)) != 0)
		return e;
	*out = u->tail + u->tail_len;
	*cap = BLOCK - u->tail_len;
	return 0;
}

static void
grew(struct unit *u, size_t n)
{
	if (u->tail != NULL)
		u->tail_len += n;
	else
		u->len += n;
}

/*
 * Hand the current unit over (if it holds anything), and start a new one
 * unless the thread is finishing.  With end set, the thread finishes:
 * why and err say how.
 */
static void
hand(struct evp_decode *d, int damaged, int end, const char *why, int err,
    int cut)
{
	struct unit *u = d->cur;
	int e = spill_tail(u);

	if (e != 0 && !end) {
		end = 1;
		why = "cannot write a temporary file";
		err = e;
	}
	u->damaged = damaged;
	pthread_mutex_lock(&d->w.mu);
	if (damaged && u->len + u->spilled == 0)
		d->dmg_end = 1;
	if (u->len + u->spilled > 0) {
		if (d->last != NULL)
			d->last->next = u;
		else
			d->head = u;
		d->last = u;
		d->held += u->len;
		u = NULL;
	}
	if (end) {
		d->done = 1;
		d->why = why;
		d->err = err;
		d->cut = cut;
	}
	pthread_cond_broadcast(&d->w.cv);
	if (u != NULL)
		unit_free(d, u);
	/* Bound the memory: wait while the reader has a hold's worth. */
	while (!end && d->held >= evp_decode_hold && !d->w.stop)
		pthread_cond_wait(&d->w.cv, &d->w.mu);
	pthread_mutex_unlock(&d->w.mu);
	d->cur = end ? NULL : unit_new();
}

/* Read more raw bytes: 0, or -1 with errno set. */
static int
read_raw(struct evp_decode *d)
{
	size_t got = 0;

	while (got < RAWBUF) {
		ssize_t r = read(d->fd, d->raw + got, RAWBUF - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			d->raw_eof = 1;
			break;
		}
		got += (size_t)r;
	}
	d->in = d->raw;
	d->inlen = got;
	pthread_mutex_lock(&d->w.mu);
	d->bytes_in += got;
	pthread_mutex_unlock(&d->w.mu);
	return 0;
}

static int
stopped(struct evp_decode *d)
{
	pthread_mutex_lock(&d->w.mu);
	int stop = d->w.stop;
	pthread_mutex_unlock(&d->w.mu);
	return stop;
}

static void *
run(void *arg)
{
	struct evp_decode *d = arg;
	const char *why = NULL;
	unsigned char *out;
	size_t cap;
	int e;

	while (d->cur != NULL && !stopped(d)) {
		if (d->inlen == 0 && !d->raw_eof && read_raw(d) < 0) {
			/* What was decoded is kept, as for a truncated file. */
			hand(d, 0, 1, "read error", errno, 1);
			break;
		}
		if ((e = room(d, &out, &cap)) != 0) {
			hand(d, 0, 1, "cannot write a temporary file", e, 0);
			break;
		}
		size_t n = cap;
		enum evp_dec_rc rc = d->codec->step(d->st, &d->in, &d->inlen, out,
		    &n, d->raw_eof, &why);
		grew(d->cur, n);
		switch (rc) {
		case EVP_DEC_MORE:
			if (d->inlen == 0 && d->raw_eof && n == 0)
				hand(d, 0, 1, d->codec->truncated, 0, 1);
			break;
		case EVP_DEC_MEMBER:
			hand(d, 0, 0, NULL, 0, 0);
			break;
		case EVP_DEC_END:
			hand(d, 0, 1, NULL, 0, 0);
			break;
		case EVP_DEC_DAMAGE:
			hand(d, 1, 1, why, 0, 0);
			break;
		case EVP_DEC_JUNK:
			hand(d, 0, 1, why, 0, 0);
			break;
		}
	}
	return NULL;
}

struct evp_decode *
evp_decode_start(const struct evp_codec *codec, int fd, const void *head,
    size_t n)
{
	struct evp_decode *d = xcalloc(1, sizeof(*d));

	d->codec = codec;
	d->st = codec->start();
	d->fd = fd;
	d->raw = xmalloc(RAWBUF);
	memcpy(d->raw, head, n);
	d->in = d->raw;
	d->inlen = n;
	d->bytes_in = n;
	d->cur = unit_new();
	if (evp_worker_start(&d->w, run, d) < 0)
		evp_oom();
	return d;
}

/* Copy from unit u at its place: bytes copied, or -1 with *err. */
static ssize_t
take(struct unit *u, void *buf, size_t cap, int *err)
{
	if (u->off < u->len) {
		size_t b = (size_t)(u->off / BLOCK), o = (size_t)(u->off % BLOCK);
		size_t k = BLOCK - o;
		if (k > u->len - u->off)
			k = u->len - (size_t)u->off;
		if (k > cap)
			k = cap;
		memcpy(buf, u->blk[b] + o, k);
		return (ssize_t)k;
	}
	uint64_t at = u->off - u->len, left = u->spilled - at;
	ssize_t r;
	do
		r = pread(u->fd, buf, left < cap ? (size_t)left : cap, (off_t)at);
	while (r < 0 && errno == EINTR);
	if (r <= 0) {
		*err = r < 0 ? errno : EIO;
		return -1;
	}
	return r;
}

ssize_t
evp_decode_read(struct evp_decode *d, void *buf, size_t cap, int *damaged,
    const char **why, int *err, int *cut)
{
	pthread_mutex_lock(&d->w.mu);
	while (d->head == NULL && !d->done)
		pthread_cond_wait(&d->w.cv, &d->w.mu);
	struct unit *u = d->head;
	if (u == NULL) {
		*why = d->why;
		*err = d->err;
		*cut = d->cut;
		*damaged = d->dmg_end;
		pthread_mutex_unlock(&d->w.mu);
		return *why != NULL || *err != 0 ? -1 : 0;
	}
	pthread_mutex_unlock(&d->w.mu);

	/* The thread never touches a unit handed over: copy unlocked. */
	ssize_t k = take(u, buf, cap, err);
	if (k < 0) {
		*why = "cannot read a temporary file";
		return -1;
	}
	*damaged = u->damaged;
	u->off += (uint64_t)k;
	if (u->off == u->len + u->spilled) {
		pthread_mutex_lock(&d->w.mu);
		d->head = u->next;
		if (d->head == NULL)
			d->last = NULL;
		d->held -= u->len;
		unit_free(d, u);
		pthread_cond_broadcast(&d->w.cv);
		pthread_mutex_unlock(&d->w.mu);
	}
	return k;
}

uint64_t
evp_decode_bytes_in(struct evp_decode *d)
{
	pthread_mutex_lock(&d->w.mu);
	uint64_t n = d->bytes_in;
	pthread_mutex_unlock(&d->w.mu);
	return n;
}

void
evp_decode_free(struct evp_decode *d)
{
	if (d == NULL)
		return;
	evp_worker_stop(&d->w);
	while (d->head != NULL) {
		struct unit *u = d->head;
		d->head = u->next;
		unit_free(d, u);
	}
	if (d->cur != NULL)
		unit_free(d, d->cur);
	for (size_t i = 0; i < d->nspare; i++)
		evp_big_free(d->spare[i], BLOCK);
	free(d->spare);
	d->codec->free(d->st);
	free(d->raw);
	free(d);
}
