#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "formats/json.h"

/*
 * jsmn tokenises text the checker (json.c) has accepted; its implementation
 * lives in this unit only, so the layout-changing PARENT_LINKS needs no
 * Makefile flag.
 */
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void
evp_jdoc_tokens(struct evp_jdoc *d, const char *s, size_t n,
    struct evp_arena *a)
{
	jsmn_parser p;
	unsigned int cap = 16;
	jsmntok_t *t;
	int r;
	size_t b = 0, e = n;

	/*
	 * Strict jsmn wants a number, true, false or null followed by a
	 * delimiter, which a lone one at the end of the text is not: it
	 * makes that token itself.
	 */
	while (b < e && isws((unsigned char)s[b]))
		b++;
	while (e > b && isws((unsigned char)s[e - 1]))
		e--;
	if (b < e && s[b] != '{' && s[b] != '[' && s[b] != '"') {
		d->s = s;
		d->len = n;
		d->n = 1;
		d->tok = evp_arena_alloc(a, sizeof(*d->tok));
		d->tok[0] = (struct evp_jtok){ EVP_JSON_NUMBER, (uint32_t)b,
		    (uint32_t)e, 0, 1 };
		if (s[b] == 't' || s[b] == 'f' || s[b] == 'n')
			d->tok[0].type = s[b] == 't' ? EVP_JSON_TRUE :
			    s[b] == 'f' ? EVP_JSON_FALSE : EVP_JSON_NULL;
		return;
	}
	t = evp_arena_alloc(a, cap * sizeof(*t));
	/* On NOMEM jsmn resumes where it stopped when given more tokens. */
	jsmn_init(&p);
	while ((r = jsmn_parse(&p, s, n, t, cap)) == JSMN_ERROR_NOMEM) {
		jsmntok_t *bigger = evp_arena_alloc(a, 2 * (size_t)cap * sizeof(*t));
		memcpy(bigger, t, cap * sizeof(*t));
		t = bigger;
		cap *= 2;
	}
	/* The checker accepted the text, so jsmn cannot refuse it. */
	if (r < 1)
		abort();
	d->s = s;
	d->len = n;
	d->n = p.toknext;
	d->tok = evp_arena_alloc(a, d->n * sizeof(*d->tok));
	for (size_t i = d->n; i-- > 0; ) {
		struct evp_jtok *k = &d->tok[i];
		k->start = (uint32_t)t[i].start;
		k->end = (uint32_t)t[i].end;
		k->size = (uint32_t)t[i].size;
		k->next = (uint32_t)i + 1;
		switch (t[i].type) {
		case JSMN_OBJECT:
		case JSMN_ARRAY:
			k->type = t[i].type == JSMN_OBJECT ? EVP_JSON_OBJECT :
			    EVP_JSON_ARRAY;
			/* Skip the children, whose extents are known. */
			for (uint32_t m = 0, j = (uint32_t)i + 1;
			    m < k->size * (k->type == EVP_JSON_OBJECT ? 2 : 1); m++)
				j = k->next = d->tok[j].next;
			break;
		case JSMN_STRING:
			k->type = EVP_JSON_STRING;
			k->size = 0;
			break;
		default:
			k->type = s[k->start] == 't' ? EVP_JSON_TRUE :
			    s[k->start] == 'f' ? EVP_JSON_FALSE :
			    s[k->start] == 'n' ? EVP_JSON_NULL : EVP_JSON_NUMBER;
			k->size = 0;
			break;
		}
	}
}

struct evp_str
evp_jdoc_str(const struct evp_jdoc *d, size_t i, struct evp_arena *a)
{
	struct evp_str raw = evp_jdoc_raw(d, i);

	if (memchr(raw.p, '\\', raw.len) == NULL)
		return raw;
	char *m = evp_arena_alloc(a, raw.len + 1);
	size_t len = evp_unbackslash(raw.p, raw.len, m);
	m[len] = '\0';
	return (struct evp_str){ m, len };
}

