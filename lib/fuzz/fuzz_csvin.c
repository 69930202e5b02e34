/*
 * fuzz_csvin: the CSV reader (lib/csvin) over a file of the fuzz input.
 *
 * Each input is read twice: with the default limits, and with small
 * ones picked by its length (line 1..61 bytes, field 1..17, record 1..4
 * lines), so that every refusal runs.  Invariants, for plain input
 * (gzip input, inflated, only must not crash):
 *  - records come in line order, never overlapping: a record refused
 *    while it was read takes its first line (field_too_long: the whole
 *    record), one read whole (accepted, column_count, repeated_header)
 *    1 + the LFs in its fields; every other non-blank line is the
 *    header's (which spans 1 + the LFs in its names);
 *  - a record's raw text is its physical lines as lib/input must give
 *    them (independent model), joined with their own line ends;
 *  - a refused record has a documented reason; line_too_long iff its
 *    line is over the limit; a record that is not refused has as many
 *    fields as the header, none with a NUL byte;
 *  - the header and accepted records written with evp_csv_buf_field
 *    (and the same bytes with evp_csv_put_row), after a BOM, read back
 *    as the same header and records, none refused, each at the line
 *    the writer put it on.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/csvin.h"
#include "formats/csvout.h"
#include "fuzzutil.h"
#include "core/input.h"

#define MAXIN	(200 * 1024)

static const char *const reasons[] = {
	"csv_syntax", "column_count", "field_too_long", "row_too_long",
	"nul_byte", "repeated_header", "line_too_long", NULL
};

static struct fuzz_file f_in, f_back;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_capture_init();
	return 0;
}

static size_t
count_lf(const struct evp_str *f, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < f[i].len; j++)
			k += f[i].p[j] == '\n';
	return k;
}

/* Lines first..first+k-1 (1-based) of the model, joined by their ends. */
static void
join(struct evp_buf *b, const struct fuzz_line *m, size_t first, size_t k)
{
	evp_buf_reset(b);
	for (size_t i = first - 1; i < first - 1 + k; i++) {
		if (i > first - 1)
			evp_buf_adds(b, m[i - 1].crlf ? "\r\n" : "\n");
		evp_buf_add(b, m[i].p, m[i].len);
	}
}

static int
blank(const struct fuzz_line *l)
{
	return !l->toolong && fuzz_blank(l->p, l->len);
}

/* Lines from..to (1-based, inclusive) must be blank: no record there. */
static void
all_blank(const struct fuzz_line *m, size_t nm, uint64_t from, uint64_t to,
    const char *how)
{
	for (uint64_t i = from; i <= to && i <= nm; i++)
		FUZZ_CHECK(blank(&m[i - 1]), "%s: line %llu ('%s') is in no record",
		    how, (unsigned long long)i, fuzz_show(m[i - 1].p, m[i - 1].len));
}

static void
put_row(struct evp_buf *b, const struct evp_str *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			evp_buf_addc(b, ',');
		evp_csv_buf_field(b, f[i].p, f[i].len, n == 1);
	}
	evp_buf_addc(b, '\n');
	evp_csv_put_row(&fuzz_ofile, f, n);
}

/* Read text back: the header h and rows (n fields each) exactly. */
static void
read_back(const struct evp_buf *text, const struct evp_header *h,
    struct evp_str *rows, size_t nrows, const uint64_t *lines, const char *how)
{
	struct evp_input in;
	struct evp_csvin r;
	struct evp_csvrow row;

