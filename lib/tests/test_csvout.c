/*
 * Unit tests for lib/csvout: when a field is quoted (SPEC section 1), the
 * exact bytes written, and round trips through an ofile on a temporary
 * path and back through lib/csvin: the fields read are the fields
 * written, byte for byte.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "formats/csvin.h"
#include "formats/csvout.h"
#include "testutil.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/ofile.h"

/* A literal with its exact length. */
#define L(s)	s, sizeof(s) - 1

static char *tmp;
static struct evp_buf got = EVP_BUF_INIT;

static void
tmp_remove(void)
{
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
		tmp = NULL;
	}
}

/* A fresh temporary name (the file made by mkstemp is removed again). */
static const char *
tmp_path(void)
{
	int fd;

	tmp_remove();
	tmp = tu_mkstemp("csvout", &fd);
	close(fd);
	return tmp;
}

static int
teardown(void **state)
{
	(void)state;
	tmp_remove();
	evp_buf_release(&got);
	return 0;
}

/* The contents of tmp into got. */
static void
slurp(void)
{
	FILE *fp = fopen(tmp, "rb");
	char b[4096];
	size_t n;

	assert_non_null(fp);
	evp_buf_reset(&got);
	evp_buf_adds(&got, "");
	while ((n = fread(b, 1, sizeof(b), fp)) > 0)
		evp_buf_add(&got, b, n);
	fclose(fp);
}

/* ---- evp_csv_needs_quotes ---- */

struct qcase {
	const char	*s;
	size_t		 len;
	int		 sole;
	int		 want;
};

static const struct qcase qcases[] = {
	{ L("plain"), 0, 0 },
	{ L("plain"), 1, 0 },
	{ L("a,b"), 0, 1 },
	{ L(","), 1, 1 },
	{ L("say \"hi\""), 0, 1 },
	{ L("\""), 0, 1 },
	{ L("a\rb"), 0, 1 },
	{ L("\r"), 0, 1 },
	{ L("a\nb"), 0, 1 },
	{ L("\n"), 0, 1 },
	{ L("a\r\nb"), 0, 1 },
	{ L(" lead"), 0, 1 },
	{ L("trail "), 0, 1 },
	{ L("\tlead"), 0, 1 },
	{ L("trail\t"), 0, 1 },
	{ L(" "), 0, 1 },
	{ L("\t"), 0, 1 },
	{ L("in side"), 0, 0 },
	{ L("in\tside"), 0, 0 },
	{ L(""), 1, 1 },
	{ L(""), 0, 0 },
	{ L("10:05:30.25"), 0, 0 },
	{ L("caf\xC3\xA9"), 0, 0 },
	{ L("'single'"), 0, 0 },
	{ L("semi;colon"), 0, 0 },
	{ L("a\0b"), 0, 0 },
};

static void
test_needs_quotes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(qcases) / sizeof(qcases[0]); i++) {
		const struct qcase *c = &qcases[i];
		int q = evp_csv_needs_quotes(c->s, c->len, c->sole);
		if ((q != 0) != c->want)
			fail_msg("'%.*s' (sole %d): needs_quotes %d, want %d",
			    (int)c->len, c->s, c->sole, q, c->want);
	}
}

/* ---- exact output ---- */

#define S(lit)	EVP_STR(lit)

static void
test_exact_bytes(void **state)
{
	const struct evp_str r1[] = { S("a"), S(""), S("b,c"), S("say \"hi\""),
	    S(" x"), S("y\t"), S("l1\nl2"), S("cr\r"), S("\"") };
	const struct evp_str r2[] = { S("") };
	const struct evp_str r3[] = { S(""), S("") };
	const struct evp_str r4[] = { S("only") };
	const struct evp_str r5[] = { S("caf\xC3\xA9"), S("in side") };
	struct evp_ofile f;

	(void)state;
	assert_int_equal(evp_ofile_open(&f, tmp_path()), 0);
	evp_csv_put_row(&f, r1, 9);
	evp_csv_put_row(&f, r2, 1);
	evp_csv_put_row(&f, r3, 2);
	evp_csv_put_row(&f, r4, 1);
	evp_csv_put_row(&f, r5, 2);
	evp_csv_put_field(&f, "\"\"", 2, 0);
	evp_ofile_putc(&f, '\n');
	assert_int_equal(evp_ofile_commit(&f), 0);
	slurp();
	assert_string_equal(got.p,
	    "a,,\"b,c\",\"say \"\"hi\"\"\",\" x\",\"y\t\",\"l1\nl2\",\"cr\r\",\"\"\"\"\n"
	    "\"\"\n"
	    ",\n"
	    "only\n"
	    "caf\xC3\xA9,in side\n"
	    "\"\"\"\"\"\"\n");
}

