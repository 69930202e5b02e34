#ifndef EVP_OPT_H
#define EVP_OPT_H

#include <getopt.h>
#include <stddef.h>

#include "stages/profile.h"
#include "stages/run.h"

/*
 * A program's options in one table, from which getopt_long's arrays and
 * the --help text are both made, so that they cannot drift apart; the
 * options every program shares are handled here, into the run.  Tables
 * are static data of the programs; the parser keeps what it builds from
 * them until the process ends.
 */

/* Keys of the shared options; a program's own start at EVP_OPT_OWN. */
enum {
	EVP_OPT_REJECTS = 0x100, EVP_OPT_SUMMARY, EVP_OPT_MAX_REJECTS,
	EVP_OPT_COLUMNS, EVP_OPT_MAX_LINE, EVP_OPT_MAX_ROW_LINES,
	EVP_OPT_VERSION, EVP_OPT_SYNC, EVP_OPT_SHEET, EVP_OPT_PROGRESS,
	EVP_OPT_NO_PROGRESS, EVP_OPT_COMPRESS, EVP_OPT_PROFILE,
	EVP_OPT_PRINT_OPTIONS,
	EVP_OPT_OWN = 0x200
};

struct evp_opt {
	const char	*name;		/* the long name; NULL ends a table */
	int		 key;		/* the short letter, or EVP_OPT_OWN up */
	const char	*arg;		/* the value's name in --help; NULL: none;
					 * FILE or DIR: a path; fixed words
					 * apart with '|': "csv|json" */
	const char	*help;		/* what it does; '\n' starts a new line */
	size_t		 def;		/* EVP_DEF(field): "(default X)" from the
					 * profile's field; 0: none */
};

#define EVP_DEF(field)	(offsetof(struct evp_profile, field) + 1)

/*
 * Shared options a program does not take: hidden from its --help; and
 * EVP_OUTPUT_DIR: its -o names a directory (for shell completions).
 */
enum { EVP_HIDE_OUTPUT = 1, EVP_HIDE_FILES = 2, EVP_OUTPUT_DIR = 4 };

struct evp_cmd {
	const char		*usage;	/* "Usage: ..." and what it does */
	const struct evp_opt	*opts;	/* the program's own */
	unsigned		 hide;
};

/*
 * getopt_long over argv: shared options are handled here (--help and
 * --version print and exit); the program's own are returned as
 * getopt_long returns them, -1 at the end.  A bad option or value is a
 * usage error (exits).  The hidden --print-options prints the options
 * one a line for scripts/completions, and exits: the long name, the
 * short one or "-", the value's kind (none, file, dir, word, text, or
 * profile: a built-in profile's name or a file), the words or "-", and
 * the help on one line, apart with tabs (lib/prog/help.c).
 */
int	evp_getopt(struct evp_run *run, const struct evp_cmd *cmd, int argc,
	    char *const argv[]);

/*
 * The profile of argv's --profile NAME|FILE (before any "--"), loaded, or
 * fallback when there is none; a usage error (exit 2) if it cannot be
 * loaded.  The run frees it (evp_run_init takes it over).
 */
struct evp_profile *evp_opt_profile(const char *prog, int argc,
	    char *const argv[], const struct evp_profile *fallback);

/* evp_run_init with the profile of argv's --profile, or fallback. */
void	evp_opt_init(struct evp_run *run, const char *prog, int argc,
	    char *const argv[], const struct evp_profile *fallback);

/* Print "PROG: message" and "Try 'PROG --help'", exit with the usage status. */
void	evp_usage_error(struct evp_run *run, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* A count option's value in [min, max]; a usage error naming opt if not. */
size_t	evp_opt_count(struct evp_run *run, const char *opt, const char *arg,
	    size_t min, size_t max);

/*
 * A file a program reads or writes, for evp_opt_files: what names it (an
 * option, "the input"), its path, and whether it is written.
 */
struct evp_path {
	const char	*what;
	const char	*path;
	int		 output;
};

/*
 * Before anything is read or written: a usage error (exit 2) naming both
 * when two outputs, or an output and an input, are one file, found by
 * name (following links, also for files not there yet) and by device and
 * inode.  Devices such as /dev/null may be named twice.  The outputs of
 * the run (-o, --rejects, --summary) and the inputs files[0..n) are
 * checked with extra[0..nextra).  An output is a usage error too when
 * its name says a compression it would not have: .xz or .bz2 (not
 * written), .gz or .zst against --compress.
 */
void	evp_opt_files(struct evp_run *run, const struct evp_path *extra,
	    size_t nextra, char *const *files, size_t n);

/* Whether name is the long name of an option every program shares. */
int	evp_opt_is_shared(const char *name);

/* A prefix option's value: a usage error if it is empty. */
void	evp_opt_prefix(struct evp_run *run, const char *opt, const char *arg);

/* A comma-separated list option's value; a usage error if a name is empty. */
void	evp_opt_names(struct evp_run *run, const char *opt, const char *arg,
	    struct evp_names *nl);

#endif
