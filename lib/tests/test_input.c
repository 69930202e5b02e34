/*
 * Unit tests for lib/input: line splitting, CRLF, BOM, NUL bytes, the
 * line limit, gzip (one member, several, truncated, corrupt, junk after
 * the end; test_codecs has zstd, xz and bzip2), the formats refused by
 * magic (zip, UTF-16), standard input,
 * and evp_input_unread.
 *
 * Every case reads a whole input and renders what it got as text, one
 * line per input line: "<no><flags>:<bytes>", flags c (crlf), n (noeol),
 * t (toolong), bytes with \n \r \0 \\ and non-printables escaped; then
 * "end 0" or "end -1".  A failure prints both renderings.
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
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/decode.h"
#include "core/input.h"
#include "testutil.h"

/* A literal with its exact length, so embedded NULs are kept. */
#define L(s)	s, sizeof(s) - 1

#define MAXTMP	8

static char *tmps[MAXTMP];
static struct evp_buf got = EVP_BUF_INIT;
static struct evp_buf want = EVP_BUF_INIT;
static struct evp_buf data = EVP_BUF_INIT;
static struct evp_buf gz = EVP_BUF_INIT;

static void
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fail_msg("write: %s", strerror(errno));
		c += w;
		n -= (size_t)w;
	}
}

/* Write p[0..n) to a new temporary file; the teardown removes it. */
static const char *
tmp_write(const void *p, size_t n)
{
	char *path;
	int fd, i;

	for (i = 0; i < MAXTMP && tmps[i] != NULL; i++)
		;
	assert_true(i < MAXTMP);
	path = tu_mkstemp("input", &fd);
	tmps[i] = path;
	write_all(fd, p, n);
	close(fd);
	return path;
}

/* Remove the temporary at path now. */
static void
tmp_remove(const char *path)
{
	for (int i = 0; i < MAXTMP; i++)
		if (tmps[i] == path) {
			unlink(tmps[i]);
			free(tmps[i]);
			tmps[i] = NULL;
		}
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < MAXTMP; i++)
		if (tmps[i] != NULL) {
			unlink(tmps[i]);
			free(tmps[i]);
			tmps[i] = NULL;
		}
	evp_buf_release(&got);
	evp_buf_release(&want);
	evp_buf_release(&data);
	evp_buf_release(&gz);
	return 0;
}


static void
render_line(struct evp_buf *b, const struct evp_line *l)
{
	evp_buf_printf(b, "%llu%s%s%s%s%s:", (unsigned long long)l->no,
	    l->crlf ? "c" : "", l->noeol ? "n" : "", l->toolong ? "t" : "",
	    l->damaged ? "d" : "", l->truncated ? "x" : "");
	tu_escape(b, l->p, l->len);
	evp_buf_addc(b, '\n');
}

/* Read every line of an open input into got. */
static void
render_input(struct evp_input *in)
{
	struct evp_line l;
	int rc;
	long n = 0;

	while ((rc = evp_input_line(in, &l)) > 0) {
		render_line(&got, &l);
		if (++n > 1000000) {
			evp_buf_adds(&got, "runaway\n");
			break;
		}
	}
	evp_buf_printf(&got, "end %d\n", rc);
}

/* Render the file at path read with maxline into got (reset first). */
static void
render_file(const char *path, size_t maxline)
{
	struct evp_input in;

	evp_buf_reset(&got);
	evp_buf_adds(&got, "");
	if (evp_input_open(&in, path, maxline) < 0) {
		evp_buf_adds(&got, "open failed\n");
		return;
	}
	render_input(&in);
	evp_input_close(&in);
}

static void
expect(const char *what, const char *expected)
{
	if (strcmp(got.p, expected) != 0)
		fail_msg("%s:\n--- got\n%s--- want\n%s", what, got.p, expected);
}

/* Render bytes written to a temporary file. */
static void
render_bytes(const char *p, size_t n, size_t maxline)
{
	const char *path = tmp_write(p, n);

	render_file(path, maxline);
	tmp_remove(path);
}

