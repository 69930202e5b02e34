#ifndef EVP_RUN_H
#define EVP_RUN_H

#include <stdint.h>

#include "core/buf.h"
#include "core/count.h"
#include "core/ofile.h"
#include "core/row.h"
#include "formats/reject.h"
#include "stages/profile.h"
#include "stages/stage.h"

/*
 * One program's run: the settings every program shares (filled by the
 * option parser, prog/opt.h), its outputs, its rejects, its counts and
 * its exit status.  The run owns the ofiles it opened, the rejects writer
 * and what it was given to free; stages borrow them.  The profile is
 * borrowed.
 */

#define EVP_VERSION	"0.1.0"
#define EVP_MAX_FILES	8
#define EVP_MAX_STAGES	8

struct evp_run {
	const char	*prog;
	const struct evp_profile *profile;

	/* the shared settings */
	const char	*output;	/* -o: NULL or "-" is standard output */
	const char	*rejects_path;	/* NULL: standard error */
	const char	*summary_path;	/* JSON summary, "-" for standard error */
	int		 quiet;
	int		 progress;	/* EVP_PROGRESS_AUTO, _ON or _OFF */
	int		 max_rejects_set;
	uint64_t	 max_rejects;
	int		 max_rejects_pct;	/* max_rejects is a percentage */
	size_t		 maxline;	/* bytes in a line or a field */
	size_t		 maxrowlines;	/* physical lines in a CSV record */
	char		 delim;		/* -d: CSV's delimiter, in and out;
					 * 0: by name (a tab for *.tsv) */
	int		 compress;	/* --compress: an enum evp_zkind; -1:
					 * by each output's name */
	struct evp_names columns;	/* the record columns */
	struct evp_header colhdr;
	struct evp_str	*from;		/* per column, where it comes from
					 * ("name=path"); NULL: none given */

	/* what the run holds */
	struct evp_ofile *files[EVP_MAX_FILES];
	size_t		 nfiles;
	struct evp_ofile rjfile;
	struct evp_rejects rejects;
	struct evp_count *counts[EVP_MAX_STAGES];
	size_t		 ncounts;
	struct evp_count total;		/* for runs of several stages */
	int		 has_total;

	struct evp_buf	 extra;		/* more members of summary.json */
	void		*owned[8 + 2 * EVP_MAX_STAGES];	/* freed by evp_run_finish */
	size_t		 nowned;
	int		 status;	/* worst exit status so far */
	int		 broken;	/* outputs are not to be committed */
};

/*
 * Start a run of prog with the profile's columns and defaults; a loaded
 * profile (evp_profile_load) is the run's to free.
 */
void	evp_run_init(struct evp_run *run, const char *prog,
	    const struct evp_profile *profile);

/*
 * Set the record columns from a comma-separated list of NAME or
 * NAME=SOURCE (a JSON path): -1 on an empty name or source.
 */
int	evp_run_columns(struct evp_run *run, const char *list);

/*
 * Open the rejects output (after options are parsed).  Exits on failure:
 * nothing has been read yet.
 */
void	evp_run_start(struct evp_run *run);

/* Show progress over these inputs (standard input when n is 0). */
void	evp_run_progress(struct evp_run *run, char *const *files, size_t n);

/*
 * Open an output the run will commit at the end, compressed as --compress
 * says, else as its name does (.gz, .zst); exits on failure.
 */
struct evp_ofile *evp_run_output(struct evp_run *run, const char *path);

/*
 * The same, as a sink writing CSV (owned by the run), its delimiter -d's,
 * else a tab for a name *.tsv (compressed or not), else a comma.
 */
struct evp_sink *evp_run_csv(struct evp_run *run, const char *path);

/*
 * "dir/name" for a file a run names itself (evp run's), as -t and
 * --compress make it: records (EVP_RUN_DATA) named *.csv are *.tsv with
 * -t; records and rejects get ".gz" or ".zst" as --compress says, unless
 * the name already says a compression; a summary (EVP_RUN_JSON) is never
 * compressed.  Allocated.
 */
enum { EVP_RUN_DATA, EVP_RUN_REJECTS, EVP_RUN_JSON };
char	*evp_run_file(const struct evp_run *run, const char *dir,
	    const char *name, int kind);

/* Count c in the summary (c must live until evp_run_finish). */
void	evp_run_count(struct evp_run *run, struct evp_count *c);

/*
 * Copy the counts registered so far into memory of the run's own, for
 * stages that are gone before evp_run_finish.
 */
void	evp_run_keep_counts(struct evp_run *run);

/* Add "name":json (a JSON value's text) to the summary JSON. */
void	evp_run_summary_add(struct evp_run *run, const char *name,
	    const char *json, size_t len);

/* Free p in evp_run_finish. */
void	evp_run_own(struct evp_run *run, void *p);

/*
 * Record a failure.  An input failure keeps what was written (the records
 * before the damage); a failure of output or resources (broken) means no
 * output is committed.
 */
void	evp_run_fail(struct evp_run *run, int status, int broken);

/*
 * Read each of files[0..n) with read(arg, name) (standard input when n is
 * 0), which returns 0; 1 if the input was damaged part way; 2 if it could
 * not be read at all; -1 if the output failed.  Damage is recorded as
 * EVP_EXIT_INPUT, the outputs kept (1) or not (2); an output failure as
 * EVP_EXIT_IO, and the reading stops.  Return 0, or -1 on output failure.
 */
int	evp_run_files(struct evp_run *run, char *const *files, size_t n,
	    int (*read)(void *, const char *), void *arg);

/*
 * Feed the CSV files[0..n) (standard input when n is 0) into sink, their
 * unreadable records refused against count; empty is the header when no
 * input has one.  Failures are recorded as evp_run_files does; return 0,
 * or -1 if the sink failed or lacked a column.
 */
int	evp_run_feed(struct evp_run *run, struct evp_sink *sink,
	    struct evp_count *count, char *const *files, size_t n,
	    const struct evp_header *empty);

/*
 * A program of one stage: count st in the summary, show progress over
 * the files and feed them into st (evp_run_feed, the run's header when
 * no input has one).
 */
int	evp_run_stage(struct evp_run *run, struct evp_stage *st,
	    char *const *files, size_t n);

/* Commit or discard the outputs, print the summary; the exit status. */
int	evp_run_finish(struct evp_run *run);

#endif
