/*
 * Compiling the keywords of a schema document: each schema object becomes a node whose
 * keywords are kept in the order of the text, every value checked once
 * here so that the checks need not.  A keyword that is not implemented
 * is refused, never skipped: a schema that silently checks less than its
 * author wrote would let bad records through.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "schema/compiled.h"

#define SCHEMA_URI	"https://json-schema.org/draft/2020-12/schema"

/* Keywords that only annotate: accepted, not checked. */
static const char *const annotations[] = {
	"$comment", "title", "description", "default", "examples", "deprecated",
	"readOnly", "writeOnly", "contentMediaType", "contentEncoding",
	"contentSchema", NULL
};

static const char *
shown(const char *ptr)
{
	return *ptr ? ptr : "/";
}

int
evp_schema_refuse(struct loader *L, const char *ptr, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(L->err, L->errsize, "%s: %s at %s", L->s->name, what,
	    shown(ptr));
	return -1;
}

/* ptr + "/" + key escaped as RFC 6901 says, in the schema's arena. */
static const char *
child(struct evp_schema *s, const char *ptr, struct evp_str key)
{
	size_t n = strlen(ptr), o = n + 1;
	char *p = evp_arena_alloc(&s->mem, n + 2 * key.len + 2);

	memcpy(p, ptr, n);
	p[n] = '/';
	for (size_t i = 0; i < key.len; i++) {
		if (key.p[i] == '~' || key.p[i] == '/') {
			p[o++] = '~';
			p[o++] = key.p[i] == '~' ? '0' : '1';
		} else
			p[o++] = key.p[i];
	}
	p[o] = '\0';
	return p;
}

static const char *
child_index(struct evp_schema *s, const char *ptr, size_t i)
{
	char num[24];

	snprintf(num, sizeof(num), "%zu", i);
	return child(s, ptr, (struct evp_str){ num, strlen(num) });
}

static struct evp_str
str(struct evp_schema *s, size_t tok)
{
	return evp_jdoc_str(&s->doc, tok, &s->mem);
}

static int
is_str(const struct evp_schema *s, size_t tok)
{
	return s->doc.tok[tok].type == EVP_JSON_STRING;
}


/* A count keyword: a non-negative integer (2.0 counts), big ones capped. */
static int
count(struct loader *L, size_t tok, const char *ptr, const char *key,
    uint64_t *out)
{
	struct evp_decimal x;
	int64_t v;

	if (L->s->doc.tok[tok].type != EVP_JSON_NUMBER ||
	    evp_schema_number(&L->s->doc, tok, &x) < 0 ||
	    !evp_decimal_is_int(&x) || evp_decimal_sign(&x) < 0)
		return evp_schema_refuse(L, ptr, "\"%s\" must be a non-negative integer",
		    key);
	*out = evp_decimal_to_int64(&x, &v) == 0 ? (uint64_t)v : UINT64_MAX;
	return 0;
}

static int
regex(struct loader *L, size_t tok, const char *ptr, const char *key,
    struct regex *re)
{
	struct evp_schema *s = L->s;
	struct evp_str src;
	int code;
	PCRE2_SIZE off;

	if (!is_str(s, tok))
		return evp_schema_refuse(L, ptr, "\"%s\" must be a string", key);
	src = str(s, tok);
	/*
	 * ECMA-262 as near as PCRE2 comes: UTF-8, \u escapes, $ only at
	 * the very end, a backreference to an unset group matching empty.
	 */
	re->code = pcre2_compile((PCRE2_SPTR)src.p, src.len, PCRE2_UTF |
	    PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_UNSET_BACKREF,
	    &code, &off, NULL);
	if (re->code == NULL) {
		char why[120];
		pcre2_get_error_message(code, (PCRE2_UCHAR *)why, sizeof(why));
		return evp_schema_refuse(L, ptr, "\"%s\" is not a regular expression (%s "
		    "at offset %zu)", key, why, (size_t)off);
	}
	/* The interpreter serves where JIT is not available. */
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->src = evp_arena_dup(&s->mem, src.p, src.len);
	if (s->ncodes == s->capcodes) {
		s->capcodes = s->capcodes ? 2 * s->capcodes : 8;
		s->codes = xrealloc(s->codes, s->capcodes * sizeof(*s->codes));
	}
	s->codes[s->ncodes++] = re;
	return 0;
}

