#ifndef EVP_JSONL_H
#define EVP_JSONL_H

#include "core/arena.h"
#include "core/row.h"
#include "core/verdict.h"

/*
 * JSON lines: one object per line, keys named as the columns.  Values
 * that need no unescaping point into the line; the others, and the token
 * array of a large line, are allocated from the caller's arena.
 *
 * Reasons a line is refused, stable snake_case codes:
 *
 *	nul_byte		a NUL byte anywhere in the line
 *	nesting_too_deep	arrays and objects nested deeper than max_depth
 *	invalid_utf8		the line is not valid UTF-8
 *	invalid_json		not one JSON object (RFC 8259) with nothing
 *				after it; the detail gives the byte offset
 *	bad_unicode_escape	a lone surrogate or \u0000 in any string
 *	repeated_key		a top-level key given twice (after unescaping)
 *	bad_json_type		true, false, an object or an array as the
 *				value of a column
 *	control_char		a control character in a column's value
 *				after unescaping (\n, \t, raw DEL)
 *	(no_fields)		no top-level key names a column: the
 *				reason the options name, if any
 */

#define EVP_JSONL_DEPTH	32	/* default nesting bound */

struct evp_jsonl_opts {
	const struct evp_header	*cols;	/* the columns to fill, by key name */
	size_t			 max_depth; /* nesting bound, the top object
					     * counting 1; 0 means EVP_JSONL_DEPTH */
	const char		*no_fields; /* reason when no key names a
					     * column; NULL: not refused */
};

/*
 * Parse one line s[0..n) into vals[0..cols->n): a column's value is a
 * string (unescaped) or a number (its text as written); null, like a
 * missing key, is an empty value.  Keys other than the columns are
 * ignored whatever their value.  Return 0, or -1 with *v saying why.
 */
int	evp_jsonl_parse(const struct evp_jsonl_opts *o, const char *s, size_t n,
	    struct evp_arena *a, struct evp_str *vals, struct evp_verdict *v);

/* Does the line look like JSON lines (first non-blank byte is '{')? */
int	evp_jsonl_sniff(const char *s, size_t n);

#endif
