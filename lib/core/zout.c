#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "core/xalloc.h"
#include "core/zout.h"

#define ZBUF	(256 * 1024)

struct evp_zout {
	enum evp_zkind	 kind;
	evp_write_t	 write_fn;
	int		 fd;
	z_stream	 zs;
	ZSTD_CCtx	*cc;
	unsigned char	*buf;		/* compressed bytes not yet written */
};

struct evp_zout *
evp_zout_new(enum evp_zkind kind, evp_write_t write_fn, int fd)
{
	struct evp_zout *z = xcalloc(1, sizeof(*z));

	z->kind = kind;
	z->write_fn = write_fn;
	z->fd = fd;
	z->buf = xmalloc(ZBUF);
	if (kind == EVP_Z_GZIP) {
		/* 16 + MAX_WBITS: a gzip wrapper; zlib writes no name, time 0. */
		if (deflateInit2(&z->zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			evp_oom();
	} else if (kind == EVP_Z_ZSTD) {
		if ((z->cc = ZSTD_createCCtx()) == NULL)
			evp_oom();
		ZSTD_CCtx_setParameter(z->cc, ZSTD_c_compressionLevel, 3);
		ZSTD_CCtx_setParameter(z->cc, ZSTD_c_checksumFlag, 1);
	}
	return z;
}

static int
gz_run(struct evp_zout *z, const void *p, size_t n, int finish)
{
	const unsigned char *in = p;

	for (;;) {
		uInt avail = n > UINT_MAX ? UINT_MAX : (uInt)n;
		z->zs.next_in = (Bytef *)(uintptr_t)in;
		z->zs.avail_in = avail;
		z->zs.next_out = z->buf;
		z->zs.avail_out = ZBUF;
		int rc = deflate(&z->zs, finish && avail == n ? Z_FINISH :
		    Z_NO_FLUSH);
		if (rc == Z_STREAM_ERROR)
			return EIO;
		size_t used = avail - z->zs.avail_in;
		in += used;
		n -= used;
		size_t out = ZBUF - z->zs.avail_out;
		int e = out ? evp_write_all(z->write_fn, z->fd, z->buf, out) : 0;
		if (e != 0)
			return e;
		if (finish ? rc == Z_STREAM_END : n == 0 && z->zs.avail_out > 0)
			return 0;
	}
}

static int
zs_run(struct evp_zout *z, const void *p, size_t n, int finish)
{
	ZSTD_inBuffer ib = { p, n, 0 };

	for (;;) {
		ZSTD_outBuffer ob = { z->buf, ZBUF, 0 };
		size_t left = ZSTD_compressStream2(z->cc, &ob, &ib,
		    finish ? ZSTD_e_end : ZSTD_e_continue);
		if (ZSTD_isError(left))
			return ZSTD_getErrorCode(left) ==
			    ZSTD_error_memory_allocation ? ENOMEM : EIO;
		int e = ob.pos ? evp_write_all(z->write_fn, z->fd, z->buf,
		    ob.pos) : 0;
		if (e != 0)
			return e;
		if (finish ? left == 0 : ib.pos == ib.size && ob.pos < ob.size)
			return 0;
	}
}

int
evp_zout_write(struct evp_zout *z, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	switch (z->kind) {
	case EVP_Z_GZIP:
		return gz_run(z, p, n, 0);
	case EVP_Z_ZSTD:
		return zs_run(z, p, n, 0);
	default:
		return evp_write_all(z->write_fn, z->fd, p, n);
	}
}

int
evp_zout_finish(struct evp_zout *z)
{
	switch (z->kind) {
	case EVP_Z_GZIP:
		return gz_run(z, "", 0, 1);
	case EVP_Z_ZSTD:
		return zs_run(z, "", 0, 1);
	default:
		return 0;
	}
}

void
evp_zout_free(struct evp_zout *z)
{
	if (z == NULL)
		return;
	if (z->kind == EVP_Z_GZIP)
		deflateEnd(&z->zs);
	ZSTD_freeCCtx(z->cc);
	free(z->buf);
	free(z);
}

static const char *const znames[] = { "none", "gzip", "zstd" };

int
evp_zkind_parse(const char *word, enum evp_zkind *k)
{
	for (size_t i = 0; i < sizeof(znames) / sizeof(znames[0]); i++)
		if (strcmp(word, znames[i]) == 0) {
			*k = (enum evp_zkind)i;
			return 0;
		}
	return -1;
}

const char *
evp_zkind_name(enum evp_zkind k)
{
	return znames[k];
}

/* Suffixes of compressed files, and what each is (NULL: written). */
static const struct {
	const char	*suffix;
	enum evp_zkind	 kind;
	const char	*unwritten;
} suffixes[] = {
	{ ".gz", EVP_Z_GZIP, NULL }, { ".zst", EVP_Z_ZSTD, NULL },
	{ ".xz", EVP_Z_NONE, "xz" }, { ".bz2", EVP_Z_NONE, "bzip2" },
	{ ".lz4", EVP_Z_NONE, "lz4" }, { ".lzma", EVP_Z_NONE, "lzma" },
	{ ".zip", EVP_Z_NONE, "zip" }, { ".Z", EVP_Z_NONE, "compress" },
};

static int
suffix_of(const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i].suffix);
		if (n > k && strcmp(path + n - k, suffixes[i].suffix) == 0)
			return (int)i;
	}
	return -1;
}

int
evp_zkind_of_name(const char *path, enum evp_zkind *k, const char **what)
{
	int i = suffix_of(path);

	*k = EVP_Z_NONE;
	if (i < 0)
		return 0;
	if (suffixes[i].unwritten != NULL) {
		*what = suffixes[i].unwritten;
		return -1;
	}
	*k = suffixes[i].kind;
	return 0;
}

size_t
evp_zsuffix_strip(const char *path)
{
	int i = suffix_of(path);

	return strlen(path) - (i < 0 ? 0 : strlen(suffixes[i].suffix));
}