/* ---- round trips ---- */

struct table {
	size_t		 ncol, nrow;
	struct evp_str	*cell;		/* nrow * ncol, row 0 the header */
	struct evp_buf	 bytes;
};

static void
table_free(struct table *t)
{
	free(t->cell);
	evp_buf_release(&t->bytes);
	t->cell = NULL;
}

/*
 * Write t with evp_csv_put_row into tmp through an ofile, read it back
 * with evp_csvin, and compare every field.
 */
static void
round_trip(const struct table *t, const char *what)
{
	struct evp_ofile f;
	struct evp_input in;
	struct evp_csvin r;
	struct evp_csvrow row;
	size_t i;
	int rc;

	assert_int_equal(evp_ofile_open(&f, tmp_path()), 0);
	for (i = 0; i < t->nrow; i++)
		evp_csv_put_row(&f, t->cell + i * t->ncol, t->ncol);
	assert_int_equal(evp_ofile_commit(&f), 0);

	assert_int_equal(evp_input_open(&in, tmp, 0), 0);
	if (evp_csvin_open(&r, &in, NULL) != 0) {
		evp_csvin_close(&r);
		evp_input_close(&in);
		fail_msg("%s: the header was not read back", what);
	}
	assert_int_equal(r.header.n, t->ncol);
	for (size_t k = 0; k < t->ncol; k++)
		if (!evp_str_eq(r.header.name[k], t->cell[k].p, t->cell[k].len))
			fail_msg("%s: header column %zu differs", what, k);
	for (i = 1; (rc = evp_csvin_next(&r, &row)) > 0; i++) {
		if (i >= t->nrow)
			fail_msg("%s: more rows read than written", what);
		if (row.bad.reason != NULL)
			fail_msg("%s: row %zu (line %llu) refused: %s: %s: %.*s", what,
			    i, (unsigned long long)row.line, row.bad.reason,
			    row.bad.detail, (int)row.raw.len, row.raw.p);
		assert_int_equal(row.n, t->ncol);
		for (size_t k = 0; k < t->ncol; k++) {
			const struct evp_str *w = &t->cell[i * t->ncol + k];
			if (!evp_str_eq(row.f[k], w->p, w->len))
				fail_msg("%s: row %zu field %zu: got '%.*s', want '%.*s'",
				    what, i, k, (int)row.f[k].len, row.f[k].p,
				    (int)w->len, w->p);
		}
	}
	evp_csvin_close(&r);
	evp_input_close(&in);
	assert_int_equal(rc, 0);
	if (i != t->nrow)
		fail_msg("%s: %zu rows read back, %zu written", what, i - 1,
		    t->nrow - 1);
}

static const char *const awkward[] = {
	"plain", "", "a,b", ",", ",,", "\"", "\"\"", "say \"hi\"", "\"quoted\"",
	"l1\nl2", "\n", "\n\n", "l1\r\nl2", "\r\n", "\r", "cr\r", "\rcr",
	" ", "  ", " lead", "trail ", "\t", "\ttab", "tab\t", " both ",
	"in side", "caf\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80",
	"\xEF\xBB\xBF" "bom", "\",\n\r \t", "a\"\nb\"\r\n,\"", "10:05",
	"\"\n", "\n\"", "x\"", "\"x",
};
#define NAWK	(sizeof(awkward) / sizeof(awkward[0]))

static struct evp_str
str(const char *s)
{
	return (struct evp_str){ s, strlen(s) };
}

