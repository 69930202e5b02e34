#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aep/profile.h"
#include "formats/csvout.h"
#include "core/diag.h"
#include "core/progress.h"
#include "stages/run.h"
#include "core/xalloc.h"

const char evp_common_help[] =
"Options every program shares:\n"
"  -o, --output FILE      write to FILE (atomically) instead of standard output\n"
"      --rejects FILE     write refused records to FILE (default: standard error)\n"
"      --summary FILE     write the counts as JSON to FILE ('-': standard error)\n"
"  -q, --quiet            no summary line on standard error\n"
"      --progress         show progress on standard error (default: only\n"
"                         when it is a terminal); --no-progress: never\n"
"      --max-rejects N[%] exit 1 when more than N records (or N% of those read)\n"
"                         are refused\n"
"      --columns LIST     the record columns (default " EVP_AD_COLUMNS ")\n"
"      --max-line SIZE    longest line or field, e.g. 64K, 1M (default 1M)\n"
"      --max-row-lines N  most physical lines in one CSV record (default 100)\n"
"      --sync             fsync each output before renaming it into place\n"
"      --spreadsheet-safe write a ' before text fields that start with =, +, -,\n"
"                         @, tab or CR (spreadsheets run them as formulas)\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"Exit status: 0 done, 1 too many rejects, 2 usage error, 3 input unreadable\n"
"or damaged, 4 output or resource failure.\n";

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
evp_run_init(struct evp_run *run, const char *prog, const char *usage)
{
	guard_std_fds();
	memset(run, 0, sizeof(*run));
	run->prog = prog;
	run->usage = usage;
	run->maxline = 1024 * 1024;
	run->maxrowlines = 100;
	run->colhdr = evp_ad_header;
	run->progress = EVP_PROGRESS_AUTO;
	evp_diag_init(prog);
}

void
evp_usage_error(struct evp_run *run, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", run->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", run->prog);
	exit(EVP_EXIT_USAGE);
}

int
evp_parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	unsigned long long mul = 1;
	if (*end == 'K' || *end == 'k')
		mul = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1024 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1024ULL * 1024 * 1024, end++;
	if (*end != '\0' || v == 0 || v > (unsigned long long)SIZE_MAX / 4 / mul)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

int
evp_run_option(struct evp_run *run, int c, const char *arg)
{
	char *end;

	switch (c) {
	case 'o':
		run->output = arg;
		return 1;
	case 'q':
		run->quiet = 1;
		return 1;
	case 'h':
		fputs(run->usage, stdout);
		/* The shared options, less those this program refuses. */
		for (const char *l = evp_common_help; *l; ) {
			const char *e = strchr(l, '\n');
			size_t n = e ? (size_t)(e - l) + 1 : strlen(l);
			int hide = (run->no_output_opt && strncmp(l, "  -o,", 5) == 0) ||
			    (run->fixed_files && (strncmp(l, "      --rejects", 15) == 0 ||
			    strncmp(l, "      --summary", 15) == 0));
			if (!hide)
				fwrite(l, 1, n, stdout);
			l += n;
		}
		exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : EVP_EXIT_IO);
	case EVP_OPT_VERSION:
		printf("%s (evpipe) %s\n", run->prog, EVP_VERSION);
		exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : EVP_EXIT_IO);
	case EVP_OPT_REJECTS:
		run->rejects_path = arg;
		return 1;
	case EVP_OPT_SUMMARY:
		run->summary_path = arg;
		return 1;
	case EVP_OPT_MAX_REJECTS:
		errno = 0;
		if (*arg < '0' || *arg > '9')
			evp_usage_error(run, "--max-rejects: not a count: '%s'", arg);
		run->max_rejects = strtoull(arg, &end, 10);
		if (*end == '%' && end[1] == '\0' && run->max_rejects <= 100)
			run->max_rejects_pct = 1;
		else if (*end != '\0' || errno != 0)
			evp_usage_error(run, "--max-rejects: not a count: '%s'", arg);
		run->max_rejects_set = 1;
		return 1;
	case EVP_OPT_COLUMNS:
		evp_names_free(&run->columns);
		if (evp_names_parse(&run->columns, arg) < 0)
			evp_usage_error(run, "--columns: empty column name in '%s'", arg);
		run->colhdr.n = run->columns.n;
		run->colhdr.name = run->columns.name;
		return 1;
	case EVP_OPT_MAX_LINE:
		if (evp_parse_size(arg, &run->maxline) < 0)
			evp_usage_error(run, "--max-line: not a size: '%s'", arg);
		return 1;
	case EVP_OPT_PROGRESS:
		run->progress = EVP_PROGRESS_ON;
		return 1;
	case EVP_OPT_NO_PROGRESS:
		run->progress = EVP_PROGRESS_OFF;
		return 1;
	case EVP_OPT_SHEET:
		evp_sheet.safe = 1;
		return 1;
	case EVP_OPT_SYNC:
		evp_ofile_sync = 1;
		return 1;
	case EVP_OPT_MAX_ROW_LINES:
		if (evp_parse_size(arg, &run->maxrowlines) < 0)
			evp_usage_error(run, "--max-row-lines: not a count: '%s'", arg);
		return 1;
	}
	return 0;
}

