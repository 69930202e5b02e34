#ifndef EVP_PIPELINE_H
#define EVP_PIPELINE_H

#include "stages/check.h"
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
 * collect reads the profile's columns; check runs the checks of o->check
 * (routing aside) in order; dedupe keeps one record per the profile's keys (if any); sort
 * orders by its sort keys (if any); optional columns no input record had
 * are left out of the output; the tally columns' values are counted into
 * summary.json.  rejects.csv and summary.json go into OUTDIR too, with
 * the guarantees of every evp run (atomic files, a lock, conservation).
 */
struct evp_pipeline_opts {
	struct evp_profile		*profile;
	const struct evp_collect_opts	*collect;
	const char			*outdir;
	struct evp_check_opts		 check;	/* the profile's checks, their
						 * files and time bounds */
};

/* Run it; failures are recorded in run (and reported). */
void	evp_pipeline_run(struct evp_run *run, const struct evp_pipeline_opts *o,
	    char *const *files, size_t n);

#endif
