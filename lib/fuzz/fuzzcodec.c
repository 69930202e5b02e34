#include <bzlib.h>
#include <limits.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "fuzzcodec.h"

const char *
fuzz_kind_name(enum fuzz_kind kind)
{
	static const char *const names[] = {
		"plain", "gzip", "zstd", "xz", "bzip2", "refused"
	};

	return names[kind];
}

/* ---- gzip: zlib's inflate, all the input at once ---- */

static enum fuzz_end
ref_gunzip(const uint8_t *d, size_t n, struct evp_buf *out, size_t *good)
{
	z_stream zs;
	unsigned char chunk[16384];
	enum fuzz_end status = FUZZ_INTACT;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		fuzz_fail("inflateInit2");
	zs.next_in = (unsigned char *)(uintptr_t)d;
	zs.avail_in = (uInt)n;
	for (;;) {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		int rc = inflate(&zs, Z_NO_FLUSH);
		evp_buf_add(out, chunk, sizeof(chunk) - zs.avail_out);
		if (out->len > FUZZ_MAXDECODED) {
			status = FUZZ_TOOBIG;
			break;
		}
		if (rc == Z_STREAM_END) {
			*good = out->len;
			size_t z = 0;
			while (z < zs.avail_in && zs.next_in[z] == 0)
				z++;
			if (z == zs.avail_in)
				break;			/* intact, maybe zero padded */
			if (zs.next_in[0] != 0x1f ||
			    (zs.avail_in >= 2 && zs.next_in[1] != 0x8b)) {
				status = FUZZ_JUNK;	/* junk after a member */
				break;
			}
			inflateReset(&zs);
			continue;
		}
		if (rc == Z_OK && zs.avail_out == 0)
			continue;			/* more output to come */
		if (rc == Z_OK && zs.avail_in > 0)
			continue;
		if ((rc == Z_OK || rc == Z_BUF_ERROR) && zs.avail_in == 0) {
			status = FUZZ_CUT;		/* no more input */
			*good = out->len;
		} else
			status = FUZZ_CORRUPT;
		break;
	}
	inflateEnd(&zs);
	return status;
}

/*
 * ---- zstd, xz, bzip2: one unit at a time, a byte at a time ----
 *
 * A unit decoder takes one byte (or, with eof, none: no more will come)
 * and appends what it decodes; it says whether the unit goes on, ended
 * with its check passed, or failed.
 */
enum unit_rc { U_MORE, U_END, U_FAIL };

struct unit_dec {
	void	*(*start)(void);
	enum unit_rc (*step)(void *st, const uint8_t *b, int eof,
		    struct evp_buf *out);
	void	(*end)(void *st);
	/*
	 * The one-shot decoder on exactly the unit's bytes, into at most cap
	 * bytes: -1 if it fails.
	 */
	int	(*oneshot)(const uint8_t *d, size_t n, struct evp_buf *out,
		    size_t cap);
	const uint8_t *magic;
	size_t	 magiclen;
	int	 padding;	/* zero bytes in fours may follow a unit (xz) */
};

static void
grow_out(struct evp_buf *out, size_t want)
{
	evp_buf_grow(out, want);
}

/* zstd */

static void *
zs_start(void)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();

	if (d == NULL)
		fuzz_fail("ZSTD_createDCtx");
	return d;
}

static enum unit_rc
zs_step(void *st, const uint8_t *b, int eof, struct evp_buf *out)
{
	ZSTD_inBuffer ib = { b, eof ? 0 : 1, 0 };

	for (;;) {
		grow_out(out, 1 << 17);
		ZSTD_outBuffer ob = { out->p + out->len, 1 << 17, 0 };
		size_t rc = ZSTD_decompressStream(st, &ob, &ib);
		if (ZSTD_isError(rc))
			return U_FAIL;
		out->len += ob.pos;
		if (rc == 0)
			return U_END;
		if (ob.pos < ob.size && ib.pos == ib.size)
			return U_MORE;
	}
}

