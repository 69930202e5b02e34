#include <stdio.h>
#include <string.h>

#include "aep/chain.h"
#include "cmds.h"
#include "core/diag.h"
#include "stages/run.h"

static const char run_usage[] =
"Usage: evp run -o OUTDIR [OPTIONS] [LOG...]\n"
"Run the whole chain (collect, classify, merge, validate, dedupe) in one\n"
"process and write into OUTDIR (created if missing): serving_events.csv,\n"
"user_events.csv, validated_events.csv, rejects.csv and summary.json.\n"
"Reads standard input when no LOG or '-' is given.\n"
"\n"
"  -f, --format FMT       auto, access, query, jsonl or csv (default auto)\n"
"  -p, --paths LIST       request paths that carry events\n"
"                         (default /event,/event_collector)\n"
"      --max-depth N      deepest JSON nesting accepted (default 32)\n"
"The rejects and the summary are always OUTDIR/rejects.csv and\n"
"OUTDIR/summary.json.\n";

static const char validate_usage[] =
"Usage: evp validate [OPTIONS] SERVING [USER...]\n"
"Validate user events against serving events in one process: the work of\n"
"evp-merge | evp-validate | evp-dedupe, with the same defaults, without the\n"
"CSV between them.  SERVING is read whole first; the USER files (standard\n"
"input when none) are streamed.  Writes the validated events.\n";

static const char help[] =
"Usage: evp COMMAND [ARGS...]\n"
"evpipe turns raw advertising event logs into clean CSV files.\n"
"\n"
"Commands:\n"
"  run        the whole chain into a directory (evp run --help)\n"
"  collect    raw logs to an events CSV            (also evp-collect)\n"
"  classify   events to serving and user events    (also evp-classify)\n"
"  merge      join user events to serving events   (also evp-merge)\n"
"  validate   merge, validate and dedupe in one process (evp validate --help;\n"
"             the validation stage alone is evp-validate)\n"
"  dedupe     one record per key                   (also evp-dedupe)\n"
"  help       this list\n"
"  version    the version\n"
"\n"
"See evp(1) and evp-COMMAND(1).\n";

enum { OPT_MAX_DEPTH = EVP_OPT_FIRST_PRIVATE };

static const struct option run_longopts[] = {
	EVP_COMMON_LONG,
	{ "format", required_argument, NULL, 'f' },
	{ "paths", required_argument, NULL, 'p' },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_run(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_names paths, keys;
	struct evp_chain_opts o;
	int c;

	memset(&o, 0, sizeof(o));
	evp_run_init(&run, "evp run", run_usage);
	run.fixed_files = 1;
	evp_names_parse(&paths, "/event,/event_collector");
	evp_names_parse(&keys, "parentEventId,eventType");
	o.collect.format = EVP_FMT_AUTO;
	o.collect.maxdepth = 32;
	while ((c = evp_getopt(&run, argc, argv, EVP_COMMON_SHORT "f:p:",
	    run_longopts)) != -1) {
		switch (c) {
		case 'f':
			if (evp_format_parse(optarg, &o.collect.format) < 0)
				evp_usage_error(&run, "unknown format '%s'", optarg);
			break;
		case 'p':
			evp_names_free(&paths);
			if (evp_names_parse(&paths, optarg) < 0)
				evp_usage_error(&run, "--paths: empty path in '%s'", optarg);
			break;
		case OPT_MAX_DEPTH:
			if (evp_parse_size(optarg, &o.collect.maxdepth) < 0)
				evp_usage_error(&run, "--max-depth: not a count: '%s'",
				    optarg);
			break;
		}
	}
	if (run.output == NULL)
		evp_usage_error(&run, "-o OUTDIR is needed");
	if (run.rejects_path != NULL || run.summary_path != NULL)
		evp_usage_error(&run, "--rejects and --summary are fixed in OUTDIR");
	o.outdir = run.output;
	run.output = NULL;
	o.collect.cols = &run.colhdr;
	o.collect.paths = &paths;
	o.collect.maxline = run.maxline;
	o.collect.maxrowlines = run.maxrowlines;
	o.merge = (struct evp_merge_opts){ "parentEventId", "eventId", "serving.", NULL };
	o.dedupe = (struct evp_dedupe_opts){ &keys, EVP_KEEP_EARLIEST,
	    "eventTimestamp", "eventId" };

	char *std_in[] = { "-" };
	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	if (optind < argc)
		evp_chain_run(&run, &o, argv + optind, (size_t)(argc - optind));
	else
		evp_chain_run(&run, &o, std_in, 1);
	int status = evp_run_finish(&run);
	evp_names_free(&paths);
	evp_names_free(&keys);
	return status;
}

static int
cmd_validate_chain(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_names keys;
	struct evp_chain_opts o;

	memset(&o, 0, sizeof(o));
	evp_run_init(&run, "evp validate", validate_usage);
	evp_names_parse(&keys, "parentEventId,eventType");
	static const struct option longopts[] = { EVP_COMMON_LONG, { NULL, 0, NULL, 0 } };
	if (evp_getopt(&run, argc, argv, EVP_COMMON_SHORT, longopts) != -1)
		evp_usage_error(&run, "unknown option");
	if (optind >= argc)
		evp_usage_error(&run, "the serving events file is missing");
	char *serving = argv[optind++];
	if (strcmp(serving, "-") == 0 && optind == argc)
		evp_usage_error(&run, "the serving events and the user events "
		    "cannot both be standard input");
	o.merge = (struct evp_merge_opts){ "parentEventId", "eventId", "serving.", NULL };
	o.dedupe = (struct evp_dedupe_opts){ &keys, EVP_KEEP_EARLIEST,
	    "eventTimestamp", "eventId" };
	evp_run_progress(&run, argv + optind - 1, (size_t)(argc - optind + 1));
	evp_validate_chain(&run, &o, serving, argv + optind, (size_t)(argc - optind));
	int status = evp_run_finish(&run);
	evp_names_free(&keys);
	return status;
}

static const struct {
	const char	*name;
	int		(*fn)(int, char *[]);
} commands[] = {
	{ "run", cmd_run },
	{ "validate", cmd_validate_chain },
	{ "collect", cmd_collect },
	{ "classify", cmd_classify },
	{ "merge", cmd_merge },
	{ "dedupe", cmd_dedupe },
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
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	evp_msg("unknown command '%s'; 'evp help' lists them", cmd);
	return EVP_EXIT_USAGE;
}
