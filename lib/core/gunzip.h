#ifndef EVP_GUNZIP_H
#define EVP_GUNZIP_H

#include "core/decode.h"

/*
 * gzip through zlib, as a codec of core/decode: members one after the
 * other, each checked by its CRC-32 and length; zeros after the last
 * member are padding (as gzip allows); anything else after a member is
 * junk.  Static data; its decoders belong to core/decode.
 */
extern const struct evp_codec evp_gzip_codec;

#endif
