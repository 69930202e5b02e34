#ifndef EVP_COLLECT_H
#define EVP_COLLECT_H

#include "core/arena.h"
#include "formats/reject.h"
#include "core/row.h"
#include "core/count.h"

/*
 * collect: raw logs to event records (SPEC section 3).  Each non-blank
 * input line is one record pushed to the output sink, or one reject.  The
 * stage owns its scratch memory; the options' lists are borrowed.
 */

enum evp_format {
	EVP_FMT_AUTO, EVP_FMT_ACCESS, EVP_FMT_QUERY, EVP_FMT_JSONL, EVP_FMT_CSV
};

struct evp_collect_opts {
	enum evp_format		 format;
	const struct evp_header	*cols;		/* the event columns */
	const struct evp_names	*paths;		/* request paths carrying events */
	size_t			 maxline;
	size_t			 maxrowlines;
	size_t			 maxdepth;	/* JSON nesting */
};

struct evp_collect {
	struct evp_collect_opts	 o;
	struct evp_count	 count;
	struct evp_rejects	*rj;
	struct evp_sink		*out;
	struct evp_arena	 scratch;
	struct evp_str		*vals;
};

/* Parse a --format value; -1 if unknown. */
int	evp_format_parse(const char *s, enum evp_format *f);
const char *evp_format_name(enum evp_format f);

void	evp_collect_init(struct evp_collect *c, const struct evp_collect_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);

/* Start the output (its header is the event columns). */
int	evp_collect_start(struct evp_collect *c);

/*
 * Collect one input ("-" is standard input).  Return 0; 1 if it was
 * damaged part way (reported; the records before the damage were kept); 2
 * if it could not be read at all (cannot open, refused compression, bad
 * CSV header or missing column); -1 if the output failed.
 */
int	evp_collect_file(struct evp_collect *c, const char *name);

int	evp_collect_end(struct evp_collect *c);
void	evp_collect_release(struct evp_collect *c);

#endif
