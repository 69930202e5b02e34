#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/accesslog.h"
#include "formats/query.h"
#include "core/text.h"

#define DATE_LEN	28	/* [dd/Mon/yyyy:HH:MM:SS +zzzz] */
#define SHOWN_MAX	81	/* a path quoted in a detail: ~80 bytes */
#define METHOD_MAX	41	/* a method quoted in a detail */

/* What is malformed in a line and where: bad_access_line's detail. */
struct flaw {
	const char	*what;
	size_t		 at;
};

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
flawed(struct flaw *f, const char *what, size_t at)
{
	f->what = what;
	f->at = at;
	return -1;
}

/*
 * A printable copy of p[0..n) for a detail, other bytes as \xHH, cut to
 * fit buf: details stay one readable line whatever the input held.
 */
static const char *
shown(char *buf, size_t size, const char *p, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 5 <= size; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7F)
			buf[k++] = (char)c;
		else
			k += (size_t)snprintf(buf + k, size - k, "\\x%02x", c);
	}
	buf[k] = '\0';
	return buf;
}

/* Is p[0..n) a date bracket in the shape both servers write? */
static int
date_ok(const char *p, size_t n)
{
	static const char shape[] = "[99/Mmm/9999:99:99:99 +9999]";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (n < DATE_LEN)
		return 0;
	for (size_t i = 0; i < DATE_LEN; i++) {
		switch (shape[i]) {
		case '9':
			if (!isdig((unsigned char)p[i]))
				return 0;
			break;
		case '+':
			if (p[i] != '+' && p[i] != '-')
				return 0;
			break;
		case 'M':
		case 'm':
			break;
		default:
			if (p[i] != shape[i])
				return 0;
			break;
		}
	}
	for (const char *m = months; *m != '\0'; m += 3)
		if (memcmp(p + 4, m, 3) == 0)
			return 1;
	return 0;
}

/*
 * Offset past the closing quote of the field whose opening quote is s[i],
 * or 0 with *f set.  The field ends at the first '"' not escaped.  Only
 * the escapes the servers write are allowed (nginx: \xHH; Apache: \" \\
 * \b \n \r \t \v \xhh): anything else means the line was not written by
 * either, and guessing what it meant could change an event.
 */
static size_t
quoted_end(const char *s, size_t n, size_t i, struct flaw *f)
{
	size_t open = i;

	for (i++; i < n; i++) {
		/* Jump to the next quote, stopping at a backslash before it. */
		const char *q = memchr(s + i, '"', n - i);
		size_t qi = q ? (size_t)(q - s) : n;
		const char *b = memchr(s + i, '\\', qi - i);
		if (b == NULL) {
			if (q == NULL)
				break;
			return qi + 1;
		}
		i = (size_t)(b - s);
		if (++i == n)
			break;
		switch (s[i]) {
		case '"': case '\\': case 'b': case 'n':
		case 'r': case 't': case 'v':
			continue;
		case 'x':
			if (n - i > 2 && evp_hexval((unsigned char)s[i + 1]) >= 0 &&
			    evp_hexval((unsigned char)s[i + 2]) >= 0) {
				i += 2;
				continue;
			}
			break;
		}
		flawed(f, "unknown escape in a quoted field", i - 1);
		return 0;
	}
	flawed(f, "unterminated quoted field", open);
	return 0;
}

/* The text of a quoted field s[0..n) (between its quotes), unescaped. */
static struct evp_str
unquote(const char *s, size_t n, struct evp_arena *a)
{
	if (memchr(s, '\\', n) == NULL)
		return (struct evp_str){ s, n };

	char *d = evp_arena_alloc(a, n);
	return (struct evp_str){ d, evp_unbackslash(s, n, d) };
}

/* Offset past a status or bytes field at s[i] (digits, or "-"), or 0. */
static size_t
count_end(const char *s, size_t n, size_t i)
{
	size_t b = i;

	if (i < n && s[i] == '-')
		return i + 1;
	while (i < n && isdig((unsigned char)s[i]))
		i++;
	return i > b ? i : 0;
}

/*
 * Check the line's shape, positionally, and point *req at the request's
 * text, still escaped.  With whole unset, stop at the request's opening
 * quote (the sniff).  Return 0, or -1 with *f naming the malformed part.
 */
