/*
 * fuzz_lines: the collect stage over a whole file, in every --format.
 *
 * The input is the file; its length picks the line limit (the default,
 * or 1..61 bytes).  It is collected once per format (access, query,
 * jsonl, csv, auto) into a sink that counts and a rejects writer whose
 * output is kept.  Invariants, for plain input:
 *  - auto gives what a JSON stream gives when the first line starts one,
 *    else what the format most of the first 16 non-blank lines have gives
 *    (the rule evp-collect(1) tells);
 *  - the stage returns 0 (csv, auto: 2 when the header is unusable, and
 *    then nothing was read);
 *  - conservation: in == out + rejected, out == the records the sink got;
 *  - line formats: every input line that is not blank (spaces and tabs
 *    only, the whole line) is exactly one event or one reject, at its
 *    line number; blank lines are neither (one over the limit may be a
 *    line_too_long reject);
 *  - events have the eight columns, valid UTF-8 without control bytes;
 *  - the rejects output (when it holds no NUL byte: raw keeps the line's
 *    bytes as they were) reads back with the CSV reader as one record per
 *    reject, none refused, of evp-rejects(5)'s 14 columns, stage collect,
 *    a documented reason, the source and line, and for a line format the
 *    line's text as raw (cut at the limit).
 */
#include <stdlib.h>
#include <string.h>

#include "formats/accesslog.h"
#include "formats/json.h"
#include "stages/collect.h"
#include "formats/csvin.h"
#include "fuzzutil.h"
#include "core/input.h"
#include "formats/jsonl.h"
#include "formats/reject.h"

#define MAXIN	(64 * 1024)

static const char *const reasons[] = {
	"line_too_long", "csv_syntax", "column_count", "field_too_long",
	"row_too_long", "nul_byte", "repeated_header", "bad_access_line",
	"bad_method", "not_event_path", "no_query", "bad_query",
	"bad_percent_escape", "control_char", "invalid_utf8", "repeated_key",
	"no_event_fields", "invalid_json", "bad_unicode_escape", "bad_json_type",
	"nesting_too_deep", "record_too_long", "corrupt_member", "truncated_line",
	NULL
};

static struct fuzz_file f_in, f_rj;

struct counter {
	struct evp_sink	 sink;
	uint64_t	 n, last;
	uint64_t	*lines;		/* line of each event */
	size_t		 cap;
	int		 started, ended;
	int		 csv;		/* fields as they are: control bytes allowed */
};

static int
c_start(struct evp_sink *s, const struct evp_header *h)
{
	struct counter *c = evp_container_of(s, struct counter, sink);

	FUZZ_CHECK(!c->started, "sink started twice");
	FUZZ_CHECK(h->n == FUZZ_NCOL, "output header of %zu columns", h->n);
	for (size_t i = 0; i < h->n; i++)
		FUZZ_CHECK(evp_str_eq(h->name[i], fuzz_cols.name[i].p,
		    fuzz_cols.name[i].len), "output column %zu", i);
	c->started = 1;
	return 0;
}

static int
c_put(struct evp_sink *s, const struct evp_rec *r)
{
	struct counter *c = evp_container_of(s, struct counter, sink);

	FUZZ_CHECK(c->started && !c->ended, "put outside start..end");
	FUZZ_CHECK(r->n == FUZZ_NCOL, "event of %zu fields", r->n);
	for (size_t i = 0; i < r->n; i++)
		FUZZ_CHECK(r->f[i].p != NULL && fuzz_utf8_ok(r->f[i].p, r->f[i].len) &&
		    (c->csv ? memchr(r->f[i].p, '\0', r->f[i].len) == NULL :
		    !fuzz_has_ctl(r->f[i].p, r->f[i].len)),
		    "event at line %llu: %s '%s' is not clean text",
		    (unsigned long long)r->at.line, fuzz_cols.name[i].p,
		    fuzz_show(r->f[i].p, r->f[i].len));
	FUZZ_CHECK(r->at.line > c->last, "event at line %llu after line %llu",
	    (unsigned long long)r->at.line, (unsigned long long)c->last);
	c->last = r->at.line;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->lines = realloc(c->lines, c->cap * sizeof(*c->lines));
	}
	c->lines[c->n++] = r->at.line;
	return 0;
}

