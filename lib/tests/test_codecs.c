/*
 * Unit tests for the zstd, xz and bzip2 codecs of lib/core, through
 * lib/input as a program reads them: one unit (a zstd frame, an xz or
 * bzip2 stream), several (a line running across the boundary is one
 * line), units past the hold (in a temporary file), truncation (every
 * whole line kept, the cut one flagged), damage (the lines of a unit
 * whose check failed flagged, those of the units before it intact), junk
 * and padding after the last unit, zstd's skippable frames and frames
 * without a checksum, multi-block xz and bzip2 streams, standard input.
 *
 * Lines are rendered as test_input renders them: "<no><flags>:<bytes>",
 * flags c (crlf), n (noeol), t (toolong), d (damaged), x (truncated),
 * then "end 0" or "end -1".
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "core/buf.h"
#include "core/decode.h"
#include "core/diag.h"
#include "core/input.h"
#include "testutil.h"

#define L(s)	s, sizeof(s) - 1

enum kind { ZSTD, XZ, BZIP2, NKIND };
static const char *const kind_name[] = { "zstd", "xz", "bzip2" };

static struct evp_buf got = EVP_BUF_INIT;
static struct evp_buf want = EVP_BUF_INIT;
static struct evp_buf data = EVP_BUF_INIT;
static struct evp_buf z = EVP_BUF_INIT;
static char *tmp;

static int
teardown(void **state)
{
	(void)state;
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
		tmp = NULL;
	}
	evp_buf_release(&got);
	evp_buf_release(&want);
	evp_buf_release(&data);
	evp_buf_release(&z);
	return 0;
}

/* ---- making compressed data ---- */

/* Options of one unit: 0 for the defaults. */
struct uopt {
	int	nocheck;	/* zstd: no content checksum */
	size_t	block;		/* xz: block size; bzip2: 100k blocks (1-9) */
};

static void
zstd_unit(struct evp_buf *out, const void *p, size_t n, const struct uopt *o)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t bound = ZSTD_compressBound(n);

	assert_non_null(c);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, !o->nocheck);
	evp_buf_grow(out, bound);
	size_t r = ZSTD_compress2(c, out->p + out->len, bound, p, n);
	assert_false(ZSTD_isError(r));
	out->len += r;
	ZSTD_freeCCtx(c);
}

static void
xz_unit(struct evp_buf *out, const void *p, size_t n, const struct uopt *o)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_mt mt;

	memset(&mt, 0, sizeof(mt));
	mt.threads = 1;
	mt.block_size = o->block;
	mt.preset = 0;
	mt.check = LZMA_CHECK_CRC64;
	assert_int_equal(lzma_stream_encoder_mt(&s, &mt), LZMA_OK);
	size_t bound = lzma_stream_buffer_bound(n) + 4096;
	evp_buf_grow(out, bound);
	s.next_in = p;
	s.avail_in = n;
	s.next_out = (uint8_t *)out->p + out->len;
	s.avail_out = bound;
	lzma_ret rc;
	while ((rc = lzma_code(&s, LZMA_FINISH)) == LZMA_OK)
		;
	assert_int_equal(rc, LZMA_STREAM_END);
	out->len += bound - s.avail_out;
	lzma_end(&s);
}

static void
bzip2_unit(struct evp_buf *out, const void *p, size_t n, const struct uopt *o)
{
	unsigned bound = (unsigned)(n + n / 100 + 600);

	evp_buf_grow(out, bound);
	assert_int_equal(BZ2_bzBuffToBuffCompress(out->p + out->len, &bound,
	    (char *)(uintptr_t)p, (unsigned)n, o->block ? (int)o->block : 9,
	    0, 0), BZ_OK);
	out->len += bound;
}

/* Append p[0..n) to out as one unit of kind k. */
static void
unit_o(enum kind k, struct evp_buf *out, const void *p, size_t n,
    const struct uopt *o)
{
	if (k == ZSTD)
		zstd_unit(out, p, n, o);
	else if (k == XZ)
		xz_unit(out, p, n, o);
	else
		bzip2_unit(out, p, n, o);
	evp_buf_grow(out, 1);
	out->p[out->len] = '\0';
}

static void
unit(enum kind k, struct evp_buf *out, const void *p, size_t n)
{
	static const struct uopt def;

	unit_o(k, out, p, n, &def);
}

static uint64_t rng = 0x2545F4914F6CDD1Du;

/*
 * n lines of varied lengths into data: pseudo-random hex, or with cheap
 * set, a repeated text that compresses fast.
 */
