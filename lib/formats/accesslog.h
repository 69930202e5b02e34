#ifndef EVP_ACCESSLOG_H
#define EVP_ACCESSLOG_H

#include "core/arena.h"
#include "core/row.h"
#include "core/verdict.h"
#include "formats/query.h"

/*
 * nginx and Apache access logs, common and combined formats as their
 * default configurations write them:
 *
 *	host ident user [dd/Mon/yyyy:HH:MM:SS +zzzz] "request" status bytes
 *	... bytes "referer" "user-agent" [anything]
 *
 * The event is the query string of a GET request to one of the event
 * paths.  Values that need no decoding point into the line; the others
 * are allocated from the caller's arena.
 *
 * Reasons a line is refused, stable snake_case codes:
 *
 *	bad_access_line	not an access log line; the detail names the
 *			malformed part (date, a quoted field, status, ...)
 *	bad_method	the request is not a GET, or is empty or "-"
 *	not_event_path	the target's path is not an event path
 *	no_query	an event path without a query string
 *
 * and those of evp_query_decode for the query string itself
 * (bad_percent_escape, repeated_key, control_char, invalid_utf8, and
 * the reason named for a query where no key names a column).
 */

struct evp_access_opts {
	struct evp_query_opts	 q;	/* columns, event paths, no_fields */
};

/*
 * Parse one line s[0..n), without its line end, into vals[0..cols->n).
 * Return 0, or -1 with *v saying why.
 */
int	evp_access_parse(const struct evp_access_opts *o, const char *s, size_t n,
	    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v);

/*
 * Does the line look like an access log line (for --format auto)?  Only
 * its start is checked, host to the opening quote of the request, so a
 * damaged tail still selects the format and is refused line by line.
 */
int	evp_access_sniff(const char *s, size_t n);

#endif
