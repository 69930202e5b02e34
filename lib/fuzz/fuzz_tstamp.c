/*
 * fuzz_tstamp: evp_tstamp_parse, evp_tstamp_format, evp_tstamp_cmp.
 *
 * The input is the text, given with its exact length (libFuzzer's copy
 * ends where the input does, so a read past len is an ASan report).
 * Invariants:
 *  - the result agrees with an independent parser written from the
 *    grammar in evp(1) and SPEC section 2 (accept or refuse; kind,
 *    seconds and nanoseconds);
 *  - *t is not written on failure;
 *  - a parsed value is in range: a time of day in [0, 86400), an instant
 *    in years 0000..9999 give or take the day a zone may shift it,
 *    nanoseconds in [0, 1e9);
 *  - evp_tstamp_format writes less than EVP_TSTAMP_TEXTMAX bytes, its
 *    text parses back to an equal value (cmp 0) and formats to the same
 *    text again (the canonical form is a fixed point).
 */
#include <stdio.h>
#include <string.h>

#include "fuzzutil.h"
#include "types/tstamp.h"

#define INSTANT_MIN	INT64_C(-62167219200)	/* 0000-01-01T00:00:00Z */
#define INSTANT_MAX	INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

struct cur {
	const unsigned char *p, *e;
};

