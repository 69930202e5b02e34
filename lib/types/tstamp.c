/*
 * The timestamp parser of SPEC section 2.  It runs on every row of large
 * files, so it makes one pass over the bytes and allocates nothing.  Dates
 * become day numbers through Howard Hinnant's days_from_civil instead of
 * timegm(3) or mktime(3), which would quietly turn 2026-02-30 into March 2
 * where the spec asks us to reject it.
 */

#include <string.h>

#include "types/tstamp.h"

#define SECS_PER_DAY	INT64_C(86400)
#define FRAC_DIGITS	9

/*
 * The date-times of years 0000 to 9999 and the epoch seconds up to
 * 9999-12-31T23:59:59Z.  A zone can push a date-time's instant up to a day
 * outside (0000-01-01T00:00+01:00 is in year -1): it is a valid text, and
 * evp_tstamp_format writes such an instant back with a zone, so that it
 * still parses again.
 */
#define INSTANT_MIN	INT64_C(-62167219200)
#define INSTANT_MAX	INT64_C(253402300799)

/* Twelve digits cover INSTANT_MAX and cannot overflow an int64_t. */
#define EPOCH_DIGITS_MAX 12

/* Only ASCII digits count: isdigit(3) depends on the locale. */
static int
digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Read exactly n digits at *pp into *v and advance, or return -1. */
static int
fixed(const unsigned char **pp, const unsigned char *end, int n, int *v)
{
	const unsigned char *p = *pp;
	int x = 0;

	if (end - p < n)
		return -1;
	for (; n > 0; n--, p++) {
		if (!digit(*p))
			return -1;
		x = x * 10 + (*p - '0');
	}
	*v = x;
	*pp = p;
	return 0;
}

/*
 * Read an optional ".F" of 1 to 9 digits into *nsec (0 when absent).  A dot
 * without digits, or a tenth digit, is not a timestamp.
 */
static int
fraction(const unsigned char **pp, const unsigned char *end, int32_t *nsec)
{
	const unsigned char *p = *pp;
	int32_t v = 0;
	int n = 0;

	*nsec = 0;
	if (p == end || *p != '.')
		return 0;
	for (p++; p < end && digit(*p); p++) {
		if (++n > FRAC_DIGITS)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (n == 0)
		return -1;
	for (; n < FRAC_DIGITS; n++)
		v *= 10;
	*nsec = v;
	*pp = p;
	return 0;
}

/*
 * Read ":MM", then optionally ":SS" and ".F", after an hour h already read.
 * The fraction is only looked for after seconds, so "10:05.5" leaves the
 * dot unread and the caller rejects it as trailing text.
 */
static int
hms(const unsigned char **pp, const unsigned char *end, int h,
    int64_t *sec, int32_t *nsec)
{
	const unsigned char *p = *pp;
	int m, s = 0;

	*nsec = 0;
	if (h > 23 || p == end || *p++ != ':' ||
	    fixed(&p, end, 2, &m) == -1 || m > 59)
		return -1;
	if (p < end && *p == ':') {
		p++;
		if (fixed(&p, end, 2, &s) == -1 || s > 59 ||
		    fraction(&p, end, nsec) == -1)
			return -1;
	}
	*sec = (int64_t)h * 3600 + m * 60 + s;
	*pp = p;
	return 0;
}

/* Gregorian: every 4th year is leap, but of centuries only every 4th. */
static int
mdays(int y, int m)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/*
 * Days since 1970-01-01 of a valid proleptic Gregorian date; see
 * https://howardhinnant.github.io/date_algorithms.html.  Eras of 400
 * years start on March 1 so that February's leap day falls last.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil, for any day count an int64_t holds. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* "YYYY-MM-DD" then 'T' or one space, a clock and an optional zone. */
static int
iso(const unsigned char *p, const unsigned char *end, int64_t *sec,
    int32_t *nsec)
{
	int y, mo, d, h, zh, zm, neg;
	int64_t off = 0;

	if (fixed(&p, end, 4, &y) == -1 || p == end || *p++ != '-' ||
	    fixed(&p, end, 2, &mo) == -1 || p == end || *p++ != '-' ||
	    fixed(&p, end, 2, &d) == -1)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo))
		return -1;
	if (p == end || (*p != 'T' && *p != ' '))
		return -1;
	p++;
	/* Two hour digits here: only a bare time of day may write "9:00". */
	if (fixed(&p, end, 2, &h) == -1 || hms(&p, end, h, sec, nsec) == -1)
		return -1;
	if (p < end && *p == 'Z')
		p++;
	else if (p < end && (*p == '+' || *p == '-')) {
		neg = *p++ == '-';
		if (fixed(&p, end, 2, &zh) == -1)
			return -1;
		if (p < end && *p == ':')
			p++;
		if (fixed(&p, end, 2, &zm) == -1 || zh > 23 || zm > 59)
			return -1;
		off = (int64_t)zh * 3600 + zm * 60;
		if (neg)
			off = -off;
	}
	if (p != end)
		return -1;
	/* 10:00+02:00 happened at 08:00Z: subtract the offset. */
	*sec += days_from_civil(y, mo, d) * SECS_PER_DAY - off;
	return 0;
}