static void
make_lines_how(size_t nlines, int cheap)
{
	evp_buf_reset(&data);
	for (size_t i = 0; i < nlines; i++) {
		size_t len = tu_rnd(&rng) % 120;
		evp_buf_printf(&data, "%zu:", i + 1);
		for (size_t k = 0; k < len; k++)
			evp_buf_addc(&data, "0123456789abcdef"[cheap ? k % 16 :
			    tu_rnd(&rng) % 16]);
		evp_buf_addc(&data, '\n');
	}
}

static void
make_lines(size_t nlines)
{
	make_lines_how(nlines, 0);
}

/* ---- reading ---- */

static void
render_input(struct evp_input *in)
{
	struct evp_line l;
	int rc;

	while ((rc = evp_input_line(in, &l)) > 0) {
		evp_buf_printf(&got, "%llu%s%s%s%s%s:", (unsigned long long)l.no,
		    l.crlf ? "c" : "", l.noeol ? "n" : "", l.toolong ? "t" : "",
		    l.damaged ? "d" : "", l.truncated ? "x" : "");
		tu_escape(&got, l.p, l.len);
		evp_buf_addc(&got, '\n');
	}
	evp_buf_printf(&got, "end %d\n", rc);
}

/* Render p[0..n) read from a file (or, with std, from standard input). */
static void
render_bytes_std(const char *p, size_t n, int std)
{
	struct evp_input in;
	int fd;

	if (tmp == NULL)
		tmp = tu_mkstemp("codecs", &fd);
	else if ((fd = open(tmp, O_WRONLY | O_TRUNC)) < 0)
		fail_msg("%s: %s", tmp, strerror(errno));
	for (size_t off = 0; off < n; ) {
		ssize_t w = write(fd, p + off, n - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	close(fd);
	evp_buf_reset(&got);
	evp_buf_adds(&got, "");
	int saved = -1;
	if (std) {
		saved = dup(0);
		fd = open(tmp, O_RDONLY);
		assert_true(saved >= 0 && fd >= 0);
		dup2(fd, 0);
		close(fd);
	}
	if (evp_input_open(&in, std ? "-" : tmp, 0) < 0)
		evp_buf_adds(&got, "open failed\n");
	else {
		render_input(&in);
		evp_input_close(&in);
	}
	if (std) {
		dup2(saved, 0);
		close(saved);
	}
}

static void
render_z(void)
{
	render_bytes_std(z.p, z.len, 0);
}

/* The rendering of data as a plain file, into want. */
static void
want_plain(void)
{
	render_bytes_std(data.p, data.len, 0);
	evp_buf_reset(&want);
	evp_buf_add(&want, got.p, got.len);
}

static void
expect(enum kind k, const char *what, const char *expected)
{
	if (strcmp(got.p, expected) != 0)
		fail_msg("%s, %s:\n--- got\n%s--- want\n%s", kind_name[k], what,
		    got.p, expected);
}

/* Lines of got flagged damaged. */
static size_t
damaged_lines(void)
{
	size_t n = 0;

	for (const char *g = got.p; strncmp(g, "end ", 4) != 0;
	    g = strchr(g, '\n') + 1)
		n += *(strchr(g, ':') - 1) == 'd';
	return n;
}

/*
 * got holds a prefix of want's lines, then maybe the next one cut short
 * and flagged truncated, then "end -1".  Return how many whole lines.
 */
static size_t
check_cut_prefix(enum kind k, const char *what)
{
	const char *g = got.p, *w = want.p;
	size_t n = 0;

	for (;;) {
		const char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
		if (strcmp(g, "end -1\n") == 0)
			return n;
		if (ge == NULL || strncmp(g, "end ", 4) == 0)
			fail_msg("%s, %s: ends with %s, want end -1",
			    kind_name[k], what, g);
		const char *gc = strchr(g, ':'), *wc = strchr(w, ':');
		if (strncmp(g, w, (size_t)(ge - g + 1)) != 0) {
			if (gc == NULL || wc == NULL || we == NULL ||
			    strncmp(gc - 2, "nx", 2) != 0 ||
			    (size_t)(ge - gc) > (size_t)(we - wc) ||
			    strncmp(gc, wc, (size_t)(ge - gc)) != 0 ||
			    strcmp(ge + 1, "end -1\n") != 0)
				fail_msg("%s, %s: line %zu is %.*s", kind_name[k],
				    what, n + 1, (int)(ge - g), g);
			return n;
		}
		w += ge - g + 1;
		g = ge + 1;
		n++;
	}
}

/* ---- the cases, each for every codec ---- */

static void
test_one_unit(void **state)
{
	(void)state;
	for (enum kind k = 0; k < NKIND; k++) {
		evp_buf_reset(&z);
		unit(k, &z, L("\xEF\xBB\xBFh1,h2\r\na\0b\r\n\nx\ry\nlast"));
		render_z();
		expect(k, "one unit",
		    "1c:h1,h2\n2c:a\\0b\n3:\n4:x\\ry\n5n:last\nend 0\n");

		evp_buf_reset(&z);
		unit(k, &z, L(""));
		render_z();
		expect(k, "empty unit", "end 0\n");

		/* The same from standard input. */
		evp_buf_reset(&z);
		unit(k, &z, L("a\nb\n"));
		render_bytes_std(z.p, z.len, 1);
		expect(k, "standard input", "1:a\n2:b\nend 0\n");
	}
}

static void
test_units(void **state)
{
	(void)state;
	for (enum kind k = 0; k < NKIND; k++) {
		/* A line split across the boundary is one line. */
		evp_buf_reset(&z);
		unit(k, &z, L("a\nb"));
		unit(k, &z, L("c\nd\n"));
		render_z();
		expect(k, "two units", "1:a\n2:bc\n3:d\nend 0\n");

		evp_buf_reset(&z);
		unit(k, &z, L(""));
		unit(k, &z, L("x\n"));
		unit(k, &z, L(""));
		unit(k, &z, L("y\n"));
		render_z();
		expect(k, "empty units between", "1:x\n2:y\nend 0\n");

		/* Big units of several blocks: boundaries inside reads. */
		make_lines(30000);
		want_plain();
		struct uopt o = { 0, k == XZ ? 100000 : 1 };
		evp_buf_reset(&z);
		size_t half = data.len / 2;
		unit_o(k, &z, data.p, half, &o);
		unit_o(k, &z, data.p + half, data.len - half, &o);
		render_z();
		expect(k, "two big units", want.p);
	}
}

/* Units past the hold wait in a temporary file: the same lines. */
static void
test_spilled(void **state)
{
	size_t hold = evp_decode_hold;

	(void)state;
	evp_decode_hold = 1;		/* one block in memory */
	make_lines_how(80000, 1);
	want_plain();
	/* Not bzip2: slow on repeated text, and the hold is the codecs' own. */
	for (enum kind k = 0; k < BZIP2; k++) {
		evp_buf_reset(&z);
		unit(k, &z, data.p, data.len / 2);
		unit(k, &z, data.p + data.len / 2, data.len - data.len / 2);
		render_z();
		expect(k, "spilled units", want.p);
	}
	evp_decode_hold = hold;
}

static void
test_truncated(void **state)
{
	(void)state;
	make_lines(20000);
	want_plain();
	for (enum kind k = 0; k < NKIND; k++) {
		struct uopt o = { 0, k == XZ ? 200000 : 1 };
		evp_buf_reset(&z);
		unit_o(k, &z, data.p, data.len, &o);
		size_t full = z.len;

		/* Cut in the middle: what came before the cut is kept. */
		render_bytes_std(z.p, full / 2, 0);
		size_t n = check_cut_prefix(k, "cut in half");
		assert_true(n < 20000);
		if (k != ZSTD)		/* zstd writes one 128K block at a time */
			assert_true(n > 1000);

		/* Cut in the last bytes: every line, then the error. */
		render_bytes_std(z.p, full - 1, 0);
		assert_int_equal(check_cut_prefix(k, "cut at the end"), 20000);

		/* The magic alone. */
		render_bytes_std(z.p, k == XZ ? 6 : 4, 0);
		expect(k, "magic only", "end -1\n");

		/* A second unit cut short. */
		evp_buf_reset(&z);
		unit(k, &z, L("one\ntwo\n"));
		size_t first = z.len;
		unit_o(k, &z, data.p, data.len, &o);
		render_bytes_std(z.p, first + (z.len - first) / 2, 0);
		assert_int_equal(strncmp(got.p, "1:one\n2:two\n", 12), 0);
		assert_string_equal(got.p + got.len - 7, "end -1\n");
	}
}

static void
test_corrupt(void **state)
{
	(void)state;
	make_lines(20000);
	for (enum kind k = 0; k < NKIND; k++) {
		/* Damage in the middle: every line from the unit flagged. */
		evp_buf_reset(&z);
		unit(k, &z, L("a\nb\n"));
		size_t first = z.len;
		unit(k, &z, data.p, data.len);
		for (size_t i = 0; i < 16; i++)
			z.p[first + (z.len - first) / 2 + i] ^= (char)0x5A;
		render_z();
		if (strncmp(got.p, "1:a\n2:b\n", 8) != 0 ||
		    strcmp(got.p + got.len - 7, "end -1\n") != 0)
			fail_msg("%s: damaged second unit: %.60s ... %s",
			    kind_name[k], got.p, got.p + got.len -
			    (got.len > 40 ? 40 : got.len));
		size_t lines = 0;
		for (const char *g = got.p; strncmp(g, "end ", 4) != 0;
		    g = strchr(g, '\n') + 1)
			lines++;
		if (damaged_lines() != lines - 2)
			fail_msg("%s: %zu of %zu lines after the good unit "
			    "flagged", kind_name[k], damaged_lines(), lines - 2);

		/* The unit's own check fails: its data decodes, then this. */
		evp_buf_reset(&z);
		unit(k, &z, L("a\nb\n"));
		z.p[z.len - 1] ^= (char)0xFF;
		render_z();
		expect(k, "check fails", "1d:a\n2d:b\nend -1\n");

		/* A unit whose check passed comes whole before a damaged one. */
		evp_buf_reset(&z);
		unit(k, &z, L("a\nb\n"));
		unit(k, &z, L("c\nd"));
		z.p[z.len - 1] ^= (char)0xFF;
		render_z();
		expect(k, "good then bad", "1:a\n2:b\n3d:c\n4nd:d\nend -1\n");

		/* A line that runs from a good unit into a damaged one. */
		evp_buf_reset(&z);
		unit(k, &z, L("a\nb"));
		unit(k, &z, L("c\nd\n"));
		z.p[z.len - 1] ^= (char)0xFF;
		render_z();
		expect(k, "straddling", "1:a\n2d:bc\n3d:d\nend -1\n");
	}
}

/* Damage in a later block of one stream: the whole stream is refused. */
static void
test_multiblock_damage(void **state)
{
	(void)state;
	make_lines(20000);
	for (enum kind k = 0; k < NKIND; k++) {
		struct uopt o = { 0, k == XZ ? 100000 : 1 };
		evp_buf_reset(&z);
		unit_o(k, &z, data.p, data.len, &o);
		for (size_t i = 0; i < 8; i++)
			z.p[z.len * 3 / 4 + i] ^= (char)0x33;
		render_z();
		assert_string_equal(got.p + got.len - 7, "end -1\n");
		size_t lines = 0;
		for (const char *g = got.p; strncmp(g, "end ", 4) != 0;
		    g = strchr(g, '\n') + 1)
			lines++;
		if (lines == 0 || damaged_lines() != lines)
			fail_msg("%s: %zu of %zu lines flagged", kind_name[k],
			    damaged_lines(), lines);
	}
}

static void
test_junk_after(void **state)
{
	static const struct {
		const char	*name;
		const char	*junk;
		size_t		 len;
		int		 ok[NKIND];	/* read as padding */
	} junk[] = {
		{ "text", L("junk\n"), { 0, 0, 0 } },
		{ "one byte", L("x"), { 0, 0, 0 } },
		{ "zero byte", L("\0"), { 0, 0, 0 } },
		{ "four zeros", L("\0\0\0\0"), { 0, 1, 0 } },
		{ "eight zeros", L("\0\0\0\0\0\0\0\0"), { 0, 1, 0 } },
		{ "seven zeros", L("\0\0\0\0\0\0\0"), { 0, 0, 0 } },
		{ "zstd magic and junk", L("\x28\xB5\x2F\xFDjunkjunk"),
		    { 0, 0, 0 } },
		{ "xz magic and junk", L("\xFD" "7zXZ\0junkjunkjunk"),
		    { 0, 0, 0 } },
		{ "bzip2 magic and junk", L("BZh9junkjunk"), { 0, 0, 0 } },
		{ "zeros then text", L("\0\0\0\0text"), { 0, 0, 0 } },
	};

	(void)state;
	for (enum kind k = 0; k < NKIND; k++)
		for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
			evp_buf_reset(&z);
			unit(k, &z, L("a\nb\n"));
			evp_buf_add(&z, junk[i].junk, junk[i].len);
			render_z();
			expect(k, junk[i].name, junk[i].ok[k] ?
			    "1:a\n2:b\nend 0\n" : "1:a\n2:b\nend -1\n");
		}

	/* xz: padding between streams too, in fours. */
	evp_buf_reset(&z);
	unit(XZ, &z, L("a\n"));
	evp_buf_add(&z, "\0\0\0\0", 4);
	unit(XZ, &z, L("b\n"));
	render_z();
	expect(XZ, "padding between streams", "1:a\n2:b\nend 0\n");
	evp_buf_reset(&z);
	unit(XZ, &z, L("a\n"));
	evp_buf_add(&z, "\0\0", 2);
	unit(XZ, &z, L("b\n"));
	render_z();
	expect(XZ, "padding of two", "1:a\nend -1\n");
}

/* zstd: skippable frames are skipped; frames without a checksum read. */
static void
test_zstd_frames(void **state)
{
	static const char skip[] = "\x5A\x2A\x4D\x18\x03\0\0\0abc";
	struct uopt nocheck = { 1, 0 };

	(void)state;
	evp_buf_reset(&z);
	evp_buf_add(&z, skip, sizeof(skip) - 1);
	unit(ZSTD, &z, L("a\n"));
	evp_buf_add(&z, skip, sizeof(skip) - 1);
	unit_o(ZSTD, &z, L("b\n"), &nocheck);
	evp_buf_add(&z, skip, sizeof(skip) - 1);
	render_z();
	expect(ZSTD, "skippable frames", "1:a\n2:b\nend 0\n");

	/* A skippable frame cut short. */
	evp_buf_reset(&z);
	unit(ZSTD, &z, L("a\n"));
	evp_buf_add(&z, skip, sizeof(skip) - 2);
	render_z();
	expect(ZSTD, "skippable frame cut", "1:a\nend -1\n");

	/*
	 * Without a checksum, damage is found only where it breaks the
	 * decoding: here the frame header's reserved bit.
	 */
	evp_buf_reset(&z);
	unit(ZSTD, &z, L("a\n"));
	unit_o(ZSTD, &z, L("b\n"), &nocheck);
	size_t second = z.len;
	unit_o(ZSTD, &z, L("c\n"), &nocheck);
	z.p[second + 4] |= 0x08;
	render_z();
	expect(ZSTD, "reserved bit", "1:a\n2:b\nend -1\n");

	/*
	 * A damaged frame that gives no byte: the line the frame before left
	 * open runs into it, and is refused with it; junk would not be.
	 */
	evp_buf_reset(&z);
	unit(ZSTD, &z, L("a\nb"));
	second = z.len;
	unit_o(ZSTD, &z, L("c\n"), &nocheck);
	z.p[second + 4] |= 0x08;
	render_z();
	expect(ZSTD, "open line into damage", "1:a\n2nd:b\nend -1\n");
	evp_buf_reset(&z);
	unit(ZSTD, &z, L("a\nb"));
	evp_buf_add(&z, "junk", 4);
	render_z();
	expect(ZSTD, "open line before junk", "1:a\n2n:b\nend -1\n");
	/*
	 * What libzstd's streaming decoder takes and its one-shot decoder
	 * refuses: a header declaring another content size (1, for a last
	 * block of size 0), a compressed block of size 0 (last, in a frame
	 * without a content size).  Both are damage.
	 */
	static const struct {
		const char	*what, *frame;	/* a frame of 9 bytes */
	} bad[] = {
		{ "declared size", "\x28\xB5\x2F\xFD\x20\x01\x01\x00\x00" },
		{ "empty compressed block",
		    "\x28\xB5\x2F\xFD\x00\x00\x05\x00\x00" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		evp_buf_reset(&z);
		unit(ZSTD, &z, L("a\n"));
		evp_buf_add(&z, bad[i].frame, 9);
		unit(ZSTD, &z, L("b\n"));
		render_z();
		expect(ZSTD, bad[i].what, "1:a\nend -1\n");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_one_unit, teardown),
		cmocka_unit_test_teardown(test_units, teardown),
		cmocka_unit_test_teardown(test_spilled, teardown),
		cmocka_unit_test_teardown(test_truncated, teardown),
		cmocka_unit_test_teardown(test_corrupt, teardown),
		cmocka_unit_test_teardown(test_multiblock_damage, teardown),
		cmocka_unit_test_teardown(test_junk_after, teardown),
		cmocka_unit_test_teardown(test_zstd_frames, teardown),
	};

	evp_diag_init("test_codecs");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