static void
zs_end(void *st)
{
	ZSTD_freeDCtx(st);
}

static int
zs_oneshot(const uint8_t *d, size_t n, struct evp_buf *out, size_t cap)
{
	if (ZSTD_findFrameCompressedSize(d, n) != n)
		return -1;
	unsigned long long size = ZSTD_getFrameContentSize(d, n);
	if (size == ZSTD_CONTENTSIZE_ERROR)	/* a skippable frame */
		return (d[0] & 0xF0) == 0x50 ? 0 : -1;
	if (size != ZSTD_CONTENTSIZE_UNKNOWN && size != cap - 1)
		return -1;
	grow_out(out, cap);
	size_t r = ZSTD_decompress(out->p + out->len, cap, d, n);
	if (ZSTD_isError(r))
		return -1;
	out->len += r;
	return 0;
}

static const uint8_t zs_magic[] = { 0x28, 0xB5, 0x2F, 0xFD };

/* xz */

static void *
xz_start(void)
{
	lzma_stream *s = calloc(1, sizeof(*s));
	lzma_stream init = LZMA_STREAM_INIT;

	*s = init;
	if (lzma_stream_decoder(s, FUZZ_XZ_MEMLIMIT, 0) != LZMA_OK)
		fuzz_fail("lzma_stream_decoder");
	return s;
}

static enum unit_rc
xz_step(void *st, const uint8_t *b, int eof, struct evp_buf *out)
{
	lzma_stream *s = st;

	s->next_in = b;
	s->avail_in = eof ? 0 : 1;
	for (;;) {
		grow_out(out, 1 << 16);
		s->next_out = (uint8_t *)out->p + out->len;
		s->avail_out = 1 << 16;
		lzma_ret rc = lzma_code(s, eof ? LZMA_FINISH : LZMA_RUN);
		out->len += (1 << 16) - s->avail_out;
		if (rc == LZMA_STREAM_END)
			return U_END;
		if (rc == LZMA_BUF_ERROR)
			return U_MORE;		/* no progress: cut short */
		if (rc != LZMA_OK)
			return U_FAIL;
		if (s->avail_out > 0 && s->avail_in == 0)
			return U_MORE;
	}
}

static void
xz_end(void *st)
{
	lzma_end(st);
	free(st);
}

static int
xz_oneshot(const uint8_t *d, size_t n, struct evp_buf *out, size_t cap)
{
	uint64_t mem = FUZZ_XZ_MEMLIMIT;
	size_t inpos = 0, outpos = 0;

	grow_out(out, cap);
	lzma_ret rc = lzma_stream_buffer_decode(&mem, 0, NULL, d, &inpos, n,
	    (uint8_t *)out->p + out->len, &outpos, cap);
	if (rc != LZMA_OK || inpos != n)
		return -1;
	out->len += outpos;
	return 0;
}

static const uint8_t xz_magic[] = { 0xFD, '7', 'z', 'X', 'Z', 0 };

/* bzip2 */

static void *
bz_start(void)
{
	bz_stream *s = calloc(1, sizeof(*s));

	if (BZ2_bzDecompressInit(s, 0, 0) != BZ_OK)
		fuzz_fail("BZ2_bzDecompressInit");
	return s;
}

static enum unit_rc
bz_step(void *st, const uint8_t *b, int eof, struct evp_buf *out)
{
	bz_stream *s = st;
	char byte = eof ? 0 : (char)*b;

	s->next_in = &byte;
	s->avail_in = eof ? 0 : 1;
	for (;;) {
		grow_out(out, 1 << 16);
		s->next_out = out->p + out->len;
		s->avail_out = 1 << 16;
		int rc = BZ2_bzDecompress(s);
		out->len += (1 << 16) - s->avail_out;
		if (rc == BZ_STREAM_END)
			return U_END;
		if (rc != BZ_OK)
			return U_FAIL;
		if (s->avail_out > 0 && s->avail_in == 0)
			return U_MORE;
	}
}

