#include <stdlib.h>
#include <string.h>

#include "aep/classify.h"
#include "aep/profile.h"
#include "cmds.h"
#include "core/diag.h"
#include "prog/checkopt.h"
#include "prog/opt.h"
#include "prog/routeopt.h"

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
	evp_run_stage(run, &cl.st, files, n);
	evp_classify_release(&cl);
	return evp_run_finish(run);
}

static int
checked(struct evp_run *run, struct evp_check_cli *cli,
    const struct evp_routes *rt, char **files, size_t n)
{
	struct evp_check_opts o;
	struct evp_check ck;

	evp_routes_check(run, rt);
	evp_check_cli_opts(cli, run, &o);
	evp_opt_files(run, rt->paths, rt->n, files, n);
	evp_run_start(run);
	struct evp_sink **outs = evp_routes_open(run, rt);
	o.route = rt->cols;
	o.values = rt->values;
	o.outs = outs;
	o.nroutes = rt->n;
	if (evp_check_init(&ck, &o, &run->rejects, rt->cols ? NULL :
	    evp_run_csv(run, run->output ? run->output : "-")) == 0)
		evp_run_stage(run, &ck.st, files, n);
	else
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
	struct evp_routes rt = { 0 };
	const char *serving = NULL, *user = NULL;
	int c;

	evp_opt_init(&run, "evp-classify", argc, argv, &evp_aep_profile);
	struct evp_cmd cmd = { usage, evp_check_cli_init(&cli, &run, opts), 0 };
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		if (c == OPT_SERVING)
			serving = optarg;
		else if (c == OPT_USER)
			user = optarg;
		else if (c == OPT_ROUTE)
			rt.cols = optarg;
		else if (c == OPT_TO)
			evp_routes_add(&run, &rt, optarg);
		else
			evp_check_cli_option(&cli, &run, c, optarg);
	}
	char **files = argv + optind;
	size_t n = (size_t)(argc - optind);
	int generic = evp_check_cli_given(&cli) || rt.cols != NULL || rt.n > 0 ||
	    run.profile->nchecks > 0;
	if (generic && (serving != NULL || user != NULL))
		evp_usage_error(&run, "--serving and --user split advertising "
		    "events; they take no checks or routes");
	int status = generic ? checked(&run, &cli, &rt, files, n) :
	    advertising(&run, serving, user, files, n);
	evp_check_cli_release(&cli);
	evp_routes_release(&rt);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_classify(argc, argv);
}
#endif
