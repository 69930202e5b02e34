/*
 * evp_hash as SipHash-2-4 through libsodium (crypto_shorthash), keyed
 * once per process from getrandom(2): one of the hashes scripts/bench
 * --only hash measures against lib/core/hash.c's; never part of a build.
 */
#include <sodium.h>
#include <sys/random.h>

#include "core/hash.h"

static unsigned char key[crypto_shorthash_KEYBYTES];
static int keyed;

uint64_t
evp_hash(const void *p, size_t n)
{
	uint64_t h;

	if (!keyed) {
		if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
			return 0;
		keyed = 1;
	}
	crypto_shorthash((unsigned char *)&h, p, n, key);
	return h;
}
