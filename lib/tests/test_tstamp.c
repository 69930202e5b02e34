/*
 * Unit tests for lib/tstamp (SPEC section 2).  Expected epoch values were
 * computed apart from this code, with `date -u -d <text> +%s`.  Every input
 * is copied into a heap block of exactly its length, so a build with
 * -fsanitize=address catches the parser reading past len.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/tstamp.h"

#define TOD	EVP_TS_TIMEOFDAY
#define INST	EVP_TS_INSTANT

/* A literal with its exact length, so embedded NULs are kept. */
#define L(s)	s, sizeof(s) - 1

#define INSTANT_MIN	INT64_C(-62167219200)	/* 0000-01-01T00:00:00Z */
#define INSTANT_MAX	INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

struct good {
	const char	*s;
	size_t		 len;
	enum evp_tkind	 kind;
	int64_t		 sec;
	int32_t		 nsec;
};

struct bad {
	const char	*s;
	size_t		 len;
};

/* Parse s[0..len) from a heap copy of exactly len bytes. */
static int
parse(struct evp_tstamp *t, const char *s, size_t len)
{
	char *copy;
	int r;

	copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	r = evp_tstamp_parse(t, copy, len);
	free(copy);
	return r;
}

/* Parse text that must be a timestamp. */
static struct evp_tstamp
must(const char *s)
{
	struct evp_tstamp t;

	if (parse(&t, s, strlen(s)) != 0)
		fail_msg("\"%s\" was rejected", s);
	return t;
}

