#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "stages/daily.h"
#include "types/decimal.h"
#include "types/tstamp.h"

#define DAY	86400

/* The key's day, made when missing. */
static struct kday *
kday(struct evp_daily_key *k, int64_t day)
{
	for (size_t i = k->nd; i-- > 0; )
		if (k->d[i].day == day)
			return &k->d[i];
	if (k->nd == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 8;
		k->d = xrealloc(k->d, k->cap * sizeof(*k->d));
	}
	k->d[k->nd] = (struct kday){ day, 0, 0, 0 };
	return &k->d[k->nd++];
}

static struct evp_daily_key *
find(struct evp_daily *d, const struct evp_str *id)
{
	uint32_t *n = evp_map_get(&d->keys, id->p, id->len);

	return n ? &d->k[*n - 1] : NULL;
}

static int
in(const struct evp_names *l, const struct evp_str *v)
{
	return l != NULL && evp_names_find(l, v->p, v->len) >= 0;
}

static int
ev_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, st.sink);
	const char *c[] = { d->o.key, d->o.time, d->o.type, d->o.group,
	    d->o.flag, d->o.sum };
	int idx[6];

	evp_stage_map(&d->st, h);
	if (evp_require_columns(h, c, idx, 6) < 0 ||
	    evp_require_names(h, d->o.attrs, d->aidx) < 0)
		return -1;
	d->kidx = idx[0], d->tidx = idx[1], d->yidx = idx[2];
	d->gidx = idx[3], d->fidx = idx[4], d->sidx = idx[5];
	return 0;
}

/* The day of field f (an instant), or -1 with the record refused. */
static int
day_of(struct evp_daily *d, const struct evp_rec *r, int i, int64_t *day)
{
	struct evp_tstamp t;
	struct evp_verdict v;

	if (evp_tstamp_instant(&t, d->o.time, &r->f[i], &v) < 0) {
		evp_stage_refuse(&d->st, r, &v);
		return -1;
	}
	*day = evp_tstamp_day(&t);
	return 0;
}

static struct evp_daily_key *
add_key(struct evp_daily *d, const struct evp_rec *r, int64_t day)
{
	const struct evp_str *id = &r->f[d->kidx], *g = &r->f[d->gidx];
	int created;
	uint32_t *n = evp_map_put(&d->keys, id->p, id->len, sizeof(*n),
	    &created);

	if (!created)
		return &d->k[*n - 1];
	if (d->nk == d->capk) {
		d->capk = d->capk ? 2 * d->capk : 256;
		d->k = xrealloc(d->k, d->capk * sizeof(*d->k));
	}
	*n = (uint32_t)++d->nk;
	struct evp_daily_key *k = &d->k[d->nk - 1];
	memset(k, 0, sizeof(*k));
	k->id = (struct evp_str){ evp_arena_dup(&d->mem, id->p, id->len),
	    id->len };
	k->group = (struct evp_str){ evp_arena_dup(&d->mem, g->p, g->len),
	    g->len };
	k->attr = evp_arena_alloc(&d->mem, (d->o.attrs->n + 1) *
	    sizeof(*k->attr));
	for (size_t i = 0; i < d->o.attrs->n; i++) {
		const struct evp_str *a = &r->f[d->aidx[i]];
		k->attr[i] = (struct evp_str){ evp_arena_dup(&d->mem, a->p,
		    a->len), a->len };
	}
	k->flag = r->f[d->fidx].len > 0;
	k->first = day;
	uint32_t *gn = evp_map_put(&d->groups, g->p, g->len, sizeof(*gn),
	    &created);
	if (created)
		*gn = (uint32_t)++d->ngroups;
	k->gnum = *gn;
	return k;
}

