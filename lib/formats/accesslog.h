#ifndef EVP_ACCESSLOG_H
#define EVP_ACCESSLOG_H

#include "core/arena.h"
#include "core/row.h"
#include "core/verdict.h"
#include "formats/query.h"

/*
 * Access logs: nginx and Apache, common and combined formats as their
 * default configurations write them, and the Flask/Werkzeug development
 * server's (its time without a zone, taken as UTC):
 *
 *	host ident user [dd/Mon/yyyy:HH:MM:SS +zzzz] "request" status bytes
 *	... bytes "referer" "user-agent" [anything]
 *	host ident user [dd/Mon/yyyy HH:MM:SS] "request" status bytes
 *
 * The record is the query string of a request to one of the event paths
 * by one of the accepted methods, and the line's own fields for the
 * columns whose source is one (query.h, enum evp_src): the request time,
 * the path, its last segment (the endpoint), the method, the client (the
 * host field) and the status.  Values that need no decoding point into
 * the line; the others are allocated from the caller's arena.
 *
 * Reasons a line is refused, in the order they are checked, stable
 * snake_case codes:
 *
 *	bad_access_line	not an access log line: the detail names the
 *			malformed part (date, a quoted field, status, a
 *			request that is not "METHOD target [HTTP/x.y]")
 *	not_event_path	no request line ("" or "-"), or the target's path
 *			is not an event path, whatever the method
 *	bad_method	an event path requested by another method
 *	no_query	an event path without a query string, or an empty one
 *	control_char	a control byte in the query string once the line's
 *			escapes are undone (\x0d)
 *
 * then those of evp_query_decode for the query string itself
 * (bad_percent_escape, repeated_key, control_char, invalid_utf8, and
 * the reason named for a query where no key names a column), and last
 * invalid_utf8 for a host field that is not UTF-8, taken as @client.
 */

struct evp_access_opts {
	struct evp_query_opts	 q;	/* columns, event paths, no_fields,
					 * the columns' sources */
	const struct evp_names	*methods;	/* accepted; NULL: GET */
	int			 utc;	/* @time as "YYYY-MM-DD HH:MM:SS" in
					 * UTC; else ISO 8601 with the line's
					 * zone ("2017-06-29T14:00:00+02:00",
					 * Werkzeug's "...Z") */
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