/* Rows of awkward fields, in every column position. */
static void
test_round_trip_awkward(void **state)
{
	struct table t = { 4, 1 + NAWK * 4, NULL, EVP_BUF_INIT };

	(void)state;
	t.cell = calloc(t.ncol * t.nrow, sizeof(*t.cell));
	assert_non_null(t.cell);
	t.cell[0] = str("eventId");
	t.cell[1] = str("with space ");
	t.cell[2] = str("\"quoted, name\"");
	t.cell[3] = str("last");
	for (size_t i = 0; i < NAWK * 4; i++)
		for (size_t k = 0; k < 4; k++)
			t.cell[(1 + i) * 4 + k] = str(k == i % 4 ?
			    awkward[i / 4] : awkward[(i + k * 7) % NAWK]);
	round_trip(&t, "awkward");
	table_free(&t);
}

/* One column: an empty field must still make a record. */
static void
test_round_trip_one_column(void **state)
{
	struct table t = { 1, 1 + NAWK, NULL, EVP_BUF_INIT };

	(void)state;
	t.cell = calloc(t.nrow, sizeof(*t.cell));
	assert_non_null(t.cell);
	t.cell[0] = str("only");
	for (size_t i = 0; i < NAWK; i++)
		t.cell[1 + i] = str(awkward[i]);
	round_trip(&t, "one column");
	table_free(&t);
}

/* Many columns, wide fields. */
static void
test_round_trip_many_fields(void **state)
{
	struct table t = { 300, 21, NULL, EVP_BUF_INIT };
	char *names;

	(void)state;
	t.cell = calloc(t.ncol * t.nrow, sizeof(*t.cell));
	names = malloc(t.ncol * 24);
	assert_non_null(t.cell);
	assert_non_null(names);
	for (size_t k = 0; k < t.ncol; k++) {
		snprintf(names + 24 * k, 24, "c%zu", k);
		t.cell[k] = str(names + 24 * k);
	}
	for (size_t i = 1; i < t.nrow; i++)
		for (size_t k = 0; k < t.ncol; k++) {
			const char *a = awkward[(i * 31 + k * 17) % NAWK];
			/* Few line ends: csvin bounds a record's lines. */
			if (strchr(a, '\n') != NULL && k % 16 != 0)
				a = "x";
			t.cell[i * t.ncol + k] = str(a);
		}
	round_trip(&t, "300 columns");
	free(names);
	table_free(&t);
}

static uint64_t rng = 0x853C49E6748FEA9Bu;

static uint64_t
rnd(void)
{
	return tu_rnd(&rng);
}

/* A few thousand generated rows of random awkward bytes (fixed seed). */
static void
test_round_trip_random(void **state)
{
	static const char *const piece[] = {
		"a", "Z", "0", ",", "\"", "\"\"", " ", "\t", "\n", "\r\n", "\r",
		"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", ";", "'", "=", "#",
	};
	struct table t = { 8, 4001, NULL, EVP_BUF_INIT };
	size_t *off;

	(void)state;
	t.cell = calloc(t.ncol * t.nrow, sizeof(*t.cell));
	off = calloc(t.ncol * t.nrow, 2 * sizeof(*off));
	assert_non_null(t.cell);
	assert_non_null(off);
	for (size_t k = 0; k < t.ncol; k++) {
		off[2 * k] = t.bytes.len;
		evp_buf_printf(&t.bytes, "col%zu", k);
		off[2 * k + 1] = t.bytes.len - off[2 * k];
	}
	for (size_t i = t.ncol; i < t.ncol * t.nrow; i++) {
		size_t n = rnd() % 4 == 0 ? 0 : rnd() % 12;
		off[2 * i] = t.bytes.len;
		for (size_t k = 0; k < n; k++) {
			const char *p = piece[rnd() % (sizeof(piece) / sizeof(piece[0]))];
			evp_buf_adds(&t.bytes, p);
		}
		off[2 * i + 1] = t.bytes.len - off[2 * i];
	}
	/* The buffer moved while it grew: point the cells in now. */
	for (size_t i = 0; i < t.ncol * t.nrow; i++)
		t.cell[i] = (struct evp_str){ t.bytes.p + off[2 * i], off[2 * i + 1] };
	free(off);
	round_trip(&t, "random");
	table_free(&t);
}

