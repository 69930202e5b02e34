/*
 * fuzz_accesslog: evp_access_parse and evp_access_sniff.
 *
 * The input is the line.  Invariants:
 *  - it returns 0 or -1; on -1 the reason is one of accesslog.h's, the
 *    detail a C string under EVP_DETAIL_MAX with no control byte (the
 *    details "stay one readable line whatever the input held");
 *  - the result is deterministic: a second parse agrees, values too;
 *  - an accepted line: its values are valid UTF-8 without control bytes;
 *    evp_access_sniff accepts it (the sniff checks a prefix of what the
 *    parse checks); the request's target, found and unescaped here from
 *    the line's description in accesslog.h (host, ident, a user up to
 *    the first date bracket, nginx's or Werkzeug's, the request up to its first unescaped
 *    quote), gives the same values as a line of the query format; and
 *    with a referer and user agent appended
 *    (' "-" "Mozilla/5.0"') it is still accepted, with the same values:
 *    a common line becomes a combined one, and after a combined line's
 *    user agent the rest is ignored (nginx's extra fields).
 */
#include <stdlib.h>
#include <string.h>

#include "formats/accesslog.h"
#include "core/arena.h"
#include "fuzzutil.h"
#include "formats/query.h"

static const char *const reasons[] = {
	"bad_access_line", "bad_method", "not_event_path", "no_query",
	"bad_percent_escape", "repeated_key", "control_char", "invalid_utf8",
	"no_event_fields", NULL
};

static struct evp_arena a1, a2;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	evp_arena_init(&a1);
	evp_arena_init(&a2);
	return 0;
}

/*
 * The length of the date bracket p[0..n) starts with, nginx's and
 * Apache's [dd/Mon/yyyy:HH:MM:SS +zzzz] or Werkzeug's [dd/Mon/yyyy
 * HH:MM:SS]; 0 if none.
 */
static size_t
date_at(const char *p, size_t n)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const char *shape = n > 12 && p[12] == ' ' ? "[dd/mmm/dddd dd:dd:dd]" :
	    "[dd/mmm/dddd:dd:dd:dd sdddd]";
	size_t len = strlen(shape);
	int ok = 0;

	if (n < len)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		switch (shape[i]) {
		case 'd':
			if (c < '0' || c > '9')
				return 0;
			break;
		case 's':
			if (c != '+' && c != '-')
				return 0;
			break;
		case 'm':
			break;
		default:
			if (c != shape[i])
				return 0;
		}
	}
	for (size_t m = 0; m < 12; m++)
		ok |= memcmp(p + 4, mon[m], 3) == 0;
	return ok ? len : 0;
}

