#include "aep/profile.h"
#include "cmds.h"
#include "formats/jsonout.h"
#include "prog/sumopt.h"

static const struct evp_opt opts[] = {
	EVP_SUMMARIZE_OPTIONS,
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-summarize [OPTIONS] [FILE...]\n"
"Group CSV records by columns (and by day) and write per group the\n"
"aggregates asked for, in their order, after the group columns: counts,\n"
"least and greatest values, exact sums and means, rows of another file.\n"
"Reads standard input when no FILE or '-' is given.\n",
	opts, 0
};

/* Global, so that what they hold stays reachable on a usage error. */
static struct evp_sumspec sp;
static struct evp_jsonsink json;

int
cmd_summarize(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_summarize s;
	struct evp_sink *out;
	int c;

	evp_run_init(&run, "evp-summarize", &evp_aep_profile);
	evp_sumspec_init(&sp);
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1)
		evp_sumopt_option(&sp, &run, c, optarg);
	char *const *files = argv + optind;
	size_t n = (size_t)(argc - optind);
	evp_sumopt_check(&sp, &run, files, n);

	evp_run_start(&run);
	if (sp.json) {
		evp_jsonsink_init(&json, evp_run_output(&run, run.output),
		    sp.numeric);
		out = &json.sink;
	} else
		out = evp_run_csv(&run, run.output);
	evp_summarize_init(&s, &sp, &run.rejects, out);
	evp_run_count(&run, &s.st.count);
	evp_run_progress(&run, files, n);
	if (evp_summarize_children(&s, &run) == 0)
		evp_run_feed(&run, &s.st.sink, &s.st.count, files, n,
		    &evp_summarize_noheader);
	evp_summarize_report(&s, run.quiet);
	evp_run_keep_counts(&run);	/* the children's die with the stage */
	evp_summarize_release(&s);
	evp_jsonsink_release(&json);
	int status = evp_run_finish(&run);
	evp_sumspec_release(&sp);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_summarize(argc, argv);
}
#endif