static const struct good goods[] = {
	/* Time of day. */
	{ L("9:00"), TOD, 32400, 0 },
	{ L("0:00"), TOD, 0, 0 },
	{ L("09:00"), TOD, 32400, 0 },
	{ L("00:00"), TOD, 0, 0 },
	{ L("10:05"), TOD, 36300, 0 },
	{ L("9:05:07"), TOD, 32707, 0 },
	{ L("10:05:30"), TOD, 36330, 0 },
	{ L("10:05:30.25"), TOD, 36330, 250000000 },
	{ L("10:05:30.5"), TOD, 36330, 500000000 },
	{ L("10:05:30.000000001"), TOD, 36330, 1 },
	{ L("10:05:30.123456789"), TOD, 36330, 123456789 },
	{ L("10:05:30.0"), TOD, 36330, 0 },
	{ L("23:59:59.999999999"), TOD, 86399, 999999999 },
	{ L("00:00:00"), TOD, 0, 0 },
	/* ISO 8601: separators, optional seconds and fraction, no zone. */
	{ L("2026-11-01T10:05:30Z"), INST, 1793527530, 0 },
	{ L("2026-11-01 10:05:30Z"), INST, 1793527530, 0 },
	{ L("2026-11-01T10:05:30"), INST, 1793527530, 0 },
	{ L("2026-11-01 10:05:30"), INST, 1793527530, 0 },
	{ L("2026-11-01T10:05Z"), INST, 1793527500, 0 },
	{ L("2026-11-01T10:05"), INST, 1793527500, 0 },
	{ L("2026-11-01 10:05:30.123456"), INST, 1793527530, 123456000 },
	{ L("2026-11-01T10:05:30.1Z"), INST, 1793527530, 100000000 },
	{ L("2026-11-01T10:05:30.999999999Z"), INST, 1793527530, 999999999 },
	/* Zones: 10:05:30+02:00 is 08:05:30Z, 10:05:30-05:30 is 15:35:30Z. */
	{ L("2026-11-01T10:05:30+02:00"), INST, 1793520330, 0 },
	{ L("2026-11-01T10:05:30+0200"), INST, 1793520330, 0 },
	{ L("2026-11-01 10:05:30+02:00"), INST, 1793520330, 0 },
	{ L("2026-11-01T10:05:30-05:30"), INST, 1793547330, 0 },
	{ L("2026-11-01T10:05:30-0530"), INST, 1793547330, 0 },
	{ L("2026-11-01T10:05:30+00:00"), INST, 1793527530, 0 },
	{ L("2026-11-01T10:05:30-00:00"), INST, 1793527530, 0 },
	{ L("2026-11-01T10:05:30-0000"), INST, 1793527530, 0 },
	{ L("2026-11-01T10:05:30.5+02:00"), INST, 1793520330, 500000000 },
	{ L("2026-11-01T10:05+02:00"), INST, 1793520300, 0 },
	{ L("2026-11-01T10:05-0530"), INST, 1793547300, 0 },
	/* Extreme zones move the date across midnight. */
	{ L("2026-11-01T23:59+23:59"), INST, 1793491200, 0 },
	{ L("2026-11-01T00:00-23:59"), INST, 1793577540, 0 },
	{ L("2026-11-02T00:30+01:00"), INST, 1793575800, 0 },
	/* Dates at the edge of months, leap years and the epoch. */
	{ L("1970-01-01T00:00:00Z"), INST, 0, 0 },
	{ L("2000-02-29T12:00:00Z"), INST, 951825600, 0 },
	{ L("2024-02-29T00:00:00Z"), INST, 1709164800, 0 },
	{ L("1600-02-29T00:00:00Z"), INST, INT64_C(-11670998400), 0 },
	{ L("2026-03-01T00:00:00Z"), INST, 1772323200, 0 },
	{ L("2026-01-31T00:00Z"), INST, 1769817600, 0 },
	{ L("2026-04-30T00:00Z"), INST, 1777507200, 0 },
	{ L("2026-12-31T23:59:59Z"), INST, 1798761599, 0 },
	{ L("2038-01-19T03:14:08Z"), INST, INT64_C(2147483648), 0 },
	{ L("1969-07-20T20:17:40Z"), INST, -14182940, 0 },
	{ L("1969-12-31T23:59:59.5Z"), INST, -1, 500000000 },
	{ L("1900-01-01T00:00:00Z"), INST, INT64_C(-2208988800), 0 },
	{ L("1900-03-01T00:00:00Z"), INST, INT64_C(-2203891200), 0 },
	{ L("0001-01-01T00:00:00Z"), INST, INT64_C(-62135596800), 0 },
	{ L("0000-01-01T00:00:00Z"), INST, INSTANT_MIN, 0 },
	{ L("0000-01-01T00:00-01:00"), INST, INSTANT_MIN + 3600, 0 },
	{ L("9999-12-31T00:00:00Z"), INST, INT64_C(253402214400), 0 },
	{ L("9999-12-31T23:59:59.999999999Z"), INST, INSTANT_MAX, 999999999 },
	{ L("9999-12-31T23:59:59+23:59"), INST, INSTANT_MAX - 86340, 0 },
	/* Unix epoch seconds. */
	{ L("0"), INST, 0, 0 },
	{ L("1"), INST, 1, 0 },
	{ L("2026"), INST, 2026, 0 },
	{ L("1793527874"), INST, 1793527874, 0 },
	{ L("1793527874.25"), INST, 1793527874, 250000000 },
	{ L("1793527874.000000001"), INST, 1793527874, 1 },
	{ L("1793527874.999999999"), INST, 1793527874, 999999999 },
	{ L("0.5"), INST, 0, 500000000 },
	{ L("10.05"), INST, 10, 50000000 },	/* not 10:05 */
	{ L("000000000001"), INST, 1, 0 },
	{ L("253402300799"), INST, INSTANT_MAX, 0 },
	{ L("253402300799.999999999"), INST, INSTANT_MAX, 999999999 },
};

