/*
 * Unit tests for lib/csvin: CSV records with a header over lib/input and
 * libcsv, and every reject reason of csvin.h.
 *
 * Each case writes its bytes to a temporary file, reads it through
 * evp_input and evp_csvin, and renders what came back as text:
 *
 *	H<line> [name]...		the header (H0 with no names: empty input)
 *	L<line> [field]...		a record
 *	L<line> !reason {raw}		a refused record
 *	end <rc>			what the last evp_csvin_next returned
 *
 * or "open -1" when evp_csvin_open failed.  Bytes are escaped: \n \r \0
 * \\ and \xHH for other control and non-ASCII bytes.  A failure prints
 * the whole rendering against the expected one.
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
#include <zlib.h>

#include "core/buf.h"
#include "formats/csvin.h"
#include "core/diag.h"
#include "core/input.h"
#include "testutil.h"

/* A literal with its exact length, so embedded NULs are kept. */
#define L(s)	s, sizeof(s) - 1

static char *tmp;
static struct evp_buf got = EVP_BUF_INIT;
static struct evp_buf want = EVP_BUF_INIT;
static struct evp_buf data = EVP_BUF_INIT;

struct ccase {
	const char	*name;
	const char	*in;
	size_t		 len;
	const char	*want;
	size_t		 maxline;	/* 0: the input's default */
	size_t		 maxfield;	/* 0: csvin's default */
	size_t		 maxrowlines;	/* 0: csvin's default */
	int		 show_raw;	/* render raw for good records too */
	char		 delim;		/* 0: by name (a comma here) */
};

static char *
tmp_name(void)
{
	int fd;
	char *path = tu_mkstemp("csvin", &fd);

	close(fd);
	return path;
}

static void
tmp_remove(void)
{
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
		tmp = NULL;
	}
}

/* Write p[0..n) to the temporary file tmp. */
static void
tmp_write(const char *p, size_t n)
{
	FILE *fp;

	tmp_remove();
	tmp = tmp_name();
	fp = fopen(tmp, "wb");
	assert_non_null(fp);
	if (n > 0)
		assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* The same, gzip-compressed with zlib's gz* writer. */
static void
tmp_write_gz(const char *p, size_t n)
{
	gzFile gf;

	tmp_remove();
	tmp = tmp_name();
	gf = gzopen(tmp, "wb");
	assert_non_null(gf);
	if (n > 0)
		assert_int_equal(gzwrite(gf, p, (unsigned)n), (int)n);
	assert_int_equal(gzclose(gf), Z_OK);
}

static int
teardown(void **state)
{
	(void)state;
	tmp_remove();
	evp_buf_release(&got);
	evp_buf_release(&want);
	evp_buf_release(&data);
	return 0;
}


static void
render_fields(struct evp_buf *b, const struct evp_str *f, size_t n)
{
	if (n > 0)
		evp_buf_addc(b, ' ');
	for (size_t i = 0; i < n; i++) {
		evp_buf_addc(b, '[');
		tu_escape(b, f[i].p, f[i].len);
		evp_buf_addc(b, ']');
	}
}

/* Read the temporary file tmp as CSV and render it into got. */
static void
render_tmp(const struct ccase *c)
{
	struct evp_input in;
	struct evp_csvin r;
	struct evp_csvrow row;
	struct evp_csvin_opts o = { c->maxfield, c->maxrowlines, c->delim };
	int rc;
	long n = 0;

	evp_buf_reset(&got);
	evp_buf_adds(&got, "");
	if (evp_input_open(&in, tmp, c->maxline) < 0) {
		evp_buf_adds(&got, "input -1\n");
		return;
	}
	if (evp_csvin_open(&r, &in, &o) < 0) {
		evp_buf_adds(&got, "open -1\n");
		evp_csvin_close(&r);
		evp_input_close(&in);
		return;
	}
	evp_buf_printf(&got, "H%llu", (unsigned long long)r.header.at.line);
	render_fields(&got, r.header.name, r.header.n);
	evp_buf_addc(&got, '\n');
	while ((rc = evp_csvin_next(&r, &row)) > 0) {
		evp_buf_printf(&got, "L%llu", (unsigned long long)row.line);
		if (row.bad.reason != NULL) {
			evp_buf_printf(&got, " !%s {", row.bad.reason);
			tu_escape(&got, row.raw.p, row.raw.len);
			evp_buf_addc(&got, '}');
		} else {
			render_fields(&got, row.f, row.n);
			if (c->show_raw) {
				evp_buf_adds(&got, " {");
				tu_escape(&got, row.raw.p, row.raw.len);
				evp_buf_addc(&got, '}');
			}
		}
		evp_buf_addc(&got, '\n');
		if (++n > 100000) {
			evp_buf_adds(&got, "runaway\n");
			break;
		}
	}
	evp_buf_printf(&got, "end %d\n", rc);
	evp_csvin_close(&r);
	evp_input_close(&in);
}

static void
expect(const char *what, const char *expected)
{
	if (strcmp(got.p, expected) != 0)
		fail_msg("%s:\n--- got\n%s--- want\n%s", what, got.p, expected);
}

static void
run_cases(const struct ccase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tmp_write(cases[i].in, cases[i].len);
		render_tmp(&cases[i]);
		tmp_remove();
		expect(cases[i].name, cases[i].want);
	}
}