/* An array of schemas, non-empty unless empty_ok. */
static int
schemas(struct loader *L, size_t tok, const char *ptr, const char *key,
    struct sch ***out, size_t *n)
{
	struct evp_schema *s = L->s;
	const struct evp_jtok *t = &s->doc.tok[tok];

	if (t->type != EVP_JSON_ARRAY || t->size == 0)
		return evp_schema_refuse(L, ptr, "\"%s\" must be a non-empty array of "
		    "schemas", key);
	*n = t->size;
	*out = evp_arena_alloc(&s->mem, t->size * sizeof(**out));
	for (size_t m = 0, e = tok + 1; m < t->size; m++, e = s->doc.tok[e].next)
		if (((*out)[m] = evp_schema_compile(L, e, child_index(s, ptr, m))) == NULL)
			return -1;
	return 0;
}

/* An array of strings into names (required, dependentRequired). */
static int
strings(struct loader *L, size_t tok, const char *ptr, const char *key,
    struct evp_str **out, size_t *n)
{
	struct evp_schema *s = L->s;
	const struct evp_jtok *t = &s->doc.tok[tok];

	if (t->type != EVP_JSON_ARRAY)
		return evp_schema_refuse(L, ptr, "\"%s\" must be an array of strings", key);
	*n = t->size;
	*out = evp_arena_alloc(&s->mem, (t->size + 1) * sizeof(**out));
	for (size_t m = 0, e = tok + 1; m < t->size; m++, e = s->doc.tok[e].next) {
		if (!is_str(s, e))
			return evp_schema_refuse(L, ptr, "\"%s\" must be an array of "
			    "strings", key);
		(*out)[m] = str(s, e);
	}
	return 0;
}

/* An object of schemas or of name lists, as named entries. */
static int
named(struct loader *L, size_t tok, const char *ptr, const char *key,
    int lists, struct named **out, size_t *n)
{
	struct evp_schema *s = L->s;
	const struct evp_jtok *t = &s->doc.tok[tok];

	if (t->type != EVP_JSON_OBJECT)
		return evp_schema_refuse(L, ptr, "\"%s\" must be an object", key);
	*n = t->size;
	*out = evp_arena_alloc(&s->mem, (t->size + 1) * sizeof(**out));
	for (size_t m = 0, k = tok + 1; m < t->size; m++) {
		struct named *e = &(*out)[m];
		memset(e, 0, sizeof(*e));
		e->name = str(s, k);
		const char *p = child(s, ptr, e->name);
		if (lists ? strings(L, k + 1, p, key, &e->list, &e->nlist) < 0 :
		    (e->sub = evp_schema_compile(L, k + 1, p)) == NULL)
			return -1;
		k = s->doc.tok[k + 1].next;
	}
	return 0;
}

static int
types(struct loader *L, size_t tok, const char *ptr, unsigned *out)
{
	static const char *const names[] = {
		"null", "boolean", "object", "array", "number", "string",
		"integer", NULL
	};
	struct evp_schema *s = L->s;
	const struct evp_jtok *t = &s->doc.tok[tok];
	size_t n = t->type == EVP_JSON_ARRAY ? t->size : 1;
	size_t e = t->type == EVP_JSON_ARRAY ? tok + 1 : tok;

	*out = 0;
	for (size_t m = 0; m < n; m++, e = s->doc.tok[e].next) {
		unsigned bit = 0;
		if (is_str(s, e))
			for (int k = 0; names[k] != NULL; k++)
				if (evp_str_eqs(str(s, e), names[k]))
					bit = 1u << k;
		if (bit == 0 || (*out & bit))
			return evp_schema_refuse(L, ptr, "\"type\" must be a type name or "
			    "an array of distinct ones");
		*out |= bit;
	}
	return 0;
}

