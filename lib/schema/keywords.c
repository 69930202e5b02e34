/*
 * Compiling the keywords of a schema document: each schema object
 * becomes a node whose keywords are kept in the order of the text, every
 * value checked once here (kwvalue.c reads each value) so that the checks
 * need not.  A keyword that is not implemented
 * is refused, never skipped: a schema that silently checks less than its
 * author wrote would let bad records through.
 */

#include <stdio.h>
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
		return evp_schema_kw_count(L, v, kptr, key, &w->u.count);
	}
	if (evp_str_eqs(k, "minContains"))
		return evp_schema_kw_count(L, v, kptr, key, &n->mincontains);
	if (evp_str_eqs(k, "maxContains"))
		return evp_schema_kw_count(L, v, kptr, key, &n->maxcontains);
	if (evp_str_eqs(k, "type")) {
		w->type = K_TYPE;
		n->nkw++;
		return evp_schema_kw_types(L, v, kptr, &w->u.types);
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
		if (evp_schema_kw_strings(L, v, kptr, key, &names, &nn) < 0)
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
		return evp_schema_kw_named(L, v, kptr, key, 0, &n->props, &n->nprops);
	}
	if (evp_str_eqs(k, "dependentRequired") ||
	    evp_str_eqs(k, "dependentSchemas")) {
		int lists = k.p[9] == 'R';
		w->type = lists ? K_DEPREQ : K_DEPSCHEMAS;
		n->nkw++;
		return evp_schema_kw_named(L, v, kptr, key, lists, &w->u.names.v,
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
			const char *p = evp_schema_child(s, kptr, evp_schema_str(s, e));
			if (evp_schema_kw_regex(L, e, p, key, &n->pprops[m].re) < 0 ||
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
			return evp_schema_kw_schemas(L, v, kptr, key, &n->prefix, &n->nprefix);
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
		return evp_schema_kw_regex(L, v, kptr, key, &w->u.re);
	}
	if (evp_str_eqs(k, "allOf") || evp_str_eqs(k, "anyOf") ||
	    evp_str_eqs(k, "oneOf")) {
		w->type = k.p[1] == 'l' ? K_ALLOF : k.p[0] == 'a' ? K_ANYOF :
		    K_ONEOF;
		n->nkw++;
		return evp_schema_kw_schemas(L, v, kptr, key, &w->u.list.v, &w->u.list.n);
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
		return evp_schema_kw_named(L, v, kptr, key, 0, &defs, &nd);
	}
	if (evp_str_eqs(k, "$ref")) {
		if (!evp_schema_is_str(s, v))
			return evp_schema_refuse(L, kptr, "\"$ref\" must be a string");
		w->type = K_REF;
		n->nkw++;
		if (L->nrefs == L->caprefs) {
			L->caprefs = L->caprefs ? 2 * L->caprefs : 16;
			L->refs = xrealloc(L->refs, L->caprefs * sizeof(*L->refs));
		}
		L->refs[L->nrefs++] = (struct pending){ w, kptr, evp_schema_str(s, v) };
		return 0;
	}
	if (evp_str_eqs(k, "format")) {
		static const char *const formats[] = {
			"date-time", "date", "uuid", "int64", NULL
		};
		int f = 0;
		for (int i = 0; evp_schema_is_str(s, v) && formats[i] != NULL; i++)
			if (evp_str_eqs(evp_schema_str(s, v), formats[i]))
				f = i + 1;
		if (!evp_schema_is_str(s, v))
			return evp_schema_refuse(L, kptr, "\"format\" must be a string");
		if (f == 0) {
			struct evp_str fs = evp_schema_str(s, v);
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
		struct evp_str u = evp_schema_is_str(s, v) ?
		    evp_schema_str(s, v) : (struct evp_str){ "", 0 };
		if (!evp_str_eqs(u, SCHEMA_URI) &&
		    !evp_str_eqs(u, SCHEMA_URI "#"))
			return evp_schema_refuse(L, kptr, "unsupported \"$schema\" (only "
			    "%s)", SCHEMA_URI);
		return 0;
	}
	if (evp_str_eqs(k, "x-reason")) {
		struct evp_str r;
		if (!evp_schema_is_str(s, v) || !snake(r = evp_schema_str(s, v)))
			return evp_schema_refuse(L, kptr, "\"x-reason\" must be a "
			    "snake_case string");
		n->reason = evp_arena_dup(&s->mem, r.p, r.len);
		return 0;
	}
	if ((k.len >= 2 && k.p[0] == 'x' && k.p[1] == '-') || is_annotation(k))
		return 0;
	return evp_schema_refuse(L, n->ptr, "unsupported keyword \"%.*s\"",
	    EVP_SHOW(&k));
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
		struct evp_str key = evp_schema_str(s, k);
		if (keyword(L, n, key, k + 1, evp_schema_child(s, ptr, key)) < 0)
			return NULL;
		k = s->doc.tok[k + 1].next;
	}
	return n;
}
