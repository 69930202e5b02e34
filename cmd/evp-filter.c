#include <stdlib.h>

#include "aep/profile.h"
#include "cmds.h"
#include "core/xalloc.h"
#include "prog/opt.h"
#include "stages/filter.h"

enum { OPT_TIME = 'T', OPT_EQ = EVP_OPT_OWN, OPT_FROM, OPT_TO };

static const struct evp_opt opts[] = {
	{ "eq", OPT_EQ, "COLUMN=VALUE", "keep the records whose COLUMN is VALUE\n"
	    "(bytewise); repeated: any value of a column,\n"
	    "every column", 0 },
	{ "time", OPT_TIME, "COLUMN", "the time column of --from and --to; its\n"
	    "values must be instants", 0 },
	{ "from", OPT_FROM, "TIME", "keep the records at TIME or later: an\n"
	    "instant, or a date alone (its midnight UTC)", 0 },
	{ "to", OPT_TO, "TIME", "keep the records before TIME", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-filter [OPTIONS] [FILE...]\n"
"Keep the records whose columns equal the values of --eq and whose time\n"
"column is in [--from, --to), in input order; the others are counted as\n"
"filtered.  Reads standard input when no FILE or '-' is given.\n",
	opts, 0
};

int
cmd_filter(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_filter_opts o = { NULL, 0, NULL, 0, 0, { 0, 0, 0 },
	    { 0, 0, 0 } };
	struct evp_filter_eq *eq = NULL;
	struct evp_filter f;
	int c;

	evp_opt_init(&run, "evp-filter", argc, argv, &evp_aep_profile);
	/* Room for every argument; the run frees it, even after a usage error. */
	eq = xcalloc((size_t)argc, sizeof(*eq));
	evp_run_own(&run, eq);
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		switch (c) {
		case OPT_EQ:
			if (evp_filter_eq_parse(&eq[o.neq], optarg) < 0)
				evp_usage_error(&run, "--eq: not COLUMN=VALUE: "
				    "'%s'", optarg);
			o.neq++;
			break;
		case OPT_TIME:
			o.time = optarg;
			break;
		case OPT_FROM:
		case OPT_TO:
			if (evp_time_bound(c == OPT_FROM ? &o.from : &o.to,
			    optarg) < 0)
				evp_usage_error(&run, "--%s: not an instant nor "
				    "a date: '%s'", c == OPT_FROM ? "from" : "to",
				    optarg);
			*(c == OPT_FROM ? &o.has_from : &o.has_to) = 1;
			break;
		}
	}
	if ((o.has_from || o.has_to) && o.time == NULL)
		evp_usage_error(&run, "--from and --to need --time COLUMN");
	o.eq = eq;

	evp_run_start(&run);
	evp_filter_init(&f, &o, &run.rejects, evp_run_csv(&run, run.output));
	evp_run_stage(&run, &f.st, argv + optind, (size_t)(argc - optind));
	evp_filter_release(&f);
	for (size_t i = 0; i < o.neq; i++)
		free(eq[i].col);
	return evp_run_finish(&run);
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_filter(argc, argv);
}
#endif