/* n leading digits (already checked) are Unix seconds; then ".F" or end. */
static int
epoch(const unsigned char *p, size_t n, const unsigned char *end,
    int64_t *sec, int32_t *nsec)
{
	int64_t v = 0;

	if (n > EPOCH_DIGITS_MAX)
		return -1;
	for (; n > 0; n--, p++)
		v = v * 10 + (*p - '0');
	*sec = v;
	return fraction(&p, end, nsec) == -1 || p != end || v > INSTANT_MAX ?
	    -1 : 0;
}

/* n (1 or 2) hour digits, then the rest of "H:MM[:SS[.F]]" and the end. */
static int
timeofday(const unsigned char *p, size_t n, const unsigned char *end,
    int64_t *sec, int32_t *nsec)
{
	int h;

	h = n == 1 ? p[0] - '0' : (p[0] - '0') * 10 + (p[1] - '0');
	p += n;
	return hms(&p, end, h, sec, nsec) == -1 || p != end ? -1 : 0;
}

/*
 * The leading run of digits tells the forms apart: 1 or 2 then ':' is a
 * time of day, 4 then '-' a date, and digits alone (or before '.') are
 * epoch seconds.  'T' and 'Z' must be upper case, as RFC 3339 prefers:
 * lower case is rare in logs and accepting it would only widen what a
 * typo can slip through.  *t is only written on success.
 */
int
evp_tstamp_parse(struct evp_tstamp *t, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	int64_t sec;
	int32_t nsec;
	size_t n;
	int r;

	if (len == 0)
		return -1;
	end = p + len;
	for (n = 0; p + n < end && digit(p[n]) && n <= EPOCH_DIGITS_MAX; n++)
		continue;
	if (n == 0)
		return -1;
	if (p + n == end || p[n] == '.')
		r = epoch(p, n, end, &sec, &nsec);
	else if (p[n] == '-' && n == 4)
		r = iso(p, end, &sec, &nsec);
	else if (p[n] == ':' && n <= 2)
		r = timeofday(p, n, end, &sec, &nsec);
	else
		r = -1;
	if (r == -1)
		return -1;
	t->kind = p + n < end && p[n] == ':' ? EVP_TS_TIMEOFDAY :
	    EVP_TS_INSTANT;
	t->sec = sec;
	t->nsec = nsec;
	return 0;
}

