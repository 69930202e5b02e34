/*
 * Unit tests for lib/map: the compact hash map from byte strings to
 * fixed-size values.
 *
 * The main case draws a few hundred thousand keys from a deterministic
 * generator (empty keys, one byte, keys over 100 bytes, keys that differ
 * only in their last byte, binary keys full of NUL bytes, and keys drawn
 * again), and checks the map against an independent reference: every
 * draw, sorted by its bytes and then by when it was drawn, tells which
 * draw first put each key.  The others cover references across growth,
 * a small table checked after every insert, one long probe chain that
 * wraps round the table, two keys whose hash tags are equal, insertion
 * order, reuse after release, and lookups by a hash computed once.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/map.h"
#include "testutil.h"

/* ---- helpers ---- */

/* The bytes a value created by draw `first` holds: vsize and contents. */
static size_t
value_size(size_t first)
{
	if (first % 7 == 0)
		return 0;
	return (size_t)((first * 2654435761u) >> 7) % 100 + 1;
}

static unsigned char
value_byte(size_t first, size_t j)
{
	return (unsigned char)(first * 31 + j * 7 + 1);
}

static void
fill_value(unsigned char *v, size_t first)
{
	size_t n = value_size(first);

	for (size_t j = 0; j < n; j++)
		v[j] = value_byte(first, j);
}

/* Does v hold what draw `first` wrote?  0 if so, else the first bad byte + 1. */
static size_t
value_bad(const unsigned char *v, size_t first)
{
	size_t n = value_size(first);

	for (size_t j = 0; j < n; j++)
		if (v[j] != value_byte(first, j))
			return j + 1;
	return 0;
}

static void
check_key_of(const void *val, const void *key, size_t len, const char *what,
    size_t i)
{
	size_t klen = (size_t)-1;
	const char *k = evp_map_key(val, &klen);

	if (klen != len || (len > 0 && memcmp(k, key, len) != 0))
		fail_msg("%s %zu: evp_map_key gives %zu bytes, want %zu", what, i,
		    klen, len);
}

/* ---- the key generator and the reference ---- */

#define MAXKEY	512

/* All the keys drawn, one after the other; key i at koff[i], klen[i]. */
static struct evp_buf kmem = EVP_BUF_INIT;
static size_t *koff, *klen;
static size_t nkeys, kcap;

static const unsigned char *
key_at(size_t i)
{
	return (const unsigned char *)kmem.p + koff[i];
}

static void
keys_reset(void)
{
	evp_buf_release(&kmem);
	free(koff);
	free(klen);
	koff = klen = NULL;
	nkeys = kcap = 0;
}

static void
keys_add(const unsigned char *k, size_t len)
{
	if (nkeys == kcap) {
		kcap = kcap ? kcap * 2 : 4096;
		koff = realloc(koff, kcap * sizeof(*koff));
		klen = realloc(klen, kcap * sizeof(*klen));
		assert_non_null(koff);
		assert_non_null(klen);
	}
	koff[nkeys] = kmem.len;
	klen[nkeys] = len;
	evp_buf_add(&kmem, len ? (const char *)k : "", len);
	nkeys++;
}

/*
 * One key from the generator into k, its length returned.  With again
 * set, and keys already drawn, it may be a copy of one of them.
 */
