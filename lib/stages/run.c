#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/progress.h"
#include "core/xalloc.h"
#include "core/zout.h"
#include "formats/csvout.h"
#include "formats/sniff.h"
#include "stages/feed.h"
#include "stages/run.h"

/*
 * A standard descriptor closed by the caller (`>&-`) would be reused by
 * the first file opened, and output meant for it would land there.  Fill
 * it with /dev/null opened the wrong way round, so that using it fails.
 */
static void
guard_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int nfd = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
			if (nfd >= 0 && nfd != fd) {
				dup2(nfd, fd);
				close(nfd);
			}
		}
}

void
evp_run_init(struct evp_run *run, const char *prog,
    const struct evp_profile *profile)
{
	guard_std_fds();
	memset(run, 0, sizeof(*run));
	run->prog = prog;
	run->profile = profile;
	run->maxline = 1024 * 1024;
	run->maxrowlines = 100;
	run->progress = EVP_PROGRESS_AUTO;
	run->compress = -1;
	evp_diag_init(prog);
	if (profile->columns == NULL ||
	    evp_run_columns(run, profile->columns) < 0)
		evp_fatal(EVP_EXIT_USAGE, "profile %s: no columns, or an empty "
		    "name or source", profile->name);
}

int
evp_run_columns(struct evp_run *run, const char *list)
{
	struct evp_names nl;

	if (evp_names_parse(&nl, list) < 0)
		return -1;
	struct evp_str *from = NULL;
	for (size_t i = 0; i < nl.n; i++) {
		char *eq = memchr(nl.name[i].p, '=', nl.name[i].len);
		if (eq == NULL)
			continue;
		if (from == NULL) {
			from = xcalloc(nl.n, sizeof(*from));
			for (size_t k = 0; k < nl.n; k++)
				from[k] = nl.name[k];
		}
		*eq = '\0';	/* the names' memory is the list's own copy */
		from[i] = (struct evp_str){ eq + 1,
		    nl.name[i].len - (size_t)(eq - nl.name[i].p) - 1 };
		nl.name[i].len = (size_t)(eq - nl.name[i].p);
		if (nl.name[i].len == 0 || from[i].len == 0) {
			free(from);
			evp_names_free(&nl);
			return -1;
		}
	}
	evp_names_free(&run->columns);
	free(run->from);
	run->columns = nl;
	run->from = from;
	run->colhdr = (struct evp_header){ nl.n, nl.name, { NULL, 0 }, 0, NULL };
	return 0;
}

/*
 * How an output is compressed: as --compress says for the run's outputs
 * of records (data), else as its name says (the options refused names
 * that say a format evpipe does not write).
 */
static int
out_kind(const struct evp_run *run, const char *path, int data)
{
	enum evp_zkind k = EVP_Z_NONE;
	const char *what;

	if (data && run->compress >= 0)
		return run->compress;
	if (path != NULL && strcmp(path, "-") != 0 &&
	    evp_zkind_of_name(path, &k, &what) < 0)
		k = EVP_Z_NONE;
	return (int)k;
}

char *
evp_run_file(const struct evp_run *run, const char *dir, const char *name,
    int kind)
{
	size_t len = strlen(name);
	int tsv = kind == EVP_RUN_DATA && run->delim == '\t' && len > 4 &&
	    strcmp(name + len - 4, ".csv") == 0;
	enum evp_zkind k = EVP_Z_NONE;
	const char *what;
	/* A name that says its compression keeps it (evp_opt_files checks). */
	int named = evp_zkind_of_name(name, &k, &what) < 0 || k != EVP_Z_NONE;
	const char *z = kind == EVP_RUN_JSON || named ||
	    run->compress <= EVP_Z_NONE ? "" :
	    run->compress == EVP_Z_GZIP ? ".gz" : ".zst";
	size_t n = strlen(dir) + len + strlen(z) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%.*s%s%s", dir, (int)(tsv ? len - 4 : len), name,
	    tsv ? ".tsv" : "", z);
	return p;
}

void
evp_run_start(struct evp_run *run)
{
	int lazy = run->rejects_path == NULL;

	if (lazy) {
		/* Rejects on standard error: unbuffered enough to interleave. */
		memset(&run->rjfile, 0, sizeof(run->rjfile));
		if (evp_ofile_open(&run->rjfile, NULL) < 0)
			exit(EVP_EXIT_IO);
		run->rjfile.fd = 2;
		run->rjfile.name = "standard error";
	} else if (evp_ofile_open(&run->rjfile, run->rejects_path) < 0)
		exit(EVP_EXIT_IO);
	else
		evp_ofile_compress(&run->rjfile, out_kind(run, run->rejects_path, 1));
	evp_rejects_init(&run->rejects, &run->rjfile, &run->colhdr, lazy);
}

