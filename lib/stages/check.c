#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/xalloc.h"
#include "schema/jsonschema.h"
#include "stages/check.h"
#include "types/int.h"

enum kind { SCHEMA, FUTURE, WINDOW, MEMBER };

struct evp_check_item {
	enum kind		 kind;
	const char		*col;
	int			 idx;
	struct evp_schema	*schema;
	struct evp_map		 set;		/* member: the listed values */
	const char		*reason;
	int			 skip;		/* its file was not given */
};

/* Read a list file: one value a line, line ends removed, blank ones skipped. */
static int
read_list(struct evp_check_item *it, const char *path)
{
	struct evp_input in;
	struct evp_line l;
	int rc, created;

	if (evp_input_open(&in, path, 0) < 0)
		return -1;
	while ((rc = evp_input_line(&in, &l)) > 0)
		if (!evp_line_blank(&l))
			evp_map_put(&it->set, l.p, l.len, 1, &created);
	evp_input_close(&in);
	return rc;
}

static int
read_schema(struct evp_check_item *it, const char *path)
{
	struct evp_input in;
	struct evp_line l;
	struct evp_buf b = EVP_BUF_INIT;
	char err[256];
	int rc;

	/* Schemas are text files: read through the input layer, BOM and all. */
	if (evp_input_open(&in, path, 0) < 0)
		return -1;
	while ((rc = evp_input_line(&in, &l)) > 0) {
		evp_buf_add(&b, l.p, l.len);
		evp_buf_addc(&b, '\n');
	}
	evp_input_close(&in);
	if (rc == 0) {
		it->schema = evp_schema_load(b.p ? b.p : "", b.len, path, 0, err,
		    sizeof(err));
		if (it->schema == NULL)
			rc = evp_error(NULL, 0, "%s", err);
	}
	evp_buf_release(&b);
	return rc;
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_check *c = evp_container_of(sk, struct evp_check, st.sink);

	for (size_t i = 0; i < c->o.n; i++) {
		struct evp_check_item *it = &c->items[i];
		if (it->col != NULL &&
		    evp_require_columns(h, &it->col, &it->idx, 1) < 0)
			return -1;
	}
	if (c->o.route != NULL && evp_require_names(h, &c->rcols, c->ridx) < 0)
		return -1;
	evp_stage_map(&c->st, h);
	c->h = h;
	if (c->o.route == NULL)
		return evp_sink_start(c->st.out, h);
	for (size_t i = 0; i < c->o.nroutes; i++)
		if (evp_sink_start(c->o.outs[i], h) < 0)
			return -1;
	return 0;
}

/*
 * Is f a whole number of epoch seconds that no timestamp reaches
 * (negative, or past the year 9999)?  Such a time is outside any window.
 */
static int
beyond(const struct evp_str *f)
{
	struct evp_tstamp t;
	int64_t i;

	return evp_parse_int64(f->p, f->len, &i) == 0 &&
	    evp_tstamp_parse(&t, f->p, f->len) < 0;
}

/* Run one check on r: 0, or -1 with *v set. */
static int
check_one(struct evp_check *c, const struct evp_check_item *it,
    const struct evp_header *h, const struct evp_rec *r,
    struct evp_verdict *v)
{
	const struct evp_str *f = it->col ? &r->f[it->idx] : NULL;
	struct evp_tstamp t;

	switch (it->kind) {
	case SCHEMA:
		if (r->json.len > 0) {
			struct evp_jdoc d;
			if (evp_json_parse(&d, r->json.p, r->json.len, 256,
			    EVP_JSON_NO_NUL, &c->scratch, v) < 0)
				return -1;
			return evp_schema_check(it->schema, &d, 0, &c->scratch, v);
		}
		return evp_schema_check_fields(it->schema, h, r, &c->scratch, v);
	case FUTURE:
		if (evp_tstamp_instant(&t, it->col, f, v) < 0)
			return -1;
		if (evp_tstamp_cmp(&t, &c->o.now) > 0) {
			evp_verdict_set(v, "future_timestamp", "%s '%.*s' is after "
			    "the run's now", it->col, EVP_SHOW(f));
			return -1;
		}
		return 0;
	case WINDOW:
		if (beyond(f)) {
			evp_verdict_set(v, "out_of_window", "%s '%.*s' is outside "
			    "the window", it->col, EVP_SHOW(f));
			return -1;
		}
		if (evp_tstamp_instant(&t, it->col, f, v) < 0)
			return -1;
		if ((c->o.has_since && evp_tstamp_cmp(&t, &c->o.since) < 0) ||
		    (c->o.has_until && evp_tstamp_cmp(&t, &c->o.until) >= 0)) {
			evp_verdict_set(v, "out_of_window", "%s '%.*s' is outside "
			    "the window", it->col, EVP_SHOW(f));
			return -1;
		}
		return 0;
	case MEMBER:
		if (f->len > 0 && evp_map_get(&it->set, f->p, f->len) != NULL)
			return 0;
		evp_verdict_set(v, it->reason, f->len ? "%s '%.*s' is not listed" :
		    "%s is empty%.*s", it->col, EVP_SHOW(f));
		return -1;
	}
	return 0;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_check *c = evp_container_of(sk, struct evp_check, st.sink);
	struct evp_verdict v;