static const struct bad bads[] = {
	/* Nothing, or not a timestamp at all. */
	{ L("") }, { L(" ") }, { L("now") }, { L(":") }, { L(".") },
	{ L("-") }, { L("T") }, { L("Z") },
	/* Time of day out of range. */
	{ L("24:00") }, { L("25:00") }, { L("99:00") }, { L("10:60") },
	{ L("10:99") }, { L("10:05:60") }, { L("23:59:60") },
	{ L("24:00:00") },
	/* Time of day of the wrong shape. */
	{ L("100:00") }, { L("010:00") }, { L("1:5") }, { L("10:5") },
	{ L("10:005") }, { L("10:05:3") }, { L("10:05:300") }, { L("10:") },
	{ L(":00") }, { L("10::05") }, { L("10:05:") }, { L("10:05:30:00") },
	{ L("10-05") }, { L("10h05") },
	/* A fraction only after seconds, of 1 to 9 digits. */
	{ L("10:05.5") }, { L("10.5:05") }, { L("10:05:30.") },
	{ L("10:05:30.1234567890") }, { L("10:05:30..5") },
	{ L("10:05:30.5.5") }, { L("10:05:30,5") }, { L("10:05:30.-5") },
	/* Trailing and leading text; time of day takes no zone. */
	{ L("10:00pm") }, { L("10:00 pm") }, { L(" 10:00") }, { L("10:00 ") },
	{ L("10:00\n") }, { L("\t10:00") }, { L("10:05:30Z") },
	{ L("10:05:30+02:00") }, { L("+10:00") }, { L("-10:00") },
	/* Dates out of range. */
	{ L("2026-00-01T00:00Z") }, { L("2026-13-01T00:00Z") },
	{ L("2026-11-00T00:00Z") }, { L("2026-11-31T00:00Z") },
	{ L("2026-01-32T00:00Z") }, { L("2026-04-31T00:00Z") },
	{ L("2026-06-31T00:00Z") }, { L("2026-09-31T00:00Z") },
	{ L("2026-02-29T00:00Z") }, { L("2026-02-30T00:00Z") },
	{ L("1900-02-29T00:00Z") }, { L("2100-02-29T00:00Z") },
	{ L("2024-02-30T00:00Z") }, { L("2026-99-99T00:00Z") },
	/* Clock out of range inside a date-time. */
	{ L("2026-11-01T24:00Z") }, { L("2026-11-01T24:00:00") },
	{ L("2026-11-01T10:60Z") }, { L("2026-11-01T10:05:60Z") },
	{ L("2026-11-01T23:59:60Z") },
	/* Date-time of the wrong shape. */
	{ L("2026-11-01") }, { L("2026-11-01T") }, { L("2026-11-01T10") },
	{ L("2026-11-01T10:") }, { L("2026-11-01T9:05Z") },
	{ L("2026-11-01T9:05") }, { L("2026-11-01T100:05Z") },
	{ L("2026-11-01T10:5Z") }, { L("2026-11-01  10:05Z") },
	{ L("2026-11-01_10:05") }, { L("2026-11-01\t10:05") },
	{ L("2026-11-0110:05") }, { L("26-11-01T10:05Z") },
	{ L("02026-11-01T10:05Z") }, { L("2026-1-01T10:05Z") },
	{ L("2026-11-1T10:05Z") }, { L("2026/11/01T10:05Z") },
	{ L("2026-11/01T10:05Z") }, { L("20261101T100530Z") },
	{ L("-2026-11-01T10:05Z") }, { L("+2026-11-01T10:05Z") },
	/* Upper case only. */
	{ L("2026-11-01t10:05Z") }, { L("2026-11-01T10:05z") },
	{ L("2026-11-01t10:05:30z") },
	/* Fractions in a date-time. */
	{ L("2026-11-01T10:05.5Z") }, { L("2026-11-01T10:05:30.Z") },
	{ L("2026-11-01T10:05:30.1234567890Z") }, { L("2026-11-01T10:05:30.") },
	/* Bad zones. */
	{ L("2026-11-01T10:05:30+25:00") }, { L("2026-11-01T10:05:30+24:00") },
	{ L("2026-11-01T10:05:30-24:00") }, { L("2026-11-01T10:05:30+02:60") },
	{ L("2026-11-01T10:05:30+0260") }, { L("2026-11-01T10:05:30+2") },
	{ L("2026-11-01T10:05:30+02") }, { L("2026-11-01T10:05:30+2:00") },
	{ L("2026-11-01T10:05:30+02:0") }, { L("2026-11-01T10:05:30+020") },
	{ L("2026-11-01T10:05:30+02:00:00") }, { L("2026-11-01T10:05:30+") },
	{ L("2026-11-01T10:05:30-") }, { L("2026-11-01T10:05:30ZZ") },
	{ L("2026-11-01T10:05:30Z+02:00") }, { L("2026-11-01T10:05:30 Z") },
	{ L("2026-11-01T10:05:30 +02:00") }, { L("2026-11-01T10:05:30UTC") },
	{ L("2026-11-01T10:05:30GMT") }, { L("2026-11-01T10:05:30+02:00x") },
	{ L("2026-11-01T10:05:30Z ") }, { L("2026-11-01T10:05:30+0200 ") },
	{ L("2026-11-01T10:05:30*02:00") }, { L("2026-11-01T10:05:30+02-00") },
	/* Epoch seconds. */
	{ L("-5") }, { L("+5") }, { L("-0") }, { L("1e9") }, { L("1E9") },
	{ L("0x10") }, { L("1,000") }, { L("1_000") }, { L("1793527874.") },
	{ L(".5") }, { L("1793527874.1234567890") }, { L("1793527874 ") },
	{ L(" 1793527874") }, { L("1793527874.25Z") }, { L("1793527874Z") },
	{ L("1793527874s") }, { L("1793527874.25.5") },
	{ L("253402300800") }, { L("999999999999") },
	{ L("0000000000001") }, { L("1234567890123") },
	{ L("12345678901234567890123") },
	{ L("9223372036854775807") }, { L("9223372036854775808") },
	{ L("18446744073709551616") },
	{ L("999999999999999999999999999999999999999999999999999999999999") },
	/* Non-ASCII digits and high bytes. */
	{ L("\xd9\xa1\xd9\xa0:00") }, { L("\xef\xbc\x91\xef\xbc\x90:00") },
	{ L("1\xb2:00") }, { L("10:0\xb9") }, { L("\xff") }, { L("12\x80") },
	/* NUL bytes anywhere, given by explicit length. */
	{ L("\0") }, { L("\0\0\0\0\0") }, { L("10:00\0") }, { L("\0" "10:00") },
	{ L("10\0:00") }, { L("10:0\0") }, { L("1793527874\0") },
	{ L("1793\0" "527874") }, { L("2026-11-01T10:05Z\0") },
	{ L("2026-11-01\0" "10:05Z") }, { L("2026-11-01T10:05:30+02:00\0") },
	{ L("10:05:30.\0" "5") },
};

