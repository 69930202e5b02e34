#include <stdlib.h>
#include <string.h>

#include "aep/chain.h"
#include "aep/profile.h"
#include "core/diag.h"
#include "core/outdir.h"
#include "core/xalloc.h"
#include "nordeus/chain.h"
#include "prog/checkopt.h"
#include "prog/collectopt.h"
#include "prog/front.h"
#include "stages/pipeline.h"

enum { OPT_FROM = 0x3f0, OPT_TO };

static const struct evp_opt run_opts[] = {
	EVP_COLLECT_OPTIONS,
	{ "from", OPT_FROM, "TIME", "a profile's dashboard counts the records "
	    "at\nTIME or later: an instant, or a date alone (its\nmidnight UTC)",
	    0 },
	{ "to", OPT_TO, "TIME", "and those before TIME", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd run_cmd = {
"Usage: evp run -o OUTDIR [OPTIONS] [INPUT...]\n"
"Run an event system's whole chain in one process and write its files\n"
"into OUTDIR (created if missing), with rejects.csv and summary.json.  The\n"
"default system (--profile aep) collects, classifies, merges, validates and\n"
"dedupes advertising events into serving_events.csv, user_events.csv and\n"
"validated_events.csv.  With -t the files of records are .tsv; with\n"
"--compress every file but the summary is .gz or .zst.  Reads standard\n"
"input when no INPUT or '-' is given.\n",
	NULL, EVP_HIDE_FILES | EVP_OUTPUT_DIR	/* run_opts and the checks' */
};

static const struct evp_cmd validate_cmd = {
"Usage: evp validate [OPTIONS] SERVING [USER...]\n"
"Validate user events against serving events in one process: the work of\n"
"evp-merge | evp-validate | evp-dedupe, with the same defaults, without the\n"
"CSV between them.  SERVING is read whole first; the USER files (standard\n"
"input when none) are streamed.  Writes the validated events.  The\n"
"validation stage alone is evp validate-stage (evp-validate).\n",
	NULL, 0
};

enum { OPT_LOOKUP = 0x370 };

/* Is the profile's chain the lookup-and-sessions one? */
static int
ls_chain(const struct evp_profile *p)
{
	return p->chain != NULL && strcmp(p->chain, EVP_LS_CHAIN) == 0;
}

/*
 * The options: run_opts, and the file of a profile's lookup
 * ("lookup": {"option": NAME, "help": TEXT}) as --NAME FILE.
 */
static struct evp_opt *
own_opts(struct evp_run *run)
{
	struct evp_profile *p = (struct evp_profile *)run->profile;
	const char *name = evp_profile_str(p, "lookup.option");
	size_t n = sizeof(run_opts) / sizeof(run_opts[0]);
	struct evp_opt *t = xcalloc(n + 1, sizeof(*t));

	memcpy(t, run_opts, n * sizeof(*t));
	if (name != NULL && ls_chain(p)) {
		const char *help = evp_profile_str(p, "lookup.help");
		t[n] = t[n - 1];
		t[n - 1] = (struct evp_opt){ name, OPT_LOOKUP, "FILE",
		    help ? help : "the lookup's index file", 0 };
	}
	evp_run_own(run, t);
	return t;
}

/* The output files of the profile's chain (allocated), for the checks. */
static size_t
outputs(const struct evp_run *run, const char *outdir, struct evp_path *outs)
{
	const struct evp_profile *p = run->profile;
	int aep = p->chain == NULL || strcmp(p->chain, "advertising") == 0;
	int n = aep ? EVP_AEP_RUN_NFILES : EVP_PIPELINE_NFILES;

	if (ls_chain(p)) {
		const char *names[EVP_LS_MAXNAMES];
		size_t k = evp_ls_outputs((struct evp_profile *)p, names);
		/* The tables, then the rejects and the summary. */
		for (size_t i = 0; i < k; i++)
			outs[i] = (struct evp_path){ "-o", evp_run_file(run,
			    outdir, names[i], i + 2 < k ? EVP_RUN_DATA :
			    i + 2 == k ? EVP_RUN_REJECTS : EVP_RUN_JSON), 1 };
		return k;
	}
	if (!aep && evp_profile_str((struct evp_profile *)p, "routes") != NULL) {
		size_t k = 0;
		char *path;
		while ((path = evp_routed_path(run, (struct evp_profile *)p,
		    outdir, (int)k)) != NULL)
			outs[k++] = (struct evp_path){ "-o", path, 1 };
		return k;
	}
	for (int i = 0; i < n; i++)
		outs[i] = (struct evp_path){ "-o", aep ?
		    evp_aep_run_path(run, outdir, i) :
		    evp_pipeline_path(run, p, outdir, i), 1 };
	return (size_t)n;
}

/* Usage errors of the command line, before anything is read. */
static const char *
check_line(struct evp_run *run, struct evp_check_cli *cli, int ranged,
    int argc, char *argv[])
{
	const struct evp_profile *p = run->profile;
	int aep = p->chain == NULL || strcmp(p->chain, "advertising") == 0;

	if (run->output == NULL)
		evp_usage_error(run, "-o OUTDIR is needed");
	if (run->rejects_path != NULL || run->summary_path != NULL)
		evp_usage_error(run, "--rejects and --summary are fixed in OUTDIR");
	if (strcmp(run->output, "-") == 0)
		evp_usage_error(run, "-o names a directory; '-' is not one");
	if (!aep && strcmp(p->chain, "checked") != 0 && !ls_chain(p))
		evp_usage_error(run, "profile %s: no chain '%s' (evp-profile(5))",
		    p->name, p->chain);
	if (!aep && ranged && evp_profile_str((struct evp_profile *)p,
	    "dashboard.of") == NULL)
		evp_usage_error(run, "profile %s has no dashboard for --from and "
		    "--to", p->name);
	if (aep && (evp_check_cli_given(cli) || ranged))
		evp_usage_error(run, "profile %s takes none of --now, --since, "
		    "--until, --schema, --from, --to", p->name);
	if (aep && evp_aep_lacks(&run->colhdr) != NULL)
		evp_usage_error(run, "--columns lacks '%s', which the chain "
		    "needs", evp_aep_lacks(&run->colhdr));
	const char *outdir = run->output;
	struct evp_path outs[EVP_LS_MAXNAMES > 8 ? EVP_LS_MAXNAMES : 8];
	size_t n = outputs(run, outdir, outs);
	run->output = NULL;
	evp_opt_files(run, outs, n, argv + optind, (size_t)(argc - optind));
	for (size_t i = 0; i < n; i++)
		free((char *)outs[i].path);
	return outdir;
}

int
evp_front_run(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_collect_cli cli;
	struct evp_check_cli ck;
	struct evp_pipeline_opts p;
	const char *index = NULL;
	int c;

	evp_opt_init(&run, "evp run", argc, argv, &evp_aep_profile);
	evp_collect_cli_init(&cli, &run);
	struct evp_cmd cmd = run_cmd;
	cmd.opts = evp_check_cli_init(&ck, &run, own_opts(&run));
	memset(&p, 0, sizeof(p));
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1)
		if (c == OPT_LOOKUP)
			index = optarg;
		else if (c == OPT_FROM || c == OPT_TO) {
			if (evp_time_bound(c == OPT_FROM ? &p.from : &p.to,
			    optarg) < 0)
				evp_usage_error(&run, "--%s: not an instant nor a "
				    "date: '%s'", c == OPT_FROM ? "from" : "to",
				    optarg);
			*(c == OPT_FROM ? &p.has_from : &p.has_to) = 1;
		} else if (!evp_collect_cli_option(&cli, &run, c, optarg))
			evp_check_cli_option(&ck, &run, c, optarg);
	if (ls_chain(run.profile) && index == NULL)
		evp_usage_error(&run, "--%s FILE is needed",
		    evp_profile_str((struct evp_profile *)run.profile,
		    "lookup.option"));
	const char *outdir = check_line(&run, &ck, p.has_from || p.has_to,
	    argc, argv);
	int aep = run.profile->chain == NULL ||
	    strcmp(run.profile->chain, "advertising") == 0;
	if (!aep)
		evp_check_cli_opts(&ck, &run, &p.check);

	char **files = argv + optind;
	size_t n = (size_t)(argc - optind);
	const struct evp_collect_opts *co = evp_collect_cli_opts(&cli, &run);
	evp_run_progress(&run, files, n);
	if (aep)
		evp_aep_run(&run, co, outdir, files, n);
	else if (ls_chain(run.profile))
		evp_ls_run(&run, co, &p.check, outdir, index, files, n);
	else {
		p.profile = (struct evp_profile *)run.profile;
		p.collect = co;
		p.outdir = outdir;
		evp_pipeline_run(&run, &p, files, n);
	}
	int status = evp_run_finish(&run);
	evp_collect_cli_release(&cli);
	evp_check_cli_release(&ck);
	return status;
}

int
evp_front_validate(int argc, char *argv[])
{
	struct evp_run run;

	evp_opt_init(&run, "evp validate", argc, argv, &evp_aep_profile);
	if (evp_getopt(&run, &validate_cmd, argc, argv) != -1)
		evp_usage_error(&run, "unknown option");
	if (run.profile->chain != NULL &&
	    strcmp(run.profile->chain, "advertising") != 0)
		evp_usage_error(&run, "profile %s is not the advertising chain's",
		    run.profile->name);
	if (optind >= argc)
		evp_usage_error(&run, "the serving events file is missing");
	char *serving = argv[optind++];
	if (strcmp(serving, "-") == 0 && optind == argc)
		evp_usage_error(&run, "the serving events and the user events "
		    "cannot both be standard input");
	evp_opt_files(&run, NULL, 0, argv + optind - 1,
	    (size_t)(argc - optind + 1));
	evp_run_progress(&run, argv + optind - 1, (size_t)(argc - optind + 1));
	evp_aep_validate(&run, serving, argv + optind, (size_t)(argc - optind));
	return evp_run_finish(&run);
}
