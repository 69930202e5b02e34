#ifndef EVP_UNZSTD_H
#define EVP_UNZSTD_H

#include "core/decode.h"

/*
 * zstd through libzstd, as a codec of core/decode: frames one after the
 * other, each checked by its content checksum when it has one (and by
 * its declared size); skippable frames are skipped; anything after a
 * frame that starts no frame is junk.  Static data; its decoders belong
 * to core/decode.
 */
extern const struct evp_codec evp_zstd_codec;

/* Do the first n bytes of p start a zstd frame (a skippable one too)? */
int	evp_zstd_magic(const unsigned char *p, size_t n);

#endif
