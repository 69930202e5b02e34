#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "stages/daily.h"
#include "types/decimal.h"
#include "types/tstamp.h"

/* daily's tables, written at the end (stages/daily.h). */

/* The sums' key: a day and a group's number, as bytes. */
void
evp_daily_sumkey(unsigned char *at, int64_t day, uint32_t g)
{
	memcpy(at, &day, 8);
	memcpy(at + 8, &g, 4);
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
			evp_daily_sumkey(at, d->lo + (int64_t)day, gn);
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
int
evp_daily_emit(struct evp_daily *d)
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
