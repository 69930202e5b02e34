#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "stages/filter.h"

int
evp_filter_eq_parse(struct evp_filter_eq *e, const char *s)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s)
		return -1;
	e->col = xmemdup(s, (size_t)(eq - s));
	e->value = eq + 1;
	e->len = strlen(eq + 1);
	return 0;
}

/* The column's entry in f->cols, made if new. */
static struct evp_filter_col *
col_of(struct evp_filter *f, const char *name)
{
	for (size_t i = 0; i < f->ncols; i++)
		if (strcmp(f->cols[i].col, name) == 0)
			return &f->cols[i];
	f->cols = xrealloc(f->cols, (f->ncols + 1) * sizeof(*f->cols));
	f->cols[f->ncols] = (struct evp_filter_col){ name, -1, 0, NULL };
	return &f->cols[f->ncols++];
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_filter *f = evp_container_of(sk, struct evp_filter, st.sink);

	for (size_t i = 0; i < f->ncols; i++)
		if (evp_require_columns(h, &f->cols[i].col, &f->cols[i].idx,
		    1) < 0)
			return -1;
	f->tidx = -1;
	if (f->o.time != NULL &&
	    evp_require_columns(h, &f->o.time, &f->tidx, 1) < 0)
		return -1;
	evp_stage_map(&f->st, h);
	return evp_sink_start(f->st.out, h);
}

/* Does the record hold one of the values asked of each column? */
static int
matches(const struct evp_filter *f, const struct evp_rec *r)
{
	for (size_t i = 0; i < f->ncols; i++) {
		const struct evp_filter_col *c = &f->cols[i];
		const struct evp_str *v = &r->f[c->idx];
		size_t j = 0;
		while (j < c->n && !evp_str_eq(*v, c->v[j]->value, c->v[j]->len))
			j++;
		if (j == c->n)
			return 0;
	}
	return 1;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_filter *f = evp_container_of(sk, struct evp_filter, st.sink);
	struct evp_tstamp t;
	struct evp_verdict v;

	f->st.count.in++;
	if (f->tidx >= 0 &&
	    evp_tstamp_instant(&t, f->o.time, &r->f[f->tidx], &v) < 0)
		return evp_stage_refuse(&f->st, r, &v);
	if (!matches(f, r) || (f->tidx >= 0 &&
	    ((f->o.has_from && evp_tstamp_cmp(&t, &f->o.from) < 0) ||
	    (f->o.has_to && evp_tstamp_cmp(&t, &f->o.to) >= 0)))) {
		f->st.count.filtered++;
		return 0;
	}
	return evp_stage_pass(&f->st, r);
}

static int
end(struct evp_sink *sk)
{
	struct evp_filter *f = evp_container_of(sk, struct evp_filter, st.sink);

	return evp_sink_end(f->st.out);
}

void
evp_filter_init(struct evp_filter *f, const struct evp_filter_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(f, 0, sizeof(*f));
	evp_stage_init(&f->st, "filter", (struct evp_sink){ start, put, end },
	    rj, out);
	f->o = *o;
	f->tidx = -1;
	for (size_t i = 0; i < o->neq; i++) {
		struct evp_filter_col *c = col_of(f, o->eq[i].col);
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
		c->v[c->n++] = &o->eq[i];
	}
}

void
evp_filter_release(struct evp_filter *f)
{
	for (size_t i = 0; i < f->ncols; i++)
		free(f->cols[i].v);
	free(f->cols);
	f->cols = NULL;
	f->ncols = 0;
	evp_stage_release(&f->st);
}