static void
bz_end(void *st)
{
	BZ2_bzDecompressEnd(st);
	free(st);
}

static int
bz_oneshot(const uint8_t *d, size_t n, struct evp_buf *out, size_t cap)
{
	unsigned len = (unsigned)cap;

	grow_out(out, len);
	if (BZ2_bzBuffToBuffDecompress(out->p + out->len, &len,
	    (char *)(uintptr_t)d, (unsigned)n, 0, 0) != BZ_OK)
		return -1;
	out->len += len;
	return 0;
}

static const uint8_t bz_magic[] = { 'B', 'Z', 'h' };

static const struct unit_dec decs[] = {
	[FUZZ_ZSTD] = { zs_start, zs_step, zs_end, zs_oneshot, zs_magic,
	    sizeof(zs_magic), 0 },
	[FUZZ_XZ] = { xz_start, xz_step, xz_end, xz_oneshot, xz_magic,
	    sizeof(xz_magic), 1 },
	[FUZZ_BZIP2] = { bz_start, bz_step, bz_end, bz_oneshot, bz_magic,
	    sizeof(bz_magic), 0 },
};

/* Could d[0..n) (n >= 1) be the start of a unit? */
static int
unit_start(enum fuzz_kind kind, const uint8_t *d, size_t n)
{
	const struct unit_dec *u = &decs[kind];

	if (kind == FUZZ_ZSTD && (d[0] & 0xF0) == 0x50) {
		static const uint8_t skip[] = { 0x2A, 0x4D, 0x18 };
		return memcmp(d + 1, skip, n - 1 < 3 ? n - 1 : 3) == 0;
	}
	if (memcmp(d, u->magic, n < u->magiclen ? n : u->magiclen) != 0)
		return 0;
	if (kind == FUZZ_BZIP2 && n > 3)
		return d[3] >= '1' && d[3] <= '9';
	return 1;
}

/*
 * Confirm an intact unit with the one-shot decoder: the same bytes.
 * Return -1 for a zstd frame the one-shot decoder refuses: libzstd's
 * streaming decoder takes some damaged frames (a header declaring another
 * content size than the frame holds, a compressed block of size 0) whose
 * checksum of the content is intact, and evpipe refuses them as damage.
 */
static int
confirm(enum fuzz_kind kind, const uint8_t *d, size_t n, const char *got,
    size_t len)
{
	struct evp_buf one = EVP_BUF_INIT;

	/* Room for one byte more than the streaming decoder gave. */
	int refused = decs[kind].oneshot(d, n, &one, len + 1) != 0;
	if (refused && kind == FUZZ_ZSTD) {
		evp_buf_release(&one);
		return -1;
	}
	FUZZ_CHECK(!refused,
	    "%s: the one-shot decoder refuses a unit the streaming one took "
	    "(%zu bytes)", fuzz_kind_name(kind), n);
	FUZZ_CHECK(one.len == len && (len == 0 || memcmp(one.p, got, len) == 0),
	    "%s: one-shot and streaming decoders disagree on a unit "
	    "(%zu and %zu bytes)", fuzz_kind_name(kind), one.len, len);
	evp_buf_release(&one);
	return 0;
}

