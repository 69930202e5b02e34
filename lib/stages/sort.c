#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bigmem.h"
#include "core/diag.h"
#include "core/pack.h"
#include "core/spill.h"
#include "core/xalloc.h"
#include "stages/sort.h"

/*
 * A record, in memory and in a run: this head, its normalized key, then
 * its fields packed (core/pack.h).  In memory a record starts on 8 bytes;
 * in a run the records follow each other.
 */
struct srec {
	uint64_t	 line;
	const char	*source;
	uint32_t	 klen, plen;
};

#define HEAD	sizeof(struct srec)

static inline const unsigned char *
key_of(const struct srec *r)
{
	return (const unsigned char *)(r + 1);
}

/* Memory for records, reused from one run to the next. */
struct evp_sort_chunk {
	struct evp_sort_chunk	*next;
	size_t			 size, used;
	union { max_align_t a; unsigned char c[1]; } mem[];
};

/* What the in-memory sort moves: a word of the key, and the record. */
struct evp_sort_item {
	uint64_t	 pfx;
	struct srec	*r;
};

struct evp_sort_run {
	uint64_t	 off, len;
};

/*
 * Records are read in sorted order, from all over memory: ask for the
 * one AHEAD places on, its first lines, while working on this one.
 */
#define AHEAD	8

static inline void
prefetch(const struct srec *r)
{
#if defined(__GNUC__)
	__builtin_prefetch(r);
	__builtin_prefetch((const char *)r + 64);
	__builtin_prefetch((const char *)r + 128);
#else
	(void)r;
#endif
}

/* Counted against the budget for each record: its item and the sort's copy. */
#define ITEM_COST	(2 * sizeof(struct evp_sort_item))

static int
fail(const char *what, int err)
{
	return evp_error(NULL, 0, "cannot %s a temporary file: %s", what,
	    err ? strerror(err) : "unexpected end");
}

/* ---- the records held in memory ---- */

static void *
alloc(struct evp_sort *s, size_t size)
{
	struct evp_sort_chunk *c = s->chunks;

	if (c == NULL || c->size - c->used < size) {
		if (size > s->chunk) {		/* a record of its own */
			c = xmalloc(sizeof(*c) + size);
			c->size = size;
		} else if ((c = s->spare) != NULL) {
			s->spare = c->next;
		} else {
			c = evp_big_alloc(sizeof(*c) + s->chunk);
			c->size = s->chunk;
		}
		c->used = 0;
		c->next = s->chunks;
		s->chunks = c;
	}
	void *p = (unsigned char *)c->mem + c->used;
	c->used += size;
	return p;
}

/* Forget the records held; keep the chunks for the next ones. */
static void
empty(struct evp_sort *s)
{
	struct evp_sort_chunk *c, *next;

	for (c = s->chunks; c != NULL; c = next) {
		next = c->next;
		if (c->size > s->chunk)
			free(c);
		else {
			c->next = s->spare;
			s->spare = c;
		}
	}
	s->chunks = NULL;
	s->n = 0;
	s->used = 0;
}

static void
free_chunks(struct evp_sort *s, struct evp_sort_chunk *c)
{
	while (c != NULL) {
		struct evp_sort_chunk *next = c->next;
		if (c->size > s->chunk)
			free(c);
		else
			evp_big_free(c, sizeof(*c) + c->size);
		c = next;
	}
}

/*
 * ---- the in-memory sort ----
 *
 * The items are sorted by words of their keys, seven bytes at a time
 * (most significant first, zero-padded) followed by a byte that says how
 * many of the seven the key has, 8 when it goes on: integers compare as
 * the keys do on those bytes, a key that ends first coming first.  A
 * stable merge sort on the words orders the items; each group of equal
 * words whose keys go on is then sorted the same way on the next seven
 * bytes.  So a record's key is read once a level, in order, and not at
 * each comparison; only small groups compare whole keys.  Every step is
 * stable, so equal keys keep their input order.
 */

#define WORD	7	/* key bytes in a word */
#define SMALL	16	/* groups this small compare whole keys */