static int
split(const char *s, size_t n, int whole, struct evp_str *req, struct flaw *f)
{
	size_t i, e;

	/* Both servers escape control bytes: a raw one means damage. */
	if (whole && (e = evp_ctl_find(s, n)) < n)
		return flawed(f, "raw control byte", e);

	/* Host and ident hold no space. */
	const char *sp = memchr(s, ' ', n);
	if (sp == NULL || sp == s)
		return flawed(f, "no host field", 0);
	i = (size_t)(sp - s) + 1;
	sp = memchr(s + i, ' ', n - i);
	if (sp == NULL || sp == s + i)
		return flawed(f, "no ident field", i);
	i = (size_t)(sp - s) + 1;

	/*
	 * The user may hold spaces (Apache logs it raw): it runs to the
	 * first " [" that opens a date of the right shape.
	 */
	size_t u = i, d = 0;
	for (i = u + 2; i < n; i++) {
		const char *b = memchr(s + i, '[', n - i);
		if (b == NULL)
			break;
		i = (size_t)(b - s);
		if (s[i - 1] == ' ' && date_ok(s + i, n - i)) {
			d = i;
			break;
		}
	}
	if (d == 0)
		return flawed(f, "no user field and [dd/Mon/yyyy:HH:MM:SS +zzzz]"
		    " date", u);
	i = d + DATE_LEN;
	if (n - i < 2 || s[i] != ' ' || s[i + 1] != '"')
		return flawed(f, "no quoted request after the date", i);
	if (!whole)
		return 0;

	if ((e = quoted_end(s, n, i + 1, f)) == 0)
		return -1;
	*req = (struct evp_str){ s + i + 2, e - i - 3 };

	i = e;
	if (i == n || s[i] != ' ')
		return flawed(f, "no status after the request", i);
	e = count_end(s, n, ++i);
	if (e == 0 || (e < n && s[e] != ' '))
		return flawed(f, "bad status field", i);
	if (e == n)
		return flawed(f, "no bytes field after the status", e);
	i = e + 1;
	if ((e = count_end(s, n, i)) == 0 || (e < n && s[e] != ' '))
		return flawed(f, "bad bytes field", i);
	i = e;
	if (i == n)
		return 0;	/* common format */

	if (n - i < 2 || s[i + 1] != '"')
		return flawed(f, "text after the bytes field is not a quoted referer", i);
	if ((e = quoted_end(s, n, i + 1, f)) == 0)
		return -1;
	i = e;
	if (n - i < 2 || s[i] != ' ' || s[i + 1] != '"')
		return flawed(f, "referer without a quoted user agent", i);
	if ((e = quoted_end(s, n, i + 1, f)) == 0)
		return -1;
	i = e;
	/*
	 * nginx users often append fields to combined ($request_time,
	 * "$http_x_forwarded_for"); after a complete pair of quoted fields
	 * the line is unambiguous, and the event is in the request, so the
	 * rest is ignored.  A field must still start after a space.
	 */
	if (i < n && s[i] != ' ')
		return flawed(f, "text right after the user agent's quote", i);
	return 0;
}

/* Is p[0..n) a protocol as the servers log it: HTTP/1.1, HTTP/2.0, HTTP/2? */
static int
proto_ok(const char *p, size_t n)
{
	size_t i = 5;

	if (n <= 5 || memcmp(p, "HTTP/", 5) != 0)
		return 0;
	while (i < n && isdig((unsigned char)p[i]))
		i++;
	if (i == 5)
		return 0;
	if (i == n)
		return 1;
	if (p[i] != '.' || ++i == n)
		return 0;
	while (i < n && isdig((unsigned char)p[i]))
		i++;
	return i == n;
}

/* The decoded request line r: GET to an event path, then its query. */
static int
request(const struct evp_access_opts *o, struct evp_str r, struct evp_arena *a,
    struct evp_str *vals, struct evp_verdict *v)
{
	const char *end = r.p + r.len;
	char buf[SHOWN_MAX];

	/* nginx logs "" and Apache "-" when no request line came (400, 408). */
	if (r.len == 0 || (r.len == 1 && r.p[0] == '-')) {
		evp_verdict_set(v, "bad_method", "no request line (\"%.*s\")",
		    (int)r.len, r.p);
		return -1;
	}
	const char *sp = memchr(r.p, ' ', r.len);
	const char *me = sp ? sp : end;
	if (me - r.p != 3 || memcmp(r.p, "GET", 3) != 0) {
		evp_verdict_set(v, "bad_method", "method %s",
		    shown(buf, METHOD_MAX, r.p, (size_t)(me - r.p)));
		return -1;
	}
	/* GET target HTTP/x.y, or HTTP/0.9's GET target. */
	const char *t = sp ? sp + 1 : end;
	const char *sp2 = memchr(t, ' ', (size_t)(end - t));
	const char *te = sp2 ? sp2 : end;
	if (te == t ||
	    (sp2 != NULL && !proto_ok(sp2 + 1, (size_t)(end - sp2 - 1)))) {
		evp_verdict_set(v, "bad_access_line",
		    "request is not 'GET target HTTP/x.y': %s",
		    shown(buf, sizeof(buf), r.p, r.len));
		return -1;
	}

	/* An absolute URL's path starts after its authority. */
	const char *path = t;
	size_t skip = 0;
	if (te - t >= 7 && strncasecmp(t, "http://", 7) == 0)
		skip = 7;
	else if (te - t >= 8 && strncasecmp(t, "https://", 8) == 0)
		skip = 8;
	if (skip > 0)
		for (path = t + skip; path < te && *path != '/' && *path != '?'; )
			path++;
	const char *qm = memchr(path, '?', (size_t)(te - path));
	const char *pe = qm ? qm : te;
	if (!evp_query_path_ok(o->q.paths, path, (size_t)(pe - path))) {
		evp_verdict_set(v, "not_event_path", "path %s",
		    shown(buf, sizeof(buf), path, (size_t)(pe - path)));
		return -1;
	}
	if (qm == NULL) {
		evp_verdict_set(v, "no_query", "request has no query string");
		return -1;
	}
	return evp_query_decode(&o->q, qm + 1, (size_t)(te - qm - 1), a, vals, v);
}

int
evp_access_parse(const struct evp_access_opts *o, const char *s, size_t n,
    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v)
{
	struct evp_str req;
	struct flaw f;

	if (split(s, n, 1, &req, &f) < 0) {
		evp_verdict_set(v, "bad_access_line", "%s at offset %zu",
		    f.what, f.at);
		return -1;
	}
	/* Undo the server's escaping before looking at the request. */
	return request(o, unquote(req.p, req.len, a), a, vals, v);
}

int
evp_access_sniff(const char *s, size_t n)
{
	struct flaw f;

	return split(s, n, 0, NULL, &f) == 0;
}
