#ifndef EVP_ROUTEOPT_H
#define EVP_ROUTEOPT_H

#include "core/row.h"
#include "prog/opt.h"

/*
 * Routing by value on the command line: --route COLUMNS and each
 * --to VALUES=FILE, owned by the program that reads them.  Checked
 * together before any input is read; the outputs are opened as the run's.
 */
struct evp_routes {
	const char	 *cols;		/* --route, or NULL */
	const char	**values;	/* per --to: the values, comma-separated */
	const char	**files;	/* per --to: its file */
	struct evp_path	 *paths;	/* the files, for evp_opt_files */
	size_t		  n;
};

/* Add one --to VALUES=FILE (split at the last '='); arg is modified. */
void	evp_routes_add(struct evp_run *run, struct evp_routes *rt, char *arg);

/*
 * A usage error unless --route and --to come together, each --to has
 * one value per route column, at most one file is '-', and -o is not
 * also given.
 */
void	evp_routes_check(struct evp_run *run, const struct evp_routes *rt);

/* The outputs of the routes, in --to order (free the array). */
struct evp_sink **evp_routes_open(struct evp_run *run,
	    const struct evp_routes *rt);

void	evp_routes_release(struct evp_routes *rt);

#endif
