/*
 * Unit tests for lib/stages/sortkey: parsing "COL[:TYPE][:desc]", and
 * normalized keys whose memcmp order is the keys' order.  The order is
 * checked against a comparison written here from the definitions (bytes
 * for text, evp_tstamp_cmp for time, evp_decimal_cmp for numbers), on
 * hand-picked pairs and on random
 * records of one to three keys, embedded NUL bytes, prefixes and
 * descending keys included.
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
#include "stages/sortkey.h"
#include "testutil.h"
#include "types/decimal.h"

/* ---- parsing ---- */

struct spec {
	const char	*s;
	const char	*col;		/* NULL: refused */
	enum evp_keytype type;
	int		 desc;
};

static void
test_parse(void **state)
{
	static const struct spec specs[] = {
		{ "eventId", "eventId", EVP_KEY_TEXT, 0 },
		{ "eventId:desc", "eventId", EVP_KEY_TEXT, 1 },
		{ "price:number", "price", EVP_KEY_NUMBER, 0 },
		{ "price:number:desc", "price", EVP_KEY_NUMBER, 1 },
		{ "t:time", "t", EVP_KEY_TIME, 0 },
		{ "t:time:desc", "t", EVP_KEY_TIME, 1 },
		{ "t:text", "t", EVP_KEY_TEXT, 0 },
		{ "t:text:desc", "t", EVP_KEY_TEXT, 1 },
		/* Suffixes are read from the right; the rest is the column. */
		{ "a:b", "a:b", EVP_KEY_TEXT, 0 },
		{ "a:b:time", "a:b", EVP_KEY_TIME, 0 },
		{ "a:desc:time", "a:desc", EVP_KEY_TIME, 0 },
		{ "t:desc:desc", "t:desc", EVP_KEY_TEXT, 1 },
		{ "t:time:text", "t:time", EVP_KEY_TEXT, 0 },
		{ "desc", "desc", EVP_KEY_TEXT, 0 },
		{ "time", "time", EVP_KEY_TEXT, 0 },
		{ "t:Time", "t:Time", EVP_KEY_TEXT, 0 },
		{ "t:", "t:", EVP_KEY_TEXT, 0 },
		{ "", NULL, EVP_KEY_TEXT, 0 },
		{ ":desc", NULL, EVP_KEY_TEXT, 0 },
		{ ":time", NULL, EVP_KEY_TEXT, 0 },
		{ ":number:desc", NULL, EVP_KEY_TEXT, 0 },
	};
	struct evp_sortkeys ks = { 0, NULL };
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		const struct spec *sp = &specs[i];
		int rc = evp_sortkeys_add(&ks, sp->s);
		if (sp->col == NULL) {
			if (rc != -1)
				fail_msg("'%s' accepted", sp->s);
			assert_int_equal(ks.n, n);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s' refused", sp->s);
		assert_int_equal(ks.n, ++n);
		assert_string_equal(ks.k[n - 1].col, sp->col);
		if (ks.k[n - 1].type != sp->type || ks.k[n - 1].desc != sp->desc)
			fail_msg("'%s': type %s desc %d", sp->s,
			    evp_keytype_name(ks.k[n - 1].type), ks.k[n - 1].desc);
	}
	evp_sortkeys_release(&ks);
	assert_int_equal(ks.n, 0);
	assert_null(ks.k);
}

/* ---- encoding ---- */

/* Keys and an encoder over records of up to 3 columns, column i = key i. */
struct enc {
	struct evp_sortkeys	ks;
	struct evp_keyenc	e;
	struct evp_buf		b;
};

static void
enc_init(struct enc *x, const char *const *specs, size_t n)
{
	memset(x, 0, sizeof(*x));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(evp_sortkeys_add(&x->ks, specs[i]), 0);
	evp_keyenc_init(&x->e, &x->ks);
	for (size_t i = 0; i < n; i++)
		x->e.idx[i] = (int)i;
}

static void
enc_release(struct enc *x)
{
	evp_keyenc_release(&x->e);
	evp_sortkeys_release(&x->ks);
	evp_buf_release(&x->b);
}

/* The normalized key of a record, copied to the heap; *len its length. */
static char *
encode(struct enc *x, const struct evp_str *f, size_t *len)
{
	struct evp_verdict v;

	evp_buf_reset(&x->b);
	if (evp_keyenc_put(&x->e, f, &x->b, &v) < 0)
		fail_msg("refused: %s %s", v.reason, v.detail);
	char *p = malloc(x->b.len + 1);
	assert_non_null(p);
	memcpy(p, x->b.p, x->b.len);
	*len = x->b.len;
	return p;
}

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

