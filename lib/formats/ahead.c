#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/ahead.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/xalloc.h"

#define BATCH_BYTES	(256 * 1024)	/* a batch is handed over past this */
#define NBATCH		4		/* batches in flight, at most */

/* Rows packed one after the other; the last batch of the input says so. */
struct batch {
	struct batch	*next;
	char		*p;
	size_t		 len, cap;
	int		 last;
	int		 rc;		/* the reader's result, in the last batch */
};

/*
 * A row in a batch: this header, then for a row read, the n field
 * lengths, the fields' bytes and the rawlen bytes of its text; for a
 * refused row, its verdict and its text.  size covers what follows,
 * rounded up to 8.
 */
struct packed {
	uint64_t	line;
	uint64_t	size;
	uint64_t	n;
	uint64_t	rawlen;
	uint64_t	refused;
};

struct evp_ahead {
	struct evp_input	 in;
	struct evp_csvin	 r;
	int			 raw;		/* keep the text of every row */
	int			 started;
	pthread_t		 tid;

	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct batch		*full, *full_tail;	/* handed over, in order */
	struct batch		*spare;			/* handed back */
	int			 nbatch;
	int			 stop;		/* the caller is gone */
	int			 refs;		/* the caller and the thread */

	/* the caller's side */
	struct batch		*cur;
	size_t			 pos;
	struct evp_str		*f;
	size_t			 fcap;
};

static void
destroy(struct evp_ahead *a)
{
	struct batch *b, *next;

	evp_csvin_close(&a->r);
	evp_input_close(&a->in);
	for (int i = 0; i < 2; i++)
		for (b = i ? a->spare : a->full; b != NULL; b = next) {
			next = b->next;
			free(b->p);
			free(b);
		}
	if (a->cur != NULL) {
		free(a->cur->p);
		free(a->cur);
	}
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a->f);
	free(a);
}

struct evp_ahead *
evp_ahead_start(struct evp_input *in, const struct evp_csvin_opts *o, int raw,
    const struct evp_header **h)
{
	struct evp_ahead *a = xcalloc(1, sizeof(*a));

	a->in = *in;
	if (evp_csvin_open(&a->r, &a->in, o) < 0) {
		evp_csvin_close(&a->r);
		evp_input_close(&a->in);
		free(a);
		return NULL;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	a->refs = 2;
	a->raw = raw;
	*h = &a->r.header;
	return a;
}

struct evp_ahead *
evp_ahead_open(const char *name, size_t maxline, const struct evp_csvin_opts *o,
    int raw, const struct evp_header **h)
{
	struct evp_input in;

	if (evp_input_open(&in, name, maxline) < 0)
		return NULL;
	return evp_ahead_start(&in, o, raw, h);
}

/* The thread's next batch to fill: NULL when the caller is gone. */
static struct batch *
take(struct evp_ahead *a)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&a->mu);
	while (!a->stop && a->spare == NULL && a->nbatch >= NBATCH)
		pthread_cond_wait(&a->cv, &a->mu);
	if (!a->stop) {
		if ((b = a->spare) != NULL)
			a->spare = b->next;
		else {
			b = xcalloc(1, sizeof(*b));
			a->nbatch++;
		}
		b->len = 0;
		b->last = 0;
		b->next = NULL;
	}
	pthread_mutex_unlock(&a->mu);
	return b;
}

static void
hand_over(struct evp_ahead *a, struct batch *b)
{
	pthread_mutex_lock(&a->mu);
	if (a->full_tail != NULL)
		a->full_tail->next = b;
	else
		a->full = b;
	a->full_tail = b;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
}

static void *
room(struct batch *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : BATCH_BYTES + 64 * 1024;
		while (cap - b->len < n)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	void *p = b->p + b->len;
	b->len += n;
	return p;
}

#define ROUND8(n)	(((n) + 7) & ~(size_t)7)