size_t
evp_jdoc_member(const struct evp_jdoc *d, size_t obj, const char *key,
    size_t len, struct evp_arena *a)
{
	if (d->tok[obj].type != EVP_JSON_OBJECT)
		return 0;
	for (size_t m = 0, k = obj + 1; m < d->tok[obj].size; m++) {
		struct evp_str name = evp_jdoc_str(d, k, a);
		if (evp_str_eq(name, key, len))
			return k + 1;
		k = d->tok[k + 1].next;
	}
	return 0;
}

size_t
evp_jdoc_path(const struct evp_jdoc *d, size_t i, const char *path, size_t len,
    struct evp_arena *a)
{
	const char *end = path + len;

	for (const char *p = path; ; ) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		const char *e = dot ? dot : end;
		if ((i = evp_jdoc_member(d, i, p, (size_t)(e - p), a)) == 0)
			return 0;
		if (dot == NULL)
			return i;
		p = dot + 1;
	}
}

struct keyat {
	struct evp_str	key;
	size_t		tok;
};

static int
key_cmp(const void *x, const void *y)
{
	const struct keyat *a = x, *b = y;
	size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
	int c = n ? memcmp(a->key.p, b->key.p, n) : 0;

	if (c != 0)
		return c;
	if (a->key.len != b->key.len)
		return a->key.len < b->key.len ? -1 : 1;
	return a->tok < b->tok ? -1 : a->tok > b->tok;
}

/* The first repeated key of the object at token obj, or 0. */
static size_t
repeated_in(const struct evp_jdoc *d, size_t obj, struct evp_arena *a)
{
	size_t n = d->tok[obj].size, first = 0;

	if (n < 2)
		return 0;
	struct keyat *k = evp_arena_alloc(a, n * sizeof(*k));
	for (size_t m = 0, t = obj + 1; m < n; m++) {
		k[m] = (struct keyat){ evp_jdoc_str(d, t, a), t };
		t = d->tok[t + 1].next;
	}
	/* Sorted, a key's copies sit together in document order. */
	qsort(k, n, sizeof(*k), key_cmp);
	for (size_t m = 1; m < n; m++)
		if (evp_str_eq(k[m].key, k[m - 1].key.p, k[m - 1].key.len) &&
		    (first == 0 || k[m].tok < first))
			first = k[m].tok;
	return first;
}

size_t
evp_jdoc_repeated(const struct evp_jdoc *d, size_t i, struct evp_arena *a)
{
	size_t first = 0;

	for (size_t k = i; k < d->tok[i].next; k++)
		if (d->tok[k].type == EVP_JSON_OBJECT) {
			size_t r = repeated_in(d, k, a);
			if (r != 0 && (first == 0 || r < first))
				first = r;
		}
	return first;
}

void
evp_jdoc_compact(const struct evp_jdoc *d, size_t i, struct evp_buf *b)
{
	const struct evp_jtok *t = &d->tok[i];
	size_t start = t->start, end = t->end;

	if (t->type == EVP_JSON_STRING) {
		start--;
		end++;
	}
	evp_buf_grow(b, end - start);
	for (size_t k = start; k < end; k++) {
		char c = d->s[k];
		if (c == '"') {
			/* Copy the string whole, escapes and all. */
			size_t e = k + 1;
			while (d->s[e] != '"')
				e += d->s[e] == '\\' ? 2 : 1;
			evp_buf_add(b, d->s + k, e + 1 - k);
			k = e;
		} else if (!isws((unsigned char)c))
			b->p[b->len++] = c;
	}
	b->p[b->len] = '\0';
}

int
evp_json_is_int(struct evp_str num)
{
	return memchr(num.p, '.', num.len) == NULL &&
	    memchr(num.p, 'e', num.len) == NULL &&
	    memchr(num.p, 'E', num.len) == NULL;
}

const char *
evp_json_type_name(enum evp_jtype t)
{
	static const char *const names[] = {
		"?", "object", "array", "string", "number", "boolean", "boolean",
		"null"
	};

	return names[t <= EVP_JSON_NULL ? t : 0];
}
