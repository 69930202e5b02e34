#ifndef EVP_JSONOUT_H
#define EVP_JSONOUT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/ofile.h"
#include "core/row.h"

/*
 * Records written as a JSON array (RFC 8259) of objects, one object a
 * line, its keys the header's names in order:
 *
 *	[
 *	{"symbol": "a", "count": 3, "earliest": null},
 *	{"symbol": "b", "count": 0, "earliest": null}
 *	]
 *
 * and "[]" when there is no record.  A field whose p is NULL is null; a
 * column marked numeric is written as its text, which must be a JSON
 * number; any other field is a string, escaped as JSON asks (", \ and
 * the control bytes), its UTF-8 kept.  Text that is not UTF-8 cannot be
 * a JSON string: callers refuse it first, and a byte that starts no
 * valid sequence is written U+FFFD so that the output stays JSON.  The
 * sink borrows the ofile and the numeric flags, and owns the keys it
 * renders from the header.
 */
struct evp_jsonsink {
	struct evp_sink		 sink;
	struct evp_ofile	*f;
	const unsigned char	*numeric;	/* per column; NULL: none */
	size_t			 n;		/* columns */
	struct evp_buf		 keys;		/* "name": per column, in turn */
	size_t			*keyoff;	/* n + 1 offsets into keys */
	struct evp_buf		 line;		/* scratch */
	uint64_t		 rows;
};

void	evp_jsonsink_init(struct evp_jsonsink *s, struct evp_ofile *f,
	    const unsigned char *numeric);
void	evp_jsonsink_release(struct evp_jsonsink *s);

/* p[0..n) as a JSON string literal, quotes included, appended to b. */
void	evp_json_buf_str(struct evp_buf *b, const char *p, size_t n);

#endif
