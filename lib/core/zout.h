#ifndef EVP_ZOUT_H
#define EVP_ZOUT_H

#include <stddef.h>

#include "core/wq.h"

/*
 * Compressed output: bytes compressed as gzip (zlib, level 6, no name or
 * time in the header, as `gzip -n` writes) or zstd (level 3, with a
 * content checksum, as the zstd program writes) and written to a file
 * descriptor by a write function, one unit (a gzip member, a zstd frame)
 * per file.  A compressor owns its buffers; the descriptor is the
 * caller's.  One thread at a time may use it.
 */
enum evp_zkind { EVP_Z_NONE, EVP_Z_GZIP, EVP_Z_ZSTD };

struct evp_zout;

struct evp_zout *evp_zout_new(enum evp_zkind kind, evp_write_t write_fn, int fd);

/* Compress p[0..n) and write what is ready: 0, or an errno. */
int	evp_zout_write(struct evp_zout *z, const void *p, size_t n);

/* End the unit and write the rest: 0, or an errno. */
int	evp_zout_finish(struct evp_zout *z);

void	evp_zout_free(struct evp_zout *z);

/* "gzip", "zstd", "none" to a kind: 0, or -1 if unknown. */
int	evp_zkind_parse(const char *word, enum evp_zkind *k);
const char *evp_zkind_name(enum evp_zkind k);

/*
 * The compression a file name says, by its suffix: .gz gzip, .zst zstd,
 * else none.  Return 0, or -1 for a compressed format evpipe reads but
 * does not write (.xz, .bz2, and .lz4, .lzma, .zip, .Z), with *what
 * naming it.
 */
int	evp_zkind_of_name(const char *path, enum evp_zkind *k, const char **what);

/* Length of path without a compression suffix (.gz .zst .xz .bz2 ...). */
size_t	evp_zsuffix_strip(const char *path);

#endif
