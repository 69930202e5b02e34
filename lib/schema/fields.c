/*
 * A CSV record checked as a JSON object (SPEC section 10).  Fields are
 * text; the schema says which of them are numbers, booleans, objects or
 * arrays, so the record's JSON text is written with those unquoted and
 * then checked like any JSON record, through the same keywords.
 */

#include <string.h>

#include "schema/compiled.h"

#define DEEPEST	32	/* of the in-place applicators followed */

/*
 * The type bits a schema gives in place: its type keyword's, and those of
 * the subschemas that apply to the same value (allOf, anyOf, oneOf, $ref,
 * then, else), together.
 */
static unsigned
own_types(const struct sch *n, int depth)
{
	unsigned t = 0;

	if (n == NULL || n->boolean >= 0 || depth > DEEPEST)
		return 0;
	for (size_t i = 0; i < n->nkw; i++) {
		const struct kw *w = &n->kw[i];
		if (w->type == K_TYPE)
			t |= w->u.types;
		else if (w->type == K_ALLOF || w->type == K_ANYOF ||
		    w->type == K_ONEOF)
			for (size_t j = 0; j < w->u.list.n; j++)
				t |= own_types(w->u.list.v[j], depth + 1);
		else if (w->type == K_REF)
			t |= own_types(w->u.sub, depth + 1);
		else if (w->type == K_IF)
			t |= own_types(n->then, depth + 1) |
			    own_types(n->els, depth + 1);
	}
	return t;
}

/*
 * The type bits the record's column name may take: those of every
 * properties/<name> schema that applies to the record object itself,
 * found at the root or through its in-place subschemas (allOf ... else,
 * and if, which also sees the record).
 */
static unsigned
column_types(const struct sch *n, struct evp_str name, int depth)
{
	unsigned t = 0;

	if (n == NULL || n->boolean >= 0 || depth > DEEPEST)
		return 0;
	for (size_t i = 0; i < n->nprops; i++)
		if (evp_str_eq(name, n->props[i].name.p, n->props[i].name.len))
			t |= own_types(n->props[i].sub, 0);
	for (size_t i = 0; i < n->nkw; i++) {
		const struct kw *w = &n->kw[i];
		if (w->type == K_ALLOF || w->type == K_ANYOF ||
		    w->type == K_ONEOF)
			for (size_t j = 0; j < w->u.list.n; j++)
				t |= column_types(w->u.list.v[j], name, depth + 1);
		else if (w->type == K_REF)
			t |= column_types(w->u.sub, name, depth + 1);
		else if (w->type == K_IF)
			t |= column_types(w->u.sub, name, depth + 1) |
			    column_types(n->then, name, depth + 1) |
			    column_types(n->els, name, depth + 1);
	}
	return t;
}

/* Write s as a JSON string at o; return the end. */
static char *
quote(char *o, struct evp_str s)
{
	static const char hex[] = "0123456789abcdef";

	*o++ = '"';
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c < 0x20) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		} else
			*o++ = (char)c;
	}
	*o++ = '"';
	return o;
}

static int
digits(const char *p, size_t n, size_t *i)
{
	size_t from = *i;

	while (*i < n && p[*i] >= '0' && p[*i] <= '9')
		(*i)++;
	return *i > from;
}

/*
 * Is f a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * (of any length: one too long to hold exactly still has a type).
 */
static int
number(struct evp_str f)
{
	size_t i = 0;

	if (i < f.len && f.p[i] == '-')
		i++;
	if (i < f.len && f.p[i] == '0')
		i++;
	else if (i == f.len || f.p[i] < '1' || !digits(f.p, f.len, &i))
		return 0;
	if (i < f.len && f.p[i] == '.' && (++i, !digits(f.p, f.len, &i)))
		return 0;
	if (i < f.len && (f.p[i] == 'e' || f.p[i] == 'E')) {
		i++;
		if (i < f.len && (f.p[i] == '+' || f.p[i] == '-'))
			i++;
		if (!digits(f.p, f.len, &i))
			return 0;
	}
	return i == f.len;
}

/* Is f, as the column's types want, a JSON value to write unquoted? */
static int
bare(unsigned types, struct evp_str f, struct evp_arena *a)
{
	struct evp_jdoc d;
	struct evp_verdict v;

	if ((types & (T_INTEGER | T_NUMBER)) && number(f))
		return 1;
	if ((types & T_BOOLEAN) &&
	    (evp_str_eqs(f, "true") || evp_str_eqs(f, "false")))
		return 1;
	if ((types & (T_OBJECT | T_ARRAY)) && (f.p[0] == '{' || f.p[0] == '[' ||
	    f.p[0] == ' ' || f.p[0] == '\t' || f.p[0] == '\r' || f.p[0] == '\n') &&
	    evp_json_parse(&d, f.p, f.len, EVP_SCHEMA_DEPTH, 0, a, &v) == 0) {
		enum evp_jtype t = d.tok[0].type;
		return (t == EVP_JSON_OBJECT && (types & T_OBJECT)) ||
		    (t == EVP_JSON_ARRAY && (types & T_ARRAY));
	}
	return 0;
}

int
evp_schema_check_fields(const struct evp_schema *s, const struct evp_header *h,
    const struct evp_rec *r, struct evp_arena *scratch, struct evp_verdict *v)
{
	const struct sch *root = s->root;
	size_t n = h->n - h->carried, size = 3;
	struct evp_jdoc doc;
	char *text, *o;
	int first = 1;

	if (n > r->n)
		n = r->n;
	/* Escaping grows a byte to at most six ("\u001f"). */
	for (size_t i = 0; i < n; i++)
		size += 6 * (h->name[i].len + r->f[i].len) + 6;
	o = text = evp_arena_alloc(scratch, size);
	*o++ = '{';
	for (size_t i = 0; i < n; i++) {
		struct evp_str f = r->f[i];
		if (f.len == 0)
			continue;
		if (!first)
			*o++ = ',';
		first = 0;
		o = quote(o, h->name[i]);
		*o++ = ':';
		if (bare(column_types(root, h->name[i], 0), f, scratch)) {
			memcpy(o, f.p, f.len);
			o += f.len;
		} else
			o = quote(o, f);
	}
	*o++ = '}';
	if (evp_json_parse(&doc, text, (size_t)(o - text), EVP_SCHEMA_DEPTH + 1, 0,
	    scratch, v) < 0)
		return -1;
	return evp_schema_check(s, &doc, 0, scratch, v);
}
