#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "formats/jsonl.h"
#include "core/text.h"

/*
 * jsmn tokenises; it does not validate (see DEPS.md).  Its implementation
 * lives in this unit only, so the layout-changing PARENT_LINKS needs no
 * Makefile flag.
 */
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#define NTOK_LOCAL	64	/* tokens on the stack: a flat 8-field line needs 17 */
#define STACK_LOCAL	64	/* nesting levels checked without the arena */

/* Where the syntax check is in the grammar: what the next token may be. */
enum want {
	W_VALUE,		/* after ':' or an array's ',' */
	W_VALUE_OR_CLOSE,	/* after '[' */
	W_KEY,			/* after an object's ',' */
	W_KEY_OR_CLOSE,		/* after '{' */
	W_COLON,		/* after a key */
	W_COMMA_OR_CLOSE,	/* after a value inside a container */
	W_END			/* after the top-level object */
};

static int
bad(struct evp_verdict *v, const char *reason, const char *what, size_t at)
{
	evp_verdict_set(v, reason, "%s at offset %zu", what, at);
	return -1;
}

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
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

/* Value of the four hex digits at s[i], or -1. */
static long
hex4(const char *s, size_t n, size_t i)
{
	long u = 0;

	if (n - i < 4)
		return -1;
	for (size_t k = 0; k < 4; k++) {
		int h = evp_hexval((unsigned char)s[i + k]);
		if (h < 0)
			return -1;
		u = u << 4 | h;
	}
	return u;
}

/*
 * Check the string whose opening quote is s[i].  Return the offset past
 * its closing quote, or 0 with *v set.  Every \u escape is checked here,
 * in ignored keys too, so that unescape() cannot fail later.
 */
static size_t
string_end(const char *s, size_t n, size_t i, struct evp_verdict *v)
{
	for (i++; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20) {
			evp_verdict_set(v, "invalid_json",
			    "raw control byte 0x%02x in a string at offset %zu", c, i);
			return 0;
		}
		if (c != '\\')
			continue;
		size_t esc = i;
		if (++i == n)
			break;
		switch (s[i]) {
		case '"': case '\\': case '/': case 'b':
		case 'f': case 'n': case 'r': case 't':
			continue;
		case 'u':
			break;
		default:
			bad(v, "invalid_json", "bad escape in a string", esc);
			return 0;
		}
		long u = hex4(s, n, i + 1), lo;
		if (u < 0) {
			bad(v, "invalid_json", "bad \\u escape", esc);
			return 0;
		}
		i += 4;
		if (u == 0) {
			bad(v, "bad_unicode_escape", "\\u0000", esc);
			return 0;
		}
		if (u >= 0xDC00 && u <= 0xDFFF) {
			bad(v, "bad_unicode_escape", "lone low surrogate", esc);
			return 0;
		}
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (n - i < 7 || s[i + 1] != '\\' || s[i + 2] != 'u' ||
			    (lo = hex4(s, n, i + 3)) < 0xDC00 || lo > 0xDFFF) {
				bad(v, "bad_unicode_escape", "lone high surrogate", esc);
				return 0;
			}
			i += 6;
		}
	}
	bad(v, "invalid_json", "unterminated string", n);
	return 0;
}

/*
 * Offset past the number starting at s[i], or 0 if there is none there:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 */
static size_t
number_end(const char *s, size_t n, size_t i)
{
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (++i < n && isdig(s[i]))
			;
	else
		return 0;
	if (i < n && s[i] == '.') {
		if (++i == n || !isdig(s[i]))
			return 0;
		while (++i < n && isdig(s[i]))
			;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == n || !isdig(s[i]))
			return 0;
		while (++i < n && isdig(s[i]))
			;
	}
	return i;
}

/* Offset past the literal word at s[i], or 0. */
static size_t
literal_end(const char *s, size_t n, size_t i, const char *word, size_t len)
{
	if (n - i < len || memcmp(s + i, word, len) != 0)
		return 0;
	return i + len;
}

/*
 * The strict syntax check jsmn lacks: one object, RFC 8259 grammar
 * (commas, colons, literals, numbers, escapes), nothing after it.  An
 * explicit stack of open brackets keeps it iterative; too_deep() has
 * already bounded its height by cap.
 */
