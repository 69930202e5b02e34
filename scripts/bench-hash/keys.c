/*
 * evp_hash that writes every key it is given to the file named by
 * EVP_BENCH_KEYS (a 4-byte length, then the bytes), and hashes it as
 * FNV-1a does.  scripts/bench --only hash links it in place of
 * lib/core/hash.c's to learn which keys evp validate hashes, then times
 * each hash over exactly those keys (bench-hash/time.c); never part of
 * a build.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/hash.h"

uint64_t bench_fnv_hash(const void *p, size_t n);

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static FILE *out;
static int opened;

static void
done(void)
{
	if (out != NULL && fclose(out) != 0) {
		perror("EVP_BENCH_KEYS");
		_exit(1);
	}
}

uint64_t
evp_hash(const void *p, size_t n)
{
	uint32_t len = (uint32_t)n;

	pthread_mutex_lock(&mu);
	if (!opened) {
		const char *path = getenv("EVP_BENCH_KEYS");
		opened = 1;
		if (path == NULL || (out = fopen(path, "wb")) == NULL) {
			perror("EVP_BENCH_KEYS");
			exit(1);
		}
		atexit(done);
	}
	fwrite(&len, sizeof(len), 1, out);
	fwrite(p, 1, n, out);
	pthread_mutex_unlock(&mu);
	return bench_fnv_hash(p, n);
}
