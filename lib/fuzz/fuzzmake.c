#include <bzlib.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "core/input.h"
#include "fuzzcodec.h"

static struct fuzz_file file;

/* What d[0..2] say. */
struct how {
	size_t		units;
	int		damage, variant, std;
	size_t		rep;
	uint8_t		where, opt;
};

enum { D_NONE, D_CUT, D_FLIP, D_FLIP4, D_JUNK, D_ZERO, D_LAST };

static void
zstd_unit(struct evp_buf *out, const char *p, size_t n, const struct how *h)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t bound = ZSTD_compressBound(n);

	if (c == NULL)
		fuzz_fail("ZSTD_createCCtx");
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, !h->variant);
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1 + h->opt % 4);
	/* Without the size in the header, sometimes. */
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, h->opt & 8 ? 0 : 1);
	evp_buf_grow(out, bound);
	size_t r = ZSTD_compress2(c, out->p + out->len, bound, p, n);
	if (ZSTD_isError(r))
		fuzz_fail("ZSTD_compress2: %s", ZSTD_getErrorName(r));
	out->len += r;
	ZSTD_freeCCtx(c);
	if (h->opt & 16) {		/* a skippable frame after it */
		static const char skip[] = "\x5E\x2A\x4D\x18\x02\0\0\0hi";
		evp_buf_add(out, skip, sizeof(skip) - 1);
	}
}

static void
xz_unit(struct evp_buf *out, const char *p, size_t n, const struct how *h)
{
	static const lzma_check checks[] = {
		LZMA_CHECK_CRC64, LZMA_CHECK_CRC32, LZMA_CHECK_SHA256,
		LZMA_CHECK_NONE
	};
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_mt mt;

	memset(&mt, 0, sizeof(mt));
	mt.threads = 1;
	mt.block_size = 1024 * (1 + (h->opt >> 4 & 7));
	mt.preset = h->opt & 1;
	mt.check = checks[h->opt >> 1 & 3];
	/* One block by the plain encoder (cheaper), several by the mt one. */
	if (h->variant ? lzma_stream_encoder_mt(&s, &mt) != LZMA_OK :
	    lzma_easy_encoder(&s, mt.preset, mt.check) != LZMA_OK)
		fuzz_fail("lzma encoder");
	size_t bound = lzma_stream_buffer_bound(n) + 65536;
	evp_buf_grow(out, bound);
	s.next_in = (const uint8_t *)p;
	s.avail_in = n;
	s.next_out = (uint8_t *)out->p + out->len;
	s.avail_out = bound;
	lzma_ret rc;
	while ((rc = lzma_code(&s, LZMA_FINISH)) == LZMA_OK)
		;
	if (rc != LZMA_STREAM_END)
		fuzz_fail("lzma_code: %d", rc);
	out->len += bound - s.avail_out;
	lzma_end(&s);
	if (h->opt & 8)			/* stream padding after it */
		evp_buf_add(out, "\0\0\0\0\0\0\0\0", 4 + 4 * (h->opt >> 7));
}

static void
bzip2_unit(struct evp_buf *out, const char *p, size_t n, const struct how *h)
{
	unsigned bound = (unsigned)(n + n / 100 + 600);

	evp_buf_grow(out, bound);
	if (BZ2_bzBuffToBuffCompress(out->p + out->len, &bound, (char *)p,
	    (unsigned)n, h->variant ? 1 : 1 + (h->opt >> 4 & 7) % 9, 0, 0) != BZ_OK)
		fuzz_fail("BZ2_bzBuffToBuffCompress");
	out->len += bound;
}

