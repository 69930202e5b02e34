#ifndef EVP_HASH_H
#define EVP_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The hash of the maps (core/map.h): SipHash-1-3, a keyed hash, under a
 * key drawn once per process from getrandom(2).  Without the key, nobody
 * can choose keys that collide, so no input can pile its ids into one
 * slot and make merge or dedupe quadratic.  The key changes from run to
 * run; nothing evpipe writes depends on it (maps give their values back
 * in insertion order).  No state is owned by the caller.
 */

/* The hash of p[0..n) under the process's key. */
uint64_t evp_hash(const void *p, size_t n);

/* SipHash-1-3 of p[0..n) under the key (k0, k1). */
uint64_t evp_siphash13(uint64_t k0, uint64_t k1, const void *p, size_t n);

/*
 * Set the process's key, for tests that compare runs under two keys;
 * call it before any map is made.
 */
void	evp_hash_key(uint64_t k0, uint64_t k1);

#endif
