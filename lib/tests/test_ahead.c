/*
 * Unit tests for lib/ahead: CSV read ahead on a thread must give exactly
 * the rows of evp_csvin.
 *
 * Differential: each input is written to a temporary file and read both
 * with evp_input + evp_csvin and with evp_ahead, in step, and every row
 * is compared: the return value, the line, the verdict (reason and
 * detail), the raw text of a refused row, the fields of a good one (ahead
 * gives no fields for a refused row, so they are compared only for good
 * rows), and the final 0 or -1.  The inputs come from a generator of
 * good and damaged CSV under various limits, plus large inputs spanning
 * many of the reader's 256 KiB batches, rows over 256 KiB, and truncated
 * gzip; each read through evp_ahead_open or evp_ahead_start, keeping the
 * text of good rows or not (when kept, it is compared too).  The rest
 * covers opening a missing or empty file and closing the reader early,
 * which must neither crash nor leak nor leave a thread running.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "formats/ahead.h"
#include "core/buf.h"
#include "formats/csvin.h"
#include "core/diag.h"
#include "core/input.h"
#include "testutil.h"

static char *tmp;
static struct evp_buf data = EVP_BUF_INIT;
static struct evp_buf msg = EVP_BUF_INIT;

static void
tmp_remove(void)
{
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
		tmp = NULL;
	}
}

/* A fresh temporary file name, the file created empty. */
static void
tmp_new(void)
{
	int fd;

	tmp_remove();
	tmp = tu_mkstemp("ahead", &fd);
	close(fd);
}