/* Append p[0..n) to out as one gzip member. */
static void
gz_member(struct evp_buf *out, const void *p, size_t n)
{
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	size_t bound = deflateBound(&zs, (uLong)n) + 64;
	evp_buf_grow(out, bound);
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out->p + out->len;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	assert_int_equal(rc, Z_STREAM_END);
	out->len += bound - zs.avail_out;
	out->p[out->len] = '\0';
	deflateEnd(&zs);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t
rnd(void)
{
	return tu_rnd(&rng);
}

/* n lines of pseudo-random hex of varied lengths into data. */
static void
make_lines(size_t nlines)
{
	evp_buf_reset(&data);
	for (size_t i = 0; i < nlines; i++) {
		size_t len = rnd() % 120;
		evp_buf_printf(&data, "%zu:", i + 1);
		for (size_t k = 0; k < len; k++)
			evp_buf_addc(&data, "0123456789abcdef"[rnd() % 16]);
		evp_buf_addc(&data, '\n');
	}
}

/* The rendering of data read as a plain file, into want. */
static void
want_plain(size_t maxline)
{
	render_bytes(data.p, data.len, maxline);
	evp_buf_reset(&want);
	evp_buf_add(&want, got.p, got.len);
}

/* ---- plain files ---- */

struct rcase {
	const char	*name;
	const char	*in;
	size_t		 len;
	size_t		 maxline;
	const char	*want;
};

static const struct rcase plain_cases[] = {
	{ "lf", L("a\nbb\n\nccc\n"), 0, "1:a\n2:bb\n3:\n4:ccc\nend 0\n" },
	{ "crlf", L("a\r\nbb\r\n\r\nc\n"), 0,
	    "1c:a\n2c:bb\n3c:\n4:c\nend 0\n" },
	{ "bare cr kept", L("a\rb\nc\r\r\nd\re\r\n"), 0,
	    "1:a\\rb\n2c:c\\r\n3c:d\\re\nend 0\n" },
	{ "bom", L("\xEF\xBB\xBF" "a,b\n\xEF\xBB\xBFx\n"), 0,
	    "1:a,b\n2:\\xef\\xbb\\xbfx\nend 0\n" },
	{ "bom crlf quoted", L("\xEF\xBB\xBF\"h\"\r\nx\r\n"), 0,
	    "1c:\"h\"\n2c:x\nend 0\n" },
	{ "bom on empty line", L("\xEF\xBB\xBF\nx\n"), 0, "1:\n2:x\nend 0\n" },
	{ "partial bom kept", L("\xEF\xBB" "a\n"), 0, "1:\\xef\\xbba\nend 0\n" },
	{ "bom not at start", L("a\n\xEF\xBB\xBF\n"), 0,
	    "1:a\n2:\\xef\\xbb\\xbf\nend 0\n" },
	{ "noeol", L("a\nb"), 0, "1:a\n2n:b\nend 0\n" },
	{ "noeol after crlf", L("a\r\nb"), 0, "1c:a\n2n:b\nend 0\n" },
	{ "short file", L("ab"), 0, "1n:ab\nend 0\n" },
	{ "six bytes", L("abcdef"), 0, "1n:abcdef\nend 0\n" },
	{ "seven bytes", L("abcdef\n"), 0, "1:abcdef\nend 0\n" },
	{ "empty file", L(""), 0, "end 0\n" },
	{ "one newline", L("\n"), 0, "1:\nend 0\n" },
	{ "blank lines", L("\n\n \t\n"), 0, "1:\n2:\n3: \\x09\nend 0\n" },
	{ "nul bytes", L("a\0b\n\0\n\0"), 0, "1:a\\0b\n2:\\0\n3n:\\0\nend 0\n" },
	{ "nul first", L("\0\0\0\0\0\0\0\n"), 0, "1:\\0\\0\\0\\0\\0\\0\\0\nend 0\n" },
	{ "maxline", L("12345678\n123456789\nnext\n"), 8,
	    "1:12345678\n2t:12345678\n3:next\nend 0\n" },
	{ "maxline crlf", L("12345678\r\n123456789\r\nnext\r\n"), 8,
	    "1c:12345678\n2ct:12345678\n3c:next\nend 0\n" },
	{ "maxline bom", L("\xEF\xBB\xBF" "12345678\nx\n"), 8,
	    "1:12345678\n2:x\nend 0\n" },
	{ "maxline first", L("123456789abc\n\n1\n"), 8,
	    "1t:12345678\n2:\n3:1\nend 0\n" },
	{ "maxline last noeol", L("a\n12345678"), 8,
	    "1:a\n2n:12345678\nend 0\n" },
};

static void
test_plain_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(plain_cases) / sizeof(plain_cases[0]); i++) {
		const struct rcase *c = &plain_cases[i];
		render_bytes(c->in, c->len, c->maxline);
		expect(c->name, c->want);
	}
}

