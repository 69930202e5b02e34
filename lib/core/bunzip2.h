#ifndef EVP_BUNZIP2_H
#define EVP_BUNZIP2_H

#include "core/decode.h"

/*
 * bzip2 through libbz2, as a codec of core/decode: streams one after the
 * other (pbzip2 writes several), each checked by its blocks' CRCs and
 * its combined CRC; anything after a stream that starts no stream is
 * junk.  Static data; its decoders belong to core/decode.
 */
extern const struct evp_codec evp_bzip2_codec;

/* Do the first n bytes of p start a bzip2 stream ("BZh" and a level)? */
int	evp_bzip2_magic(const unsigned char *p, size_t n);

#endif