/* Write p[0..n) to tmp, replacing what it held. */
static void
tmp_write(const char *p, size_t n)
{
	FILE *fp;

	if (tmp == NULL)
		tmp_new();
	fp = fopen(tmp, "wb");
	assert_non_null(fp);
	if (n > 0)
		assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* The same gzip-compressed with zlib's gz* writer; its size returned. */
static long
tmp_write_gz(const char *p, size_t n)
{
	gzFile gf;
	FILE *fp;
	long size;

	if (tmp == NULL)
		tmp_new();
	gf = gzopen(tmp, "wb");
	assert_non_null(gf);
	while (n > 0) {
		unsigned k = n > (1u << 20) ? 1u << 20 : (unsigned)n;
		assert_int_equal(gzwrite(gf, p, k), (int)k);
		p += k;
		n -= k;
	}
	assert_int_equal(gzclose(gf), Z_OK);
	fp = fopen(tmp, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	fclose(fp);
	return size;
}

static int
teardown(void **state)
{
	(void)state;
	tmp_remove();
	evp_buf_release(&data);
	evp_buf_release(&msg);
	return 0;
}

/* ---- the comparison ---- */

/* The input, escaped, for a failure message (its start if it is big). */
static const char *
shown_input(void)
{
	evp_buf_reset(&msg);
	if (data.len <= 4096)
		tu_escape(&msg, data.p, data.len);
	else {
		tu_escape(&msg, data.p, 2048);
		evp_buf_printf(&msg, "... (%zu bytes)", data.len);
	}
	return msg.p;
}

static const char *
esc(struct evp_buf *b, const char *p, size_t n)
{
	evp_buf_reset(b);
	evp_buf_adds(b, "");
	if (n > 300) {
		tu_escape(b, p, 300);
		evp_buf_printf(b, "... (%zu bytes)", n);
	} else
		tu_escape(b, p, n);
	return b->p;
}

/* How to open the reader: keep the raw text, on an input opened here. */
#define M_RAW	1
#define M_START	2

/* evp_ahead_open, or evp_input_open then evp_ahead_start (M_START). */
static struct evp_ahead *
open_ahead(const char *path, size_t maxline, const struct evp_csvin_opts *o,
    int mode, const struct evp_header **h)
{
	struct evp_input in;

	if (!(mode & M_START))
		return evp_ahead_open(path, maxline, o, mode & M_RAW, h);
	if (evp_input_open(&in, path, maxline) < 0)
		return NULL;
	return evp_ahead_start(&in, o, mode & M_RAW, h);
}

struct outcome {
	long	rows;		/* rows compared */
	long	refused;	/* of which refused */
	int	rc;		/* the last next: 0 or -1; 2: the open failed */
};

/*
 * Read tmp both ways, in step, and fail at the first difference.  what
 * names the input in messages.
 */
static struct outcome
compare_tmp(const char *what, size_t maxline, const struct evp_csvin_opts *o,
    int mode)
{
	struct outcome out = { 0, 0, 2 };
	struct evp_input in;
	struct evp_csvin r;
	struct evp_csvrow x, y;
	const struct evp_header *h = NULL;
	struct evp_buf e1 = EVP_BUF_INIT, e2 = EVP_BUF_INIT;
	int opened = evp_input_open(&in, tmp, maxline) == 0;
	int hrc = -1;

	if (opened) {
		hrc = evp_csvin_open(&r, &in, o);
		if (hrc < 0) {
			evp_csvin_close(&r);
			evp_input_close(&in);
		}
	}
	struct evp_ahead *a = open_ahead(tmp, maxline, o, mode, &h);
	if (hrc < 0) {
		if (a != NULL) {
			evp_ahead_close(a);
			fail_msg("%s (mode %d): evp_csvin_open failed, evp_ahead "
			    "did not; input: %s", what, mode, shown_input());
		}
		return out;
	}
	if (a == NULL)
		fail_msg("%s (mode %d): evp_ahead failed to open, evp_csvin_open "
		    "did not; input: %s", what, mode, shown_input());

	/* The header. */
	assert_non_null(h);
	if (h->n != r.header.n || h->at.line != r.header.at.line)
		fail_msg("%s: header of %zu columns at line %llu, csvin %zu at "
		    "%llu; input: %s", what, h->n, (unsigned long long)h->at.line,
		    r.header.n, (unsigned long long)r.header.at.line,
		    shown_input());
	if ((h->at.source == NULL) != (r.header.at.source == NULL) ||
	    (h->at.source != NULL && strcmp(h->at.source, r.header.at.source)))
		fail_msg("%s: header source differs", what);
	for (size_t i = 0; i < h->n; i++)
		if (!evp_str_eq(h->name[i], r.header.name[i].p,
		    r.header.name[i].len))
			fail_msg("%s: header column %zu is [%s], csvin [%s]", what, i,
			    esc(&e1, h->name[i].p, h->name[i].len),
			    esc(&e2, r.header.name[i].p, r.header.name[i].len));

	for (;;) {
		memset(&x, 0xA5, sizeof(x));
		memset(&y, 0x5A, sizeof(y));
		int rx = evp_csvin_next(&r, &x);
		int ry = evp_ahead_next(a, &y);
		if (rx != ry)
			fail_msg("%s: row %ld: evp_ahead_next gave %d, evp_csvin_next "
			    "%d (csvin at line %llu); input: %s", what, out.rows, ry,
			    rx, rx > 0 ? (unsigned long long)x.line : 0ull,
			    shown_input());
		if (rx <= 0) {
			out.rc = rx;
			break;
		}
		if (x.line != y.line)
			fail_msg("%s: row %ld: line %llu, csvin %llu; input: %s", what,
			    out.rows, (unsigned long long)y.line,
			    (unsigned long long)x.line, shown_input());
		if ((x.bad.reason == NULL) != (y.bad.reason == NULL) ||
		    (x.bad.reason != NULL && strcmp(x.bad.reason, y.bad.reason)))
			fail_msg("%s: line %llu: reason %s, csvin %s; input: %s", what,
			    (unsigned long long)x.line,
			    y.bad.reason ? y.bad.reason : "(none)",
			    x.bad.reason ? x.bad.reason : "(none)", shown_input());
		if (x.bad.reason != NULL) {
			if (strcmp(x.bad.detail, y.bad.detail) != 0)
				fail_msg("%s: line %llu: detail '%s', csvin '%s'", what,
				    (unsigned long long)x.line, y.bad.detail,
				    x.bad.detail);
			if (!evp_str_eq(y.raw, x.raw.p, x.raw.len))
				fail_msg("%s: line %llu (%s): raw {%s}, csvin {%s}",
				    what, (unsigned long long)x.line, x.bad.reason,
				    esc(&e1, y.raw.p, y.raw.len),
				    esc(&e2, x.raw.p, x.raw.len));
			out.refused++;
		} else {
			if (x.n != y.n)
				fail_msg("%s: line %llu: %zu fields, csvin %zu; input: %s",
				    what, (unsigned long long)x.line, y.n, x.n,
				    shown_input());
			for (size_t i = 0; i < x.n; i++)
				if (!evp_str_eq(y.f[i], x.f[i].p, x.f[i].len))
					fail_msg("%s: line %llu: field %zu [%s], csvin [%s]",
					    what, (unsigned long long)x.line, i,
					    esc(&e1, y.f[i].p, y.f[i].len),
					    esc(&e2, x.f[i].p, x.f[i].len));
			if ((mode & M_RAW) && !evp_str_eq(y.raw, x.raw.p, x.raw.len))
				fail_msg("%s: line %llu: raw {%s}, csvin {%s}", what,
				    (unsigned long long)x.line,
				    esc(&e1, y.raw.p, y.raw.len),
				    esc(&e2, x.raw.p, x.raw.len));
		}
		out.rows++;
	}
	/* At the end it stays at the end. */
	struct evp_csvrow z;
	assert_int_equal(evp_ahead_next(a, &z), out.rc);
	evp_ahead_close(a);
	evp_csvin_close(&r);
	evp_input_close(&in);
	evp_buf_release(&e1);
	evp_buf_release(&e2);
	return out;
}

/* ---- the generator ---- */

static uint64_t rng = 0xA4EAD5EED0000001u;

static uint64_t
rnd(void)
{
	return tu_rnd(&rng);
}

static void
add_plain(struct evp_buf *b, size_t len)
{
	static const char al[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:";

	for (size_t i = 0; i < len; i++)
		evp_buf_addc(b, al[rnd() % (sizeof(al) - 1)]);
}

static void
gen_field(struct evp_buf *b)
{
	switch (rnd() % 13) {
	case 0:
		break;					/* empty */
	case 1: case 2: case 3:
		add_plain(b, 1 + rnd() % 10);
		break;
	case 4:						/* embedded comma */
		evp_buf_addc(b, '"');
		add_plain(b, rnd() % 5);
		evp_buf_addc(b, ',');
		add_plain(b, rnd() % 5);
		evp_buf_addc(b, '"');
		break;
	case 5:						/* doubled quotes */
		evp_buf_adds(b, "\"he said \"\"");
		add_plain(b, rnd() % 4);
		evp_buf_adds(b, "\"\"\"");
		break;
	case 6:						/* newline inside */
		evp_buf_addc(b, '"');
		add_plain(b, rnd() % 4);
		evp_buf_addc(b, '\n');
		add_plain(b, rnd() % 4);
		evp_buf_addc(b, '"');
		break;
	case 7:						/* CRLF inside */
		evp_buf_adds(b, "\"x\r\n");
		add_plain(b, rnd() % 4);
		evp_buf_addc(b, '"');
		break;
	case 8:
		evp_buf_adds(b, rnd() % 2 ? " a\t" : "  ");
		break;
	case 9:
		evp_buf_adds(b, "\xC3\xA9\xE6\x97\xA5");
		break;
	case 10:
		evp_buf_adds(b, "\"\"");
		break;
	case 11: {					/* several lines */
		size_t nl = 1 + rnd() % 6;
		evp_buf_addc(b, '"');
		for (size_t i = 0; i < nl; i++) {
			add_plain(b, rnd() % 3);
			evp_buf_adds(b, rnd() % 4 ? "\n" : "\r\n");
		}
		evp_buf_addc(b, '"');
		break;
	}
	case 12:					/* long */
		add_plain(b, 20 + rnd() % 80);
		break;
	}
}

struct gen {
	size_t	 ncols;
	int	 eol;		/* 0 LF, 1 CRLF, 2 mixed */
	size_t	 hdr_off, hdr_len;	/* the header line in data */
};

static void
add_eol(struct evp_buf *b, const struct gen *g)
{
	int crlf = g->eol == 1 || (g->eol == 2 && rnd() % 2);

	evp_buf_adds(b, crlf ? "\r\n" : "\n");
}

static void
gen_row(struct evp_buf *b, const struct gen *g)
{
	static const char *const junk[] = {
		"a", "bb", ",", ",", "\"", "\"\"", " ", "\t", "\r", "x y", "\0",
		"\n", "\r\n",
	};
	unsigned k = (unsigned)(rnd() % 100);

	if (k < 65) {				/* a row, maybe a field off */
		size_t n = g->ncols;
		if (rnd() % 20 == 0)
			n = rnd() % 2 || n == 1 ? n + 1 : n - 1;
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				evp_buf_addc(b, ',');
			gen_field(b);
		}
	} else if (k < 70) {			/* blank */
		static const char *const bl[] = { "", " ", "\t \t" };
		evp_buf_adds(b, bl[rnd() % 3]);
	} else if (k < 73) {			/* the header again */
		if (rnd() % 4 == 0)
			evp_buf_adds(b, "\xEF\xBB\xBF");
		evp_buf_add(b, data.p + g->hdr_off, g->hdr_len);
	} else if (k < 83) {			/* junk */
		size_t n = 1 + rnd() % 8;
		for (size_t i = 0; i < n; i++) {
			const char *t = junk[rnd() % (sizeof(junk) / sizeof(junk[0]))];
			evp_buf_add(b, t, t[0] ? strlen(t) : 1);
		}
	} else if (k < 86) {			/* a NUL byte, maybe quoted */
		size_t at = (size_t)(rnd() % g->ncols);
		for (size_t i = 0; i < g->ncols; i++) {
			if (i > 0)
				evp_buf_addc(b, ',');
			if (i == at) {
				if (rnd() % 2)
					evp_buf_add(b, "x\0y", 3);
				else
					evp_buf_add(b, "\"\0,\n\"", 5);
			} else
				gen_field(b);
		}
	} else if (k < 90) {			/* a long line */
		size_t len = 100 + rnd() % 3000;
		for (size_t i = 0; i < g->ncols; i++) {
			if (i > 0)
				evp_buf_addc(b, ',');
			add_plain(b, len / g->ncols);
		}
	} else if (k < 94) {			/* a stray quote */
		static const char *const sq[] = {
			"\"ab\"c", "x\"y", "\"x\" ", "a\"\"b",
		};
		for (size_t i = 0; i < g->ncols; i++) {
			if (i > 0)
				evp_buf_addc(b, ',');
			if (i == 0)
				evp_buf_adds(b, sq[rnd() % 4]);
			else
				gen_field(b);
		}
	} else if (k < 97) {			/* a quote never closed on its line */
		evp_buf_addc(b, '"');
		add_plain(b, rnd() % 6);
		for (size_t i = 1; i < g->ncols; i++)
			evp_buf_addc(b, ',');
	} else {				/* a bare CR */
		add_plain(b, 1 + rnd() % 4);
		evp_buf_addc(b, '\r');
		add_plain(b, rnd() % 4);
		for (size_t i = 1; i < g->ncols; i++)
			evp_buf_addc(b, ',');
	}
}

/* A header then nrows generated rows into data (reset first). */
static void
gen_csv(size_t nrows)
{
	struct gen g = { 1 + rnd() % 5, (int)(rnd() % 3), 0, 0 };

	evp_buf_reset(&data);
	evp_buf_adds(&data, "");
	if (rnd() % 8 == 0)
		evp_buf_adds(&data, "\xEF\xBB\xBF");
	if (rnd() % 8 == 0)
		evp_buf_adds(&data, rnd() % 2 ? "\n" : " \r\n");
	g.hdr_off = data.len;
	for (size_t i = 0; i < g.ncols; i++) {
		if (i > 0)
			evp_buf_addc(&data, ',');
		if (rnd() % 4)
			evp_buf_printf(&data, "col%zu", i);
		else
			evp_buf_printf(&data, "\"c,%zu\"", i);
	}
	if (rnd() % 40 == 0)				/* a header csvin refuses */
		evp_buf_adds(&data, rnd() % 2 ? ",x\"y" : ",col0,col0");
	g.hdr_len = data.len - g.hdr_off;
	for (size_t i = 0; i < nrows; i++) {
		add_eol(&data, &g);
		gen_row(&data, &g);
	}
	if (rnd() % 3)
		add_eol(&data, &g);
}

/* ---- tests ---- */

static void
test_random_inputs(void **state)
{
	long rows = 0, refused = 0, failed_open = 0;
	char what[64];

	(void)state;
	for (int iter = 0; iter < 1200; iter++) {
		size_t maxline = rnd() % 3 == 0 ? 24 + rnd() % 200 : 0;
		struct evp_csvin_opts o = { 0, 0, 0 };
		if (rnd() % 3 == 0)
			o.maxfield = 4 + rnd() % 40;
		if (rnd() % 3 == 0)
			o.maxrowlines = 1 + rnd() % 5;
		gen_csv(rnd() % 40);
		tmp_write(data.p, data.len);
		snprintf(what, sizeof(what), "input %d", iter);
		struct outcome out = compare_tmp(what, maxline, &o, iter % 4);
		if (out.rc == 2)
			failed_open++;
		else
			assert_int_equal(out.rc, 0);
		rows += out.rows;
		refused += out.refused;
	}
	/* The generator reaches what it is meant to. */
	assert_true(rows > 10000);
	assert_true(refused > 2000);
	assert_true(failed_open < 400);
}

/* Each refusal reason at least once, through both readers. */
static void
test_every_reason(void **state)
{
	static const struct {
		const char	*text;
		size_t		 len;
		size_t		 maxline;
		size_t		 maxfield;
		size_t		 maxrowlines;
	} cases[] = {
#define C(s, ml, mf, mr)	{ s, sizeof(s) - 1, ml, mf, mr }
		C("a,b\n\"ab\"c,d\n1,2\n", 0, 0, 0),
		C("a,b\n1,2,3\n1\n4,5\n", 0, 0, 0),
		C("a,b\naaaaaaaaaaaaaaaaaaaa,x\n1,2\n", 0, 16, 0),
		C("a,b\n\"p\nq\nr\ns\",2\n5,6\n", 0, 0, 3),
		C("a,b\n1,\0\n3,4\n", 0, 0, 0),
		C("a,b\n1,2\na,b\n\xEF\xBB\xBF" "a,b\n3,4\n", 0, 0, 0),
		C("a,b\n0123456789012345678901234567890123456789,x\n3,4\n", 32, 0,
		    0),
		C("a,b\n\"x\n0123456789012345678901234567890123456789\",x\n5,6\n",
		    32, 0, 0),
		C("a,b\n1,2\n\"x,3", 0, 0, 0),
		C("a,b\n1\r2,3\n4,5\n", 0, 0, 0),
		C("a,b\r\n\"x,1\r\n2,3\r\n\"y\",z\r\n4,5\r\n", 0, 0, 0),
#undef C
	};
	static const char *const reasons[] = {
		"csv_syntax", "column_count", "field_too_long", "row_too_long",
		"nul_byte", "repeated_header", "line_too_long",
	};
	long seen[7] = { 0 };
	char what[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evp_csvin_opts o = { cases[i].maxfield, cases[i].maxrowlines, 0 };
		evp_buf_reset(&data);
		evp_buf_add(&data, cases[i].text, cases[i].len);
		tmp_write(data.p, data.len);
		snprintf(what, sizeof(what), "case %zu", i);
		struct outcome out = compare_tmp(what, cases[i].maxline, &o,
		    (int)i % 4);
		assert_int_equal(out.rc, 0);
		assert_true(out.refused > 0);

		/* Which reasons: read once more with ahead alone. */
		const struct evp_header *h;
		struct evp_csvrow row;
		struct evp_ahead *a = evp_ahead_open(tmp, cases[i].maxline, &o, 0,
		    &h);
		assert_non_null(a);
		while (evp_ahead_next(a, &row) > 0)
			for (size_t k = 0; k < 7 && row.bad.reason; k++)
				if (strcmp(row.bad.reason, reasons[k]) == 0)
					seen[k]++;
		evp_ahead_close(a);
	}
	for (size_t k = 0; k < 7; k++)
		if (seen[k] == 0)
			fail_msg("no row refused as %s", reasons[k]);
}

/* Many rows: dozens of batches handed over between the threads. */
static void
test_many_batches(void **state)
{
	char what[64];

	(void)state;
	for (int iter = 0; iter < 6; iter++) {
		struct evp_csvin_opts o = { 0, iter % 2 ? 3 : 0, 0 };
		gen_csv(30000 + rnd() % 30000);
		assert_true(data.len > 4 * 256 * 1024);
		tmp_write(data.p, data.len);
		snprintf(what, sizeof(what), "big input %d", iter);
		struct outcome out = compare_tmp(what, iter == 5 ? 200 : 0, &o,
		    iter % 4);
		assert_int_equal(out.rc, 0);
		assert_true(out.rows > 25000);
	}

	/* Only good rows, all alike but for their numbers. */
	evp_buf_reset(&data);
	evp_buf_adds(&data, "id,text,n\n");
	for (int i = 0; i < 100000; i++)
		evp_buf_printf(&data, "%d,\"row %d, \"\"q\"\"\",%x\n", i, i, i * 31);
	tmp_write(data.p, data.len);
	struct outcome out = compare_tmp("uniform rows", 0, NULL, M_RAW);
	assert_int_equal(out.rc, 0);
	assert_int_equal(out.rows, 100000);
	assert_int_equal(out.refused, 0);
}

/* Rows, good and refused, each bigger than a whole batch. */
static void
test_rows_over_a_batch(void **state)
{
	struct outcome out;

	(void)state;
	/* A good row with a 300 KB field over many lines, amid others. */
	evp_buf_reset(&data);
	evp_buf_adds(&data, "a,b,c\n");
	for (int i = 0; i < 5000; i++)
		evp_buf_printf(&data, "%d,x%d,y\n", i, i);
	evp_buf_adds(&data, "big,\"");
	for (int i = 0; i < 300 * 1024; i++)
		evp_buf_addc(&data, i % 997 == 996 ? '\n' : i % 89 == 0 ? ',' :
		    'a' + i % 26);
	evp_buf_adds(&data, "\",end\n");
	for (int i = 0; i < 5000; i++)
		evp_buf_printf(&data, "%d,x%d,y\n", i, i);
	/* Two big rows in a row, then one right at the end. */
	evp_buf_adds(&data, "1,");
	add_plain(&data, 270 * 1024);
	evp_buf_adds(&data, ",2\n3,");
	add_plain(&data, 260 * 1024);
	evp_buf_adds(&data, ",4\nlast,");
	add_plain(&data, 257 * 1024);
	evp_buf_adds(&data, ",z");
	tmp_write(data.p, data.len);
	struct evp_csvin_opts o = { 0, 1000, 0 };
	for (int mode = 0; mode < 4; mode += 3) {
		out = compare_tmp("300 KB field", 0, &o, mode);
		assert_int_equal(out.rc, 0);
		assert_int_equal(out.rows, 10004);
		assert_int_equal(out.refused, 0);
	}

	/*
	 * Refused rows over 256 KiB: a field over maxfield (refused whole,
	 * raw and all) and a line over maxline (raw holds its start).
	 */
	evp_buf_reset(&data);
	evp_buf_adds(&data, "a,b\n1,2\n\"");
	for (int i = 0; i < 600 * 1024; i++)
		evp_buf_addc(&data, i % 5000 == 4999 ? '\n' : 'q');
	evp_buf_adds(&data, "\",x\n3,4\n5,");
	add_plain(&data, 500 * 1024);
	evp_buf_adds(&data, "\n6,7\n");
	tmp_write(data.p, data.len);
	o = (struct evp_csvin_opts){ 512 * 1024, 1000, 0 };
	for (int mode = 0; mode < 4; mode += 3) {
		out = compare_tmp("refused big rows", 400 * 1024, &o, mode);
		assert_int_equal(out.rc, 0);
		assert_true(out.refused >= 2);
	}
}

/* A gzip'd input: whole, the same rows; cut short, the same rows then -1. */
static void
test_truncated_gzip(void **state)
{
	char what[64];

	(void)state;
	gen_csv(40000);
	long size = tmp_write_gz(data.p, data.len);
	struct outcome whole = compare_tmp("whole gzip", 0, NULL, M_RAW);
	assert_int_equal(whole.rc, 0);
	assert_true(size > 100000);

	const long cuts[] = { size / 2, size / 3, size - 1, size - 8, size - 9,
	    4000, 200, 30, 12 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		tmp_write_gz(data.p, data.len);
		assert_int_equal(truncate(tmp, cuts[i]), 0);
		snprintf(what, sizeof(what), "gzip cut to %ld of %ld bytes",
		    cuts[i], size);
		struct outcome out = compare_tmp(what, 0, NULL, (int)i % 4);
		if (cuts[i] >= 4000) {
			if (out.rc != -1)
				fail_msg("%s: ended with %d after %ld rows, want -1",
				    what, out.rc, out.rows);
			if (cuts[i] >= size / 3)
				assert_true(out.rows > 0);
			assert_true(out.rows <= whole.rows);
		} else
			assert_true(out.rc != 0);
	}
}

static void
test_missing_file(void **state)
{
	const struct evp_header *h = NULL;

	(void)state;
	tmp_new();
	char *gone = strdup(tmp);
	assert_non_null(gone);
	tmp_remove();
	assert_null(evp_ahead_open(gone, 0, NULL, 0, &h));
	free(gone);
	assert_null(evp_ahead_open("/nonexistent-evp-dir/none.csv", 0, NULL, 1,
	    &h));
}

static void
test_empty_file(void **state)
{
	const struct evp_header *h = NULL;
	struct evp_csvrow row;
	struct evp_ahead *a;

	(void)state;
	tmp_write("", 0);
	a = evp_ahead_open(tmp, 0, NULL, 0, &h);
	assert_non_null(a);
	assert_non_null(h);
	assert_int_equal(h->n, 0);
	assert_int_equal(evp_ahead_next(a, &row), 0);
	assert_int_equal(evp_ahead_next(a, &row), 0);
	evp_ahead_close(a);

	/* Blank lines only, and a header only: no rows either. */
	tmp_write("\n \n\r\n", 5);
	a = open_ahead(tmp, 0, NULL, M_START, &h);
	assert_non_null(a);
	assert_int_equal(h->n, 0);
	assert_int_equal(evp_ahead_next(a, &row), 0);
	evp_ahead_close(a);
	tmp_write("x,y\n", 4);
	a = open_ahead(tmp, 0, NULL, M_START | M_RAW, &h);
	assert_non_null(a);
	assert_int_equal(h->n, 2);
	assert_true(evp_str_eqs(h->name[1], "y"));
	assert_int_equal(evp_ahead_next(a, &row), 0);
	evp_ahead_close(a);

	/* A bad header: NULL, as evp_csvin_open fails. */
	tmp_write("a,\"b\n1,2\n", 9);
	assert_null(evp_ahead_open(tmp, 0, NULL, 0, &h));
	assert_null(open_ahead(tmp, 0, NULL, M_START, &h));	/* input closed */
}

/* Threads of this process, from /proc/self/task (-1 if unreadable). */
static int
nthreads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Wait until the process is back to base threads: ahead's have ended. */
static void
threads_settle(int base, const char *what)
{
	if (base < 0)
		return;
	for (int i = 0; i < 2000; i++) {
		if (nthreads() <= base)
			return;
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	fail_msg("%s: a reading thread still runs 10 s after close (%d threads, "
	    "%d before)", what, nthreads(), base);
}

static void
test_close_early(void **state)
{
	const struct evp_header *h;
	struct evp_csvrow row;
	struct evp_ahead *a;
	int base = nthreads();

	(void)state;
	evp_ahead_close(NULL);

	evp_buf_reset(&data);
	evp_buf_adds(&data, "id,text\n");
	for (int i = 0; i < 200000; i++)
		evp_buf_printf(&data, "%d,\"t%d\nmore\"\n", i, i);
	tmp_write(data.p, data.len);

	/* Never read. */
	a = open_ahead(tmp, 0, NULL, M_START, &h);
	assert_non_null(a);
	assert_int_equal(h->n, 2);
	evp_ahead_close(a);
	threads_settle(base, "never read");

	/* One row, then close, many times over: the thread at any point. */
	for (int i = 0; i < 40; i++) {
		a = open_ahead(tmp, 0, NULL, i % 4, &h);
		assert_non_null(a);
		assert_int_equal(evp_ahead_next(a, &row), 1);
		assert_int_equal(row.line, 2);
		assert_null(row.bad.reason);
		assert_true(evp_str_eqs(row.f[0], "0"));
		assert_true(evp_str_eqs(row.f[1], "t0\nmore"));
		if (i % 4 == 1) {
			struct timespec ts = { 0, (long)(rnd() % 3000000) };
			nanosleep(&ts, NULL);
		}
		evp_ahead_close(a);
	}
	threads_settle(base, "one row");

	/* Some batches in, with the reader ahead or blocked. */
	for (int stop = 1000; stop <= 150000; stop *= 4) {
		a = open_ahead(tmp, 0, NULL, stop % 3, &h);
		assert_non_null(a);
		for (int i = 0; i < stop; i++) {
			assert_int_equal(evp_ahead_next(a, &row), 1);
			assert_int_equal(row.line, 2 + 2 * (uint64_t)i);
		}
		if (stop == 4000) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);	/* the reader fills its batches */
		}
		evp_ahead_close(a);
	}
	threads_settle(base, "some batches");

	/* To the end, then close. */
	a = open_ahead(tmp, 0, NULL, M_RAW | M_START, &h);
	assert_non_null(a);
	long n = 0;
	int rc;
	while ((rc = evp_ahead_next(a, &row)) > 0)
		n++;
	assert_int_equal(rc, 0);
	assert_int_equal(n, 200000);
	evp_ahead_close(a);
	threads_settle(base, "read to the end");

	/* Closed early, the file removed at once after. */
	a = evp_ahead_open(tmp, 0, NULL, 0, &h);
	assert_non_null(a);
	assert_int_equal(evp_ahead_next(a, &row), 1);
	evp_ahead_close(a);
	tmp_remove();
	threads_settle(base, "file removed");
}

/* Several readers at once, read in turns, closed at various points. */
static void
test_interleaved_readers(void **state)
{
	enum { NR = 6 };
	struct evp_ahead *a[NR];
	const struct evp_header *h;
	struct evp_csvrow row;
	long got[NR] = { 0 };
	int base = nthreads();

	(void)state;
	evp_buf_reset(&data);
	evp_buf_adds(&data, "k,v\n");
	for (int i = 0; i < 60000; i++)
		evp_buf_printf(&data, "%d,%s\n", i, i % 1000 == 7 ? "\"x" : "v");
	tmp_write(data.p, data.len);
	for (int k = 0; k < NR; k++) {
		a[k] = open_ahead(tmp, 0, NULL, k % 4, &h);
		assert_non_null(a[k]);
	}
	for (int step = 0; step < 60000; step++)
		for (int k = 0; k < NR; k++) {
			if (a[k] == NULL)
				continue;
			if (k > 0 && got[k] >= 10000L * k) {
				evp_ahead_close(a[k]);
				a[k] = NULL;
				continue;
			}
			int rc = evp_ahead_next(a[k], &row);
			assert_int_equal(rc, 1);
			assert_int_equal(row.line, (uint64_t)got[k] + 2);
			if (got[k] % 1000 == 7)
				assert_non_null(row.bad.reason);
			else
				assert_null(row.bad.reason);
			got[k]++;
		}
	assert_int_equal(evp_ahead_next(a[0], &row), 0);
	evp_ahead_close(a[0]);
	threads_settle(base, "interleaved");
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_random_inputs),
		T(test_every_reason),
		T(test_many_batches),
		T(test_rows_over_a_batch),
		T(test_truncated_gzip),
		T(test_missing_file),
		T(test_empty_file),
		T(test_close_early),
		T(test_interleaved_readers),
	};

	evp_diag_init("test_ahead");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
