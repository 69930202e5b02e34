#include <limits.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "core/unxz.h"
#include "core/xalloc.h"

uint64_t evp_xz_memlimit = (uint64_t)1 << 30;

struct xz {
	lzma_stream	 s;
	int		 between;	/* a stream ended; what follows? */
	uint64_t	 pad;		/* zero bytes after it */
	size_t		 hdr;		/* bytes of the stream's magic taken */
};

static const unsigned char magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0 };

static void
begin(struct xz *x)
{
	/* One stream at a time, so that each is a unit of its own. */
	if (lzma_stream_decoder(&x->s, evp_xz_memlimit, 0) != LZMA_OK)
		evp_oom();
}

static void *
xz_start(void)
{
	struct xz *x = xcalloc(1, sizeof(*x));
	lzma_stream init = LZMA_STREAM_INIT;

	x->s = init;
	begin(x);
	return x;
}

/* After a stream: padding, another stream, or the end. */
static enum evp_dec_rc
between(struct xz *x, const unsigned char **in, size_t *inlen, int eof,
    const char **why)
{
	for (; *inlen > 0 && **in == 0; (*in)++, (*inlen)--)
		x->pad++;
	if (*inlen == 0 && !eof)
		return EVP_DEC_MORE;
	if (x->pad % 4 != 0) {
		*why = "xz stream padding not a multiple of four bytes";
		return EVP_DEC_JUNK;
	}
	if (*inlen == 0)
		return EVP_DEC_END;
	x->between = 0;
	x->pad = 0;
	x->hdr = 0;
	begin(x);
	return EVP_DEC_MORE;
}

static const char *
why_of(lzma_ret rc)
{
	switch (rc) {
	case LZMA_MEM_ERROR:
		return "out of memory";
	case LZMA_MEMLIMIT_ERROR:
		return "xz stream needs too much memory (over 1 GiB)";
	case LZMA_OPTIONS_ERROR:
		return "unsupported xz options";
	default:
		return "corrupt xz data";
	}
}

static enum evp_dec_rc
xz_step(void *st, const unsigned char **in, size_t *inlen, unsigned char *out,
    size_t *outlen, int eof, const char **why)
{
	struct xz *x = st;
	size_t cap = *outlen;

	*outlen = 0;
	if (x->between) {
		enum evp_dec_rc rc = between(x, in, inlen, eof, why);
		if (rc != EVP_DEC_MORE || x->between)
			return rc;
	}
	/* Whatever follows a stream must start another: else it is junk. */
	for (size_t i = 0; x->hdr + i < sizeof(magic) && i < *inlen; i++)
		if ((*in)[i] != magic[x->hdr + i]) {
			*why = "junk after the last xz stream";
			return EVP_DEC_JUNK;
		}
	x->s.next_in = *in;
	x->s.avail_in = *inlen;
	x->s.next_out = out;
	x->s.avail_out = cap;
	lzma_ret rc = lzma_code(&x->s, eof ? LZMA_FINISH : LZMA_RUN);
	*outlen = cap - x->s.avail_out;
	size_t used = *inlen - x->s.avail_in;
	*in += used;
	*inlen -= used;
	x->hdr = x->hdr + used < sizeof(magic) ? x->hdr + used : sizeof(magic);
	switch (rc) {
	case LZMA_OK:
	case LZMA_BUF_ERROR:		/* cut short: core/decode sees it */
		return EVP_DEC_MORE;
	case LZMA_STREAM_END:		/* its checks, index and footer passed */
		x->between = 1;
		return EVP_DEC_MEMBER;
	default:
		*why = why_of(rc);
		return EVP_DEC_DAMAGE;
	}
}

static void
xz_free(void *st)
{
	struct xz *x = st;

	lzma_end(&x->s);
	free(x);
}

const struct evp_codec evp_xz_codec = {
	"xz", "truncated xz data", "in an xz stream whose check failed",
	xz_start, xz_step, xz_free
};
