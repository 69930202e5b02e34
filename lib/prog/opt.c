#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/ofile.h"
#include "core/progress.h"
#include "core/xalloc.h"
#include "core/zout.h"
#include "formats/csvout.h"
#include "prog/help.h"
#include "prog/opt.h"
#include "types/int.h"

const struct evp_opt evp_opt_shared[] = {
	{ "output", 'o', "FILE",
	    "write to FILE (atomically) instead of standard output", 0 },
	{ "rejects", EVP_OPT_REJECTS, "FILE",
	    "write refused records to FILE (default and '-':\nstandard error)", 0 },
	{ "summary", EVP_OPT_SUMMARY, "FILE",
	    "write the counts as JSON to FILE ('-': standard error)", 0 },
	{ "quiet", 'q', NULL, "no summary line on standard error", 0 },
	{ "progress", EVP_OPT_PROGRESS, NULL,
	    "show progress on standard error (default: only\n"
	    "when it is a terminal); --no-progress: never", 0 },
	{ "no-progress", EVP_OPT_NO_PROGRESS, NULL, NULL, 0 },
	{ "max-rejects", EVP_OPT_MAX_REJECTS, "N[%]",
	    "exit 1 when more than N records (or N% of those read)\n"
	    "are refused", 0 },
	{ "profile", EVP_OPT_PROFILE, "NAME|FILE",
	    "the event system: a built-in profile's name or a\nprofile file "
	    "(evp-profile(5))", EVP_DEF(name) },
	{ "columns", EVP_OPT_COLUMNS, "LIST", "the record columns (NAME or "
	    "NAME=JSON.PATH)", EVP_DEF(columns) },
	{ "max-line", EVP_OPT_MAX_LINE, "SIZE",
	    "longest line or field, e.g. 64K, 1M (default 1M)", 0 },
	{ "max-row-lines", EVP_OPT_MAX_ROW_LINES, "N",
	    "most physical lines in one CSV record (default 100)", 0 },
	{ "delimiter", 'd', "CHAR",
	    "the field separator of CSV read and written (default:\n"
	    "a tab for *.tsv files, else a comma; rejects: a comma)", 0 },
	{ "tab", 't', NULL, "tab-separated values: -d '\\t'", 0 },
	{ "compress", EVP_OPT_COMPRESS, "HOW",
	    "gzip, zstd or none: how outputs are compressed\n"
	    "(default: as their names say, .gz or .zst)", 0 },
	{ "sync", EVP_OPT_SYNC, NULL,
	    "fsync each output before renaming it into place", 0 },
	{ "spreadsheet-safe", EVP_OPT_SHEET, NULL,
	    "write a ' before text fields that start with =, +, -,\n"
	    "@, tab or CR (spreadsheets run them as formulas)", 0 },
	{ "help", 'h', NULL, "show this help", 0 },
	{ "version", EVP_OPT_VERSION, NULL, "show the version", 0 },
	{ "print-options", EVP_OPT_PRINT_OPTIONS, NULL, NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

struct evp_profile *
evp_opt_profile(const char *prog, int argc, char *const argv[],
    const struct evp_profile *fallback)
{
	const char *spec = NULL;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			spec = argv[++i];
		else if (strncmp(argv[i], "--profile=", 10) == 0)
			spec = argv[i] + 10;
	}
	if (spec == NULL)
		return (struct evp_profile *)fallback;
	evp_diag_init(prog);
	struct evp_profile *p = evp_profile_load(spec, fallback);
	if (p == NULL) {
		fprintf(stderr, "Try '%s --help' for more information.\n", prog);
		exit(EVP_EXIT_USAGE);
	}
	return p;
}

void
evp_opt_init(struct evp_run *run, const char *prog, int argc,
    char *const argv[], const struct evp_profile *fallback)
{
	evp_run_init(run, prog, evp_opt_profile(prog, argc, argv, fallback));
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

size_t
evp_opt_count(struct evp_run *run, const char *opt, const char *arg,
    size_t min, size_t max)
{
	uint64_t v;

	if (evp_parse_count(arg, min, max, &v) < 0)
		evp_usage_error(run, "--%s: not a count from %zu to %zu: '%s'",
		    opt, min, max, arg);
	return (size_t)v;
}

int
evp_opt_is_shared(const char *name)
{
	for (const struct evp_opt *o = evp_opt_shared; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return 1;
	return 0;
}

void
evp_opt_prefix(struct evp_run *run, const char *opt, const char *arg)
{
	/* An empty prefix makes the carried columns the record's own. */
	if (*arg == '\0')
		evp_usage_error(run, "--%s: must not be empty", opt);
}

void
evp_opt_names(struct evp_run *run, const char *opt, const char *arg,
    struct evp_names *nl)
{
	evp_names_free(nl);
	if (evp_names_parse(nl, arg) < 0)
		evp_usage_error(run, "--%s: empty name in '%s'", opt, arg);
}

/* -d's value: one byte, not a quote or a line end; "\t" or "tab" a tab. */
static void
delimiter(struct evp_run *run, const char *arg)
{
	char d = arg[0];

	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
		d = '\t';
	else if (arg[0] == '\0' || arg[1] != '\0' || (unsigned char)d >= 0x80 ||
	    d == '"' || d == '\r' || d == '\n')
		evp_usage_error(run, "--delimiter: one ASCII character other "
		    "than a quote or a line end, not '%s'", arg);
	run->delim = d;
}

static void
max_rejects(struct evp_run *run, const char *arg)
{
	size_t n = strlen(arg);
	char *num = xmemdup(arg, n);
	int pct = n > 1 && arg[n - 1] == '%';
	uint64_t v;

	num[n - pct] = '\0';
	if (evp_parse_count(num, 0, pct ? 100 : UINT64_MAX, &v) < 0) {
		free(num);
		evp_usage_error(run, "--max-rejects: not a count or a "
		    "percentage: '%s'", arg);
	}
	free(num);
	run->max_rejects = v;
	run->max_rejects_pct = pct;
	run->max_rejects_set = 1;
}

/*
 * The record columns must each be one column of the rejects layout, apart
 * from its own: a name given twice, or one of the layout's, would make a
 * header that cannot be read back by name.
 */
static void
check_columns(struct evp_run *run, const char *what)
{
	int i = evp_names_repeated(&run->columns);

	if (i >= 0)
		evp_usage_error(run, "%s: '%s' is given twice", what,
		    run->columns.name[i].p);
	for (size_t k = 0; k < run->columns.n; k++)
		if (evp_rejects_reserved(run->columns.name[k]))
			evp_usage_error(run, "%s: '%s' is a column of the rejects "
			    "themselves (evp-rejects(5)); rename it", what,
			    run->columns.name[k].p);
}

/* Handle a shared option: 1 if c was one. */
static int
shared_opt(struct evp_run *run, const struct evp_cmd *cmd, int c,
    const char *arg)
{
	switch (c) {
	case 'o':
		run->output = arg;
		return 1;
	case 'q':
		run->quiet = 1;
		return 1;
	case 'h':
		evp_opt_help(run, cmd);
		return 1;
	case EVP_OPT_PRINT_OPTIONS:
		evp_opt_print(cmd);
		return 1;
	case EVP_OPT_VERSION:
		printf("%s (evpipe) %s\n", run->prog, EVP_VERSION);
		exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : EVP_EXIT_IO);
	case EVP_OPT_REJECTS:
		/* "-" is standard error, as for --summary: not the output's. */
		run->rejects_path = strcmp(arg, "-") == 0 ? NULL : arg;
		return 1;
	case EVP_OPT_SUMMARY:
		run->summary_path = arg;
		return 1;
	case EVP_OPT_MAX_REJECTS:
		max_rejects(run, arg);
		return 1;
	case EVP_OPT_COLUMNS:
		if (evp_run_columns(run, arg) < 0)
			evp_usage_error(run, "--columns: empty name in '%s'", arg);
		check_columns(run, "--columns");
		return 1;
	case EVP_OPT_MAX_LINE:
		if (evp_parse_size(arg, &run->maxline) < 0)
			evp_usage_error(run, "--max-line: not a size: '%s'", arg);
		return 1;
	case EVP_OPT_MAX_ROW_LINES:
		run->maxrowlines = evp_opt_count(run, "max-row-lines", arg, 1,
		    1000000);
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
	case 'd':
		delimiter(run, arg);
		return 1;
	case 't':
		run->delim = '\t';
		return 1;
	case EVP_OPT_COMPRESS: {
		enum evp_zkind k;
		if (evp_zkind_parse(arg, &k) < 0)
			evp_usage_error(run, "--compress: gzip, zstd or none, not "
			    "'%s'", arg);
		run->compress = (int)k;
		return 1;
	}
	case EVP_OPT_PROFILE:
		return 1;	/* read before the options: evp_opt_profile */
	}
	return 0;
}

/* getopt_long's arrays for cmd, built once: one program runs a process. */
static struct {
	const struct evp_cmd	*cmd;
	char			 shortopts[64];
	struct option		*longopts;
} built;

static void
add(const struct evp_opt *o, size_t *nl, size_t *ns)
{
	built.longopts[(*nl)++] = (struct option){ o->name,
	    o->arg ? required_argument : no_argument, NULL, o->key };
	if (o->key < 0x100 && *ns + 3 < sizeof(built.shortopts)) {
		built.shortopts[(*ns)++] = (char)o->key;
		if (o->arg)
			built.shortopts[(*ns)++] = ':';
	}
}

static void
build(const struct evp_cmd *cmd)
{
	size_t n = 1, nl = 0, ns = 0;

	for (const struct evp_opt *o = evp_opt_shared; o->name; o++)
		n++;
	for (const struct evp_opt *o = cmd->opts; o && o->name; o++)
		n++;
	free(built.longopts);
	built.longopts = xcalloc(n, sizeof(*built.longopts));
	built.shortopts[ns++] = ':';	/* a missing value is ':' */
	for (const struct evp_opt *o = evp_opt_shared; o->name; o++)
		add(o, &nl, &ns);
	for (const struct evp_opt *o = cmd->opts; o && o->name; o++)
		add(o, &nl, &ns);
	built.shortopts[ns] = '\0';
	built.cmd = cmd;
}

int
evp_getopt(struct evp_run *run, const struct evp_cmd *cmd, int argc,
    char *const argv[])
{
	int c;

	if (built.cmd != cmd)
		build(cmd);
	opterr = 0;
	while ((c = getopt_long(argc, argv, built.shortopts, built.longopts,
	    NULL)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt >= 0x100 || (optopt == 0 && optind > 0) ||
			    (c == ':' && argv[optind - 1][1] == '-'))
				evp_usage_error(run, "%s '%s'", c == ':' ?
				    "a value is needed after" : "bad option",
				    argv[optind - 1]);
			if (c == ':')
				evp_usage_error(run, "option '-%c' needs a value",
				    optopt);
			evp_usage_error(run, "unknown option '-%c'", optopt);
		}
		if (!shared_opt(run, cmd, c, optarg))
			return c;
	}
	return -1;
}
