#include <stdlib.h>
#include <string.h>

#include "aep/classify.h"
#include "aep/profile.h"
#include "cmds.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "prog/checkopt.h"
#include "prog/opt.h"

enum {
	OPT_SERVING = 's', OPT_USER = 'u', OPT_TIME = EVP_OPT_TIME,
	OPT_ROUTE = EVP_OPT_ROUTE, OPT_TO = EVP_OPT_TO
};

static const struct evp_opt opts[] = {
	{ "serving", OPT_SERVING, "FILE",
	    "advertising: write the serving events to FILE\n"
	    "('-': standard output)", 0 },
	{ "user", OPT_USER, "FILE",
	    "advertising: write the user events to FILE", 0 },
	{ "time", OPT_TIME, "COLUMN", "check COLUMN's instants against --now "
	    "and the\nwindow", 0 },
	{ "route", OPT_ROUTE, "COLUMNS", "route records by the values of "
	    "COLUMNS (with --to)", 0 },
	{ "to", OPT_TO, "VALUES=FILE", "write the records whose route columns "
	    "hold VALUES\n(comma-separated) to FILE", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

static const char usage[] =
"Usage: evp-classify --serving FILE --user FILE [OPTIONS] [FILE...]\n"
"   or: evp-classify [--schema FILE] [--time COLUMN] [-o FILE |\n"
"                    --route COLUMNS --to VALUES=FILE...] [OPTIONS] [FILE...]\n"
"Check each record of an events CSV and write those that pass: split into\n"
"serving and user events (the advertising profile), or checked by schemas,\n"
"time checks and the profile's checks, into one output or routed by value\n"
"into several.  Reads standard input when no FILE or '-' is given.\n";

/* The routes: --to VALUES=FILE, split at the last '='. */
struct routes {
	const char	**values, **files;
	struct evp_path	*paths;
	size_t		 n;
};

static void
add_route(struct evp_run *run, struct routes *rt, char *arg)
{
	char *eq = strrchr(arg, '=');

	if (eq == NULL || eq[1] == '\0')
		evp_usage_error(run, "--to: not VALUES=FILE: '%s'", arg);
	*eq = '\0';
	rt->values = xrealloc(rt->values, (rt->n + 1) * sizeof(*rt->values));
	rt->files = xrealloc(rt->files, (rt->n + 1) * sizeof(*rt->files));
	rt->paths = xrealloc(rt->paths, (rt->n + 2) * sizeof(*rt->paths));
	for (size_t i = 0; i < rt->n; i++)
		if (strcmp(rt->values[i], arg) == 0)
			evp_usage_error(run, "--to: '%s' is routed twice", arg);
	rt->values[rt->n] = arg;
	rt->files[rt->n] = eq + 1;
	rt->paths[rt->n] = (struct evp_path){ "--to", eq + 1, 1 };
	rt->n++;
}

static int
advertising(struct evp_run *run, const char *serving, const char *user,
    char **files, size_t n)
{
	struct evp_classify cl;

	if (serving == NULL || user == NULL)
		evp_usage_error(run, "both --serving and --user are needed");
	if (run->output != NULL)
		evp_usage_error(run, "-o is not used: give --serving and --user");
	if (strcmp(serving, "-") == 0 && strcmp(user, "-") == 0)
		evp_usage_error(run, "--serving and --user cannot both be '-'");
	struct evp_path outs[] = { { "--serving", serving, 1 },
	    { "--user", user, 1 } };
	evp_opt_files(run, outs, 2, files, n);
	evp_run_start(run);
	evp_classify_init(&cl, &run->rejects, evp_run_csv(run, serving),
	    evp_run_csv(run, user));
	evp_run_count(run, &cl.st.count);
	evp_run_progress(run, files, n);
	evp_run_feed(run, &cl.st.sink, &cl.st.count, files, n, &run->colhdr);
	evp_classify_release(&cl);
	return evp_run_finish(run);
}

static int
checked(struct evp_run *run, struct evp_check_cli *cli, const char *route,
    struct routes *rt, char **files, size_t n)
{
	struct evp_check_opts o;
	struct evp_check ck;

	if (route != NULL && rt->n == 0)
		evp_usage_error(run, "--route needs one --to or more");
	if (route == NULL && rt->n > 0)
		evp_usage_error(run, "--to needs --route");
	if (route != NULL && run->output != NULL)
		evp_usage_error(run, "-o is not used with --route: each --to "
		    "names its file");
	size_t dashes = 0, ncols = 0;
	if (route != NULL) {
		struct evp_names nl = { 0, NULL, NULL };
		evp_opt_names(run, "route", route, &nl);
		ncols = nl.n;
		evp_names_free(&nl);
	}
	for (size_t i = 0; i < rt->n; i++) {
		size_t nv = 1;
		for (const char *p = rt->values[i]; *p; p++)
			nv += *p == ',';
		if (nv != ncols)
			evp_usage_error(run, "--to %s: %zu values for the %zu "
			    "columns of --route %s", rt->values[i], nv, ncols,
			    route);
		dashes += strcmp(rt->files[i], "-") == 0;
	}
	if (dashes > 1)
		evp_usage_error(run, "only one --to can be '-'");
	evp_check_cli_opts(cli, run, &o);
	evp_opt_files(run, rt->paths, rt->n, files, n);
	evp_run_start(run);
	struct evp_sink **outs = xcalloc(rt->n + 1, sizeof(*outs));
	for (size_t i = 0; i < rt->n; i++)
		outs[i] = evp_run_csv(run, rt->files[i]);
	o.route = route;
	o.values = rt->values;
	o.outs = outs;
	o.nroutes = rt->n;
	if (evp_check_init(&ck, &o, &run->rejects, route ? NULL :
	    evp_run_csv(run, run->output ? run->output : "-")) == 0) {
		evp_run_count(run, &ck.st.count);
		evp_run_progress(run, files, n);
		evp_run_feed(run, &ck.st.sink, &ck.st.count, files, n,
		    &run->colhdr);
	} else
		evp_run_fail(run, EVP_EXIT_USAGE, 1);
	evp_check_release(&ck);
	free(outs);
	return evp_run_finish(run);
}

int
cmd_classify(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_check_cli cli;
	struct routes rt = { NULL, NULL, NULL, 0 };
	const char *serving = NULL, *user = NULL, *route = NULL;
	int c;

	evp_opt_init(&run, "evp-classify", argc, argv, &evp_aep_profile);
	struct evp_cmd cmd = { usage, evp_check_cli_init(&cli, &run, opts), 0 };
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		if (c == OPT_SERVING)
			serving = optarg;
		else if (c == OPT_USER)
			user = optarg;
		else if (c == OPT_ROUTE)
			route = optarg;
		else if (c == OPT_TO)
			add_route(&run, &rt, optarg);
		else
			evp_check_cli_option(&cli, &run, c, optarg);
	}
	char **files = argv + optind;
	size_t n = (size_t)(argc - optind);
	int generic = evp_check_cli_given(&cli) || route != NULL || rt.n > 0 ||
	    run.profile->nchecks > 0;
	if (generic && (serving != NULL || user != NULL))
		evp_usage_error(&run, "--serving and --user split advertising "
		    "events; they take no checks or routes");
	int status = generic ? checked(&run, &cli, route, &rt, files, n) :
	    advertising(&run, serving, user, files, n);
	evp_check_cli_release(&cli);
	free(rt.values);
	free(rt.files);
	free(rt.paths);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_classify(argc, argv);
}
#endif
