#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aep/chain.h"
#include "aep/classify.h"
#include "formats/csvout.h"
#include "core/diag.h"
#include "stages/feed.h"
#include "stages/sinks.h"
#include "aep/validate.h"
#include "core/xalloc.h"

/* mkdir -p: create dir and its missing parents. */
static int
make_dir(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			rc = evp_error(p, 0, "cannot create directory: %s",
			    strerror(errno));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	struct stat st;
	if (rc == 0 && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = evp_error(dir, 0, "not a directory");
	free(p);
	return rc;
}

/*
 * Hold OUTDIR/.evp-run.lock for the whole run, so that a second run into
 * the same directory is refused instead of interleaving its files.  The
 * kernel drops the lock when the process ends, however it ends.
 */
static int
lock_dir(const char *dir)
{
	size_t n = strlen(dir) + sizeof("/.evp-run.lock");
	char *p = xmalloc(n);
	int fd;

	snprintf(p, n, "%s/.evp-run.lock", dir);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		evp_error(p, 0, "cannot create lock: %s", strerror(errno));
	else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			evp_error(dir, 0, "another evp run is writing here");
		else
			evp_error(p, 0, "cannot lock: %s", strerror(errno));
		close(fd);
		fd = -1;
	}
	free(p);
	return fd;
}

static char *
path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/*
 * The run's total: records in, out as the serving events kept by merge
 * plus the validated events, and the rejects by stage.
 */
static void
totals(struct evp_run *run, uint64_t in, uint64_t serving, uint64_t validated)
{
	run->has_total = 1;
	evp_count_init(&run->total, "total");
	run->total.in = in;
	run->total.out = serving + validated;
	for (size_t i = 0; i < run->ncounts; i++)
		if (run->counts[i]->rejected > 0)
			evp_count_reasons(&run->total, run->counts[i]->stage,
			    run->counts[i]->rejected);
	evp_count_output(&run->total, "serving", serving);
	evp_count_output(&run->total, "validated", validated);
}

void
evp_chain_run(struct evp_run *run, const struct evp_chain_opts *o,
    char *const *files, size_t nfiles)
{
	char *paths[5];
	static const char *const names[5] = {
		"serving_events.csv", "user_events.csv", "validated_events.csv",
		"rejects.csv", "summary.json"
	};

	if (make_dir(o->outdir) < 0 || lock_dir(o->outdir) < 0) {
		evp_run_fail(run, EVP_EXIT_IO, 1);
		return;
	}
	for (int i = 0; i < 5; i++)
		paths[i] = path_in(o->outdir, names[i]);
	run->rejects_path = paths[3];
	run->summary_path = paths[4];
	evp_run_start(run);

	struct evp_csvsink serving_csv, user_csv, valid_csv;
	evp_csvsink_init(&serving_csv, evp_run_output(run, paths[0]));
	evp_csvsink_init(&user_csv, evp_run_output(run, paths[1]));
	evp_csvsink_init(&valid_csv, evp_run_output(run, paths[2]));

	struct evp_rejects *rj = &run->rejects;
	struct evp_collect collect;
	struct evp_classify classify;
	struct evp_merge merge;
	struct evp_validate validate;
	struct evp_dedupe dedupe;
	struct evp_tee serving_tee, user_tee;
	struct evp_store users;
	struct evp_merge_opts mo = o->merge;
	struct evp_names carry;

	evp_dedupe_init(&dedupe, &o->dedupe, rj, &valid_csv.sink);
	evp_validate_init(&validate, o->merge.prefix, rj, &dedupe.sink);
	evp_names_parse(&carry, EVP_VALIDATE_SERVING);
	mo.carry = &carry;
	evp_merge_init(&merge, &mo, rj, &validate.sink);
	evp_store_init(&users);
	evp_tee_init(&serving_tee, &serving_csv.sink, &merge.index);
	evp_tee_init(&user_tee, &user_csv.sink, &users.sink);
	evp_classify_init(&classify, rj, &serving_tee.sink, &user_tee.sink);
	evp_collect_init(&collect, &o->collect, rj, &classify.sink);
	evp_run_count(run, &collect.count);
	evp_run_count(run, &classify.count);
	evp_run_count(run, &merge.count);
	evp_run_count(run, &validate.count);
	evp_run_count(run, &dedupe.count);

	int rc = evp_collect_start(&collect);
	for (size_t i = 0; rc == 0 && i < nfiles; i++) {
		int frc = evp_collect_file(&collect, files[i]);
		if (frc > 0)
			evp_run_fail(run, EVP_EXIT_INPUT, frc == 2);
		else if (frc < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = evp_collect_end(&collect);
	if (rc == 0)
		rc = evp_store_replay(&users, &merge.sink, o->collect.cols);
	if (rc < 0)
		evp_run_fail(run, EVP_EXIT_IO, 1);

	totals(run, collect.count.in, merge.indexed, dedupe.count.out);

	evp_run_keep_counts(run);
	evp_collect_release(&collect);
	evp_classify_release(&classify);
	evp_merge_release(&merge);
	evp_validate_release(&validate);
	evp_dedupe_release(&dedupe);
	evp_store_release(&users);
	evp_names_free(&carry);
	for (int i = 0; i < 3; i++)
		free(paths[i]);
	/* These two are read by evp_run_finish, which frees them. */
	evp_run_own(run, paths[3]);
	evp_run_own(run, paths[4]);
}

void
evp_validate_chain(struct evp_run *run, const struct evp_chain_opts *o,
    const char *serving, char *const *users, size_t n)
{
	struct evp_rejects *rj = &run->rejects;
	struct evp_csvsink out;
	struct evp_merge merge;
	struct evp_validate validate;
	struct evp_dedupe dedupe;
	struct evp_feed sf, uf;
	struct evp_merge_opts mo = o->merge;
	struct evp_names carry;

	evp_run_start(run);
	evp_csvsink_init(&out, evp_run_output(run, run->output));
	evp_dedupe_init(&dedupe, &o->dedupe, rj, &out.sink);
	evp_validate_init(&validate, o->merge.prefix, rj, &dedupe.sink);
	evp_names_parse(&carry, EVP_VALIDATE_SERVING);
	mo.carry = &carry;
	evp_merge_init(&merge, &mo, rj, &validate.sink);
	evp_run_count(run, &merge.count);
	evp_run_count(run, &validate.count);
	evp_run_count(run, &dedupe.count);

	evp_feed_init(&sf, &merge.index, &merge.count, rj, run->maxline,
	    run->maxrowlines, &run->colhdr);
	evp_feed_init(&uf, &merge.sink, &merge.count, rj, run->maxline,
	    run->maxrowlines, &run->colhdr);
	if (evp_feed_all(run, &sf, (char *const *)&serving, 1) == 0)
		evp_feed_all(run, &uf, users, n);

	totals(run, merge.count.in, merge.indexed, dedupe.count.out);

	evp_run_keep_counts(run);
	evp_feed_release(&sf);
	evp_feed_release(&uf);
	evp_names_free(&carry);
	evp_merge_release(&merge);
	evp_validate_release(&validate);
	evp_dedupe_release(&dedupe);
}
