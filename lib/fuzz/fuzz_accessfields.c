/*
 * fuzz_accessfields: evp_access_parse with the request's own fields as
 * columns (@time, @path, @endpoint, @method, @client, @status, @none),
 * configured methods, and the Werkzeug line beside nginx's and Apache's.
 *
 * The input's first byte picks the options (bit 0: @time as UTC, bit 1:
 * the methods POST and PUT instead of POST alone); the rest is the line.
 * The columns: uuid, symbol (query keys), then the seven fields.
 * Invariants:
 *  - it returns 0 or -1, deterministically; on -1 the reason is one of
 *    accesslog.h's and the detail one readable line;
 *  - the path is checked before the method: the verdict not_event_path
 *    is the same whatever the method (the line with its method replaced
 *    by POST, GET or XYZ), and a line accepted with one method is, with
 *    an unaccepted method, bad_method and nothing else;
 *  - an accepted line: the values are UTF-8 without control bytes;
 *    @method is an accepted method; @path is an event path and @endpoint
 *    its last segment; @client is the line up to its first space; @status
 *    is digits or "-" (Apache's for a status never set); @none is empty; @time is a 25-byte ISO 8601 instant with a
 *    zone (20 bytes ending in Z for a Werkzeug date) or, with UTC, 19 bytes
 *    "YYYY-MM-DD HH:MM:SS", and both forms are the same instant;
 *  - a Werkzeug date [dd/Mon/yyyy HH:MM:SS] means the same as nginx's
 *    [dd/Mon/yyyy:HH:MM:SS +0000]: the line rewritten so gives the same
 *    verdict and the same values, @time's ISO text aside.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "formats/accesslog.h"
#include "formats/query.h"
#include "fuzzutil.h"
#include "types/tstamp.h"

#define NC	9

static const char *const reasons[] = {
	"bad_access_line", "bad_method", "not_event_path", "no_query",
	"bad_percent_escape", "repeated_key", "control_char", "invalid_utf8",
	NULL
};
static const struct evp_str names[NC] = {
	EVP_STR("uuid"), EVP_STR("symbol"), EVP_STR("time"), EVP_STR("path"),
	EVP_STR("endpoint"), EVP_STR("method"), EVP_STR("client"),
	EVP_STR("status"), EVP_STR("none")
};
static const struct evp_header cols = { .n = NC, .name = names };
static const unsigned char src[NC] = { EVP_SRC_KEY, EVP_SRC_KEY,
	EVP_SRC_TIME, EVP_SRC_PATH, EVP_SRC_ENDPOINT, EVP_SRC_METHOD,
	EVP_SRC_CLIENT, EVP_SRC_STATUS, EVP_SRC_NONE };
static struct evp_str pathv[] = { EVP_STR("/initial"), EVP_STR("/followup") };
static const struct evp_names paths = { 2, pathv, NULL };
static struct evp_str m1[] = { EVP_STR("POST") };
static struct evp_str m2[] = { EVP_STR("POST"), EVP_STR("PUT") };
static const struct evp_names meth1 = { 1, m1, NULL }, meth2 = { 2, m2, NULL };

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

static int
parse(const struct evp_access_opts *o, const char *s, size_t n,
    struct evp_arena *a, struct evp_str *v, struct evp_verdict *d)
{
	evp_arena_reset(a);
	memset(v, 0, NC * sizeof(*v));
	d->reason = NULL;
	d->detail[0] = '\0';
	int rc = evp_access_parse(o, s, n, a, v, d);
	FUZZ_CHECK(rc == 0 || rc == -1, "returned %d", rc);
	if (rc < 0) {
		FUZZ_CHECK(fuzz_in_set(d->reason, reasons), "undocumented reason "
		    "%s", d->reason ? d->reason : "(none)");
		size_t dl = strnlen(d->detail, EVP_DETAIL_MAX);
		FUZZ_CHECK(dl < EVP_DETAIL_MAX && !fuzz_has_ctl(d->detail, dl),
		    "'%s': %s: a bad detail", fuzz_show(s, n), d->reason);
	}
	return rc;
}

static int
eq(struct evp_str x, struct evp_str y)
{
	return x.len == y.len && (x.len == 0 || memcmp(x.p, y.p, x.len) == 0);
}

/* Is p[0..n) a date bracket of either shape, a real month's name? */
static int
shaped(const char *p, size_t n)
{
	static const char ng[] = "[dd/mmm/dddd:dd:dd:dd sdddd]";
	static const char wz[] = "[dd/mmm/dddd dd:dd:dd]";
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *sh = n == 28 ? ng : wz;
	int m = 0;

	for (size_t i = 0; i < n; i++)
		if (sh[i] == 'd' ? p[i] < '0' || p[i] > '9' : sh[i] == 's' ?
		    p[i] != '+' && p[i] != '-' : sh[i] != 'm' && p[i] != sh[i])
			return 0;
	for (size_t k = 0; k < 12; k++)
		m |= memcmp(p + 4, mon + 3 * k, 3) == 0;
	return m;
}