static void
damage(struct evp_buf *f, const struct how *h)
{
	size_t at = f->len ? (size_t)h->where * f->len / 256 : 0;

	switch (h->damage) {
	case D_CUT:
		f->len = at;
		break;
	case D_FLIP:
		if (at < f->len)
			f->p[at] ^= (char)(1 + h->opt);
		break;
	case D_FLIP4:
		for (size_t i = at; i < at + 4 && i < f->len; i++)
			f->p[i] ^= (char)0xA5;
		break;
	case D_JUNK:
		evp_buf_add(f, "junk\n", 1 + h->where % 5);
		break;
	case D_ZERO:
		for (size_t i = at; i < at + 1 + h->opt % 64 && i < f->len; i++)
			f->p[i] = 0;
		break;
	case D_LAST:
		if (f->len > 0)
			f->p[f->len - 1] ^= (char)(1 + h->where);
		break;
	}
}

int
fuzz_codec_one(enum fuzz_kind kind, const uint8_t *d, size_t n)
{
	static const size_t reps[] = { 1, 3, 40, 300 };
	struct evp_buf text = EVP_BUF_INIT, f = EVP_BUF_INIT, got = EVP_BUF_INIT;
	struct how h;

	if (n < 3 || n > 8192)
		return -1;
	h.units = 1 + (d[0] & 3);
	h.damage = d[0] >> 2 & 7;
	h.variant = d[0] >> 5 & 1;
	h.rep = reps[d[0] >> 6];
	h.where = d[1];
	h.opt = d[2];
	h.std = d[2] >> 7;
	for (size_t r = 0; r < h.rep; r++)
		evp_buf_add(&text, d + 3, n - 3);

	/* Units split where the text's hash says, in order. */
	uint32_t seed = fuzz_hash(d, n);
	size_t cut[5] = { 0 }, k = 1;
	for (size_t u = 1; u < h.units; u++) {
		seed = seed * 1103515245u + 12345u;
		cut[k++] = text.len ? (size_t)(seed >> 8) % (text.len + 1) : 0;
	}
	cut[k] = text.len;
	for (size_t i = 1; i < k; i++)		/* sort the cuts */
		for (size_t j = i; j > 0 && cut[j] < cut[j - 1]; j--) {
			size_t t = cut[j];
			cut[j] = cut[j - 1];
			cut[j - 1] = t;
		}
	for (size_t u = 0; u < h.units; u++) {
		const char *p = text.p ? text.p + cut[u] : "";
		size_t len = cut[u + 1] - cut[u];
		if (kind == FUZZ_ZSTD)
			zstd_unit(&f, p, len, &h);
		else if (kind == FUZZ_XZ)
			xz_unit(&f, p, len, &h);
		else
			bzip2_unit(&f, p, len, &h);
	}
	damage(&f, &h);

	size_t good = 0;
	enum fuzz_end ended = fuzz_ref_decode(kind, (const uint8_t *)f.p, f.len,
	    &got, &good);
	if (h.damage == D_NONE)
		FUZZ_CHECK(ended == FUZZ_INTACT && got.len == text.len &&
		    (text.len == 0 || memcmp(got.p, text.p, text.len) == 0),
		    "%s: an undamaged file does not decode to its text (end %d)",
		    fuzz_kind_name(kind), ended);
	if (ended != FUZZ_TOOBIG && f.len > 0 &&
	    fuzz_kind((const uint8_t *)f.p, f.len) == kind) {
		struct evp_input in;
		FUZZ_CHECK(evp_input_open(&in, fuzz_file_put(&file, f.p, f.len),
		    0) == 0, "%s: cannot open the file", fuzz_kind_name(kind));
		fuzz_check_lines(&in, ended, good, &got, kind, f.len, "file");
		evp_input_close(&in);
		if (h.std) {
			fuzz_stdin_start(f.p, f.len, seed, 4096);
			FUZZ_CHECK(evp_input_open(&in, "-", 0) == 0,
			    "evp_input_open failed on standard input");
			fuzz_check_lines(&in, ended, good, &got, kind, f.len,
			    "stdin");
			evp_input_close(&in);
			fuzz_stdin_end();
		}
	}
	evp_buf_release(&text);
	evp_buf_release(&f);
	evp_buf_release(&got);
	return 0;
}
