#ifndef EVP_CHAIN_H
#define EVP_CHAIN_H

#include "stages/collect.h"
#include "stages/run.h"

/*
 * The advertising chain in one process, over the records in memory, its
 * rejects pointing back to the raw input line.  Failures are recorded in
 * the run (and reported); the run owns every output.
 */

/*
 * evp run: collect, classify, merge, validate and dedupe, writing
 * serving_events.csv, user_events.csv, validated_events.csv, rejects.csv
 * and summary.json into outdir (created if missing, locked while the run
 * lasts).
 */
void	evp_aep_run(struct evp_run *run, const struct evp_collect_opts *co,
	    const char *outdir, char *const *files, size_t n);

/*
 * The i-th of the files evp_aep_run writes into outdir (allocated), NULL
 * past the last: serving_events.csv, user_events.csv,
 * validated_events.csv (.tsv with -t), rejects.csv (each with .gz or .zst
 * after it with --compress), summary.json.
 */
#define EVP_AEP_RUN_NFILES	5
char	*evp_aep_run_path(const struct evp_run *run, const char *outdir, int i);

/*
 * A column the chain needs that cols lacks (evp run --columns), or NULL
 * if it has them all.
 */
const char *evp_aep_lacks(const struct evp_header *cols);

/*
 * evp validate: the serving events of serving indexed, the user events of
 * users[0..n) (standard input when n is 0) streamed through merge,
 * validate and dedupe into the run's output, with no CSV in between.
 */
void	evp_aep_validate(struct evp_run *run, const char *serving,
	    char *const *users, size_t n);

#endif