/*
 * Where the date bracket (*b, *dl bytes) and the request's method
 * (s[*from..*to), raw) are, for a line whose host, ident and user are
 * plain words (no space, bracket or quote), so that the parser finds
 * them there too; -1 for another line.
 */
static int
simple(const char *s, size_t n, size_t *b, size_t *dl, size_t *from,
    size_t *to)
{
	const char *br = memchr(s, '[', n);
	size_t words = 0;

	if (br == NULL || br == s || br[-1] != ' ')
		return -1;
	*b = (size_t)(br - s);
	for (size_t i = 0; i < *b; i++) {
		if (s[i] == '"' || (s[i] == ' ' && (i == 0 || s[i - 1] == ' ')))
			return -1;
		words += s[i] == ' ';
	}
	if (words != 3 || n - *b < 24)
		return -1;
	*dl = br[12] == ' ' ? 22 : 28;
	if (n - *b < *dl + 2 || !shaped(br, *dl))
		return -1;
	*from = *b + *dl + 2;
	if (*from > n || s[*from - 2] != ' ' || s[*from - 1] != '"')
		return -1;
	const char *sp = memchr(s + *from, ' ', n - *from);
	const char *q = memchr(s + *from, '"', n - *from);
	if (sp == NULL || (q != NULL && q < sp))
		return -1;
	*to = (size_t)(sp - s);
	return 0;
}

/* s with s[from..to) replaced by r, in a new buffer of *len bytes. */
static char *
splice(const char *s, size_t n, size_t from, size_t to, const char *r,
    size_t rl, size_t *len)
{
	char *t = malloc(n - (to - from) + rl + 1);
	memcpy(t, s, from);
	memcpy(t + from, r, rl);
	memcpy(t + from + rl, s + to, n - to);
	*len = n - (to - from) + rl;
	return t;
}

