/*
 * fuzz_csv_roundtrip: what the CSV writer writes, the CSV reader reads.
 *
 * The input is a table: 0xFE ends a row, 0xFF ends a field; the first
 * row's field count is the table's width (the header is c0, c1, ...).
 * Inputs with a NUL byte are skipped: the reader refuses a record with
 * one (nul_byte), by design, and the writer leaves it as it is.  Every
 * other byte, CR and LF alone or together, quotes, spaces, a BOM, must
 * survive.  The table is written with evp_csv_buf_field (and
 * evp_csv_put_row, which must write the same bytes) and read back with
 * evp_csvin.  Invariants:
 *  - each field is written as csvout.h says: quoted only when it must be
 *    (minimal quoting, checked byte for byte), quotes doubled;
 *  - the header reads back as written;
 *  - each row is one record at the line the writer started it on: a row
 *    of the table's width comes back field for field, unless it equals
 *    the header (after a BOM, as evp-rejects(5) says): repeated_header;
 *    a row of another width: column_count; nothing else is refused;
 *  - no record more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csvin.h"
#include "formats/csvout.h"
#include "fuzzutil.h"
#include "core/input.h"

#define MAXIN	(200 * 1024)

static struct fuzz_file file;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_capture_init();
	return 0;
}

/*
 * The bytes csvout.h promises for a field: quoted only when it holds a
 * comma, a quote, CR or LF, starts or ends with a space or a tab, or is
 * the row's only field and empty; a quote inside doubled.
 */
static void
expected_field(struct evp_buf *b, const char *p, size_t n, int sole)
{
	int q = n == 0 ? sole : p[0] == ' ' || p[0] == '\t' ||
	    p[n - 1] == ' ' || p[n - 1] == '\t';

	for (size_t i = 0; i < n && !q; i++)
		q = p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
	evp_buf_reset(b);
	if (!q) {
		evp_buf_add(b, p, n);
		return;
	}
	evp_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			evp_buf_addc(b, '"');
		evp_buf_addc(b, p[i]);
	}
	evp_buf_addc(b, '"');
}

static void
put_row(struct evp_buf *b, const struct evp_str *f, size_t n)
{
	static struct evp_buf want = EVP_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			evp_buf_addc(b, ',');
		size_t at = b->len;
		evp_csv_buf_field(b, f[i].p, f[i].len, n == 1);
		expected_field(&want, f[i].p, f[i].len, n == 1);
		FUZZ_CHECK(b->len - at == want.len &&
		    memcmp(b->p + at, want.p, want.len) == 0,
		    "field '%s' written as '%s', want '%s'",
		    fuzz_show(f[i].p, f[i].len), fuzz_show(b->p + at, b->len - at),
		    fuzz_show(want.p, want.len));
	}
	evp_buf_addc(b, '\n');
	evp_csv_put_row(&fuzz_ofile, f, n);
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

