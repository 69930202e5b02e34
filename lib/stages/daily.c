#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "stages/daily.h"
#include "types/decimal.h"
#include "types/tstamp.h"

#define DAY	86400

struct kday {
	int64_t		day, seconds;
	uint64_t	count, sessions;
};

struct evp_daily_key {
	struct evp_str	 id, group, *attr;
	int		 flag;
	uint32_t	 gnum;		/* the group's number, as first seen */
	int64_t		 first;
	struct kday	*d;
	size_t		 nd, cap;
};

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

/* The sums' key: a day and a group's number, as bytes. */
static void
sumkey(unsigned char *at, int64_t day, uint32_t g)
{
	memcpy(at, &day, 8);
	memcpy(at + 8, &g, 4);
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
		sumkey(at, day, k->gnum);
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
kday_cmp(const void *a, const void *b)
{
	const struct kday *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

/* Write n as text into t: a field. */
static struct evp_str
num(char *t, int64_t n)
{
	return (struct evp_str){ t, (size_t)snprintf(t, 32, "%lld",
	    (long long)n) };
}

/* The key table: each key's days, then its all-days row. */
static int
key_rows(struct evp_daily *d)
{
	size_t na = d->o.attrs->n, n = na + 6;
	struct evp_str *v = xcalloc(n, sizeof(*v));
	char t[5][32];
	int rc = 0;

	for (size_t i = 0; i < d->nk && rc == 0; i++) {
		struct evp_daily_key *k = &d->k[i];
		struct kday tot = { 0, 0, 0, 0 };
		int64_t lastc = INT64_MIN;
		size_t j = 0;
		qsort(k->d, k->nd, sizeof(*k->d), kday_cmp);
		v[0] = k->id;
		memcpy(v + 2, k->attr, na * sizeof(*v));
		for (int64_t day = k->first; day <= d->hi + 1 && rc == 0; day++) {
			struct kday z = { day, 0, 0, 0 }, *x = &z;
			while (j < k->nd && k->d[j].day < day)
				j++;
			if (day > d->hi)	/* the all-days row */
				x = &tot, day = d->hi;
			else if (j < k->nd && k->d[j].day == day)
				x = &k->d[j];
			if (x != &tot) {
				lastc = x->count > 0 ? day : lastc;
				tot.count += x->count;
				tot.sessions += x->sessions;
				tot.seconds += x->seconds;
				v[1] = (struct evp_str){ t[0],
				    evp_day_format(day, t[0]) };
			} else
				v[1] = (struct evp_str){ "", 0 };
			v[na + 2] = num(t[1], (int64_t)x->count);
			v[na + 3] = lastc == INT64_MIN ? (struct evp_str){ "",
			    0 } : num(t[2], day - lastc);
			v[na + 4] = num(t[3], (int64_t)x->sessions);
			v[na + 5] = num(t[4], x->seconds);
			struct evp_rec r = { n, v, { NULL, 0 }, { NULL, 0 } };
			rc = evp_sink_put(d->st.out, &r);
			if (x == &tot)
				break;
		}
	}
	free(v);
	return rc;
}

struct gagg {
	uint64_t		active, count, flagged, sess, sess_keys, secs_keys;
	int64_t			secs;
	struct evp_decimal	sum;
};

static const struct evp_str *gname_of;	/* for the sort of groups */

static int
group_cmp(const void *a, const void *b)
{
	const struct evp_str *x = &gname_of[*(const uint32_t *)a];
	const struct evp_str *y = &gname_of[*(const uint32_t *)b];
	int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void
add(struct gagg *a, const struct kday *x)
{
	a->active += x->count > 0;
	a->count += x->count;
	a->sess += x->sessions;
	a->sess_keys += x->sessions > 0;
	a->secs += x->seconds;
	a->secs_keys += x->seconds > 0;
}

/* x to two places (empty if it cannot be written). */
static struct evp_str
fixed(char *t, const struct evp_decimal *x)
{
	int n = evp_decimal_format_fixed(t, 64, x, 2);

	return (struct evp_str){ t, n < 0 ? 0 : (size_t)n };
}

/* a / b to two places, or empty when b is 0. */
static struct evp_str
avg(char *t, uint64_t a, uint64_t b)
{
	struct evp_decimal x, y, r;

	if (b == 0)
		return (struct evp_str){ "", 0 };
	evp_decimal_from_int64(&x, (int64_t)a);
	evp_decimal_from_int64(&y, (int64_t)b);
	evp_decimal_div(&r, &x, &y, 2);
	return fixed(t, &r);
}

/* The group table: every day, then all days; all groups, then each. */
static int
group_rows(struct evp_daily *d)
{
	size_t G = d->ngroups + 1, ND = d->any ? (size_t)(d->hi - d->lo + 1) : 0;
	struct gagg *g = xcalloc((ND + 1) * G, sizeof(*g));
	struct evp_str *name = xcalloc(G, sizeof(*name));
	uint32_t *order = xcalloc(G, sizeof(*order));
	int rc = 0;

	for (size_t i = 0; i < d->nk; i++) {
		struct evp_daily_key *k = &d->k[i];
		struct kday tot = { 0, 0, 0, 0 };
		name[k->gnum] = k->group;
		for (size_t j = 0; j < k->nd; j++) {
			size_t at = (size_t)(k->d[j].day - d->lo) * G;
			add(&g[at], &k->d[j]);
			add(&g[at + k->gnum], &k->d[j]);
			tot.count += k->d[j].count;
			tot.sessions += k->d[j].sessions;
			tot.seconds += k->d[j].seconds;
		}
		add(&g[ND * G], &tot);
		add(&g[ND * G + k->gnum], &tot);
		if (k->flag) {
			size_t at = (size_t)(k->first - d->lo) * G;
			g[at].flagged++, g[at + k->gnum].flagged++;
			g[ND * G].flagged++, g[ND * G + k->gnum].flagged++;
		}
	}
	for (size_t day = 0; day < ND; day++)
		for (uint32_t gn = 1; gn < G; gn++) {
			unsigned char at[12];
			sumkey(at, d->lo + (int64_t)day, gn);
			const struct evp_decimal *s = evp_map_get(&d->sums, &at,
			    sizeof(at));
			size_t to[] = { day * G, day * G + gn, ND * G, ND * G + gn };
			for (int i = 0; s != NULL && i < 4; i++)
				evp_decimal_add(&g[to[i]].sum, &g[to[i]].sum, s);
		}
	for (uint32_t i = 0; i < G; i++)
		order[i] = i;
	gname_of = name;
	qsort(order + 1, G - 1, sizeof(*order), group_cmp);
	for (size_t day = 0; day <= ND && rc == 0; day++)
		for (size_t i = 0; i < G && rc == 0; i++) {
			const struct gagg *a = &g[day * G + order[i]];
			struct evp_str v[8];
			char t[7][64];
			v[0] = day < ND ? (struct evp_str){ t[0], evp_day_format(
			    d->lo + (int64_t)day, t[0]) } : (struct evp_str){ "", 0 };
			v[1] = order[i] ? name[order[i]] : (struct evp_str){ "", 0 };
			v[2] = num(t[1], (int64_t)a->active);
			v[3] = num(t[2], (int64_t)a->count);
			v[4] = fixed(t[3], &a->sum);
			v[5] = num(t[4], (int64_t)a->flagged);
			v[6] = avg(t[5], a->sess, a->sess_keys);
			v[7] = avg(t[6], (uint64_t)a->secs, a->secs_keys);
			struct evp_rec r = { 8, v, { NULL, 0 }, { NULL, 0 } };
			rc = evp_sink_put(d->gout, &r);
		}
	free(g);
	free(name);
	free(order);
	return rc;
}

/* Both inputs ended: the headers, then the two tables. */
static int
finish(struct evp_daily *d)
{
	size_t na = d->o.attrs->n;
	struct evp_str *kn = evp_arena_alloc(&d->mem, (na + 6) * sizeof(*kn));
	struct evp_str *gn = evp_arena_alloc(&d->mem, 8 * sizeof(*gn));

	kn[0] = (struct evp_str){ d->o.key, strlen(d->o.key) };
	kn[1] = (struct evp_str){ "date", 4 };
	memcpy(kn + 2, d->o.attrs->name, na * sizeof(*kn));
	memcpy(kn + 2 + na, d->o.knames->name, 4 * sizeof(*kn));
	gn[0] = kn[1];
	gn[1] = (struct evp_str){ d->o.group, strlen(d->o.group) };
	memcpy(gn + 2, d->o.gnames->name, 6 * sizeof(*gn));
	struct evp_header kh = { na + 6, kn, { NULL, 0 }, 0, NULL };
	struct evp_header gh = { 8, gn, { NULL, 0 }, 0, NULL };
	if (evp_sink_start(d->st.out, &kh) < 0 ||
	    evp_sink_start(d->gout, &gh) < 0 || key_rows(d) < 0 ||
	    group_rows(d) < 0 || evp_sink_end(d->st.out) < 0)
		return -1;
	return evp_sink_end(d->gout);
}

static int
ev_end(struct evp_sink *sk)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, st.sink);

	return ++d->ended == 2 ? finish(d) : 0;
}

static int
se_end(struct evp_sink *sk)
{
	struct evp_daily *d = evp_container_of(sk, struct evp_daily, sessions);

	return ++d->ended == 2 ? finish(d) : 0;
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
