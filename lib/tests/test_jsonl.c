#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/arena.h"
#include "formats/jsonl.h"
#include "core/row.h"

enum { EVENT_ID, TIMESTAMP, TYPE, PARENT, USER, ADVERTISER, DEVICE, PRICE, NCOL };

static const struct evp_str colnames[NCOL] = {
	EVP_STR("eventId"), EVP_STR("eventTimestamp"), EVP_STR("eventType"),
	EVP_STR("parentEventId"), EVP_STR("userId"), EVP_STR("advertiserId"),
	EVP_STR("deviceId"), EVP_STR("price")
};
static const struct evp_header cols = { .n = NCOL, .name = colnames };

static struct evp_arena arena;
static struct evp_str vals[NCOL];
static struct evp_verdict verdict;

/* Parse s[0..n) with the given depth bound; the arena is reset first. */
static int
parse_depth(const char *s, size_t n, size_t max_depth)
{
	struct evp_jsonl_opts o = { &cols, max_depth, "no_event_fields" };

	evp_arena_reset(&arena);
	verdict.reason = NULL;
	verdict.detail[0] = '\0';
	return evp_jsonl_parse(&o, s, n, &arena, vals, &verdict);
}

static int
parse(const char *s, size_t n)
{
	return parse_depth(s, n, 32);
}

/* Literals may hold NUL bytes: keep their length. */
#define L(lit)	(lit), (sizeof(lit) - 1)

static void
val_is(int col, const char *want, size_t len)
{
	if (vals[col].len != len || (len > 0 && memcmp(vals[col].p, want, len) != 0))
		fail_msg("column %d: got '%.*s' (%zu bytes), want '%.*s'", col,
		    (int)vals[col].len, vals[col].p, vals[col].len, (int)len, want);
}
#define VAL(col, lit)	val_is((col), L(lit))

static void
ok_line(const char *s, size_t n)
{
	if (parse(s, n) != 0)
		fail_msg("refused '%.*s': %s: %s", (int)n, s, verdict.reason,
		    verdict.detail);
}
#define OK(lit)	ok_line(L(lit))

static void
refused(const char *s, size_t n, size_t depth, const char *reason)
{
	if (parse_depth(s, n, depth) != -1)
		fail_msg("accepted '%.*s', want %s", (int)(n > 200 ? 200 : n), s,
		    reason);
	if (verdict.reason == NULL || strcmp(verdict.reason, reason) != 0)
		fail_msg("'%.*s': got %s (%s), want %s", (int)(n > 200 ? 200 : n), s,
		    verdict.reason ? verdict.reason : "(null)", verdict.detail,
		    reason);
	assert_true(verdict.detail[0] != '\0');
}
#define NO(lit, reason)	refused(L(lit), 32, (reason))

static void
test_flat_object(void **state)
{
	(void)state;
	OK("{\"eventId\":\"e1\",\"eventTimestamp\":\"10:00\",\"eventType\":\"click\","
	    "\"parentEventId\":\"e0\",\"userId\":\"u1\",\"advertiserId\":\"a1\","
	    "\"deviceId\":\"d1\",\"price\":\"10\"}");
	VAL(EVENT_ID, "e1");
	VAL(TIMESTAMP, "10:00");
	VAL(TYPE, "click");
	VAL(PARENT, "e0");
	VAL(USER, "u1");
	VAL(ADVERTISER, "a1");
	VAL(DEVICE, "d1");
	VAL(PRICE, "10");

	/* Missing keys are empty; order does not matter. */
	OK("{\"userId\":\"u2\",\"eventId\":\"e2\"}");
	VAL(EVENT_ID, "e2");
	VAL(USER, "u2");
	VAL(TIMESTAMP, "");
	VAL(PRICE, "");

	/* An empty string is a present, empty value. */
	OK("{\"eventId\":\"\",\"price\":\"\"}");
	VAL(EVENT_ID, "");
}

static void
test_numbers_verbatim(void **state)
{
	(void)state;
	OK("{\"eventId\":\"e1\",\"price\":10.50}");
	VAL(PRICE, "10.50");
	OK("{\"eventId\":7,\"eventTimestamp\":1793527874,\"price\":-0.5e+10}");
	VAL(EVENT_ID, "7");
	VAL(TIMESTAMP, "1793527874");
	VAL(PRICE, "-0.5e+10");
	OK("{\"price\":0 , \"eventId\":1E3}");
	VAL(PRICE, "0");
	VAL(EVENT_ID, "1E3");
	OK("{\"price\":-0.0e-0}");
	VAL(PRICE, "-0.0e-0");
}

