#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/query.h"
#include "core/text.h"

/*
 * Decode one key or value in one pass: percent escapes and '+', then no
 * control byte and valid UTF-8.  s[0..i) is known to need no decoding
 * (i is n when none of it does).  The result points into s when nothing
 * needed decoding, else into arena memory.
 */
static int
decode(const char *s, size_t n, size_t i, struct evp_arena *a,
    struct evp_str *out, struct evp_verdict *v, const char *what)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o;
	int high = 0;

	/* Plain text, the usual case, needs neither copy nor second pass. */
	if (i == n) {
		*out = (struct evp_str){ s, n };
		return 0;
	}
	char *d = evp_arena_alloc(a, n + 1);
	memcpy(d, s, i);
	for (o = i; i < n; i++) {
		unsigned c = p[i];
		if (c == '+') {
			d[o++] = ' ';
			continue;
		}
		if (c == '%') {
			int h, l;
			if (n - i < 3 || (h = evp_hexval(p[i + 1])) < 0 ||
			    (l = evp_hexval(p[i + 2])) < 0) {
				evp_verdict_set(v, "bad_percent_escape",
				    "bad %% escape in %s: '%.*s'", what,
				    (int)(n - i < 3 ? n - i : 3), s + i);
				return -1;
			}
			c = (unsigned)(h << 4 | l);
			i += 2;
		}
		if (c < 0x20 || c == 0x7F) {
			evp_verdict_set(v, "control_char",
			    "control character 0x%02x in %s", c, what);
			return -1;
		}
		high |= c >= 0x80;
		d[o++] = (char)c;
	}
	if (high) {
		size_t at = evp_utf8_invalid(d, o);
		if (at < o) {
			evp_verdict_set(v, "invalid_utf8",
			    "invalid UTF-8 byte 0x%02x in %s", (unsigned char)d[at],
			    what);
			return -1;
		}
	}
	*out = (struct evp_str){ d, o };
	return 0;
}

/*
 * How much of [s, e) needs no decoding.  *sp is the next byte to decode
 * at or after some earlier place (end when none): one scan of the query
 * serves all the fields it passes over, and a stale *sp moves on.
 */
static size_t
plain_len(const char **sp, const char *s, const char *e, const char *end)
{
	if (*sp < s)
		*sp = s + evp_url_plain(s, (size_t)(end - s));
	return (size_t)((*sp < e ? *sp : e) - s);
}

static const char *const src_names[] = {
	[EVP_SRC_NONE] = "@none", [EVP_SRC_TIME] = "@time",
	[EVP_SRC_PATH] = "@path", [EVP_SRC_ENDPOINT] = "@endpoint",
	[EVP_SRC_METHOD] = "@method", [EVP_SRC_CLIENT] = "@client",
	[EVP_SRC_STATUS] = "@status",
};

int
evp_src_parse(const char *s, size_t n)
{
	if (n == 0 || s[0] != '@')
		return EVP_SRC_KEY;
	for (size_t i = EVP_SRC_NONE; i <= EVP_SRC_STATUS; i++)
		if (strlen(src_names[i]) == n && memcmp(src_names[i], s, n) == 0)
			return (int)i;
	return -1;
}

/* The key column named key, or -1; keys usually come in column order. */
static int
key_column(const struct evp_query_opts *o, struct evp_str key, size_t *next)
{
	const struct evp_header *cols = o->cols;

	for (size_t k = 0; k < cols->n; k++) {
		size_t i = (*next + k) % cols->n;
		if (evp_str_eq(cols->name[i], key.p, key.len) &&
		    (o->src == NULL || o->src[i] == EVP_SRC_KEY)) {
			*next = i + 1;
			return (int)i;
		}
	}
	return -1;
}

int
evp_query_decode(const struct evp_query_opts *o, const char *q, size_t n,
    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v)
{
	const struct evp_header *cols = o->cols;
	size_t found = 0, next = 0;

	/* A NULL pointer marks a column not seen yet, to catch repeats. */
	for (size_t i = 0; i < cols->n; i++)
		vals[i] = (struct evp_str){ NULL, 0 };
	const char *p = q, *end = q + n;
	const char *sp = q + evp_url_plain(q, n);	/* next byte to decode */
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;
		if (pe == p) {		/* empty pair: "a=1&&b=2" */
			p = pe + 1;
			continue;
		}
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		const char *ke = eq ? eq : pe;
		struct evp_str key, val;
		struct evp_verdict ignored;
		/* A key that does not decode names no column: ignored. */
		int col = -1;
		if (decode(p, (size_t)(ke - p), plain_len(&sp, p, ke, end), a, &key,
		    &ignored, "key") == 0)
			col = key_column(o, key, &next);
		p = pe + 1;
		if (col < 0)
			continue;
		if (vals[col].p != NULL) {
			evp_verdict_set(v, "repeated_key", "key %.*s given twice",
			    (int)key.len, key.p);
			return -1;
		}
		const char *vs = eq ? eq + 1 : pe;
		if (decode(vs, (size_t)(pe - vs), plain_len(&sp, vs, pe, end), a,
		    &val, v, "value") < 0) {
			snprintf(v->detail + strlen(v->detail),
			    sizeof(v->detail) - strlen(v->detail), " of %.*s",
			    (int)key.len, key.p);
			return -1;
		}
		vals[col] = val;
		found++;
	}
	for (size_t i = 0; i < cols->n; i++)
		if (vals[i].p == NULL)
			vals[i] = (struct evp_str){ "", 0 };
	if (found == 0 && o->no_fields != NULL) {
		evp_verdict_set(v, o->no_fields, "no key names a column");
		return -1;
	}
	return 0;
}

int
evp_query_path_ok(const struct evp_names *paths, const char *path, size_t n)
{
	for (size_t i = 0; i < paths->n; i++)
		if (evp_str_eq(paths->name[i], path, n))
			return 1;
	return 0;
}

int
evp_query_parse(const struct evp_query_opts *o, const char *s, size_t n,
    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v)
{
	const char *end = s + n, *path = NULL;

	if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		path = s + 7;
	else if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		path = s + 8;
	if (path != NULL) {
		/* Skip the authority: host and port end at the first '/' or '?'. */
		while (path < end && *path != '/' && *path != '?')
			path++;
	} else if (n > 0 && s[0] == '/')
		path = s;

	const char *q = s;
	if (path != NULL) {
		const char *qm = memchr(path, '?', (size_t)(end - path));
		const char *pe = qm ? qm : end;
		if (!evp_query_path_ok(o->paths, path, (size_t)(pe - path))) {
			evp_verdict_set(v, "not_event_path", "path %.*s",
			    (int)((pe - path) < 80 ? pe - path : 80), path);
			return -1;
		}
		if (qm == NULL || qm + 1 == end) {
			evp_verdict_set(v, "no_query", qm == NULL ?
			    "request has no query string" :
			    "request has an empty query string");
			return -1;
		}
		q = qm + 1;
	} else if (n > 0 && s[0] == '?')
		q = s + 1;
	/* A raw space or control byte never appears in a real query string. */
	for (const char *c = q; c < end; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7F) {
			evp_verdict_set(v, *c == ' ' ? "bad_query" : "control_char",
			    "raw byte 0x%02x in query string", (unsigned char)*c);
			return -1;
		}
	return evp_query_decode(o, q, (size_t)(end - q), a, vals, v);
}