static int
c_end(struct evp_sink *s)
{
	struct counter *c = evp_container_of(s, struct counter, sink);

	c->ended = 1;
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_capture_init();
	return 0;
}

static uint64_t
number(struct evp_str s)
{
	uint64_t v = 0;

	FUZZ_CHECK(s.len > 0 && s.len < 20, "rejects: line '%s'",
	    fuzz_show(s.p, s.len));
	for (size_t i = 0; i < s.len; i++) {
		FUZZ_CHECK(s.p[i] >= '0' && s.p[i] <= '9', "rejects: line '%s'",
		    fuzz_show(s.p, s.len));
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	return v;
}

struct result {
	int		 rc;
	uint64_t	 in, out, rejected;
};

static enum evp_format sniffed(const struct fuzz_line *, size_t);

static struct result
collect(const uint8_t *data, size_t size, enum evp_format fmt, size_t maxline,
    const struct fuzz_line *m, size_t nm)
{
	const char *fname = evp_format_name(fmt);
	const char *path = fuzz_file_put(&f_in, data, size);
	struct evp_collect_opts o = { .format = fmt, .cols = &fuzz_cols,
	    .flat = 1, .paths = &fuzz_paths, .no_fields = "no_event_fields",
	    .maxline = maxline, .maxrowlines = 100, .maxdepth = 32 };
	struct counter cnt = { { c_start, c_put, c_end }, 0, 0, NULL, 0, 0, 0,
	    0 };
	struct evp_rejects rj;
	struct evp_collect c;

	evp_ofile_flush(&fuzz_ofile);
	evp_buf_reset(&fuzz_out);
	evp_rejects_init(&rj, &fuzz_ofile, &fuzz_cols, 0);
	cnt.csv = fmt == EVP_FMT_CSV ||
	    (fmt == EVP_FMT_AUTO && sniffed(m, nm) == EVP_FMT_CSV);
	evp_collect_init(&c, &o, &rj, &cnt.sink);
	FUZZ_CHECK(evp_collect_start(&c) == 0, "start failed");
	int rc = evp_collect_file(&c, path);
	FUZZ_CHECK(evp_collect_end(&c) == 0, "end failed");

	/* What the line formats' lines must become. */
	int lines_fmt = fmt == EVP_FMT_ACCESS || fmt == EVP_FMT_QUERY ||
	    fmt == EVP_FMT_JSONL;
	/*
	 * A line is a record when not blank, and is not when blank; a line
	 * over the limit whose kept head is blank may be either, as long as
	 * it is entirely blank (what was skipped of it is not known).
	 */
	uint64_t must = 0, may = 0;
	for (size_t i = 0; i < nm; i++) {
		must += !fuzz_blank(m[i].p, m[i].full);
		may += m[i].toolong && fuzz_blank(m[i].p, m[i].full);
	}

	FUZZ_CHECK(rc == 0 || ((fmt == EVP_FMT_CSV || fmt == EVP_FMT_AUTO) &&
	    rc == 2), "%s: collect returned %d", fname, rc);
	if (rc == 2)
		FUZZ_CHECK(c.st.count.in == 0, "%s: unreadable, yet %llu records in",
		    fname, (unsigned long long)c.st.count.in);
	FUZZ_CHECK(c.st.count.in == c.st.count.out + c.st.count.rejected,
	    "%s: %llu in, %llu out, %llu rejected", fname,
	    (unsigned long long)c.st.count.in, (unsigned long long)c.st.count.out,
	    (unsigned long long)c.st.count.rejected);
	FUZZ_CHECK(c.st.count.out == cnt.n, "%s: %llu out, sink got %llu", fname,
	    (unsigned long long)c.st.count.out, (unsigned long long)cnt.n);
	FUZZ_CHECK(rj.rows == c.st.count.rejected, "%s: %llu rejects written, "
	    "%llu counted", fname, (unsigned long long)rj.rows,
	    (unsigned long long)c.st.count.rejected);

	/* Read the rejects back. */
	evp_ofile_flush(&fuzz_ofile);
	char *seen = calloc(nm + 2, 1);
	for (size_t i = 0; i < cnt.n; i++)
		if (cnt.lines[i] <= nm)
			seen[cnt.lines[i]] = 1;
	int readable = memchr(fuzz_out.p, '\0', fuzz_out.len) == NULL;
	if (readable) {
		struct evp_input in;
		struct evp_csvin r;
		struct evp_csvrow row;
		uint64_t n = 0;
		FUZZ_CHECK(evp_input_open(&in, fuzz_file_put(&f_rj, fuzz_out.p,
		    fuzz_out.len), 0) == 0, "cannot open the rejects");
		FUZZ_CHECK(evp_csvin_open(&r, &in, NULL) == 0 && r.header.n == 14,
		    "%s: rejects header", fname);
		while (evp_csvin_next(&r, &row) > 0) {
			FUZZ_CHECK(row.bad.reason == NULL, "%s: rejects record %llu "
			    "refused: %s '%s'", fname, (unsigned long long)n,
			    row.bad.reason, fuzz_show(row.raw.p, row.raw.len));
			FUZZ_CHECK(evp_str_eqs(row.f[0], "collect"), "%s: stage", fname);
			FUZZ_CHECK(row.f[1].len < 40, "%s: reason", fname);
			char reason[40];
			memcpy(reason, row.f[1].p, row.f[1].len);
			reason[row.f[1].len] = '\0';
			FUZZ_CHECK(fuzz_in_set(reason, reasons), "%s: undocumented "
			    "reason %s", fname, reason);
			FUZZ_CHECK(evp_str_eqs(row.f[3], path), "%s: source", fname);
			uint64_t line = number(row.f[4]);
			FUZZ_CHECK(line >= 1 && line <= nm, "%s: reject at line %llu "
			    "of %zu", fname, (unsigned long long)line, nm);
			for (size_t i = 6; i < 14; i++)
				FUZZ_CHECK(row.f[i].len == 0, "%s: collect reject with "
				    "a field", fname);
			if (lines_fmt) {
				const struct fuzz_line *l = &m[line - 1];
				FUZZ_CHECK(evp_str_eq(row.f[5], l->p, l->len),
				    "%s: line %llu rejected (%s) with raw '%s', its "
				    "text is '%s'", fname, (unsigned long long)line,
				    reason, fuzz_show(row.f[5].p, row.f[5].len),
				    fuzz_show(l->p, l->len));
				FUZZ_CHECK(!seen[line], "%s: line %llu twice", fname,
				    (unsigned long long)line);
				seen[line] = 1;
			}
			n++;
		}
		FUZZ_CHECK(n == c.st.count.rejected, "%s: %llu rejects read back, "
		    "%llu counted", fname, (unsigned long long)n,
		    (unsigned long long)c.st.count.rejected);
		evp_csvin_close(&r);
		evp_input_close(&in);
	}
	if (lines_fmt) {
		FUZZ_CHECK(c.st.count.in >= must && c.st.count.in <= must + may,
		    "%s: %llu records in, the input has %llu non-blank lines "
		    "(and %llu blank ones over the limit)", fname,
		    (unsigned long long)c.st.count.in, (unsigned long long)must,
		    (unsigned long long)may);
		for (size_t i = 0; i < nm && readable; i++) {
			int blank = fuzz_blank(m[i].p, m[i].full);
			if (m[i].toolong && blank)
				continue;
			FUZZ_CHECK(seen[i + 1] == !blank,
			    "%s: line %zu ('%s'%s) is %s", fname, i + 1,
			    fuzz_show(m[i].p, m[i].len), m[i].toolong ?
			    ", cut at the limit" : "", seen[i + 1] ?
			    "blank, yet a record" : "neither an event nor a reject");
		}
	}
	free(seen);
	free(cnt.lines);
	struct result res = { rc, c.st.count.in, c.st.count.out, c.st.count.rejected };
	evp_collect_release(&c);
	evp_rejects_release(&rj);
	return res;
}

/* A line's shape, as the manual says auto sees each line. */
static enum evp_format
shape(const char *s, size_t n)
{
	if (evp_jsonl_sniff(s, n))
		return EVP_FMT_JSONL;
	if (evp_access_sniff(s, n))
		return EVP_FMT_ACCESS;
	if (memchr(s, '=', n) != NULL || s[0] == '/' || s[0] == '?' ||
	    (n >= 4 && memcmp(s, "http", 4) == 0))
		return EVP_FMT_QUERY;
	return EVP_FMT_CSV;
}

/*
 * Does the first line start a JSON stream: '{' or '[' and JSON as far as
 * it goes, the value going on past the line, or an array, or another
 * value after it on the line?
 */
static int
stream_start(const char *s, size_t n)
{
	struct evp_jcheck c;
	struct evp_verdict v;
	size_t i = 0, at;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || (s[i] != '{' && s[i] != '['))
		return 0;
	evp_jcheck_init(&c, 32, 0);
	int rc = evp_jcheck_feed(&c, s + i, n - i, &at, &v);
	evp_jcheck_release(&c);
	if (rc == EVP_JC_MORE || (rc == EVP_JC_END && s[i] == '['))
		return 1;
	for (at += i; rc == EVP_JC_END && at < n; at++)
		if (s[at] == '{' || s[at] == '[')
			return 1;
	return 0;
}

