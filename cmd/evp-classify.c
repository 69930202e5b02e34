#include "aep/classify.h"
#include "aep/profile.h"
#include "cmds.h"
#include "prog/opt.h"

enum { OPT_SERVING = 's', OPT_USER = 'u' };

static const struct evp_opt opts[] = {
	{ "serving", OPT_SERVING, "FILE",
	    "write the serving events to FILE ('-': standard output)", 0 },
	{ "user", OPT_USER, "FILE",
	    "write the user events to FILE ('-': standard output)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-classify --serving FILE --user FILE [OPTIONS] [FILE...]\n"
"Split an events CSV into serving events and user events, refusing events\n"
"that are neither.  Reads standard input when no FILE or '-' is given.\n",
	opts, EVP_HIDE_OUTPUT
};

int
cmd_classify(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_classify cl;
	const char *serving = NULL, *user = NULL;
	int c;

	evp_opt_init(&run, "evp-classify", argc, argv, &evp_aep_profile);
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		if (c == OPT_SERVING)
			serving = optarg;
		else if (c == OPT_USER)
			user = optarg;
	}
	if (serving == NULL || user == NULL)
		evp_usage_error(&run, "both --serving and --user are needed");
	if (run.output != NULL)
		evp_usage_error(&run, "-o is not used: give --serving and --user");
	if ((serving[0] == '-' && serving[1] == '\0') &&
	    (user[0] == '-' && user[1] == '\0'))
		evp_usage_error(&run, "--serving and --user cannot both be '-'");

	struct evp_path outs[] = { { "--serving", serving, 1 },
	    { "--user", user, 1 } };
	evp_opt_files(&run, outs, 2, argv + optind, (size_t)(argc - optind));
	evp_run_start(&run);
	evp_classify_init(&cl, &run.rejects, evp_run_csv(&run, serving),
	    evp_run_csv(&run, user));
	evp_run_count(&run, &cl.st.count);
	evp_run_progress(&run, argv + optind, (size_t)(argc - optind));
	evp_run_feed(&run, &cl.st.sink, &cl.st.count, argv + optind,
	    (size_t)(argc - optind), &run.colhdr);
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
