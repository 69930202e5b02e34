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
	struct evp_tstamp		 from, to; /* the dashboard's range */
	int				 has_from, has_to;
};

/*
 * The i-th of the files it writes into outdir (allocated), NULL past the
 * last: the profile's output (events.csv by default; *.tsv for *.csv with
 * -t), rejects.csv (each with .gz or .zst after it with --compress),
 * summary.json.
 */
#define EVP_PIPELINE_NFILES	3
char	*evp_pipeline_path(const struct evp_run *run,
	    const struct evp_profile *p, const char *outdir, int i);

/*
 * With "routes" in the profile, the records that pass the checks go to
 * one output per value of the "route" column instead, with per-route
 * steps (a unique key, a deferred parent check) and a dashboard
 * (routed.c, evp-profile(5)).  Run it; failures are recorded in run (and
 * reported).
 */
void	evp_pipeline_run(struct evp_run *run, const struct evp_pipeline_opts *o,
	    char *const *files, size_t n);

/*
 * routed.c: the chain with routes, and the i-th of its files in outdir
 * (allocated), NULL past the last: the routes' files, rejects.csv,
 * summary.json, then the dashboard's JSON and CSV files.
 */
void	evp_routed_run(struct evp_run *run, const struct evp_pipeline_opts *o,
	    char *const *files, size_t n);
char	*evp_routed_path(const struct evp_run *run, struct evp_profile *p,
	    const char *outdir, int i);

#endif
