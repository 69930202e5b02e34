#ifndef EVP_TSTAMP_H
#define EVP_TSTAMP_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "core/verdict.h"

/*
 * The one timestamp parser of evpipe (SPEC section 2).  A parsed timestamp
 * is a plain value: nothing to free.
 */

enum evp_tkind {
	EVP_TS_TIMEOFDAY = 1,	/* 9:00, 10:05:30.25: seconds since midnight */
	EVP_TS_INSTANT = 2	/* ISO 8601 date-time or epoch: seconds since 1970 UTC */
};

struct evp_tstamp {
	enum evp_tkind	kind;
	int64_t		sec;	/* since midnight, or since the epoch (UTC) */
	int32_t		nsec;	/* 0 .. 999999999 */
};

/*
 * Parse s[0..len) (not NUL-terminated, may hold any byte).  Return 0 and
 * fill *t, or -1 if the text is not a timestamp: an out-of-range part, an
 * impossible date, a bad zone, more than 9 fraction digits, trailing text,
 * a year outside 0000-9999, epoch seconds past 9999-12-31T23:59:59Z.  A
 * zone may put an instant up to a day outside those years.  *t is only
 * written on success.
 */
int	evp_tstamp_parse(struct evp_tstamp *t, const char *s, size_t len);

/*
 * Parse the field f for a rule; if it is not a timestamp, set *v to
 * bad_timestamp, the detail "<what>: '<f>'" (what: "not a timestamp" if
 * NULL), and return -1.
 */
int	evp_tstamp_field(struct evp_tstamp *t, const struct evp_str *f,
	    const char *what, struct evp_verdict *v);

/*
 * The field f of column col as an instant: 0 and *t, or -1 with *v set to
 * bad_timestamp saying what it is instead (a time of day, a date alone,
 * not a timestamp).
 */
int	evp_tstamp_instant(struct evp_tstamp *t, const char *col,
	    const struct evp_str *f, struct evp_verdict *v);

/*
 * A bound of a time window: an instant (SPEC section 2) or a date alone,
 * YYYY-MM-DD, meaning its midnight UTC.  Return 0 and fill *t, or -1.
 */
int	evp_time_bound(struct evp_tstamp *t, const char *s);

/*
 * Compare two timestamps.  Return -1, 0 or 1 as a is before, equal to or
 * after b, or 2 when they are of different kinds and cannot be compared.
 */
int	evp_tstamp_cmp(const struct evp_tstamp *a, const struct evp_tstamp *b);

/*
 * Write a canonical text of t into buf (at least EVP_TSTAMP_TEXTMAX bytes):
 * "HH:MM:SS[.fffffffff]" for a time of day, "YYYY-MM-DDTHH:MM:SS[.f]Z" for
 * an instant, fraction digits without trailing zeros.  The text parses back
 * to the same value.  Return its length.
 */
#define EVP_TSTAMP_TEXTMAX 64
size_t	evp_tstamp_format(const struct evp_tstamp *t, char *buf);

/* The UTC day of an instant, in days since 1970-01-01 (floor). */
int64_t	evp_tstamp_day(const struct evp_tstamp *t);

/* Write day (days since 1970-01-01) as "YYYY-MM-DD" into buf: its length. */
#define EVP_DAY_TEXTMAX 24
size_t	evp_day_format(int64_t day, char *buf);

#endif
