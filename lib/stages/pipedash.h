#ifndef EVP_PIPEDASH_H
#define EVP_PIPEDASH_H

#include "formats/jsonout.h"
#include "stages/profile.h"
#include "stages/run.h"
#include "stages/sinks.h"
#include "stages/summarize.h"

/*
 * The summary of one route of a routed chain (a profile's "dashboard",
 * evp-profile(5)): summarize fed in process, once the input is read, with
 * the rows the route kept, written as JSON and/or CSV.  Its children
 * aggregate counts the rows another route kept, given as they are
 * written.  The rows wait in a scratch file, not in memory.
 */
struct evp_pipedash {
	const char		*of;		/* the route summarized */
	const char		*childroute;	/* the children's; NULL: none */
	const char		*file[2];	/* the JSON and CSV outputs */
	struct evp_sumspec	 sp[2];
	struct evp_summarize	 sum[2];
	int			 has[2];
	int			 opened;
	struct evp_jsonsink	 json;
	struct evp_store	 rows;		/* the route's rows, at the end */
	struct evp_tee		 both;
	struct evp_sink		 child;		/* the children's rows */
	size_t			 cagg;		/* the children aggregate */
	int			 cidx;
};

/*
 * Read the profile's "dashboard" into d; from and to (NULL: none) bound
 * its time column.  Return 1 if the profile has one, 0 if not, -1 after
 * reporting a bad setting.
 */
int	evp_pipedash_load(struct evp_pipedash *d, struct evp_profile *p,
	    const struct evp_tstamp *from, const struct evp_tstamp *to);

/*
 * Open the outputs, once the run has started: the JSON one's path first
 * in paths, then the CSV one's, each if the profile names it.
 */
void	evp_pipedash_open(struct evp_pipedash *d, struct evp_run *run,
	    char *const *paths);

/* Once the input is read: feed the rows kept, write the summary. */
int	evp_pipedash_finish(struct evp_pipedash *d);

void	evp_pipedash_release(struct evp_pipedash *d);

#endif
