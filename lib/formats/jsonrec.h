#ifndef EVP_JSONREC_H
#define EVP_JSONREC_H

#include "core/arena.h"
#include "core/row.h"
#include "core/verdict.h"
#include "formats/json.h"

/*
 * Records from JSON values (SPEC 10, columns from JSON): each column
 * takes the value at a dotted path of keys (user_id=event_data.user_id).
 * A missing path or null is an empty field, a string its decoded text, a
 * number its text as written, true and false their text, an object or an
 * array its JSON text with the white space outside strings removed.  The
 * value must be an object, with no key repeated at any depth.
 *
 * With flat set (the advertising events), a column's value must be a
 * string, a number or null (else bad_json_type) and a decoded control
 * character in it is refused (control_char); with no_fields set, a value
 * where no path names anything is refused with that reason.
 *
 * Values that need no decoding point into the document's text; the
 * others come from the caller's arena.  The options are borrowed.
 */
struct evp_jsonrec_opts {
	const struct evp_header	*cols;	/* the columns */
	const struct evp_str	*paths;	/* per column, its path: NULL for all
					 * the columns' own names */
	int			 flat;
	const char		*no_fields;
};

/*
 * Bind the value at token t of d into vals[0..cols->n); seen[i] (when
 * seen is not NULL) is set to 1 for a column whose path is there, null
 * included.  Return 0, or -1 with *v saying why.
 */
/*
 * The field of the value at token t for the column name: a string
 * unescaped, a number as written, null empty; with flat, any other value
 * is bad_json_type and a control character control_char (-1), else an
 * object or array is its compact JSON text, true and false as written.
 */
int	evp_jsonrec_field(int flat, const struct evp_jdoc *d, size_t t,
	    struct evp_str name, struct evp_arena *a, struct evp_str *val,
	    struct evp_verdict *v);

int	evp_jsonrec_bind(const struct evp_jsonrec_opts *o, const struct evp_jdoc *d,
	    size_t t, struct evp_arena *a, struct evp_str *vals,
	    unsigned char *seen, struct evp_verdict *v);

#endif
