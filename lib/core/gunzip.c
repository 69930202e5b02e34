#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "core/gunzip.h"
#include "core/xalloc.h"

struct gz {
	z_stream	 zs;
	int		 between;	/* a member ended; what follows? */
	int		 padding;	/* zeros after the last member */
};

static void *
gz_start(void)
{
	struct gz *g = xcalloc(1, sizeof(*g));

	/* 16 + MAX_WBITS: gzip wrapper only, so junk is not taken for zlib. */
	if (inflateInit2(&g->zs, 16 + MAX_WBITS) != Z_OK)
		evp_oom();
	return g;
}

/* After a member: another one, zeros to the end, or nothing more. */
static enum evp_dec_rc
between(struct gz *g, const unsigned char **in, size_t *inlen, int eof,
    const char **why)
{
	if (!g->padding && *inlen > 0 && (*in)[0] != 0) {
		/* Another member must start with the magic bytes. */
		if ((*in)[0] != 0x1f || (*inlen >= 2 && (*in)[1] != 0x8b)) {
			*why = "junk after the last gzip member";
			return EVP_DEC_JUNK;
		}
		if (inflateReset(&g->zs) != Z_OK) {
			*why = "corrupt gzip data";
			return EVP_DEC_DAMAGE;
		}
		g->between = 0;
		return EVP_DEC_MORE;
	}
	/* Zeros after the last member must run to the end of the file. */
	for (; *inlen > 0; (*in)++, (*inlen)--) {
		if (**in != 0) {
			*why = "junk after the last gzip member";
			return EVP_DEC_JUNK;
		}
		g->padding = 1;
	}
	return eof ? EVP_DEC_END : EVP_DEC_MORE;
}

static enum evp_dec_rc
gz_step(void *st, const unsigned char **in, size_t *inlen, unsigned char *out,
    size_t *outlen, int eof, const char **why)
{
	struct gz *g = st;
	size_t cap = *outlen;

	*outlen = 0;
	if (g->between) {
		enum evp_dec_rc rc = between(g, in, inlen, eof, why);
		if (rc != EVP_DEC_MORE || g->between)
			return rc;
	}
	uInt avail = *inlen > UINT_MAX ? UINT_MAX : (uInt)*inlen;
	g->zs.next_in = (Bytef *)(uintptr_t)*in;
	g->zs.avail_in = avail;
	g->zs.next_out = out;
	g->zs.avail_out = cap > UINT_MAX ? UINT_MAX : (uInt)cap;
	int rc = inflate(&g->zs, Z_NO_FLUSH);
	*outlen = (size_t)(g->zs.next_out - out);
	*inlen -= avail - g->zs.avail_in;
	*in += avail - g->zs.avail_in;
	if (rc == Z_STREAM_END) {
		g->between = 1;
		return EVP_DEC_MEMBER;
	}
	if (rc == Z_OK || rc == Z_BUF_ERROR)
		return EVP_DEC_MORE;
	*why = rc == Z_MEM_ERROR ? "out of memory" : "corrupt gzip data";
	return EVP_DEC_DAMAGE;
}

static void
gz_free(void *st)
{
	struct gz *g = st;

	inflateEnd(&g->zs);
	free(g);
}

const struct evp_codec evp_gzip_codec = {
	"gzip", "truncated gzip data", "in a gzip member whose check failed",
	gz_start, gz_step, gz_free
};
