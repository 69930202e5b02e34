#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* Byte-at-a-time references for the word-at-a-time versions. */
static size_t
ref_ctl(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7F)
			return i;
	return n;
}

static size_t
ref_url(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '%' || p[i] == '+' || p[i] < 0x20 || p[i] >= 0x7F)
			return i;
	return n;
}

static size_t
ref_csv(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			return i;
	return n;
}

/* Decode one code point the slow way: its length, or 0 if invalid. */
static size_t
ref_cp(const unsigned char *p, size_t n)
{
	unsigned c = p[0], cp, len;

	if (c < 0x80)
		return 1;
	if (c >= 0xC0 && c < 0xE0)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c < 0xF0)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c < 0xF8)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (unsigned k = 1; k < len; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[k] & 0x3F);
	}
	static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static size_t
ref_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = ref_cp(p + i, n - i);
		if (k == 0)
			return i;
		i += k;
	}
	return n;
}

static void
test_against_reference(void **state)
{
	static const unsigned char pool[] = {
		'a', 'Z', '0', ' ', '~', 0x00, 0x09, 0x1F, 0x7F, 0x80, 0xBF, 0xC2,
		0xC0, 0xDF, 0xE0, 0xED, 0xA0, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F,
		0xF5, 0xFF, '%', '+', '$', '*', ',', '&', '=', '"', '\r', '\n',
		0x7E, 0x20, 0x1F,
	};
	unsigned char buf[80];

	(void)state;
	srand(12345);
	for (int iter = 0; iter < 200000; iter++) {
		size_t n = (size_t)rand() % sizeof(buf);
		int plain = rand() % 4;
		for (size_t i = 0; i < n; i++)
			buf[i] = plain && rand() % (plain == 3 ? 60 : 8) ? 'a' + rand() % 26 :
			    pool[rand() % sizeof(pool)];
		/* Copy to an exact-size block so a sanitizer sees overreads. */
		unsigned char *p = malloc(n ? n : 1);
		memcpy(p, buf, n);
		assert_int_equal(evp_ctl_find((char *)p, n), ref_ctl(p, n));
		assert_int_equal(evp_utf8_invalid((char *)p, n), ref_utf8(p, n));
		assert_int_equal(evp_url_plain((char *)p, n), ref_url(p, n));
		assert_int_equal(evp_csv_special((char *)p, n), ref_csv(p, n));
		free(p);
	}
}

static void
test_known(void **state)
{
	(void)state;
	assert_int_equal(evp_ctl_find("abcdefghijklmnop\x7Fq", 18), 16);
	assert_int_equal(evp_ctl_find("abcdefgh\x01", 9), 8);
	assert_int_equal(evp_ctl_find("Z\xc3\xbcrich, plain text", 19), 19);
	assert_int_equal(evp_utf8_invalid("abcdefgh\xc3\xbc", 10), 10);
	assert_int_equal(evp_utf8_invalid("abcdefgh\xc0\xaf", 10), 8);
	assert_int_equal(evp_utf8_invalid("abcdefgh\xed\xa0\x80", 11), 8);
	assert_int_equal(evp_utf8_invalid("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(evp_utf8_invalid("\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(evp_url_plain("eventType=click", 15), 15);
	assert_int_equal(evp_url_plain("2026-11-01T07%3A00", 18), 13);
	assert_int_equal(evp_url_plain("abcdefghijk+", 12), 11);
	assert_int_equal(evp_url_plain("abcdefgh\xc3\xbc", 10), 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_against_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
