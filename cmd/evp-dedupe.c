#include "aep/profile.h"
#include "cmds.h"
#include "prog/opt.h"
#include "stages/dedupe.h"

enum { OPT_KEYS = 'k', OPT_TIME = 'T', OPT_KEEP = EVP_OPT_OWN, OPT_ID };

static const struct evp_opt opts[] = {
	{ "keys", OPT_KEYS, "LIST", "the key columns", EVP_DEF(keys) },
	{ "keep", OPT_KEEP, "first|last|earliest|latest", "the record kept per key",
	    EVP_DEF(keep) },
	{ "time", OPT_TIME, "COLUMN",
	    "the timestamp column for earliest and latest", EVP_DEF(time) },
	{ "id", OPT_ID, "COLUMN", "names the kept record in rejects",
	    EVP_DEF(id) },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-dedupe [OPTIONS] [FILE...]\n"
"Keep one record per key, refusing the others as duplicates.  Kept records\n"
"come out in input order.  Reads standard input when no FILE or '-' is given.\n",
	opts, 0
};

int
cmd_dedupe(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_names keys = { 0, NULL, NULL };
	struct evp_dedupe_opts o;
	struct evp_dedupe d;
	const char *keep;
	int c;

	evp_opt_init(&run, "evp-dedupe", argc, argv, &evp_aep_profile);
	evp_opt_names(&run, "keys", run.profile->keys, &keys);
	keep = run.profile->keep;
	o = (struct evp_dedupe_opts){ &keys, EVP_KEEP_FIRST, run.profile->time,
	    run.profile->id };
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		if (c == OPT_KEYS)
			evp_opt_names(&run, "keys", optarg, &keys);
		else if (c == OPT_KEEP)
			keep = optarg;
		else if (c == OPT_TIME)
			o.time = optarg;
		else if (c == OPT_ID)
			o.id = optarg;
	}
	if (evp_keep_parse(keep, &o.keep) < 0)
		evp_usage_error(&run, "--keep: first, last, earliest or latest, "
		    "not '%s'", keep);

	evp_opt_files(&run, NULL, 0, argv + optind, (size_t)(argc - optind));
	evp_run_start(&run);
	evp_dedupe_init(&d, &o, &run.rejects, evp_run_csv(&run, run.output));
	evp_run_stage(&run, &d.st, argv + optind, (size_t)(argc - optind));
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