static void
accepted(const struct evp_access_opts *o, const char *s, size_t n,
    const struct evp_str *v)
{
	for (size_t c = 0; c < NC; c++)
		FUZZ_CHECK(v[c].p != NULL && fuzz_utf8_ok(v[c].p, v[c].len) &&
		    !fuzz_has_ctl(v[c].p, v[c].len), "'%s': %s is not clean text",
		    fuzz_show(s, n), names[c].p);
	FUZZ_CHECK(evp_names_find(o->methods, v[5].p, v[5].len) >= 0,
	    "'%s': method %s is not accepted", fuzz_show(s, n),
	    fuzz_show(v[5].p, v[5].len));
	FUZZ_CHECK(evp_names_find(&paths, v[3].p, v[3].len) >= 0,
	    "'%s': path %s", fuzz_show(s, n), fuzz_show(v[3].p, v[3].len));
	FUZZ_CHECK(v[4].len < v[3].len && v[3].p[v[3].len - v[4].len - 1] ==
	    '/' && memcmp(v[3].p + v[3].len - v[4].len, v[4].p, v[4].len) == 0 &&
	    memchr(v[4].p, '/', v[4].len) == NULL, "'%s': endpoint %s",
	    fuzz_show(s, n), fuzz_show(v[4].p, v[4].len));
	const char *sp = memchr(s, ' ', n);
	FUZZ_CHECK(sp != NULL && v[6].len == (size_t)(sp - s) &&
	    memcmp(v[6].p, s, v[6].len) == 0, "'%s': client %s",
	    fuzz_show(s, n), fuzz_show(v[6].p, v[6].len));
	FUZZ_CHECK((v[7].len > 0 && strspn(v[7].p, "0123456789") >= v[7].len) ||
	    evp_str_eqs(v[7], "-"),
	    "'%s': status %s", fuzz_show(s, n), fuzz_show(v[7].p, v[7].len));
	FUZZ_CHECK(v[8].len == 0, "'%s': @none not empty", fuzz_show(s, n));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	struct evp_access_opts o = { { &cols, &paths, NULL, src },
	    data[0] & 2 ? &meth2 : &meth1, data[0] & 1 };
	struct evp_access_opts iso = o;
	struct evp_str v1[NC], v2[NC];
	struct evp_verdict d1, d2;
	size_t from, to, len, b, dl;

	iso.utc = 0;
	int rc = parse(&o, s, n, &a1, v1, &d1);
	FUZZ_CHECK(parse(&o, s, n, &a2, v2, &d2) == rc &&
	    (rc < 0 ? strcmp(d1.reason, d2.reason) == 0 : 1),
	    "'%s': not deterministic", fuzz_show(s, n));
	for (size_t c = 0; rc == 0 && c < NC; c++)
		FUZZ_CHECK(eq(v1[c], v2[c]), "'%s': %s differs on a second parse",
		    fuzz_show(s, n), names[c].p);
	if (rc == 0) {
		accepted(&o, s, n, v1);
		/* @time: ISO with a zone, or UTC; the same instant. */
		struct evp_tstamp t1, t2;
		FUZZ_CHECK(parse(&iso, s, n, &a2, v2, &d2) == 0, "iso refused");
		FUZZ_CHECK(evp_tstamp_parse(&t1, v1[2].p, v1[2].len) == 0 &&
		    evp_tstamp_parse(&t2, v2[2].p, v2[2].len) == 0 &&
		    evp_tstamp_cmp(&t1, &t2) == 0, "'%s': @time %s and %s",
		    fuzz_show(s, n), fuzz_show(v1[2].p, v1[2].len),
		    fuzz_show(v2[2].p, v2[2].len));
		FUZZ_CHECK(v2[2].len == 25 || (v2[2].len == 20 &&
		    v2[2].p[19] == 'Z'), "'%s': iso @time %s", fuzz_show(s, n),
		    fuzz_show(v2[2].p, v2[2].len));
		FUZZ_CHECK(!o.utc || (v1[2].len == 19 && v1[2].p[10] == ' '),
		    "'%s': utc @time %s", fuzz_show(s, n),
		    fuzz_show(v1[2].p, v1[2].len));
	}

	/* The path before the method: other methods, the same path verdict. */
	static const char *const others[] = { "POST", "GET", "XYZ" };
	int plain = simple(s, n, &b, &dl, &from, &to) == 0;
	if ((rc == 0 || strcmp(d1.reason, "not_event_path") == 0) && plain &&
	    to > from)
		for (size_t k = 0; k < 3; k++) {
			char *t = splice(s, n, from, to, others[k],
			    strlen(others[k]), &len);
			int r2 = parse(&o, t, len, &a2, v2, &d2);
			int ok = evp_names_find(o.methods, others[k],
			    strlen(others[k])) >= 0;
			if (rc < 0 && strcmp(d1.reason, "not_event_path") == 0)
				FUZZ_CHECK(r2 < 0 && strcmp(d2.reason,
				    "not_event_path") == 0, "'%s': not_event_path, "
				    "but with %s: %s", fuzz_show(s, n), others[k],
				    r2 < 0 ? d2.reason : "accepted");
			if (rc == 0 && !ok)
				FUZZ_CHECK(r2 < 0 && strcmp(d2.reason,
				    "bad_method") == 0, "'%s': accepted, but with "
				    "%s: %s", fuzz_show(s, n), others[k],
				    r2 < 0 ? d2.reason : "accepted");
			if (rc == 0 && ok)
				FUZZ_CHECK(r2 == 0, "'%s': accepted, but with %s: "
				    "%s", fuzz_show(s, n), others[k], d2.reason);
			free(t);
		}

	/* A Werkzeug date is nginx's at +0000. */
	if (plain && dl == 22) {
		char ng[28];
		memcpy(ng, s + b, 12);
		ng[12] = ':';
		memcpy(ng + 13, s + b + 13, 8);
		memcpy(ng + 21, " +0000]", 7);
		char *t = splice(s, n, b, b + 22, ng, 28, &len);
		int r2 = parse(&o, t, len, &a2, v2, &d2);
		FUZZ_CHECK(r2 == rc && (rc < 0 ? strcmp(d1.reason, d2.reason) == 0 :
		    1), "'%s': %s, but %s at +0000", fuzz_show(s, n),
		    rc < 0 ? d1.reason : "accepted", r2 < 0 ? d2.reason :
		    "accepted");
		for (size_t c = 0; rc == 0 && c < NC; c++)
			FUZZ_CHECK(eq(v1[c], v2[c]) || (c == 2 && !o.utc), "'%s': "
			    "%s differs at +0000", fuzz_show(s, n), names[c].p);
		free(t);
	}
	return 0;
}