static enum fuzz_end
ref_units(enum fuzz_kind kind, const uint8_t *d, size_t n, struct evp_buf *out,
    size_t *good)
{
	const struct unit_dec *u = &decs[kind];
	size_t at = 0;

	*good = 0;
	while (at < n) {
		if (u->padding && d[at] == 0) {
			size_t z = at;
			while (z < n && d[z] == 0)
				z++;
			if ((z - at) % 4 != 0)
				return FUZZ_JUNK;
			at = z;
			continue;
		}
		if (!unit_start(kind, d + at, n - at))
			return FUZZ_JUNK;
		void *st = u->start();
		size_t from = out->len, i = at;
		enum unit_rc rc = U_MORE;
		while (rc == U_MORE && i < n && out->len <= FUZZ_MAXDECODED)
			rc = u->step(st, d + i++, 0, out);
		if (rc == U_MORE && i == n)
			rc = u->step(st, NULL, 1, out);
		u->end(st);
		if (out->len > FUZZ_MAXDECODED)
			return FUZZ_TOOBIG;
		if (rc == U_FAIL)
			return FUZZ_CORRUPT;
		if (rc == U_MORE) {
			*good = out->len;	/* cut short: its bytes are data */
			return FUZZ_CUT;
		}
		if (confirm(kind, d + at, i - at, out->p + from,
		    out->len - from) < 0)
			return FUZZ_CORRUPT;
		*good = out->len;
		at = i;
	}
	return FUZZ_INTACT;
}

enum fuzz_end
fuzz_ref_decode(enum fuzz_kind kind, const uint8_t *d, size_t n,
    struct evp_buf *out, size_t *good)
{
	evp_buf_grow(out, 1);
	if (kind == FUZZ_GZIP)
		return ref_gunzip(d, n, out, good);
	return ref_units(kind, d, n, out, good);
}

/* ---- the lines ---- */

static void
same_line(const struct evp_line *l, const struct fuzz_line *m, size_t i,
    const char *how)
{
	FUZZ_CHECK(l->no == i + 1, "%s: line number %llu, want %zu",
	    how, (unsigned long long)l->no, i + 1);
	FUZZ_CHECK(l->len == m->len && (m->len == 0 ||
	    memcmp(l->p, m->p, m->len) == 0),
	    "%s: line %zu: got '%s', want '%s'", how, i + 1, fuzz_show(l->p, l->len),
	    fuzz_show(m->p, m->len));
	FUZZ_CHECK(l->toolong == m->toolong, "%s: line %zu: toolong %u, want %u",
	    how, i + 1, l->toolong, m->toolong);
	/* A cut line's end is not looked at: CR and no-EOL say nothing. */
	if (!m->toolong) {
		FUZZ_CHECK(l->crlf == m->crlf, "%s: line %zu: crlf %u, want %u",
		    how, i + 1, l->crlf, m->crlf);
		FUZZ_CHECK(l->noeol == m->noeol, "%s: line %zu: noeol %u, want %u",
		    how, i + 1, l->noeol, m->noeol);
	}
}

/*
 * The lines of a damaged unit.  How much a library decodes before it
 * finds damage can depend on how its input and output are cut (liblzma
 * may decode a few bytes more given all the input than a byte at a
 * time, libbz2 and libzstd drop what a failing call decoded), so the
 * lines from the damaged unit on are held to less: each one flagged
 * damaged, numbered in turn, and their text and the reference's one a
 * prefix of the other, no byte wrong.  Return how many lines came.
 */
static size_t
check_damaged(struct evp_input *in, struct evp_line *l, int *rc, size_t i,
    const char *from, size_t left, const char *how)
{
	struct evp_buf got = EVP_BUF_INIT;
	int cut = 0;

	for (; *rc > 0; *rc = evp_input_line(in, l), i++) {
		FUZZ_CHECK(l->no == i + 1, "%s: line number %llu, want %zu", how,
		    (unsigned long long)l->no, i + 1);
		FUZZ_CHECK(l->damaged, "%s: line %zu of a damaged unit not "
		    "flagged damaged", how, i + 1);
		cut |= l->toolong;
		evp_buf_add(&got, l->p, l->len);
		if (l->crlf)
			evp_buf_addc(&got, '\r');
		if (!l->noeol)
			evp_buf_addc(&got, '\n');
	}
	size_t n = got.len < left ? got.len : left;
	FUZZ_CHECK(cut || n == 0 || memcmp(got.p, from, n) == 0,
	    "%s: the damaged unit's lines are not what it decodes to: '%s' "
	    "against '%s'", how, fuzz_show(got.p, got.len), fuzz_show(from, left));
	evp_buf_release(&got);
	return i;
}

