#include <stdlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "core/unzstd.h"
#include "core/xalloc.h"

struct zs {
	ZSTD_DCtx	*d;
	unsigned char	 m[4];		/* the frame's first bytes */
	size_t		 hdr;		/* how many of them were taken */
	size_t		 hint;		/* libzstd's: the input it wants next */
	int		 between;	/* a frame ended; what follows? */
};

int
evp_zstd_magic(const unsigned char *p, size_t n)
{
	static const unsigned char frame[4] = { 0x28, 0xB5, 0x2F, 0xFD };
	static const unsigned char skip[4] = { 0x50, 0x2A, 0x4D, 0x18 };
	int f = 1, s = 1;

	/* A skippable frame's first byte is 0x50 to 0x5F. */
	for (size_t i = 0; i < n && i < 4; i++) {
		f &= p[i] == frame[i];
		s &= i == 0 ? (p[i] & 0xF0) == skip[0] : p[i] == skip[i];
	}
	return f || s;
}

static void *
zs_start(void)
{
	struct zs *z = xcalloc(1, sizeof(*z));

	if ((z->d = ZSTD_createDCtx()) == NULL)
		evp_oom();
	z->hint = 1;
	return z;
}

static const char *
why_of(size_t rc)
{
	switch (ZSTD_getErrorCode(rc)) {
	case ZSTD_error_memory_allocation:
		return "out of memory";
	case ZSTD_error_frameParameter_windowTooLarge:
		return "zstd window too large (over 128 MiB)";
	default:
		return "corrupt zstd data";
	}
}

static enum evp_dec_rc
zs_step(void *st, const unsigned char **in, size_t *inlen, unsigned char *out,
    size_t *outlen, int eof, const char **why)
{
	struct zs *z = st;
	size_t cap = *outlen;

	*outlen = 0;
	if (z->between) {
		if (*inlen == 0)
			return eof ? EVP_DEC_END : EVP_DEC_MORE;
		z->between = 0;
		z->hdr = 0;
		z->hint = 1;
	}
	/*
	 * A call that fails returns none of its output, so a call must not
	 * complete a good block and then meet damage, or that block would be
	 * lost unseen.  libzstd's hint is the input that completes the next
	 * block plus the next block's 3-byte header: given 3 bytes less, a
	 * call completes one block at most and stops before the header; the
	 * last bytes of a header or a checksum go one at a time.
	 */
	size_t take = z->hint > 4 ? z->hint - 3 : 1;
	ZSTD_inBuffer ib = { *in, *inlen < take ? *inlen : take, 0 };
	ZSTD_outBuffer ob = { out, cap, 0 };

	/* Whatever follows a frame must start another: else it is junk. */
	size_t k = *inlen < 4 - z->hdr ? *inlen : 4 - z->hdr;
	for (size_t i = 0; i < k; i++)
		z->m[z->hdr + i] = (*in)[i];
	if (k > 0 && !evp_zstd_magic(z->m, z->hdr + k)) {
		*why = "junk after the last zstd frame";
		return EVP_DEC_JUNK;
	}
	size_t rc = ZSTD_decompressStream(z->d, &ob, &ib);
	*in += ib.pos;
	*inlen -= ib.pos;
	*outlen = ob.pos;
	if (ZSTD_isError(rc)) {
		*why = why_of(rc);
		return EVP_DEC_DAMAGE;
	}
	z->hdr += ib.pos < k ? ib.pos : k;
	z->hint = rc;
	if (rc == 0) {			/* a frame ended, its check passed */
		z->between = 1;
		return EVP_DEC_MEMBER;
	}
	return EVP_DEC_MORE;
}

static void
zs_free(void *st)
{
	struct zs *z = st;

	ZSTD_freeDCtx(z->d);
	free(z);
}

const struct evp_codec evp_zstd_codec = {
	"zstd", "truncated zstd data", "in a zstd frame whose check failed",
	zs_start, zs_step, zs_free
};
