#ifndef EVP_UNXZ_H
#define EVP_UNXZ_H

#include <stdint.h>

#include "core/decode.h"

/*
 * xz through liblzma, as a codec of core/decode: streams one after the
 * other, each checked by its blocks' checks (CRC32, CRC64 or SHA-256, as
 * the stream says), its index and its footer; zero bytes between and
 * after streams are stream padding, in multiples of four as the format
 * allows; anything else after a stream is junk.  Static data; its
 * decoders belong to core/decode.
 */
extern const struct evp_codec evp_xz_codec;

/* The most memory one stream may need (its dictionary): 1 GiB; tests lower it. */
extern uint64_t evp_xz_memlimit;

#endif
