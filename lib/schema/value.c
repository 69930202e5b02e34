/*
 * What the checks ask of instance values: equality of two JSON values
 * (enum, const, uniqueItems), numbers as exact decimals, the formats,
 * and regular expression matches through PCRE2 with the match data in
 * the caller's scratch arena.
 */

#include <string.h>

#include "core/xalloc.h"
#include "schema/compiled.h"
#include "types/int.h"
#include "types/tstamp.h"

int
evp_schema_number(const struct evp_jdoc *d, size_t i, struct evp_decimal *x)
{
	struct evp_str raw = evp_jdoc_raw(d, i);

	return evp_decimal_parse(x, raw.p, raw.len);
}

static int
str_eq(const struct evp_jdoc *a, size_t i, const struct evp_jdoc *b, size_t j,
    struct evp_arena *mem)
{
	struct evp_str x = evp_jdoc_str(a, i, mem), y = evp_jdoc_str(b, j, mem);

	return evp_str_eq(x, y.p, y.len);
}

int
evp_schema_json_eq(const struct evp_jdoc *a, size_t i, const struct evp_jdoc *b,
    size_t j, struct evp_arena *mem)
{
	const struct evp_jtok *s = &a->tok[i], *t = &b->tok[j];
	struct evp_decimal x, y;

	if (s->type != t->type)
		return 0;
	switch (s->type) {
	case EVP_JSON_NUMBER:
		/* 1 and 1.0 are equal; a number too long to hold, by text */
		if (evp_schema_number(a, i, &x) == 0 &&
		    evp_schema_number(b, j, &y) == 0)
			return evp_decimal_cmp(&x, &y) == 0;
		return evp_str_eq(evp_jdoc_raw(a, i), evp_jdoc_raw(b, j).p,
		    evp_jdoc_raw(b, j).len);
	case EVP_JSON_STRING:
		return str_eq(a, i, b, j, mem);
	case EVP_JSON_ARRAY:
		if (s->size != t->size)
			return 0;
		for (size_t m = 0, p = i + 1, q = j + 1; m < s->size;
		    m++, p = a->tok[p].next, q = b->tok[q].next)
			if (!evp_schema_json_eq(a, p, b, q, mem))
				return 0;
		return 1;
	case EVP_JSON_OBJECT:
		if (s->size != t->size)
			return 0;
		/* Each key of a has an equal value under that key in b. */
		for (size_t m = 0, p = i + 1; m < s->size; m++) {
			struct evp_str k = evp_jdoc_str(a, p, mem);
			size_t q = evp_jdoc_member(b, j, k.p, k.len, mem);
			if (q == 0 || !evp_schema_json_eq(a, p + 1, b, q, mem))
				return 0;
			p = a->tok[p + 1].next;
		}
		return 1;
	default:
		return 1;	/* true, false, null */
	}
}

static int
digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int
hexes(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') ||
		    (p[i] >= 'A' && p[i] <= 'F')))
			return 0;
	return 1;
}

/* YYYY-MM-DD, a day that exists. */
static int
date(struct evp_str s)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	const char *p = s.p;

	if (s.len != 10 || p[4] != '-' || p[7] != '-' || !digits(p, 4) ||
	    !digits(p + 5, 2) || !digits(p + 8, 2))
		return 0;
	int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
	    (p[3] - '0');
	int m = (p[5] - '0') * 10 + (p[6] - '0');
	int d = (p[8] - '0') * 10 + (p[9] - '0');
	if (m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* 8-4-4-4-12 hex digits, either case. */
static int
uuid(struct evp_str s)
{
	static const size_t dash[] = { 8, 13, 18, 23 };

	if (s.len != 36)
		return 0;
	for (size_t i = 0, from = 0; i <= 4; i++) {
		size_t to = i < 4 ? dash[i] : 36;
		if (!hexes(s.p + from, to - from) || (i < 4 && s.p[to] != '-'))
			return 0;
		from = to + 1;
	}
	return 1;
}

int
evp_schema_format_ok(int format, struct evp_str s)
{
	struct evp_tstamp t;

	switch (format) {
	case F_DATETIME:
		/* A SPEC section 2 instant: a date-time or epoch seconds. */
		return evp_tstamp_parse(&t, s.p, s.len) == 0 &&
		    t.kind == EVP_TS_INSTANT;
	case F_DATE:
		return date(s);
	case F_INT64: {
		/* A number token's text, written as a whole number. */
		int64_t i;
		return evp_parse_int64(s.p, s.len, &i) == 0;
	}
	default:
		return uuid(s);
	}
}

/* PCRE2's allocator for the match data: the scratch arena, freed with it. */
static void *
arena_malloc(PCRE2_SIZE n, void *arena)
{
	return evp_arena_alloc(arena, n);
}

static void
arena_free(void *p, void *arena)
{
	(void)p;
	(void)arena;
}

int
evp_schema_match(const struct evp_schema *s, const struct regex *re,
    struct evp_str str, pcre2_match_data **md, struct evp_arena *mem)
{
	if (*md == NULL) {
		pcre2_general_context *g = pcre2_general_context_create(
		    arena_malloc, arena_free, mem);
		if (g == NULL || (*md = pcre2_match_data_create(1, g)) == NULL)
			evp_oom();
	}
	/* JSON text was checked as UTF-8 and its escapes as code points. */
	int rc = pcre2_match(re->code, (PCRE2_SPTR)(str.len ? str.p : ""),
	    str.len, 0, 0, *md, s->mctx);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

const struct sch *
evp_schema_deref(const struct sch *n)
{
	/* $ref chains end: cycles were refused at load. */
	for (;;) {
		const struct sch *next = NULL;
		for (size_t i = 0; i < n->nkw && next == NULL; i++)
			if (n->kw[i].type == K_REF)
				next = n->kw[i].u.sub;
		if (next == NULL)
			return n;
		n = next;
	}
}
