#include "cmds.h"
#include "formats/csvout.h"
#include "core/arena.h"
#include "stages/feed.h"
#include "stages/run.h"
#include "aep/validate.h"

static const char usage[] =
"Usage: evp-validate [OPTIONS] [FILE...]\n"
"Check merged user events against their serving events, then write each\n"
"valid one enriched with the serving event's advertiserId and price, in the\n"
"user event's columns.  Reads evp-merge output; standard input when no FILE.\n"
"\n"
"      --prefix P         the serving event's columns are named P<column>\n"
"                         (default 'serving.')\n";

enum { OPT_PREFIX = EVP_OPT_FIRST_PRIVATE };

static const struct option longopts[] = {
	EVP_COMMON_LONG,
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ NULL, 0, NULL, 0 }
};

int
cmd_validate(int argc, char *argv[])
{
	struct evp_run run;
	const char *prefix = "serving.";
	int c;

	evp_run_init(&run, "evp-validate", usage);
	while ((c = evp_getopt(&run, argc, argv, EVP_COMMON_SHORT, longopts)) != -1)
		if (c == OPT_PREFIX)
			prefix = optarg;

	evp_run_start(&run);
	struct evp_csvsink out;
	evp_csvsink_init(&out, evp_run_output(&run, run.output));
	struct evp_validate v;
	evp_validate_init(&v, prefix, &run.rejects, &out.sink);
	evp_run_count(&run, &v.count);
	/* An empty input is taken as merged records of the record columns. */
	struct evp_arena mem;
	struct evp_header empty;
	evp_arena_init(&mem);
	evp_header_join(&empty, &run.colhdr, &run.colhdr, prefix, &mem);
	struct evp_feed feed;
	evp_feed_init(&feed, &v.sink, &v.count, &run.rejects, run.maxline,
	    run.maxrowlines, &empty);
	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	evp_feed_all(&run, &feed, argv + optind, (size_t)(argc - optind));
	evp_feed_release(&feed);
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
