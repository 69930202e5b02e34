/*
 * summarize's aggregates, record by record: each one's value read from
 * a record, checked, and added to a group's state.
 */

#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"
#include "stages/summarize.h"

/* A sum's values: no digit past 10^-40 nor from 10^40 up (plain text). */
#define SUM_DIGIT_MIN	-40
#define SUM_DIGIT_MAX	39

/* Can d be summed?  Its text then fits the plain digits of a sum. */
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
int
evp_sumagg_read(struct evp_summarize *s, const struct evp_rec *r,
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
			if (sv->has && evp_agg_reads_decimal(a) &&
			    evp_decimal_parse(&sv->d, sv->f.p, sv->f.len) < 0) {
				evp_verdict_set(v, "bad_number", "%s: not a "
				    "number: '%.*s'", a->col, EVP_SHOW(&sv->f));
				return -1;
			}
			if (sv->has && evp_agg_reads_time(a) &&
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
		if (evp_agg_reads_time(a) && s->kind[i] != 0 &&
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
int
evp_sumagg_utf8(struct evp_summarize *s, const struct evp_rec *r,
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

/* Do the oldest lookup waiting. */
static void
resolve(struct evp_summarize *s)
{
	struct evp_sumpend *p = &s->pend[s->pendat];
	const uint64_t *n = evp_map_get_h(&s->child[p->agg], p->h, p->key,
	    p->len);

	if (n != NULL)
		*(uint64_t *)(void *)((unsigned char *)evp_map_at(&s->groups,
		    p->ref) + s->off[p->agg]) += *n;
	s->pendat = (s->pendat + 1) % EVP_SUM_AHEAD;
	s->npend--;
}

void
evp_sumagg_flush(struct evp_summarize *s)
{
	while (s->npend > 0)
		resolve(s);
}

/* Add the children of key k, aggregate i, to the group g: soon. */
static void
children(struct evp_summarize *s, unsigned char *g, size_t i,
    const struct evp_str *k)
{
	uint64_t h = evp_hash(k->p, k->len);

	if (k->len > EVP_SUM_KEYMAX) {
		const uint64_t *n = evp_map_get_h(&s->child[i], h, k->p, k->len);
		if (n != NULL)
			*(uint64_t *)(void *)(g + s->off[i]) += *n;
		return;
	}
	if (s->npend == EVP_SUM_AHEAD)
		resolve(s);
	struct evp_sumpend *p =
	    &s->pend[(s->pendat + s->npend++) % EVP_SUM_AHEAD];
	p->h = h;
	p->ref = evp_map_ref(&s->groups, g);
	p->agg = (uint32_t)i;
	p->len = k->len;
	memcpy(p->key, k->p, k->len);
	evp_map_prefetch(&s->child[i], h);
}

/* Add the record's values to the group whose state is g. */
void
evp_sumagg_add(struct evp_summarize *s, unsigned char *g)
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
		case EVP_AGG_CHILDREN:
			children(s, g, i, &sv->f);
			break;
		}
	}
}

/* Each sum with the record's value, into s->sum; or sum_overflow. */
int
evp_sumagg_sums(struct evp_summarize *s, const unsigned char *g,
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