/* The limits left to their defaults, good records without raw. */
#define DEFAULTS	0, 0, 0, 0, 0
#define TAB		0, 0, 0, 0, '\t'

#define RUN(cases)	run_cases((cases), sizeof(cases) / sizeof((cases)[0]))

static void
test_plain_rows(void **state)
{
	static const struct ccase cases[] = {
		{ "plain", L("a,b,c\n1,2,3\n4,5,6\n"),
		    "H1 [a][b][c]\nL2 [1][2][3]\nL3 [4][5][6]\nend 0\n",
		    DEFAULTS },
		{ "empty fields", L("a,b,c\n,,\n1,,\n,,3\n"),
		    "H1 [a][b][c]\nL2 [][][]\nL3 [1][][]\nL4 [][][3]\nend 0\n",
		    DEFAULTS },
		{ "one column", L("a\nx\ny\n"), "H1 [a]\nL2 [x]\nL3 [y]\nend 0\n",
		    DEFAULTS },
		{ "header only", L("a,b\n"), "H1 [a][b]\nend 0\n", DEFAULTS },
		{ "utf-8", L("n\xC3\xA9,b\n\xE6\x97\xA5,\xF0\x9F\x98\x80\n"),
		    "H1 [n\\xc3\\xa9][b]\nL2 [\\xe6\\x97\\xa5][\\xf0\\x9f\\x98\\x80]\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_quoted_fields(void **state)
{
	static const struct ccase cases[] = {
		{ "quoted", L("a,b\n"
		    "\"x,y\",\"he said \"\"hi\"\"\"\n"
		    "\"line1\nline2\",z\n"
		    "\"crlf1\r\ncrlf2\",w\n"
		    "\"\",\"\"\n"
		    "\"\"\"\",\",\"\n"),
		    "H1 [a][b]\n"
		    "L2 [x,y][he said \"hi\"]\n"
		    "L3 [line1\\nline2][z]\n"
		    "L5 [crlf1\\r\\ncrlf2][w]\n"
		    "L7 [][]\n"
		    "L8 [\"][,]\n"
		    "end 0\n", DEFAULTS },
		{ "quoted header", L("\"a\",\"b,c\"\n1,2\n"),
		    "H1 [a][b,c]\nL2 [1][2]\nend 0\n", DEFAULTS },
		{ "newline at field edges", L("a,b\n\"\nx\n\",\"\n\"\n"),
		    "H1 [a][b]\nL2 [\\nx\\n][\\n]\nend 0\n", DEFAULTS },
		{ "cr inside quotes", L("a,b\n\"6\r7\",8\n\"\r\",\"\r\r\"\n"),
		    "H1 [a][b]\nL2 [6\\r7][8]\nL3 [\\r][\\r\\r]\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

/* Another delimiter: a tab (TSV), quoted as CSV is; a semicolon. */
static void
test_delimiter(void **state)
{
	static const struct ccase cases[] = {
		{ "tsv", L("a\tb\tc\n1\t2\t3\n,x\t\t\n"),
		    "H1 [a][b][c]\nL2 [1][2][3]\nL3 [,x][][]\nend 0\n", TAB },
		{ "tsv quoted tab", L("a\tb\n\"x\ty\"\tz\n\"\t\"\t\"q\"\"\"\n"),
		    "H1 [a][b]\nL2 [x\\x09y][z]\nL3 [\\x09][q\"]\nend 0\n", TAB },
		{ "tsv quoted line break", L("a\tb\n\"l1\nl2\"\tz\n"),
		    "H1 [a][b]\nL2 [l1\\nl2][z]\nend 0\n", TAB },
		{ "tsv column count", L("a\tb\n1\n1\t2\t3\n"),
		    "H1 [a][b]\nL2 !column_count {1}\nL3 !column_count "
		    "{1\\x092\\x093}\nend 0\n", TAB },
		{ "tsv stray quote", L("a\tb\nx\"y\tz\nok\tok\n"),
		    "H1 [a][b]\nL2 !csv_syntax {x\"y\\x09z}\nL3 [ok][ok]\nend 0\n",
		    TAB },
		{ "semicolon", L("a;b\n1,5;\"x;y\"\n"),
		    "H1 [a][b]\nL2 [1,5][x;y]\nend 0\n", 0, 0, 0, 0, ';' },
	};

	(void)state;
	RUN(cases);
}

/* A record over several lines is numbered by the line where it starts. */
static void
test_row_start_line(void **state)
{
	static const struct ccase cases[] = {
		{ "span", L("a,b\n\"x\n\n  \ny\",1\n2,3\n\"p\nq\",\"r\ns\"\n4,5\n"),
		    "H1 [a][b]\nL2 [x\\n\\n  \\ny][1]\nL6 [2][3]\n"
		    "L7 [p\\nq][r\\ns]\nL10 [4][5]\nend 0\n", DEFAULTS },
		{ "header over two lines", L("\"a\nb\",c\n1,2\n"),
		    "H1 [a\\nb][c]\nL3 [1][2]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_stray_quote(void **state)
{
	static const struct ccase cases[] = {
		{ "after closing quote", L("a,b\n\"ab\"c,d\n1,2\n"),
		    "H1 [a][b]\nL2 !csv_syntax {\"ab\"c,d}\nL3 [1][2]\nend 0\n",
		    DEFAULTS },
		{ "inside unquoted field", L("a,b\nx\"y,z\n1,2\n"),
		    "H1 [a][b]\nL2 !csv_syntax {x\"y,z}\nL3 [1][2]\nend 0\n",
		    DEFAULTS },
		{ "space after closing quote", L("a,b\n\"x\" ,y\n1,2\n"),
		    "H1 [a][b]\nL2 !csv_syntax {\"x\" ,y}\nL3 [1][2]\nend 0\n",
		    DEFAULTS },
		{ "several", L("a,b\n\"1\"2,3\n4,5\n6,\"7\"8\n9,10\n"),
		    "H1 [a][b]\nL2 !csv_syntax {\"1\"2,3}\nL3 [4][5]\n"
		    "L4 !csv_syntax {6,\"7\"8}\nL5 [9][10]\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

/* An open quote refuses only its first line; the rest is read again. */
static void
test_unterminated_mid_file(void **state)
{
	static const struct ccase cases[] = {
		{ "closed badly later", L("a,b\n\"x,1\n2,3\n\"y\",z\n4,5\n"),
		    "H1 [a][b]\nL2 !csv_syntax {\"x,1}\nL3 [2][3]\nL4 [y][z]\n"
		    "L5 [4][5]\nend 0\n", DEFAULTS },
		{ "crlf lines", L("a,b\r\n\"x,1\r\n2,3\r\n\"y\",z\r\n4,5\r\n"),
		    "H1 [a][b]\nL2 !csv_syntax {\"x,1}\nL3 [2][3]\nL4 [y][z]\n"
		    "L5 [4][5]\nend 0\n", DEFAULTS },
		{ "stray quote ends a later line",
		    L("a,b\n1,\"2\n3,4\n5,6\"x\n7,8\n"),
		    "H1 [a][b]\nL2 !csv_syntax {1,\"2}\nL3 [3][4]\n"
		    "L4 !csv_syntax {5,6\"x}\nL5 [7][8]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_unterminated_at_eof(void **state)
{
	static const struct ccase cases[] = {
		{ "last line", L("a,b\n1,2\n\"x,3\n"),
		    "H1 [a][b]\nL2 [1][2]\nL3 !csv_syntax {\"x,3}\nend 0\n",
		    DEFAULTS },
		{ "last line, no newline", L("a,b\n1,2\n\"x"),
		    "H1 [a][b]\nL2 [1][2]\nL3 !csv_syntax {\"x}\nend 0\n",
		    DEFAULTS },
		{ "lines after it", L("a,b\n\"x\ny,z\n5,6"),
		    "H1 [a][b]\nL2 !csv_syntax {\"x}\nL3 [y][z]\nL4 [5][6]\nend 0\n",
		    DEFAULTS },
		{ "two of them", L("a,b\n\"x\n\"y\n1,2\n"),
		    "H1 [a][b]\nL2 !csv_syntax {\"x}\nL3 !csv_syntax {\"y}\n"
		    "L4 [1][2]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_column_count(void **state)
{
	static const struct ccase cases[] = {
		{ "more and fewer", L("a,b\n1,2,3\n1\n\"1\",2,\"3\"\n,\n,,\n4,5\n"),
		    "H1 [a][b]\nL2 !column_count {1,2,3}\nL3 !column_count {1}\n"
		    "L4 !column_count {\"1\",2,\"3\"}\nL5 [][]\n"
		    "L6 !column_count {,,}\nL7 [4][5]\nend 0\n", DEFAULTS },
		{ "one column", L("a\nx\n\"\"\ny,z\n"),
		    "H1 [a]\nL2 [x]\nL3 []\nL4 !column_count {y,z}\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_repeated_header(void **state)
{
	static const struct ccase cases[] = {
		{ "repeated", L("a,b\n1,2\na,b\n\"a\",\"b\"\na,c\n3,4\n"),
		    "H1 [a][b]\nL2 [1][2]\nL3 !repeated_header {a,b}\n"
		    "L4 !repeated_header {\"a\",\"b\"}\nL5 [a][c]\nL6 [3][4]\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

/*
 * Files that start with a BOM, joined with cat: the second header comes
 * back with its BOM in front.  It is still the header row again, not a
 * record whose first field starts with U+FEFF.
 */
static void
test_repeated_header_after_bom(void **state)
{
	static const struct ccase cases[] = {
		{ "files joined with cat", L("\xEF\xBB\xBF" "a,b\r\n1,2\r\n"
		    "\xEF\xBB\xBF" "a,b\r\n3,4\r\n"),
		    "H1 [a][b]\nL2 [1][2]\n"
		    "L3 !repeated_header {\\xef\\xbb\\xbfa,b}\n"
		    "L4 [3][4]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_bom(void **state)
{
	static const struct ccase cases[] = {
		{ "bom, quoted header", L("\xEF\xBB\xBF\"a\",\"b\"\n1,2\n"),
		    "H1 [a][b]\nL2 [1][2]\nend 0\n", DEFAULTS },
		{ "bom, plain header, crlf", L("\xEF\xBB\xBF" "a,b\r\n1,2\r\n"),
		    "H1 [a][b]\nL2 [1][2]\nend 0\n", DEFAULTS },
		{ "bom, blank first line", L("\xEF\xBB\xBF\n\"a\",b\n1,2\n"),
		    "H2 [a][b]\nL3 [1][2]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_crlf(void **state)
{
	static const struct ccase cases[] = {
		{ "crlf", L("a,b\r\n1,2\r\n\"x\",\"y\"\r\n\"m\r\nl\",z\r\n"
		    "\"m\nl\",z\r\n\r\nlast,row"),
		    "H1 [a][b]\nL2 [1][2]\nL3 [x][y]\nL4 [m\\r\\nl][z]\n"
		    "L6 [m\\nl][z]\nL9 [last][row]\nend 0\n", DEFAULTS },
		{ "mixed line ends", L("a,b\n1,2\r\n3,4\n\"5\r\n6\",7\n"),
		    "H1 [a][b]\nL2 [1][2]\nL3 [3][4]\nL4 [5\\r\\n6][7]\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_nul_byte(void **state)
{
	static const struct ccase cases[] = {
		{ "nul", L("a,b\n1,\0\n3,4\n\"x\0\",y\n\0\n5,6\n"),
		    "H1 [a][b]\nL2 !nul_byte {1,\\0}\nL3 [3][4]\n"
		    "L4 !nul_byte {\"x\\0\",y}\nL5 !nul_byte {\\0}\nL6 [5][6]\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_bare_cr(void **state)
{
	static const struct ccase cases[] = {
		{ "bare cr", L("a,b\n1\r2,3\n4,5\n9,10\r\r\n\"x\"\r,y\n6,7\n"),
		    "H1 [a][b]\nL2 !csv_syntax {1\\r2,3}\nL3 [4][5]\n"
		    "L4 !csv_syntax {9,10\\r}\nL5 !csv_syntax {\"x\"\\r,y}\n"
		    "L6 [6][7]\nend 0\n", DEFAULTS },
		{ "old mac line ends", L("a,b\n1,2\r3,4\r"),
		    "H1 [a][b]\nL2 !csv_syntax {1,2\\r3,4}\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

/* maxfield 16: 16 bytes pass, 17 do not, quoted or not. */
static void
test_field_too_long(void **state)
{
	static const struct ccase cases[] = {
		{ "unquoted", L("a,b\n"
		    "aaaaaaaaaaaaaaaa,x\n"
		    "aaaaaaaaaaaaaaaaa,x\n"
		    "x,aaaaaaaaaaaaaaaaa\n"
		    "1,2\n"),
		    "H1 [a][b]\n"
		    "L2 [aaaaaaaaaaaaaaaa][x]\n"
		    "L3 !field_too_long {aaaaaaaaaaaaaaaaa,x}\n"
		    "L4 !field_too_long {x,aaaaaaaaaaaaaaaaa}\n"
		    "L5 [1][2]\nend 0\n", 1024, 16, 0, 0, 0 },
		{ "quoted", L("a,b\n"
		    "\"bbbbbbbbbbbbbbbb\",x\n"
		    "\"bbbbbbbbbbbbbbbbb\",x\n"
		    "x,\"bbbbbbbbbbbbbbbbb\"\n"
		    "1,2\n"),
		    "H1 [a][b]\n"
		    "L2 [bbbbbbbbbbbbbbbb][x]\n"
		    "L3 !field_too_long {\"bbbbbbbbbbbbbbbbb\",x}\n"
		    "L4 !field_too_long {x,\"bbbbbbbbbbbbbbbbb\"}\n"
		    "L5 [1][2]\nend 0\n", 1024, 16, 0, 0, 0 },
		{ "decoded length counts", L("a,b\n"
		    "\"cccccccccccccc\"\"d\",x\n"
		    "\"ccccccccccccccc\"\"d\",x\n"
		    "1,2\n"),
		    "H1 [a][b]\n"
		    "L2 [cccccccccccccc\"d][x]\n"
		    "L3 !field_too_long {\"ccccccccccccccc\"\"d\",x}\n"
		    "L4 [1][2]\nend 0\n", 1024, 16, 0, 0, 0 },
		{ "over lines", L("a,b\n"
		    "\"eeeeeee\neeeeeeee\",x\n"
		    "\"eeeeeeee\neeeeeeee\",x\n"
		    "1,2\n"),
		    "H1 [a][b]\n"
		    "L2 [eeeeeee\\neeeeeeee][x]\n"
		    "L4 !field_too_long {\"eeeeeeee\\neeeeeeee\",x}\n"
		    "L6 [1][2]\nend 0\n", 1024, 16, 0, 0, 0 },
		{ "header field", L("aaaaaaaaaaaaaaaaa,b\n1,2\n"),
		    "open -1\n", 1024, 16, 0, 0, 0 },
	};

	(void)state;
	RUN(cases);
}

/* A quoted field far past the cap: libcsv's buffer stops growing. */
static void
test_field_far_too_long(void **state)
{
	struct ccase c = { "70000 bytes", NULL, 0, NULL, 100000, 16, 0, 0, 0 };

	(void)state;
	evp_buf_adds(&data, "a,b\n\"");
	for (int i = 0; i < 70000; i++)
		evp_buf_addc(&data, 'x');
	evp_buf_adds(&data, "\",1\n2,3\n");
	tmp_write(data.p, data.len);
	render_tmp(&c);
	evp_buf_adds(&want, "H1 [a][b]\nL2 !field_too_long {");
	evp_buf_add(&want, data.p + 4, data.len - 4 - 5);
	evp_buf_adds(&want, "}\nL3 [2][3]\nend 0\n");
	expect(c.name, want.p);
}

/* maxline 32 for the input. */
static void
test_line_too_long(void **state)
{
	static const struct ccase cases[] = {
		{ "line", L("a,b\n"
		    "0123456789012345678901234567890123456789,x\n"
		    "3,4\n"),
		    "H1 [a][b]\n"
		    "L2 !line_too_long {01234567890123456789012345678901}\n"
		    "L3 [3][4]\nend 0\n", 32, 0, 0, 0, 0 },
		{ "exactly maxline", L("a,b\n"
		    "012345678901234567890123456789,x\n"
		    "3,4\n"),
		    "H1 [a][b]\n"
		    "L2 [012345678901234567890123456789][x]\n"
		    "L3 [3][4]\nend 0\n", 32, 0, 0, 0, 0 },
		{ "inside a quoted field", L("a,b\n"
		    "\"x\n"
		    "0123456789012345678901234567890123456789\",x\n"
		    "5,6\n"),
		    "H1 [a][b]\n"
		    "L2 !csv_syntax {\"x}\n"
		    "L3 !line_too_long {01234567890123456789012345678901}\n"
		    "L4 [5][6]\nend 0\n", 32, 0, 0, 0, 0 },
	};

	(void)state;
	RUN(cases);
}

/* maxrowlines 3: a record of three lines passes, four do not. */
static void
test_row_too_long(void **state)
{
	static const struct ccase cases[] = {
		{ "row lines", L("a,b\n"
		    "\"x\ny\nz\",1\n"
		    "\"p\nq\nr\ns\",2\n"
		    "5,6\n"),
		    "H1 [a][b]\n"
		    "L2 [x\\ny\\nz][1]\n"
		    "L5 !row_too_long {\"p}\n"
		    "L6 !column_count {q}\n"
		    "L7 !column_count {r}\n"
		    "L8 !csv_syntax {s\",2}\n"
		    "L9 [5][6]\nend 0\n", 0, 0, 3, 0, 0 },
		{ "stray quote, many lines after", L("a,b\n"
		    "\"oops,1\n"
		    "2,3\n4,5\n6,7\n8,9\n"),
		    "H1 [a][b]\n"
		    "L2 !row_too_long {\"oops,1}\n"
		    "L3 [2][3]\nL4 [4][5]\nL5 [6][7]\nL6 [8][9]\nend 0\n",
		    0, 0, 3, 0, 0 },
	};

	(void)state;
	RUN(cases);
}

static void
test_blank_lines(void **state)
{
	static const struct ccase cases[] = {
		{ "blank", L("\n  \na,b\n\n1,2\n   \n\t\n\r\n3,4\n\n \t \n"),
		    "H3 [a][b]\nL5 [1][2]\nL9 [3][4]\nend 0\n", DEFAULTS },
		{ "blank inside quotes is data", L("a,b\n\"\n\n\",1\n"),
		    "H1 [a][b]\nL2 [\\n\\n][1]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_empty_file(void **state)
{
	static const struct ccase cases[] = {
		{ "empty", L(""), "H0\nend 0\n", DEFAULTS },
		{ "blank only", L("\n \n\t\r\n"), "H0\nend 0\n", DEFAULTS },
		{ "bom only", L("\xEF\xBB\xBF"), "H0\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_no_trailing_newline(void **state)
{
	static const struct ccase cases[] = {
		{ "plain", L("a,b\n1,2"), "H1 [a][b]\nL2 [1][2]\nend 0\n",
		    DEFAULTS },
		{ "quoted", L("a,b\n1,\"2\""), "H1 [a][b]\nL2 [1][2]\nend 0\n",
		    DEFAULTS },
		{ "multi-line", L("a,b\n\"x\ny\",2"),
		    "H1 [a][b]\nL2 [x\\ny][2]\nend 0\n", DEFAULTS },
		{ "header only", L("a,b"), "H1 [a][b]\nend 0\n", DEFAULTS },
		{ "empty last field", L("a,b\n1,"), "H1 [a][b]\nL2 [1][]\nend 0\n",
		    DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_spaces_kept(void **state)
{
	static const struct ccase cases[] = {
		{ "spaces", L(" a ,b\n 1 , 2 \n\t3\t,4 \n\" q \", \n"),
		    "H1 [ a ][b]\nL2 [ 1 ][ 2 ]\nL3 [\\x093\\x09][4 ]\n"
		    "L4 [ q ][ ]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

static void
test_bad_header(void **state)
{
	static const struct ccase cases[] = {
		/* Repeated names are read: only a stage that uses one refuses. */
		{ "duplicate column", L("a,b,a\n1,2,3\n"),
		    "H1 [a][b][a]\nL2 [1][2][3]\nend 0\n", DEFAULTS },
		{ "duplicate empty", L("a,,\n1,2,3\n"),
		    "H1 [a][][]\nL2 [1][2][3]\nend 0\n", DEFAULTS },
		{ "unterminated quote", L("\"a,b\n1,2\n"), "open -1\n",
		    DEFAULTS },
		{ "stray quote", L("a\"b,c\n1,2\n"), "open -1\n", DEFAULTS },
		{ "nul", L("a,\0\n1,2\n"), "open -1\n", DEFAULTS },
		{ "not a duplicate", L("a,A,a \n1,2,3\n"),
		    "H1 [a][A][a ]\nL2 [1][2][3]\nend 0\n", DEFAULTS },
	};

	(void)state;
	RUN(cases);
}

/* Good records carry their text, line ends included between lines. */
static void
test_raw(void **state)
{
	static const struct ccase cases[] = {
		{ "raw", L("a,b\r\n1, 2\r\n\"m\r\nl\",\"z\"\r\n\"p\nq\",r\n"),
		    "H1 [a][b]\nL2 [1][ 2] {1, 2}\n"
		    "L3 [m\\r\\nl][z] {\"m\\r\\nl\",\"z\"}\n"
		    "L5 [p\\nq][r] {\"p\\nq\",r}\nend 0\n", 0, 0, 0, 1, 0 },
		{ "raw of a long refused record", L("a,b\n\"x\ny\"\n1,2\n"),
		    "H1 [a][b]\nL2 !column_count {\"x\\ny\"}\nL4 [1][2] {1,2}\nend 0\n",
		    0, 0, 0, 1, 0 },
	};

	(void)state;
	RUN(cases);
}

/* A gzip'd file reads as the same records. */
static void
test_gzip(void **state)
{
	static const char text[] = "\xEF\xBB\xBF\"a\",b\r\n"
	    "\"x,y\",\"he said \"\"hi\"\"\"\r\n"
	    "\"line1\nline2\",z\r\n"
	    "\"ab\"c,d\r\n"
	    "1,2,3\r\n"
	    "\r\n"
	    "last,\"\"";
	static const char expected[] = "H1 [a][b]\n"
	    "L2 [x,y][he said \"hi\"]\n"
	    "L3 [line1\\nline2][z]\n"
	    "L5 !csv_syntax {\"ab\"c,d}\n"
	    "L6 !column_count {1,2,3}\n"
	    "L8 [last][]\n"
	    "end 0\n";
	struct ccase c = { "gzip", NULL, 0, NULL, 0, 0, 0, 0, 0 };

	(void)state;
	tmp_write(text, sizeof(text) - 1);
	render_tmp(&c);
	expect("plain", expected);
	tmp_write_gz(text, sizeof(text) - 1);
	render_tmp(&c);
	expect("gzip", expected);

	/* Many records, in a file bigger than the input's buffers. */
	evp_buf_adds(&data, "id,text\n");
	evp_buf_adds(&want, "H1 [id][text]\n");
	for (int i = 0; i < 30000; i++) {
		evp_buf_printf(&data, "%d,\"r%d \"\"q\"\"\n%x\"\n", i, i * 7,
		    i * 31);
		evp_buf_printf(&want, "L%d [%d][r%d \"q\"\\n%x]\n", 2 + 2 * i, i,
		    i * 7, i * 31);
	}
	evp_buf_adds(&want, "end 0\n");
	tmp_write(data.p, data.len);
	render_tmp(&c);
	expect("many, plain", want.p);
	tmp_write_gz(data.p, data.len);
	render_tmp(&c);
	expect("many, gzip", want.p);
}

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint64_t
rnd(void)
{
	return tu_rnd(&rng);
}

static int
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

/*
 * Nothing is lost: over random damaged input, the records returned
 * (each covering its first line and, through the line ends in raw, the
 * lines after it) and the blank lines between them account for every
 * line of the file exactly once, in order, and raw starts with the text
 * of the line the record says it starts on.
 */
static void
test_every_line_accounted(void **state)
{
	static const char *const tok[] = {
		"a", "bb", ",", ",", "\"", "\"\"", " ", "\t", "\r", "x y", "\0",
	};
#define NTOK	(sizeof(tok) / sizeof(tok[0]))
	struct evp_buf lines = EVP_BUF_INIT;	/* offset, length of each line */
	(void)state;

	for (int iter = 0; iter < 1500; iter++) {
		struct ccase c = { "fuzz", NULL, 0, NULL, 8 + rnd() % 33,
		    4 + rnd() % 20, 1 + rnd() % 5, 0, 0 };
		struct evp_input in;
		struct evp_csvin r;
		struct evp_csvrow row;
		size_t nlines = 1 + rnd() % 12, *off, *len;
		int rc;

		evp_buf_reset(&data);
		evp_buf_adds(&data, "a,b,c\n");
		for (size_t i = 0; i < nlines; i++) {
			size_t ntok = rnd() % 9;
			for (size_t k = 0; k < ntok; k++) {
				const char *t = tok[rnd() % NTOK];
				evp_buf_add(&data, t, t[0] == '\0' ? 1 : strlen(t));
			}
			if (i + 1 < nlines || rnd() % 2)
				evp_buf_adds(&data, rnd() % 3 ? "\n" : "\r\n");
		}

		/* The file's lines as lib/input cuts them. */
		evp_buf_reset(&lines);
		size_t nl = 0, start = 0;
		for (size_t i = 0; i <= data.len; i++)
			if (i == data.len ? i > start : data.p[i] == '\n') {
				/* A CR before the LF, or ending the file, ends the line. */
				size_t e = i;
				if (e > start && data.p[e - 1] == '\r')
					e--;
				size_t pair[2] = { start, e - start };
				evp_buf_add(&lines, pair, sizeof(pair));
				nl++;
				start = i + 1;
			}
		off = (size_t *)(void *)lines.p;
		len = off + 1;

		tmp_write(data.p, data.len);
		assert_int_equal(evp_input_open(&in, tmp, c.maxline), 0);
		struct evp_csvin_opts o = { c.maxfield, c.maxrowlines, 0 };
		assert_int_equal(evp_csvin_open(&r, &in, &o), 0);
		size_t at = 1;		/* next line (0-based) not accounted for */
		while ((rc = evp_csvin_next(&r, &row)) > 0) {
			/* Lines skipped before the record must be blank. */
			for (; at < nl && row.line > at + 1; at++)
				if (!blank(data.p + off[2 * at], len[2 * at]))
					fail_msg("try %d: line %zu skipped:\n%s", iter,
					    at + 1, data.p);
			if (row.line != at + 1)
				fail_msg("try %d: record at line %llu, want %zu:\n%s",
				    iter, (unsigned long long)row.line, at + 1,
				    data.p);
			size_t first = row.raw.len;
			const char *lf = memchr(row.raw.p, '\n', row.raw.len);
			if (lf != NULL)
				first = (size_t)(lf - row.raw.p);
			if (first > 0 && row.raw.p[first - 1] == '\r' && lf != NULL)
				first--;
			if (first > len[2 * at] ||
			    memcmp(row.raw.p, data.p + off[2 * at], first) != 0)
				fail_msg("try %d: raw of line %zu differs:\n%s",
				    iter, at + 1, data.p);
			for (size_t k = 0; k < row.raw.len; k++)
				if (row.raw.p[k] == '\n')
					at++;
			at++;
		}
		assert_int_equal(rc, 0);
		for (; at < nl; at++)
			if (!blank(data.p + off[2 * at], len[2 * at]))
				fail_msg("try %d: line %zu lost:\n%s", iter, at + 1,
				    data.p);
		evp_csvin_close(&r);
		evp_input_close(&in);
		tmp_remove();
	}
	evp_buf_release(&lines);
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plain_rows),
		T(test_quoted_fields),
		T(test_delimiter),
		T(test_row_start_line),
		T(test_stray_quote),
		T(test_unterminated_mid_file),
		T(test_unterminated_at_eof),
		T(test_column_count),
		T(test_repeated_header),
		T(test_repeated_header_after_bom),
		T(test_bom),
		T(test_crlf),
		T(test_nul_byte),
		T(test_bare_cr),
		T(test_field_too_long),
		T(test_field_far_too_long),
		T(test_line_too_long),
		T(test_row_too_long),
		T(test_blank_lines),
		T(test_empty_file),
		T(test_no_trailing_newline),
		T(test_spaces_kept),
		T(test_bad_header),
		T(test_raw),
		T(test_gzip),
		T(test_every_line_accounted),
	};

	evp_diag_init("test_csvin");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
