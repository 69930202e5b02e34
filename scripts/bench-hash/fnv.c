/*
 * evp_hash as it was before it was keyed: FNV-1a over 8-byte words,
 * unseeded (lib/core/map.c until the hash moved to lib/core/hash.c).
 * scripts/bench --only hash links it in place of lib/core/hash.c's to
 * measure what the keyed hash costs; never part of a build.
 */
#include <string.h>

#include "core/hash.h"

/* 64-bit FNV-1a over 8-byte words, then a final mix: fast and good enough. */
uint64_t
evp_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ n;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	while (n-- > 0)
		h = (h ^ *s++) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}
