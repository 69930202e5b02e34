#include "aep/profile.h"
#include "aep/validate.h"
#include "cmds.h"
#include "core/arena.h"
#include "prog/opt.h"

enum { OPT_PREFIX = EVP_OPT_OWN };

static const struct evp_opt opts[] = {
	{ "prefix", OPT_PREFIX, "P",
	    "the serving event's columns are named P<column>", EVP_DEF(prefix) },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-validate [OPTIONS] [FILE...]\n"
"Check merged user events against their serving events, then write each\n"
"valid one enriched with the serving event's advertiser and price, in the\n"
"user event's columns.  Reads evp-merge output; standard input when no FILE.\n",
	opts, 0
};

int
cmd_validate(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_validate v;
	struct evp_arena mem;
	struct evp_header empty;
	const char *prefix;
	int c;

	evp_opt_init(&run, "evp-validate", argc, argv, &evp_aep_profile);
	prefix = run.profile->prefix;
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1)
		if (c == OPT_PREFIX) {
			evp_opt_prefix(&run, "prefix", optarg);
			prefix = optarg;
		}

	evp_opt_files(&run, NULL, 0, argv + optind, (size_t)(argc - optind));
	evp_run_start(&run);
	evp_validate_init(&v, prefix, &run.rejects, evp_run_csv(&run, run.output));
	evp_run_count(&run, &v.st.count);
	/* An empty input is taken as merged records of the record columns. */
	evp_arena_init(&mem);
	evp_header_join(&empty, &run.colhdr, &run.colhdr, prefix, &mem);
	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	evp_run_feed(&run, &v.st.sink, &v.st.count, argv + optind,
	    (size_t)(argc - optind), &empty);
	evp_validate_release(&v);
	int status = evp_run_finish(&run);
	evp_arena_release(&mem);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_validate(argc, argv);
}
#endif