/* Exactly n ASCII digits. */
static int
num(struct cur *c, int n, int64_t *v)
{
	int64_t x = 0;

	if (c->e - c->p < n)
		return 0;
	for (int i = 0; i < n; i++) {
		if (c->p[i] < '0' || c->p[i] > '9')
			return 0;
		x = x * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*v = x;
	return 1;
}

static int
lit(struct cur *c, char ch)
{
	if (c->p < c->e && *c->p == (unsigned char)ch) {
		c->p++;
		return 1;
	}
	return 0;
}

/* ".F", 1 to 9 digits, as nanoseconds; absent is 0.  -1 if malformed. */
static int
frac(struct cur *c, int32_t *ns)
{
	int n = 0;
	int32_t v = 0;

	*ns = 0;
	if (!lit(c, '.'))
		return 0;
	while (c->p < c->e && *c->p >= '0' && *c->p <= '9') {
		if (++n > 9)
			return -1;
		v = v * 10 + (*c->p++ - '0');
	}
	if (n == 0)
		return -1;
	while (n++ < 9)
		v *= 10;
	*ns = v;
	return 0;
}

/* ":MM[:SS[.F]]" after the hour. */
static int
clock_rest(struct cur *c, int64_t h, int64_t *sec, int32_t *ns)
{
	int64_t m, s = 0;

	*ns = 0;
	if (!lit(c, ':') || !num(c, 2, &m))
		return 0;
	if (lit(c, ':')) {
		if (!num(c, 2, &s) || frac(c, ns) < 0)
			return 0;
	}
	if (h > 23 || m > 59 || s > 59)
		return 0;
	*sec = h * 3600 + m * 60 + s;
	return 1;
}

static int
leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* Days from 0000-01-01 to y-01-01: 365 a year plus the leap years before. */
static int64_t
days_to_year(int64_t y)
{
	return y * 365 + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
}

static int
ref_parse(const char *s, size_t len, int *kind, int64_t *sec, int32_t *ns)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct cur c = { (const unsigned char *)s, (const unsigned char *)s + len };
	size_t nd = 0;
	int64_t v, h;

	while (nd < len && s[nd] >= '0' && s[nd] <= '9')
		nd++;

	/* Time of day: H:MM or HH:MM, then :SS, then .F */
	if ((nd == 1 || nd == 2) && nd < len && s[nd] == ':') {
		num(&c, (int)nd, &h);
		if (!clock_rest(&c, h, sec, ns) || c.p != c.e)
			return 0;
		*kind = EVP_TS_TIMEOFDAY;
		return 1;
	}

	/* Epoch seconds: 1 to 12 digits, then .F */
	if (nd >= 1 && nd <= 12 && (nd == len || s[nd] == '.')) {
		num(&c, (int)nd, &v);
		if (frac(&c, ns) < 0 || c.p != c.e || v > INSTANT_MAX)
			return 0;
		*kind = EVP_TS_INSTANT;
		*sec = v;
		return 1;
	}

	/* YYYY-MM-DD, T or space, HH:MM[:SS[.F]], Z or +HH:MM or +HHMM */
	int64_t y, mo, d, zh = 0, zm = 0, off = 0, tod;
	if (nd != 4 || !num(&c, 4, &y) || !lit(&c, '-') || !num(&c, 2, &mo) ||
	    !lit(&c, '-') || !num(&c, 2, &d))
		return 0;
	if (!lit(&c, 'T') && !lit(&c, ' '))
		return 0;
	if (!num(&c, 2, &h) || !clock_rest(&c, h, &tod, ns))
		return 0;
	if (lit(&c, 'Z'))
		;
	else if (c.p < c.e && (*c.p == '+' || *c.p == '-')) {
		int neg = *c.p++ == '-';
		if (!num(&c, 2, &zh))
			return 0;
		lit(&c, ':');
		if (!num(&c, 2, &zm) || zh > 23 || zm > 59)
			return 0;
		off = (zh * 60 + zm) * 60 * (neg ? -1 : 1);
	}
	if (c.p != c.e || mo < 1 || mo > 12 || d < 1)
		return 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap(y)))
		return 0;
	int64_t yday = d - 1;
	for (int m = 1; m < mo; m++)
		yday += mdays[m - 1] + (m == 2 && leap(y));
	/* A zone may take the instant up to a day outside the years. */
	*sec = (days_to_year(y) - days_to_year(1970) + yday) * 86400 + tod - off;
	*kind = EVP_TS_INSTANT;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct evp_tstamp t, back, sentinel = { (enum evp_tkind)77, 12345, -7 };
	char buf[EVP_TSTAMP_TEXTMAX + 16], buf2[EVP_TSTAMP_TEXTMAX + 16];
	int kind;
	int64_t sec;
	int32_t ns;

	t = sentinel;
	int rc = evp_tstamp_parse(&t, s, size);
	int ref = ref_parse(s, size, &kind, &sec, &ns);
	FUZZ_CHECK(rc == 0 || rc == -1, "parse returned %d", rc);
	FUZZ_CHECK((rc == 0) == ref, "'%s': parse %s, the grammar %s",
	    fuzz_show(s, size), rc == 0 ? "accepts" : "refuses",
	    ref ? "accepts" : "refuses");
	if (rc != 0) {
		FUZZ_CHECK(memcmp(&t, &sentinel, sizeof(t)) == 0,
		    "'%s': *t written on failure", fuzz_show(s, size));
		return 0;
	}
	FUZZ_CHECK((int)t.kind == kind && t.sec == sec && t.nsec == ns,
	    "'%s': got kind %d %lld.%09d, want kind %d %lld.%09d",
	    fuzz_show(s, size), (int)t.kind, (long long)t.sec, (int)t.nsec,
	    kind, (long long)sec, (int)ns);
	FUZZ_CHECK(t.nsec >= 0 && t.nsec < 1000000000, "nsec %d", (int)t.nsec);
	if (t.kind == EVP_TS_TIMEOFDAY)
		FUZZ_CHECK(t.sec >= 0 && t.sec < 86400, "time of day %lld",
		    (long long)t.sec);
	else
		FUZZ_CHECK(t.sec >= INSTANT_MIN - 86400 &&
		    t.sec <= INSTANT_MAX + 86400, "instant %lld", (long long)t.sec);

	memset(buf, 'X', sizeof(buf));
	size_t n = evp_tstamp_format(&t, buf);
	FUZZ_CHECK(n < EVP_TSTAMP_TEXTMAX && buf[n] == '\0' && strlen(buf) == n,
	    "format wrote %zu bytes", n);
	FUZZ_CHECK(evp_tstamp_parse(&back, buf, n) == 0,
	    "'%s' formats as '%s', which does not parse", fuzz_show(s, size), buf);
	FUZZ_CHECK(evp_tstamp_cmp(&t, &back) == 0,
	    "'%s' formats as '%s', which parses to another value",
	    fuzz_show(s, size), buf);
	size_t n2 = evp_tstamp_format(&back, buf2);
	FUZZ_CHECK(n2 == n && memcmp(buf, buf2, n) == 0,
	    "'%s' formats as '%s' then '%s'", fuzz_show(s, size), buf, buf2);
	return 0;
}