struct evp_ofile *
evp_run_output(struct evp_run *run, const char *path)
{
	if (run->nfiles == EVP_MAX_FILES)
		evp_fatal(EVP_EXIT_IO, "internal error: too many outputs");
	struct evp_ofile *f = xcalloc(1, sizeof(*f));
	if (evp_ofile_open(f, path) < 0) {
		free(f);
		run->broken = 1;
		run->status = EVP_EXIT_IO;
		exit(evp_run_finish(run));
	}
	int kind = out_kind(run, path, 1);
	if (kind != EVP_Z_NONE && f->path == NULL && !f->special && isatty(f->fd)) {
		/* As gzip does: compressed bytes on a terminal help no one. */
		evp_msg("compressed data is not written to a terminal: give -o "
		    "FILE or redirect standard output");
		evp_ofile_abort(f);
		free(f);
		run->broken = 1;
		run->status = EVP_EXIT_USAGE;
		exit(evp_run_finish(run));
	}
	evp_ofile_compress(f, kind);
	run->files[run->nfiles++] = f;
	return f;
}

struct evp_sink *
evp_run_csv(struct evp_run *run, const char *path)
{
	struct evp_csvsink *s = xmalloc(sizeof(*s));

	evp_csvsink_init(s, evp_run_output(run, path));
	s->delim = run->delim ? run->delim :
	    path != NULL && evp_tsv_name(path) ? '\t' : ',';
	evp_run_own(run, s);
	return &s->sink;
}

void
evp_run_count(struct evp_run *run, struct evp_count *c)
{
	if (run->ncounts == EVP_MAX_STAGES)
		evp_fatal(EVP_EXIT_IO, "internal error: too many stages");
	run->counts[run->ncounts++] = c;
}

void
evp_run_keep_counts(struct evp_run *run)
{
	for (size_t i = 0; i < run->ncounts; i++) {
		struct evp_count *c = xmalloc(sizeof(*c));
		*c = *run->counts[i];
		run->counts[i] = c;
		evp_run_own(run, c);
	}
}

void
evp_run_progress(struct evp_run *run, char *const *files, size_t n)
{
	static char *const std_in[] = { "-" };

	if (n == 0)
		evp_progress_setup(run->progress, std_in, 1);
	else
		evp_progress_setup(run->progress, files, n);
}

void
evp_run_own(struct evp_run *run, void *p)
{
	if (run->nowned == sizeof(run->owned) / sizeof(run->owned[0]))
		evp_fatal(EVP_EXIT_IO, "internal error: too many owned");
	run->owned[run->nowned++] = p;
}

void
evp_run_summary_add(struct evp_run *run, const char *name, const char *json,
    size_t len)
{
	evp_buf_addc(&run->extra, ',');
	evp_json_str(&run->extra, name);
	evp_buf_addc(&run->extra, ':');
	evp_buf_add(&run->extra, json, len);
}

void
evp_run_fail(struct evp_run *run, int status, int broken)
{
	if (status > run->status)
		run->status = status;
	if (broken)
		run->broken = 1;
}

int
evp_run_files(struct evp_run *run, char *const *files, size_t n,
    int (*read)(void *, const char *), void *arg)
{
	static char *const std_in[] = { "-" };

	if (n == 0) {
		files = std_in;
		n = 1;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = read(arg, files[i]);
		if (rc > 0)
			evp_run_fail(run, EVP_EXIT_INPUT, rc == 2);
		else if (rc < 0) {
			evp_run_fail(run, EVP_EXIT_IO, 1);
			return -1;
		}
	}
	return 0;
}

static int
feed_one(void *f, const char *name)
{
	return evp_feed_file(f, name);
}

int
evp_run_feed(struct evp_run *run, struct evp_sink *sink,
    struct evp_count *count, char *const *files, size_t n,
    const struct evp_header *empty)
{
	struct evp_feed f;
	int rc;

	evp_feed_init(&f, sink, count, &run->rejects, run->maxline,
	    run->maxrowlines, empty);
	f.o.delim = run->delim;
	rc = evp_run_files(run, files, n, feed_one, &f);
	if (rc == 0 && (rc = evp_feed_end(&f)) != 0) {
		/* 2: the sink lacks a column, as an input without it would. */
		evp_run_fail(run, rc == 2 ? EVP_EXIT_INPUT : EVP_EXIT_IO, 1);
		rc = -1;
	}
	evp_feed_release(&f);
	return rc;
}

int
evp_run_stage(struct evp_run *run, struct evp_stage *st, char *const *files,
    size_t n)
{
	evp_run_count(run, &st->count);
	evp_run_progress(run, files, n);
	return evp_run_feed(run, &st->sink, &st->count, files, n, &run->colhdr);
}

static const struct evp_count *
headline(const struct evp_run *run)
{
	if (run->has_total)
		return &run->total;
	return run->ncounts > 0 ? run->counts[0] : NULL;
}

