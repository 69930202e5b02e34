/*
 * summarize's end: the groups to write, in order, each as one row.
 *
 * Without lists the groups are those the records made, ordered by their
 * columns' bytes, then by day.  With --groups, the groups written are
 * every combination of the listed values with each combination of the
 * other columns (and day) that records made; with no other column, just
 * the listed values.  A listed column orders by its list.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "stages/summarize.h"

struct item {
	const struct evp_str	*v;	/* a value per group column */
	const uint32_t		*li;	/* per group column: list index */
	int64_t			 day;
	const unsigned char	*g;	/* the state; NULL: an empty group */
};

/* What the rows are made of, all owned here until the rows are written. */
struct emit {
	struct evp_summarize	*s;
	struct item		*it;
	size_t			 n, cap;
	struct evp_str		*vals;	/* n * ngcol */
	uint32_t		*lis;	/* n * ngcol */
	struct evp_map		 proj;	/* the other columns' combinations */
};

void
evp_sumkey_split(const struct evp_summarize *s, const char *k, size_t len,
    struct evp_str *v, int64_t *day)
{
	const struct evp_sumspec *sp = s->sp;
	size_t at = 0;

	*day = 0;
	if (sp->ngcol == 1 && sp->day == NULL) {
		v[0] = (struct evp_str){ k, len };
		return;
	}
	for (size_t i = 0; i < sp->ngcol; i++) {
		uint64_t n;
		memcpy(&n, k + at, sizeof(n));
		v[i] = (struct evp_str){ k + at + sizeof(n), (size_t)n };
		at += sizeof(n) + (size_t)n;
	}
	if (sp->day != NULL)
		memcpy(day, k + at, sizeof(*day));
}

static struct item *
new_item(struct emit *e)
{
	size_t ng = e->s->sp->ngcol ? e->s->sp->ngcol : 1;

	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->it = xrealloc(e->it, e->cap * sizeof(*e->it));
		e->vals = xrealloc(e->vals, e->cap * ng * sizeof(*e->vals));
		e->lis = xrealloc(e->lis, e->cap * ng * sizeof(*e->lis));
	}
	struct item *it = &e->it[e->n];
	memset(it, 0, sizeof(*it));
	memset(&e->lis[e->n * ng], 0, ng * sizeof(*e->lis));
	e->n++;
	return it;
}

/* Point each item at its values, once the arrays have stopped moving. */
static void
settle(struct emit *e)
{
	size_t ng = e->s->sp->ngcol ? e->s->sp->ngcol : 1;

	for (size_t i = 0; i < e->n; i++) {
		e->it[i].v = &e->vals[i * ng];
		e->it[i].li = &e->lis[i * ng];
	}
}

/* Every group the records made. */
static void
made_groups(struct emit *e)
{
	struct evp_summarize *s = e->s;
	size_t ng = s->sp->ngcol ? s->sp->ngcol : 1, pos = 0, klen;
	const unsigned char *g;

	while ((g = evp_map_next(&s->groups, &pos)) != NULL) {
		if (*(const uint64_t *)(const void *)g == 0)
			continue;	/* made by a record then refused */
		struct item *it = new_item(e);
		const char *k = evp_map_key(g, &klen);
		evp_sumkey_split(s, k, klen, &e->vals[(e->n - 1) * ng],
		    &it->day);
		it->g = g;
	}
}

/*
 * The listed values with each combination of the other columns that
 * records made: those combinations first, in a map of their own (keys
 * as group keys, listed columns left empty), then the product.
 */
