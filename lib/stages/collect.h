#ifndef EVP_COLLECT_H
#define EVP_COLLECT_H

#include "core/arena.h"
#include "formats/sniff.h"
#include "stages/stage.h"

/*
 * collect: raw logs to records (SPEC section 3).  Each non-blank input
 * line is one record pushed to the output sink, or one reject.  The stage
 * owns its scratch memory; the options' lists are borrowed.  It is a
 * source: its st.sink is unused.
 */

struct evp_collect_opts {
	enum evp_format		 format;
	unsigned		 formats;	/* those auto chooses among, as
						 * 1 << format; 0: all */
	const struct evp_header	*cols;		/* the record columns */
	const struct evp_str	*from;		/* per column, where its value is
						 * (a JSON path); NULL: its name */
	int			 flat;		/* JSON values: flat events only
						 * (formats/jsonrec.h) */
	const struct evp_names	*paths;		/* request paths carrying records */
	const struct evp_names	*methods;	/* accepted request methods;
						 * NULL: GET */
	int			 utc;		/* a log's @time as UTC
						 * "YYYY-MM-DD HH:MM:SS" */
	const char		*no_fields;	/* reason when no key names a
						 * column; NULL: not refused */
	size_t			 maxline;
	size_t			 maxrowlines;
	size_t			 maxdepth;	/* JSON nesting */
	char			 delim;		/* of CSV inputs; 0: by name */
};

struct evp_collect {
	struct evp_stage	 st;
	struct evp_collect_opts	 o;
	struct evp_arena	 scratch;
	struct evp_str		*vals;
	unsigned char		*seen;		/* per column: some JSON value had it */
	unsigned char		*src;		/* per column: enum evp_src */
};

void	evp_collect_init(struct evp_collect *c, const struct evp_collect_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);

/* Start the output (its header is the event columns). */
int	evp_collect_start(struct evp_collect *c);

/*
 * Collect one input ("-" is standard input; a name *.tsv is CSV with
 * tabs, whatever --format auto would vote).  Return 0; 1 if it was
 * damaged part way (reported; the records before the damage were kept); 2
 * if it could not be read at all (cannot open, refused compression, bad
 * CSV header or missing column); -1 if the output failed.
 */
int	evp_collect_file(struct evp_collect *c, const char *name);

int	evp_collect_end(struct evp_collect *c);

/*
 * Collect files[0..n) (standard input when n is 0): start, each file,
 * end, with failures recorded in run as evp_run_files says.  Return 0,
 * or -1 if the output failed.
 */
struct evp_run;
int	evp_collect_run(struct evp_collect *c, struct evp_run *run,
	    char *const *files, size_t n);
void	evp_collect_release(struct evp_collect *c);

#endif