/* A line over the limit with no line end, at the end of the file. */
static void
test_toolong_last_line_noeol(void **state)
{
	(void)state;
	render_bytes(L("a\n123456789abcdef"), 8);
	expect("too long, last, no newline", "1:a\n2nt:12345678\nend 0\n");
}

/* A line much longer than the buffer: dropped over several reads. */
static void
test_very_long_line(void **state)
{
	(void)state;
	evp_buf_reset(&data);
	for (int i = 0; i < 700000; i++)
		evp_buf_addc(&data, 'a' + i % 26);
	evp_buf_adds(&data, "\nafter\r\n\nlast");
	render_bytes(data.p, data.len, 8);
	expect("700 KB line, maxline 8",
	    "1t:abcdefgh\n2c:after\n3:\n4n:last\nend 0\n");

	/* The same with the default limit: the line is kept whole. */
	render_bytes(data.p, data.len, 0);
	evp_buf_reset(&want);
	evp_buf_adds(&want, "1:");
	evp_buf_add(&want, data.p, 700000);
	evp_buf_adds(&want, "\n2c:after\n3:\n4n:last\nend 0\n");
	expect("700 KB line, default limit", want.p);
}

/* Many lines crossing buffer refills come back exactly. */
static void
test_many_lines(void **state)
{
	(void)state;
	make_lines(40000);
	render_bytes(data.p, data.len, 0);
	const char *p = got.p;
	const char *d = data.p;
	for (size_t i = 1; i <= 40000; i++) {
		const char *nl = strchr(d, '\n');
		char head[32];
		int k = snprintf(head, sizeof(head), "%zu:", i);
		if (strncmp(p, head, (size_t)k) != 0 ||
		    strncmp(p + k, d, (size_t)(nl - d + 1)) != 0)
			fail_msg("line %zu differs: got %.60s", i, p);
		p += k + (nl - d + 1);
		d = nl + 1;
	}
	assert_string_equal(p, "end 0\n");
}

static void
test_open_errors(void **state)
{
	static const struct {
		const char	*name;
		const char	*magic;
		size_t		 len;
	} refused[] = {
		{ "zip", L("PK\x03\x04rest\n") },
		{ "UTF-16LE", L("\xFF\xFE" "a\0\n\0") },
	};
	struct evp_input in;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const char *path = tmp_write(refused[i].magic, refused[i].len);
		int rc = evp_input_open(&in, path, 0);
		tmp_remove(path);
		if (rc == 0) {
			evp_input_close(&in);
			fail_msg("%s input was opened", refused[i].name);
		}
	}

	/* Shorter than a magic, or near misses: ordinary text. */
	render_bytes(L("BZ"), 0);
	expect("BZ", "1n:BZ\nend 0\n");
	render_bytes(L("PK\x03\n"), 0);
	expect("PK", "1:PK\\x03\nend 0\n");
	render_bytes(L("\x28\xB5\x2F\n"), 0);
	expect("zstd prefix", "1:(\\xb5/\nend 0\n");
	render_bytes(L("BZh0\n"), 0);
	expect("bzip2 without a level", "1:BZh0\nend 0\n");

	assert_int_equal(evp_input_open(&in, "/nonexistent/evp/file", 0), -1);
}