	c->st.count.in++;
	evp_arena_reset(&c->scratch);
	for (size_t i = 0; i < c->o.n; i++)
		if (!c->items[i].skip && check_one(c, &c->items[i], c->h, r, &v) < 0)
			return evp_stage_refuse(&c->st, r, &v);
	if (c->o.route == NULL)
		return evp_stage_pass(&c->st, r);
	for (size_t i = 0; i < c->o.nroutes; i++) {
		size_t k = 0;
		while (k < c->rcols.n &&
		    evp_str_eqs(r->f[c->ridx[k]], c->rvals[i].name[k].p))
			k++;
		if (k == c->rcols.n) {
			c->st.count.out++;
			c->st.count.outputs[i].n++;
			return evp_sink_put(c->o.outs[i], r);
		}
	}
	const struct evp_str *rv = &r->f[c->ridx[0]];
	if (c->rcols.n == 1)
		evp_verdict_set(&v, c->o.route_reason ? c->o.route_reason :
		    "unknown_route", "%s '%.*s' is none of the routes",
		    c->o.route, EVP_SHOW(rv));
	else
		evp_verdict_set(&v, c->o.route_reason ? c->o.route_reason :
		    "unknown_route", "%s: the values are none of the routes'",
		    c->o.route);
	return evp_stage_refuse(&c->st, r, &v);
}

static int
end(struct evp_sink *sk)
{
	struct evp_check *c = evp_container_of(sk, struct evp_check, st.sink);

	if (c->o.route == NULL)
		return evp_sink_end(c->st.out);
	for (size_t i = 0; i < c->o.nroutes; i++)
		if (evp_sink_end(c->o.outs[i]) < 0)
			return -1;
	return 0;
}

int
evp_check_init(struct evp_check *c, const struct evp_check_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(c, 0, sizeof(*c));
	evp_stage_init(&c->st, "check", (struct evp_sink){ start, put, end },
	    rj, out);
	c->o = *o;
	evp_arena_init(&c->scratch);
	c->items = xcalloc(o->n ? o->n : 1, sizeof(*c->items));
	int rc = 0;
	if (o->route != NULL) {
		if (evp_names_parse(&c->rcols, o->route) < 0)
			return evp_error(NULL, 0, "route: an empty column name");
		c->ridx = xcalloc(c->rcols.n, sizeof(*c->ridx));
		c->rvals = xcalloc(o->nroutes + 1, sizeof(*c->rvals));
	}
	for (size_t i = 0; i < o->nroutes; i++) {
		evp_count_output(&c->st.count, o->values[i], 0);
		/* "" is one empty value, as "a,b" is two. */
		struct evp_names *nv = &c->rvals[i];
		if (o->values[i][0] == '\0') {
			nv->n = 1;
			nv->name = xcalloc(1, sizeof(*nv->name));
			nv->name[0] = (struct evp_str){ "", 0 };
		} else if (evp_names_parse(nv, o->values[i]) < 0)
			nv->n = 0;
		if (nv->n != c->rcols.n)
			return evp_error(NULL, 0, "route '%s': %zu values for %zu "
			    "columns (%s)", o->values[i], nv->n, c->rcols.n,
			    o->route);
	}
	for (size_t i = 0; i < o->n && rc == 0; i++) {
		const struct evp_check_spec *s = &o->specs[i];
		struct evp_check_item *it = &c->items[i];
		evp_map_init(&it->set);
		it->kind = strcmp(s->kind, "schema") == 0 ? SCHEMA :
		    strcmp(s->kind, "future") == 0 ? FUTURE :
		    strcmp(s->kind, "window") == 0 ? WINDOW : MEMBER;
		it->col = s->column;
		it->reason = s->reason ? s->reason : "not_listed";
		if (s->file == NULL && (it->kind == SCHEMA || it->kind == MEMBER)) {
			it->skip = 1;
			continue;
		}
		rc = it->kind == SCHEMA ? read_schema(it, s->file) :
		    it->kind == MEMBER ? read_list(it, s->file) : 0;
	}
	return rc < 0 ? -1 : 0;
}

void
evp_check_release(struct evp_check *c)
{
	for (size_t i = 0; i < c->o.n; i++) {
		evp_schema_free(c->items[i].schema);
		evp_map_release(&c->items[i].set);
	}
	free(c->items);
	c->items = NULL;
	for (size_t i = 0; c->rvals != NULL && i < c->o.nroutes; i++)
		if (c->rvals[i].mem != NULL)
			evp_names_free(&c->rvals[i]);
		else
			free(c->rvals[i].name);
	free(c->rvals);
	free(c->ridx);
	evp_names_free(&c->rcols);
	evp_arena_release(&c->scratch);
	evp_stage_release(&c->st);
}
