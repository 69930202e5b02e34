#include <string.h>

#include "aep/profile.h"
#include "cmds.h"
#include "prog/opt.h"
#include "stages/merge.h"

enum {
	OPT_KEY = 'k', OPT_INDEX_KEY = EVP_OPT_OWN, OPT_PREFIX, OPT_CARRY,
	OPT_UNMATCHED
};

static const struct evp_opt opts[] = {
	{ "key", OPT_KEY, "COLUMN", "the user side's key", EVP_DEF(key) },
	{ "index-key", OPT_INDEX_KEY, "COLUMN", "the serving side's key",
	    EVP_DEF(index_key) },
	{ "prefix", OPT_PREFIX, "P", "prefix of the serving columns",
	    EVP_DEF(prefix) },
	{ "carry", OPT_CARRY, "COLUMNS", "serving columns to keep and write "
	    "(default all;\nthe serving key is always kept)", 0 },
	{ "unmatched", OPT_UNMATCHED, "REASON", "refuse a user record whose key "
	    "has no match,\nwith this reason (default: it passes)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-merge [OPTIONS] SERVING [USER...]\n"
"Join user events to serving events: each user event comes out followed by\n"
"its serving event's columns, prefixed, or by empty ones when it has none.\n"
"SERVING is read whole first; the USER files (standard input when none) are\n"
"streamed.\n", opts, 0
};

/* A reason as rejects name them: snake_case, a letter first. */
static int
reason_ok(const char *r)
{
	return r[0] >= 'a' && r[0] <= 'z' &&
	    strspn(r, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(r);
}

int
cmd_merge(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_merge_opts o;
	struct evp_names carry = { 0, NULL, NULL };
	struct evp_merge m;
	int c;

	evp_opt_init(&run, "evp-merge", argc, argv, &evp_aep_profile);
	o = (struct evp_merge_opts){ run.profile->key, run.profile->index_key,
	    run.profile->prefix, NULL, NULL };
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		if (c == OPT_KEY)
			o.key = optarg;
		else if (c == OPT_INDEX_KEY)
			o.index_key = optarg;
		else if (c == OPT_PREFIX) {
			evp_opt_prefix(&run, "prefix", optarg);
			o.prefix = optarg;
		}
		else if (c == OPT_UNMATCHED) {
			if (!reason_ok(optarg))
				evp_usage_error(&run, "--unmatched: not a "
				    "snake_case reason: '%s'", optarg);
			o.unmatched = optarg;
		} else if (c == OPT_CARRY) {
			evp_opt_names(&run, "carry", optarg, &carry);
			o.carry = &carry;
		}
	}
	if (optind >= argc)
		evp_usage_error(&run, "the serving events file is missing");
	char **serving = argv + optind++;
	if ((*serving)[0] == '-' && (*serving)[1] == '\0' && optind == argc)
		evp_usage_error(&run, "the serving events and the user events "
		    "cannot both be standard input");

	evp_opt_files(&run, NULL, 0, serving, (size_t)(argc - optind + 1));
	evp_run_start(&run);
	evp_merge_init(&m, &o, &run.rejects, evp_run_csv(&run, run.output));
	evp_run_count(&run, &m.st.count);
	/* The serving file and the user files: progress over all inputs. */
	evp_run_progress(&run, serving, (size_t)(argc - optind + 1));
	if (evp_run_feed(&run, &m.index, &m.st.count, serving, 1,
	    &run.colhdr) == 0)
		evp_run_feed(&run, &m.st.sink, &m.st.count, argv + optind,
		    (size_t)(argc - optind), &run.colhdr);
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
