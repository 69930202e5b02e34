#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "core/diag.h"
#include "prog/front.h"
#include "stages/run.h"

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
"  sessionize      sessions by a state machine      (also evp-sessionize)\n"
"  summarize       aggregates per group of records  (also evp-summarize)\n"
"  help            this list\n"
"  version         the version\n"
"\n"
"See evp(1) and evp-COMMAND(1).\n";

static const struct {
	const char	*name;
	int		(*fn)(int, char *[]);
} commands[] = {
	{ "run", evp_front_run },
	{ "validate", evp_front_validate },
	{ "validate-stage", cmd_validate },
	{ "collect", cmd_collect },
	{ "classify", cmd_classify },
	{ "merge", cmd_merge },
	{ "dedupe", cmd_dedupe },
	{ "sort", cmd_sort },
	{ "filter", cmd_filter },
	{ "sessionize", cmd_sessionize },
	{ "summarize", cmd_summarize },
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
