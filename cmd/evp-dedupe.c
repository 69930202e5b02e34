#include "cmds.h"
#include "formats/csvout.h"
#include "stages/dedupe.h"
#include "stages/feed.h"
#include "stages/run.h"

static const char usage[] =
"Usage: evp-dedupe [OPTIONS] [FILE...]\n"
"Keep one record per key, refusing the others as duplicates.  Kept records\n"
"come out in input order.  Reads standard input when no FILE or '-' is given.\n"
"\n"
"  -k, --keys LIST        the key columns (default parentEventId,eventType)\n"
"      --keep WHICH       first, last, earliest or latest (default earliest)\n"
"  -t, --time COLUMN      the timestamp column for earliest and latest\n"
"                         (default eventTimestamp)\n"
"      --id COLUMN        names the kept record in rejects (default eventId)\n";

enum { OPT_KEEP = EVP_OPT_FIRST_PRIVATE, OPT_ID };

static const struct option longopts[] = {
	EVP_COMMON_LONG,
	{ "keys", required_argument, NULL, 'k' },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "time", required_argument, NULL, 't' },
	{ "id", required_argument, NULL, OPT_ID },
	{ NULL, 0, NULL, 0 }
};

int
cmd_dedupe(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_names keys;
	struct evp_dedupe_opts o = { &keys, EVP_KEEP_EARLIEST, "eventTimestamp",
	    "eventId" };
	int c;

	evp_run_init(&run, "evp-dedupe", usage);
	evp_names_parse(&keys, "parentEventId,eventType");
	while ((c = evp_getopt(&run, argc, argv, EVP_COMMON_SHORT "k:t:",
	    longopts)) != -1) {
		switch (c) {
		case 'k':
			evp_names_free(&keys);
			if (evp_names_parse(&keys, optarg) < 0)
				evp_usage_error(&run, "--keys: empty column in '%s'",
				    optarg);
			break;
		case OPT_KEEP:
			if (evp_keep_parse(optarg, &o.keep) < 0)
				evp_usage_error(&run, "--keep: first, last, earliest "
				    "or latest, not '%s'", optarg);
			break;
		case 't':
			o.time = optarg;
			break;
		case OPT_ID:
			o.id = optarg;
			break;
		}
	}

	evp_run_start(&run);
	struct evp_csvsink out;
	evp_csvsink_init(&out, evp_run_output(&run, run.output));
	struct evp_dedupe d;
	evp_dedupe_init(&d, &o, &run.rejects, &out.sink);
	evp_run_count(&run, &d.count);
	struct evp_feed feed;
	evp_feed_init(&feed, &d.sink, &d.count, &run.rejects, run.maxline,
	    run.maxrowlines, &run.colhdr);
	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	evp_feed_all(&run, &feed, argv + optind, (size_t)(argc - optind));
	evp_feed_release(&feed);
	evp_dedupe_release(&d);
	int status = evp_run_finish(&run);
	evp_names_free(&keys);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_dedupe(argc, argv);
}
#endif