static void
listed_groups(struct emit *e)
{
	struct evp_summarize *s = e->s;
	const struct evp_sumspec *sp = s->sp;
	size_t ng = sp->ngcol, pos = 0, klen;
	struct evp_str *v = xcalloc(ng ? ng : 1, sizeof(*v));
	struct evp_buf kb = EVP_BUF_INIT;
	const unsigned char *g;
	int64_t day;
	int created, others = sp->day != NULL;

	for (size_t c = 0; c < ng; c++)
		others |= sp->listof[c] < 0;
	evp_map_init(&e->proj);
	if (!others)
		evp_map_put(&e->proj, "", 0, 0, &created);
	while (others && (g = evp_map_next(&s->groups, &pos)) != NULL) {
		if (*(const uint64_t *)(const void *)g == 0)
			continue;
		const char *k = evp_map_key(g, &klen);
		evp_sumkey_split(s, k, klen, v, &day);
		evp_buf_reset(&kb);
		for (size_t c = 0; c < ng; c++) {
			uint64_t n = sp->listof[c] < 0 ? v[c].len : 0;
			evp_buf_add(&kb, &n, sizeof(n));
			evp_buf_add(&kb, v[c].p, n);
		}
		if (sp->day != NULL)
			evp_buf_add(&kb, &day, sizeof(day));
		evp_map_put(&e->proj, kb.p, kb.len, 0, &created);
	}

	const unsigned char *p;
	uint32_t *at = xcalloc(ng ? ng : 1, sizeof(*at));
	pos = 0;
	while ((p = evp_map_next(&e->proj, &pos)) != NULL) {
		const char *k = evp_map_key(p, &klen);
		if (klen > 0)
			evp_sumkey_split(s, k, klen, v, &day);
		else
			day = 0;
		/* An odometer over the lists, the last column turning fastest. */
		memset(at, 0, ng * sizeof(*at));
		for (;;) {
			struct item *it = new_item(e);
			struct evp_str *iv = &e->vals[(e->n - 1) * ng];
			uint32_t *li = &e->lis[(e->n - 1) * ng];
			evp_buf_reset(&kb);
			for (size_t c = 0; c < ng; c++) {
				int l = sp->listof[c];
				iv[c] = l < 0 ? v[c] : sp->list[l].v[at[c]];
				li[c] = at[c];
				uint64_t n = iv[c].len;
				evp_buf_add(&kb, &n, sizeof(n));
				evp_buf_add(&kb, iv[c].p, iv[c].len);
			}
			it->day = day;
			if (sp->day != NULL)
				evp_buf_add(&kb, &day, sizeof(day));
			if (ng == 1 && sp->day == NULL)
				it->g = evp_map_get(&s->groups, iv[0].p, iv[0].len);
			else
				it->g = evp_map_get(&s->groups, kb.p ? kb.p : "",
				    kb.len);
			if (it->g != NULL && *(const uint64_t *)(const void *)
			    it->g == 0)
				it->g = NULL;
			size_t c = ng;
			while (c > 0) {
				int l = sp->listof[c - 1];
				if (l >= 0 && ++at[c - 1] < sp->list[l].n)
					break;
				at[--c] = 0;
			}
			if (c == 0)
				break;
		}
	}
	free(at);
	free(v);
	evp_buf_release(&kb);
}

/* The order of the rows; qsort's comparison needs the spec. */
static const struct evp_sumspec *order_sp;

static int
order(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	const struct evp_sumspec *sp = order_sp;

	for (size_t c = 0; c < sp->ngcol; c++) {
		int r;
		if (sp->listof[c] >= 0)
			r = (a->li[c] > b->li[c]) - (a->li[c] < b->li[c]);
		else
			r = evp_keycmp(a->v[c].p, a->v[c].len, b->v[c].p,
			    b->v[c].len);
		if (r != 0)
			return r;
	}
	return (a->day > b->day) - (a->day < b->day);
}

/* The text of one aggregate of a group, into b; 1 if null, -1 on error. */
static int
agg_text(const struct evp_summarize *s, size_t i, const unsigned char *g,
    struct evp_buf *b)
{
	const struct evp_agg *a = &s->sp->agg[i];
	const unsigned char *st = g + s->off[i];
	char num[192];
	int n;

