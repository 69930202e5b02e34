#include <string.h>

#include "stages/parent.h"

static int
p_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_parent *p = evp_container_of(sk, struct evp_parent, parents);

	if (evp_require_columns(h, &p->o.key, &p->pidx, 1) < 0)
		return -1;
	return evp_sink_start(p->pout, h);
}

static int
p_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_parent *p = evp_container_of(sk, struct evp_parent, parents);
	const struct evp_str *k = &r->f[p->pidx];
	int created;

	if (k->len > 0)
		evp_map_put(&p->keys, k->p, k->len, 1, &created);
	return evp_sink_put(p->pout, r);
}

/* Both sides read: judge the children, then end both outputs. */
static int
finish(struct evp_parent *p)
{
	if (++p->ended < 2)
		return 0;
	if (evp_store_replay(&p->spool, &p->judge, &p->spool.h) < 0)
		return -1;
	return evp_sink_end(p->pout);
}

static int
p_end(struct evp_sink *sk)
{
	return finish(evp_container_of(sk, struct evp_parent, parents));
}

static int
c_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_parent *p = evp_container_of(sk, struct evp_parent, st.sink);

	if (evp_require_columns(h, &p->o.childkey, &p->cidx, 1) < 0)
		return -1;
	return evp_sink_start(&p->spool.sink, h);
}

static int
c_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_parent *p = evp_container_of(sk, struct evp_parent, st.sink);

	p->st.count.in++;
	return evp_sink_put(&p->spool.sink, r);
}

static int
c_end(struct evp_sink *sk)
{
	return finish(evp_container_of(sk, struct evp_parent, st.sink));
}

static int
j_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_parent *p = evp_container_of(sk, struct evp_parent, judge);

	evp_stage_map(&p->st, h);
	return evp_sink_start(p->st.out, h);
}

static int
j_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_parent *p = evp_container_of(sk, struct evp_parent, judge);
	const struct evp_str *k = &r->f[p->cidx];
	struct evp_verdict v;

	if (k->len > 0 && evp_map_get(&p->keys, k->p, k->len) != NULL)
		return evp_stage_pass(&p->st, r);
	evp_verdict_set(&v, p->o.reason ? p->o.reason : "unknown_parent",
	    "%s '%.*s' is no parent's", p->o.childkey, EVP_SHOW(k));
	return evp_stage_refuse(&p->st, r, &v);
}

static int
j_end(struct evp_sink *sk)
{
	struct evp_parent *p = evp_container_of(sk, struct evp_parent, judge);

	return evp_sink_end(p->st.out);
}

void
evp_parent_init(struct evp_parent *p, const struct evp_parent_opts *o,
    struct evp_rejects *rj, struct evp_sink *pout, struct evp_sink *cout)
{
	memset(p, 0, sizeof(*p));
	evp_stage_init(&p->st, "parent", (struct evp_sink){ c_start, c_put,
	    c_end }, rj, cout);
	p->parents = (struct evp_sink){ p_start, p_put, p_end };
	p->judge = (struct evp_sink){ j_start, j_put, j_end };
	p->pout = pout;
	p->o = *o;
	evp_map_init(&p->keys);
	evp_store_init(&p->spool);
}

void
evp_parent_release(struct evp_parent *p)
{
	evp_map_release(&p->keys);
	evp_store_release(&p->spool);
	evp_stage_release(&p->st);
}
