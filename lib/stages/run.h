#ifndef EVP_RUN_H
#define EVP_RUN_H

#include <getopt.h>
#include <stdint.h>

#include "core/ofile.h"
#include "formats/reject.h"
#include "core/row.h"
#include "core/count.h"

/*
 * One program's run: the options every program shares, its outputs, its
 * rejects, its counts and its exit status.  The run owns the ofiles it
 * opened and the rejects writer; stages borrow them.
 */

#define EVP_VERSION	"0.1.0"
#define EVP_MAX_FILES	8
#define EVP_MAX_STAGES	8

enum {
	EVP_OPT_REJECTS = 0x100, EVP_OPT_SUMMARY, EVP_OPT_MAX_REJECTS,
	EVP_OPT_COLUMNS, EVP_OPT_MAX_LINE, EVP_OPT_MAX_ROW_LINES,
	EVP_OPT_VERSION, EVP_OPT_SYNC, EVP_OPT_SHEET, EVP_OPT_PROGRESS,
	EVP_OPT_NO_PROGRESS, EVP_OPT_FIRST_PRIVATE = 0x200
};

/* getopt_long entries and short letters every program accepts. */
#define EVP_COMMON_SHORT	"o:qh"
#define EVP_COMMON_LONG \
	{ "output", required_argument, NULL, 'o' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, EVP_OPT_VERSION }, \
	{ "rejects", required_argument, NULL, EVP_OPT_REJECTS }, \
	{ "summary", required_argument, NULL, EVP_OPT_SUMMARY }, \
	{ "max-rejects", required_argument, NULL, EVP_OPT_MAX_REJECTS }, \
	{ "columns", required_argument, NULL, EVP_OPT_COLUMNS }, \
	{ "max-line", required_argument, NULL, EVP_OPT_MAX_LINE }, \
	{ "max-row-lines", required_argument, NULL, EVP_OPT_MAX_ROW_LINES }, \
	{ "sync", no_argument, NULL, EVP_OPT_SYNC }, \
	{ "spreadsheet-safe", no_argument, NULL, EVP_OPT_SHEET }, \
	{ "progress", no_argument, NULL, EVP_OPT_PROGRESS }, \
	{ "no-progress", no_argument, NULL, EVP_OPT_NO_PROGRESS }

/* The --help text of the shared options. */
extern const char evp_common_help[];

struct evp_run {
	const char	*prog;
	const char	*usage;		/* the program's --help text */

	/* the shared options */
	const char	*output;	/* -o: NULL or "-" is standard output */
	const char	*rejects_path;	/* NULL: standard error */
	const char	*summary_path;	/* JSON summary, "-" for standard error */
	int		 quiet;
	int		 no_output_opt;	/* -o is refused: hide it in --help */
	int		 fixed_files;	/* --rejects, --summary refused: hide */
	int		 progress;	/* EVP_PROGRESS_AUTO, _ON or _OFF */
	int		 max_rejects_set;
	uint64_t	 max_rejects;
	int		 max_rejects_pct;	/* max_rejects is a percentage */
	size_t		 maxline;	/* bytes in a line or a field */
	size_t		 maxrowlines;	/* physical lines in a CSV record */
	struct evp_names columns;	/* the record columns */
	struct evp_header colhdr;

	/* what the run holds */
	struct evp_ofile *files[EVP_MAX_FILES];
	size_t		 nfiles;
	struct evp_ofile rjfile;
	struct evp_rejects rejects;
	struct evp_count *counts[EVP_MAX_STAGES];
	size_t		 ncounts;
	struct evp_count total;		/* for runs of several stages */
	int		 has_total;

	void		*owned[4 + EVP_MAX_STAGES];	/* freed by evp_run_finish */
	size_t		 nowned;
	int		 status;	/* worst exit status so far */
	int		 broken;	/* outputs are not to be committed */
};

void	evp_run_init(struct evp_run *run, const char *prog, const char *usage);

/*
 * Handle a shared option.  Return 1 if c was one; exits for --help,
 * --version and bad values.
 */
int	evp_run_option(struct evp_run *run, int c, const char *arg);

/*
 * getopt_long over argv: shared options are handled here; the program's
 * own are returned as getopt_long returns them, -1 at the end.  A bad
 * option is a usage error (exits).
 */
int	evp_getopt(struct evp_run *run, int argc, char *const argv[],
	    const char *shortopts, const struct option *longopts);

/* Print "Try 'PROG --help'" and exit with the usage status. */
void	evp_usage_error(struct evp_run *run, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* Parse a size such as 1048576, 64K or 1M; -1 if not one. */
int	evp_parse_size(const char *s, size_t *out);

/*
 * Open the rejects output (after options are parsed).  Exits on failure:
 * nothing has been read yet.
 */
void	evp_run_start(struct evp_run *run);

/* Show progress over these inputs (standard input when n is 0). */
void	evp_run_progress(struct evp_run *run, char *const *files, size_t n);

/* Open an output the run will commit at the end; exits on failure. */
struct evp_ofile *evp_run_output(struct evp_run *run, const char *path);

void	evp_run_count(struct evp_run *run, struct evp_count *c);

/*
 * Copy the counts registered so far into memory of the run's own, for
 * stages that are gone before evp_run_finish.
 */
void	evp_run_keep_counts(struct evp_run *run);

/* Free p in evp_run_finish. */
void	evp_run_own(struct evp_run *run, void *p);

/*
 * Record a failure.  An input failure keeps what was written (the records
 * before the damage); a failure of output or resources (broken) means no
 * output is committed.
 */
void	evp_run_fail(struct evp_run *run, int status, int broken);

/* Commit or discard the outputs, print the summary; the exit status. */
int	evp_run_finish(struct evp_run *run);

#endif
