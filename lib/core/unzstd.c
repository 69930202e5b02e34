#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define ZSTD_STATIC_LINKING_ONLY	/* ZSTD_frameHeaderSize */
#include <zstd.h>
#include <zstd_errors.h>

#include "core/unzstd.h"
#include "core/xalloc.h"

/*
 * libzstd's streaming decoder takes two damaged frames its one-shot
 * decoder refuses: a frame whose header declares a content size other
 * than what it decodes to, and a compressed block of size 0.  So the
 * frame's header and block headers are followed here as they are taken,
 * and both are damage.
 */
struct frame {
	unsigned char	 fh[ZSTD_FRAMEHEADERSIZE_MAX];	/* its first bytes */
	uint64_t	 at;		/* bytes of it taken */
	uint64_t	 next;		/* where the next block header starts,
					 * 0 while unknown */
	unsigned char	 bh[3];		/* that block header */
	int		 last;		/* the last block's header was read */
	uint64_t	 made;		/* bytes decoded */
};

struct zs {
	ZSTD_DCtx	*d;
	unsigned char	 m[4];		/* the frame's first bytes */
	size_t		 hdr;		/* how many of them were taken */
	size_t		 hint;		/* libzstd's: the input it wants next */
	int		 between;	/* a frame ended; what follows? */
	struct frame	 f;
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

/*
 * Follow the frame over the n bytes at p just taken: the frame header,
 * then each block header (3 bytes: last flag, type, size).  Return a
 * reason the frame is damaged, or NULL.
 */
static const char *
follow(struct frame *f, const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint64_t off = f->at + i;
		int took = 0;

		if (off < sizeof(f->fh)) {
			f->fh[off] = p[i];
			took = 1;
			if (off == ZSTD_FRAMEHEADERSIZE_PREFIX(ZSTD_f_zstd1) - 1) {
				size_t hs = ZSTD_frameHeaderSize(f->fh, off + 1);
				f->next = ZSTD_isError(hs) ? 0 : hs;
			}
		}
		if (f->next != 0 && !f->last && off >= f->next &&
		    off < f->next + 3) {
			f->bh[off - f->next] = p[i];
			took = 1;
			if (off == f->next + 2) {
				uint32_t h = f->bh[0] | (uint32_t)f->bh[1] << 8 |
				    (uint32_t)f->bh[2] << 16;
				uint32_t type = h >> 1 & 3, size = h >> 3;
				if (type == 2 && size == 0)
					return "corrupt zstd data (an empty "
					    "compressed block)";
				f->last = h & 1;
				f->next += 3 + (type == 1 ? 1 : size);
			}
		}
		if (took)
			i++;
		else if (f->next > off && !f->last && f->next - off < n - i)
			i += f->next - off;	/* to the next block header */
		else
			i = n;
	}
	f->at += n;
	return NULL;
}

/* Does the frame that ended decode to the size its header declares? */
static int
size_kept(const struct frame *f)
{
	size_t hn = f->at < sizeof(f->fh) ? f->at : sizeof(f->fh);
	unsigned long long want = ZSTD_getFrameContentSize(f->fh, hn);

	return want == ZSTD_CONTENTSIZE_UNKNOWN ||
	    want == ZSTD_CONTENTSIZE_ERROR || want == f->made;
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
		memset(&z->f, 0, sizeof(z->f));
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
	const unsigned char *took = *in;
	*in += ib.pos;
	*inlen -= ib.pos;
	*outlen = ob.pos;
	if (ZSTD_isError(rc)) {
		*why = why_of(rc);
		return EVP_DEC_DAMAGE;
	}
	z->hdr += ib.pos < k ? ib.pos : k;
	z->hint = rc;
	if (z->m[0] == 0x28) {		/* a frame, not a skippable one */
		z->f.made += ob.pos;
		if ((*why = follow(&z->f, took, ib.pos)) != NULL)
			return EVP_DEC_DAMAGE;
		if (rc == 0 && !size_kept(&z->f)) {
			*why = "corrupt zstd data (not the size its header "
			    "declares)";
			return EVP_DEC_DAMAGE;
		}
	}
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