static uint64_t
word_at(const struct srec *r, size_t off)
{
	const unsigned char *k = key_of(r) + off;
	size_t left = r->klen > off ? r->klen - off : 0;
	uint64_t v = 0;

	for (size_t i = 0; i < WORD; i++)
		v = v << 8 | (i < left ? k[i] : 0);
	return v << 8 | (left > WORD ? WORD + 1 : left);
}

/* The whole keys from off on. */
static inline int
key_less(const struct evp_sort_item *a, const struct evp_sort_item *b,
    size_t off)
{
	const struct srec *x = a->r, *y = b->r;

	return evp_keycmp(key_of(x) + off, x->klen - off, key_of(y) + off,
	    y->klen - off) < 0;
}

static void
insertion(struct evp_sort_item *a, size_t n, size_t off)
{
	for (size_t i = 1; i < n; i++) {
		struct evp_sort_item x = a[i];
		size_t j = i;
		for (; j > 0 && key_less(&x, &a[j - 1], off); j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Stable merge sort of a[0..n) by their words. */
static void
msort(struct evp_sort_item *a, struct evp_sort_item *t, size_t n)
{
	if (n <= SMALL) {
		for (size_t i = 1; i < n; i++) {
			struct evp_sort_item x = a[i];
			size_t j = i;
			for (; j > 0 && x.pfx < a[j - 1].pfx; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	msort(a, t, h);
	msort(a + h, t, n - h);
	if (a[h - 1].pfx <= a[h].pfx)
		return;		/* already in order */
	memcpy(t, a, h * sizeof(*t));
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		a[k++] = a[j].pfx < t[i].pfx ? a[j++] : t[i++];
	while (i < h)
		a[k++] = t[i++];
}

/* A group of items still to sort, from byte off of their keys. */
struct group {
	size_t	 at, n, off;
};

static void
sort_items(struct evp_sort *s)
{
	struct evp_sort_item *it = s->items;
	size_t n = s->n;

	if (n < 2)
		return;
	/* The bytes every key starts with decide nothing: skip them. */
	const unsigned char *k0 = key_of(it[0].r);
	size_t lcp = it[0].r->klen;
	for (size_t i = 1; i < n && lcp > 0; i++) {
		const unsigned char *k = key_of(it[i].r);
		size_t m = lcp < it[i].r->klen ? lcp : it[i].r->klen;
		if (memcmp(k0, k, m) == 0) {
			lcp = m;
			continue;
		}
		size_t j = 0;
		while (k0[j] == k[j])
			j++;
		lcp = j;
	}
	struct evp_sort_item *t = xmalloc((n / 2 + 1) * sizeof(*t));
	struct group *todo = xmalloc(16 * sizeof(*todo));
	size_t ntodo = 1, captodo = 16;
	todo[0] = (struct group){ 0, n, lcp };
	while (ntodo > 0) {
		struct group g = todo[--ntodo];
		struct evp_sort_item *a = it + g.at;
		if (g.n <= SMALL) {
			insertion(a, g.n, g.off);
			continue;
		}
		for (size_t i = 0; i < g.n; i++)
			a[i].pfx = word_at(a[i].r, g.off);
		msort(a, t, g.n);
		for (size_t i = 0, j; i < g.n; i = j) {
			for (j = i + 1; j < g.n && a[j].pfx == a[i].pfx; j++)
				;
			if (j - i < 2 || (a[i].pfx & 0xff) <= WORD)
				continue;	/* one item, or equal keys */
			if (ntodo == captodo) {
				captodo *= 2;
				todo = xrealloc(todo, captodo * sizeof(*todo));
			}
			todo[ntodo++] = (struct group){ g.at + i, j - i,
			    g.off + WORD };
		}
	}
	free(todo);
	free(t);
}

/* ---- the temporary files ---- */

static int
file_open(struct evp_sort_file *f)
{
	if (f->fd >= 0) {
		/* Emptied for the next pass: everything in it was read. */
		if (ftruncate(f->fd, 0) < 0 || lseek(f->fd, 0, SEEK_SET) < 0)
			return fail("empty", errno);
		f->size = 0;
		return 0;
	}
	if ((f->fd = evp_spill_tmpfd()) < 0)
		return -1;
	evp_ofile_attach(&f->out, f->fd, "a temporary file");
	f->size = 0;
	return 0;
}

static void
file_write(struct evp_sort_file *f, const void *p, size_t n)
{
	evp_ofile_write(&f->out, p, n);
	f->size += n;
}

/* Everything written is in the file, ready to be read back. */
static int
file_flush(struct evp_sort_file *f)
{
	if (f->fd < 0)
		return 0;
	if (evp_ofile_flush(&f->out) < 0)
		return evp_error(NULL, 0, "cannot write a temporary file: %s",
		    strerror(f->out.err));
	return 0;
}

static void
file_close(struct evp_sort_file *f)
{
	if (f->fd < 0)
		return;
	f->out.len = 0;		/* nothing more to write */
	evp_ofile_abort(&f->out);
	close(f->fd);
	f->fd = -1;
}

static void
add_run(struct evp_sort *s, uint64_t off, uint64_t len)
{
	if (s->nruns == s->runcap) {
		s->runcap = s->runcap ? 2 * s->runcap : 16;
		s->runs = xrealloc(s->runs, s->runcap * sizeof(*s->runs));
	}
	s->runs[s->nruns++] = (struct evp_sort_run){ off, len };
	s->spilled++;
}

/* Sort the records held and write them as a run; memory starts again. */
static int
spill(struct evp_sort *s)
{
	struct evp_sort_file *f = &s->file[s->cur];

	sort_items(s);
	if (f->fd < 0 && file_open(f) < 0)
		return -1;
	uint64_t off = f->size;
	for (size_t i = 0; i < s->n; i++) {
		const struct srec *r = s->items[i].r;
		if (i + AHEAD < s->n)
			prefetch(s->items[i + AHEAD].r);
		file_write(f, r, HEAD + r->klen + r->plen);
	}
	if (f->out.err)
		return file_flush(f);
	add_run(s, off, f->size - off);
	empty(s);
	return 0;
}

/* ---- reading runs back and merging them ---- */

struct reader {
	int		 fd;
	uint64_t	 off, end;	/* what is left of the run in the file */
	unsigned char	*buf;
	size_t		 cap, pos, len;
	struct srec	 h;		/* the current record's head */
	const unsigned char *rec;	/* the current record, in buf */
};

/* At least n bytes of the run in the buffer: 1, 0 at its end, -1. */
static int
fill(struct reader *d, size_t n)
{
	if (d->len - d->pos >= n)
		return 1;
	memmove(d->buf, d->buf + d->pos, d->len - d->pos);
	d->len -= d->pos;
	d->pos = 0;
	if (n > d->cap) {
		d->cap = n;
		d->buf = xrealloc(d->buf, d->cap);
	}
	while (d->len < n) {
		size_t want = d->cap - d->len;
		if (want > d->end - d->off)
			want = (size_t)(d->end - d->off);
		if (want == 0)
			return d->len == 0 ? 0 : fail("read back", 0);
		ssize_t got = pread(d->fd, d->buf + d->len, want, (off_t)d->off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return fail("read", errno);
		if (got == 0)
			return fail("read back", 0);
		d->len += (size_t)got;
		d->off += (uint64_t)got;
	}
	return 1;
}

static int
next(struct reader *d)
{
	int rc;

	if ((rc = fill(d, HEAD)) <= 0)
		return rc;
	memcpy(&d->h, d->buf + d->pos, HEAD);
	size_t size = HEAD + d->h.klen + d->h.plen;
	if ((rc = fill(d, size)) <= 0)
		return rc < 0 ? rc : fail("read back", 0);
	d->rec = d->buf + d->pos;
	d->pos += size;
	return 1;
}

/* Does reader a's record go before reader b's?  Ties: the earlier run. */
static inline int
before(const struct reader *rd, unsigned a, unsigned b)
{
	const struct reader *x = &rd[a], *y = &rd[b];
	int c = evp_keycmp(x->rec + HEAD, x->h.klen, y->rec + HEAD, y->h.klen);

	return c < 0 || (c == 0 && a < b);
}

static void
sift(const struct reader *rd, unsigned *heap, size_t m, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, best = i;
		if (l < m && before(rd, heap[l], heap[best]))
			best = l;
		if (l + 1 < m && before(rd, heap[l + 1], heap[best]))
			best = l + 1;
		if (best == i)
			return;
		unsigned t = heap[i];
		heap[i] = heap[best];
		heap[best] = t;
		i = best;
	}
}

/* Pass on a record: its fields unpacked from p. */
static int
emit(struct evp_sort *s, const struct srec *h, const unsigned char *p)
{
	const unsigned char *fields = p + HEAD + h->klen;

	evp_unpack(fields, s->f, s->nf);
	struct evp_rec r = { s->nf, s->f, { h->source, h->line }, { NULL, 0 } };
	return evp_stage_pass(&s->st, &r);
}

/*
 * Merge runs[0..k) of the current file into one run of dst, or into the
 * output when dst is NULL.
 */
static int
merge(struct evp_sort *s, const struct evp_sort_run *runs, size_t k,
    struct evp_sort_file *dst)
{
	struct reader *rd = xcalloc(k, sizeof(*rd));
	unsigned *heap = xcalloc(k, sizeof(*heap));
	size_t m = 0, bs = s->o.memory / (k + 1);
	uint64_t off = dst ? dst->size : 0;
	int rc = 0;

	if (bs > 1024 * 1024)
		bs = 1024 * 1024;
	if (bs < 4096)
		bs = 4096;
	for (size_t i = 0; i < k; i++) {
		rd[i] = (struct reader){ s->file[s->cur].fd, runs[i].off,
		    runs[i].off + runs[i].len, xmalloc(bs), bs, 0, 0, { 0, NULL,
		    0, 0 }, NULL };
		if ((rc = next(&rd[i])) < 0)
			goto out;
		if (rc > 0)
			heap[m++] = (unsigned)i;
	}
	for (size_t i = m / 2; i-- > 0; )
		sift(rd, heap, m, i);
	rc = 0;
	while (m > 0) {
		struct reader *d = &rd[heap[0]];
		if (dst != NULL) {
			file_write(dst, d->rec, HEAD + d->h.klen + d->h.plen);
			if (dst->out.err) {
				rc = file_flush(dst);
				goto out;
			}
		} else if (emit(s, &d->h, d->rec) < 0) {
			rc = -1;
			goto out;
		}
		int got = next(d);
		if (got < 0) {
			rc = -1;
			goto out;
		}
		if (got == 0)
			heap[0] = heap[--m];
		sift(rd, heap, m, 0);
	}
	if (dst != NULL)
		add_run(s, off, dst->size - off);
out:
	for (size_t i = 0; i < k; i++)
		free(rd[i].buf);
	free(rd);
	free(heap);
	return rc;
}

/*
 * Merge the runs: while there are more than the fan-in, a pass merges
 * them by groups into the other file; then the last merge writes the
 * output.
 */
static int
merge_runs(struct evp_sort *s)
{
	size_t fanin = s->o.fanin;

	if (file_flush(&s->file[s->cur]) < 0)
		return -1;
	while (s->nruns > fanin) {
		struct evp_sort_file *dst = &s->file[1 - s->cur];
		struct evp_sort_run *runs = s->runs;
		size_t n = s->nruns;
		if (file_open(dst) < 0)
			return -1;
		s->runs = NULL;
		s->nruns = s->runcap = 0;
		for (size_t i = 0; i < n; i += fanin) {
			size_t k = n - i < fanin ? n - i : fanin;
			if (merge(s, runs + i, k, dst) < 0) {
				free(runs);
				return -1;
			}
		}
		free(runs);
		if (file_flush(dst) < 0)
			return -1;
		s->cur = 1 - s->cur;
	}
	return merge(s, s->runs, s->nruns, NULL);
}

/* ---- the stage ---- */

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_sort *s = evp_container_of(sk, struct evp_sort, st.sink);
	const struct evp_sortkeys *ks = s->o.keys;

	for (size_t i = 0; i < ks->n; i++) {
		const char *col = ks->k[i].col;
		if (evp_require_columns(h, &col, &s->enc.idx[i], 1) < 0)
			return -1;
	}
	s->nf = h->n;
	free(s->f);
	s->f = xcalloc(h->n ? h->n : 1, sizeof(*s->f));
	evp_stage_map(&s->st, h);
	return evp_sink_start(s->st.out, h);
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_sort *s = evp_container_of(sk, struct evp_sort, st.sink);
	struct evp_verdict v;

	s->st.count.in++;
	evp_buf_reset(&s->key);
	if (evp_keyenc_put(&s->enc, r->f, &s->key, &v) < 0)
		return evp_stage_refuse(&s->st, r, &v);
	size_t plen = evp_pack_size(r->f, r->n);
	if (s->key.len > UINT32_MAX || plen > UINT32_MAX)
		return evp_error(r->at.source, r->at.line,
		    "a record of more than 4 GiB cannot be sorted");
	size_t size = (HEAD + s->key.len + plen + 7) & ~(size_t)7;
	if (s->n > 0 && s->used + size + ITEM_COST > s->o.memory &&
	    spill(s) < 0)
		return -1;
	struct srec *m = alloc(s, size);
	*m = (struct srec){ r->at.line, r->at.source, (uint32_t)s->key.len,
	    (uint32_t)plen };
	unsigned char *p = (unsigned char *)(m + 1);
	if (s->key.len > 0)
		memcpy(p, s->key.p, s->key.len);
	evp_pack(p + s->key.len, r->f, r->n);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->items = xrealloc(s->items, s->cap * sizeof(*s->items));
	}
	s->items[s->n++] = (struct evp_sort_item){ 0, m };
	s->used += size + ITEM_COST;
	return 0;
}

static int
end(struct evp_sink *sk)
{
	struct evp_sort *s = evp_container_of(sk, struct evp_sort, st.sink);

	if (s->nruns == 0) {
		sort_items(s);
		for (size_t i = 0; i < s->n; i++) {
			const struct srec *r = s->items[i].r;
			if (i + AHEAD < s->n)
				prefetch(s->items[i + AHEAD].r);
			if (emit(s, r, (const unsigned char *)r) < 0)
				return -1;
		}
		empty(s);
	} else {
		if (s->n > 0 && spill(s) < 0)
			return -1;
		/* Memory is for the merge now. */
		free_chunks(s, s->spare);
		s->spare = NULL;
		free(s->items);
		s->items = NULL;
		s->cap = 0;
		if (merge_runs(s) < 0)
			return -1;
	}
	return evp_sink_end(s->st.out);
}

void
evp_sort_init(struct evp_sort *s, const struct evp_sort_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(s, 0, sizeof(*s));
	evp_stage_init(&s->st, "sort", (struct evp_sink){ start, put, end },
	    rj, out);
	s->o = *o;
	if (s->o.fanin < 2)
		s->o.fanin = s->o.fanin == 0 ? EVP_SORT_FANIN : 2;
	/* Chunks small against the budget, so that little of it is idle. */
	s->chunk = s->o.memory / 16;
	if (s->chunk > 4 * 1024 * 1024)
		s->chunk = 4 * 1024 * 1024;
	if (s->chunk < 64 * 1024)
		s->chunk = 64 * 1024;
	evp_keyenc_init(&s->enc, o->keys);
	s->file[0].fd = s->file[1].fd = -1;
}

void
evp_sort_release(struct evp_sort *s)
{
	empty(s);
	free_chunks(s, s->spare);
	s->spare = NULL;
	free(s->items);
	free(s->runs);
	free(s->f);
	s->items = NULL;
	s->runs = NULL;
	s->f = NULL;
	file_close(&s->file[0]);
	file_close(&s->file[1]);
	evp_keyenc_release(&s->enc);
	evp_buf_release(&s->key);
	evp_stage_release(&s->st);
}
