#include "cmds.h"
#include "formats/csvout.h"
#include "stages/feed.h"
#include "stages/merge.h"
#include "stages/run.h"

static const char usage[] =
"Usage: evp-merge [OPTIONS] SERVING [USER...]\n"
"Join user events to serving events: each user event comes out followed by\n"
"its serving event's columns, prefixed, or by empty ones when it has none.\n"
"SERVING is read whole first; the USER files (standard input when none) are\n"
"streamed.\n"
"\n"
"  -k, --key COLUMN       the user side's key (default parentEventId)\n"
"      --index-key COLUMN the serving side's key (default eventId)\n"
"      --prefix P         prefix of the serving columns (default 'serving.')\n"
"      --carry COLUMNS    serving columns to keep and write (default all;\n"
"                         the serving key is always kept)\n";

enum { OPT_INDEX_KEY = EVP_OPT_FIRST_PRIVATE, OPT_PREFIX, OPT_CARRY };

static const struct option longopts[] = {
	EVP_COMMON_LONG,
	{ "key", required_argument, NULL, 'k' },
	{ "index-key", required_argument, NULL, OPT_INDEX_KEY },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "carry", required_argument, NULL, OPT_CARRY },
	{ NULL, 0, NULL, 0 }
};

int
cmd_merge(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_merge_opts o = { "parentEventId", "eventId", "serving.", NULL };
	struct evp_names carry = { 0, NULL, NULL };
	int c;

	evp_run_init(&run, "evp-merge", usage);
	while ((c = evp_getopt(&run, argc, argv, EVP_COMMON_SHORT "k:",
	    longopts)) != -1) {
		if (c == 'k')
			o.key = optarg;
		else if (c == OPT_INDEX_KEY)
			o.index_key = optarg;
		else if (c == OPT_PREFIX)
			o.prefix = optarg;
		else if (c == OPT_CARRY) {
			evp_names_free(&carry);
			if (evp_names_parse(&carry, optarg) < 0)
				evp_usage_error(&run, "--carry: empty column name in '%s'",
				    optarg);
			o.carry = &carry;
		}
	}
	if (optind >= argc)
		evp_usage_error(&run, "the serving events file is missing");
	char *serving = argv[optind++];
	if (serving[0] == '-' && serving[1] == '\0' && optind == argc)
		evp_usage_error(&run, "the serving events and the user events "
		    "cannot both be standard input");

	evp_run_start(&run);
	struct evp_csvsink out;
	evp_csvsink_init(&out, evp_run_output(&run, run.output));
	struct evp_merge m;
	evp_merge_init(&m, &o, &run.rejects, &out.sink);
	evp_run_count(&run, &m.count);

	struct evp_feed sf, uf;
	evp_feed_init(&sf, &m.index, &m.count, &run.rejects, run.maxline,
	    run.maxrowlines, &run.colhdr);
	evp_feed_init(&uf, &m.sink, &m.count, &run.rejects, run.maxline,
	    run.maxrowlines, &run.colhdr);
	/* argv[optind - 1] is the serving file: progress over all inputs. */
	evp_run_progress(&run, argv + optind - 1, (size_t)(argc - optind + 1));
	if (evp_feed_all(&run, &sf, &serving, 1) == 0)
		evp_feed_all(&run, &uf, argv + optind, (size_t)(argc - optind));
	evp_feed_release(&sf);
	evp_feed_release(&uf);
	evp_merge_release(&m);
	evp_names_free(&carry);
	return evp_run_finish(&run);
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_merge(argc, argv);
}
#endif
