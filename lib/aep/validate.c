#include <stdlib.h>
#include <string.h>

#include "aep/validate.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "types/tstamp.h"

enum { PARENT, TS, USER, ADV, PRICE };	/* user side; serving side: ID for PARENT */

static const char *const ucols[] = {
	"parentEventId", "eventTimestamp", "userId", "advertiserId", "price"
};
static const char *const scols[] = {	/* as in evp_aep_carry */
	"eventId", "eventTimestamp", "userId", "advertiserId", "price"
};

static int
start(struct evp_sink *sk, const struct evp_header *hdr)
{
	struct evp_validate *v = evp_container_of(sk, struct evp_validate, st.sink);
	struct evp_header h = *hdr;

	if (h.carried == 0)
		evp_header_mark_carried(&h, v->prefix);
	/* The user event's columns are the record's own, before the carried. */
	struct evp_header own = h;
	own.n -= h.carried;
	own.carried = 0;
	own.prefix = NULL;
	if (evp_require_columns(&own, ucols, v->u, 5) < 0)
		return -1;
	for (int i = 0; i < 5; i++)
		if ((v->s[i] = evp_header_find_carried(&h, scols[i])) < 0)
			return evp_error(h.at.source, h.at.line,
			    "missing column '%s%s'", h.prefix, scols[i]);
	v->oh = own;
	free(v->ov);
	v->ov = xcalloc(own.n + 1, sizeof(*v->ov));
	evp_stage_map(&v->st, &h);
	return evp_sink_start(v->st.out, &v->oh);
}

/* Why the merged record f is refused, or 0 if it passes a-c. */
static int
check(const struct evp_validate *v, const struct evp_str *f,
    struct evp_verdict *vd)
{
	const struct evp_str *uts = &f[v->u[TS]], *sts = &f[v->s[TS]];
	const struct evp_str *uu = &f[v->u[USER]], *su = &f[v->s[USER]];
	struct evp_tstamp ut, st;

	if (f[v->s[PARENT]].len == 0) {
		evp_verdict_set(vd, "unknown_parent", "no serving event '%.*s'",
		    EVP_SHOW(&f[v->u[PARENT]]));
		return -1;
	}
	if (uu->len == 0 || su->len == 0 || !evp_str_eq(*uu, su->p, su->len)) {
		evp_verdict_set(vd, "user_mismatch",
		    "userId '%.*s', serving event's '%.*s'", EVP_SHOW(uu),
		    EVP_SHOW(su));
		return -1;
	}
	if (evp_tstamp_field(&ut, uts, NULL, vd) < 0 ||
	    evp_tstamp_field(&st, sts, "serving event's timestamp is not one",
	    vd) < 0)
		return -1;
	int cmp = evp_tstamp_cmp(&st, &ut);
	if (cmp == 2) {
		evp_verdict_set(vd, "incomparable_timestamps",
		    "'%.*s' against serving event's '%.*s'", EVP_SHOW(uts),
		    EVP_SHOW(sts));
		return -1;
	}
	if (cmp >= 0) {
		evp_verdict_set(vd, "not_after_parent",
		    "'%.*s' is not after serving event's '%.*s'", EVP_SHOW(uts),
		    EVP_SHOW(sts));
		return -1;
	}
	return 0;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_validate *v = evp_container_of(sk, struct evp_validate, st.sink);
	struct evp_verdict vd;

	v->st.count.in++;
	if (check(v, r->f, &vd) < 0)
		return evp_stage_refuse(&v->st, r, &vd);

	/* Enrichment: the serving event's advertiser and price. */
	memcpy(v->ov, r->f, v->oh.n * sizeof(*v->ov));
	v->ov[v->u[ADV]] = r->f[v->s[ADV]];
	v->ov[v->u[PRICE]] = r->f[v->s[PRICE]];
	struct evp_rec o = { v->oh.n, v->ov, r->at, { NULL, 0 } };
	return evp_stage_pass(&v->st, &o);
}

static int
end(struct evp_sink *sk)
{
	struct evp_validate *v = evp_container_of(sk, struct evp_validate, st.sink);

	return evp_sink_end(v->st.out);
}

void
evp_validate_init(struct evp_validate *v, const char *prefix,
    struct evp_rejects *rj, struct evp_sink *out)
{
	evp_stage_init(&v->st, "validate", (struct evp_sink){ start, put, end },
	    rj, out);
	v->prefix = prefix;
	v->ov = NULL;
}

void
evp_validate_release(struct evp_validate *v)
{
	evp_stage_release(&v->st);
	free(v->ov);
	v->ov = NULL;
}