static int
is_annotation(struct evp_str k)
{
	for (int i = 0; annotations[i] != NULL; i++)
		if (evp_str_eqs(k, annotations[i]))
			return 1;
	return 0;
}

static int
snake(struct evp_str r)
{
	if (r.len == 0 || r.p[0] < 'a' || r.p[0] > 'z')
		return 0;
	for (size_t i = 0; i < r.len; i++)
		if (!((r.p[i] >= 'a' && r.p[i] <= 'z') ||
		    (r.p[i] >= '0' && r.p[i] <= '9') || r.p[i] == '_'))
			return 0;
	return 1;
}

/* The keyword k (value at token v) of node n; kptr is where it is. */
static int
keyword(struct loader *L, struct sch *n, struct evp_str k, size_t v,
    const char *kptr)
{
	static const struct {
		const char	*name;
		enum kwtype	 type;
	} numeric[] = {
		{ "minimum", K_MIN }, { "maximum", K_MAX },
		{ "exclusiveMinimum", K_XMIN }, { "exclusiveMaximum", K_XMAX },
		{ "multipleOf", K_MULTIPLE },
	}, counts[] = {
		{ "minProperties", K_MINPROPS }, { "maxProperties", K_MAXPROPS },
		{ "minItems", K_MINITEMS }, { "maxItems", K_MAXITEMS },
		{ "minLength", K_MINLEN }, { "maxLength", K_MAXLEN },
	};
	struct evp_schema *s = L->s;
	enum evp_jtype vt = s->doc.tok[v].type;
	struct kw *w = &n->kw[n->nkw];
	char key[32];

	snprintf(key, sizeof(key), "%.*s", (int)(k.len < 31 ? k.len : 31), k.p);
	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		if (!evp_str_eqs(k, numeric[i].name))
			continue;
		if (vt != EVP_JSON_NUMBER ||
		    evp_schema_number(&s->doc, v, &w->u.num) < 0)
			return evp_schema_refuse(L, kptr, "\"%s\" must be a number of at "
			    "most 38 digits", key);
		if (numeric[i].type == K_MULTIPLE &&
		    evp_decimal_sign(&w->u.num) <= 0)
			return evp_schema_refuse(L, kptr, "\"%s\" must be above 0", key);
		w->type = numeric[i].type;
		n->nkw++;
		return 0;
	}
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		if (!evp_str_eqs(k, counts[i].name))
			continue;
		w->type = counts[i].type;
		n->nkw++;
		return count(L, v, kptr, key, &w->u.count);
	}
	if (evp_str_eqs(k, "minContains"))
		return count(L, v, kptr, key, &n->mincontains);
	if (evp_str_eqs(k, "maxContains"))
		return count(L, v, kptr, key, &n->maxcontains);
	if (evp_str_eqs(k, "type")) {
		w->type = K_TYPE;
		n->nkw++;
		return types(L, v, kptr, &w->u.types);
	}
	if (evp_str_eqs(k, "enum") || evp_str_eqs(k, "const")) {
		if (k.p[0] == 'e' && vt != EVP_JSON_ARRAY)
			return evp_schema_refuse(L, kptr, "\"enum\" must be an array");
		w->type = k.p[0] == 'e' ? K_ENUM : K_CONST;
		w->u.tok = v;
		n->nkw++;
		return 0;
	}
	if (evp_str_eqs(k, "required")) {
		w->type = K_REQUIRED;
		n->nkw++;
		struct evp_str *names;
		size_t nn;
		if (strings(L, v, kptr, key, &names, &nn) < 0)
			return -1;
		w->u.names.v = evp_arena_alloc(&s->mem, (nn + 1) *
		    sizeof(*w->u.names.v));
		w->u.names.n = nn;
		for (size_t i = 0; i < nn; i++)
			w->u.names.v[i] = (struct named){ names[i], NULL, NULL, 0 };
		return 0;
	}
	if (evp_str_eqs(k, "properties")) {
		w->type = K_PROPERTIES;
		n->nkw++;
		return named(L, v, kptr, key, 0, &n->props, &n->nprops);
	}
	if (evp_str_eqs(k, "dependentRequired") ||
	    evp_str_eqs(k, "dependentSchemas")) {
		int lists = k.p[9] == 'R';
		w->type = lists ? K_DEPREQ : K_DEPSCHEMAS;
		n->nkw++;
		return named(L, v, kptr, key, lists, &w->u.names.v,
		    &w->u.names.n);
	}
	if (evp_str_eqs(k, "patternProperties")) {
		const struct evp_jtok *t = &s->doc.tok[v];
		if (t->type != EVP_JSON_OBJECT)
			return evp_schema_refuse(L, kptr, "\"%s\" must be an object", key);
		w->type = K_PATTERNPROPS;
		n->nkw++;
		n->npprops = t->size;
		n->pprops = evp_arena_alloc(&s->mem, (t->size + 1) *
		    sizeof(*n->pprops));
		for (size_t m = 0, e = v + 1; m < t->size; m++) {
			const char *p = child(s, kptr, str(s, e));
			if (regex(L, e, p, key, &n->pprops[m].re) < 0 ||
			    (n->pprops[m].sub = evp_schema_compile(L, e + 1, p)) == NULL)
				return -1;
			e = s->doc.tok[e + 1].next;
		}
		return 0;
	}
	if (evp_str_eqs(k, "additionalProperties")) {
		w->type = K_ADDPROPS;
		n->nkw++;
		return (n->addprops = evp_schema_compile(L, v, kptr)) ? 0 : -1;
	}
	if (evp_str_eqs(k, "propertyNames") || evp_str_eqs(k, "not")) {
		w->type = k.p[0] == 'p' ? K_PROPNAMES : K_NOT;
		n->nkw++;
		return (w->u.sub = evp_schema_compile(L, v, kptr)) ? 0 : -1;
	}
	if (evp_str_eqs(k, "items") || evp_str_eqs(k, "prefixItems")) {
		/* One check for both, where the first of them stands. */
		if (n->items == NULL && n->prefix == NULL) {
			w->type = K_ITEMS;
			n->nkw++;
		}
		if (k.p[0] == 'p')
			return schemas(L, v, kptr, key, &n->prefix, &n->nprefix);
		return (n->items = evp_schema_compile(L, v, kptr)) ? 0 : -1;
	}
	if (evp_str_eqs(k, "contains")) {
		w->type = K_CONTAINS;
		n->nkw++;
		return (n->contains = evp_schema_compile(L, v, kptr)) ? 0 : -1;
	}
	if (evp_str_eqs(k, "uniqueItems")) {
		if (vt != EVP_JSON_TRUE && vt != EVP_JSON_FALSE)
			return evp_schema_refuse(L, kptr, "\"%s\" must be a boolean", key);
		if (vt == EVP_JSON_TRUE) {
			w->type = K_UNIQUE;
			n->nkw++;
		}
		return 0;
	}
	if (evp_str_eqs(k, "pattern")) {
		w->type = K_PATTERN;
		n->nkw++;
		return regex(L, v, kptr, key, &w->u.re);
	}
	if (evp_str_eqs(k, "allOf") || evp_str_eqs(k, "anyOf") ||
	    evp_str_eqs(k, "oneOf")) {
		w->type = k.p[1] == 'l' ? K_ALLOF : k.p[0] == 'a' ? K_ANYOF :
		    K_ONEOF;
		n->nkw++;
		return schemas(L, v, kptr, key, &w->u.list.v, &w->u.list.n);
	}
	if (evp_str_eqs(k, "if")) {
		w->type = K_IF;
		n->nkw++;
		return (w->u.sub = evp_schema_compile(L, v, kptr)) ? 0 : -1;
	}
	if (evp_str_eqs(k, "then"))
		return (n->then = evp_schema_compile(L, v, kptr)) ? 0 : -1;
	if (evp_str_eqs(k, "else"))
		return (n->els = evp_schema_compile(L, v, kptr)) ? 0 : -1;
	if (evp_str_eqs(k, "$defs")) {
		struct named *defs;
		size_t nd;
		return named(L, v, kptr, key, 0, &defs, &nd);
	}
	if (evp_str_eqs(k, "$ref")) {
		if (!is_str(s, v))
			return evp_schema_refuse(L, kptr, "\"$ref\" must be a string");
		w->type = K_REF;
		n->nkw++;
		if (L->nrefs == L->caprefs) {
			L->caprefs = L->caprefs ? 2 * L->caprefs : 16;
			L->refs = xrealloc(L->refs, L->caprefs * sizeof(*L->refs));
		}
		L->refs[L->nrefs++] = (struct pending){ w, kptr, str(s, v) };
		return 0;
	}
	if (evp_str_eqs(k, "format")) {
		static const char *const formats[] = {
			"date-time", "date", "uuid", "int64", NULL
		};
		int f = 0;
		for (int i = 0; is_str(s, v) && formats[i] != NULL; i++)
			if (evp_str_eqs(str(s, v), formats[i]))
				f = i + 1;
		if (!is_str(s, v))
			return evp_schema_refuse(L, kptr, "\"format\" must be a string");
		if (f == 0) {
			struct evp_str fs = str(s, v);
			return evp_schema_refuse(L, kptr, "unsupported \"format\" \"%.*s\"",
			    EVP_SHOW(&fs));
		}
		if (!(s->flags & EVP_SCHEMA_FORMAT_ANNOTATE)) {
			w->type = K_FORMAT;
			w->u.format = f;
			n->nkw++;
		}
		return 0;
	}
	if (evp_str_eqs(k, "$schema")) {
		if (!is_str(s, v) || !(evp_str_eqs(str(s, v), SCHEMA_URI) ||
		    evp_str_eqs(str(s, v), SCHEMA_URI "#")))
			return evp_schema_refuse(L, kptr, "unsupported \"$schema\" (only "
			    "%s)", SCHEMA_URI);
		return 0;
	}
	if (evp_str_eqs(k, "x-reason")) {
		if (!is_str(s, v) || !snake(str(s, v)))
			return evp_schema_refuse(L, kptr, "\"x-reason\" must be a "
			    "snake_case string");
		n->reason = evp_arena_dup(&s->mem, str(s, v).p, str(s, v).len);
		return 0;
	}
	if ((k.len >= 2 && k.p[0] == 'x' && k.p[1] == '-') || is_annotation(k))
		return 0;
	return evp_schema_refuse(L, n->ptr, "unsupported keyword \"%.*s\"", EVP_SHOW(&k));
}

