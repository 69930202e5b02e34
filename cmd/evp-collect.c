#include "aep/profile.h"
#include "cmds.h"
#include "prog/collectopt.h"

static const struct evp_opt opts[] = {
	EVP_COLLECT_OPTIONS,
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-collect [OPTIONS] [FILE...]\n"
"Turn raw logs (access logs, query strings or URLs, JSON lines, CSV; plain or\n"
"gzip) into a CSV of records.  Reads standard input when no FILE or '-' is\n"
"given.\n", opts, 0
};

int
cmd_collect(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_collect_cli cli;
	struct evp_collect col;
	int c;

	evp_opt_init(&run, "evp-collect", argc, argv, &evp_aep_profile);
	evp_collect_cli_init(&cli, &run);
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1)
		evp_collect_cli_option(&cli, &run, c, optarg);

	evp_opt_files(&run, NULL, 0, argv + optind, (size_t)(argc - optind));
	evp_run_start(&run);
	evp_collect_init(&col, evp_collect_cli_opts(&cli, &run), &run.rejects,
	    evp_run_csv(&run, run.output));
	evp_run_count(&run, &col.st.count);
	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	evp_collect_run(&col, &run, argv + optind, (size_t)(argc - optind));
	evp_collect_release(&col);
	evp_collect_cli_release(&cli);
	return evp_run_finish(&run);
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_collect(argc, argv);
}
#endif
