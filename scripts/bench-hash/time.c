/*
 * Time each hash over the keys a run of evp validate hashed (the file
 * bench-hash/keys.c wrote): SipHash-1-3 under a random key, as evpipe
 * hashes (lib/core/hash.c), and the unkeyed FNV-1a it replaced
 * (bench-hash/fnv.c, renamed).  Prints "keys bytes sip_ns fnv_ns": the
 * key count, their bytes, and the least time over ROUNDS passes of each
 * hash over all of them, in nanoseconds.  scripts/bench --only hash
 * builds and runs it; never part of a build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"

#define ROUNDS	9

uint64_t bench_fnv_hash(const void *p, size_t n);

static unsigned char *keys;	/* length (4 bytes) then bytes, in turn */
static size_t size, nkeys;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t
pass(int sip, uint64_t *sink)
{
	uint64_t t = now_ns(), acc = 0;

	for (size_t off = 0; off < size; ) {
		uint32_t n;
		memcpy(&n, keys + off, 4);
		off += 4;
		acc += sip ? evp_hash(keys + off, n) :
		    bench_fnv_hash(keys + off, n);
		off += n;
	}
	*sink += acc;
	return now_ns() - t;
}

int
main(int argc, char **argv)
{
	FILE *f;
	uint64_t best[2] = { UINT64_MAX, UINT64_MAX }, sink = 0;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: time KEYFILE\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	rewind(f);
	if ((keys = malloc(size + 1)) == NULL ||
	    fread(keys, 1, size, f) != size) {
		fprintf(stderr, "time: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	for (size_t off = 0; off < size; nkeys++) {
		uint32_t n;
		memcpy(&n, keys + off, 4);
		off += 4 + n;
	}
	for (int r = 0; r < ROUNDS; r++)
		for (int sip = 0; sip < 2; sip++) {
			uint64_t t = pass(sip, &sink);
			if (t < best[sip])
				best[sip] = t;
		}
	printf("%zu %zu %llu %llu\n", nkeys, size - 4 * nkeys,
	    (unsigned long long)best[1], (unsigned long long)best[0]);
	return sink == 42;	/* keep the sums alive */
}
