#ifndef EVP_CHAIN_H
#define EVP_CHAIN_H

#include "stages/collect.h"
#include "stages/dedupe.h"
#include "stages/merge.h"
#include "stages/run.h"

/*
 * The whole chain in one process (evp run): collect, classify, merge,
 * validate and dedupe over the same records in memory, writing
 * serving_events.csv, user_events.csv, validated_events.csv, rejects.csv
 * and summary.json into a directory.  Rejects of every stage point back to
 * the raw input line.
 */
struct evp_chain_opts {
	struct evp_collect_opts	collect;
	struct evp_merge_opts	merge;
	struct evp_dedupe_opts	dedupe;
	const char		*outdir;
};

/* Run it; failures are recorded in run (and reported). */
void	evp_chain_run(struct evp_run *run, const struct evp_chain_opts *o,
	    char *const *files, size_t nfiles);

/*
 * The validation alone in one process (evp validate): the serving events
 * of serving indexed, the user events of users[0..n) (standard input when
 * n is 0) streamed through merge, validate and dedupe into the run's
 * output, with no CSV in between.  The options' collect part is unused.
 */
void	evp_validate_chain(struct evp_run *run, const struct evp_chain_opts *o,
	    const char *serving, char *const *users, size_t n);

#endif
