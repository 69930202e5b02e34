#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aep/profile.h"
#include "cmds.h"
#include "core/xalloc.h"
#include "prog/opt.h"
#include "stages/sessionize.h"

enum { OPT_KEY = 'k', OPT_TIME = 'T', OPT_TYPE = EVP_OPT_OWN, OPT_REGISTER,
	OPT_OPEN, OPT_CLOSE, OPT_INSIDE, OPT_PASS, OPT_MIN, OPT_SESSIONS };

static const struct evp_opt opts[] = {
	{ "key", OPT_KEY, "COLUMN", "the key column: one machine per key", 0 },
	{ "time", OPT_TIME, "COLUMN", "the time column; its values must be\n"
	    "instants, in order per key", 0 },
	{ "type", OPT_TYPE, "COLUMN", "the event type column", 0 },
	{ "register", OPT_REGISTER, "TYPES", "types that register a key, once,\n"
	    "before its other events; they open a session", 0 },
	{ "open", OPT_OPEN, "TYPES", "types that open a session (login)", 0 },
	{ "close", OPT_CLOSE, "TYPES", "types that close it (logout)", 0 },
	{ "inside", OPT_INSIDE, "TYPES", "types allowed only inside a session", 0 },
	{ "pass-unknown", OPT_PASS, NULL, "pass events of other types, outside\n"
	    "the machine, instead of refusing them", 0 },
	{ "min-seconds", OPT_MIN, "N", "a session of at least N seconds counts\n"
	    "(default 1)", 0 },
	{ "sessions", OPT_SESSIONS, "FILE", "write the sessions to FILE ('-':\n"
	    "standard output)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

static const struct evp_cmd cmd = {
"Usage: evp-sessionize -k COLUMN -T COLUMN --type COLUMN [--register TYPES]\n"
"         [--open TYPES] [--close TYPES] [--inside TYPES] [--sessions FILE]\n"
"         [OPTIONS] [FILE...]\n"
"Walk each key's events, in time order, through a session state machine:\n"
"write the events it accepts, unchanged and in input order, refuse the\n"
"others, and write the sessions to --sessions.  TYPES is a comma-separated\n"
"list; a role's option may be repeated.  Reads standard input when no FILE\n"
"or '-' is given.\n",
	opts, 0
};

/*
 * The lists of types, as given and parsed.  Static, so that they stay
 * reachable when a usage error exits.
 */
static char *lists[EVP_SESS_NROLES];
static struct evp_names names[EVP_SESS_NROLES];

/* Add the list arg to the role's list *l ("a,b" then "c": "a,b,c"). */
static void
add_types(char **l, const char *arg)
{
	char *s = xmalloc((*l ? strlen(*l) + 1 : 0) + strlen(arg) + 1);

	sprintf(s, "%s%s%s", *l ? *l : "", *l ? "," : "", arg);
	free(*l);
	*l = s;
}

int
cmd_sessionize(int argc, char *argv[])
{
	struct evp_run run;
	struct evp_sessionize_opts o;
	const char *sessions = NULL;
	struct evp_sessionize s;
	int c, r1, r2;

	memset(&o, 0, sizeof(o));
	o.min = (struct evp_span){ 1, 0 };
	evp_run_init(&run, "evp-sessionize", &evp_aep_profile);
	while ((c = evp_getopt(&run, &cmd, argc, argv)) != -1) {
		if (c == OPT_KEY)
			o.key = optarg;
		else if (c == OPT_TIME)
			o.time = optarg;
		else if (c == OPT_TYPE)
			o.type = optarg;
		else if (c == OPT_PASS)
			o.pass_unknown = 1;
		else if (c == OPT_SESSIONS)
			sessions = optarg;
		else if (c == OPT_MIN && evp_span_parse(&o.min, optarg) < 0)
			evp_usage_error(&run, "--min-seconds: not a number of "
			    "seconds: '%s'", optarg);
		else if (c >= OPT_REGISTER && c <= OPT_INSIDE)
			add_types(&lists[c - OPT_REGISTER], optarg);
	}
	if (o.key == NULL || o.time == NULL || o.type == NULL)
		evp_usage_error(&run, "-k, -T and --type name the key, time and "
		    "type columns: all three are needed");
	for (int r = 0; r < EVP_SESS_NROLES; r++) {
		if (lists[r] == NULL)
			continue;
		if (evp_names_parse(&names[r], lists[r]) < 0)
			evp_usage_error(&run, "--%s: empty type in '%s'",
			    evp_sess_role_name[r], lists[r]);
		o.role[r] = &names[r];
	}
	if (o.role[EVP_SESS_REGISTER] == NULL && o.role[EVP_SESS_OPEN] == NULL)
		evp_usage_error(&run, "no type opens a session: give --open or "
		    "--register");
	const struct evp_str *twice = evp_sessionize_twice(&o, &r1, &r2);
	if (twice != NULL && r1 == r2)
		evp_usage_error(&run, "type '%s' is given twice to --%s",
		    twice->p, evp_sess_role_name[r1]);
	if (twice != NULL)
		evp_usage_error(&run, "type '%s' has two roles: --%s and --%s",
		    twice->p, evp_sess_role_name[r1], evp_sess_role_name[r2]);
	if (sessions != NULL && strcmp(sessions, "-") == 0 &&
	    (run.output == NULL || strcmp(run.output, "-") == 0))
		evp_usage_error(&run, "--sessions - needs -o FILE for the events");

	struct evp_path outs[] = { { "--sessions", sessions, 1 } };
	evp_opt_files(&run, outs, sessions != NULL, argv + optind,
	    (size_t)(argc - optind));
	evp_run_start(&run);
	struct evp_sink *out = evp_run_csv(&run, run.output);
	evp_sessionize_init(&s, &o, &run.rejects, out,
	    sessions ? evp_run_csv(&run, sessions) : NULL);
	evp_run_stage(&run, &s.st, argv + optind, (size_t)(argc - optind));
	evp_sessionize_release(&s);
	int status = evp_run_finish(&run);
	for (int r = 0; r < EVP_SESS_NROLES; r++) {
		evp_names_free(&names[r]);
		free(lists[r]);
		lists[r] = NULL;
	}
	return status;
}

#ifndef EVP_BUILTIN
int
main(int argc, char *argv[])
{
	return cmd_sessionize(argc, argv);
}
#endif
