#include <string.h>

#include "aep/profile.h"
#include "cmds.h"
#include "core/xalloc.h"
#include "formats/jsonout.h"
#include "prog/opt.h"
#include "stages/summarize.h"

enum {
	OPT_GROUP = 'g', OPT_TIME = 't', OPT_FORMAT = 'f',
	OPT_DAY = EVP_OPT_OWN, OPT_COUNT, OPT_DISTINCT, OPT_MIN, OPT_MAX,
	OPT_SUM, OPT_MEAN, OPT_CHILDREN, OPT_FROM, OPT_TO, OPT_GROUPS
};

static const struct evp_opt opts[] = {
	{ "group", OPT_GROUP, "COLS", "group by these columns (comma-separated)", 0 },
	{ "day", OPT_DAY, "COL[:NAME]", "group by the UTC day of COL's instants,\n"
	    "written YYYY-MM-DD as column NAME (default COL)", 0 },
	{ "count", OPT_COUNT, "NAME", "the records of the group", 0 },
	{ "distinct", OPT_DISTINCT, "COL:NAME", "the distinct values of COL", 0 },
	{ "min", OPT_MIN, "COL:TYPE:NAME", "the least value of COL as TYPE: text,\n"
	    "number or time; written as read", 0 },
	{ "max", OPT_MAX, "COL:TYPE:NAME", "the greatest value of COL", 0 },
	{ "sum", OPT_SUM, "COL:NAME[:PLACES]", "the exact sum of COL, rounded\n"
	    "half to even to PLACES if given", 0 },
	{ "mean", OPT_MEAN, "COL:NAME[:PLACES]", "the mean of COL's values, rounded\n"
	    "half to even to PLACES (default 2)", 0 },
	{ "children", OPT_CHILDREN, "FILE:KEY=CHILDKEY:NAME", "the rows of\n"
	    "FILE whose CHILDKEY is a record's KEY, per\n"
	    "group (KEY alone: the same name)", 0 },
	{ "time", OPT_TIME, "COLUMN", "the time column of --from and --to; its\n"
	    "values must be instants", 0 },
	{ "from", OPT_FROM, "TIME", "only the records at TIME or later: an\n"
	    "instant, or a date alone (its midnight UTC)", 0 },
	{ "to", OPT_TO, "TIME", "only the records before TIME", 0 },
	{ "groups", OPT_GROUPS, "COL=VALUES", "write these groups of COL, in this\n"
	    "order, even empty; leave out other values;\n"
	    "a-z is a range", 0 },
	{ "format", OPT_FORMAT, "FORMAT", "csv (the default) or json", 0 },
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

/* Global, so that memory they hold stays reachable on a usage error. */
static struct evp_sumspec sp;
static struct evp_jsonsink json;
static struct evp_buf err;

static void
option(struct evp_run *run, int c, const char *arg)
{
	static const enum evp_aggkind kinds[] = {
		[OPT_COUNT - OPT_COUNT] = EVP_AGG_COUNT,
		[OPT_DISTINCT - OPT_COUNT] = EVP_AGG_DISTINCT,
		[OPT_MIN - OPT_COUNT] = EVP_AGG_MIN,
		[OPT_MAX - OPT_COUNT] = EVP_AGG_MAX,
		[OPT_SUM - OPT_COUNT] = EVP_AGG_SUM,
		[OPT_MEAN - OPT_COUNT] = EVP_AGG_MEAN,
	};
	const struct evp_opt *o = opts;
	const char *why = NULL;

	while (o->key != c)
		o++;
	if (c == OPT_GROUP)
		why = evp_sumspec_groups(&sp, arg);
	else if (c == OPT_DAY)
		why = evp_sumspec_day(&sp, arg);
	else if (c >= OPT_COUNT && c <= OPT_MEAN)
		why = evp_sumspec_agg(&sp, kinds[c - OPT_COUNT], arg);
	else if (c == OPT_CHILDREN)
		why = evp_sumspec_children(&sp, arg);
	else if (c == OPT_GROUPS)
		why = evp_sumspec_list(&sp, arg);
	else if (c == OPT_TIME)
		why = sp.time != NULL ? "given twice" :
		    (sp.time = xstrdup(arg), NULL);
	else if (c == OPT_FROM || c == OPT_TO) {
		if (evp_time_bound(c == OPT_FROM ? &sp.from : &sp.to, arg) < 0)
			why = "not an instant nor a date";
		*(c == OPT_FROM ? &sp.has_from : &sp.has_to) = 1;
	} else if (c == OPT_FORMAT) {
		if (strcmp(arg, "json") == 0 || strcmp(arg, "csv") == 0)
			sp.json = arg[0] == 'j';
		else
			why = "not csv nor json";
	}
	if (why != NULL)
		evp_usage_error(run, "--%s: %s: '%s'", o->name, why, arg);
}

/* The files read besides the inputs, and standard input read once. */
static void
check_files(struct evp_run *run, char *const *files, size_t n)
{
	struct evp_path extra[16];
	size_t ne = 0, stdins = n == 0;

	for (size_t i = 0; i < n; i++)
		stdins += strcmp(files[i], "-") == 0;
	for (size_t i = 0; i < sp.nagg; i++) {
		if (sp.agg[i].kind != EVP_AGG_CHILDREN)
			continue;
		if (ne == sizeof(extra) / sizeof(extra[0]))
			evp_usage_error(run, "--children: more than %zu files",
			    ne);
		extra[ne++] = (struct evp_path){ "--children", sp.agg[i].file, 0 };
		stdins += strcmp(sp.agg[i].file, "-") == 0;
	}
	if (stdins > 1)
		evp_usage_error(run, "standard input can be read only once: "
		    "name the records or the --children files");
	evp_opt_files(run, extra, ne, files, n);
}

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
		option(&run, c, optarg);
	if (evp_sumspec_check(&sp, &err) < 0)
		evp_usage_error(&run, "%s", err.p);
	char *const *files = argv + optind;
	size_t n = (size_t)(argc - optind);
	check_files(&run, files, n);

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
	evp_run_keep_counts(&run);
	evp_summarize_release(&s);
	evp_jsonsink_release(&json);
	int status = evp_run_finish(&run);
	evp_sumspec_release(&sp);
	evp_buf_release(&err);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_summarize(argc, argv);
}
#endif
