#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "formats/json.h"
#include "formats/jsonl.h"
#include "formats/jsonrec.h"

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
bad(struct evp_verdict *v, const char *reason, const char *what, size_t at)
{
	evp_verdict_set(v, reason, "%s at offset %zu", what, at);
	return -1;
}

/*
 * Offset of the first bracket nested deeper than max, or n.  It runs
 * before anything else looks at structure, because jsmn closes brackets
 * in time proportional to the depth: a line of '[' would take minutes.
 * Brackets inside strings do not count; mismatches are left to the
 * syntax check.
 */
static size_t
too_deep(const char *s, size_t n, size_t max)
{
	size_t depth = 0;

	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '"':
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			break;
		case '[':
		case '{':
			if (++depth > max)
				return i;
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		}
	}
	return n;
}

static int
strcmp_len(const void *x, const void *y)
{
	const struct evp_str *a = x, *b = y;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->len == 0 ? 0 : memcmp(a->p, b->p, a->len);
}

static int
repeated(struct evp_verdict *v, struct evp_str key)
{
	/* An ignored key may hold anything: name it only when it prints. */
	if (key.len <= 64 && evp_ctl_find(key.p, key.len) == key.len)
		evp_verdict_set(v, "repeated_key", "key %.*s given twice",
		    (int)key.len, key.p);
	else
		evp_verdict_set(v, "repeated_key", "a key of %zu bytes given twice",
		    key.len);
	return -1;
}

/* Walk the top-level keys of the checked, tokenised line. */
static int
fields(const struct evp_jsonl_opts *o, const struct evp_jdoc *d,
    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v)
{
	const struct evp_header *cols = o->cols;
	struct evp_str *other = NULL;
	size_t nother = 0, found = 0;

	/* A NULL pointer marks a column not seen yet, to catch repeats. */
	for (size_t c = 0; c < cols->n; c++)
		vals[c] = (struct evp_str){ NULL, 0 };
	for (size_t m = 0, k = 1; m < d->tok[0].size; m++, k = d->tok[k + 1].next) {
		struct evp_str key = evp_jdoc_str(d, k, a);
		size_t c;
		for (c = 0; c < cols->n; c++)
			if (evp_str_eq(cols->name[c], key.p, key.len))
				break;
		if (c == cols->n) {
			/* Ignored keys are compared once, sorted, at the end. */
			if (other == NULL)
				other = evp_arena_alloc(a,
				    d->tok[0].size * sizeof(*other));
			other[nother++] = key;
			continue;
		}
		if (vals[c].p != NULL)
			return repeated(v, key);
		if (evp_jsonrec_field(1, d, k + 1, key, a, &vals[c], v) < 0)
			return -1;
		found++;
	}
	if (nother > 1) {
		qsort(other, nother, sizeof(*other), strcmp_len);
		for (size_t k = 1; k < nother; k++)
			if (strcmp_len(&other[k - 1], &other[k]) == 0)
				return repeated(v, other[k]);
	}
	for (size_t c = 0; c < cols->n; c++)
		if (vals[c].p == NULL)
			vals[c] = (struct evp_str){ "", 0 };
	if (found == 0 && o->no_fields != NULL) {
		evp_verdict_set(v, o->no_fields, "no key names a column");
		return -1;
	}
	return 0;
}

int
evp_jsonl_parse(const struct evp_jsonl_opts *o, const char *s, size_t n,
    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v)
{
	size_t max = o->max_depth ? o->max_depth : EVP_JSONL_DEPTH, at, i;
	const char *nul = memchr(s, '\0', n);
	struct evp_jcheck c;
	struct evp_jdoc d;
	int rc;

	/* jsmn stops silently at a NUL: look for one first. */
	if (nul != NULL)
		return bad(v, "nul_byte", "NUL byte", (size_t)(nul - s));
	/* jsmn keeps offsets in an int. */
	if (n > INT_MAX)
		return bad(v, "invalid_json", "line too long", (size_t)INT_MAX);
	if ((at = too_deep(s, n, max)) < n) {
		evp_verdict_set(v, "nesting_too_deep",
		    "nesting deeper than %zu at offset %zu", max, at);
		return -1;
	}
	if ((at = evp_utf8_invalid(s, n)) < n) {
		evp_verdict_set(v, "invalid_utf8",
		    "invalid UTF-8 byte 0x%02x at offset %zu", (unsigned char)s[at], at);
		return -1;
	}
	for (i = 0; i < n && isws(s[i]); i++)
		;
	if (i == n || s[i] != '{')
		return bad(v, "invalid_json", "not a JSON object", i);

	evp_jcheck_init(&c, max, EVP_JSON_NO_NUL | EVP_JSON_FINE);
	rc = evp_jcheck_feed(&c, s, n, &at, v);
	evp_jcheck_release(&c);
	if (rc < 0)
		return -1;
	if (rc == EVP_JC_MORE)
		return bad(v, "invalid_json", "line ends inside the object", n);
	for (i = at; i < n; i++)
		if (!isws(s[i]))
			return bad(v, "invalid_json", "text after the object", i);
	evp_jdoc_tokens(&d, s, at, a);
	return fields(o, &d, a, vals, v);
}

int
evp_jsonl_sniff(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i < n && s[i] == '{';
}