static void
test_unread(void **state)
{
	struct evp_input in;
	struct evp_line l;

	(void)state;
	const char *path = tmp_write(L("first\r\nsecond\n123456789abc\nlast"));
	assert_int_equal(evp_input_open(&in, path, 8), 0);
	tmp_remove(path);

	assert_int_equal(evp_input_line(&in, &l), 1);
	assert_int_equal(l.no, 1);
	evp_input_unread(&in);
	assert_int_equal(evp_input_line(&in, &l), 1);
	assert_int_equal(l.no, 1);
	assert_int_equal(l.len, 5);
	assert_memory_equal(l.p, "first", 5);
	assert_true(l.crlf);

	assert_int_equal(evp_input_line(&in, &l), 1);
	assert_int_equal(l.no, 2);
	assert_memory_equal(l.p, "second", 6);

	assert_int_equal(evp_input_line(&in, &l), 1);
	assert_int_equal(l.no, 3);
	assert_true(l.toolong);
	evp_input_unread(&in);
	assert_int_equal(evp_input_line(&in, &l), 1);
	assert_int_equal(l.no, 3);
	assert_true(l.toolong);
	assert_int_equal(l.len, 8);
	assert_memory_equal(l.p, "12345678", 8);

	assert_int_equal(evp_input_line(&in, &l), 1);
	assert_int_equal(l.no, 4);
	assert_true(l.noeol);
	evp_input_unread(&in);
	assert_int_equal(evp_input_line(&in, &l), 1);
	assert_int_equal(l.no, 4);
	assert_memory_equal(l.p, "last", 4);
	assert_int_equal(evp_input_line(&in, &l), 0);
	assert_int_equal(evp_input_line(&in, &l), 0);
	evp_input_close(&in);
}

/* ---- gzip ---- */

static void
render_gz(size_t maxline)
{
	render_bytes(gz.p, gz.len, maxline);
}

static void
test_gzip_one_member(void **state)
{
	(void)state;
	gz_member(&gz, L("\xEF\xBB\xBFh1,h2\r\na\0b\r\n\nx\ry\nlast"));
	render_gz(0);
	expect("gzip", "1c:h1,h2\n2c:a\\0b\n3:\n4:x\\ry\n5n:last\nend 0\n");

	evp_buf_reset(&gz);
	gz_member(&gz, L("12345678\n123456789\nnext\n"));
	render_gz(8);
	expect("gzip maxline", "1:12345678\n2t:12345678\n3:next\nend 0\n");

	evp_buf_reset(&gz);
	gz_member(&gz, L(""));
	render_gz(0);
	expect("empty member", "end 0\n");
}

static void
test_gzip_members(void **state)
{
	(void)state;
	/* A line split across the member boundary is one line. */
	gz_member(&gz, L("a\nb"));
	gz_member(&gz, L("c\nd\n"));
	render_gz(0);
	expect("two members", "1:a\n2:bc\n3:d\nend 0\n");

	evp_buf_reset(&gz);
	gz_member(&gz, L(""));
	gz_member(&gz, L("x\n"));
	gz_member(&gz, L(""));
	gz_member(&gz, L("y\n"));
	render_gz(0);
	expect("empty members between", "1:x\n2:y\nend 0\n");

	/* Big members: the boundary falls somewhere inside a read. */
	evp_buf_reset(&gz);
	make_lines(30000);
	size_t half = data.len / 2;
	gz_member(&gz, data.p, half);
	gz_member(&gz, data.p + half, data.len - half);
	assert_true(gz.len > 512 * 1024);
	want_plain(0);
	render_gz(0);
	expect("two big members", want.p);
}

