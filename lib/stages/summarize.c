/*
 * summarize, record by record: check, filter, find the group, add.  The
 * end (ordering and writing the groups) is in sumemit.c, the options in
 * sumspec.c.
 */

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"
#include "stages/summarize.h"

const struct evp_header evp_summarize_noheader = {
	0, NULL, { NULL, 0 }, 0, NULL
};

#define ROUND8(n)	(((n) + 7) & ~(size_t)7)

/* A sum's values: no digit past 10^-40 nor from 10^40 up (plain text). */
#define SUM_DIGIT_MIN	-40
#define SUM_DIGIT_MAX	39

/* Does the aggregate read its column as a decimal, or as a timestamp? */
static int
reads_decimal(const struct evp_agg *a)
{
	return a->kind == EVP_AGG_SUM || a->kind == EVP_AGG_MEAN ||
	    ((a->kind == EVP_AGG_MIN || a->kind == EVP_AGG_MAX) &&
	    a->type == EVP_KEY_NUMBER);
}

static int
reads_time(const struct evp_agg *a)
{
	return (a->kind == EVP_AGG_MIN || a->kind == EVP_AGG_MAX) &&
	    a->type == EVP_KEY_TIME;
}

static size_t
state_size(const struct evp_agg *a)
{
	switch (a->kind) {
	case EVP_AGG_COUNT:
		return 0;
	case EVP_AGG_MIN:
	case EVP_AGG_MAX:
		return sizeof(struct evp_summm);
	case EVP_AGG_SUM:
	case EVP_AGG_MEAN:
		return sizeof(struct evp_sumacc);
	case EVP_AGG_DISTINCT:
	case EVP_AGG_CHILDREN:
		break;
	}
	return sizeof(uint64_t);
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_summarize *s =
	    evp_container_of(sk, struct evp_summarize, st.sink);
	const struct evp_sumspec *sp = s->sp;
	struct evp_header out = { sp->ncols, sp->colname, { NULL, 0 }, 0, NULL };

	if (h->n == 0) {		/* no input: no record will come */
		s->ready = 1;
		return evp_sink_start(s->st.out, &out);
	}
	if (evp_require_columns(h, (const char *const *)sp->gcol, s->gidx,
	    sp->ngcol) < 0)
		return -1;
	if (sp->day != NULL &&
	    evp_require_columns(h, (const char *const *)&sp->day, &s->didx,
	    1) < 0)
		return -1;
	if (sp->time != NULL &&
	    evp_require_columns(h, (const char *const *)&sp->time, &s->tidx,
	    1) < 0)
		return -1;
	for (size_t i = 0; i < sp->nagg; i++) {
		s->aidx[i] = -1;
		s->share[i] = -1;
		if (sp->agg[i].col != NULL && evp_require_columns(h,
		    (const char *const *)&sp->agg[i].col, &s->aidx[i], 1) < 0)
			return -1;
	}
	/* A column read the same way by an earlier aggregate: read once. */
	for (size_t i = 0; i < sp->nagg; i++)
		for (size_t j = 0; j < i && s->share[i] < 0; j++)
			if (s->aidx[j] == s->aidx[i] && s->share[j] < 0 &&
			    ((reads_decimal(&sp->agg[i]) &&
			    reads_decimal(&sp->agg[j])) ||
			    (reads_time(&sp->agg[i]) && reads_time(&sp->agg[j]))))
				s->share[i] = (int)j;
	evp_stage_map(&s->st, h);
	s->ready = 1;
	return evp_sink_start(s->st.out, &out);
}

static int
sum_value(const struct evp_decimal *d)
{
	if (evp_decimal_sign(d) == 0)
		return 1;
	unsigned __int128 c = (unsigned __int128)d->hi << 64 | d->lo;
	int digits = 0;
	for (; c > 0; c /= 10)
		digits++;
	return d->exp >= SUM_DIGIT_MIN && d->exp + digits - 1 <= SUM_DIGIT_MAX;
}

static const char *
kind_name(enum evp_tkind k)
{
	return k == EVP_TS_INSTANT ? "an instant" : "a time of day";
}

/* Read each aggregate's value of r into s->val, or say why not. */
static int
read_values(struct evp_summarize *s, const struct evp_rec *r,
    struct evp_verdict *v)
{
	const struct evp_sumspec *sp = s->sp;