/* Commas outside quotes, plus one; 0 with a quote left open. */
static size_t
fields(const char *s, size_t n)
{
	size_t k = 1, q = 0;

	for (size_t i = 0; i < n; i++) {
		q ^= s[i] == '"';
		k += s[i] == ',' && !q;
	}
	return q ? 0 : k;
}

/*
 * The format auto must take, from its manual: the shape most of the first
 * 16 non-blank lines have (whole lines, cut or not; a CSV row counts with
 * as many fields as the first line), ties to JSON lines, access, query,
 * CSV; none: the first line's.
 */
static enum evp_format
sniffed(const struct fuzz_line *m, size_t nm)
{
	size_t votes[EVP_FMT_CSV + 1] = { 0 }, k = 0, head = 0;
	const struct fuzz_line *first = NULL;

	for (size_t i = 0; i < nm && k < 16; i++) {
		const char *s = m[i].p;
		size_t n = m[i].full;
		if (fuzz_blank(s, n))
			continue;
		if (k++ == 0) {
			first = &m[i];
			head = fields(s, n);
		}
		enum evp_format f = shape(s, n);
		if (f != EVP_FMT_CSV || (head > 1 && fields(s, n) == head))
			votes[f]++;
	}
	if (first == NULL)
		return EVP_FMT_AUTO;	/* nothing to read */
	if (stream_start(first->p, first->full))
		return EVP_FMT_JSON;
	static const enum evp_format order[] = {
		EVP_FMT_JSONL, EVP_FMT_ACCESS, EVP_FMT_QUERY, EVP_FMT_CSV
	};
	enum evp_format best = order[0];
	for (size_t i = 1; i < 4; i++)
		if (votes[order[i]] > votes[best])
			best = order[i];
	return votes[best] > 0 ? best : shape(first->p, first->full);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum evp_format fmts[] = {
		EVP_FMT_ACCESS, EVP_FMT_QUERY, EVP_FMT_JSONL, EVP_FMT_CSV,
		EVP_FMT_JSON
	};
	struct result res[EVP_FMT_JSON + 1];
	size_t maxline = size % 3 == 0 ? 1 + size % 61 : 1024 * 1024;

	if (size > MAXIN || fuzz_kind(data, size) != FUZZ_PLAIN)
		return -1;
	struct fuzz_line *m;
	size_t nm = fuzz_line_model((const char *)data, size, maxline, &m);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		res[fmts[i]] = collect(data, size, fmts[i], maxline, m, nm);

	/* auto is the format most of the first lines have. */
	struct result a = collect(data, size, EVP_FMT_AUTO, maxline, m, nm);
	enum evp_format f = sniffed(m, nm);
	if (f > EVP_FMT_JSON)
		;
	else if (f == EVP_FMT_AUTO)
		FUZZ_CHECK(a.rc == 0 && a.in == 0, "auto: nothing to read, "
		    "returned %d, %llu in", a.rc, (unsigned long long)a.in);
	else
		FUZZ_CHECK(a.rc == res[f].rc && a.in == res[f].in &&
		    a.out == res[f].out && a.rejected == res[f].rejected,
		    "auto (%s): %d %llu/%llu/%llu, forced %d %llu/%llu/%llu",
		    evp_format_name(f), a.rc, (unsigned long long)a.in,
		    (unsigned long long)a.out, (unsigned long long)a.rejected,
		    res[f].rc, (unsigned long long)res[f].in,
		    (unsigned long long)res[f].out,
		    (unsigned long long)res[f].rejected);
	free(m);
	return 0;
}