static void
test_gzip_big(void **state)
{
	(void)state;
	make_lines(50000);
	gz_member(&gz, data.p, data.len);
	want_plain(0);
	render_gz(0);
	expect("big gzip", want.p);
}

/*
 * got holds a prefix of want's lines, then maybe the next one cut short
 * and flagged as such (truncated, "nx"), then "end -1": every whole line
 * before the damage.  Return how many whole lines.
 */
static size_t
check_damaged_prefix(const char *what)
{
	const char *g = got.p, *w = want.p;
	size_t n = 0;

	for (;;) {
		const char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
		if (strcmp(g, "end -1\n") == 0)
			return n;
		if (ge == NULL || strncmp(g, "end ", 4) == 0)
			fail_msg("%s: ends with %s, want end -1", what, g);
		const char *gc = strchr(g, ':'), *wc = strchr(w, ':');
		if (strncmp(g, w, (size_t)(ge - g + 1)) != 0) {
			/* The cut line: its start, flagged, and the end next. */
			if (gc == NULL || wc == NULL || we == NULL ||
			    strncmp(gc - 2, "nx", 2) != 0 ||
			    (size_t)(ge - gc) > (size_t)(we - wc) ||
			    strncmp(gc, wc, (size_t)(ge - gc)) != 0 ||
			    strcmp(ge + 1, "end -1\n") != 0)
				fail_msg("%s: line %zu is %.*s", what, n + 1,
				    (int)(ge - g), g);
			return n;
		}
		w += ge - g + 1;
		g = ge + 1;
		n++;
	}
}

static void
test_gzip_truncated(void **state)
{
	(void)state;
	make_lines(20000);
	want_plain(0);
	gz_member(&gz, data.p, data.len);
	size_t full = gz.len;

	/* Cut in the middle of the deflate data. */
	render_bytes(gz.p, full / 2, 0);
	size_t n = check_damaged_prefix("cut in half");
	assert_true(n > 1000);
	assert_true(n < 20000);

	/* Cut inside the trailer: every line, then the error. */
	render_bytes(gz.p, full - 4, 0);
	assert_int_equal(check_damaged_prefix("cut in the trailer"), 20000);

	/* The magic alone, and a cut header. */
	render_bytes(gz.p, 2, 0);
	expect("magic only", "end -1\n");
	render_bytes(gz.p, 5, 0);
	expect("cut header", "end -1\n");

	/* A truncated second member. */
	evp_buf_reset(&gz);
	gz_member(&gz, L("one\ntwo\n"));
	size_t first = gz.len;
	gz_member(&gz, data.p, data.len);
	render_bytes(gz.p, first + (gz.len - first) / 2, 0);
	assert_int_equal(strncmp(got.p, "1:one\n2:two\n", 12), 0);
	assert_string_equal(got.p + got.len - 7, "end -1\n");
}

