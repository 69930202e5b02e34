#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "stages/project.h"
#include "types/decimal.h"

enum kind { COPY, NUMBER, PRODUCT };

struct evp_project_col {
	enum kind	 kind;
	const char	*a, *b;		/* the input columns */
	int		 ia, ib;
};

/* Split one spec "NAME[=COL[:number]|=A*B]" (s is the list's copy). */
static int
parse(struct evp_project_col *c, char *s, struct evp_str *name)
{
	char *eq = strchr(s, '=');

	*name = (struct evp_str){ s, eq ? (size_t)(eq - s) : strlen(s) };
	c->kind = COPY;
	c->a = s;
	c->b = NULL;
	if (eq == NULL)
		return name->len > 0 ? 0 : -1;
	*eq = '\0';
	c->a = eq + 1;
	char *star = strchr(c->a, '*'), *colon = strrchr(c->a, ':');
	if (star != NULL) {
		*star = '\0';
		c->kind = PRODUCT;
		c->b = star + 1;
		if (*c->b == '\0')
			return -1;
	} else if (colon != NULL && strcmp(colon, ":number") == 0) {
		*colon = '\0';
		c->kind = NUMBER;
	}
	return name->len > 0 && *c->a != '\0' ? 0 : -1;
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_project *p = evp_container_of(sk, struct evp_project, st.sink);

	evp_stage_map(&p->st, h);
	for (size_t i = 0; i < p->spec.n; i++) {
		struct evp_project_col *c = &p->col[i];
		if (evp_require_columns(h, &c->a, &c->ia, 1) < 0 ||
		    (c->b != NULL && evp_require_columns(h, &c->b, &c->ib, 1) < 0))
			return -1;
	}
	if (p->wcol != NULL) {
		const char *w = p->wcol;
		if (evp_require_columns(h, &w, &p->widx, 1) < 0)
			return -1;
	}
	p->oh = (struct evp_header){ p->spec.n, p->name, h->at, 0, NULL };
	return evp_sink_start(p->st.out, &p->oh);
}

/* Read field f of r as a decimal into x: 0, 1 when empty, or -1. */
static int
number(const struct evp_rec *r, int i, struct evp_decimal *x)
{
	if (r->f[i].len == 0)
		return 1;
	return evp_decimal_parse(x, r->f[i].p, r->f[i].len);
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_project *p = evp_container_of(sk, struct evp_project, st.sink);
	size_t at[64], n = p->spec.n;

	if (p->wcol != NULL && !evp_str_eq(r->f[p->widx], p->wval.p,
	    p->wval.len))
		return 0;
	p->st.count.in++;
	evp_buf_reset(&p->num);
	for (size_t i = 0; i < n; i++) {
		const struct evp_project_col *c = &p->col[i];
		struct evp_decimal x, y;
		int e;
		p->out[i] = r->f[c->ia];
		if (c->kind == COPY)
			continue;
		e = number(r, c->ia, &x);
		if (e == 0 && c->kind == PRODUCT) {
			e = number(r, c->ib, &y);
			if (e == 0 && evp_decimal_mul(&x, &x, &y) < 0)
				e = -1;
		}
		char b[96];
		int len = e == 0 ? evp_decimal_format(b, sizeof(b), &x) : 0;
		if (e < 0 || len < 0) {
			struct evp_verdict v;
			const struct evp_str *f = &r->f[c->ia];
			if (c->kind == PRODUCT && number(r, c->ia, &x) == 0)
				f = &r->f[c->ib];
			evp_verdict_set(&v, "bad_number", "%s: '%.*s' is not a "
			    "number (or the product is too long)", p->name[i].p,
			    EVP_SHOW(f));
			return evp_stage_refuse(&p->st, r, &v);
		}
		at[i] = SIZE_MAX;
		if (e == 0) {
			at[i] = p->num.len;
			evp_buf_add(&p->num, b, (size_t)len);
		} else
			p->out[i] = (struct evp_str){ "", 0 };
	}
	/* The numbers' text, placed once the buffer stops moving. */
	for (size_t i = 0, j = 0; i < n; i++) {
		if (p->col[i].kind == COPY || at[i] == SIZE_MAX)
			continue;
		size_t end = p->num.len;
		for (j = i + 1; j < n; j++)
			if (p->col[j].kind != COPY && at[j] != SIZE_MAX) {
				end = at[j];
				break;
			}
		p->out[i] = (struct evp_str){ p->num.p + at[i], end - at[i] };
	}
	struct evp_rec o = { n, p->out, r->at, { NULL, 0 } };
	p->written++;
	return evp_stage_pass(&p->st, &o);
}

static int
end(struct evp_sink *sk)
{
	struct evp_project *p = evp_container_of(sk, struct evp_project, st.sink);

	return evp_sink_end(p->st.out);
}

int
evp_project_init(struct evp_project *p, const struct evp_project_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(p, 0, sizeof(*p));
	evp_stage_init(&p->st, "project", (struct evp_sink){ start, put, end },
	    rj, out);
	p->o = *o;
	p->widx = -1;
	if (evp_names_parse(&p->spec, o->columns) < 0 || p->spec.n > 64)
		return evp_error(NULL, 0, "project: bad column list '%s'",
		    o->columns);
	p->col = xcalloc(p->spec.n, sizeof(*p->col));
	p->name = xcalloc(p->spec.n, sizeof(*p->name));
	p->out = xcalloc(p->spec.n, sizeof(*p->out));
	for (size_t i = 0; i < p->spec.n; i++)
		if (parse(&p->col[i], (char *)p->spec.name[i].p, &p->name[i]) < 0)
			return evp_error(NULL, 0, "project: bad column '%s'",
			    p->spec.name[i].p);
	if (o->when != NULL) {
		const char *eq = strchr(o->when, '=');
		if (eq == NULL || eq == o->when)
			return evp_error(NULL, 0, "project: the condition '%s' "
			    "is not COL=VALUE", o->when);
		p->wcol = xmemdup(o->when, (size_t)(eq - o->when));
		p->wval = (struct evp_str){ eq + 1, strlen(eq + 1) };
	}
	return 0;
}

void
evp_project_release(struct evp_project *p)
{
	evp_stage_release(&p->st);
	evp_names_free(&p->spec);
	evp_buf_release(&p->num);
	free(p->col);
	free(p->name);
	free(p->out);
	free(p->wcol);
	p->wcol = NULL;
	p->col = NULL;
	p->name = p->out = NULL;
}
