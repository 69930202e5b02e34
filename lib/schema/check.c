/*
 * Checking an instance against a compiled schema.  The walk stops at the
 * first keyword that fails, in schema-text order, and reports only that
 * one; the applicators that must try several subschemas (anyOf, oneOf,
 * not, if, contains) try them quietly and report themselves.  The
 * instance's JSON pointer is a chain of frames on the C stack, written
 * out only for the failure.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "schema/compiled.h"

#define DEFAULT_REASON	"schema_violation"

struct seg {
	const struct seg	*up;
	size_t			 key;	/* an object member's key token, or 0 */
	size_t			 index;	/* else an array index */
};

struct ctx {
	const struct evp_schema	*s;
	const struct evp_jdoc	*d;
	struct evp_arena	*a;
	struct evp_verdict	*v;
	int			 quiet;	/* > 0: trying, not reporting */
	pcre2_match_data	*md;
};

static int eval(struct ctx *c, const struct sch *n, size_t tok,
    const struct seg *path, const char *reason, const char *nomsg);

/* Append the JSON pointer of path to b (at most size bytes with NUL). */
static size_t
pointer(struct ctx *c, const struct seg *path, char *b, size_t size)
{
	const struct seg *chain[32];
	size_t n = 0, o = 0;
	const struct seg *p;

	/* The deepest frames say most; "/..." stands for those above. */
	for (p = path; p != NULL && n < sizeof(chain) / sizeof(chain[0]);
	    p = p->up)
		chain[n++] = p;
	if (n == 0)
		return (size_t)snprintf(b, size, "/");
	if (p != NULL)
		o = (size_t)snprintf(b, size, "/...");
	while (n-- > 0 && o + 1 < size) {
		char num[24];
		struct evp_str k;
		if (chain[n]->key != 0)
			k = evp_jdoc_str(c->d, chain[n]->key, c->a);
		else {
			snprintf(num, sizeof(num), "%zu", chain[n]->index);
			k = (struct evp_str){ num, strlen(num) };
		}
		b[o++] = '/';
		for (size_t i = 0; i < k.len && o + 3 < size; i++) {
			if (k.p[i] == '~' || k.p[i] == '/') {
				b[o++] = '~';
				b[o++] = k.p[i] == '~' ? '0' : '1';
			} else
				b[o++] = k.p[i];
		}
	}
	b[o < size ? o : size - 1] = '\0';
	return o;
}

static int
fail(struct ctx *c, const struct seg *path, const char *reason,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct ctx *c, const struct seg *path, const char *reason,
    const char *fmt, ...)
{
	char where[EVP_DETAIL_MAX], what[EVP_DETAIL_MAX];
	va_list ap;

	if (c->quiet > 0)
		return -1;
	pointer(c, path, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	evp_verdict_set(c->v, reason, "%s: %s", where, what);
	return -1;
}

/* Try n quietly: 1 if the instance is valid, else 0. */
static int
valid(struct ctx *c, const struct sch *n, size_t tok, const struct seg *path)
{
	int rc;

	c->quiet++;
	rc = eval(c, n, tok, path, DEFAULT_REASON, NULL);
	c->quiet--;
	return rc == 0;
}

static unsigned
type_of(struct ctx *c, size_t tok)
{
	struct evp_decimal x;

	switch (c->d->tok[tok].type) {
	case EVP_JSON_OBJECT:	return T_OBJECT;
	case EVP_JSON_ARRAY:	return T_ARRAY;
	case EVP_JSON_STRING:	return T_STRING;
	case EVP_JSON_TRUE:
	case EVP_JSON_FALSE:	return T_BOOLEAN;
	case EVP_JSON_NULL:	return T_NULL;
	default:
		/* 1.0 is an integer; a number too long to hold, by its text */
		if (evp_schema_number(c->d, tok, &x) == 0 ?
		    evp_decimal_is_int(&x) : evp_json_is_int(evp_jdoc_raw(c->d, tok)))
			return T_NUMBER | T_INTEGER;
		return T_NUMBER;
	}
}

static int
check_type(struct ctx *c, unsigned want, size_t tok, const struct seg *path,
    const char *reason)
{
	static const char *const names[] = {
		"null", "boolean", "object", "array", "number", "string",
		"integer"
	};
	unsigned got = type_of(c, tok);
	char list[120];
	size_t o = 0;

	if (got & want)
		return 0;
	list[0] = '\0';
	for (int k = 0; k < 7; k++)
		if (want & (1u << k))
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
			    o ? " or " : "", names[k]);
	return fail(c, path, reason, "type %s expected, got %s", list,
	    got & T_INTEGER ? "integer" : evp_json_type_name(c->d->tok[tok].type));
}