static int
hexv(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * The request's target as the manual describes the line: host, ident,
 * user (which may hold spaces) up to the first date bracket (either
 * shape), then the
 * quoted request, its escapes undone (nginx \xHH; Apache \" \\ \b \n
 * \r \t \v), split as "GET target[ HTTP/x.y]".  0 if not found.
 */
static int
ref_target(const char *s, size_t n, struct evp_buf *req, struct evp_str *t)
{
	const char *sp = memchr(s, ' ', n);
	if (sp == NULL)
		return 0;
	const char *sp2 = memchr(sp + 1, ' ', (size_t)(s + n - sp - 1));
	if (sp2 == NULL)
		return 0;
	size_t d = 0, dl = 0;
	for (size_t i = (size_t)(sp2 - s) + 3; i < n; i++)
		if (s[i] == '[' && s[i - 1] == ' ' &&
		    (dl = date_at(s + i, n - i)) > 0) {
			d = i;
			break;
		}
	if (d == 0 || n - d < dl + 2 || s[d + dl] != ' ' || s[d + dl + 1] != '"')
		return 0;
	evp_buf_reset(req);
	for (size_t i = d + dl + 2; i < n; i++) {
		if (s[i] == '"')
			goto found;
		if (s[i] != '\\') {
			evp_buf_addc(req, s[i]);
			continue;
		}
		if (++i == n)
			return 0;
		switch (s[i]) {
		case 'b': evp_buf_addc(req, '\b'); break;
		case 'n': evp_buf_addc(req, '\n'); break;
		case 'r': evp_buf_addc(req, '\r'); break;
		case 't': evp_buf_addc(req, '\t'); break;
		case 'v': evp_buf_addc(req, '\v'); break;
		case '"': case '\\': evp_buf_addc(req, s[i]); break;
		case 'x':
			if (n - i < 3 || hexv(s[i + 1]) < 0 || hexv(s[i + 2]) < 0)
				return 0;
			evp_buf_addc(req, hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
			i += 2;
			break;
		default:
			return 0;
		}
	}
	return 0;
found:
	if (req->len < 5 || memcmp(req->p, "GET ", 4) != 0)
		return 0;
	t->p = req->p + 4;
	const char *e = memchr(t->p, ' ', req->len - 4);
	t->len = e ? (size_t)(e - t->p) : req->len - 4;
	return 1;
}

static void
same(const char *what, const char *s, size_t n, const struct evp_str *x,
    const struct evp_str *y)
{
	for (size_t c = 0; c < FUZZ_NCOL; c++)
		FUZZ_CHECK(x[c].len == y[c].len && (x[c].len == 0 ||
		    memcmp(x[c].p, y[c].p, x[c].len) == 0),
		    "'%s' %s: %s '%s' then '%s'", fuzz_show(s, n), what,
		    fuzz_cols.name[c].p, fuzz_show(x[c].p, x[c].len),
		    fuzz_show(y[c].p, y[c].len));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char tail[] = " \"-\" \"Mozilla/5.0\"";
	const char *s = (const char *)data;
	struct evp_access_opts o = { { &fuzz_cols, &fuzz_paths,
	    "no_event_fields", NULL }, NULL, 0 };
	struct evp_str v1[FUZZ_NCOL], v2[FUZZ_NCOL];
	struct evp_verdict d1 = { NULL, "" }, d2 = { NULL, "" };

	evp_arena_reset(&a1);
	evp_arena_reset(&a2);
	int rc = evp_access_parse(&o, s, size, &a1, v1, &d1);
	FUZZ_CHECK(rc == 0 || rc == -1, "returned %d", rc);
	int rc2 = evp_access_parse(&o, s, size, &a2, v2, &d2);
	FUZZ_CHECK(rc == rc2, "'%s': %d then %d", fuzz_show(s, size), rc, rc2);

	if (rc < 0) {
		FUZZ_CHECK(fuzz_in_set(d1.reason, reasons), "undocumented reason %s",
		    d1.reason ? d1.reason : "(none)");
		FUZZ_CHECK(strcmp(d1.reason, d2.reason) == 0 &&
		    strcmp(d1.detail, d2.detail) == 0, "verdict differs");
		size_t dl = strnlen(d1.detail, EVP_DETAIL_MAX);
		FUZZ_CHECK(dl < EVP_DETAIL_MAX, "detail not terminated");
		FUZZ_CHECK(!fuzz_has_ctl(d1.detail, dl),
		    "'%s': %s detail holds a control byte: '%s'",
		    fuzz_show(s, size), d1.reason, fuzz_show(d1.detail, dl));
		return 0;
	}
	same("parsed twice", s, size, v1, v2);
	for (size_t c = 0; c < FUZZ_NCOL; c++)
		FUZZ_CHECK(v1[c].p != NULL && fuzz_utf8_ok(v1[c].p, v1[c].len) &&
		    !fuzz_has_ctl(v1[c].p, v1[c].len), "'%s': %s is not clean text",
		    fuzz_show(s, size), fuzz_cols.name[c].p);
	FUZZ_CHECK(evp_access_sniff(s, size), "'%s': accepted, but not sniffed",
	    fuzz_show(s, size));

	/* Its target, found and unescaped here, is the same query line. */
	struct evp_buf req = EVP_BUF_INIT;
	struct evp_str target;
	struct evp_query_opts qo = { &fuzz_cols, &fuzz_paths, "no_event_fields",
	    NULL };
	FUZZ_CHECK(ref_target(s, size, &req, &target), "'%s': accepted, but "
	    "no GET request found in it", fuzz_show(s, size));
	evp_arena_reset(&a2);
	rc2 = evp_query_parse(&qo, target.p, target.len, &a2, v2, &d2);
	FUZZ_CHECK(rc2 == 0, "'%s': accepted, but its target '%s' is refused as "
	    "a query line (%s: %s)", fuzz_show(s, size),
	    fuzz_show(target.p, target.len), d2.reason, d2.detail);
	same("against its target as a query line", s, size, v1, v2);
	evp_buf_release(&req);

	char *longer = malloc(size + sizeof(tail));
	if (size > 0)
		memcpy(longer, s, size);
	memcpy(longer + size, tail, sizeof(tail) - 1);
	evp_arena_reset(&a2);
	rc2 = evp_access_parse(&o, longer, size + sizeof(tail) - 1, &a2, v2, &d2);
	FUZZ_CHECK(rc2 == 0, "'%s': accepted, refused (%s: %s) with a referer "
	    "and user agent after it", fuzz_show(s, size), d2.reason, d2.detail);
	same("with a referer and user agent", s, size, v1, v2);
	free(longer);
	return 0;
}