static void
test_accept(void **state)
{
	struct evp_tstamp t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		const struct good *g = &goods[i];

		memset(&t, 0xa5, sizeof(t));
		if (parse(&t, g->s, g->len) != 0)
			fail_msg("\"%s\" was rejected", g->s);
		if (t.kind != g->kind || t.sec != g->sec || t.nsec != g->nsec)
			fail_msg("\"%s\": got kind %d sec %lld nsec %ld, "
			    "want kind %d sec %lld nsec %ld", g->s, (int)t.kind,
			    (long long)t.sec, (long)t.nsec, (int)g->kind,
			    (long long)g->sec, (long)g->nsec);
	}
}

/* A rejected text must also leave *t as it was. */
static void
test_reject(void **state)
{
	struct evp_tstamp t, before;
	size_t i, j;

	(void)state;
	memset(&before, 0x5a, sizeof(before));
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		t = before;
		if (parse(&t, bads[i].s, bads[i].len) != -1) {
			fprintf(stderr, "case %zu:", i);
			for (j = 0; j < bads[i].len; j++)
				fprintf(stderr, " %02x",
				    (unsigned char)bads[i].s[j]);
			fprintf(stderr, "\n");
			fail_msg("\"%s\" was accepted: sec %lld nsec %ld",
			    bads[i].s, (long long)t.sec, (long)t.nsec);
		}
		if (memcmp(&t, &before, sizeof(t)) != 0)
			fail_msg("\"%s\" changed *t on failure", bads[i].s);
	}
}

