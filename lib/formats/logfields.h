#ifndef EVP_LOGFIELDS_H
#define EVP_LOGFIELDS_H

#include "core/arena.h"
#include "core/verdict.h"
#include "formats/accesslog.h"
#include "types/tstamp.h"

/*
 * Internal to the access log reader (accesslog.c): the date bracket's
 * values and the columns whose source is a field of the line itself.
 */

#define EVP_LOG_DATE_LEN	28	/* [dd/Mon/yyyy:HH:MM:SS +zzzz] */
#define EVP_LOG_WZ_DATE_LEN	22	/* [dd/Mon/yyyy HH:MM:SS], Werkzeug's */

/* Where a line's own fields are. */
struct evp_logparts {
	struct evp_str	 host, date, req, status;
};

/* The month (1-12) of the three letters at p, or 0. */
int	evp_log_month(const char *p);

/*
 * The instant of a date bracket d (its shape checked), and in iso its
 * text as ISO 8601 with the bracket's zone (Werkzeug's: Z), at most 26
 * bytes.  -1 if a value is out of range (day 31 of June, hour 24, zone
 * +2400), or the instant is outside the years 0000-9999 in UTC.
 */
int	evp_log_time(struct evp_str d, struct evp_tstamp *t, char *iso,
	    size_t *isolen);

/*
 * The columns whose source is a field of the line itself into vals (the
 * time t, its ISO text iso, the method, the path).  The host field is
 * the only one that may hold any byte but a space: as @client it must be
 * UTF-8.  Return 0, or -1 with *v set (invalid_utf8).
 */
int	evp_log_fields(const struct evp_access_opts *o,
	    const struct evp_logparts *pt, const struct evp_tstamp *t,
	    struct evp_str iso, struct evp_str method, struct evp_str path,
	    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v);

#endif