static void
test_gzip_corrupt(void **state)
{
	(void)state;
	make_lines(20000);
	gz_member(&gz, data.p, data.len);
	for (size_t i = 0; i < 16; i++)
		gz.p[gz.len / 2 + i] ^= (char)0x5A;
	render_gz(0);
	const char *end = got.p + got.len - strlen("end -1\n");
	if (got.len < 7 || strcmp(end, "end -1\n") != 0)
		fail_msg("corrupt gzip read to the end: %s", got.p + got.len -
		    (got.len > 40 ? 40 : got.len));

	/* Every line decoded from the damaged member is flagged damaged. */
	for (const char *g = got.p; strncmp(g, "end ", 4) != 0;
	    g = strchr(g, '\n') + 1)
		if (strchr(g, ':') == NULL || *(strchr(g, ':') - 1) != 'd')
			fail_msg("a line not flagged damaged: %.40s", g);

	/* A bad CRC: the data decodes, the check fails at the end. */
	evp_buf_reset(&gz);
	gz_member(&gz, L("a\nb\n"));
	gz.p[gz.len - 8] ^= 1;
	render_gz(0);
	expect("bad crc", "1d:a\n2d:b\nend -1\n");

	/* A wrong length in the trailer. */
	evp_buf_reset(&gz);
	gz_member(&gz, L("a\nb\n"));
	gz.p[gz.len - 1] ^= 1;
	render_gz(0);
	expect("bad length", "1d:a\n2d:b\nend -1\n");

	/* A member whose check passed comes whole before a damaged one. */
	evp_buf_reset(&gz);
	gz_member(&gz, L("a\nb\n"));
	gz_member(&gz, L("c\nd"));
	gz.p[gz.len - 8] ^= 1;
	render_gz(0);
	expect("good then bad", "1:a\n2:b\n3d:c\n4nd:d\nend -1\n");

	/* A line that runs from a good member into a damaged one. */
	evp_buf_reset(&gz);
	gz_member(&gz, L("a\nb"));
	gz_member(&gz, L("c\nd\n"));
	gz.p[gz.len - 8] ^= 1;
	render_gz(0);
	expect("straddling", "1:a\n2d:bc\n3d:d\nend -1\n");
}

/* Members past the hold wait in a temporary file: the same lines. */
static void
test_gzip_spilled(void **state)
{
	size_t hold = evp_decode_hold;

	(void)state;
	evp_decode_hold = 1;		/* one block in memory */
	make_lines(80000);
	want_plain(0);
	evp_buf_reset(&gz);
	gz_member(&gz, data.p, data.len / 2);
	gz_member(&gz, data.p + data.len / 2, data.len - data.len / 2);
	render_gz(0);
	expect("spilled members", want.p);

	/* Damage found past the hold: all the member's lines flagged. */
	gz.p[gz.len - 8] ^= 1;
	render_gz(0);
	size_t n = 0;
	for (const char *g = got.p; strncmp(g, "end ", 4) != 0;
	    g = strchr(g, '\n') + 1)
		n += *(strchr(g, ':') - 1) == 'd';
	assert_true(n > 10000);
	assert_int_equal(strcmp(got.p + got.len - 7, "end -1\n"), 0);
	evp_decode_hold = hold;
}

static void
test_gzip_junk_after(void **state)
{
	static const struct {
		const char	*name;
		const char	*junk;
		size_t		 len;
	} junk[] = {
		{ "text", L("junk\n") },
		{ "one byte", L("x") },
		{ "fake magic", L("\x1f\x8b\x08junkjunkjunk") },
		{ "lone 1f", L("\x1f") },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		evp_buf_reset(&gz);
		gz_member(&gz, L("a\nb\n"));
		evp_buf_add(&gz, junk[i].junk, junk[i].len);
		render_gz(0);
		expect(junk[i].name, "1:a\n2:b\nend -1\n");
	}
	/* Zero bytes after the last member are padding, as gzip allows. */
	evp_buf_reset(&gz);
	gz_member(&gz, L("a\nb\n"));
	evp_buf_add(&gz, "\0\0\0\0\0\0\0\0", 8);
	render_bytes(gz.p, gz.len, EVP_MAXLINE_DEFAULT);
	expect("zero padding", "1:a\n2:b\nend 0\n");
}

/* ---- standard input ---- */

/*
 * Read "-" from a pipe fed by a child that writes the chunks with a
 * pause between them, so each read(2) sees one chunk.
 */