static int
syntax(const char *s, size_t n, char *stk, size_t cap, struct evp_verdict *v)
{
	enum want want = W_VALUE;
	size_t depth = 0, i = 0, e;

	while (i < n && isws((unsigned char)s[i]))
		i++;
	if (i == n || s[i] != '{')
		return bad(v, "invalid_json", "not a JSON object", i);
	for (;;) {
		while (i < n && isws((unsigned char)s[i]))
			i++;
		if (i == n) {
			if (want == W_END)
				return 0;
			return bad(v, "invalid_json", "line ends inside the object", i);
		}
		char c = s[i];
		switch (want) {
		case W_END:
			return bad(v, "invalid_json", "text after the object", i);
		case W_COLON:
			if (c != ':')
				return bad(v, "invalid_json", "expected ':'", i);
			i++;
			want = W_VALUE;
			continue;
		case W_COMMA_OR_CLOSE:
			if (c == ',') {
				i++;
				want = stk[depth - 1] == '{' ? W_KEY : W_VALUE;
				continue;
			}
			if (c == (stk[depth - 1] == '{' ? '}' : ']'))
				goto close;
			return bad(v, "invalid_json", stk[depth - 1] == '{' ?
			    "expected ',' or '}'" : "expected ',' or ']'", i);
		case W_KEY_OR_CLOSE:
			if (c == '}')
				goto close;
			/* FALLTHROUGH */
		case W_KEY:
			if (c != '"')
				return bad(v, "invalid_json", "expected a string key", i);
			if ((i = string_end(s, n, i, v)) == 0)
				return -1;
			want = W_COLON;
			continue;
		case W_VALUE_OR_CLOSE:
			if (c == ']')
				goto close;
			/* FALLTHROUGH */
		case W_VALUE:
			break;
		}

		/* A value. */
		switch (c) {
		case '{':
		case '[':
			if (depth == cap)
				return bad(v, "nesting_too_deep", "nesting too deep", i);
			stk[depth++] = c;
			i++;
			want = c == '{' ? W_KEY_OR_CLOSE : W_VALUE_OR_CLOSE;
			continue;
		case '"':
			e = string_end(s, n, i, v);
			if (e == 0)
				return -1;
			break;
		case 't':
			e = literal_end(s, n, i, "true", 4);
			break;
		case 'f':
			e = literal_end(s, n, i, "false", 5);
			break;
		case 'n':
			e = literal_end(s, n, i, "null", 4);
			break;
		default:
			e = number_end(s, n, i);
			break;
		}
		if (e == 0)
			return bad(v, "invalid_json", "expected a value", i);
		i = e;
		want = W_COMMA_OR_CLOSE;
		continue;
close:
		depth--;
		i++;
		want = depth == 0 ? W_END : W_COMMA_OR_CLOSE;
	}
}