void
fuzz_check_lines(struct evp_input *in, enum fuzz_end ended, size_t good,
    const struct evp_buf *text, enum fuzz_kind kind, size_t size,
    const char *how)
{
	struct fuzz_line *model;
	size_t nmodel = fuzz_line_model(text->p ? text->p : "", text->len,
	    in->maxline, &model);
	struct evp_line l;
	size_t i = 0, sum = 0;
	int cut = 0, rc;

	while ((rc = evp_input_line(in, &l)) > 0) {
		/* A last line with no line end runs into the damage after it. */
		if (ended == FUZZ_CORRUPT && (i >= nmodel || model[i].last >=
		    good || (model[i].noeol && model[i].last + 1 >= good))) {
			/* From the first line that reaches the damage on. */
			size_t at = i < nmodel ? (size_t)(model[i].p - text->p) :
			    text->len;
			i = check_damaged(in, &l, &rc, i, text->p + at,
			    text->len - at, how);
			break;
		}
		FUZZ_CHECK(i < nmodel, "%s: line %llu returned, only %zu expected",
		    how, (unsigned long long)l.no, nmodel);
		same_line(&l, &model[i], i, how);
		int trunc = ended == FUZZ_CUT && i == nmodel - 1 &&
		    model[i].noeol;
		FUZZ_CHECK(!l.damaged, "%s: line %zu of a unit whose check "
		    "passed flagged damaged", how, i + 1);
		FUZZ_CHECK(l.truncated == trunc, "%s: line %zu: truncated %u, "
		    "want %d", how, i + 1, l.truncated, trunc);
		if (i % 3 == 1) {
			struct evp_line again;
			evp_input_unread(in);
			FUZZ_CHECK(evp_input_line(in, &again) == 1,
			    "%s: unread line not given again", how);
			FUZZ_CHECK(again.p == l.p && again.len == l.len &&
			    again.no == l.no, "%s: unread gave another line", how);
		}
		sum += l.len + l.crlf + !l.noeol;
		cut |= l.toolong;
		i++;
	}
	if (ended == FUZZ_CORRUPT) {
		/* Every line of the units whose check passed came. */
		size_t whole = 0;
		while (whole < nmodel && model[whole].last < good &&
		    !(model[whole].noeol && model[whole].last + 1 >= good))
			whole++;
		FUZZ_CHECK(i >= whole, "%s: %zu lines, want at least the %zu "
		    "before the damaged unit", how, i, whole);
	}
	free(model);
	if (ended != FUZZ_INTACT) {
		FUZZ_CHECK(rc < 0, "%s: damaged %s data ended cleanly (rc %d)",
		    how, fuzz_kind_name(kind), rc);
		if (ended != FUZZ_CORRUPT)
			FUZZ_CHECK(i == nmodel, "%s: %zu lines, want %zu (every "
			    "line before the damage)", how, i, nmodel);
		return;
	}
	FUZZ_CHECK(rc == 0, "%s: intact %s input ended with %d", how,
	    fuzz_kind_name(kind), rc);
	FUZZ_CHECK(i == nmodel, "%s: %zu lines, want %zu", how, i, nmodel);
	/* Bytes in are bytes out: lines, line ends and a BOM. */
	size_t bom = text->len >= 3 && memcmp(text->p, "\xEF\xBB\xBF", 3) == 0 ?
	    3 : 0;
	FUZZ_CHECK(cut ? sum + bom <= text->len : sum + bom == text->len,
	    "%s: lines and line ends sum to %zu, text has %zu", how, sum + bom,
	    text->len);
	if (kind == FUZZ_PLAIN)
		FUZZ_CHECK(in->bytes_in == size, "%s: bytes_in %llu of %zu", how,
		    (unsigned long long)in->bytes_in, size);
	FUZZ_CHECK(evp_input_line(in, &l) == 0, "%s: a line after the end", how);
}
