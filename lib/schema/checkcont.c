/*
 * Checking the keywords about objects (required, properties, pattern and
 * additional properties, names, counts, dependencies, unevaluated ones)
 * and about arrays (items, prefixItems, contains, counts, uniqueness):
 * the containers' part of the walk of check.c.
 */

#include "schema/checkint.h"

static const struct named *
prop(const struct sch *n, struct evp_str key)
{
	for (size_t i = 0; i < n->nprops; i++)
		if (evp_str_eq(key, n->props[i].name.p, n->props[i].name.len))
			return &n->props[i];
	return NULL;
}

/* The keywords about objects. */
int
evp_sc_object(struct evp_sc *c, const struct sch *n, const struct kw *w,
    size_t tok, const struct evp_sc_seg *path, const char *reason)
{
	const struct evp_jdoc *d = c->d;
	size_t size = d->tok[tok].size;

	switch (w->type) {
	case K_REQUIRED:
		for (size_t i = 0; i < w->u.names.n; i++) {
			struct evp_str r = w->u.names.v[i].name;
			if (evp_jdoc_member(d, tok, r.p, r.len, c->a) == 0)
				return evp_sc_fail(c, path, reason, "missing required "
				    "property \"%.*s\"", EVP_SHOW(&r));
		}
		return 0;
	case K_MINPROPS:
		return size >= w->u.count ? 0 : evp_sc_fail(c, path, reason,
		    "fewer than minProperties %llu properties",
		    (unsigned long long)w->u.count);
	case K_MAXPROPS:
		return size <= w->u.count ? 0 : evp_sc_fail(c, path, reason,
		    "more than maxProperties %llu properties",
		    (unsigned long long)w->u.count);
	case K_DEPREQ:
	case K_DEPSCHEMAS:
		for (size_t i = 0; i < w->u.names.n; i++) {
			const struct named *e = &w->u.names.v[i];
			if (evp_jdoc_member(d, tok, e->name.p, e->name.len,
			    c->a) == 0)
				continue;
			if (e->sub != NULL && evp_sc_eval(c, e->sub, tok, path, reason,
			    NULL) < 0)
				return -1;
			for (size_t j = 0; j < e->nlist; j++)
				if (evp_jdoc_member(d, tok, e->list[j].p,
				    e->list[j].len, c->a) == 0)
					return evp_sc_fail(c, path, reason, "property "
					    "\"%.*s\" requires property \"%.*s\"",
					    EVP_SHOW(&e->name), EVP_SHOW(&e->list[j]));
		}
		return 0;
	default:
		break;
	}
	/* The applicators, member by member. */
	for (size_t m = 0, k = tok + 1; m < size; m++, k = d->tok[k + 1].next) {
		struct evp_sc_seg at = { path, k, 0 };
		struct evp_str key = evp_jdoc_str(d, k, c->a);
		const struct named *p;
		int r;
		switch (w->type) {
		case K_PROPERTIES:
			if ((p = prop(n, key)) != NULL && evp_sc_eval(c, p->sub, k + 1,
			    &at, reason, "property not allowed") < 0)
				return -1;
			break;
		case K_PATTERNPROPS:
			for (size_t i = 0; i < n->npprops; i++) {
				if ((r = evp_sc_match(c, &n->pprops[i].re, k, &at,
				    reason)) < 0)
					return -1;
				if (r && evp_sc_eval(c, n->pprops[i].sub, k + 1, &at,
				    reason, "property not allowed") < 0)
					return -1;
			}
			break;
		case K_ADDPROPS:
			if (prop(n, key) != NULL)
				break;
			r = 0;
			for (size_t i = 0; i < n->npprops && r == 0; i++)
				if ((r = evp_sc_match(c, &n->pprops[i].re, k, &at,
				    reason)) < 0)
					return -1;
			if (r == 0 && evp_sc_eval(c, n->addprops, k + 1, &at, reason,
			    "additional property not allowed") < 0)
				return -1;
			break;
		default:	/* K_PROPNAMES */
			if (evp_sc_eval(c, w->u.sub, k, &at, reason,
			    "property name not allowed") < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* The keywords about arrays. */
int
evp_sc_array(struct evp_sc *c, const struct sch *n, const struct kw *w,
    size_t tok, const struct evp_sc_seg *path, const char *reason)
{
	const struct evp_jdoc *d = c->d;
	size_t size = d->tok[tok].size;
	uint64_t hits = 0;

	switch (w->type) {
	case K_MINITEMS:
		return size >= w->u.count ? 0 : evp_sc_fail(c, path, reason,
		    "fewer than minItems %llu items",
		    (unsigned long long)w->u.count);
	case K_MAXITEMS:
		return size <= w->u.count ? 0 : evp_sc_fail(c, path, reason,
		    "more than maxItems %llu items",
		    (unsigned long long)w->u.count);
	case K_UNIQUE:
		for (size_t i = 0, a = tok + 1; i < size; i++, a = d->tok[a].next)
			for (size_t j = i + 1, b = d->tok[a].next; j < size;
			    j++, b = d->tok[b].next)
				if (evp_schema_json_eq(d, a, d, b, c->a))
					return evp_sc_fail(c, path, reason, "items %zu "
					    "and %zu are equal (uniqueItems)", i, j);
		return 0;
	default:
		break;
	}
	for (size_t i = 0, e = tok + 1; i < size; i++, e = d->tok[e].next) {
		struct evp_sc_seg at = { path, 0, i };
		if (w->type == K_CONTAINS) {
			if (evp_sc_valid(c, n->contains, e, &at))
				hits++;
			if (hits > n->maxcontains)
				break;
		} else if (i < n->nprefix) {
			if (evp_sc_eval(c, n->prefix[i], e, &at, reason,
			    "item not allowed") < 0)
				return -1;
		} else if (n->items == NULL)
			break;
		else if (evp_sc_eval(c, n->items, e, &at, reason,
		    "additional item not allowed") < 0)
			return -1;
	}
	if (w->type != K_CONTAINS)
		return 0;
	if (hits < n->mincontains)
		return n->mincontains == 1 ?
		    evp_sc_fail(c, path, reason, "no item matches contains") :
		    evp_sc_fail(c, path, reason, "fewer than minContains %llu items "
		    "match contains", (unsigned long long)n->mincontains);
	if (hits > n->maxcontains)
		return evp_sc_fail(c, path, reason, "more than maxContains %llu items "
		    "match contains", (unsigned long long)n->maxcontains);
	return 0;
}
