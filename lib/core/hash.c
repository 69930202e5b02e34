#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "core/hash.h"

/*
 * SipHash (Aumasson and Bernstein, 2012) with one compression and three
 * finalization rounds, as Python 3.11 and Rust's HashMap use it: a
 * pseudorandom function of the key, so keys that collide cannot be made
 * without it, at a quarter of SipHash-2-4's rounds.  Written here rather
 * than taken from libsodium (SipHash-2-4 only, through a call that cannot
 * be inlined) or xxHash (XXH3 is fast but no PRF: pairs of 17-240 byte
 * messages collide whatever the seed far more often than chance).
 */

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* A little-endian 64-bit word, whatever the machine's order. */
static uint64_t
le64(const unsigned char *s)
{
	return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
	    (uint64_t)s[3] << 24 | (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 |
	    (uint64_t)s[6] << 48 | (uint64_t)s[7] << 56;
}

uint64_t
evp_siphash13(uint64_t k0, uint64_t k1, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)n << 56;

	for (; n >= 8; s += 8, n -= 8) {
		uint64_t m = le64(s);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t i = 0; i < n; i++)
		b |= (uint64_t)s[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t key[2];
static atomic_int keyed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Fill buf from the kernel's random source; -1 if there is none. */
static int
random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		p += got;
		n -= (size_t)got;
	}
	if (n == 0)
		return 0;
	/* Kernels before 3.17, or a filter refusing the call. */
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (n > 0) {
		ssize_t got = read(fd, p, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		p += got;
		n -= (size_t)got;
	}
	close(fd);
	return n == 0 ? 0 : -1;
}

static void
draw_key(void)
{
	if (random_bytes(key, sizeof(key)) < 0) {
		/*
		 * No random source at all: a key from the clock, the process
		 * and where the stack and this code were placed, hashed.
		 * Worse than random, far better than a fixed key.
		 */
		struct timespec ts;
		uint64_t m[4];
		clock_gettime(CLOCK_REALTIME, &ts);
		m[0] = (uint64_t)ts.tv_sec ^ (uint64_t)ts.tv_nsec << 32;
		m[1] = (uint64_t)getpid();
		m[2] = (uint64_t)(uintptr_t)&ts;
		m[3] = (uint64_t)(uintptr_t)draw_key;
		key[0] = evp_siphash13(m[0], m[1], m, sizeof(m));
		key[1] = evp_siphash13(m[2], m[3], m, sizeof(m));
	}
	atomic_store_explicit(&keyed, 1, memory_order_release);
}

uint64_t
evp_hash(const void *p, size_t n)
{
	if (!atomic_load_explicit(&keyed, memory_order_acquire))
		pthread_once(&once, draw_key);
	return evp_siphash13(key[0], key[1], p, n);
}

void
evp_hash_key(uint64_t k0, uint64_t k1)
{
	pthread_once(&once, draw_key);
	key[0] = k0;
	key[1] = k1;
}