/* Bytewise order of two strings, the shorter first on a common prefix. */
static int
bytes_cmp(const struct evp_str *a, const struct evp_str *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->p, b->p, n) : 0;

	return c ? sign(c) : (a->len > b->len) - (a->len < b->len);
}

/* The order of two records by the keys, from the definitions. */
static int
ref_cmp(const struct evp_sortkeys *ks, const struct evp_str *a,
    const struct evp_str *b)
{
	for (size_t i = 0; i < ks->n; i++) {
		int c;
		if (ks->k[i].type == EVP_KEY_NUMBER) {
			struct evp_decimal da, db;
			assert_int_equal(evp_decimal_parse(&da, a[i].p, a[i].len), 0);
			assert_int_equal(evp_decimal_parse(&db, b[i].p, b[i].len), 0);
			c = evp_decimal_cmp(&da, &db);
		} else if (ks->k[i].type == EVP_KEY_TIME) {
			struct evp_tstamp ta, tb;
			assert_int_equal(evp_tstamp_parse(&ta, a[i].p, a[i].len), 0);
			assert_int_equal(evp_tstamp_parse(&tb, b[i].p, b[i].len), 0);
			c = evp_tstamp_cmp(&ta, &tb);
			assert_true(c != 2);
		} else
			c = bytes_cmp(&a[i], &b[i]);
		if (ks->k[i].desc)
			c = -c;
		if (c != 0)
			return c;
	}
	return 0;
}

/* Each pair of records orders as the definitions say. */
static void
check_pairs(struct enc *x, const struct evp_str *recs, size_t nrec, size_t nk)
{
	char **key = calloc(nrec, sizeof(*key));
	size_t *len = calloc(nrec, sizeof(*len));

	assert_non_null(key);
	assert_non_null(len);
	for (size_t i = 0; i < nrec; i++)
		key[i] = encode(x, recs + i * nk, &len[i]);
	for (size_t i = 0; i < nrec; i++)
		for (size_t j = 0; j < nrec; j++) {
			int want = ref_cmp(&x->ks, recs + i * nk, recs + j * nk);
			int got = sign(evp_keycmp(key[i], len[i], key[j], len[j]));
			if (want != got) {
				struct evp_buf m = EVP_BUF_INIT;
				for (size_t k = 0; k < nk; k++) {
					evp_buf_adds(&m, k ? ", '" : "'");
					tu_escape(&m, recs[i * nk + k].p,
					    recs[i * nk + k].len);
					evp_buf_adds(&m, "' vs '");
					tu_escape(&m, recs[j * nk + k].p,
					    recs[j * nk + k].len);
					evp_buf_adds(&m, "'");
				}
				fail_msg("%s: want %d, got %d", m.p, want, got);
			}
		}
	for (size_t i = 0; i < nrec; i++)
		free(key[i]);
	free(key);
	free(len);
}

#define S(lit)	{ lit, sizeof(lit) - 1 }

static void
test_text(void **state)
{
	static const struct evp_str one[] = {
		S(""), S("a"), S("ab"), S("abc"), S("b"), S("a\0"), S("a\0b"),
		S("a\1"), S("\0"), S("\0\0"), S("\xff"), S("\xff\xff"), S(" "),
		S("Z"), S("z"), S("10"), S("9"), S("a\xff"),
	};
	static const char *const specs[][1] = { { "c" }, { "c:desc" },
	    { "c:text" }, { "c:text:desc" } };
	size_t n = sizeof(one) / sizeof(one[0]);

	(void)state;
	for (size_t s = 0; s < 4; s++) {
		struct enc x;
		enc_init(&x, specs[s], 1);
		check_pairs(&x, one, n, 1);
		enc_release(&x);
	}
}

/* Two text keys: where the first ends must not leak into the second. */
static void
test_text_two_keys(void **state)
{
	static const struct evp_str recs[][2] = {
		{ S("a"), S("bc") }, { S("ab"), S("c") }, { S("a"), S("") },
		{ S(""), S("a") }, { S("a\0"), S("") }, { S("a"), S("\0") },
		{ S("a\0\0"), S("x") }, { S("a\0"), S("\0x") }, { S("a"), S("b") },
		{ S("a"), S("a") }, { S("\xff"), S("") }, { S(""), S("\xff") },
		{ S("ab"), S("") }, { S("a"), S("b\0") },
	};
	static const char *const specs[][2] = {
		{ "x", "y" }, { "x:desc", "y" }, { "x", "y:desc" },
		{ "x:desc", "y:desc" },
	};

	(void)state;
	for (size_t s = 0; s < 4; s++) {
		struct enc x;
		enc_init(&x, specs[s], 2);
		check_pairs(&x, &recs[0][0], sizeof(recs) / sizeof(recs[0]), 2);
		enc_release(&x);
	}
}

