#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/bigmem.h"
#include "core/diag.h"
#include "core/pack.h"
#include "core/xalloc.h"
#include "stages/sortint.h"

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
void
evp_sort_empty(struct evp_sort *s)
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

void
evp_sort_items(struct evp_sort *s)
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

/* Pass on a record: its fields unpacked from p. */
int
evp_sort_emit(struct evp_sort *s, const struct srec *h, const unsigned char *p)
{
	const unsigned char *fields = p + HEAD + h->klen;

	evp_unpack(fields, s->f, s->nf);
	struct evp_rec r = { s->nf, s->f, { h->source, h->line }, { NULL, 0 } };
	return evp_stage_pass(&s->st, &r);
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
	    evp_sort_spill(s) < 0)
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
		evp_sort_items(s);
		for (size_t i = 0; i < s->n; i++) {
			const struct srec *r = s->items[i].r;
			if (i + AHEAD < s->n)
				prefetch(s->items[i + AHEAD].r);
			if (evp_sort_emit(s, r, (const unsigned char *)r) < 0)
				return -1;
		}
		evp_sort_empty(s);
	} else {
		if (s->n > 0 && evp_sort_spill(s) < 0)
			return -1;
		/* Memory is for the merge now. */
		free_chunks(s, s->spare);
		s->spare = NULL;
		free(s->items);
		s->items = NULL;
		s->cap = 0;
		if (evp_sort_merge_runs(s) < 0)
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
	evp_sort_empty(s);
	free_chunks(s, s->spare);
	s->spare = NULL;
	free(s->items);
	free(s->runs);
	free(s->f);
	s->items = NULL;
	s->runs = NULL;
	s->f = NULL;
	evp_sort_file_close(&s->file[0]);
	evp_sort_file_close(&s->file[1]);
	evp_keyenc_release(&s->enc);
	evp_buf_release(&s->key);
	evp_stage_release(&s->st);
}