static size_t
draw_key(uint64_t *rs, unsigned char *k, int again)
{
	uint64_t r = tu_rnd(rs);
	unsigned kind = (unsigned)(r % 100);
	size_t len;

	if (kind < 8) {				/* short, over a tiny alphabet */
		static const unsigned char abc[3] = { 'a', 'b', '\0' };
		len = (size_t)(tu_rnd(rs) % 4);
		for (size_t j = 0; j < len; j++)
			k[j] = abc[tu_rnd(rs) % 3];
	} else if (kind < 12) {			/* one byte */
		len = 1;
		k[0] = (unsigned char)tu_rnd(rs);
	} else if (kind < 35) {			/* differ only in the last byte */
		unsigned p = (unsigned)(tu_rnd(rs) % 300);
		len = (size_t)snprintf((char *)k, MAXKEY,
		    "prefix-%03u-abcdefghijklmnop", p);
		k[len++] = (unsigned char)tu_rnd(rs);
	} else if (kind < 57) {			/* long: 100 to 400 bytes */
		len = 100 + (size_t)(tu_rnd(rs) % 301);
		memset(k, 'x', len - 4);
		uint32_t tail = (uint32_t)tu_rnd(rs);
		memcpy(k + len - 4, &tail, 4);
	} else if (kind < 88 || !again || nkeys == 0) {	/* binary, NUL-heavy */
		len = 2 + (size_t)(tu_rnd(rs) % 39);
		for (size_t j = 0; j < len; j++) {
			uint64_t b = tu_rnd(rs);
			k[j] = b % 2 ? 0 : (unsigned char)(b >> 8);
		}
	} else {				/* a key drawn before */
		size_t i = (size_t)(tu_rnd(rs) % nkeys);
		len = klen[i];
		memcpy(k, key_at(i), len);
	}
	return len;
}