static void
test_time(void **state)
{
	static const struct evp_str inst[] = {
		S("0000-01-01T00:00:00Z"), S("1969-12-31T23:59:59.999999999Z"),
		S("1969-12-31T23:59:59Z"), S("1970-01-01T00:00:00Z"), S("0"),
		S("0.000000001"), S("1"), S("1793527874"), S("1793527874.25"),
		S("2026-11-01T10:05:30Z"), S("2026-11-01 10:05:30.123456"),
		S("2026-11-01T12:05:30+02:00"), S("2026-11-01T10:05:30.1Z"),
		S("2026-11-01T10:05Z"), S("9999-12-31T23:59:59.999999999Z"),
		S("2026-11-01T10:05:30-0000"),
	};
	static const struct evp_str tod[] = {
		S("0:00"), S("00:00:00.000000001"), S("9:00"), S("09:00:00"),
		S("10:05"), S("10:05:30.25"), S("23:59:59.999999999"),
	};
	static const char *const specs[][1] = { { "t:time" }, { "t:time:desc" } };

	(void)state;
	for (size_t s = 0; s < 2; s++) {
		struct enc x;
		enc_init(&x, specs[s], 1);
		check_pairs(&x, inst, sizeof(inst) / sizeof(inst[0]), 1);
		enc_release(&x);
		enc_init(&x, specs[s], 1);
		check_pairs(&x, tod, sizeof(tod) / sizeof(tod[0]), 1);
		enc_release(&x);
	}
}

static void
test_number(void **state)
{
	static const struct evp_str nums[] = {
		S("0"), S("-0"), S("0.0"), S("0e5"), S("1"), S("1.0"), S("1e0"),
		S("10"), S("1E+1"), S("9.99"), S("9.990"), S("99e-2"), S("0.99"),
		S("-1"), S("-1.5"), S("-10"), S("-0.5"), S("-0.05"), S("0.05"),
		S("1e-999999999"), S("-1e-999999999"), S("1e999999999"),
		S("-1e999999999"), S("12345678901234567890123456789012345678"),
		S("12345678901234567890123456789012345677"),
		S("1.2345678901234567890123456789012345678"),
		S("-12345678901234567890123456789012345678"),
		S("99999999999999999999999999999999999999"), S("1e38"),
		S("0.1"), S("0.10000000000000000000000000000000000001"),
		S("2"), S("2e-1"), S("20e-2"), S("123.456"), S("123.4560"),
	};
	static const char *const specs[][1] = { { "n:number" },
	    { "n:number:desc" } };
	static const char *const two[][2] = { { "n:number", "m" },
	    { "n:number:desc", "m:desc" } };
	static const struct evp_str pairs[][2] = {
		{ S("1"), S("b") }, { S("1.0"), S("a") }, { S("-1"), S("") },
		{ S("0"), S("z") }, { S("-0"), S("a") }, { S("1e1"), S("") },
		{ S("10"), S("a") },
	};
	size_t n = sizeof(nums) / sizeof(nums[0]);

	(void)state;
	for (size_t s = 0; s < 2; s++) {
		struct enc x;
		enc_init(&x, specs[s], 1);
		check_pairs(&x, nums, n, 1);
		enc_release(&x);
		enc_init(&x, two[s], 2);
		check_pairs(&x, &pairs[0][0], sizeof(pairs) / sizeof(pairs[0]), 2);
		enc_release(&x);
	}
}