/* Does row f[0..n) equal the header, its first field after a BOM? */
static int
is_header(const struct evp_str *f, size_t n, const struct evp_str *h, size_t hn)
{
	if (n != hn)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct evp_str x = f[i];
		if (i == 0 && x.len >= 3 && memcmp(x.p, "\xEF\xBB\xBF", 3) == 0) {
			x.p += 3;
			x.len -= 3;
		}
		if (!evp_str_eq(x, h[i].p, h[i].len))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	if (size > MAXIN || memchr(data, '\0', size) != NULL)
		return -1;

	/* Split the table: fields of all rows, and where each row starts. */
	size_t nf = 1, nr = 1;
	for (size_t i = 0; i < size; i++) {
		nf += data[i] == 0xFE || data[i] == 0xFF;
		nr += data[i] == 0xFE;
	}
	struct evp_str *f = malloc(nf * sizeof(*f));
	size_t *rstart = malloc((nr + 1) * sizeof(*rstart));
	size_t k = 0, r = 0, b = 0;
	rstart[r++] = 0;
	for (size_t i = 0; i <= size; i++) {
		if (i < size && data[i] != 0xFE && data[i] != 0xFF)
			continue;
		f[k++] = (struct evp_str){ s + b, i - b };
		if (i < size && data[i] == 0xFE)
			rstart[r++] = k;
		b = i + 1;
	}
	rstart[r] = k;
	size_t width = rstart[1] - rstart[0];

	/* The header c0, c1, ... */
	char *hmem = malloc(width * 24);
	struct evp_str *h = malloc(width * sizeof(*h));
	for (size_t i = 0; i < width; i++) {
		int len = snprintf(hmem + i * 24, 24, "c%zu", i);
		h[i] = (struct evp_str){ hmem + i * 24, (size_t)len };
	}

	/* Write it, both ways, noting each row's line. */
	struct evp_buf text = EVP_BUF_INIT;
	uint64_t *line = malloc(nr * sizeof(*line)), at = 2;
	evp_ofile_flush(&fuzz_ofile);
	evp_buf_reset(&fuzz_out);
	put_row(&text, h, width);
	for (size_t i = 0; i < nr; i++) {
		size_t n = rstart[i + 1] - rstart[i];
		line[i] = at;
		put_row(&text, f + rstart[i], n);
		at += 1 + count_lf(f + rstart[i], n);
	}
	evp_ofile_flush(&fuzz_ofile);
	FUZZ_CHECK(fuzz_out.len == text.len &&
	    memcmp(fuzz_out.p, text.p, text.len) == 0,
	    "evp_csv_put_row and evp_csv_buf_field write different bytes");

	/* Read it back. */
	struct evp_input in;
	struct evp_csvin rd;
	struct evp_csvrow row;
	struct evp_csvin_opts o = { 0, (size_t)1 << 30, 0 };
	FUZZ_CHECK(evp_input_open(&in, fuzz_file_put(&file, text.p, text.len),
	    0) == 0, "cannot open what was written");
	FUZZ_CHECK(evp_csvin_open(&rd, &in, &o) == 0, "header refused");
	FUZZ_CHECK(rd.header.n == width, "header of %zu read as %zu", width,
	    rd.header.n);
	for (size_t i = 0; i < nr; i++) {
		const struct evp_str *want = f + rstart[i];
		size_t n = rstart[i + 1] - rstart[i];
		const char *expect = n != width ? "column_count" :
		    is_header(want, n, h, width) ? "repeated_header" : NULL;

		FUZZ_CHECK(evp_csvin_next(&rd, &row) == 1, "row %zu lost", i);
		FUZZ_CHECK(row.line == line[i], "row %zu at line %llu, written at "
		    "%llu", i, (unsigned long long)row.line,
		    (unsigned long long)line[i]);
		if (expect != NULL) {
			FUZZ_CHECK(row.bad.reason != NULL &&
			    strcmp(row.bad.reason, expect) == 0,
			    "row %zu refused as %s, want %s", i,
			    row.bad.reason ? row.bad.reason : "nothing", expect);
			continue;
		}
		FUZZ_CHECK(row.bad.reason == NULL, "row %zu refused: %s (%s) '%s'",
		    i, row.bad.reason, row.bad.detail,
		    fuzz_show(row.raw.p, row.raw.len));
		FUZZ_CHECK(row.n == n, "row %zu: %zu fields, written %zu", i,
		    row.n, n);
		for (size_t j = 0; j < n; j++)
			FUZZ_CHECK(evp_str_eq(row.f[j], want[j].p, want[j].len),
			    "row %zu field %zu: wrote '%s', read '%s'", i, j,
			    fuzz_show(want[j].p, want[j].len),
			    fuzz_show(row.f[j].p, row.f[j].len));
	}
	FUZZ_CHECK(evp_csvin_next(&rd, &row) == 0, "more rows than written");
	evp_csvin_close(&rd);
	evp_input_close(&in);

	evp_buf_release(&text);
	free(line);
	free(h);
	free(hmem);
	free(rstart);
	free(f);
	return 0;
}