	for (size_t i = 0; i < sp->nagg; i++) {
		const struct evp_agg *a = &sp->agg[i];
		struct evp_sumval *sv = &s->val[i];
		if (s->aidx[i] < 0) {
			sv->has = 0;
			continue;
		}
		if (s->share[i] >= 0)
			*sv = s->val[s->share[i]];
		else {
			sv->f = r->f[s->aidx[i]];
			sv->has = sv->f.len > 0;
			if (sv->has && reads_decimal(a) &&
			    evp_decimal_parse(&sv->d, sv->f.p, sv->f.len) < 0) {
				evp_verdict_set(v, "bad_number", "%s: not a "
				    "number: '%.*s'", a->col, EVP_SHOW(&sv->f));
				return -1;
			}
			if (sv->has && reads_time(a) &&
			    evp_tstamp_parse(&sv->t, sv->f.p, sv->f.len) < 0) {
				evp_verdict_set(v, "bad_timestamp", "%s: not a "
				    "timestamp: '%.*s'", a->col,
				    EVP_SHOW(&sv->f));
				return -1;
			}
		}
		if (!sv->has)
			continue;
		if ((a->kind == EVP_AGG_SUM || a->kind == EVP_AGG_MEAN) &&
		    !sum_value(&sv->d)) {
			evp_verdict_set(v, "bad_number", "%s: out of range for "
			    "a sum: '%.*s'", a->col, EVP_SHOW(&sv->f));
			return -1;
		}
		if (reads_time(a) && s->kind[i] != 0 &&
		    sv->t.kind != s->kind[i]) {
			evp_verdict_set(v, "incomparable_timestamps", "%s: %s "
			    "where the first record has %s: '%.*s'", a->col,
			    kind_name(sv->t.kind), kind_name(s->kind[i]),
			    EVP_SHOW(&sv->f));
			return -1;
		}
	}
	return 0;
}

/* JSON holds UTF-8 only: the texts that will be written must be. */
static int
check_utf8(struct evp_summarize *s, const struct evp_rec *r,
    struct evp_verdict *v)
{
	const struct evp_sumspec *sp = s->sp;

