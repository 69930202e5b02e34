#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "testutil.h"

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

/* ---- evp_hexval, evp_hex4 ---- */

static int
ref_hexval(int c)
{
	static const char digits[] = "0123456789abcdef";
	const char *p;

	if (c == 0)
		return -1;
	if ((p = strchr(digits, c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c)) != NULL)
		return (int)(p - digits);
	return -1;
}

static void
test_hex(void **state)
{
	char s[8];

	(void)state;
	for (int c = 0; c < 256; c++)
		if (evp_hexval(c) != ref_hexval(c))
			fail_msg("evp_hexval(0x%02x) = %d", c, evp_hexval(c));
	/* Every value, in lower and upper case, exactly four bytes read. */
	for (long u = 0; u <= 0xFFFF; u++) {
		snprintf(s, sizeof(s), "%04lx!", u);
		assert_int_equal(evp_hex4(s, 4), u);
		assert_int_equal(evp_hex4(s, 5), u);
		snprintf(s, sizeof(s), "%04lX", u);
		assert_int_equal(evp_hex4(s, 4), u);
		assert_int_equal(evp_hex4(s, 3), -1);
	}
	assert_int_equal(evp_hex4("12aB", 4), 0x12AB);
	assert_int_equal(evp_hex4("", 0), -1);
	/* One byte that is not a hex digit, in each place. */
	for (int c = 0; c < 256; c++) {
		if (ref_hexval(c) >= 0)
			continue;
		for (int k = 0; k < 4; k++) {
			memcpy(s, "a1F0", 4);
			s[k] = (char)c;
			if (evp_hex4(s, 4) != -1)
				fail_msg("evp_hex4 takes byte 0x%02x at %d", c, k);
		}
	}
}

/* ---- evp_put_utf8 ---- */

/* The encoder the slow way: the length first, then the bytes from the end. */
static size_t
ref_put_utf8(unsigned char *d, unsigned long u)
{
	static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	size_t len = u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;

	if (len == 1) {
		d[0] = (unsigned char)u;
		return 1;
	}
	for (size_t k = len - 1; k > 0; k--) {
		d[k] = (unsigned char)(0x80 | (u & 0x3F));
		u >>= 6;
	}
	d[0] = (unsigned char)(lead[len] | u);
	return len;
}

static void
test_put_utf8(void **state)
{
	unsigned char want[4];
	char got[8];

	(void)state;
	for (unsigned long u = 0; u <= 0x10FFFF; u++) {
		size_t n = ref_put_utf8(want, u);
		memset(got, 0x55, sizeof(got));
		size_t k = evp_put_utf8(got, u);
		if (k != n || memcmp(got, want, n) != 0 || got[n] != 0x55)
			fail_msg("U+%04lX: %zu bytes %02x %02x %02x %02x, want %zu", u,
			    k, (unsigned char)got[0], (unsigned char)got[1],
			    (unsigned char)got[2], (unsigned char)got[3], n);
		/* Valid UTF-8, but for the surrogates. */
		int valid = evp_utf8_invalid(got, k) == k;
		if (valid != !(u >= 0xD800 && u <= 0xDFFF))
			fail_msg("U+%04lX: evp_utf8_invalid says %d", u, valid);
	}
}

/* ---- evp_unbackslash ---- */

/* Undo s[0..n) into a block of exactly n bytes (a sanitizer sees more). */
static void
unbackslash_is(const char *s, size_t n, const char *want, size_t wn)
{
	char *d = malloc(n ? n : 1);
	struct evp_buf b = EVP_BUF_INIT;

	assert_non_null(d);
	size_t k = evp_unbackslash(s, n, d);
	if (k != wn || memcmp(d, want, wn) != 0) {
		tu_escape(&b, d, k);
		free(d);
		fail_msg("'%.*s': '%s' (%zu bytes), want %zu bytes", (int)n, s, b.p,
		    k, wn);
	}
	free(d);
	evp_buf_release(&b);
}
#define UNB(s, want)	unbackslash_is(s, sizeof(s) - 1, want, sizeof(want) - 1)

static void
test_unbackslash(void **state)
{
	(void)state;
	UNB("", "");
	UNB("plain text", "plain text");
	/* JSON's escapes. */
	UNB("\\\\\\\"\\/\\b\\f\\n\\r\\t", "\\\"/\b\f\n\r\t");
	UNB("a\\nb", "a\nb");
	UNB("\\u0041\\u00e9\\u00E9\\u20ac\\uFFFF",
	    "A\xC3\xA9\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBF");
	UNB("x\\u0000y", "x\0y");
	/* A surrogate pair joined, at the start, the end, and twice. */
	UNB("\\uD83D\\uDE00", "\xF0\x9F\x98\x80");
	UNB("<\\ud83d\\ude00>", "<\xF0\x9F\x98\x80>");
	UNB("\\uD800\\uDC00\\uDBFF\\uDFFF", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
	/* An access log's \xHH and \v. */
	UNB("\\x41\\x7e\\x7E", "A~~");
	UNB("\\xff\\x00\\x0A", "\xFF\0\n");
	UNB("\\xC3\\xA9", "\xC3\xA9");
	UNB("\\v", "\v");
	UNB("tab\\vend", "tab\vend");
	/* Any other escaped byte stands for itself; so does a last \. */
	UNB("\\q\\'\\ ", "q' ");
	UNB("end\\\\", "end\\");
	UNB("end\\", "end\\");
	UNB("\\", "\\");
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
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_put_utf8),
		cmocka_unit_test(test_unbackslash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