struct sch *
evp_schema_compile(struct loader *L, size_t tok, const char *ptr)
{
	struct evp_schema *s = L->s;
	const struct evp_jtok *t = &s->doc.tok[tok];
	struct sch *n;

	if (s->bytok[tok] != NULL)
		return s->bytok[tok];
	if (t->type != EVP_JSON_OBJECT && t->type != EVP_JSON_TRUE &&
	    t->type != EVP_JSON_FALSE) {
		evp_schema_refuse(L, ptr, "not a schema (an object or a boolean)");
		return NULL;
	}
	n = evp_arena_alloc(&s->mem, sizeof(*n));
	memset(n, 0, sizeof(*n));
	s->bytok[tok] = n;
	n->tok = tok;
	n->ptr = ptr;
	n->maxcontains = UINT64_MAX;
	n->mincontains = 1;
	if (t->type != EVP_JSON_OBJECT) {
		n->boolean = t->type == EVP_JSON_TRUE;
		return n;
	}
	n->boolean = -1;
	n->kw = evp_arena_alloc(&s->mem, (t->size + 1) * sizeof(*n->kw));
	for (size_t m = 0, k = tok + 1; m < t->size; m++) {
		struct evp_str key = str(s, k);
		if (keyword(L, n, key, k + 1, child(s, ptr, key)) < 0)
			return NULL;
		k = s->doc.tok[k + 1].next;
	}
	return n;
}