/* Code points of a string token. */
static uint64_t
length(struct ctx *c, size_t tok)
{
	struct evp_str s = evp_jdoc_str(c->d, tok, c->a);
	uint64_t n = 0;

	for (size_t i = 0; i < s.len; i++)
		n += ((unsigned char)s.p[i] & 0xC0) != 0x80;
	return n;
}

static int
bound(struct ctx *c, const struct kw *w, size_t tok, const struct seg *path,
    const char *reason)
{
	static const char *const what[] = {
		"less than minimum", "greater than maximum",
		"not greater than exclusiveMinimum",
		"not less than exclusiveMaximum", "not a multiple of"
	};
	const char *say = what[w->type - K_MIN];
	struct evp_decimal x;
	char num[48];
	int ok;

	if (evp_decimal_format(num, sizeof(num), &w->u.num) < 0)
		snprintf(num, sizeof(num), "the bound");
	if (evp_schema_number(c->d, tok, &x) < 0)
		return fail(c, path, reason, "number too long to compare "
		    "exactly with %s", num);
	int r = evp_decimal_cmp(&x, &w->u.num);
	switch (w->type) {
	case K_MIN:	ok = r >= 0; break;
	case K_MAX:	ok = r <= 0; break;
	case K_XMIN:	ok = r > 0; break;
	case K_XMAX:	ok = r < 0; break;
	default:	ok = evp_decimal_is_multiple(&x, &w->u.num); break;
	}
	return ok ? 0 : fail(c, path, reason, "%s %s", say, num);
}

static int
match(struct ctx *c, const struct regex *re, size_t tok, const struct seg *path,
    const char *reason)
{
	struct evp_str str = evp_jdoc_str(c->d, tok, c->a);
	int m = evp_schema_match(c->s, re, str, &c->md, c->a);

	if (m < 0)
		return fail(c, path, reason, "pattern \"%s\" too costly to "
		    "match", re->src);
	return m;
}

static const struct named *
prop(const struct sch *n, struct evp_str key)
{
	for (size_t i = 0; i < n->nprops; i++)
		if (evp_str_eq(key, n->props[i].name.p, n->props[i].name.len))
			return &n->props[i];
	return NULL;
}

