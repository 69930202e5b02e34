/*
 * Reading the value of one keyword at load: each checked for its shape
 * once (a count is a non-negative integer, a pattern compiles, an array
 * holds schemas or names), so that compiling the keywords and checking
 * records need not.  Every refusal names the keyword and its JSON pointer.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "schema/compiled.h"

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
const char *
evp_schema_child(struct evp_schema *s, const char *ptr, struct evp_str key)
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
	return evp_schema_child(s, ptr, (struct evp_str){ num, strlen(num) });
}

struct evp_str
evp_schema_str(struct evp_schema *s, size_t tok)
{
	return evp_jdoc_str(&s->doc, tok, &s->mem);
}

int
evp_schema_is_str(const struct evp_schema *s, size_t tok)
{
	return s->doc.tok[tok].type == EVP_JSON_STRING;
}


/* A count keyword: a non-negative integer (2.0 counts), big ones capped. */
int
evp_schema_kw_count(struct loader *L, size_t tok, const char *ptr,
    const char *key, uint64_t *out)
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

int
evp_schema_kw_regex(struct loader *L, size_t tok, const char *ptr,
    const char *key, struct regex *re)
{
	struct evp_schema *s = L->s;
	struct evp_str src;
	int code;
	PCRE2_SIZE off;

	if (!evp_schema_is_str(s, tok))
		return evp_schema_refuse(L, ptr, "\"%s\" must be a string", key);
	src = evp_schema_str(s, tok);
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
int
evp_schema_kw_schemas(struct loader *L, size_t tok, const char *ptr,
    const char *key, struct sch ***out, size_t *n)
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
int
evp_schema_kw_strings(struct loader *L, size_t tok, const char *ptr,
    const char *key, struct evp_str **out, size_t *n)
{
	struct evp_schema *s = L->s;
	const struct evp_jtok *t = &s->doc.tok[tok];

	if (t->type != EVP_JSON_ARRAY)
		return evp_schema_refuse(L, ptr, "\"%s\" must be an array of strings", key);
	*n = t->size;
	*out = evp_arena_alloc(&s->mem, (t->size + 1) * sizeof(**out));
	for (size_t m = 0, e = tok + 1; m < t->size; m++, e = s->doc.tok[e].next) {
		if (!evp_schema_is_str(s, e))
			return evp_schema_refuse(L, ptr, "\"%s\" must be an array of "
			    "strings", key);
		(*out)[m] = evp_schema_str(s, e);
	}
	return 0;
}

/* An object of schemas or of name lists, as named entries. */
int
evp_schema_kw_named(struct loader *L, size_t tok, const char *ptr,
    const char *key, int lists, struct named **out, size_t *n)
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
		e->name = evp_schema_str(s, k);
		const char *p = evp_schema_child(s, ptr, e->name);
		if (lists ? evp_schema_kw_strings(L, k + 1, p, key, &e->list, &e->nlist) < 0 :
		    (e->sub = evp_schema_compile(L, k + 1, p)) == NULL)
			return -1;
		k = s->doc.tok[k + 1].next;
	}
	return 0;
}

int
evp_schema_kw_types(struct loader *L, size_t tok, const char *ptr,
    unsigned *out)
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
		if (evp_schema_is_str(s, e))
			for (int k = 0; names[k] != NULL; k++)
				if (evp_str_eqs(evp_schema_str(s, e), names[k]))
					bit = 1u << k;
		if (bit == 0 || (*out & bit))
			return evp_schema_refuse(L, ptr, "\"type\" must be a type name or "
			    "an array of distinct ones");
		*out |= bit;
	}
	return 0;
}

