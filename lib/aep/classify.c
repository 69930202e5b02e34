#include <stdlib.h>

#include "aep/classify.h"
#include "core/diag.h"
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
	struct evp_classify *c = evp_container_of(sk, struct evp_classify, sink);
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
	evp_rjmap_release(&c->rjmap);
	evp_rjmap_init(&c->rjmap, c->rj, h, NULL);
	if (evp_sink_start(c->serving, h) < 0 || evp_sink_start(c->user, h) < 0)
		return -1;
	return 0;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_classify *c = evp_container_of(sk, struct evp_classify, sink);
	const struct evp_str *f = r->f;
	struct evp_verdict v;
	struct evp_tstamp t;

	c->count.in++;
	if (f[c->id].len == 0)
		evp_verdict_set(&v, "missing_event_id", "eventId is empty");
	else if (f[c->ts].len == 0)
		evp_verdict_set(&v, "missing_timestamp", "eventTimestamp is empty");
	else if (evp_tstamp_parse(&t, f[c->ts].p, f[c->ts].len) < 0)
		evp_verdict_set(&v, "bad_timestamp", "not a timestamp: '%.*s'",
		    (int)(f[c->ts].len > 60 ? 60 : f[c->ts].len), f[c->ts].p);
	else if (f[c->type].len == 0 && f[c->parent].len == 0) {
		if (evp_price_ok(f[c->price].p, f[c->price].len) ||
		    f[c->price].len == 0) {
			c->count.out++;
			c->count.outputs[SERVING].n++;
			return evp_sink_put(c->serving, r);
		}
		evp_verdict_set(&v, "bad_price", "not a non-negative decimal: '%.*s'",
		    (int)(f[c->price].len > 60 ? 60 : f[c->price].len),
		    f[c->price].p);
	} else if (f[c->type].len == 0)
		evp_verdict_set(&v, "parent_without_type",
		    "parentEventId set, eventType empty");
	else if (!evp_str_eqs(f[c->type], "impression") &&
	    !evp_str_eqs(f[c->type], "click"))
		evp_verdict_set(&v, "unknown_event_type",
		    "eventType '%.*s' is not impression or click",
		    (int)(f[c->type].len > 40 ? 40 : f[c->type].len), f[c->type].p);
	else if (f[c->parent].len == 0)
		evp_verdict_set(&v, "type_without_parent",
		    "eventType set, parentEventId empty");
	else {
		c->count.out++;
		c->count.outputs[USER].n++;
		return evp_sink_put(c->user, r);
	}
	evp_reject(c->rj, &c->count, &v, &r->at, NULL, &c->rjmap, r);
	return 0;
}

static int
end(struct evp_sink *sk)
{
	struct evp_classify *c = evp_container_of(sk, struct evp_classify, sink);

	if (evp_sink_end(c->serving) < 0 || evp_sink_end(c->user) < 0)
		return -1;
	return 0;
}

void
evp_classify_init(struct evp_classify *c, struct evp_rejects *rj,
    struct evp_sink *serving, struct evp_sink *user)
{
	c->sink.start = start;
	c->sink.put = put;
	c->sink.end = end;
	c->serving = serving;
	c->user = user;
	c->rj = rj;
	c->rjmap = (struct evp_rjmap){ 0, NULL, 0 };
	evp_count_init(&c->count, "classify");
	/* Both outputs appear in the summary even when empty, in these slots. */
	evp_count_output(&c->count, "serving", 0);
	evp_count_output(&c->count, "user", 0);
}

void
evp_classify_release(struct evp_classify *c)
{
	evp_rjmap_release(&c->rjmap);
}
