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
	const unsigned char	*src;	/* per column, where its value comes
					 * from (enum evp_src); NULL: every
					 * column is a key */
};

/*
 * Where a column's value comes from in a log or query line: the query
 * key of its name, or a field of the access log line itself ("@time",
 * ...; empty in a query line), or nowhere ("@none": always empty).
 */
enum evp_src {
	EVP_SRC_KEY, EVP_SRC_NONE, EVP_SRC_TIME, EVP_SRC_PATH, EVP_SRC_ENDPOINT,
	EVP_SRC_METHOD, EVP_SRC_CLIENT, EVP_SRC_STATUS
};

/*
 * The source a column's "name=SOURCE" names: a log field for "@time",
 * "@path", "@endpoint", "@method", "@client", "@status" or "@none";
 * EVP_SRC_KEY for any text not starting with '@' (a JSON path); -1 for
 * another '@' name.
 */
int	evp_src_parse(const char *s, size_t n);

/*
 * Decode a bare query string q[0..n) into vals[0..o->cols->n), pair by
 * pair: a key that names no key column is ignored with its value, however
 * damaged either is (a key that cannot be decoded names none); a key
 * column given twice is repeated_key; its value must decode
 * (bad_percent_escape), hold no control character (control_char) and be
 * UTF-8 (invalid_utf8).  A missing key, and a column that is no key, is
 * an empty value.  Return 0, or -1 with *v saying why (those, or
 * o->no_fields when no key names a column).
 */
int	evp_query_decode(const struct evp_query_opts *o, const char *q, size_t n,
	    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v);

/*
 * Parse one line of the query format: a bare query string, a path with a
 * query, or an http(s) URL.  A path must be one of o->paths
 * (not_event_path); a path with no query, or an empty one, is no_query; a
 * raw space in the
 * query is bad_query (and a raw control byte control_char); then as
 * evp_query_decode.
 */
int	evp_query_parse(const struct evp_query_opts *o, const char *s, size_t n,
	    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v);

/* Is path[0..n) one of paths? */
int	evp_query_path_ok(const struct evp_names *paths, const char *path, size_t n);

#endif