static int
cmp_bytes(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Draws by their key's bytes, then by when they were drawn. */
static int
cmp_draw(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = cmp_bytes(key_at(a), klen[a], key_at(b), klen[b]);

	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

/* Index in the sorted distinct keys uniq[0..n) of key, or -1. */
static long
ref_find(const size_t *uniq, size_t n, const unsigned char *key, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_bytes(key_at(uniq[mid]), klen[uniq[mid]], key, len);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
teardown(void **state)
{
	(void)state;
	keys_reset();
	return 0;
}

/* ---- tests ---- */

#define NDRAW	360000

static void
test_against_reference(void **state)
{
	uint64_t rs = 0x7A3C5E9F12345678u;
	unsigned char k[MAXKEY];
	struct evp_map m;
	size_t *order, *first, *uniq, *created_order, nuniq = 0, ncreated = 0;
	uint32_t *ref;
	int created;

	(void)state;
	for (size_t i = 0; i < NDRAW; i++) {
		size_t len = draw_key(&rs, k, 1);
		keys_add(k, len);
	}

	/* The reference: which draw first gave each key. */
	order = malloc(NDRAW * sizeof(*order));
	first = malloc(NDRAW * sizeof(*first));
	uniq = malloc(NDRAW * sizeof(*uniq));
	created_order = malloc(NDRAW * sizeof(*created_order));
	ref = malloc(NDRAW * sizeof(*ref));
	assert_non_null(order);
	assert_non_null(first);
	assert_non_null(uniq);
	assert_non_null(created_order);
	assert_non_null(ref);
	for (size_t i = 0; i < NDRAW; i++)
		order[i] = i;
	qsort(order, NDRAW, sizeof(*order), cmp_draw);
	for (size_t j = 0; j < NDRAW; j++) {
		size_t i = order[j];
		if (j == 0 || cmp_bytes(key_at(order[j - 1]), klen[order[j - 1]],
		    key_at(i), klen[i]) != 0)
			uniq[nuniq++] = i;
		first[i] = uniq[nuniq - 1];
	}
	/* The generator's spread, so the test covers what it says. */
	if (nuniq < 200000)
		fail_msg("only %zu distinct keys drawn", nuniq);
	size_t n0 = 0, n1 = 0, nlong = 0, nnul = 0;
	for (size_t u = 0; u < nuniq; u++) {
		size_t i = uniq[u];
		n0 += klen[i] == 0;
		n1 += klen[i] == 1;
		nlong += klen[i] > 100;
		nnul += klen[i] > 0 && memchr(key_at(i), 0, klen[i]) != NULL;
	}
	assert_int_equal(n0, 1);
	assert_int_equal(n1, 256);
	assert_true(nlong > 50000);
	assert_true(nnul > 50000);

	evp_map_init(&m);
	for (size_t i = 0; i < NDRAW; i++) {
		const unsigned char *key = key_at(i);
		size_t len = klen[i], n = m.n;
		void *before = evp_map_get(&m, key, len);
		created = -1;
		unsigned char *v = evp_map_put(&m, key, len,
		    first[i] == i ? value_size(i) : 999, &created);
		assert_non_null(v);
		if (first[i] == i) {
			if (created != 1 || before != NULL)
				fail_msg("draw %zu: new key (%zu bytes): created %d, "
				    "get gave %p", i, len, created, before);
			assert_int_equal(m.n, n + 1);
			for (size_t j = 0; j < value_size(i); j++)
				if (v[j] != 0)
					fail_msg("draw %zu: new value byte %zu is %d",
					    i, j, v[j]);
			fill_value(v, i);
			ref[i] = evp_map_ref(&m, v);
			created_order[ncreated++] = i;
		} else {
			if (created != 0 || v != before)
				fail_msg("draw %zu: key of draw %zu again: created "
				    "%d, value %p, get gave %p", i, first[i],
				    created, (void *)v, before);
			assert_int_equal(m.n, n);
			if (value_bad(v, first[i]))
				fail_msg("draw %zu: value of draw %zu changed", i,
				    first[i]);
		}
	}
	assert_int_equal(m.n, nuniq);
	assert_int_equal(ncreated, nuniq);
	assert_true(m.cap * 3 >= m.n * 4);	/* grew, never over 3/4 full */

	/* Every key: its value, its key back, its early reference. */
	for (size_t u = 0; u < nuniq; u++) {
		size_t i = uniq[u];
		const unsigned char *v = evp_map_get(&m, key_at(i), klen[i]);
		if (v == NULL)
			fail_msg("key of draw %zu (%zu bytes) not found", i, klen[i]);
		size_t bad = value_bad(v, i);
		if (bad)
			fail_msg("key of draw %zu: value byte %zu differs", i,
			    bad - 1);
		check_key_of(v, key_at(i), klen[i], "draw", i);
		if (evp_map_at(&m, ref[i]) != v)
			fail_msg("draw %zu: reference %u no longer gives its value",
			    i, (unsigned)ref[i]);
		if (evp_map_ref(&m, v) != ref[i])
			fail_msg("draw %zu: reference changed from %u to %u", i,
			    (unsigned)ref[i], (unsigned)evp_map_ref(&m, v));
	}

	/* Insertion order, each value once. */
	size_t pos = 0, visited = 0;
	void *v;
	while ((v = evp_map_next(&m, &pos)) != NULL) {
		if (visited >= ncreated)
			fail_msg("evp_map_next gave more than %zu values", ncreated);
		size_t i = created_order[visited];
		if (v != evp_map_get(&m, key_at(i), klen[i]))
			fail_msg("evp_map_next value %zu is not draw %zu's", visited,
			    i);
		check_key_of(v, key_at(i), klen[i], "next of draw", i);
		visited++;
	}
	assert_int_equal(visited, ncreated);
	assert_null(evp_map_next(&m, &pos));

	/* Fresh draws, present or absent as the reference says. */
	uint64_t ps = 0x0DDBA11CAFEF00Du;
	size_t present = 0, absent = 0;
	for (int t = 0; t < 200000; t++) {
		size_t len = draw_key(&ps, k, 0);
		if (t % 3 == 0 && len < MAXKEY)
			k[len++] = (unsigned char)tu_rnd(&ps);	/* one byte more */
		else if (t % 3 == 1 && len > 0)
			len--;					/* one byte less */
		long u = ref_find(uniq, nuniq, k, len);
		const unsigned char *got = evp_map_get(&m, k, len);
		if (u < 0) {
			if (got != NULL)
				fail_msg("probe %d: absent key (%zu bytes) found", t,
				    len);
			absent++;
		} else {
			if (got == NULL)
				fail_msg("probe %d: key of draw %zu not found", t,
				    uniq[u]);
			if (value_bad(got, uniq[u]))
				fail_msg("probe %d: wrong value", t);
			present++;
		}
	}
	assert_true(absent > 50000);
	assert_true(present > 10000);

	evp_map_release(&m);
	assert_null(m.slot);
	assert_null(m.ent);
	assert_int_equal(m.n, 0);
	free(order);
	free(first);
	free(uniq);
	free(created_order);
	free(ref);
}

/*
 * References taken at the first inserts still give their values after
 * the table has doubled many times and the entry block has moved, with
 * values big enough to grow the block often.
 */
static void
test_refs_across_growth(void **state)
{
	struct evp_map m;
	enum { N = 60000, EARLY = 500 };
	uint32_t refs[EARLY];
	unsigned char *early_addr0 = NULL;
	size_t cap0, size0;
	int created;
	char key[32];

	(void)state;
	evp_map_init(&m);
	cap0 = m.cap;
	for (size_t i = 0; i < N; i++) {
		int len = snprintf(key, sizeof(key), "ref-%zu", i);
		size_t vsize = 8 + (i % 5) * 24;
		unsigned char *v = evp_map_put(&m, key, (size_t)len, vsize,
		    &created);
		assert_int_equal(created, 1);
		memcpy(v, &i, sizeof(i));
		memset(v + sizeof(i), (int)(i & 0xff), vsize - sizeof(i));
		if (i < EARLY) {
			refs[i] = evp_map_ref(&m, v);
			if (i == 0)
				early_addr0 = v;
			assert_ptr_equal(evp_map_at(&m, refs[i]), v);
		}
	}
	size0 = m.size;
	assert_true(m.cap >= cap0 * 64);
	assert_true(size0 >= 4 * 64 * 1024);
	(void)early_addr0;	/* may or may not have moved: refs must not care */
	for (size_t i = 0; i < EARLY; i++) {
		int len = snprintf(key, sizeof(key), "ref-%zu", i);
		unsigned char *v = evp_map_at(&m, refs[i]);
		size_t got, vsize = 8 + (i % 5) * 24;
		memcpy(&got, v, sizeof(got));
		if (got != i)
			fail_msg("ref %zu gives the value of %zu", i, got);
		for (size_t j = sizeof(i); j < vsize; j++)
			assert_int_equal(v[j], i & 0xff);
		assert_ptr_equal(evp_map_get(&m, key, (size_t)len), v);
		check_key_of(v, key, (size_t)len, "ref", i);
	}
	evp_map_release(&m);
}

/* From an empty map, every key put so far is found after each put. */
static void
test_small_table_every_insert(void **state)
{
	struct evp_map m;
	enum { N = 2500 };
	unsigned char keys[N][6];
	size_t lens[N];
	int created;

	(void)state;
	evp_map_init(&m);
	for (size_t i = 0; i < N; i++) {
		/* Short, NUL-heavy keys that differ in one or two bytes. */
		lens[i] = i < 256 ? 1 : 1 + i % 5;
		memset(keys[i], 0, sizeof(keys[i]));
		keys[i][0] = (unsigned char)i;
		if (lens[i] > 1)
			keys[i][lens[i] - 1] = (unsigned char)(i >> 8);
		/* 0..255 are the one-byte keys; the rest are distinct too. */
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = lens[j] == lens[i] &&
			    memcmp(keys[j], keys[i], lens[i]) == 0;
		if (dup) {
			lens[i] = 6;
			memcpy(keys[i] + 2, &i, 4 < sizeof(i) ? 4 : sizeof(i));
			keys[i][1] = 0xEE;
		}
		size_t n = m.n;
		uint32_t *v = evp_map_put(&m, keys[i], lens[i], sizeof(*v) * 2,
		    &created);
		if (!created)
			fail_msg("key %zu: not created", i);
		assert_int_equal(m.n, n + 1);
		v[0] = (uint32_t)i;
		v[1] = ~(uint32_t)i;
		for (size_t j = 0; j <= i; j++) {
			const uint32_t *w = evp_map_get(&m, keys[j], lens[j]);
			if (w == NULL || w[0] != j || w[1] != ~(uint32_t)j)
				fail_msg("after put %zu (cap %zu): key %zu %s", i,
				    m.cap, j, w == NULL ? "not found" : "wrong");
		}
	}
	/* The empty key is not among them. */
	assert_null(evp_map_get(&m, "", 0));
	evp_map_release(&m);
}

/* Keys whose hashes all start at the table's last slot. */
static void
test_probe_chain_wraps(void **state)
{
	struct evp_map m;
	enum { N = 700, ABSENT = 200 };
	uint64_t keys[N + ABSENT];
	size_t nk = 0;
	int created;

	(void)state;
	evp_map_init(&m);
	size_t mask = m.cap - 1;
	assert_true(N * 4 <= m.cap * 3);	/* no growth while filling */
	for (uint64_t c = 1; nk < N + ABSENT; c++)
		if ((evp_hash(&c, sizeof(c)) >> 32 & mask) == mask)
			keys[nk++] = c;

	for (size_t i = 0; i < N; i++) {
		uint64_t *v = evp_map_put(&m, &keys[i], sizeof(keys[i]), 8,
		    &created);
		assert_int_equal(created, 1);
		*v = keys[i] * 3;
		for (size_t j = 0; j <= i; j++) {
			const uint64_t *w = evp_map_get(&m, &keys[j], sizeof(keys[j]));
			if (w == NULL || *w != keys[j] * 3)
				fail_msg("after put %zu: key %zu lost", i, j);
		}
	}
	assert_int_equal(m.cap, mask + 1);	/* one chain, wrapped round */
	for (size_t i = N; i < N + ABSENT; i++)
		assert_null(evp_map_get(&m, &keys[i], sizeof(keys[i])));
	/* Now grow the table: the chain spreads out. */
	for (uint64_t c = 1ull << 40; m.cap == mask + 1; c++) {
		uint64_t *v = evp_map_put(&m, &c, sizeof(c), 8, &created);
		assert_int_equal(created, 1);
		*v = c * 3;
	}
	for (size_t i = 0; i < N; i++) {
		const uint64_t *w = evp_map_get(&m, &keys[i], sizeof(keys[i]));
		if (w == NULL || *w != keys[i] * 3)
			fail_msg("after growth: key %zu lost", i);
		assert_null(evp_map_get(&m, &keys[N + i % ABSENT],
		    sizeof(keys[0])));
	}
	evp_map_release(&m);
}

struct tagged {
	uint32_t	tag;
	uint32_t	c;
};

static int
cmp_tagged(const void *pa, const void *pb)
{
	const struct tagged *a = pa, *b = pb;

	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	return a->c < b->c ? -1 : a->c > b->c;
}

static size_t
key_of(uint32_t c, char *k)
{
	return (size_t)snprintf(k, 24, "tag-%u", (unsigned)c);
}

/*
 * Two keys with the same 32-bit hash tag, the second's probe chain led
 * by filler keys onto the first's slot (none are needed since a key's
 * first slot comes from its tag): the tags match there, the keys do not,
 * and each key must still find only its own value.
 */
static void
test_tag_collision(void **state)
{
	enum { NC = 1 << 19 };
	struct tagged *t = malloc(NC * sizeof(*t));
	struct evp_map m;
	char ka[24], kb[24], kf[24];
	size_t la, lb, best = SIZE_MAX, mask;
	uint32_t ca = 0, cb = 0;
	int created, npairs = 0;

	(void)state;
	assert_non_null(t);
	evp_map_init(&m);
	mask = m.cap - 1;
	for (uint32_t c = 0; c < NC; c++) {
		size_t len = key_of(c, ka);
		t[c] = (struct tagged){ (uint32_t)(evp_hash(ka, len) >> 32), c };
	}
	qsort(t, NC, sizeof(*t), cmp_tagged);
	/* Of the pairs with equal tags, the one whose start slots are closest. */
	for (size_t i = 1; i < NC; i++) {
		if (t[i].tag != t[i - 1].tag)
			continue;
		npairs++;
		for (int o = 0; o < 2; o++) {
			uint32_t a = o ? t[i].c : t[i - 1].c;
			uint32_t b = o ? t[i - 1].c : t[i].c;
			size_t sa = evp_hash(ka, key_of(a, ka)) >> 32 & mask;
			size_t sb = evp_hash(kb, key_of(b, kb)) >> 32 & mask;
			size_t d = (sa - sb) & mask;	/* b's chain reaches a */
			if (d < best) {
				best = d;
				ca = a;
				cb = b;
			}
		}
	}
	free(t);
	if (npairs == 0)
		fail_msg("no two of %d keys share a hash tag", NC);
	assert_true(best < 700);
	la = key_of(ca, ka);
	lb = key_of(cb, kb);
	uint64_t ha = evp_hash(ka, la), hb = evp_hash(kb, lb);
	assert_true(ha >> 32 == hb >> 32);
	assert_true(ha != hb);
	size_t sa = ha >> 32 & mask, sb = hb >> 32 & mask;

	/* a at its own slot, then one filler on each slot from b's to a's. */
	uint64_t *v = evp_map_put(&m, ka, la, 8, &created);
	assert_int_equal(created, 1);
	*v = 0xAAAA;
	uint32_t c = 1u << 31;
	for (size_t s = sb; s != sa; s = (s + 1) & mask) {
		size_t lf;
		do
			lf = key_of(c++, kf);
		while ((evp_hash(kf, lf) >> 32 & mask) != s);
		v = evp_map_put(&m, kf, lf, 8, &created);
		assert_int_equal(created, 1);
		*v = s;
	}
	assert_int_equal(m.cap, mask + 1);
	assert_null(evp_map_get(&m, kb, lb));
	v = evp_map_put(&m, kb, lb, 8, &created);
	assert_int_equal(created, 1);
	*v = 0xBBBB;
	assert_int_equal(m.cap, mask + 1);
	v = evp_map_get(&m, ka, la);
	assert_non_null(v);
	assert_int_equal(*v, 0xAAAA);
	v = evp_map_get(&m, kb, lb);
	assert_non_null(v);
	assert_int_equal(*v, 0xBBBB);
	v = evp_map_put(&m, ka, la, 8, &created);
	assert_int_equal(created, 0);
	assert_int_equal(*v, 0xAAAA);
	v = evp_map_put(&m, kb, lb, 8, &created);
	assert_int_equal(created, 0);
	assert_int_equal(*v, 0xBBBB);
	check_key_of(v, kb, lb, "tag pair", 0);
	evp_map_release(&m);
}

/* Values of many sizes, in insertion order, each once; an empty map has none. */
static void
test_next_order(void **state)
{
	struct evp_map m;
	size_t pos = 0, i = 0;
	int created;
	char key[32];
	unsigned char *v;

	(void)state;
	evp_map_init(&m);
	assert_null(evp_map_next(&m, &pos));
	assert_null(evp_map_next(&m, &pos));
	for (size_t k = 0; k < 5000; k++) {
		int len = snprintf(key, sizeof(key), "%zx", k * 7919);
		v = evp_map_put(&m, key, (size_t)len, k % 19, &created);
		assert_int_equal(created, 1);
		if (k % 19)
			memset(v, (int)(k & 0xff), k % 19);
		/* Every tenth key again: no new entry. */
		if (k % 10 == 0) {
			len = snprintf(key, sizeof(key), "%zx", (k / 2) * 7919);
			evp_map_put(&m, key, (size_t)len, 50, &created);
			assert_int_equal(created, 0);
		}
	}
	pos = 0;
	while ((v = evp_map_next(&m, &pos)) != NULL) {
		size_t len;
		const char *k = evp_map_key(v, &len);
		int want = snprintf(key, sizeof(key), "%zx", i * 7919);
		if (len != (size_t)want || memcmp(k, key, len) != 0)
			fail_msg("value %zu of evp_map_next has the wrong key", i);
		for (size_t j = 0; j < i % 19; j++)
			assert_int_equal(v[j], i & 0xff);
		i++;
	}
	assert_int_equal(i, 5000);
	assert_int_equal(m.n, 5000);
	evp_map_release(&m);
}

/* Release, then the same struct again; releasing an unused map is fine. */
static void
test_release_reuse(void **state)
{
	struct evp_map m;
	int created;

	(void)state;
	evp_map_init(&m);
	evp_map_release(&m);
	evp_map_release(&m);	/* twice: nothing left to free */

	for (int round = 0; round < 3; round++) {
		evp_map_init(&m);
		assert_int_equal(m.n, 0);
		for (uint32_t i = 0; i < 3000; i++) {
			uint32_t key = i * 2 + (uint32_t)(round & 1);
			uint32_t *v = evp_map_put(&m, &key, sizeof(key), 4, &created);
			assert_int_equal(created, 1);
			assert_int_equal(*v, 0);
			*v = key + 1;
		}
		for (uint32_t i = 0; i < 6000; i++) {
			uint32_t key = i;
			uint32_t *v = evp_map_get(&m, &key, sizeof(key));
			if ((i & 1) == (uint32_t)(round & 1) && i / 2 < 3000) {
				assert_non_null(v);
				assert_int_equal(*v, key + 1);
			} else
				assert_null(v);
		}
		/* The empty key: created once, found after. */
		uint32_t *v = evp_map_put(&m, "", 0, 4, &created);
		assert_int_equal(created, 1);
		*v = 77;
		v = evp_map_put(&m, "", 0, 4, &created);
		assert_int_equal(created, 0);
		assert_int_equal(*v, 77);
		assert_ptr_equal(evp_map_get(&m, "", 0), v);
		size_t len = 99;
		evp_map_key(v, &len);
		assert_int_equal(len, 0);
		evp_map_release(&m);
	}
}

/*
 * Looking up in two steps, by a hash computed once and a prefetch, finds
 * what evp_map_get finds, present or not, a key prefetched before the
 * table grew included.
 */
static void
test_get_by_hash(void **state)
{
	struct evp_map m;
	char key[32];
	int created;

	(void)state;
	evp_map_init(&m);
	for (uint32_t i = 0; i < 20000; i++) {
		int n = snprintf(key, sizeof(key), "key%u", i * 3);
		uint64_t h = evp_hash(key, (size_t)n);
		evp_map_prefetch(&m, h);
		*(uint32_t *)evp_map_put(&m, key, (size_t)n, 4, &created) = i;
		const uint32_t *v = evp_map_get_h(&m, h, key, (size_t)n);
		assert_non_null(v);
		assert_int_equal(*v, i);
	}
	for (uint32_t i = 0; i < 60000; i++) {
		int n = snprintf(key, sizeof(key), "key%u", i);
		uint64_t h = evp_hash(key, (size_t)n);
		evp_map_prefetch(&m, h);
		const uint32_t *v = evp_map_get_h(&m, h, key, (size_t)n);
		assert_ptr_equal(v, evp_map_get(&m, key, (size_t)n));
		if (i % 3 == 0) {
			assert_non_null(v);
			assert_int_equal(*v, i / 3);
		} else
			assert_null(v);
	}
	evp_map_release(&m);
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_against_reference),
		T(test_refs_across_growth),
		T(test_small_table_every_insert),
		T(test_probe_chain_wraps),
		T(test_tag_collision),
		T(test_next_order),
		T(test_release_reuse),
		T(test_get_by_hash),
	};

	evp_diag_init("test_map");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
