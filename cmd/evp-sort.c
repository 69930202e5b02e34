#include <stdint.h>
#include <string.h>

#include "aep/profile.h"
#include "cmds.h"
#include "prog/opt.h"
#include "stages/sort.h"
#include "types/int.h"

enum { OPT_KEY = 'k', OPT_MEMORY = EVP_OPT_OWN };

static const struct evp_opt opts[] = {
	{ "key", OPT_KEY, "KEY", "sort by KEY: COLUMN[:TYPE][:desc], TYPE text\n"
	    "(bytewise, the default), number or time; repeat\n"
	    "the option for more keys, the first deciding first", 0 },
	{ "memory", OPT_MEMORY, "SIZE", "memory for the records, e.g. 64M, or\n"
	    "'unlimited'; past it, sorted runs go to TMPDIR\n"
	    "(default 256M)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-sort -k KEY [-k KEY...] [OPTIONS] [FILE...]\n"
"Sort CSV records by one or more keys.  The sort is stable: records with equal\n"
"keys keep their input order.  A record whose key cannot be read as its type\n"
"is refused.  Reads standard input when no FILE or '-' is given.\n",
	opts, 0
};

int
cmd_sort(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_sortkeys keys = { 0, NULL };
	struct evp_sort_opts o = { &keys, (size_t)256 * 1024 * 1024, 0 };
	struct evp_sort s;
	int c;

	evp_opt_init(&run, "evp-sort", argc, argv, &evp_aep_profile);
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		if (c == OPT_KEY) {
			if (evp_sortkeys_add(&keys, optarg) < 0)
				evp_usage_error(&run, "--key: no column in '%s'",
				    optarg);
		} else if (c == OPT_MEMORY) {
			if (strcmp(optarg, "unlimited") == 0)
				o.memory = SIZE_MAX;
			else if (evp_parse_size(optarg, &o.memory) < 0 ||
			    o.memory < 1024 * 1024)
				evp_usage_error(&run, "--memory: not a size of 1M "
				    "or more: '%s'", optarg);
		}
	}
	if (keys.n == 0)
		evp_usage_error(&run, "no key: give one with -k COLUMN");

	evp_run_start(&run);
	evp_sort_init(&s, &o, &run.rejects, evp_run_csv(&run, run.output));
	evp_run_stage(&run, &s.st, argv + optind, (size_t)(argc - optind));
	evp_sort_release(&s);
	int status = evp_run_finish(&run);
	evp_sortkeys_release(&keys);
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_sort(argc, argv);
}
#endif