/* Append code point u as UTF-8. */
static size_t
put_utf8(char *d, unsigned long u)
{
	if (u < 0x80) {
		d[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		d[0] = (char)(0xC0 | u >> 6);
		d[1] = (char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		d[0] = (char)(0xE0 | u >> 12);
		d[1] = (char)(0x80 | (u >> 6 & 0x3F));
		d[2] = (char)(0x80 | (u & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | u >> 18);
	d[1] = (char)(0x80 | (u >> 12 & 0x3F));
	d[2] = (char)(0x80 | (u >> 6 & 0x3F));
	d[3] = (char)(0x80 | (u & 0x3F));
	return 4;
}

/*
 * The text of the string s[0..n) (between its quotes), already checked
 * by string_end().  Without a backslash it is the input itself.  The
 * result is valid UTF-8: the raw bytes were checked and every escape
 * makes a whole scalar value.
 */
static struct evp_str
unescape(const char *s, size_t n, struct evp_arena *a)
{
	if (memchr(s, '\\', n) == NULL)
		return (struct evp_str){ s, n };

	/* An escape never grows: \uXXXX is 6 bytes for at most 3. */
	char *d = evp_arena_alloc(a, n);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			d[o++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'b': d[o++] = '\b'; break;
		case 'f': d[o++] = '\f'; break;
		case 'n': d[o++] = '\n'; break;
		case 'r': d[o++] = '\r'; break;
		case 't': d[o++] = '\t'; break;
		case 'u': {
			unsigned long u = (unsigned long)hex4(s, n, i + 1);
			i += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				unsigned long lo = (unsigned long)hex4(s, n, i + 3);
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
			o += put_utf8(d + o, u);
			break;
		}
		default:	/* " \ / stand for themselves */
			d[o++] = s[i];
			break;
		}
	}
	return (struct evp_str){ d, o };
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

/* Fill *val from the value token t of column key. */
static int
column_value(const char *s, const jsmntok_t *t, struct evp_str key,
    struct evp_arena *a, struct evp_str *val, struct evp_verdict *v)
{
	const char *p = s + t->start;
	size_t len = (size_t)(t->end - t->start);

	if (t->type == JSMN_STRING) {
		*val = unescape(p, len, a);
		size_t at = evp_ctl_find(val->p, val->len);
		if (at < val->len) {
			evp_verdict_set(v, "control_char",
			    "control character 0x%02x in value of %.*s",
			    (unsigned char)val->p[at], (int)key.len, key.p);
			return -1;
		}
		return 0;
	}
	if (t->type == JSMN_PRIMITIVE && p[0] == 'n') {
		*val = (struct evp_str){ "", 0 };
		return 0;
	}
	if (t->type == JSMN_PRIMITIVE && p[0] != 't' && p[0] != 'f') {
		/* A number keeps its text: 10.50 stays 10.50. */
		*val = (struct evp_str){ p, len };
		return 0;
	}
	evp_verdict_set(v, "bad_json_type", "%s for %.*s",
	    t->type == JSMN_OBJECT ? "object" : t->type == JSMN_ARRAY ? "array" :
	    "boolean", (int)key.len, key.p);
	return -1;
}

/* Walk the top-level keys of the checked, tokenised line. */
static int
fields(const struct evp_header *cols, const char *no_fields, const char *s,
    const jsmntok_t *tok, size_t ntok, struct evp_arena *a,
    struct evp_str *vals, struct evp_verdict *v)
{
	struct evp_str *other = NULL;
	size_t nother = 0, found = 0;

	/* A NULL pointer marks a column not seen yet, to catch repeats. */
	for (size_t c = 0; c < cols->n; c++)
		vals[c] = (struct evp_str){ NULL, 0 };
	for (size_t i = 1; i + 1 < ntok; i++) {
		if (tok[i].parent != 0)
			continue;
		struct evp_str key = unescape(s + tok[i].start,
		    (size_t)(tok[i].end - tok[i].start), a);
		size_t c;
		for (c = 0; c < cols->n; c++)
			if (evp_str_eq(cols->name[c], key.p, key.len))
				break;
		if (c == cols->n) {
			/* Ignored keys are compared once, sorted, at the end. */
			if (other == NULL)
				other = evp_arena_alloc(a,
				    (size_t)tok[0].size * sizeof(*other));
			other[nother++] = key;
			continue;
		}
		if (vals[c].p != NULL)
			return repeated(v, key);
		if (column_value(s, &tok[i + 1], key, a, &vals[c], v) < 0)
			return -1;
		found++;
	}
	if (nother > 1) {
		qsort(other, nother, sizeof(*other), strcmp_len);
		for (size_t k = 1; k < nother; k++)
			if (strcmp_len(&other[k - 1], &other[k]) == 0) {
				return repeated(v, other[k]);
			}
	}
	for (size_t c = 0; c < cols->n; c++)
		if (vals[c].p == NULL)
			vals[c] = (struct evp_str){ "", 0 };
	if (found == 0 && no_fields != NULL) {
		evp_verdict_set(v, no_fields, "no key names a column");
		return -1;
	}
	return 0;
}

int
evp_jsonl_parse(const struct evp_jsonl_opts *o, const char *s, size_t n,
    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v)
{
	size_t max = o->max_depth ? o->max_depth : EVP_JSONL_DEPTH, at;
	const char *nul = memchr(s, '\0', n);

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

	char stk_local[STACK_LOCAL];
	/* No line nests deeper than it has bytes. */
	size_t cap = max < n ? max : n;
	char *stk = cap <= STACK_LOCAL ? stk_local : evp_arena_alloc(a, cap);
	if (syntax(s, n, stk, cap, v) < 0)
		return -1;

	jsmn_parser p;
	jsmntok_t tok_local[NTOK_LOCAL], *tok = tok_local;
	unsigned int ntok = NTOK_LOCAL;
	int r;

	/* On NOMEM jsmn resumes where it stopped when given more tokens. */
	jsmn_init(&p);
	while ((r = jsmn_parse(&p, s, n, tok, ntok)) == JSMN_ERROR_NOMEM) {
		jsmntok_t *t = evp_arena_alloc(a, 2 * (size_t)ntok * sizeof(*t));
		memcpy(t, tok, ntok * sizeof(*t));
		tok = t;
		ntok *= 2;
	}
	/* The syntax check accepted it, so this is a bug, not bad input. */
	if (r < 1 || tok[0].type != JSMN_OBJECT)
		return bad(v, "invalid_json", "tokeniser refused the line", p.pos);
	return fields(o->cols, o->no_fields, s, tok, p.toknext, a, vals, v);
}

int
evp_jsonl_sniff(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i < n && s[i] == '{';
}
