#include <stdlib.h>

#include "aep/classify.h"
#include "types/tstamp.h"

/* The slots of the two outputs in the count (evp_classify_init). */
enum { SERVING, USER };

int
evp_price_ok(const char *s, size_t n)
{
	size_t i = 0, d;

	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return 0;
	if (i == n)
		return 1;
	if (s[i++] != '.')
		return 0;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i > d && i == n;
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_classify *c = evp_container_of(sk, struct evp_classify, st.sink);
	static const char *const need[] = {
		"eventId", "eventTimestamp", "eventType", "parentEventId", "price"
	};
	int idx[5];

	if (evp_require_columns(h, need, idx, 5) < 0)
		return -1;
	c->id = idx[0];
	c->ts = idx[1];
	c->type = idx[2];
	c->parent = idx[3];
	c->price = idx[4];
	evp_stage_map(&c->st, h);
	if (evp_sink_start(c->serving, h) < 0 || evp_sink_start(c->user, h) < 0)
		return -1;
	return 0;
}

/* The output r goes to, or -1 with *v saying why it is refused. */
static int
route(const struct evp_classify *c, const struct evp_str *f,
    struct evp_verdict *v)
{
	struct evp_tstamp t;

	if (f[c->id].len == 0)
		evp_verdict_set(v, "missing_event_id", "eventId is empty");
	else if (f[c->ts].len == 0)
		evp_verdict_set(v, "missing_timestamp", "eventTimestamp is empty");
	else if (evp_tstamp_field(&t, &f[c->ts], NULL, v) < 0)
		return -1;
	else if (f[c->type].len == 0 && f[c->parent].len == 0) {
		if (f[c->price].len == 0 ||
		    evp_price_ok(f[c->price].p, f[c->price].len))
			return SERVING;
		evp_verdict_set(v, "bad_price", "not a non-negative decimal: '%.*s'",
		    EVP_SHOW(&f[c->price]));
	} else if (f[c->type].len == 0)
		evp_verdict_set(v, "parent_without_type",
		    "parentEventId set, eventType empty");
	else if (!evp_str_eqs(f[c->type], "impression") &&
	    !evp_str_eqs(f[c->type], "click"))
		evp_verdict_set(v, "unknown_event_type",
		    "eventType '%.*s' is not impression or click",
		    (int)(f[c->type].len > 40 ? 40 : f[c->type].len), f[c->type].p);
	else if (f[c->parent].len == 0)
		evp_verdict_set(v, "type_without_parent",
		    "eventType set, parentEventId empty");
	else
		return USER;
	return -1;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_classify *c = evp_container_of(sk, struct evp_classify, st.sink);
	struct evp_verdict v;
	int k;

	c->st.count.in++;
	if ((k = route(c, r->f, &v)) < 0)
		return evp_stage_refuse(&c->st, r, &v);
	c->st.count.out++;
	c->st.count.outputs[k].n++;
	return evp_sink_put(k == SERVING ? c->serving : c->user, r);
}

static int
end(struct evp_sink *sk)
{
	struct evp_classify *c = evp_container_of(sk, struct evp_classify, st.sink);

	if (evp_sink_end(c->serving) < 0 || evp_sink_end(c->user) < 0)
		return -1;
	return 0;
}

void
evp_classify_init(struct evp_classify *c, struct evp_rejects *rj,
    struct evp_sink *serving, struct evp_sink *user)
{
	evp_stage_init(&c->st, "classify", (struct evp_sink){ start, put, end },
	    rj, NULL);
	c->serving = serving;
	c->user = user;
	/* Both outputs appear in the summary even when empty, in these slots. */
	evp_count_output(&c->st.count, "serving", 0);
	evp_count_output(&c->st.count, "user", 0);
}

void
evp_classify_release(struct evp_classify *c)
{
	evp_stage_release(&c->st);
}