static void
render_stdin_chunks(const char *const *chunks, const size_t *lens, size_t n,
    size_t maxline)
{
	int pfd[2], saved;
	pid_t pid;
	struct evp_input in;

	fflush(NULL);
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct timespec ts = { 0, 150 * 1000 * 1000 };
		close(pfd[0]);
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				nanosleep(&ts, NULL);
			size_t off = 0;
			while (off < lens[i]) {
				ssize_t w = write(pfd[1], chunks[i] + off, lens[i] - off);
				if (w <= 0)
					_exit(1);
				off += (size_t)w;
			}
		}
		_exit(0);
	}
	close(pfd[1]);
	saved = dup(0);
	assert_true(saved >= 0);
	assert_int_equal(dup2(pfd[0], 0), 0);
	close(pfd[0]);

	evp_buf_reset(&got);
	evp_buf_adds(&got, "");
	if (evp_input_open(&in, "-", maxline) < 0)
		evp_buf_adds(&got, "open failed\n");
	else {
		render_input(&in);
		evp_input_close(&in);
	}
	dup2(saved, 0);
	close(saved);
	int status;
	waitpid(pid, &status, 0);
}

static void
test_stdin(void **state)
{
	(void)state;
	const char *c1[] = { "head,er\r\n", "a\0b\nc", "d\n\nlast" };
	size_t l1[] = { 9, 5, 7 };
	render_stdin_chunks(c1, l1, 3, 0);
	expect("stdin plain", "1c:head,er\n2:a\\0b\n3:cd\n4:\n5n:last\nend 0\n");

	/* gzip from a pipe, in pieces. */
	gz_member(&gz, L("\xEF\xBB\xBFx\ny\n"));
	gz_member(&gz, L("z\n"));
	const char *c2[] = { gz.p, gz.p + 5, gz.p + 17 };
	size_t l2[] = { 5, 12, gz.len - 17 };
	render_stdin_chunks(c2, l2, 3, 0);
	expect("stdin gzip", "1:x\n2:y\n3:z\nend 0\n");
}

/*
 * The limit is checked while a line is still arriving: a line that is
 * over the limit stays over it whatever the read(2) boundaries.  Here the
 * first read ends just after maxline bytes and a CR; the rest of the line
 * comes in the next read.
 */
static void
test_toolong_split_after_cr(void **state)
{
	(void)state;
	const char *c[] = { "12345678\r", "XYZ\nnext\n" };
	size_t l[] = { 9, 9 };

	/* From a regular file the answer is clear. */
	render_bytes(L("12345678\rXYZ\nnext\n"), 8);
	expect("file: CR then more", "1t:12345678\n2:next\nend 0\n");
	render_stdin_chunks(c, l, 2, 8);
	expect("pipe: CR then more", "1t:12345678\n2:next\nend 0\n");
}

/* The same with a BOM and maxline bytes in the first read. */
static void
test_toolong_split_after_bom(void **state)
{
	(void)state;
	const char *c[] = { "\xEF\xBB\xBF" "12345678", "9\nnext\n" };
	size_t l[] = { 11, 7 };

	render_bytes(L("\xEF\xBB\xBF" "123456789\nnext\n"), 8);
	expect("file: BOM, 9 bytes", "1t:12345678\n2:next\nend 0\n");
	render_stdin_chunks(c, l, 2, 8);
	expect("pipe: BOM, 9 bytes", "1t:12345678\n2:next\nend 0\n");
}

/* A line of exactly maxline bytes and CRLF, split before the LF. */
static void
test_maxline_crlf_split_read(void **state)
{
	(void)state;
	const char *c[] = { "12345678\r", "\nnext\n" };
	size_t l[] = { 9, 6 };
	render_stdin_chunks(c, l, 2, 8);
	expect("pipe: 8 bytes CRLF", "1c:12345678\n2:next\nend 0\n");
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plain_table),
		T(test_toolong_last_line_noeol),
		T(test_very_long_line),
		T(test_many_lines),
		T(test_open_errors),
		T(test_unread),
		T(test_gzip_one_member),
		T(test_gzip_members),
		T(test_gzip_big),
		T(test_gzip_truncated),
		T(test_gzip_corrupt),
		T(test_gzip_spilled),
		T(test_gzip_junk_after),
		T(test_stdin),
		T(test_toolong_split_after_cr),
		T(test_toolong_split_after_bom),
		T(test_maxline_crlf_split_read),
	};

	evp_diag_init("test_input");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
