#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aep/chain.h"
#include "aep/profile.h"
#include "cmds.h"
#include "core/diag.h"
#include "core/outdir.h"
#include "prog/collectopt.h"

static const struct evp_opt run_opts[] = {
	EVP_COLLECT_OPTIONS,
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd run_cmd = {
"Usage: evp run -o OUTDIR [OPTIONS] [LOG...]\n"
"Run the whole chain (collect, classify, merge, validate, dedupe) in one\n"
"process and write into OUTDIR (created if missing): serving_events.csv,\n"
"user_events.csv, validated_events.csv, rejects.csv and summary.json.\n"
"Reads standard input when no LOG or '-' is given.  The rejects and the\n"
"summary are always OUTDIR/rejects.csv and OUTDIR/summary.json.\n",
	run_opts, EVP_HIDE_FILES | EVP_OUTPUT_DIR
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

static const char help[] =
"Usage: evp COMMAND [ARGS...]\n"
"evpipe turns raw event logs into clean CSV files.\n"
"\n"
"Commands:\n"
"  run             the whole chain into a directory (evp run --help)\n"
"  collect         raw logs to a CSV of records     (also evp-collect)\n"
"  classify        events to serving and user events (also evp-classify)\n"
"  merge           join user events to serving events (also evp-merge)\n"
"  validate        merge, validate and dedupe in one process\n"
"                  (evp validate --help)\n"
"  validate-stage  the validation stage alone       (also evp-validate)\n"
"  dedupe          one record per key               (also evp-dedupe)\n"
"  sort            sort records by keys             (also evp-sort)\n"
"  filter          records by value and time window (also evp-filter)\n"
"  help            this list\n"
"  version         the version\n"
"\n"
"See evp(1) and evp-COMMAND(1).\n";

static int
cmd_run(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_collect_cli cli;
	int c;

	evp_run_init(&run, "evp run", &evp_aep_profile);
	evp_collect_cli_init(&cli, &run);
	while ((c = evp_getopt(&run, &run_cmd, argc, argv)) != -1)
		evp_collect_cli_option(&cli, &run, c, optarg);
	if (run.output == NULL)
		evp_usage_error(&run, "-o OUTDIR is needed");
	if (run.rejects_path != NULL || run.summary_path != NULL)
		evp_usage_error(&run, "--rejects and --summary are fixed in OUTDIR");
	if (strcmp(run.output, "-") == 0)
		evp_usage_error(&run, "-o names a directory; '-' is not one");
	const char *lacks = evp_aep_lacks(&run.colhdr);
	if (lacks != NULL)
		evp_usage_error(&run, "--columns lacks '%s', which the chain "
		    "needs", lacks);
	const char *outdir = run.output;
	run.output = NULL;
	struct evp_path outs[5];
	size_t nouts = 0;
	for (const char *const *f = evp_aep_run_files; *f; f++)
		outs[nouts++] = (struct evp_path){ "-o",
		    evp_outdir_path(outdir, *f), 1 };
	evp_opt_files(&run, outs, nouts, argv + optind, (size_t)(argc - optind));
	for (size_t i = 0; i < nouts; i++)
		free((char *)outs[i].path);

	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	evp_aep_run(&run, evp_collect_cli_opts(&cli, &run), outdir,
	    argv + optind, (size_t)(argc - optind));
	int status = evp_run_finish(&run);
	evp_collect_cli_release(&cli);
	return status;
}

static int
cmd_validate_chain(int argc, char *argv[])
{
	struct evp_run run;

	evp_run_init(&run, "evp validate", &evp_aep_profile);
	if (evp_getopt(&run, &validate_cmd, argc, argv) != -1)
		evp_usage_error(&run, "unknown option");
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

static const struct {
	const char	*name;
	int		(*fn)(int, char *[]);
} commands[] = {
	{ "run", cmd_run },
	{ "validate", cmd_validate_chain },
	{ "validate-stage", cmd_validate },
	{ "collect", cmd_collect },
	{ "classify", cmd_classify },
	{ "merge", cmd_merge },
	{ "dedupe", cmd_dedupe },
	{ "sort", cmd_sort },
	{ "filter", cmd_filter },
};

int
main(int argc, char *argv[])
{
	evp_diag_init("evp");
	if (argc < 2) {
		fputs(help, stderr);
		return EVP_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "--help") == 0) {
		fputs(help, stdout);
		return fflush(stdout) == 0 ? EVP_EXIT_OK : EVP_EXIT_IO;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("evp (evpipe) %s\n", EVP_VERSION);
		return fflush(stdout) == 0 ? EVP_EXIT_OK : EVP_EXIT_IO;
	}
	if (strcmp(cmd, "--print-options") == 0) {	/* scripts/completions */
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			printf("%s\t-\tcommand\t-\t\n", commands[i].name);
		fputs("help\t-\tcommand\t-\t\nversion\t-\tcommand\t-\t\n", stdout);
		return fflush(stdout) == 0 ? EVP_EXIT_OK : EVP_EXIT_IO;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	evp_msg("unknown command '%s'; 'evp help' lists them", cmd);
	return EVP_EXIT_USAGE;
}
