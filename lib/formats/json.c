#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"
#include "formats/json.h"

/* What the checker expects next. */
enum want {
	W_START,		/* the value, after white space */
	W_VALUE,		/* after ':' or an array's ',' */
	W_VALUE_OR_CLOSE,	/* after '[' */
	W_KEY,			/* after an object's ',' */
	W_KEY_OR_CLOSE,		/* after '{' */
	W_COLON,		/* after a key */
	W_COMMA_OR_CLOSE	/* after a value inside a container */
};

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

static int
bad(struct evp_verdict *v, const char *what, size_t at)
{
	evp_verdict_set(v, "invalid_json", "%s at offset %zu", what, at);
	return -1;
}

void
evp_jcheck_init(struct evp_jcheck *c, size_t max_depth, unsigned flags)
{
	memset(c, 0, sizeof(*c));
	c->max = max_depth;
	c->flags = flags;
}

void
evp_jcheck_release(struct evp_jcheck *c)
{
	free(c->stk);
	c->stk = NULL;
	c->cap = 0;
}

void
evp_jcheck_reset(struct evp_jcheck *c)
{
	c->want = W_START;
	c->depth = 0;
	c->top = 0;
}

/*
 * Check the string whose opening quote is s[i]: escapes, no raw control
 * byte, valid UTF-8, no lone surrogate (nor \u0000 if refused).  Return
 * the offset past its closing quote, or 0 with *v set.
 */
static size_t
string_end(const struct evp_jcheck *c, const char *s, size_t n, size_t i,
    struct evp_verdict *v)
{
	size_t open = i;

	for (i++; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"') {
			size_t at = evp_utf8_invalid(s + open + 1, i - open - 1);
			if (at < i - open - 1) {
				bad(v, "invalid UTF-8 in a string", open + 1 + at);
				return 0;
			}
			return i + 1;
		}
		if (ch < 0x20) {
			evp_verdict_set(v, "invalid_json",
			    "raw control byte 0x%02x in a string at offset %zu",
			    ch, i);
			return 0;
		}
		if (ch != '\\')
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
			bad(v, "bad escape in a string", esc);
			return 0;
		}
		long u = evp_hex4(s + i + 1, n - i - 1), lo;
		if (u < 0) {
			bad(v, "bad \\u escape", esc);
			return 0;
		}
		i += 4;
		const char *why = NULL;
		if (u == 0 && (c->flags & EVP_JSON_NO_NUL))
			why = "\\u0000";
		else if (u >= 0xDC00 && u <= 0xDFFF)
			why = "lone low surrogate";
		else if (u >= 0xD800 && u <= 0xDBFF) {
			if (n - i < 7 || s[i + 1] != '\\' || s[i + 2] != 'u' ||
			    (lo = evp_hex4(s + i + 3, n - i - 3)) < 0xDC00 ||
			    lo > 0xDFFF)
				why = "lone high surrogate";
			else
				i += 6;
		}
		if (why != NULL) {
			evp_verdict_set(v, c->flags & EVP_JSON_FINE ?
			    "bad_unicode_escape" : "invalid_json", "%s at offset %zu",
			    why, esc);
			return 0;
		}
	}
	bad(v, "unterminated string", n);
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

/* Offset past the scalar value at s[i], or 0 with *v set. */
static size_t
scalar_end(const struct evp_jcheck *c, const char *s, size_t n, size_t i,
    struct evp_verdict *v)
{
	size_t e;

	switch (s[i]) {
	case '"':
		return string_end(c, s, n, i, v);
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
		bad(v, "expected a value", i);
	return e;
}

static int
open_bracket(struct evp_jcheck *c, char b, size_t at, struct evp_verdict *v)
{
	if (c->depth == c->max) {
		evp_verdict_set(v, "nesting_too_deep",
		    "nesting deeper than %zu at offset %zu", c->max, at);
		return -1;
	}
	if (c->depth == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->stk = xrealloc(c->stk, c->cap);
	}
	c->stk[c->depth++] = b;
	c->want = b == '{' ? W_KEY_OR_CLOSE : W_VALUE_OR_CLOSE;
	return 0;
}

int
evp_jcheck_feed(struct evp_jcheck *c, const char *s, size_t n, size_t *at,
    struct evp_verdict *v)
{
	size_t i = 0, e;

	for (;;) {
		while (i < n && isws((unsigned char)s[i]))
			i++;
		if (i == n) {
			*at = n;
			return EVP_JC_MORE;
		}
		char ch = s[i];
		*at = i;
		switch (c->want) {
		case W_COLON:
			if (ch != ':')
				return bad(v, "expected ':'", i);
			i++;
			c->want = W_VALUE;
			continue;
		case W_COMMA_OR_CLOSE:
			if (ch == ',') {
				i++;
				c->want = c->stk[c->depth - 1] == '{' ? W_KEY : W_VALUE;
				continue;
			}
			if (ch == (c->stk[c->depth - 1] == '{' ? '}' : ']'))
				goto close;
			return bad(v, c->stk[c->depth - 1] == '{' ?
			    "expected ',' or '}'" : "expected ',' or ']'", i);
		case W_KEY_OR_CLOSE:
			if (ch == '}')
				goto close;
			/* FALLTHROUGH */
		case W_KEY:
			if (ch != '"')
				return bad(v, "expected a string key", i);
			if ((i = string_end(c, s, n, i, v)) == 0)
				return -1;
			c->want = W_COLON;
			continue;
		case W_VALUE_OR_CLOSE:
			if (ch == ']')
				goto close;
			break;
		case W_START:
			c->top = ch;
			break;
		case W_VALUE:
			break;
		}

		/* A value. */
		if (ch == '{' || ch == '[') {
			if (open_bracket(c, ch, i, v) < 0)
				return -1;
			i++;
			continue;
		}
		if ((e = scalar_end(c, s, n, i, v)) == 0) {
			*at = i;
			return -1;
		}
		i = e;
		if (c->depth == 0) {
			*at = i;
			return EVP_JC_END;
		}
		c->want = W_COMMA_OR_CLOSE;
		continue;
close:
		c->depth--;
		i++;
		if (c->depth == 0) {
			*at = i;
			return EVP_JC_END;
		}
		c->want = W_COMMA_OR_CLOSE;
	}
}

int
evp_json_parse(struct evp_jdoc *d, const char *s, size_t n, size_t max_depth,
    unsigned flags, struct evp_arena *a, struct evp_verdict *v)
{
	struct evp_jcheck c;
	size_t at;
	int rc;

	/* jsmn keeps offsets in an int. */
	if (n > INT_MAX)
		return bad(v, "text too long", (size_t)INT_MAX);
	evp_jcheck_init(&c, max_depth, flags);
	rc = evp_jcheck_feed(&c, s, n, &at, v);
	evp_jcheck_release(&c);
	if (rc < 0)
		return -1;
	if (rc == EVP_JC_MORE)
		return bad(v, c.top ? "text ends inside the value" :
		    "no value", n);
	for (size_t i = at; i < n; i++)
		if (!isws((unsigned char)s[i]))
			return bad(v, "text after the value", i);
	evp_jdoc_tokens(d, s, at, a);
	return 0;
}