static void
pack(struct batch *b, const struct evp_csvrow *row, int raw)
{
	size_t size;

	if (row->bad.reason != NULL) {
		size = ROUND8(sizeof(struct evp_verdict) + row->raw.len);
		struct packed *h = room(b, sizeof(*h) + size);
		*h = (struct packed){ row->line, size, 0, row->raw.len, 1 };
		memcpy(h + 1, &row->bad, sizeof(row->bad));
		if (row->raw.len > 0)
			memcpy((char *)(h + 1) + sizeof(row->bad), row->raw.p,
			    row->raw.len);
		return;
	}
	size_t rawlen = raw ? row->raw.len : 0;
	size = row->n * sizeof(uint64_t) + rawlen;
	for (size_t i = 0; i < row->n; i++)
		size += row->f[i].len;
	size = ROUND8(size);
	struct packed *h = room(b, sizeof(*h) + size);
	*h = (struct packed){ row->line, size, row->n, rawlen, 0 };
	uint64_t *len = (uint64_t *)(h + 1);
	char *p = (char *)(len + row->n);
	for (size_t i = 0; i < row->n; i++) {
		len[i] = row->f[i].len;
		if (row->f[i].len > 0)
			memcpy(p, row->f[i].p, row->f[i].len);
		p += row->f[i].len;
	}
	if (rawlen > 0)
		memcpy(p, row->raw.p, rawlen);
}

static void *
produce(void *arg)
{
	struct evp_ahead *a = arg;
	struct evp_csvrow row;
	struct batch *b;

	while ((b = take(a)) != NULL) {
		int rc;
		while ((rc = evp_csvin_next(&a->r, &row)) > 0) {
			pack(b, &row, a->raw);
			if (b->len >= BATCH_BYTES)
				break;
		}
		if (rc <= 0) {
			b->last = 1;
			b->rc = rc;
		}
		hand_over(a, b);
		if (rc <= 0)
			break;
	}
	pthread_mutex_lock(&a->mu);
	int last = --a->refs == 0;
	pthread_mutex_unlock(&a->mu);
	if (last)
		destroy(a);
	return NULL;
}

int
evp_ahead_next(struct evp_ahead *a, struct evp_csvrow *row)
{
	if (!a->started) {
		/* As for the decoder's thread: a resource ran out (exit 4). */
		if (pthread_create(&a->tid, NULL, produce, a) != 0)
			evp_oom();
		a->started = 1;
	}
	for (;;) {
		struct batch *b = a->cur;
		if (b != NULL && a->pos < b->len)
			break;
		if (b != NULL && b->last)
			return b->rc;
		pthread_mutex_lock(&a->mu);
		if (b != NULL) {
			b->next = a->spare;
			a->spare = b;
			pthread_cond_broadcast(&a->cv);
		}
		while (a->full == NULL)
			pthread_cond_wait(&a->cv, &a->mu);
		a->cur = a->full;
		if ((a->full = a->cur->next) == NULL)
			a->full_tail = NULL;
		pthread_mutex_unlock(&a->mu);
		a->pos = 0;
	}

	const struct packed *h = (const void *)(a->cur->p + a->pos);
	a->pos += sizeof(*h) + h->size;
	row->line = h->line;
	if (h->refused) {
		memcpy(&row->bad, h + 1, sizeof(row->bad));
		row->raw = (struct evp_str){ (const char *)(h + 1) + sizeof(row->bad),
		    h->rawlen };
		row->n = 0;
		row->f = NULL;
		return 1;
	}
	if (a->fcap < h->n) {
		a->fcap = h->n;
		a->f = xrealloc(a->f, a->fcap * sizeof(*a->f));
	}
	const uint64_t *len = (const uint64_t *)(h + 1);
	const char *p = (const char *)(len + h->n);
	for (size_t i = 0; i < h->n; i++) {
		a->f[i] = (struct evp_str){ p, len[i] };
		p += len[i];
	}
	row->n = h->n;
	row->f = a->f;
	row->raw = (struct evp_str){ p, h->rawlen };
	row->bad.reason = NULL;
	return 1;
}

void
evp_ahead_close(struct evp_ahead *a)
{
	if (a == NULL)
		return;
	if (!a->started) {
		a->refs = 1;
		destroy(a);
		return;
	}
	pthread_t t = a->tid;
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	int last = --a->refs == 0;
	pthread_mutex_unlock(&a->mu);
	if (last) {
		pthread_join(t, NULL);
		destroy(a);
	} else
		pthread_detach(t);
}
