#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/accesslog.h"
#include "formats/logfields.h"
#include "formats/query.h"
#include "core/text.h"
#include "types/tstamp.h"

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

/*
 * The length of the date bracket at p[0..n) if it has the shape nginx and
 * Apache write (28 bytes) or Werkzeug's (22), else 0.  Only the shape:
 * log_time() checks the values.
 */
static size_t
date_len(const char *p, size_t n)
{
	static const char shape[] = "[99/Mmm/9999:99:99:99 +9999]";
	static const char wshape[] = "[99/Mmm/9999 99:99:99]";
	const char *sh = n >= EVP_LOG_DATE_LEN && p[12] == ':' ? shape : wshape;
	size_t len = sh == shape ? EVP_LOG_DATE_LEN : EVP_LOG_WZ_DATE_LEN;

	if (n < len)
		return 0;
	for (size_t i = 0; i < len; i++) {
		switch (sh[i]) {
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
			if (p[i] != sh[i])
				return 0;
			break;
		}
	}
	return evp_log_month(p + 4) ? len : 0;
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
 * Check the line's shape, positionally, and find its parts: the host,
 * the date bracket, the request's text (still escaped) and the status.
 * With whole unset, stop at the request's opening quote (the sniff).
 * Return 0, or -1 with *f naming the malformed part.
 */
static int
split(const char *s, size_t n, int whole, struct evp_logparts *pt, struct flaw *f)
{
	size_t i, e;

	/* Both servers escape control bytes: a raw one means damage. */
	if (whole && (e = evp_ctl_find(s, n)) < n)
		return flawed(f, "raw control byte", e);

	/* Host and ident hold no space. */
	const char *sp = memchr(s, ' ', n);
	if (sp == NULL || sp == s)
		return flawed(f, "no host field", 0);
	pt->host = (struct evp_str){ s, (size_t)(sp - s) };
	i = (size_t)(sp - s) + 1;
	sp = memchr(s + i, ' ', n - i);
	if (sp == NULL || sp == s + i)
		return flawed(f, "no ident field", i);
	i = (size_t)(sp - s) + 1;

	/*
	 * The user may hold spaces (Apache logs it raw): it runs to the
	 * first " [" that opens a date of the right shape.
	 */
	size_t u = i, d = 0, dl = 0;
	for (i = u + 2; i < n; i++) {
		const char *b = memchr(s + i, '[', n - i);
		if (b == NULL)
			break;
		i = (size_t)(b - s);
		if (s[i - 1] == ' ' && (dl = date_len(s + i, n - i)) > 0) {
			d = i;
			break;
		}
	}
	if (d == 0)
		return flawed(f, "no user field and [dd/Mon/yyyy:HH:MM:SS +zzzz]"
		    " date", u);
	pt->date = (struct evp_str){ s + d, dl };
	i = d + dl;
	if (n - i < 2 || s[i] != ' ' || s[i + 1] != '"')
		return flawed(f, "no quoted request after the date", i);
	if (!whole)
		return 0;

	if ((e = quoted_end(s, n, i + 1, f)) == 0)
		return -1;
	pt->req = (struct evp_str){ s + i + 2, e - i - 3 };

	i = e;
	if (i == n || s[i] != ' ')
		return flawed(f, "no status after the request", i);
	e = count_end(s, n, ++i);
	if (e == 0 || (e < n && s[e] != ' '))
		return flawed(f, "bad status field", i);
	pt->status = (struct evp_str){ s + i, e - i };
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

static int
method_ok(const struct evp_access_opts *o, const char *m, size_t n)
{
	if (o->methods == NULL)
		return n == 3 && memcmp(m, "GET", 3) == 0;
	for (size_t i = 0; i < o->methods->n; i++)
		if (evp_str_eq(o->methods->name[i], m, n))
			return 1;
	return 0;
}

/*
 * The decoded request line r: "METHOD target[ HTTP/x.y]", the target's
 * path an event path, the method an accepted one, then its query string
 * into vals; *method and *path are set for the log fields.
 */
static int
request(const struct evp_access_opts *o, struct evp_str r, struct evp_arena *a,
    struct evp_str *vals, struct evp_str *method, struct evp_str *path,
    struct evp_verdict *v)
{
	const char *end = r.p + r.len;
	char buf[SHOWN_MAX];

	/* nginx logs "" and Apache "-" when no request line came (400, 408). */
	if (r.len == 0 || (r.len == 1 && r.p[0] == '-')) {
		evp_verdict_set(v, "not_event_path", "no request line (\"%.*s\")",
		    (int)r.len, r.p);
		return -1;
	}
	/* METHOD target HTTP/x.y, or HTTP/0.9's METHOD target. */
	const char *sp = memchr(r.p, ' ', r.len);
	const char *t = sp ? sp + 1 : end;
	const char *sp2 = memchr(t, ' ', (size_t)(end - t));
	const char *te = sp2 ? sp2 : end;
	if (sp == NULL || sp == r.p || te == t ||
	    (sp2 != NULL && !proto_ok(sp2 + 1, (size_t)(end - sp2 - 1)))) {
		evp_verdict_set(v, "bad_access_line",
		    "request is not 'METHOD target HTTP/x.y': %s",
		    shown(buf, sizeof(buf), r.p, r.len));
		return -1;
	}
	*method = (struct evp_str){ r.p, (size_t)(sp - r.p) };

	/* An absolute URL's path starts after its authority. */
	const char *pp = t;
	size_t skip = 0;
	if (te - t >= 7 && strncasecmp(t, "http://", 7) == 0)
		skip = 7;
	else if (te - t >= 8 && strncasecmp(t, "https://", 8) == 0)
		skip = 8;
	if (skip > 0)
		for (pp = t + skip; pp < te && *pp != '/' && *pp != '?'; )
			pp++;
	const char *qm = memchr(pp, '?', (size_t)(te - pp));
	const char *pe = qm ? qm : te;
	*path = (struct evp_str){ pp, (size_t)(pe - pp) };
	if (!evp_query_path_ok(o->q.paths, pp, path->len)) {
		evp_verdict_set(v, "not_event_path", "path %s",
		    shown(buf, sizeof(buf), pp, path->len));
		return -1;
	}
	if (!method_ok(o, method->p, method->len)) {
		evp_verdict_set(v, "bad_method", "method %s",
		    shown(buf, METHOD_MAX, method->p, method->len));
		return -1;
	}
	if (qm == NULL || qm + 1 == te) {
		evp_verdict_set(v, "no_query", qm == NULL ?
		    "request has no query string" :
		    "request has an empty query string");
		return -1;
	}
	/* An escape (\x0d) may have put a control byte in: as a query line's. */
	for (const char *c = qm + 1; c < te; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			evp_verdict_set(v, "control_char",
			    "raw byte 0x%02x in query string", (unsigned char)*c);
			return -1;
		}
	return evp_query_decode(&o->q, qm + 1, (size_t)(te - qm - 1), a, vals, v);
}

int
evp_access_parse(const struct evp_access_opts *o, const char *s, size_t n,
    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v)
{
	struct evp_logparts pt;
	struct flaw f;
	struct evp_tstamp t;
	struct evp_str method, path;
	char iso[32];
	size_t isolen;

	if (split(s, n, 1, &pt, &f) < 0) {
		evp_verdict_set(v, "bad_access_line", "%s at offset %zu",
		    f.what, f.at);
		return -1;
	}
	if (evp_log_time(pt.date, &t, iso, &isolen) < 0) {
		evp_verdict_set(v, "bad_access_line", "impossible date %.*s at "
		    "offset %zu", (int)pt.date.len, pt.date.p,
		    (size_t)(pt.date.p - s));
		return -1;
	}
	/* Undo the server's escaping before looking at the request. */
	if (request(o, unquote(pt.req.p, pt.req.len, a), a, vals, &method, &path,
	    v) < 0)
		return -1;
	if (o->q.src != NULL) {
		char *keep = evp_arena_alloc(a, isolen);
		memcpy(keep, iso, isolen);
		return evp_log_fields(o, &pt, &t, (struct evp_str){ keep, isolen }, method,
		    path, a, vals, v);
	}
	return 0;
}

int
evp_access_sniff(const char *s, size_t n)
{
	struct evp_logparts pt;
	struct flaw f;

	return split(s, n, 0, &pt, &f) == 0;
}