	FUZZ_CHECK(evp_input_open(&in, fuzz_file_put(&f_back, text->p, text->len),
	    0) == 0, "%s: cannot open what was written", how);
	FUZZ_CHECK(evp_csvin_open(&r, &in, NULL) == 0,
	    "%s: written header refused: '%s'", how, fuzz_show(text->p, text->len));
	FUZZ_CHECK(r.header.n == h->n, "%s: header of %zu names read back as %zu",
	    how, h->n, r.header.n);
	for (size_t i = 0; i < h->n; i++)
		FUZZ_CHECK(evp_str_eq(r.header.name[i], h->name[i].p, h->name[i].len),
		    "%s: header name '%s' read back as '%s'", how,
		    fuzz_show(h->name[i].p, h->name[i].len),
		    fuzz_show(r.header.name[i].p, r.header.name[i].len));
	for (size_t k = 0; k < nrows; k++) {
		const struct evp_str *want = rows + k * h->n;
		FUZZ_CHECK(evp_csvin_next(&r, &row) == 1, "%s: record %zu lost", how, k);
		FUZZ_CHECK(row.bad.reason == NULL, "%s: written record %zu refused: "
		    "%s (%s) '%s'", how, k, row.bad.reason, row.bad.detail,
		    fuzz_show(row.raw.p, row.raw.len));
		FUZZ_CHECK(row.line == lines[k], "%s: record %zu at line %llu, "
		    "written at %llu", how, k, (unsigned long long)row.line,
		    (unsigned long long)lines[k]);
		FUZZ_CHECK(row.n == h->n, "%s: record %zu: %zu fields", how, k, row.n);
		for (size_t i = 0; i < row.n; i++)
			FUZZ_CHECK(evp_str_eq(row.f[i], want[i].p, want[i].len),
			    "%s: record %zu field %zu '%s' read back as '%s'", how, k, i,
			    fuzz_show(want[i].p, want[i].len),
			    fuzz_show(row.f[i].p, row.f[i].len));
	}
	FUZZ_CHECK(evp_csvin_next(&r, &row) == 0, "%s: more records than written",
	    how);
	evp_csvin_close(&r);
	evp_input_close(&in);
}

