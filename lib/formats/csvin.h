#ifndef EVP_CSVIN_H
#define EVP_CSVIN_H

#include <csv.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/input.h"
#include "core/row.h"
#include "core/verdict.h"

/*
 * CSV records with a header row, read through libcsv in strict mode with
 * no space trimming and a field-size cap; the delimiter may be another
 * than a comma (a tab: TSV, quoted as CSV is, so a quoted field may hold
 * tabs).  A record that cannot be read
 * becomes a row with bad.reason set and its raw text, never an error:
 *
 *	csv_syntax	 stray or unterminated quote, bare CR outside quotes
 *	column_count	 not as many fields as the header
 *	field_too_long	 a field over the cap
 *	row_too_long	 a quoted field left open over too many lines
 *	nul_byte	 a NUL byte in the record
 *	repeated_header	 the header row again (files joined with cat)
 *	line_too_long	 a physical line over the input's line limit
 *	corrupt_member	 a line of a compressed member whose check failed
 *	truncated_line	 the last line of an input cut short
 *
 * When a record spanning several lines fails, only its first line is
 * refused and the following lines are read again as new records, so one
 * stray quote cannot swallow the rest of a file.  The reader owns all the
 * memory it returns; a row is valid until the next call.
 */

/* Physical lines of one record when no limit is given. */
#define EVP_CSV_ROW_LINES	100

struct evp_csvin_opts {
	size_t	maxfield;	/* bytes in one field, default 1 MiB */
	size_t	maxrowlines;	/* physical lines in one record */
	char	delim;		/* the field separator; 0: a tab for an input
				 * named *.tsv (evp_tsv_name), else a comma */
};

struct evp_csvrow {
	size_t			 n;
	struct evp_str		*f;
	uint64_t		 line;	/* line where the record starts */
	struct evp_str		 raw;	/* its text, line ends included between lines */
	struct evp_verdict	 bad;	/* bad.reason set: refused */
};

struct evp_rawline {
	size_t		off, len;
	uint64_t	no;
	int		crlf, toolong, damaged, truncated;
};

struct evp_csvin {
	struct evp_input	*in;
	struct evp_csvin_opts	 o;
	struct csv_parser	 p;
	struct evp_header	 header;	/* empty (n == 0) for an empty input */
	char			*hdrmem;

	/* the record being read: its physical lines and fields */
	struct evp_buf		 raw;
	struct evp_rawline	*lines;
	size_t			 nlines, linescap;
	struct evp_buf		 fbytes;
	size_t			*foff;
	size_t			 nf, fcap;
	struct evp_str		*fv;
	size_t			 fvcap;
	int			 row_done;
	int			 parity;	/* odd: inside a quoted field */
	const char		*fault;		/* why the record is refused */

	/* lines to read again after a refused multi-line record */
	struct evp_buf		 pend;
	struct evp_rawline	*plines;
	size_t			 npl, plpos, plcap;
};

/*
 * Read the header (the first non-blank record) from in.  Return 0, or -1
 * after reporting a broken header.  A name given twice is read as it is:
 * a stage that uses that column refuses it (evp_require_columns).
 */
int	evp_csvin_open(struct evp_csvin *r, struct evp_input *in,
	    const struct evp_csvin_opts *o);

/* Next record: 1 (check row->bad.reason), 0 at the end, -1 on input error. */
int	evp_csvin_next(struct evp_csvin *r, struct evp_csvrow *row);

void	evp_csvin_close(struct evp_csvin *r);

#endif