/* Only s[0..len) is read: a prefix of a longer text stands on its own. */
static void
test_length(void **state)
{
	struct evp_tstamp t;
	const char *s = "10:05:30.25xyz";

	(void)state;
	assert_int_equal(evp_tstamp_parse(&t, s, 11), 0);
	assert_int_equal(t.sec, 36330);
	assert_int_equal(t.nsec, 250000000);
	assert_int_equal(evp_tstamp_parse(&t, s, 8), 0);
	assert_int_equal(t.sec, 36330);
	assert_int_equal(t.nsec, 0);
	assert_int_equal(evp_tstamp_parse(&t, s, 5), 0);
	assert_int_equal(t.sec, 36300);
	assert_int_equal(evp_tstamp_parse(&t, s, 9), -1);	/* "10:05:30." */
	assert_int_equal(evp_tstamp_parse(&t, s, 4), -1);	/* "10:0" */
	assert_int_equal(evp_tstamp_parse(&t, s, 3), -1);	/* "10:" */
	assert_int_equal(evp_tstamp_parse(&t, s, 2), 0);	/* epoch 10 */
	assert_int_equal(t.kind, INST);
	assert_int_equal(t.sec, 10);
	assert_int_equal(evp_tstamp_parse(&t, s, 12), -1);
	assert_int_equal(evp_tstamp_parse(&t, s, 0), -1);
	assert_int_equal(evp_tstamp_parse(&t, NULL, 0), -1);
	s = "2026-11-01T10:05:30+02:00";
	assert_int_equal(evp_tstamp_parse(&t, s, 19), 0);
	assert_int_equal(t.sec, 1793527530);
	assert_int_equal(evp_tstamp_parse(&t, s, 23), -1);
	assert_int_equal(evp_tstamp_parse(&t, s, 24), -1);
}

struct pair {
	const char	*a;
	const char	*b;
	int		 want;
};

static const struct pair pairs[] = {
	/* One instant written many ways. */
	{ "2026-11-01T10:05:30+02:00", "2026-11-01T08:05:30Z", 0 },
	{ "2026-11-01T10:05:30+02:00", "2026-11-01T03:05:30-05:00", 0 },
	{ "2026-11-01T10:05:30+0200", "2026-11-01 08:05:30", 0 },
	{ "2026-11-01T10:05:30Z", "1793527530", 0 },
	{ "2026-11-01T10:05:30.25Z", "1793527530.25", 0 },
	{ "2026-11-01T10:05:30.5Z", "1793527530.500000000", 0 },
	{ "2026-11-02T00:30+01:00", "2026-11-01T23:30:00Z", 0 },
	{ "1970-01-01T00:00Z", "0", 0 },
	{ "9:00", "09:00:00", 0 },
	{ "9:00", "09:00:00.000", 0 },
	/* Ordering, down to the nanosecond. */
	{ "10:05:30", "10:05:30.000000001", -1 },
	{ "10:05:30.000000002", "10:05:30.000000001", 1 },
	{ "10:05:30.999999999", "10:05:31", -1 },
	{ "9:59:59.999999999", "10:00", -1 },
	{ "23:59:59", "0:00", 1 },
	{ "1793527874.999999999", "1793527875", -1 },
	{ "1793527875.000000001", "1793527875", 1 },
	{ "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z", -1 },
	{ "1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.4Z", 1 },
	{ "2026-11-01T10:05:30+02:00", "2026-11-01T09:05:30+02:00", 1 },
	{ "2026-11-01T10:05:30+02:00", "2026-11-01T10:05:30+01:00", -1 },
	{ "0000-01-01T00:00Z", "9999-12-31T23:59:59.999999999Z", -1 },
	/* A time of day cannot be compared with an instant. */
	{ "10:05:30", "2026-11-01T10:05:30Z", 2 },
	{ "2026-11-01T10:05:30Z", "10:05:30", 2 },
	{ "0:00", "0", 2 },
	{ "0", "0:00", 2 },
	{ "36330", "10:05:30", 2 },
};

static void
test_cmp(void **state)
{
	struct evp_tstamp a, b;
	size_t i;
	int got, back;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		a = must(pairs[i].a);
		b = must(pairs[i].b);
		got = evp_tstamp_cmp(&a, &b);
		back = evp_tstamp_cmp(&b, &a);
		if (got != pairs[i].want)
			fail_msg("cmp(\"%s\", \"%s\") = %d, want %d",
			    pairs[i].a, pairs[i].b, got, pairs[i].want);
		if (back != (pairs[i].want == 2 ? 2 : -pairs[i].want))
			fail_msg("cmp(\"%s\", \"%s\") = %d is not symmetric",
			    pairs[i].b, pairs[i].a, back);
		assert_int_equal(evp_tstamp_cmp(&a, &a), 0);
	}
}

struct fmt {
	enum evp_tkind	 kind;
	int64_t		 sec;
	int32_t		 nsec;
	const char	*want;
};

