/*
 * Unit tests for lib/core/hash: SipHash-1-3 against known values, the
 * process's key, and a map whose values come back in the same order
 * whatever the key.
 *
 * The known values are CPython 3.11's hash() of bytes(range(n)) with
 * PYTHONHASHSEED=0, which is SipHash-1-3 under the key zero (Python's
 * sys.hash_info.algorithm is 'siphash13').
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "core/hash.h"
#include "core/map.h"
#include "testutil.h"

static void
test_known_values(void **state)
{
	static const struct {
		size_t		n;
		uint64_t	h;
	} want[] = {
		{ 1, 0x68a914128e01e473ULL },
		{ 7, 0x2f098ab0c751325aULL },
		{ 8, 0xead411e67ebe2eeaULL },
		{ 9, 0x75927f9d95124362ULL },
		{ 15, 0xf30eb725bb91c9eaULL },
		{ 16, 0x8972188433a5c5b7ULL },
		{ 36, 0xac77921fcc642bd3ULL },
		{ 40, 0x95bc321ab41d8206ULL },
		{ 63, 0x385d3e39e5f37359ULL },
	};
	unsigned char msg[64];

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t h = evp_siphash13(0, 0, msg, want[i].n);
		if (h != want[i].h)
			fail_msg("%zu bytes: %016llx, want %016llx", want[i].n,
			    (unsigned long long)h, (unsigned long long)want[i].h);
	}
	const char *id = "6d7e2081-5cae-d15b-c927-d4369331aaf1";
	assert_true(evp_siphash13(0, 0, "evpipe", 6) == 0x68948117db072e10ULL);
	assert_true(evp_siphash13(0, 0, id, strlen(id)) == 0x71a0eb280313487dULL);
}

/* Every bit of the key and of the length counts. */
static void
test_key_and_length(void **state)
{
	const char *m = "parentEventId";
	uint64_t h = evp_siphash13(1, 2, m, 13);

	(void)state;
	for (int b = 0; b < 64; b++) {
		assert_true(evp_siphash13(1 ^ (1ULL << b), 2, m, 13) != h);
		assert_true(evp_siphash13(1, 2 ^ (1ULL << b), m, 13) != h);
	}
	/* A trailing NUL is a different key. */
	assert_true(evp_siphash13(1, 2, "ab\0", 3) != evp_siphash13(1, 2, "ab", 2));
	assert_true(evp_siphash13(1, 2, "", 0) != evp_siphash13(1, 2, "\0", 1));
}

/* evp_hash is SipHash-1-3 under the process's key, which can be set. */
static void
test_process_key(void **state)
{
	const char *m = "event1";
	uint64_t drawn = evp_hash(m, 6);

	(void)state;
	/* A drawn key is not the zero key (one chance in 2^64 to fail). */
	assert_true(drawn != evp_siphash13(0, 0, m, 6));
	assert_true(evp_hash(m, 6) == drawn);
	evp_hash_key(7, 9);
	assert_true(evp_hash(m, 6) == evp_siphash13(7, 9, m, 6));
	evp_hash_key(8, 9);
	assert_true(evp_hash(m, 6) == evp_siphash13(8, 9, m, 6));
}

/*
 * Fill a map under one key, then another: lookups find every key and
 * the values come back in insertion order both times, the table's order
 * being the only thing that differs.
 */
static void
test_map_order_keyless(void **state)
{
	enum { N = 20000 };
	struct evp_map m;
	char key[32];
	int created;

	(void)state;
	for (uint64_t k = 1; k <= 3; k++) {
		evp_hash_key(k * 0x9e3779b97f4a7c15ULL, ~k);
		evp_map_init(&m);
		for (uint32_t i = 0; i < N; i++) {
			int len = snprintf(key, sizeof(key), "id-%u", i * 7919u % N);
			uint32_t *v = evp_map_put(&m, key, (size_t)len, 4, &created);
			assert_int_equal(created, 1);
			*v = i;
		}
		size_t pos = 0;
		uint32_t i = 0;
		for (uint32_t *v; (v = evp_map_next(&m, &pos)) != NULL; i++) {
			size_t len;
			const char *k2 = evp_map_key(v, &len);
			int want = snprintf(key, sizeof(key), "id-%u", i * 7919u % N);
			if (*v != i || len != (size_t)want || memcmp(k2, key, len) != 0)
				fail_msg("key %llu: value %u out of order",
				    (unsigned long long)k, i);
			assert_ptr_equal(evp_map_get(&m, key, len), v);
		}
		assert_int_equal(i, N);
		evp_map_release(&m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_key_and_length),
		cmocka_unit_test(test_process_key),
		cmocka_unit_test(test_map_order_keyless),
	};

	evp_diag_init("test_hash");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