static void
write_json(struct evp_run *run)
{
	struct evp_buf b = EVP_BUF_INIT;

	evp_buf_adds(&b, "{\"program\":");
	evp_json_str(&b, run->prog);
	evp_buf_printf(&b, ",\"version\":\"%s\",\"status\":%d,"
	    "\"spreadsheet_risky\":%llu,\"spreadsheet_safe\":%s,\"stages\":[",
	    EVP_VERSION, run->status, (unsigned long long)evp_sheet.risky,
	    evp_sheet.safe ? "true" : "false");
	for (size_t i = 0; i < run->ncounts; i++) {
		if (i)
			evp_buf_addc(&b, ',');
		evp_count_json(run->counts[i], &b);
	}
	evp_buf_addc(&b, ']');
	if (run->has_total) {
		/* The total is a count without a stage name. */
		evp_buf_adds(&b, ",\"total\":{");
		evp_count_json_fields(&run->total, &b);
		evp_buf_addc(&b, '}');
	}
	if (run->extra.len > 0)
		evp_buf_add(&b, run->extra.p, run->extra.len);
	evp_buf_adds(&b, "}\n");

	if (strcmp(run->summary_path, "-") == 0) {
		fputs(b.p, stderr);
	} else {
		struct evp_ofile f;
		if (evp_ofile_open(&f, run->summary_path) < 0)
			run->status = EVP_EXIT_IO;
		else {
			evp_ofile_compress(&f, out_kind(run, run->summary_path, 0));
			evp_ofile_write(&f, b.p, b.len);
			if (evp_ofile_commit(&f) < 0)
				run->status = EVP_EXIT_IO;
		}
	}
	evp_buf_release(&b);
}

static void
check_max_rejects(struct evp_run *run)
{
	const struct evp_count *h = headline(run);
	uint64_t rejected = 0;

	if (!run->max_rejects_set || h == NULL)
		return;
	for (size_t i = 0; i < run->ncounts; i++)
		rejected += run->counts[i]->rejected;
	int over = run->max_rejects_pct ?
	    rejected * 100 > run->max_rejects * h->in :
	    rejected > run->max_rejects;
	if (over) {
		evp_msg("%llu record%s rejected, more than --max-rejects allows",
		    (unsigned long long)rejected, rejected == 1 ? "" : "s");
		evp_run_fail(run, EVP_EXIT_REJECTS, 0);
	}
}

static void
commit_files(struct evp_run *run)
{
	/*
	 * Rejects on standard error are written as they come: if that
	 * failed, they are lost, and nothing else may be committed.
	 */
	if (run->rjfile.open && run->rejects_path == NULL) {
		if (evp_ofile_flush(&run->rjfile) < 0)
			evp_run_fail(run, EVP_EXIT_IO, 1);
		run->rjfile.path = NULL;
		evp_ofile_abort(&run->rjfile);
	}
	for (size_t i = 0; i < run->nfiles; i++) {
		if (run->broken)
			evp_ofile_abort(run->files[i]);
		else if (evp_ofile_commit(run->files[i]) < 0)
			evp_run_fail(run, EVP_EXIT_IO, 1);
		free(run->files[i]);
	}
	run->nfiles = 0;
	if (run->rjfile.open) {
		if (run->broken)
			evp_ofile_abort(&run->rjfile);
		else if (evp_ofile_commit(&run->rjfile) < 0)
			evp_run_fail(run, EVP_EXIT_IO, 1);
	}
}

static void
summary_line(const struct evp_run *run)
{
	const struct evp_count *h = headline(run);
	struct evp_buf b = EVP_BUF_INIT;

	if (run->quiet || h == NULL)
		return;
	evp_count_text(h, &b);
	if (evp_sheet.risky > 0)
		evp_buf_printf(&b, "; %llu field%s like a spreadsheet "
		    "formula%s", (unsigned long long)evp_sheet.risky,
		    evp_sheet.risky == 1 ? " starts" : "s start",
		    evp_sheet.safe ? " (prefixed with ')" :
		    " (see --spreadsheet-safe)");
	evp_msg("%s", b.p);
	evp_buf_release(&b);
}

int
evp_run_finish(struct evp_run *run)
{
	evp_progress_end();
	check_max_rejects(run);
	commit_files(run);
	evp_rejects_release(&run->rejects);
	if (run->summary_path != NULL)
		write_json(run);
	summary_line(run);
	evp_names_free(&run->columns);
	evp_buf_release(&run->extra);
	evp_profile_free((struct evp_profile *)run->profile);
	free(run->from);
	run->from = NULL;
	for (size_t i = 0; i < run->nowned; i++)
		free(run->owned[i]);
	run->nowned = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		evp_msg("write error on standard output: %s", strerror(errno));
		evp_run_fail(run, EVP_EXIT_IO, 1);
	}
	return run->status;
}