static const struct fmt fmts[] = {
	{ TOD, 0, 0, "00:00:00" },
	{ TOD, 32400, 0, "09:00:00" },
	{ TOD, 36330, 250000000, "10:05:30.25" },
	{ TOD, 36330, 1, "10:05:30.000000001" },
	{ TOD, 86399, 999999999, "23:59:59.999999999" },
	{ TOD, 3723, 100000000, "01:02:03.1" },
	{ INST, 0, 0, "1970-01-01T00:00:00Z" },
	{ INST, 1, 0, "1970-01-01T00:00:01Z" },
	{ INST, 0, 1, "1970-01-01T00:00:00.000000001Z" },
	{ INST, 1793527530, 0, "2026-11-01T10:05:30Z" },
	{ INST, 1793527530, 123456000, "2026-11-01T10:05:30.123456Z" },
	{ INST, 951825600, 120000000, "2000-02-29T12:00:00.12Z" },
	{ INST, 1709164800, 0, "2024-02-29T00:00:00Z" },
	{ INST, 1772323200, 0, "2026-03-01T00:00:00Z" },
	{ INST, 1798761599, 0, "2026-12-31T23:59:59Z" },
	{ INST, -1, 500000000, "1969-12-31T23:59:59.5Z" },
	{ INST, -86400, 0, "1969-12-31T00:00:00Z" },
	{ INST, -86401, 0, "1969-12-30T23:59:59Z" },
	{ INST, -14182940, 0, "1969-07-20T20:17:40Z" },
	{ INST, INT64_C(-2203891200), 0, "1900-03-01T00:00:00Z" },
	{ INST, INT64_C(-2208988800), 0, "1900-01-01T00:00:00Z" },
	{ INST, INT64_C(-11670998400), 0, "1600-02-29T00:00:00Z" },
	{ INST, INT64_C(-62135596800), 0, "0001-01-01T00:00:00Z" },
	{ INST, INSTANT_MIN, 0, "0000-01-01T00:00:00Z" },
	{ INST, INSTANT_MAX, 999999999, "9999-12-31T23:59:59.999999999Z" },
	{ INST, INT64_C(2147483648), 0, "2038-01-19T03:14:08Z" },
};

static void
test_format(void **state)
{
	char buf[EVP_TSTAMP_TEXTMAX];
	struct evp_tstamp t, back;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		t.kind = fmts[i].kind;
		t.sec = fmts[i].sec;
		t.nsec = fmts[i].nsec;
		memset(buf, 'x', sizeof(buf));
		n = evp_tstamp_format(&t, buf);
		assert_string_equal(buf, fmts[i].want);
		assert_int_equal(n, strlen(fmts[i].want));
		back = must(buf);
		assert_int_equal(evp_tstamp_cmp(&t, &back), 0);
		assert_int_equal(back.kind, t.kind);
	}
}

/* Format t, check the text, parse it back and compare. */
static void
roundtrip(const struct evp_tstamp *t)
{
	char buf[EVP_TSTAMP_TEXTMAX];
	struct evp_tstamp back;
	size_t n;

	n = evp_tstamp_format(t, buf);
	if (n != strlen(buf) || n >= sizeof(buf))
		fail_msg("sec %lld: length %zu", (long long)t->sec, n);
	if (parse(&back, buf, n) != 0)
		fail_msg("sec %lld nsec %ld: \"%s\" does not parse",
		    (long long)t->sec, (long)t->nsec, buf);
	if (back.kind != t->kind || back.sec != t->sec || back.nsec != t->nsec)
		fail_msg("sec %lld nsec %ld: \"%s\" parses to sec %lld nsec %ld",
		    (long long)t->sec, (long)t->nsec, buf,
		    (long long)back.sec, (long)back.nsec);
}

