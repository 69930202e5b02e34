#ifndef EVP_FEED_H
#define EVP_FEED_H

#include "core/arena.h"
#include "formats/csvin.h"
#include "formats/reject.h"
#include "core/row.h"
#include "core/count.h"

/*
 * Feed CSV inputs into a sink: the first input's header starts the sink;
 * a later input must have the same columns, in any order (its records are
 * put in the first one's order).  Records the CSV reader refuses are
 * counted against the stage's count and written to the rejects.  The feed
 * owns a copy of the header the sink was started with.
 */
struct evp_feed {
	struct evp_sink		*sink;
	struct evp_count	*count;
	struct evp_rejects	*rj;
	struct evp_csvin_opts	 o;
	size_t			 maxline;
	const struct evp_header	*empty;		/* the header when no input has one */
	struct evp_header	 h;
	struct evp_arena	 mem;		/* h's names */
	int			 started;
	struct evp_str		*row;
};

void	evp_feed_init(struct evp_feed *f, struct evp_sink *sink,
	    struct evp_count *count, struct evp_rejects *rj, size_t maxline,
	    size_t maxrowlines, const struct evp_header *empty);

/*
 * Feed one input.  Return 0; 1 if it was damaged part way (reported; the
 * records before the damage were fed); 2 if it could not be read at all
 * (cannot open, bad header, a column the sink needs is missing); -1 if
 * the sink failed.
 */
int	evp_feed_file(struct evp_feed *f, const char *name);

/* Start the sink if no input did, and end it. */
int	evp_feed_end(struct evp_feed *f);
void	evp_feed_release(struct evp_feed *f);

#endif
