#ifndef EVP_CHECKOPT_H
#define EVP_CHECKOPT_H

#include "prog/opt.h"
#include "stages/check.h"

/*
 * The check stage's options, shared by evp-classify and evp run: the time
 * checks' bounds, schemas, and the list files a profile's checks take by
 * an option of their own ("option": "NAME" in a check makes --NAME FILE).
 * The cli owns the option table it builds and the checks it makes.
 */
enum {
	EVP_OPT_SCHEMA = 0x2e0, EVP_OPT_NOW, EVP_OPT_SINCE, EVP_OPT_UNTIL,
	EVP_OPT_TIME, EVP_OPT_ROUTE, EVP_OPT_TO,
	EVP_OPT_CHECK = 0x380	/* + the index of a profile's check */
};

#define EVP_CHECK_OPTIONS \
	{ "schema", EVP_OPT_SCHEMA, "FILE", "a JSON Schema every record must " \
	    "pass (replaces the\nprofile's schema that takes one)", 0 }, \
	{ "now", EVP_OPT_NOW, "TIME", "the instant future_timestamp checks " \
	    "against\n(default: when the run started)", 0 }, \
	{ "since", EVP_OPT_SINCE, "TIME", "the window's start (a date alone is " \
	    "its\nmidnight UTC)", 0 }, \
	{ "until", EVP_OPT_UNTIL, "TIME", "the window's end, not in it", 0 }

struct evp_check_cli {
	struct evp_tstamp	 now, since, until;
	int			 has_now, has_since, has_until;
	const char		*time;		/* --time (classify) */
	const char		**schemas;	/* --schema, in order */
	size_t			 nschemas;
	const char		**files;	/* the profile's checks' */
	struct evp_check_spec	*specs;
	size_t			 nspecs;
	struct evp_opt		*table;
};

/*
 * Start: the table of options, own (a program's, ending with a NULL name)
 * followed by EVP_CHECK_OPTIONS and an option for each check of the
 * run's profile that names one.  A usage error if such an option is
 * already an option of the program.
 */
const struct evp_opt *evp_check_cli_init(struct evp_check_cli *cli,
	    struct evp_run *run, const struct evp_opt *own);

/* Take option c if it is one of the checks': 1 if it was. */
int	evp_check_cli_option(struct evp_check_cli *cli, struct evp_run *run,
	    int c, const char *arg);

/*
 * Once every option is parsed: the checks to run, in order, into o (now
 * defaults to the present).  The profile's checks come first, with the
 * files the options gave (--schema replacing the one that takes
 * "schema"); then each --schema no profile check took; then, with
 * --time COL, a future check and (with --since or --until) a window check
 * on COL.  A usage error for a window no check uses.
 */
void	evp_check_cli_opts(struct evp_check_cli *cli, struct evp_run *run,
	    struct evp_check_opts *o);

/* Whether any check option was given (classify's generic mode). */
int	evp_check_cli_given(const struct evp_check_cli *cli);

void	evp_check_cli_release(struct evp_check_cli *cli);

#endif