static void
run(const uint8_t *data, size_t size, size_t maxline,
    const struct evp_csvin_opts *o, const char *how)
{
	enum fuzz_kind kind = fuzz_kind(data, size);
	struct evp_input in;
	struct evp_csvin r;
	struct evp_csvrow row;

	if (evp_input_open(&in, fuzz_file_put(&f_in, data, size), maxline) < 0) {
		FUZZ_CHECK(kind == FUZZ_REFUSED, "%s: cannot open the input", how);
		return;
	}
	if (evp_csvin_open(&r, &in, o) < 0) {
		/* A bad header is reported, not a record: nothing to hold. */
		evp_csvin_close(&r);
		evp_input_close(&in);
		return;
	}
	if (kind != FUZZ_PLAIN) {
		while (evp_csvin_next(&r, &row) > 0)
			;
		evp_csvin_close(&r);
		evp_input_close(&in);
		return;
	}

	struct fuzz_line *m;
	size_t nm = fuzz_line_model((const char *)data, size, maxline, &m);
	struct evp_buf b = EVP_BUF_INIT, text = EVP_BUF_INIT;
	struct evp_str *rows = NULL;
	uint64_t *lines = NULL;
	size_t nrows = 0, cap = 0;
	struct evp_buf keep = EVP_BUF_INIT;	/* the accepted fields' bytes */
	size_t *koff = NULL;
	uint64_t end;				/* last line taken so far */
	int rc;

	/* The header, after blank lines. */
	if (r.header.n == 0) {
		all_blank(m, nm, 1, nm, how);
		FUZZ_CHECK(evp_csvin_next(&r, &row) == 0, "%s: a record without "
		    "a header", how);
		goto done;
	}
	all_blank(m, nm, 1, r.header.at.line - 1, how);
	end = r.header.at.line + count_lf(r.header.name, r.header.n);
	FUZZ_CHECK(end <= nm, "%s: header past the last line", how);

	while ((rc = evp_csvin_next(&r, &row)) > 0) {
		size_t span = 1;
		FUZZ_CHECK(row.line > end, "%s: record at line %llu, but line "
		    "%llu was taken", how, (unsigned long long)row.line,
		    (unsigned long long)end);
		FUZZ_CHECK(row.line <= nm, "%s: record at line %llu of %zu", how,
		    (unsigned long long)row.line, nm);
		all_blank(m, nm, end + 1, row.line - 1, how);
		const struct fuzz_line *first = &m[row.line - 1];

		if (row.bad.reason != NULL) {
			FUZZ_CHECK(fuzz_in_set(row.bad.reason, reasons),
			    "%s: undocumented reason %s", how, row.bad.reason);
			FUZZ_CHECK((strcmp(row.bad.reason, "line_too_long") == 0) ==
			    (first->toolong != 0), "%s: line %llu %s, refused as %s", how,
			    (unsigned long long)row.line,
			    first->toolong ? "over the limit" : "within the limit",
			    row.bad.reason);
			if (strcmp(row.bad.reason, "column_count") == 0 ||
			    strcmp(row.bad.reason, "repeated_header") == 0) {
				/* Read whole, then refused: raw is the record. */
				span = 1 + count_lf(row.f, row.n);
				FUZZ_CHECK(row.line + span - 1 <= nm, "%s: record at "
				    "%llu runs past the end", how,
				    (unsigned long long)row.line);
				join(&b, m, row.line, span);
			} else if (strcmp(row.bad.reason, "field_too_long") == 0) {
				/* The whole record: find how many lines it took. */
				for (span = 1; row.line + span - 1 <= nm; span++) {
					join(&b, m, row.line, span);
					if (b.len >= row.raw.len)
						break;
				}
			} else
				join(&b, m, row.line, 1);
			FUZZ_CHECK(evp_str_eq(row.raw, b.p, b.len),
			    "%s: line %llu refused (%s) with raw '%s', its text is '%s'",
			    how, (unsigned long long)row.line, row.bad.reason,
			    fuzz_show(row.raw.p, row.raw.len), fuzz_show(b.p, b.len));
		} else {
			FUZZ_CHECK(row.n == r.header.n, "%s: line %llu: %zu fields, "
			    "header has %zu", how, (unsigned long long)row.line, row.n,
			    r.header.n);
			span = 1 + count_lf(row.f, row.n);
			FUZZ_CHECK(row.line + span - 1 <= nm, "%s: record at %llu of %zu "
			    "lines runs past the end", how,
			    (unsigned long long)row.line, span);
			join(&b, m, row.line, span);
			FUZZ_CHECK(evp_str_eq(row.raw, b.p, b.len),
			    "%s: record at line %llu has raw '%s', its lines are '%s'",
			    how, (unsigned long long)row.line,
			    fuzz_show(row.raw.p, row.raw.len), fuzz_show(b.p, b.len));
			for (size_t i = 0; i < span; i++)
				FUZZ_CHECK(!m[row.line - 1 + i].toolong, "%s: record at "
				    "line %llu takes a line over the limit", how,
				    (unsigned long long)row.line);
			for (size_t i = 0; i < row.n; i++)
				FUZZ_CHECK(memchr(row.f[i].p, '\0', row.f[i].len) == NULL,
				    "%s: accepted field with a NUL byte", how);
			/* Keep a copy, for writing back. */
			if (nrows == cap) {
				cap = cap ? 2 * cap : 16;
				koff = realloc(koff, cap * r.header.n * 2 * sizeof(*koff));
				lines = realloc(lines, cap * sizeof(*lines));
			}
			for (size_t i = 0; i < row.n; i++) {
				koff[2 * (nrows * row.n + i)] = keep.len;
				koff[2 * (nrows * row.n + i) + 1] = row.f[i].len;
				evp_buf_add(&keep, row.f[i].p, row.f[i].len);
			}
			nrows++;
		}
		end = row.line + span - 1;
	}
	FUZZ_CHECK(rc == 0, "%s: plain input ended with %d", how, rc);
	all_blank(m, nm, end + 1, nm, how);

	/* Write the header and the accepted records, then read them back. */
	rows = malloc((nrows * r.header.n + 1) * sizeof(*rows));
	for (size_t i = 0; i < nrows * r.header.n; i++)
		rows[i] = (struct evp_str){ keep.p + koff[2 * i], koff[2 * i + 1] };
	evp_buf_adds(&text, "\xEF\xBB\xBF");
	evp_ofile_flush(&fuzz_ofile);
	evp_buf_reset(&fuzz_out);
	put_row(&text, r.header.name, r.header.n);
	uint64_t at = 2 + count_lf(r.header.name, r.header.n);
	for (size_t k = 0; k < nrows; k++) {
		lines[k] = at;
		put_row(&text, rows + k * r.header.n, r.header.n);
		at += 1 + count_lf(rows + k * r.header.n, r.header.n);
	}
	evp_ofile_flush(&fuzz_ofile);
	FUZZ_CHECK(fuzz_out.len + 3 == text.len &&
	    memcmp(fuzz_out.p, text.p + 3, fuzz_out.len) == 0,
	    "%s: evp_csv_put_row and evp_csv_buf_field write different bytes", how);
	read_back(&text, &r.header, rows, nrows, lines, how);

done:
	evp_csvin_close(&r);
	evp_input_close(&in);
	free(m);
	free(rows);
	free(lines);
	free(koff);
	evp_buf_release(&keep);
	evp_buf_release(&b);
	evp_buf_release(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAXIN)
		return -1;
	run(data, size, 0, NULL, "default limits");
	struct evp_csvin_opts small = { 1 + size % 17, 1 + size % 4, 0 };
	run(data, size, 1 + size % 61, &small, "small limits");
	return 0;
}