/* Spread over the whole range, with each edge and odd fractions. */
static void
test_roundtrip_instants(void **state)
{
	static const int64_t edges[] = {
		INSTANT_MIN, INSTANT_MIN + 1, -86401, -86400, -86399, -3601,
		-1, 0, 1, 86399, 86400, 951782399, 951782400, 951868800,
		INT64_C(4102444800), INSTANT_MAX - 1, INSTANT_MAX,
	};
	struct evp_tstamp t;
	int64_t sec;
	uint64_t x = 12345;
	size_t i;

	(void)state;
	t.kind = INST;
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		t.sec = edges[i];
		t.nsec = 0;
		roundtrip(&t);
		t.nsec = 999999999;
		roundtrip(&t);
	}
	for (sec = INSTANT_MIN; sec <= INSTANT_MAX; sec += 999983) {
		x = (x * 1103515245 + 12345) % 2147483648u;
		t.sec = sec;
		t.nsec = (int32_t)(x % 1000000000);
		if (x % 4 == 0)
			t.nsec = 0;
		else if (x % 4 == 1)
			t.nsec -= t.nsec % 1000000;
		roundtrip(&t);
	}
}

static void
test_roundtrip_timeofday(void **state)
{
	struct evp_tstamp t;
	int64_t sec;

	(void)state;
	t.kind = TOD;
	for (sec = 0; sec < 86400; sec++) {
		t.sec = sec;
		t.nsec = (int32_t)((sec * 7919) % 1000000000);
		roundtrip(&t);
		t.nsec = 0;
		roundtrip(&t);
	}
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Walk every day from 0000-01-01 to 9999-12-31 with a plain calendar
 * counter, independent of the code under test: each date must parse to
 * the previous day plus 86400 seconds and format back to the same text.
 */
static void
test_every_day(void **state)
{
	static const int mlen[13] = {
		0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	char text[48], buf[EVP_TSTAMP_TEXTMAX];
	struct evp_tstamp t;
	int64_t want = INSTANT_MIN;
	int y, m, d, last;

	(void)state;
	for (y = 0; y <= 9999; y++) {
		for (m = 1; m <= 12; m++) {
			last = mlen[m] + (m == 2 && leap(y));
			for (d = 1; d <= last; d++, want += 86400) {
				snprintf(text, sizeof(text),
				    "%04d-%02d-%02dT00:00:00Z", y, m, d);
				if (parse(&t, text, strlen(text)) != 0)
					fail_msg("\"%s\" was rejected", text);
				if (t.sec != want)
					fail_msg("\"%s\": sec %lld, want %lld",
					    text, (long long)t.sec,
					    (long long)want);
				evp_tstamp_format(&t, buf);
				assert_string_equal(buf, text);
			}
			snprintf(text, sizeof(text), "%04d-%02d-%02dT00:00Z",
			    y, m, d);
			if (parse(&t, text, strlen(text)) != -1)
				fail_msg("\"%s\" was accepted", text);
		}
	}
	assert_int_equal(want - 86400, INT64_C(253402214400));
}

/* Values parse never makes must still fit the buffer and be NUL-ended. */
/*
 * A zone may put an instant just outside years 0000-9999: a valid text,
 * written back with a zone, so that it parses again to the same instant.
 */
static void
test_zone_past_years(void **state)
{
	static const char *const texts[] = {
		"0000-01-01T00:00+01:00", "0000-01-01T00:00:00+00:01",
		"0000-01-01T00:00:00.5+23:59", "9999-12-31T23:59-00:01",
		"9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59.25-23:59",
	};
	struct evp_tstamp t, back;
	char buf[EVP_TSTAMP_TEXTMAX];

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(evp_tstamp_parse(&t, texts[i], strlen(texts[i])), 0);
		size_t n = evp_tstamp_format(&t, buf);
		assert_int_equal(evp_tstamp_parse(&back, buf, n), 0);
		assert_int_equal(evp_tstamp_cmp(&t, &back), 0);
		assert_true(back.sec == t.sec && back.nsec == t.nsec);
	}
	/* The instant: a minute before year 0000. */
	assert_int_equal(evp_tstamp_parse(&t, texts[1], strlen(texts[1])), 0);
	assert_true(t.sec == INT64_C(-62167219200) - 60);
}

static void
test_format_odd(void **state)
{
	static const int64_t secs[] = {
		INT64_MIN, INT64_MIN + 1, -1, 86400, INSTANT_MIN - 1,
		INSTANT_MAX + 1, INT64_MAX - 1, INT64_MAX,
	};
	static const int32_t nsecs[] = { INT32_MIN, -1, 0, 1000000000,
	    INT32_MAX };
	struct evp_tstamp t;
	char *buf;
	size_t i, j, n;
	int k;

	(void)state;
	buf = malloc(EVP_TSTAMP_TEXTMAX);
	assert_non_null(buf);
	for (k = TOD; k <= INST; k++)
		for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
			for (j = 0; j < sizeof(nsecs) / sizeof(nsecs[0]); j++) {
				t.kind = (enum evp_tkind)k;
				t.sec = secs[i];
				t.nsec = nsecs[j];
				n = evp_tstamp_format(&t, buf);
				assert_true(n < EVP_TSTAMP_TEXTMAX);
				assert_int_equal(n, strlen(buf));
			}
	free(buf);
}

/*
 * The UTC day of an instant, written back as a date: every day of years
 * 0000 to 9999 at midnight and one nanosecond before the next midnight,
 * whose date is the same day's, and zones that move an instant across
 * midnight.
 */
static void
test_day(void **state)
{
	static const struct {
		const char	*s, *day;
	} cases[] = {
		{ "1970-01-01T00:00:00Z", "1970-01-01" },
		{ "1969-12-31T23:59:59.999999999Z", "1969-12-31" },
		{ "2017-06-28 23:59:59.999999", "2017-06-28" },
		{ "2017-06-29T01:30:00+02:00", "2017-06-28" },
		{ "2017-06-28T22:30:00-02:00", "2017-06-29" },
		{ "0", "1970-01-01" },
		{ "86399.999", "1970-01-01" },
		{ "86400", "1970-01-02" },
		{ "0000-01-01T00:00:00Z", "0000-01-01" },
		{ "9999-12-31T23:59:59Z", "9999-12-31" },
		{ "2024-02-29T12:00:00Z", "2024-02-29" },
	};
	struct evp_tstamp t;
	char buf[EVP_DAY_TEXTMAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(evp_tstamp_parse(&t, cases[i].s,
		    strlen(cases[i].s)), 0);
		size_t n = evp_day_format(evp_tstamp_day(&t), buf);
		assert_int_equal(n, 10);
		if (strcmp(buf, cases[i].day) != 0)
			fail_msg("%s: day %s, not %s", cases[i].s, buf,
			    cases[i].day);
	}
	/* Every day: its midnight and its last nanosecond, both that day. */
	for (int64_t day = -719528; day <= 2932896; day += 1) {
		char text[EVP_TSTAMP_TEXTMAX];
		t.kind = EVP_TS_INSTANT;
		t.sec = day * 86400;
		t.nsec = 0;
		assert_int_equal(evp_tstamp_day(&t), day);
		evp_day_format(day, buf);
		evp_tstamp_format(&t, text);
		if (strncmp(text, buf, 10) != 0 || text[10] != 'T')
			fail_msg("day %lld: %s against %s", (long long)day, buf,
			    text);
		t.sec += 86399;
		t.nsec = 999999999;
		assert_int_equal(evp_tstamp_day(&t), day);
	}
}

/* An instant for a rule, or bad_timestamp saying why not. */
static void
test_instant(void **state)
{
	static const struct {
		const char	*s, *detail;
	} cases[] = {
		{ "2026-11-01T10:00:00Z", NULL },
		{ "1793527874", NULL },
		{ "2026-11-01 10:00", NULL },
		{ "10:00", "d: a time of day is not an instant: '10:00'" },
		{ "2026-11-01", "d: a date alone is not an instant: '2026-11-01'" },
		{ "2026-11-01T", "d: not a timestamp: '2026-11-01T'" },
		{ "", "d: not a timestamp: ''" },
		{ "soon", "d: not a timestamp: 'soon'" },
	};
	struct evp_tstamp t;
	struct evp_verdict v;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evp_str f = { cases[i].s, strlen(cases[i].s) };
		int rc = evp_tstamp_instant(&t, "d", &f, &v);
		if (cases[i].detail == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(t.kind, EVP_TS_INSTANT);
			continue;
		}
		assert_int_equal(rc, -1);
		assert_string_equal(v.reason, "bad_timestamp");
		assert_string_equal(v.detail, cases[i].detail);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_zone_past_years),
		cmocka_unit_test(test_roundtrip_instants),
		cmocka_unit_test(test_roundtrip_timeofday),
		cmocka_unit_test(test_every_day),
		cmocka_unit_test(test_format_odd),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_instant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