	for (size_t i = 0; i < sp->ngcol; i++) {
		const struct evp_str *f = &r->f[s->gidx[i]];
		if (evp_utf8_invalid(f->p, f->len) < f->len) {
			evp_verdict_set(v, "invalid_utf8", "%s: not UTF-8, "
			    "which JSON cannot hold", sp->gcol[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < sp->nagg; i++) {
		const struct evp_sumval *sv = &s->val[i];
		if ((sp->agg[i].kind == EVP_AGG_MIN ||
		    sp->agg[i].kind == EVP_AGG_MAX) &&
		    sp->agg[i].type == EVP_KEY_TEXT && sv->has &&
		    evp_utf8_invalid(sv->f.p, sv->f.len) < sv->f.len) {
			evp_verdict_set(v, "invalid_utf8", "%s: not UTF-8, "
			    "which JSON cannot hold", sp->agg[i].col);
			return -1;
		}
	}
	return 0;
}

/* Is r left out by the window or a list of groups? */
static int
left_out(struct evp_summarize *s, const struct evp_rec *r,
    const struct evp_tstamp *t)
{
	const struct evp_sumspec *sp = s->sp;

	if (s->tidx >= 0 && ((sp->has_from && evp_tstamp_cmp(t, &sp->from) < 0) ||
	    (sp->has_to && evp_tstamp_cmp(t, &sp->to) >= 0)))
		return 1;
	for (size_t i = 0; i < sp->ngcol; i++) {
		int l = sp->listof[i];
		const struct evp_str *f = &r->f[s->gidx[i]];
		if (l >= 0 && evp_map_get(&s->lists[l], f->p, f->len) == NULL)
			return 1;
	}
	return 0;
}

/* The record's group key: see evp_sumkey_split. */
static void
group_key(struct evp_summarize *s, const struct evp_rec *r, int64_t day,
    const char **k, size_t *len)
{
	const struct evp_sumspec *sp = s->sp;

	if (sp->ngcol == 1 && sp->day == NULL) {
		*k = r->f[s->gidx[0]].p;
		*len = r->f[s->gidx[0]].len;
		return;
	}
	evp_buf_reset(&s->key);
	for (size_t i = 0; i < sp->ngcol; i++) {
		const struct evp_str *f = &r->f[s->gidx[i]];
		uint32_t n = (uint32_t)f->len;
		evp_buf_add(&s->key, &n, sizeof(n));
		evp_buf_add(&s->key, f->p, f->len);
	}
	if (sp->day != NULL)
		evp_buf_add(&s->key, &day, sizeof(day));
	*k = s->key.p ? s->key.p : "";
	*len = s->key.len;
}

static int
mm_cmp(const struct evp_agg *a, const struct evp_sumval *sv,
    const struct evp_summm *m)
{
	switch (a->type) {
	case EVP_KEY_NUMBER:
		return evp_decimal_cmp(&sv->d, &m->d);
	case EVP_KEY_TIME:
		return evp_tstamp_cmp(&sv->t, &m->t);
	case EVP_KEY_TEXT:
		break;
	}
	return evp_keycmp(sv->f.p, sv->f.len, m->text, m->len);
}

static void
mm_take(struct evp_summm *m, const struct evp_sumval *sv)
{
	if (sv->f.len > m->cap) {
		m->text = xrealloc(m->text, sv->f.len);
		m->cap = (uint32_t)sv->f.len;
	}
	memcpy(m->text, sv->f.p, sv->f.len);
	m->len = (uint32_t)sv->f.len;
	m->t = sv->t;
	m->d = sv->d;
	m->has = 1;
}

/* Add the record's values to the group whose state is g. */
static void
add(struct evp_summarize *s, unsigned char *g)
{
	const struct evp_sumspec *sp = s->sp;
	uint32_t ref = 0;

	(*(uint64_t *)(void *)g)++;
	for (size_t i = 0; i < sp->nagg; i++) {
		const struct evp_agg *a = &sp->agg[i];
		const struct evp_sumval *sv = &s->val[i];
		unsigned char *st = g + s->off[i];
		if (!sv->has)
			continue;
		switch (a->kind) {
		case EVP_AGG_COUNT:
			break;
		case EVP_AGG_DISTINCT: {
			int created;
			uint32_t ai = (uint32_t)i;
			if (ref == 0)
				ref = evp_map_ref(&s->groups, g) + 1;
			evp_buf_reset(&s->dkey);
			evp_buf_add(&s->dkey, &ref, sizeof(ref));
			evp_buf_add(&s->dkey, &ai, sizeof(ai));
			evp_buf_add(&s->dkey, sv->f.p, sv->f.len);
			evp_map_put(&s->distinct, s->dkey.p, s->dkey.len, 0,
			    &created);
			*(uint64_t *)(void *)st += (uint64_t)created;
			break;
		}
		case EVP_AGG_MIN:
		case EVP_AGG_MAX: {
			struct evp_summm *m = (struct evp_summm *)(void *)st;
			int c = m->has ? mm_cmp(a, sv, m) : 0;
			if (!m->has || (a->kind == EVP_AGG_MIN ? c < 0 : c > 0))
				mm_take(m, sv);
			break;
		}
		case EVP_AGG_SUM:
		case EVP_AGG_MEAN: {
			struct evp_sumacc *acc = (struct evp_sumacc *)(void *)st;
			acc->sum = s->sum[i];
			acc->n++;
			break;
		}
		case EVP_AGG_CHILDREN: {
			const uint64_t *n = evp_map_get(&s->child[i], sv->f.p,
			    sv->f.len);
			if (n != NULL)
				*(uint64_t *)(void *)st += *n;
			break;
		}
		}
	}
}

/* Each sum with the record's value, into s->sum; or sum_overflow. */
static int
new_sums(struct evp_summarize *s, const unsigned char *g,
    struct evp_verdict *v)
{
	const struct evp_sumspec *sp = s->sp;

	for (size_t i = 0; i < sp->nagg; i++) {
		const struct evp_agg *a = &sp->agg[i];
		if ((a->kind != EVP_AGG_SUM && a->kind != EVP_AGG_MEAN) ||
		    !s->val[i].has)
			continue;
		const struct evp_sumacc *acc =
		    (const struct evp_sumacc *)(const void *)(g + s->off[i]);
		if (evp_decimal_add(&s->sum[i], &acc->sum, &s->val[i].d) < 0) {
			evp_verdict_set(v, "sum_overflow", "%s: the group's sum "
			    "would need over %d digits: '%.*s'", a->col,
			    EVP_DECIMAL_DIGITS, EVP_SHOW(&s->val[i].f));
			return -1;
		}
	}
	return 0;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_summarize *s =
	    evp_container_of(sk, struct evp_summarize, st.sink);
	const struct evp_sumspec *sp = s->sp;
	struct evp_verdict v;
	struct evp_tstamp tw = { EVP_TS_INSTANT, 0, 0 }, td;
	int64_t day = 0;

	if (!s->ready)		/* the input lacked a column: nothing to do */
		return 0;
	s->st.count.in++;
	if (s->tidx >= 0 &&
	    evp_tstamp_instant(&tw, &r->f[s->tidx], sp->time, &v) < 0)
		return evp_stage_refuse(&s->st, r, &v);
	if (s->didx >= 0) {
		if (s->didx == s->tidx)
			td = tw;
		else if (evp_tstamp_instant(&td, &r->f[s->didx], sp->day,
		    &v) < 0)
			return evp_stage_refuse(&s->st, r, &v);
		day = evp_tstamp_day(&td);
	}
	if (read_values(s, r, &v) < 0 || (sp->json && check_utf8(s, r, &v) < 0))
		return evp_stage_refuse(&s->st, r, &v);
	/* Checked: the first such record sets the kind of each time value. */
	for (size_t i = 0; i < sp->nagg; i++)
		if (s->kind[i] == 0 && reads_time(&sp->agg[i]) && s->val[i].has)
			s->kind[i] = s->val[i].t.kind;
	if (left_out(s, r, &tw)) {
		s->st.count.filtered++;
		return 0;
	}

	const char *k;
	size_t klen;
	int created;
	group_key(s, r, day, &k, &klen);
	unsigned char *g = evp_map_put(&s->groups, k, klen, s->vsize, &created);
	if (new_sums(s, g, &v) < 0)
		return evp_stage_refuse(&s->st, r, &v);
	add(s, g);
	s->st.count.out++;
	return 0;
}

static int
end(struct evp_sink *sk)
{
	struct evp_summarize *s =
	    evp_container_of(sk, struct evp_summarize, st.sink);

	if (!s->ready)		/* nothing was started: nothing to end */
		return 0;
	if (evp_summarize_emit(s) < 0)
		return -1;
	return evp_sink_end(s->st.out);
}

void
evp_summarize_init(struct evp_summarize *s, const struct evp_sumspec *sp,
    struct evp_rejects *rj, struct evp_sink *out)
{
	size_t na = sp->nagg ? sp->nagg : 1;

	memset(s, 0, sizeof(*s));
	evp_stage_init(&s->st, "summarize", (struct evp_sink){ start, put, end },
	    rj, out);
	s->sp = sp;
	s->didx = s->tidx = -1;
	s->gidx = xcalloc(sp->ngcol ? sp->ngcol : 1, sizeof(*s->gidx));
	s->aidx = xcalloc(na, sizeof(*s->aidx));
	s->share = xcalloc(na, sizeof(*s->share));
	s->kind = xcalloc(na, sizeof(*s->kind));
	s->off = xcalloc(na, sizeof(*s->off));
	s->val = xcalloc(na, sizeof(*s->val));
	s->sum = xcalloc(na, sizeof(*s->sum));
	s->child = xcalloc(na, sizeof(*s->child));
	s->ccount = xcalloc(na, sizeof(*s->ccount));
	s->vsize = sizeof(uint64_t);
	for (size_t i = 0; i < sp->nagg; i++) {
		s->aidx[i] = s->share[i] = -1;
		s->off[i] = s->vsize;
		s->vsize += ROUND8(state_size(&sp->agg[i]));
		if (sp->agg[i].kind == EVP_AGG_CHILDREN)
			evp_map_init(&s->child[i]);
	}
	s->zero = xcalloc(1, s->vsize);
	evp_map_init(&s->groups);
	evp_map_init(&s->distinct);
	s->lists = xcalloc(sp->nlist ? sp->nlist : 1, sizeof(*s->lists));
	for (size_t l = 0; l < sp->nlist; l++) {
		evp_map_init(&s->lists[l]);
		for (size_t j = 0; j < sp->list[l].n; j++) {
			int created;
			uint32_t *at = evp_map_put(&s->lists[l], sp->list[l].v[j].p,
			    sp->list[l].v[j].len, sizeof(*at), &created);
			*at = (uint32_t)j;
		}
	}
	evp_buf_init(&s->key);
	evp_buf_init(&s->dkey);
	evp_buf_init(&s->text);
}

void
evp_summarize_release(struct evp_summarize *s)
{
	const struct evp_sumspec *sp = s->sp;
	size_t pos = 0;
	unsigned char *g;

	while ((g = evp_map_next(&s->groups, &pos)) != NULL)
		for (size_t i = 0; i < sp->nagg; i++)
			if (sp->agg[i].kind == EVP_AGG_MIN ||
			    sp->agg[i].kind == EVP_AGG_MAX)
				free(((struct evp_summm *)(void *)
				    (g + s->off[i]))->text);
	evp_map_release(&s->groups);
	evp_map_release(&s->distinct);
	for (size_t i = 0; i < sp->nagg; i++)
		if (sp->agg[i].kind == EVP_AGG_CHILDREN)
			evp_map_release(&s->child[i]);
	for (size_t l = 0; l < sp->nlist; l++)
		evp_map_release(&s->lists[l]);
	free(s->lists);
	free(s->gidx);
	free(s->aidx);
	free(s->share);
	free(s->kind);
	free(s->off);
	free(s->val);
	free(s->sum);
	free(s->child);
	free(s->ccount);
	free(s->zero);
	evp_buf_release(&s->key);
	evp_buf_release(&s->dkey);
	evp_buf_release(&s->text);
	evp_stage_release(&s->st);
}
