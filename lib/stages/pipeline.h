#ifndef EVP_PIPELINE_H
#define EVP_PIPELINE_H

#include "stages/collect.h"
#include "stages/profile.h"
#include "stages/run.h"
#include "types/tstamp.h"

/*
 * The chain a profile file describes on its own (chain "checked"), for an
 * event system that needs no code of its own:
 *
 *	collect -> check -> dedupe -> sort -> OUTDIR/<output>
 *
 * collect reads the profile's columns; check runs the profile's checks in
 * order; dedupe keeps one record per the profile's keys (if any); sort
 * orders by its sort keys (if any); optional columns no input record had
 * are left out of the output; the tally columns' values are counted into
 * summary.json.  rejects.csv and summary.json go into OUTDIR too, with
 * the guarantees of every evp run (atomic files, a lock, conservation).
 */
struct evp_pipeline_opts {
	struct evp_profile		*profile;
	const struct evp_collect_opts	*collect;
	const char			*outdir;
	struct evp_tstamp		 now;
	struct evp_tstamp		 since, until;
	int				 has_since, has_until;
	/* files given on the command line for checks naming an option */
	const char			*schema;	/* --schema */
	const char			*trusted;	/* --trusted */
};

/* Run it; failures are recorded in run (and reported). */
void	evp_pipeline_run(struct evp_run *run, const struct evp_pipeline_opts *o,
	    char *const *files, size_t n);

#endif