int
evp_tstamp_cmp(const struct evp_tstamp *a, const struct evp_tstamp *b)
{
	if (a->kind != b->kind)
		return 2;
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

/*
 * Write v with at least width digits, '-' first if negative.  The
 * magnitude is taken as -(v + 1) + 1 so that even INT64_MIN is safe.
 */
static char *
putnum(char *p, int64_t v, int width)
{
	char tmp[20];
	uint64_t u;
	int n = 0;

	if (v < 0)
		*p++ = '-';
	u = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	while (n < width)
		tmp[n++] = '0';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* Floor division: the remainder *r is in [0, b) even for negative a. */
static int64_t
floordiv(int64_t a, int64_t b, int64_t *r)
{
	int64_t q = a / b;

	*r = a % b;
	if (*r < 0) {
		*r += b;
		q--;
	}
	return q;
}

/*
 * Values that evp_tstamp_parse cannot produce (a time of day past 23:59:59,
 * an instant more than a day outside years 0000-9999, nsec out of range)
 * are still written
 * within EVP_TSTAMP_TEXTMAX bytes, but their text need not parse again.
 */
size_t
evp_tstamp_format(const struct evp_tstamp *t, char *buf)
{
	char *p = buf;
	int64_t y, days, secs, h, rem;
	int m, d, n;
	int32_t ns;

	secs = t->sec;
	/* Outside years 0000-9999 in UTC: the local time of a zone that is in. */
	int64_t zone = 0;
	if (t->kind == EVP_TS_INSTANT && t->sec < INSTANT_MIN)
		zone = (INSTANT_MIN - t->sec + 59) / 60;
	else if (t->kind == EVP_TS_INSTANT && t->sec > INSTANT_MAX)
		zone = -((t->sec - INSTANT_MAX + 59) / 60);
	if (zone < -1439 || zone > 1439)
		zone = 0;	/* not one that can be parsed: as it is */
	if (t->kind == EVP_TS_INSTANT) {
		days = floordiv(t->sec + zone * 60, SECS_PER_DAY, &secs);
		civil_from_days(days, &y, &m, &d);
		p = putnum(p, y, 4);
		*p++ = '-';
		p = putnum(p, m, 2);
		*p++ = '-';
		p = putnum(p, d, 2);
		*p++ = 'T';
	}
	h = floordiv(secs, 3600, &rem);
	p = putnum(p, h, 2);
	*p++ = ':';
	p = putnum(p, rem / 60, 2);
	*p++ = ':';
	p = putnum(p, rem % 60, 2);
	if (t->nsec > 0 && t->nsec < 1000000000) {
		/* All nine digits, then back over the trailing zeros. */
		*p++ = '.';
		for (n = FRAC_DIGITS - 1, ns = t->nsec; n >= 0; n--, ns /= 10)
			p[n] = (char)('0' + ns % 10);
		p += FRAC_DIGITS;
		while (p[-1] == '0')
			p--;
	}
	if (t->kind == EVP_TS_INSTANT && zone == 0)
		*p++ = 'Z';
	else if (t->kind == EVP_TS_INSTANT) {
		*p++ = zone < 0 ? '-' : '+';
		p = putnum(p, (zone < 0 ? -zone : zone) / 60, 2);
		*p++ = ':';
		p = putnum(p, (zone < 0 ? -zone : zone) % 60, 2);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

int
evp_tstamp_field(struct evp_tstamp *t, const struct evp_str *f,
    const char *what, struct evp_verdict *v)
{
	if (evp_tstamp_parse(t, f->p, f->len) == 0)
		return 0;
	evp_verdict_set(v, "bad_timestamp", "%s: '%.*s'",
	    what ? what : "not a timestamp", EVP_SHOW(f));
	return -1;
}

/* Is s[0..n) shaped as a date alone, YYYY-MM-DD? */
static int
date_shaped(const char *s, size_t n)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

int
evp_time_bound(struct evp_tstamp *t, const char *s)
{
	size_t n = strlen(s);
	struct evp_tstamp v;

	if (date_shaped(s, n)) {
		/* Midnight UTC of that day, checked by the one parser. */
		char iso[32];
		memcpy(iso, s, n);
		memcpy(iso + n, "T00:00:00Z", 10);
		if (evp_tstamp_parse(&v, iso, n + 10) < 0)
			return -1;
	} else if (evp_tstamp_parse(&v, s, n) < 0 || v.kind != EVP_TS_INSTANT)
		return -1;
	*t = v;
	return 0;
}

int
evp_tstamp_instant(struct evp_tstamp *t, const char *col,
    const struct evp_str *f, struct evp_verdict *v)
{
	int ok = evp_tstamp_parse(t, f->p, f->len) == 0;
	const char *what;

	if (ok && t->kind == EVP_TS_INSTANT)
		return 0;
	if (ok)
		what = "a time of day is not an instant";
	else if (date_shaped(f->p, f->len))
		what = "a date alone is not an instant";
	else
		what = "not a timestamp";
	evp_verdict_set(v, "bad_timestamp", "%s: %s: '%.*s'", col, what,
	    EVP_SHOW(f));
	return -1;
}

int64_t
evp_tstamp_day(const struct evp_tstamp *t)
{
	int64_t r;

	return floordiv(t->sec, SECS_PER_DAY, &r);
}

size_t
evp_day_format(int64_t day, char *buf)
{
	int64_t y;
	int m, d;
	char *p = buf;

	civil_from_days(day, &y, &m, &d);
	p = putnum(p, y, 4);
	*p++ = '-';
	p = putnum(p, m, 2);
	*p++ = '-';
	p = putnum(p, d, 2);
	*p = '\0';
	return (size_t)(p - buf);
}
