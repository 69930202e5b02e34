#include "aep/classify.h"
#include "cmds.h"
#include "formats/csvout.h"
#include "stages/feed.h"
#include "stages/run.h"

static const char usage[] =
"Usage: evp-classify --serving FILE --user FILE [OPTIONS] [FILE...]\n"
"Split an events CSV into serving events and user events, refusing events\n"
"that are neither.  Reads standard input when no FILE or '-' is given.\n"
"\n"
"  -s, --serving FILE     write the serving events to FILE ('-': standard output)\n"
"  -u, --user FILE        write the user events to FILE ('-': standard output)\n";

static const struct option longopts[] = {
	EVP_COMMON_LONG,
	{ "serving", required_argument, NULL, 's' },
	{ "user", required_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_classify(int argc, char *argv[])
{
	struct evp_run run;
	const char *serving = NULL, *user = NULL;
	int c;

	evp_run_init(&run, "evp-classify", usage);
	run.no_output_opt = 1;
	while ((c = evp_getopt(&run, argc, argv, EVP_COMMON_SHORT "s:u:",
	    longopts)) != -1) {
		if (c == 's')
			serving = optarg;
		else if (c == 'u')
			user = optarg;
	}
	if (serving == NULL || user == NULL)
		evp_usage_error(&run, "both --serving and --user are needed");
	if (run.output != NULL)
		evp_usage_error(&run, "-o is not used: give --serving and --user");
	if ((serving[0] == '-' && serving[1] == '\0') &&
	    (user[0] == '-' && user[1] == '\0'))
		evp_usage_error(&run, "--serving and --user cannot both be '-'");

	evp_run_start(&run);
	struct evp_csvsink s, u;
	evp_csvsink_init(&s, evp_run_output(&run, serving));
	evp_csvsink_init(&u, evp_run_output(&run, user));
	struct evp_classify cl;
	evp_classify_init(&cl, &run.rejects, &s.sink, &u.sink);
	evp_run_count(&run, &cl.count);
	struct evp_feed feed;
	evp_feed_init(&feed, &cl.sink, &cl.count, &run.rejects, run.maxline,
	    run.maxrowlines, &run.colhdr);
	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	evp_feed_all(&run, &feed, argv + optind, (size_t)(argc - optind));
	evp_feed_release(&feed);
	evp_classify_release(&cl);
	return evp_run_finish(&run);
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_classify(argc, argv);
}
#endif