/* The sink writes the header, then each record. */
static void
test_sink(void **state)
{
	const struct evp_str names[] = { S("id"), S("note") };
	const struct evp_header h = { 2, names, { NULL, 0 }, 0, NULL };
	const struct evp_str f1[] = { S("1"), S("a, b") };
	const struct evp_str f2[] = { S("2"), S("") };
	const struct evp_rec r1 = { 2, f1, { NULL, 0 }, { NULL, 0 } };
	const struct evp_rec r2 = { 2, f2, { NULL, 0 }, { NULL, 0 } };
	struct evp_ofile f;
	struct evp_csvsink s;

	(void)state;
	assert_int_equal(evp_ofile_open(&f, tmp_path()), 0);
	evp_csvsink_init(&s, &f);
	assert_int_equal(evp_sink_start(&s.sink, &h), 0);
	assert_int_equal(evp_sink_put(&s.sink, &r1), 0);
	assert_int_equal(evp_sink_put(&s.sink, &r2), 0);
	assert_int_equal(evp_sink_end(&s.sink), 0);
	assert_int_equal(s.rows, 2);
	assert_int_equal(evp_ofile_commit(&f), 0);
	slurp();
	assert_string_equal(got.p, "id,note\n1,\"a, b\"\n2,\n");
}

/* evp_csv_buf_field quotes exactly as evp_csv_put_field does. */
static void
test_buf_field(void **state)
{
	struct evp_buf b = EVP_BUF_INIT;
	struct evp_ofile f;

	(void)state;
	assert_int_equal(evp_ofile_open(&f, tmp_path()), 0);
	for (size_t i = 0; i < NAWK; i++)
		for (int sole = 0; sole < 2; sole++) {
			evp_csv_put_field(&f, awkward[i], strlen(awkward[i]), sole);
			evp_ofile_putc(&f, '|');
			evp_csv_buf_field(&b, awkward[i], strlen(awkward[i]), sole);
			evp_buf_addc(&b, '|');
		}
	assert_int_equal(evp_ofile_commit(&f), 0);
	slurp();
	int same = got.len == b.len && memcmp(got.p, b.p, b.len) == 0;
	evp_buf_release(&b);
	assert_true(same);
}

/* TSV: a field with a tab is quoted, one with a comma is not. */
static void
test_tab_delimiter(void **state)
{
	const struct evp_str r1[] = { S("a,b"), S("x\ty"), S("say \"hi\""),
	    S(""), S("l1\nl2"), S("in side") };
	const struct evp_str r2[] = { S("") };
	struct evp_ofile f;

	(void)state;
	assert_false(evp_csv_needs_quotes_d("a,b", 3, 0, '\t'));
	assert_true(evp_csv_needs_quotes_d("a\tb", 3, 0, '\t'));
	assert_true(evp_csv_needs_quotes_d("a;b", 3, 0, ';'));
	assert_false(evp_csv_needs_quotes_d("a;b", 3, 0, ','));
	assert_true(evp_csv_needs_quotes_d("", 0, 1, '\t'));
	assert_int_equal(evp_ofile_open(&f, tmp_path()), 0);
	evp_csv_put_row_d(&f, r1, 6, '\t');
	evp_csv_put_row_d(&f, r2, 1, '\t');
	assert_int_equal(evp_ofile_commit(&f), 0);
	slurp();
	assert_string_equal(got.p,
	    "a,b\t\"x\ty\"\t\"say \"\"hi\"\"\"\t\t\"l1\nl2\"\tin side\n"
	    "\"\"\n");

	/* The spreadsheet prefix quotes as the delimiter says. */
	struct evp_buf b = EVP_BUF_INIT;
	evp_sheet.safe = 1;
	evp_csv_buf_field_d(&b, "=a,b", 4, 0, '\t');
	evp_csv_buf_field_d(&b, "=a\tb", 4, 0, '\t');
	evp_sheet.safe = 0;
	assert_string_equal(b.p, "'=a,b\"'=a\tb\"");
	evp_buf_release(&b);
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_needs_quotes),
		T(test_exact_bytes),
		T(test_tab_delimiter),
		T(test_round_trip_awkward),
		T(test_round_trip_one_column),
		T(test_round_trip_many_fields),
		T(test_round_trip_random),
		T(test_sink),
		T(test_buf_field),
	};

	evp_diag_init("test_csvout");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