static void
test_null_empty(void **state)
{
	(void)state;
	OK("{\"eventId\":\"e1\",\"parentEventId\":null,\"price\":null}");
	VAL(EVENT_ID, "e1");
	VAL(PARENT, "");
	VAL(PRICE, "");
	/* null alone still names a column: the line has event fields. */
	OK("{\"eventType\":null}");
	VAL(TYPE, "");
}

static void
test_ignored_keys(void **state)
{
	(void)state;
	OK("{\"meta\":{\"a\":[1,2,{\"b\":null,\"eventId\":\"inner\"}],\"c\":true},"
	    "\"eventId\":\"e1\",\"flag\":false,\"list\":[],\"obj\":{},"
	    "\"s\":\"line\\nbreak\\u0001\",\"n\":-1.5e3}");
	VAL(EVENT_ID, "e1");
	/* A nested key with a column's name does not fill the column. */
	OK("{\"x\":{\"userId\":\"nested\"},\"eventId\":\"e\"}");
	VAL(USER, "");
	/* Duplicate keys below the top level are the ignored value's business. */
	OK("{\"eventId\":\"e\",\"m\":{\"a\":1,\"a\":2}}");
	/* Brackets inside strings do not nest. */
	OK("{\"eventId\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\","
	    "\"x\":\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\\\"[[\"}");
	VAL(EVENT_ID, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[");
}

static void
test_whitespace(void **state)
{
	(void)state;
	OK("  \t{ \"eventId\" : \"e1\" ,\t\"price\" :\t3 }\t  ");
	VAL(EVENT_ID, "e1");
	VAL(PRICE, "3");
	OK("{\r\n\"eventId\"\n:\r\"e1\"}");
	VAL(EVENT_ID, "e1");
	NO("   ", "invalid_json");
	NO("", "invalid_json");
}

static void
test_escapes(void **state)
{
	(void)state;
	OK("{\"eventId\":\"\\ud83d\\ude00\"}");
	VAL(EVENT_ID, "\xF0\x9F\x98\x80");
	OK("{\"eventId\":\"\\uD83D\\uDE00x\\u00e9\\u20AC\\u0041\"}");
	VAL(EVENT_ID, "\xF0\x9F\x98\x80x\xC3\xA9\xE2\x82\xAC" "A");
	OK("{\"eventId\":\"a\\\"b\\\\c\\/d\"}");
	VAL(EVENT_ID, "a\"b\\c/d");
	/* Raw UTF-8 passes untouched and points into the line. */
	OK("{\"userId\":\"J\xC3\xBCrgen \xE2\x82\xAC\"}");
	VAL(USER, "J\xC3\xBCrgen \xE2\x82\xAC");
	/* A key may be escaped too. */
	OK("{\"event\\u0049d\":\"e9\"}");
	VAL(EVENT_ID, "e9");
}

static void
test_invalid_json(void **state)
{
	(void)state;
	/* What jsmn's strict mode lets through (DEPS.md). */
	NO("{\"a\":1 \"b\":2}", "invalid_json");
	NO("{\"eventId\":\"e\" \"price\":2}", "invalid_json");
	NO("{\"a\":1,}", "invalid_json");
	NO("{\"eventId\":[1,,2]}", "invalid_json");
	NO("{\"eventId\":tru}", "invalid_json");
	NO("{\"eventId\":1.2.3}", "invalid_json");
	NO("{}{}", "invalid_json");
	NO("{\"eventId\":\"e1\"}{}", "invalid_json");
	NO("{\"eventId\":\"e1\"} x", "invalid_json");
	/* Not an object. */
	NO("[1,2]", "invalid_json");
	NO("\"eventId\"", "invalid_json");
	NO("42", "invalid_json");
	NO("eventId=e1&price=2", "invalid_json");
	/* Structure. */
	NO("{", "invalid_json");
	NO("{\"eventId\":\"e1\"", "invalid_json");
	NO("}", "invalid_json");
	NO("{\"a\"}", "invalid_json");
	NO("{\"a\":}", "invalid_json");
	NO("{\"a\"::1}", "invalid_json");
	NO("{,\"a\":1}", "invalid_json");
	NO("{\"a\":1,,\"b\":2}", "invalid_json");
	NO("{1:2}", "invalid_json");
	NO("{'a':1}", "invalid_json");
	NO("{a:1}", "invalid_json");
	NO("{\"a\":1]", "invalid_json");
	NO("{\"a\":[1}", "invalid_json");
	NO("{\"a\":[1,]}", "invalid_json");
	NO("{\"a\":[,1]}", "invalid_json");
	NO("{\"a\":{\"b\"}}", "invalid_json");
	NO("{\"a\":{\"b\":1,}}", "invalid_json");
	/* Literals and numbers. */
	NO("{\"a\":truex}", "invalid_json");
	NO("{\"a\":nul}", "invalid_json");
	NO("{\"a\":True}", "invalid_json");
	NO("{\"a\":NaN}", "invalid_json");
	NO("{\"a\":Infinity}", "invalid_json");
	NO("{\"a\":01}", "invalid_json");
	NO("{\"a\":-01}", "invalid_json");
	NO("{\"a\":1.}", "invalid_json");
	NO("{\"a\":.5}", "invalid_json");
	NO("{\"a\":+1}", "invalid_json");
	NO("{\"a\":-}", "invalid_json");
	NO("{\"a\":1e}", "invalid_json");
	NO("{\"a\":1e+}", "invalid_json");
	/*
	 * jsmn would refuse these too, for other reasons: the offset shows
	 * our own check caught them.
	 */
	NO("{\"a\":1e}}", "invalid_json");
	assert_non_null(strstr(verdict.detail, "expected a value at offset 5"));
	NO("{\"a\":[1E+]]}", "invalid_json");
	assert_non_null(strstr(verdict.detail, "expected a value at offset 6"));
	NO("{\"a\":[1.]]}", "invalid_json");
	assert_non_null(strstr(verdict.detail, "expected a value at offset 6"));
	NO("{\"a\":[1}]", "invalid_json");
	assert_non_null(strstr(verdict.detail, "expected ',' or ']' at offset 7"));
	NO("{\"a\":[,1]}", "invalid_json");
	assert_non_null(strstr(verdict.detail, "expected a value at offset 6"));
	NO("{\"a\":0x10}", "invalid_json");
	NO("{\"price\":1 2}", "invalid_json");
	/* Strings. */
	NO("{\"a\":\"abc}", "invalid_json");
	NO("{\"a\":\"abc\\\"}", "invalid_json");
	NO("{\"a\":\"\\x41\"}", "invalid_json");
	NO("{\"a\":\"\\u12\"}", "invalid_json");
	NO("{\"a\":\"\\u12g4\"}", "invalid_json");
	NO("{\"a\":\"\\U0041\"}", "invalid_json");
	NO("{\"a\":\"tab\there\"}", "invalid_json");
	NO("{\"eventId\":\"line\x01\"}", "invalid_json");
	NO("{\"eventId\":\"e1\"}\x1f", "invalid_json");

	/* The detail says where. */
	NO("{\"a\":1 \"b\":2}", "invalid_json");
	assert_non_null(strstr(verdict.detail, "offset 7"));
	NO("{\"a\":1,}", "invalid_json");
	assert_non_null(strstr(verdict.detail, "offset 7"));
	NO("{,\"a\":1}", "invalid_json");
	assert_non_null(strstr(verdict.detail, "offset 1"));
}

/* A line nested levels deep (the top object included), objects and arrays in turn. */
static size_t
nest(char *s, int levels)
{
	size_t k = (size_t)sprintf(s, "{\"eventId\":\"e1\",\"x\":");

	for (int d = 1; d < levels; d++) {
		if (d % 2)
			k += (size_t)sprintf(s + k, "{\"k\":");
		else
			s[k++] = '[';
	}
	s[k++] = '1';
	for (int d = levels - 1; d >= 1; d--)
		s[k++] = d % 2 ? '}' : ']';
	s[k++] = '}';
	return k;
}

static void
test_nesting(void **state)
{
	size_t n = 100000;
	char *s = malloc(n + 64);
	struct timespec t0, t1;

	(void)state;
	assert_non_null(s);
	memset(s, '[', n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	refused(s, n, 32, "nesting_too_deep");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(strstr(verdict.detail, "offset 32"));
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 0.1);

	/* Deep inside an ignored key, behind a valid column. */
	size_t k = 0;
	k += (size_t)sprintf(s, "{\"eventId\":\"e1\",\"x\":");
	for (int d = 0; d < 40; d++)
		s[k++] = '[';
	for (int d = 0; d < 40; d++)
		s[k++] = ']';
	s[k++] = '}';
	refused(s, k, 32, "nesting_too_deep");
	/* The same line passes a bound of 41 (the object counts one). */
	assert_int_equal(parse_depth(s, k, 41), 0);
	VAL(EVENT_ID, "e1");
	refused(s, k, 40, "nesting_too_deep");
	/* Exactly 32 levels pass the default: 0 means EVP_JSONL_DEPTH. */
	k = nest(s, 32);
	assert_int_equal(parse_depth(s, k, 0), 0);
	VAL(EVENT_ID, "e1");
	s[k - 1] = ']';		/* now mismatched, but depth is fine */
	refused(s, k, 0, "invalid_json");
	k = nest(s, 33);
	refused(s, k, 0, "nesting_too_deep");
	assert_int_equal(parse_depth(s, k, 33), 0);
	free(s);

	/* A deep bound uses arena memory for the check's stack. */
	char deep[400];
	k = (size_t)sprintf(deep, "{\"eventId\":\"e2\",\"y\":");
	for (int d = 0; d < 100; d++)
		deep[k++] = '[';
	for (int d = 0; d < 100; d++)
		deep[k++] = ']';
	deep[k++] = '}';
	assert_int_equal(parse_depth(deep, k, 101), 0);
	VAL(EVENT_ID, "e2");
	refused(deep, k, 100, "nesting_too_deep");
	deep[k - 2] = '}';
	refused(deep, k, 101, "invalid_json");

	NO("{\"a\":[[[{\"b\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]]]]]]}]]]}", "nesting_too_deep");
}

static void
test_bad_json_type(void **state)
{
	(void)state;
	NO("{\"eventId\":true}", "bad_json_type");
	NO("{\"eventId\":\"e1\",\"price\":false}", "bad_json_type");
	NO("{\"userId\":{\"id\":1}}", "bad_json_type");
	NO("{\"deviceId\":[\"d1\"]}", "bad_json_type");
	NO("{\"deviceId\":[]}", "bad_json_type");
	assert_non_null(strstr(verdict.detail, "deviceId"));
	/* The same types are fine for keys that are not columns. */
	OK("{\"eventId\":\"e1\",\"ok\":true,\"o\":{\"x\":[true,false]},\"a\":[]}");
}

static void
test_repeated_key(void **state)
{
	char s[4096];
	size_t k;

	(void)state;
	NO("{\"eventId\":\"e1\",\"eventId\":\"e2\"}", "repeated_key");
	assert_non_null(strstr(verdict.detail, "eventId"));
	NO("{\"eventId\":\"e1\",\"price\":1,\"price\":null}", "repeated_key");
	NO("{\"eventId\":\"e1\",\"event\\u0049d\":\"e2\"}", "repeated_key");
	NO("{\"eventId\":\"e1\",\"x\":1,\"x\":2}", "repeated_key");
	NO("{\"eventId\":\"e1\",\"x\\/\":1,\"x/\":{}}", "repeated_key");
	NO("{\"eventId\":\"e1\",\"\":1,\"\":2}", "repeated_key");

	/* Many distinct ignored keys, then one of them again. */
	k = (size_t)sprintf(s, "{\"eventId\":\"e1\"");
	for (int i = 0; i < 100; i++)
		k += (size_t)sprintf(s + k, ",\"k%d\":%d", i, i);
	s[k] = '}';
	assert_int_equal(parse(s, k + 1), 0);
	k += (size_t)sprintf(s + k, ",\"k57\":0}");
	refused(s, k, 32, "repeated_key");
	assert_non_null(strstr(verdict.detail, "k57"));
}

static void
test_bad_unicode_escape(void **state)
{
	(void)state;
	NO("{\"eventId\":\"\\ud83d\"}", "bad_unicode_escape");
	NO("{\"eventId\":\"\\ud83dx\"}", "bad_unicode_escape");
	NO("{\"eventId\":\"\\ude00\"}", "bad_unicode_escape");
	NO("{\"eventId\":\"\\ude00\\ud83d\"}", "bad_unicode_escape");
	NO("{\"eventId\":\"\\ud83d\\u0041\"}", "bad_unicode_escape");
	NO("{\"eventId\":\"\\ud83d\\ud83d\"}", "bad_unicode_escape");
	NO("{\"eventId\":\"a\\u0000b\"}", "bad_unicode_escape");
	/* In an ignored key or value too: the line is refused, not guessed. */
	NO("{\"eventId\":\"e1\",\"x\":\"\\udfff\"}", "bad_unicode_escape");
	NO("{\"eventId\":\"e1\",\"\\u0000\":1}", "bad_unicode_escape");
}

static void
test_control_char(void **state)
{
	(void)state;
	NO("{\"eventId\":\"a\\nb\"}", "control_char");
	NO("{\"eventId\":\"e1\",\"userId\":\"a\\tb\"}", "control_char");
	assert_non_null(strstr(verdict.detail, "userId"));
	NO("{\"eventId\":\"\\r\"}", "control_char");
	NO("{\"eventId\":\"\\b\"}", "control_char");
	NO("{\"eventId\":\"\\f\"}", "control_char");
	NO("{\"eventId\":\"\\u001f\"}", "control_char");
	NO("{\"eventId\":\"\\u007f\"}", "control_char");
	NO("{\"eventId\":\"raw\x7f\"}", "control_char");
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	NO("{\"eventId\":\"\xff\"}", "invalid_utf8");
	NO("{\"eventId\":\"\xc0\xaf\"}", "invalid_utf8");
	NO("{\"eventId\":\"\xe2\x82\"}", "invalid_utf8");
	NO("{\"eventId\":\"\xed\xa0\x80\"}", "invalid_utf8");
	NO("{\"eventId\":\"e1\",\"ignored\":\"\xfe\"}", "invalid_utf8");
	NO("{\"eventId\":\"e1\"}\xc3", "invalid_utf8");
}

static void
test_nul_byte(void **state)
{
	(void)state;
	NO("{\"eventId\":\"a\0b\"}", "nul_byte");
	NO("{\"eventId\":\"e1\"}\0", "nul_byte");
	NO("\0{\"eventId\":\"e1\"}", "nul_byte");
	assert_non_null(strstr(verdict.detail, "offset 0"));
}

static void
test_no_event_fields(void **state)
{
	(void)state;
	NO("{}", "no_event_fields");
	NO(" { } ", "no_event_fields");
	NO("{\"EventId\":\"e1\",\"event_id\":\"e2\"}", "no_event_fields");
	NO("{\"x\":{\"eventId\":\"e1\"}}", "no_event_fields");
}

/* More tokens than the parser's first array: jsmn must resume. */
static void
test_many_tokens(void **state)
{
	char s[16384];
	size_t k;

	(void)state;
	k = (size_t)sprintf(s, "{\"eventId\":\"first\"");
	for (int i = 0; i < 300; i++)
		k += (size_t)sprintf(s + k, ",\"k%d\":[%d,{\"z\":\"v\"}]", i, i);
	k += (size_t)sprintf(s + k, ",\"price\":12.5,\"userId\":\"u\\u00e9\"}");
	assert_int_equal(parse(s, k), 0);
	VAL(EVENT_ID, "first");
	VAL(PRICE, "12.5");
	VAL(USER, "u\xC3\xA9");
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_true(evp_jsonl_sniff(L("{\"eventId\":1}")));
	assert_true(evp_jsonl_sniff(L("  \t{")));
	assert_false(evp_jsonl_sniff(L("[{}]")));
	assert_false(evp_jsonl_sniff(L("eventId=e1")));
	assert_false(evp_jsonl_sniff(L("   ")));
	assert_false(evp_jsonl_sniff(L("")));
	assert_false(evp_jsonl_sniff(L("1.2.3.4 - - [10/Oct/2023:13:55:36 +0000]")));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat_object),
		cmocka_unit_test(test_numbers_verbatim),
		cmocka_unit_test(test_null_empty),
		cmocka_unit_test(test_ignored_keys),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_invalid_json),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_bad_json_type),
		cmocka_unit_test(test_repeated_key),
		cmocka_unit_test(test_bad_unicode_escape),
		cmocka_unit_test(test_control_char),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_no_event_fields),
		cmocka_unit_test(test_many_tokens),
		cmocka_unit_test(test_sniff),
	};
	int failed;

	evp_arena_init(&arena);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	evp_arena_release(&arena);
	return failed;
}