	switch (a->kind) {
	case EVP_AGG_COUNT:
		st = g;
		/* FALLTHROUGH */
	case EVP_AGG_DISTINCT:
	case EVP_AGG_CHILDREN:
		evp_buf_printf(b, "%" PRIu64, *(const uint64_t *)(const void *)st);
		return 0;
	case EVP_AGG_MIN:
	case EVP_AGG_MAX: {
		const struct evp_summm *m = (const void *)st;
		if (!m->has)
			return 1;
		evp_buf_add(b, m->text, m->len);
		return 0;
	}
	case EVP_AGG_SUM:
	case EVP_AGG_MEAN:
		break;
	}
	const struct evp_sumacc *acc = (const void *)st;
	struct evp_decimal q, cnt;
	if (a->kind == EVP_AGG_SUM)
		n = a->places == EVP_SUM_EXACT ?
		    evp_decimal_format(num, sizeof(num), &acc->sum) :
		    evp_decimal_format_fixed(num, sizeof(num), &acc->sum,
		    a->places);
	else if (acc->n == 0)
		return 1;
	else {
		evp_decimal_from_int64(&cnt, (int64_t)acc->n);
		n = evp_decimal_div(&q, &acc->sum, &cnt, a->places) < 0 ? -1 :
		    evp_decimal_format_fixed(num, sizeof(num), &q, a->places);
	}
	if (n < 0) {
		evp_error(NULL, 0, "the %s of '%s' needs more than %d digits "
		    "at %d places", a->kind == EVP_AGG_SUM ? "sum" : "mean",
		    a->col, EVP_DECIMAL_DIGITS, a->places);
		return -1;
	}
	evp_buf_add(b, num, (size_t)n);
	return 0;
}

/*
 * Write the row of one group: f has room for its fields, off for where
 * their texts start in s->text.
 */
static int
write_row(struct evp_summarize *s, const struct item *it, struct evp_str *f,
    size_t *off)
{
	const struct evp_sumspec *sp = s->sp;
	const unsigned char *g = it->g ? it->g : s->zero;
	static const char null[] = "";
	size_t nf = 0;

	evp_buf_reset(&s->text);
	for (size_t c = 0; c < sp->ngcol; c++)
		f[nf++] = it->v[c];
	if (sp->day != NULL) {
		char d[EVP_DAY_TEXTMAX];
		off[nf] = s->text.len;
		evp_buf_add(&s->text, d, evp_day_format(it->day, d));
		f[nf] = (struct evp_str){ NULL, s->text.len - off[nf] };
		nf++;
	}
	for (size_t i = 0; i < sp->nagg; i++) {
		off[nf] = s->text.len;
		int r = agg_text(s, i, g, &s->text);
		if (r < 0)
			return -1;
		f[nf] = (struct evp_str){ r ? null : NULL, s->text.len - off[nf] };
		nf++;
	}
	/* The texts are in place: point at them, nulls as the format says. */
	for (size_t c = sp->ngcol; c < nf; c++)
		if (f[c].p == null)
			f[c].p = sp->json ? NULL : null;
		else
			f[c].p = s->text.p + off[c];
	struct evp_rec r = { .n = nf, .f = f };
	return evp_sink_put(s->st.out, &r);
}

int
evp_summarize_emit(struct evp_summarize *s)
{
	const struct evp_sumspec *sp = s->sp;
	struct emit e;
	int rc = 0;

	memset(&e, 0, sizeof(e));
	e.s = s;
	if (sp->nlist > 0 || (sp->ngcol == 0 && sp->day == NULL))
		listed_groups(&e);
	else
		made_groups(&e);
	settle(&e);
	order_sp = sp;
	if (e.n > 1)
		qsort(e.it, e.n, sizeof(*e.it), order);
	struct evp_str *f = xcalloc(sp->ncols, sizeof(*f));
	size_t *off = xcalloc(sp->ncols, sizeof(*off));
	for (size_t i = 0; i < e.n && rc == 0; i++)
		rc = write_row(s, &e.it[i], f, off);
	free(f);
	free(off);
	if (sp->nlist > 0 || (sp->ngcol == 0 && sp->day == NULL))
		evp_map_release(&e.proj);
	free(e.it);
	free(e.vals);
	free(e.lis);
	return rc;
}
