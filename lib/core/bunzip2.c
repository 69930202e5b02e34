#include <bzlib.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/bunzip2.h"
#include "core/xalloc.h"

#define OUTCAP	(64 * 1024)	/* output of one call */

struct bz {
	bz_stream	 s;
	unsigned char	 m[4];		/* the stream's first bytes */
	size_t		 hdr;		/* how many of them were taken */
	int		 between;	/* a stream ended; what follows? */
};

int
evp_bzip2_magic(const unsigned char *p, size_t n)
{
	static const char m[] = "BZh";

	for (size_t i = 0; i < n && i < 4; i++)
		if (i < 3 ? p[i] != (unsigned char)m[i] : p[i] < '1' || p[i] > '9')
			return 0;
	return 1;
}

static void
begin(struct bz *b)
{
	memset(&b->s, 0, sizeof(b->s));
	if (BZ2_bzDecompressInit(&b->s, 0, 0) != BZ_OK)
		evp_oom();
	b->hdr = 0;
}

static void *
bz_start(void)
{
	struct bz *b = xcalloc(1, sizeof(*b));

	begin(b);
	return b;
}

static enum evp_dec_rc
bz_step(void *st, const unsigned char **in, size_t *inlen, unsigned char *out,
    size_t *outlen, int eof, const char **why)
{
	struct bz *b = st;
	unsigned avail = *inlen > UINT_MAX ? UINT_MAX : (unsigned)*inlen;
	/*
	 * libbz2 finds some damage while writing a block out, and then does
	 * not say how much it wrote: small calls lose less of what came.
	 */
	unsigned cap = *outlen > OUTCAP ? OUTCAP : (unsigned)*outlen;

	*outlen = 0;
	if (b->between) {
		if (*inlen == 0)
			return eof ? EVP_DEC_END : EVP_DEC_MORE;
		BZ2_bzDecompressEnd(&b->s);
		begin(b);
		b->between = 0;
	}
	/* Whatever follows a stream must start another: else it is junk. */
	size_t k = avail < 4 - b->hdr ? avail : 4 - b->hdr;
	for (size_t i = 0; i < k; i++)
		b->m[b->hdr + i] = (*in)[i];
	if (k > 0 && !evp_bzip2_magic(b->m, b->hdr + k)) {
		*why = "junk after the last bzip2 stream";
		return EVP_DEC_JUNK;
	}
	b->s.next_in = (char *)(uintptr_t)*in;
	b->s.avail_in = avail;
	b->s.next_out = (char *)out;
	b->s.avail_out = cap;
	int rc = BZ2_bzDecompress(&b->s);
	size_t used = avail - b->s.avail_in;
	*in += used;
	*inlen -= used;
	*outlen = cap - b->s.avail_out;
	b->hdr += used < k ? used : k;
	switch (rc) {
	case BZ_OK:
		return EVP_DEC_MORE;
	case BZ_STREAM_END:		/* its block and stream CRCs passed */
		b->between = 1;
		return EVP_DEC_MEMBER;
	case BZ_MEM_ERROR:
		*why = "out of memory";
		return EVP_DEC_DAMAGE;
	default:
		*why = "corrupt bzip2 data";
		return EVP_DEC_DAMAGE;
	}
}

static void
bz_free(void *st)
{
	struct bz *b = st;

	BZ2_bzDecompressEnd(&b->s);
	free(b);
}

const struct evp_codec evp_bzip2_codec = {
	"bzip2", "truncated bzip2 data", "in a bzip2 stream whose check failed",
	bz_start, bz_step, bz_free
};