static int
ev_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, st.sink);
	struct evp_daily_key *k;
	int64_t day;

	d->st.count.in++;
	if (day_of(d, r, d->tidx, &day) < 0)
		return 0;
	if (in(d->o.first, &r->f[d->yidx]))
		k = add_key(d, r, day);
	else
		k = find(d, &r->f[d->kidx]);
	if (k == NULL) {
		d->st.count.out++;	/* left aside: no first event */
		return 0;
	}
	if (!d->any || day < d->lo)
		d->lo = day;
	if (!d->any || day > d->hi)
		d->hi = day;
	d->any = 1;
	if (in(d->o.count, &r->f[d->yidx]))
		kday(k, day)->count++;
	const struct evp_str *s = &r->f[d->sidx];
	if (s->len > 0) {
		struct evp_decimal x;
		unsigned char at[12];
		struct evp_verdict v;
		evp_daily_sumkey(at, day, k->gnum);
		if (evp_decimal_parse(&x, s->p, s->len) < 0) {
			evp_verdict_set(&v, "bad_number", "%s: '%.*s' is not a "
			    "number", d->o.sum, EVP_SHOW(s));
			return evp_stage_refuse(&d->st, r, &v);
		}
		int created;
		struct evp_decimal *sum = evp_map_put(&d->sums, &at, sizeof(at),
		    sizeof(*sum), &created);
		if (evp_decimal_add(sum, sum, &x) < 0) {
			evp_verdict_set(&v, "bad_number", "%s: the sum does not "
			    "fit in 38 digits", d->o.sum);
			return evp_stage_refuse(&d->st, r, &v);
		}
	}
	d->st.count.out++;
	return 0;
}

static int
se_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, sessions);
	const char *c[] = { d->o.key, "start", "end", "counted" };
	int idx[4];

	if (evp_require_columns(h, c, idx, 4) < 0)
		return -1;
	d->sk = idx[0], d->ss = idx[1], d->se = idx[2], d->sc = idx[3];
	return 0;
}

/* A counted session: one more on its start's day, its seconds per day. */
static int
se_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, sessions);
	struct evp_daily_key *k = find(d, &r->f[d->sk]);
	struct evp_tstamp a, b;

	if (k == NULL || !evp_str_eqs(r->f[d->sc], "true") ||
	    evp_tstamp_parse(&a, r->f[d->ss].p, r->f[d->ss].len) < 0 ||
	    evp_tstamp_parse(&b, r->f[d->se].p, r->f[d->se].len) < 0)
		return 0;
	kday(k, evp_tstamp_day(&a))->sessions++;
	for (int64_t t = a.sec; t < b.sec; ) {
		int64_t day = evp_tstamp_day(&(struct evp_tstamp){ a.kind, t,
		    0 });
		int64_t next = (day + 1) * DAY < b.sec ? (day + 1) * DAY : b.sec;
		kday(k, day)->seconds += next - t;
		t = next;
	}
	return 0;
}

static int
ev_end(struct evp_sink *sk)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, st.sink);

	return ++d->ended == 2 ? evp_daily_emit(d) : 0;
}

static int
se_end(struct evp_sink *sk)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, sessions);

	return ++d->ended == 2 ? evp_daily_emit(d) : 0;
}

int
evp_daily_init(struct evp_daily *d, const struct evp_daily_opts *o,
    struct evp_rejects *rj, struct evp_sink *kout, struct evp_sink *gout)
{
	memset(d, 0, sizeof(*d));
	evp_stage_init(&d->st, "daily", (struct evp_sink){ ev_start, ev_put,
	    ev_end }, rj, kout);
	d->sessions = (struct evp_sink){ se_start, se_put, se_end };
	d->gout = gout;
	d->o = *o;
	evp_map_init(&d->keys);
	evp_map_init(&d->groups);
	evp_map_init(&d->sums);
	evp_arena_init(&d->mem);
	if (o->key == NULL || o->time == NULL || o->type == NULL ||
	    o->group == NULL || o->flag == NULL || o->sum == NULL ||
	    o->attrs == NULL || o->knames == NULL || o->knames->n != 4 ||
	    o->gnames == NULL || o->gnames->n != 6)
		return evp_error(NULL, 0, "daily: key, time, type, group, flag, "
		    "sum and attrs are needed, 4 key and 6 group column names");
	d->aidx = xcalloc(o->attrs->n + 1, sizeof(*d->aidx));
	return 0;
}

void
evp_daily_release(struct evp_daily *d)
{
	for (size_t i = 0; i < d->nk; i++)
		free(d->k[i].d);
	free(d->k);
	free(d->aidx);
	d->k = NULL;
	d->aidx = NULL;
	evp_map_release(&d->keys);
	evp_map_release(&d->groups);
	evp_map_release(&d->sums);
	evp_arena_release(&d->mem);
	evp_stage_release(&d->st);
}