int
evp_getopt(struct evp_run *run, int argc, char *const argv[],
    const char *shortopts, const struct option *longopts)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt >= 0x100 || (optopt == 0 && optind > 0))
				evp_usage_error(run, "bad option '%s'", argv[optind - 1]);
			if (strchr(shortopts, optopt) != NULL)
				evp_usage_error(run, "option '-%c' needs a value", optopt);
			evp_usage_error(run, "unknown option '-%c'", optopt);
		}
		if (!evp_run_option(run, c, optarg))
			return c;
	}
	return -1;
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
	run->files[run->nfiles++] = f;
	return f;
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
evp_run_fail(struct evp_run *run, int status, int broken)
{
	if (status > run->status)
		run->status = status;
	if (broken)
		run->broken = 1;
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
		struct evp_buf t = EVP_BUF_INIT;
		evp_count_json(&run->total, &t);
		/* The total is a count without a stage name. */
		const char *body = strchr(t.p, ',');
		evp_buf_printf(&b, ",\"total\":{%s", body + 1);
		evp_buf_release(&t);
	}
	evp_buf_adds(&b, "}\n");

	if (strcmp(run->summary_path, "-") == 0) {
		fputs(b.p, stderr);
	} else {
		struct evp_ofile f;
		if (evp_ofile_open(&f, run->summary_path) < 0)
			run->status = EVP_EXIT_IO;
		else {
			evp_ofile_write(&f, b.p, b.len);
			if (evp_ofile_commit(&f) < 0)
				run->status = EVP_EXIT_IO;
		}
	}
	evp_buf_release(&b);
}

int
evp_run_finish(struct evp_run *run)
{
	const struct evp_count *h = headline(run);
	uint64_t rejected = 0;

	evp_progress_end();
	for (size_t i = 0; i < run->ncounts; i++)
		rejected += run->counts[i]->rejected;
	if (run->max_rejects_set && h != NULL) {
		int over = run->max_rejects_pct ?
		    rejected * 100 > run->max_rejects * h->in :
		    rejected > run->max_rejects;
		if (over) {
			evp_msg("%llu record%s rejected, more than --max-rejects allows",
			    (unsigned long long)rejected, rejected == 1 ? "" : "s");
			evp_run_fail(run, EVP_EXIT_REJECTS, 0);
		}
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
		if (run->rejects_path == NULL) {
			evp_ofile_flush(&run->rjfile);
			run->rjfile.path = NULL;
			evp_ofile_abort(&run->rjfile);
		} else if (run->broken)
			evp_ofile_abort(&run->rjfile);
		else if (evp_ofile_commit(&run->rjfile) < 0)
			evp_run_fail(run, EVP_EXIT_IO, 1);
	}
	evp_rejects_release(&run->rejects);
	if (run->summary_path != NULL)
		write_json(run);
	if (!run->quiet && h != NULL) {
		struct evp_buf b = EVP_BUF_INIT;
		evp_count_text(h, &b);
		if (evp_sheet.risky > 0)
			evp_buf_printf(&b, "; %llu fields start like a spreadsheet "
			    "formula%s", (unsigned long long)evp_sheet.risky,
			    evp_sheet.safe ? " (prefixed with ')" :
			    " (see --spreadsheet-safe)");
		evp_msg("%s", b.p);
		evp_buf_release(&b);
	}
	evp_names_free(&run->columns);
	for (size_t i = 0; i < run->nowned; i++)
		free(run->owned[i]);
	run->nowned = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		evp_msg("write error on standard output: %s", strerror(errno));
		evp_run_fail(run, EVP_EXIT_IO, 1);
	}
	return run->status;
}
