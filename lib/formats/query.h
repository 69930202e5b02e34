#ifndef EVP_QUERY_H
#define EVP_QUERY_H

#include "core/arena.h"
#include "core/row.h"
#include "core/verdict.h"

/*
 * Query strings: "id=e1&ts=10:00", "/event?...",
 * "http://host:5000/event_collector?...".  Decoded values are allocated
 * from the caller's arena; values that need no decoding point into the
 * input.
 */

struct evp_query_opts {
	const struct evp_header	*cols;	/* the columns to fill, by key name */
	const struct evp_names	*paths;	/* paths that carry records */
	const char		*no_fields; /* reason when no key names a
					     * column; NULL: not refused */
};

/*
 * Decode a bare query string q[0..n) into vals[0..o->cols->n): keys other
 * than the columns are ignored, a missing key is an empty value.  Return
 * 0, or -1 with *v saying why (bad_percent_escape, repeated_key,
 * control_char, invalid_utf8, or o->no_fields).
 */
int	evp_query_decode(const struct evp_query_opts *o, const char *q, size_t n,
	    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v);

/*
 * Parse one line of the query format: a bare query string, a path with a
 * query, or an http(s) URL.  A path must be one of o->paths
 * (not_event_path); a path with no query is no_query; a raw space in the
 * query is bad_query (and a raw control byte control_char); then as
 * evp_query_decode.
 */
int	evp_query_parse(const struct evp_query_opts *o, const char *s, size_t n,
	    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v);

/* Is path[0..n) one of paths? */
int	evp_query_path_ok(const struct evp_names *paths, const char *path, size_t n);

#endif
