#ifndef EVP_JSTREAM_H
#define EVP_JSTREAM_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/input.h"
#include "core/verdict.h"
#include "formats/json.h"

/*
 * JSON records from an input, as people write them (SPEC 10):
 *
 *	stream	values separated by any white space, pretty-printed over
 *		lines or run together; a top-level array gives each of its
 *		elements as a record.  A syntax error refuses the record it
 *		is in, and reading resumes at the first line after the one
 *		where the error was found whose first non-blank character is
 *		'{' or '['; the text skipped goes into the refused record's
 *		raw, so nothing is dropped unseen (raw holds at most the
 *		limit's bytes and the lines of a CSV record by default,
 *		EVP_CSV_ROW_LINES, so that the rejects read back; the detail
 *		says when it was cut).  A syntax error inside a
 *		top-level array refuses the whole array as one record.
 *	lines	one physical line, one value (JSON lines, strictly).
 *
 * A record's line is the line where its value starts.  Reasons:
 * invalid_json, nesting_too_deep, line_too_long, record_too_long (a value
 * over the limit: its raw holds the start), corrupt_member and
 * truncated_line (lib/core/input.h).  In a stream, each of them refuses
 * the value it is in, and reading resumes as after a syntax error (a line
 * over the limit may be the start of a value whose rest follows it).  The reader owns its buffers; a
 * record is valid until the next call.  It does not own the input.
 */
struct evp_jrec {
	struct evp_str		 text;	/* the value, when not refused */
	uint64_t		 line;
	struct evp_str		 raw;	/* refused: its text (up to the limit) */
	struct evp_verdict	 bad;	/* bad.reason set: refused */
};

struct evp_jstream {
	struct evp_input	*in;
	int			 lines;		/* one line, one value */
	size_t			 max;		/* bytes of a record */
	struct evp_jcheck	 chk;
	struct evp_buf		 rec;		/* the value being read */
	uint64_t		 rec_line;
	int			 open;		/* a value has started */
	struct evp_line		 l;		/* the line being read */
	size_t			 pos;
	int			 have;
	/* a refused record, given once reading can resume */
	int			 skipping;
	struct evp_jrec		 pend;
	struct evp_buf		 praw;
	size_t			 praw_nl;	/* its line breaks */
	int			 praw_cut;	/* it holds all the lines it can */
	uint64_t		 praw_last;	/* the last line it covers */
	/* the elements of a top-level array, handed out one by one */
	struct evp_arena	 mem;
	struct evp_jdoc		 doc;
	struct evp_buf		 arr;
	uint32_t		 elem;		/* the next element's token, or 0 */
	uint32_t		 elems_end;
	uint64_t		 elem_line;
	uint32_t		 elem_off;
};

void	evp_jstream_init(struct evp_jstream *j, struct evp_input *in, int lines,
	    size_t max, size_t max_depth);

/* Next record: 1 (check r->bad.reason), 0 at the end, -1 on input failure. */
int	evp_jstream_next(struct evp_jstream *j, struct evp_jrec *r);

void	evp_jstream_release(struct evp_jstream *j);

#endif