/* The keywords about objects. */
static int
object(struct ctx *c, const struct sch *n, const struct kw *w, size_t tok,
    const struct seg *path, const char *reason)
{
	const struct evp_jdoc *d = c->d;
	size_t size = d->tok[tok].size;

	switch (w->type) {
	case K_REQUIRED:
		for (size_t i = 0; i < w->u.names.n; i++) {
			struct evp_str r = w->u.names.v[i].name;
			if (evp_jdoc_member(d, tok, r.p, r.len, c->a) == 0)
				return fail(c, path, reason, "missing required "
				    "property \"%.*s\"", EVP_SHOW(&r));
		}
		return 0;
	case K_MINPROPS:
		return size >= w->u.count ? 0 : fail(c, path, reason,
		    "fewer than minProperties %llu properties",
		    (unsigned long long)w->u.count);
	case K_MAXPROPS:
		return size <= w->u.count ? 0 : fail(c, path, reason,
		    "more than maxProperties %llu properties",
		    (unsigned long long)w->u.count);
	case K_DEPREQ:
	case K_DEPSCHEMAS:
		for (size_t i = 0; i < w->u.names.n; i++) {
			const struct named *e = &w->u.names.v[i];
			if (evp_jdoc_member(d, tok, e->name.p, e->name.len,
			    c->a) == 0)
				continue;
			if (e->sub != NULL && eval(c, e->sub, tok, path, reason,
			    NULL) < 0)
				return -1;
			for (size_t j = 0; j < e->nlist; j++)
				if (evp_jdoc_member(d, tok, e->list[j].p,
				    e->list[j].len, c->a) == 0)
					return fail(c, path, reason, "property "
					    "\"%.*s\" requires property \"%.*s\"",
					    EVP_SHOW(&e->name), EVP_SHOW(&e->list[j]));
		}
		return 0;
	default:
		break;
	}
	/* The applicators, member by member. */
	for (size_t m = 0, k = tok + 1; m < size; m++, k = d->tok[k + 1].next) {
		struct seg at = { path, k, 0 };
		struct evp_str key = evp_jdoc_str(d, k, c->a);
		const struct named *p;
		int r;
		switch (w->type) {
		case K_PROPERTIES:
			if ((p = prop(n, key)) != NULL && eval(c, p->sub, k + 1,
			    &at, reason, "property not allowed") < 0)
				return -1;
			break;
		case K_PATTERNPROPS:
			for (size_t i = 0; i < n->npprops; i++) {
				if ((r = match(c, &n->pprops[i].re, k, &at,
				    reason)) < 0)
					return -1;
				if (r && eval(c, n->pprops[i].sub, k + 1, &at,
				    reason, "property not allowed") < 0)
					return -1;
			}
			break;
		case K_ADDPROPS:
			if (prop(n, key) != NULL)
				break;
			r = 0;
			for (size_t i = 0; i < n->npprops && r == 0; i++)
				if ((r = match(c, &n->pprops[i].re, k, &at,
				    reason)) < 0)
					return -1;
			if (r == 0 && eval(c, n->addprops, k + 1, &at, reason,
			    "additional property not allowed") < 0)
				return -1;
			break;
		default:	/* K_PROPNAMES */
			if (eval(c, w->u.sub, k, &at, reason,
			    "property name not allowed") < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* The keywords about arrays. */
static int
array(struct ctx *c, const struct sch *n, const struct kw *w, size_t tok,
    const struct seg *path, const char *reason)
{
	const struct evp_jdoc *d = c->d;
	size_t size = d->tok[tok].size;
	uint64_t hits = 0;

	switch (w->type) {
	case K_MINITEMS:
		return size >= w->u.count ? 0 : fail(c, path, reason,
		    "fewer than minItems %llu items",
		    (unsigned long long)w->u.count);
	case K_MAXITEMS:
		return size <= w->u.count ? 0 : fail(c, path, reason,
		    "more than maxItems %llu items",
		    (unsigned long long)w->u.count);
	case K_UNIQUE:
		for (size_t i = 0, a = tok + 1; i < size; i++, a = d->tok[a].next)
			for (size_t j = i + 1, b = d->tok[a].next; j < size;
			    j++, b = d->tok[b].next)
				if (evp_schema_json_eq(d, a, d, b, c->a))
					return fail(c, path, reason, "items %zu "
					    "and %zu are equal (uniqueItems)", i, j);
		return 0;
	default:
		break;
	}
	for (size_t i = 0, e = tok + 1; i < size; i++, e = d->tok[e].next) {
		struct seg at = { path, 0, i };
		if (w->type == K_CONTAINS) {
			if (valid(c, n->contains, e, &at))
				hits++;
			if (hits > n->maxcontains)
				break;
		} else if (i < n->nprefix) {
			if (eval(c, n->prefix[i], e, &at, reason,
			    "item not allowed") < 0)
				return -1;
		} else if (n->items == NULL)
			break;
		else if (eval(c, n->items, e, &at, reason,
		    "additional item not allowed") < 0)
			return -1;
	}
	if (w->type != K_CONTAINS)
		return 0;
	if (hits < n->mincontains)
		return n->mincontains == 1 ?
		    fail(c, path, reason, "no item matches contains") :
		    fail(c, path, reason, "fewer than minContains %llu items "
		    "match contains", (unsigned long long)n->mincontains);
	if (hits > n->maxcontains)
		return fail(c, path, reason, "more than maxContains %llu items "
		    "match contains", (unsigned long long)n->maxcontains);
	return 0;
}

static int
keyword(struct ctx *c, const struct sch *n, const struct kw *w, size_t tok,
    const struct seg *path, const char *reason)
{
	const struct evp_jdoc *sd = &c->s->doc;
	enum evp_jtype t = c->d->tok[tok].type;
	size_t i, e, hits, first = 0;

	switch (w->type) {
	case K_TYPE:
		return check_type(c, w->u.types, tok, path, reason);
	case K_ENUM:
		for (i = 0, e = w->u.tok + 1; i < sd->tok[w->u.tok].size;
		    i++, e = sd->tok[e].next)
			if (evp_schema_json_eq(c->d, tok, sd, e, c->a))
				return 0;
		return fail(c, path, reason, "not one of the enum values");
	case K_CONST:
		return evp_schema_json_eq(c->d, tok, sd, w->u.tok, c->a) ? 0 :
		    fail(c, path, reason, "not the const value");
	case K_REQUIRED: case K_PROPERTIES: case K_PATTERNPROPS:
	case K_ADDPROPS: case K_PROPNAMES: case K_DEPREQ: case K_DEPSCHEMAS:
	case K_MINPROPS: case K_MAXPROPS:
		return t == EVP_JSON_OBJECT ? object(c, n, w, tok, path, reason) : 0;
	case K_ITEMS: case K_CONTAINS: case K_MINITEMS: case K_MAXITEMS:
	case K_UNIQUE:
		return t == EVP_JSON_ARRAY ? array(c, n, w, tok, path, reason) : 0;
	case K_MINLEN:
		return t != EVP_JSON_STRING || length(c, tok) >= w->u.count ? 0 :
		    fail(c, path, reason, "shorter than minLength %llu",
		    (unsigned long long)w->u.count);
	case K_MAXLEN:
		return t != EVP_JSON_STRING || length(c, tok) <= w->u.count ? 0 :
		    fail(c, path, reason, "longer than maxLength %llu",
		    (unsigned long long)w->u.count);
	case K_PATTERN:
		if (t != EVP_JSON_STRING)
			return 0;
		switch (match(c, &w->u.re, tok, path, reason)) {
		case 1:		return 0;
		case 0:		return fail(c, path, reason, "does not match "
				    "pattern \"%s\"", w->u.re.src);
		default:	return -1;
		}
	case K_MIN: case K_MAX: case K_XMIN: case K_XMAX: case K_MULTIPLE:
		return t == EVP_JSON_NUMBER ? bound(c, w, tok, path, reason) : 0;
	case K_FORMAT:
		/* int64 asserts on numbers, the others on strings. */
		if (w->u.format == F_INT64)
			return t != EVP_JSON_NUMBER || evp_schema_format_ok(F_INT64,
			    evp_jdoc_raw(c->d, tok)) ? 0 : fail(c, path, reason,
			    "not an int64 (format): no fraction, no exponent, "
			    "within 64 bits");
		if (t != EVP_JSON_STRING || evp_schema_format_ok(w->u.format,
		    evp_jdoc_str(c->d, tok, c->a)))
			return 0;
		return fail(c, path, reason, "not a %s (format)",
		    w->u.format == F_DATETIME ? "date-time" :
		    w->u.format == F_DATE ? "date" : "uuid");
	case K_ALLOF:
		for (i = 0; i < w->u.list.n; i++)
			if (eval(c, w->u.list.v[i], tok, path, reason, NULL) < 0)
				return -1;
		return 0;
	case K_ANYOF:
		for (i = 0; i < w->u.list.n; i++)
			if (valid(c, w->u.list.v[i], tok, path))
				return 0;
		return fail(c, path, reason, "matches none of anyOf");
	case K_ONEOF:
		for (i = hits = 0; i < w->u.list.n; i++) {
			if (!valid(c, w->u.list.v[i], tok, path))
				continue;
			if (hits++ > 0)
				return fail(c, path, reason, "matches more than "
				    "one of oneOf (%zu and %zu)", first, i);
			first = i;
		}
		return hits == 1 ? 0 : fail(c, path, reason,
		    "matches none of oneOf");
	case K_NOT:
		return valid(c, w->u.sub, tok, path) ? fail(c, path, reason,
		    "matches the not schema") : 0;
	case K_IF:
		if (valid(c, w->u.sub, tok, path))
			return n->then ? eval(c, n->then, tok, path, reason,
			    NULL) : 0;
		return n->els ? eval(c, n->els, tok, path, reason, NULL) : 0;
	case K_REF:
		return eval(c, w->u.sub, tok, path, reason, NULL);
	}
	return 0;
}

static int
eval(struct ctx *c, const struct sch *n, size_t tok, const struct seg *path,
    const char *reason, const char *nomsg)
{
	if (n->boolean == 1)
		return 0;
	if (n->boolean == 0)
		return fail(c, path, reason, "%s", nomsg ? nomsg :
		    "not allowed (false schema)");
	if (n->reason != NULL)
		reason = n->reason;
	for (size_t i = 0; i < n->nkw; i++)
		if (keyword(c, n, &n->kw[i], tok, path, reason) < 0)
			return -1;
	return 0;
}

int
evp_schema_check(const struct evp_schema *s, const struct evp_jdoc *d,
    size_t tok, struct evp_arena *scratch, struct evp_verdict *v)
{
	struct ctx c = { s, d, scratch, v, 0, NULL };

	return eval(&c, s->root, tok, NULL, DEFAULT_REASON, NULL);
}
