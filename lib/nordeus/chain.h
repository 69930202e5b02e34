#ifndef EVP_NORDEUS_CHAIN_H
#define EVP_NORDEUS_CHAIN_H

#include "stages/check.h"
#include "stages/collect.h"
#include "stages/run.h"

/*
 * The chain of a profile whose "chain" is "lookup-sessions" (Nordeus,
 * SPEC section 13), generic stages only, each set by the profile:
 *
 *	collect -> check (the checks before lookup.before) -> merge (a
 *	lookup in an index read from --<lookup.option>, unmatched ->
 *	lookup.reason) -> check (the other checks) -> dedupe (keys, keep,
 *	time) -> sort (sort) -> sessionize (sessions.*) -> one project per
 *	table named in "tables" (NAME.output, NAME.when, NAME.columns)
 *
 * and the sessions through a sort (sessions.sort) into sessions.output.
 * The index's file goes through collect (lookup.columns, JSON lines), a
 * check (lookup.schema) and a dedupe on lookup.index_key first: any line
 * refused there makes it unusable (exit 3, naming file and line, nothing
 * written).
 */

#define EVP_LS_CHAIN	"lookup-sessions"
#define EVP_LS_MAXOUT	6				/* tables */
#define EVP_LS_MAXNAMES	(EVP_LS_MAXOUT + 5)	/* every output */

/* The files the chain writes into OUTDIR, rejects and summary last. */
size_t	evp_ls_outputs(struct evp_profile *p, const char **names);

void	evp_ls_run(struct evp_run *run, const struct evp_collect_opts *co,
	    const struct evp_check_opts *ck, const char *outdir,
	    const char *index, char *const *files, size_t n);

#endif
