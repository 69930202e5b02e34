/*
 * evp_hash as XXH3 with a 64-bit seed through libxxhash (inlined from its
 * header), seeded once per process from getrandom(2): one of the hashes
 * scripts/bench --only hash measures against lib/core/hash.c's; never
 * part of a build.
 */
#include <sys/random.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "core/hash.h"

static uint64_t seed;
static int seeded;

uint64_t
evp_hash(const void *p, size_t n)
{
	if (!seeded) {
		if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
			return 0;
		seeded = 1;
	}
	return XXH3_64bits_withSeed(p, n, seed);
}
