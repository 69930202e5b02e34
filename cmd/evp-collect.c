#include <stdlib.h>

#include "cmds.h"
#include "stages/collect.h"
#include "formats/csvout.h"
#include "core/diag.h"
#include "stages/run.h"

static const char usage[] =
"Usage: evp-collect [OPTIONS] [FILE...]\n"
"Turn raw logs (access logs, query strings or URLs, JSON lines, CSV; plain or\n"
"gzip) into an events CSV.  Reads standard input when no FILE or '-' is given.\n"
"\n"
"  -f, --format FMT       auto, access, query, jsonl or csv (default auto:\n"
"                         decided per file from its first non-blank line)\n"
"  -p, --paths LIST       request paths that carry events\n"
"                         (default /event,/event_collector)\n"
"      --max-depth N      deepest JSON nesting accepted (default 32)\n";

enum { OPT_MAX_DEPTH = EVP_OPT_FIRST_PRIVATE };

static const struct option longopts[] = {
	EVP_COMMON_LONG,
	{ "format", required_argument, NULL, 'f' },
	{ "paths", required_argument, NULL, 'p' },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ NULL, 0, NULL, 0 }
};

int
cmd_collect(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_collect_opts o = { EVP_FMT_AUTO, NULL, NULL, 0, 0, 32 };
	struct evp_names paths;
	int c;

	evp_run_init(&run, "evp-collect", usage);
	evp_names_parse(&paths, "/event,/event_collector");
	while ((c = evp_getopt(&run, argc, argv, EVP_COMMON_SHORT "f:p:",
	    longopts)) != -1) {
		switch (c) {
		case 'f':
			if (evp_format_parse(optarg, &o.format) < 0)
				evp_usage_error(&run, "unknown format '%s'", optarg);
			break;
		case 'p':
			evp_names_free(&paths);
			if (evp_names_parse(&paths, optarg) < 0)
				evp_usage_error(&run, "--paths: empty path in '%s'", optarg);
			break;
		case OPT_MAX_DEPTH:
			if (evp_parse_size(optarg, &o.maxdepth) < 0)
				evp_usage_error(&run, "--max-depth: not a count: '%s'",
				    optarg);
			break;
		default:
			evp_usage_error(&run, "unknown option");
		}
	}
	o.cols = &run.colhdr;
	o.paths = &paths;
	o.maxline = run.maxline;
	o.maxrowlines = run.maxrowlines;

	evp_run_start(&run);
	struct evp_csvsink out;
	evp_csvsink_init(&out, evp_run_output(&run, run.output));
	struct evp_collect col;
	evp_collect_init(&col, &o, &run.rejects, &out.sink);
	evp_run_count(&run, &col.count);

	char *stdin_only[] = { "-" };
	char **files = optind < argc ? argv + optind : stdin_only;
	int nfiles = optind < argc ? argc - optind : 1;
	evp_run_progress(&run, files, (size_t)nfiles);
	int rc = evp_collect_start(&col);
	for (int i = 0; rc == 0 && i < nfiles; i++) {
		int frc = evp_collect_file(&col, files[i]);
		if (frc > 0)
			evp_run_fail(&run, EVP_EXIT_INPUT, frc == 2);
		else if (frc < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = evp_collect_end(&col);
	if (rc < 0)
		evp_run_fail(&run, EVP_EXIT_IO, 1);
	evp_collect_release(&col);
	int status = evp_run_finish(&run);
	evp_names_free(&paths);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_collect(argc, argv);
}
#endif