/* Random records of three keys of mixed types, every pair checked. */
static void
test_random(void **state)
{
	static const char *const ts[] = {
		"2026-11-01T10:05:30Z", "2026-11-01T10:05:30.5Z", "1793527874",
		"1793527874.000000001", "1970-01-01T00:00:00Z", "2026-11-01T10:05:31Z",
		"1969-07-20T20:17:40Z", "2026-11-01T12:05:30+02:00",
	};
	static const char alphabet[] = { 'a', 'b', '\0', '\xff', ' ', '~' };
	enum { NREC = 120 };
	uint64_t rs = 0x5EED5EEDu;
	char text[NREC][3][6];
	struct evp_str recs[NREC * 3];

	(void)state;
	for (int round = 0; round < 16; round++) {
		const char *specs[3];
		char sb[3][16];
		for (int k = 0; k < 3; k++) {
			int time = k == 1 && (round & 1);
			snprintf(sb[k], sizeof(sb[k]), "%c%s%s", 'a' + k,
			    time ? ":time" : "", (round >> (k + 1)) & 1 ? ":desc" : "");
			specs[k] = sb[k];
		}
		for (size_t i = 0; i < NREC; i++)
			for (int k = 0; k < 3; k++) {
				struct evp_str *f = &recs[i * 3 + k];
				if (k == 1 && (round & 1)) {
					const char *t = ts[tu_rnd(&rs) % 8];
					*f = (struct evp_str){ t, strlen(t) };
					continue;
				}
				char *p = text[i][k];
				size_t len = (size_t)(tu_rnd(&rs) % 4);
				for (size_t j = 0; j < len; j++)
					p[j] = alphabet[tu_rnd(&rs) % sizeof(alphabet)];
				*f = (struct evp_str){ p, len };
			}
		struct enc x;
		enc_init(&x, specs, 3);
		check_pairs(&x, recs, NREC, 3);
		enc_release(&x);
	}
}

/* ---- refusals ---- */

static void
expect_refused(struct enc *x, const struct evp_str *f, const char *reason,
    const char *detail)
{
	struct evp_verdict v;

	evp_buf_reset(&x->b);
	if (evp_keyenc_put(&x->e, f, &x->b, &v) == 0)
		fail_msg("accepted, %s expected", reason);
	assert_string_equal(v.reason, reason);
	assert_string_equal(v.detail, detail);
}

static void
expect_ok(struct enc *x, const struct evp_str *f)
{
	size_t len;

	free(encode(x, f, &len));
}

static void
test_bad_timestamp(void **state)
{
	static const char *const specs[] = { "when:time" };
	static const struct evp_str bad[][1] = { { S("") }, { S("bogus") },
	    { S("25:00") }, { S("2026-11-01") }, { S("2026-02-30T10:00Z") } };
	static const char *const details[] = {
		"when: not a timestamp: ''", "when: not a timestamp: 'bogus'",
		"when: not a timestamp: '25:00'",
		"when: not a timestamp: '2026-11-01'",
		"when: not a timestamp: '2026-02-30T10:00Z'",
	};
	struct enc x;

	(void)state;
	enc_init(&x, specs, 1);
	for (size_t i = 0; i < 5; i++)
		expect_refused(&x, bad[i], "bad_timestamp", details[i]);
	enc_release(&x);
}

static void
test_bad_number(void **state)
{
	static const char *const specs[] = { "price:number" };
	static const char *const bad[] = { "", "abc", "+1", " 1", "1 ", ".5",
	    "1.", "01", "NaN", "0x10", "1e", "--1", "1,5",
	    "123456789012345678901234567890123456789", "1e9999999999" };
	struct enc x;

	(void)state;
	enc_init(&x, specs, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct evp_str f = { bad[i], strlen(bad[i]) };
		char detail[200];
		snprintf(detail, sizeof(detail), "price: not a number: '%s'",
		    bad[i]);
		expect_refused(&x, &f, "bad_number", detail);
	}
	enc_release(&x);
}

/*
 * The first record accepted fixes the kind of a time key; a record
 * refused for another key does not.
 */
static void
test_kinds(void **state)
{
	static const char *const specs[] = { "t:time", "u:time" };
	static const struct evp_str a[] = { S("10:00"), S("bogus") };
	static const struct evp_str b[] = { S("1793527874"), S("9:00") };
	static const struct evp_str c[] = { S("10:00"), S("9:00") };
	static const struct evp_str d[] = { S("2026-11-01T10:00Z"),
	    S("2026-11-01T10:00Z") };
	static const struct evp_str e[] = { S("1793527874"),
	    S("2026-11-01T10:00Z") };
	struct enc x;

	(void)state;
	enc_init(&x, specs, 2);
	expect_refused(&x, a, "bad_timestamp", "u: not a timestamp: 'bogus'");
	expect_ok(&x, b);		/* t: instants, u: times of day */
	expect_refused(&x, c, "incomparable_timestamps",
	    "t: a time of day where the first record has an instant: '10:00'");
	expect_refused(&x, d, "incomparable_timestamps",
	    "u: an instant where the first record has a time of day: "
	    "'2026-11-01T10:00Z'");
	expect_refused(&x, e, "incomparable_timestamps",
	    "u: an instant where the first record has a time of day: "
	    "'2026-11-01T10:00Z'");
	expect_ok(&x, b);
	enc_release(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_two_keys),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_bad_timestamp),
		cmocka_unit_test(test_bad_number),
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
