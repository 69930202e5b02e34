#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/tstamp.h"
#include "aep/validate.h"
#include "core/xalloc.h"

enum { PARENT, TS, USER, ADV, PRICE };	/* user side; serving side: ID for PARENT */

static const char *const ucols[] = {
	"parentEventId", "eventTimestamp", "userId", "advertiserId", "price"
};
static const char *const scols[] = {	/* as in EVP_VALIDATE_SERVING */
	"eventId", "eventTimestamp", "userId", "advertiserId", "price"
};

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_validate *v = evp_container_of(sk, struct evp_validate, sink);
	size_t plen = strlen(v->prefix);
	char *pnames[5];
	int rc;

	if (evp_require_columns(h, ucols, v->u, 5) < 0)
		return -1;
	for (int i = 0; i < 5; i++) {
		size_t n = plen + strlen(scols[i]) + 1;
		pnames[i] = xmalloc(n);
		snprintf(pnames[i], n, "%s%s", v->prefix, scols[i]);
	}
	rc = evp_require_columns(h, (const char *const *)pnames, v->s, 5);
	for (int i = 0; i < 5; i++)
		free(pnames[i]);
	if (rc < 0)
		return -1;

	/* The output keeps the columns that are not the serving event's. */
	v->names = xcalloc(h->n, sizeof(*v->names));
	v->proj = xcalloc(h->n, sizeof(*v->proj));
	v->ov = xcalloc(h->n, sizeof(*v->ov));
	size_t n = 0;
	for (size_t i = 0; i < h->n; i++) {
		if (h->name[i].len >= plen && memcmp(h->name[i].p, v->prefix, plen) == 0)
			continue;
		v->names[n] = h->name[i];
		v->proj[n++] = (int)i;
	}
	v->oh = (struct evp_header){ n, v->names, h->at };
	evp_rjmap_init(&v->rjmap, v->rj, h, v->prefix);
	return evp_sink_start(v->out, &v->oh);
}

/* At most 60 bytes of a field in a detail. */
#define SHOW(x)	(int)((x)->len > 60 ? 60 : (x)->len), (x)->p

static int
refuse(struct evp_validate *v, const struct evp_rec *r, struct evp_verdict *vd)
{
	evp_reject(v->rj, &v->count, vd, &r->at, NULL, &v->rjmap, r);
	return 0;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_validate *v = evp_container_of(sk, struct evp_validate, sink);
	const struct evp_str *f = r->f;
	const struct evp_str *uts = &f[v->u[TS]], *sts = &f[v->s[TS]];
	struct evp_tstamp ut, st;

	struct evp_verdict vd;
	const struct evp_str *uu = &f[v->u[USER]], *su = &f[v->s[USER]];

	v->count.in++;
	if (f[v->s[PARENT]].len == 0) {
		evp_verdict_set(&vd, "unknown_parent", "no serving event '%.*s'",
		    SHOW(&f[v->u[PARENT]]));
		return refuse(v, r, &vd);
	}
	if (uu->len == 0 || su->len == 0 || !evp_str_eq(*uu, su->p, su->len)) {
		evp_verdict_set(&vd, "user_mismatch",
		    "userId '%.*s', serving event's '%.*s'", SHOW(uu), SHOW(su));
		return refuse(v, r, &vd);
	}
	if (evp_tstamp_parse(&ut, uts->p, uts->len) < 0) {
		evp_verdict_set(&vd, "bad_timestamp", "not a timestamp: '%.*s'",
		    SHOW(uts));
		return refuse(v, r, &vd);
	}
	if (evp_tstamp_parse(&st, sts->p, sts->len) < 0) {
		evp_verdict_set(&vd, "bad_timestamp",
		    "serving event's timestamp is not one: '%.*s'", SHOW(sts));
		return refuse(v, r, &vd);
	}
	int cmp = evp_tstamp_cmp(&st, &ut);
	if (cmp == 2) {
		evp_verdict_set(&vd, "incomparable_timestamps",
		    "'%.*s' against serving event's '%.*s'", SHOW(uts), SHOW(sts));
		return refuse(v, r, &vd);
	}
	if (cmp >= 0) {
		evp_verdict_set(&vd, "not_after_parent",
		    "'%.*s' is not after serving event's '%.*s'", SHOW(uts), SHOW(sts));
		return refuse(v, r, &vd);
	}

	for (size_t i = 0; i < v->oh.n; i++)
		v->ov[i] = f[v->proj[i]];
	/* Enrichment: the serving event's advertiser and price. */
	for (size_t i = 0; i < v->oh.n; i++) {
		if (v->proj[i] == v->u[ADV])
			v->ov[i] = f[v->s[ADV]];
		else if (v->proj[i] == v->u[PRICE])
			v->ov[i] = f[v->s[PRICE]];
	}
	struct evp_rec o = { v->oh.n, v->ov, r->at };
	v->count.out++;
	return evp_sink_put(v->out, &o);
}

static int
end(struct evp_sink *sk)
{
	struct evp_validate *v = evp_container_of(sk, struct evp_validate, sink);

	return evp_sink_end(v->out);
}

void
evp_validate_init(struct evp_validate *v, const char *prefix,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(v, 0, sizeof(*v));
	v->sink = (struct evp_sink){ start, put, end };
	v->out = out;
	v->rj = rj;
	v->prefix = prefix;
	evp_count_init(&v->count, "validate");
}

void
evp_validate_release(struct evp_validate *v)
{
	evp_rjmap_release(&v->rjmap);
	free(v->names);
	free(v->proj);
	free(v->ov);
	v->proj = NULL;
	v->names = v->ov = NULL;
}
