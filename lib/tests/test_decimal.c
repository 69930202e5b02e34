/*
 * Unit tests for types/decimal: exact cases worked by hand, then random
 * values checked against a reference written here the schoolbook way,
 * on strings of decimal digits (no 128-bit arithmetic, no bignum words),
 * for compare, add, subtract, multiply, round and divide.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "types/decimal.h"

static struct evp_decimal
num(const char *s)
{
	struct evp_decimal x;
	char *copy = malloc(strlen(s) + 1);

	/* An exact-size copy without NUL, so ASan sees a read past the end. */
	assert_non_null(copy);
	memcpy(copy, s, strlen(s));
	if (evp_decimal_parse(&x, copy, strlen(s)) != 0)
		fail_msg("\"%s\" was refused", s);
	free(copy);
	return x;
}

static const char *
text(const struct evp_decimal *x)
{
	static char buf[8][128];
	static int k;
	char *b = buf[k++ % 8];

	if (evp_decimal_format(b, 128, x) < 0)
		return "(too long)";
	return b;
}

static void
test_parse(void **state)
{
	static const char *const same[][2] = {
		{ "-0.990", "-0.99" }, { "99e-2", "0.99" }, { "1E+3", "1000" },
		{ "10", "10" }, { "0.25", "0.25" }, { "0", "0" }, { "-0", "0" },
		{ "0.000", "0" }, { "-0.0e5", "0" }, { "1e0", "1" },
		{ "1.287", "1.287" }, { "2.000", "2" }, { "12.5E-3", "0.0125" },
		{ "0.0001", "0.0001" }, { "100e-2", "1" }, { "5e+1", "50" },
		{ "12345678901234567890123456789012345678",
		    "12345678901234567890123456789012345678" },
		/* 39 digits, but the last is a trailing zero */
		{ "123456789012345678901234567890123456780",
		    "123456789012345678901234567890123456780" },
		{ "0.00000000000000000000000000000000000000000001",
		    "0.00000000000000000000000000000000000000000001" },
		{ "1000000000000000000000000000000000000000000000000",
		    "1000000000000000000000000000000000000000000000000" },
		{ "0e99999999999999", "0" },
	};
	static const char *const bad[] = {
		"", "-", "+1", ".5", "1.", "01", "-01", "1e", "1e+", "1e-", " 1",
		"1 ", "0x10", "1.2.3", "--1", "NaN", "Infinity", "-Infinity",
		"1e5a", "1,5", "1..2", "e5", "1.e5", "\xef\xbc\x91",
		"123456789012345678901234567890123456789",
		"1.23456789012345678901234567890123456789",
		"1e1000000000", "1e-1000000000", "1e99999999999999999999",
	};
	struct evp_decimal x;

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(text((struct evp_decimal[]){ num(same[i][0]) }),
		    same[i][1]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (evp_decimal_parse(&x, bad[i], strlen(bad[i])) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
	/* A NUL byte is not the end of the text. */
	assert_int_equal(evp_decimal_parse(&x, "1\0", 2), -1);
	x = num("1e999999999");
	assert_int_equal(x.exp, 999999999);
	x = num("-1e-999999999");
	assert_int_equal(x.exp, -999999999);
	assert_int_equal(x.neg, 1);
}

static int
cmp(const char *a, const char *b)
{
	struct evp_decimal x = num(a), y = num(b);

	return evp_decimal_cmp(&x, &y);
}

static void
test_compare(void **state)
{
	(void)state;
	assert_int_equal(cmp("1", "1.0"), 0);
	assert_int_equal(cmp("1e3", "1000"), 0);
	assert_int_equal(cmp("0.1", "0.10000"), 0);
	assert_int_equal(cmp("-0", "0"), 0);
	assert_int_equal(cmp("-1", "0"), -1);
	assert_int_equal(cmp("-2", "-1"), -1);
	assert_int_equal(cmp("-1", "-2"), 1);
	assert_int_equal(cmp("1e-999999999", "0"), 1);
	assert_int_equal(cmp("-1e-999999999", "0"), -1);
	assert_int_equal(cmp("1e999999999", "99999999999999999999999999999999999999"), 1);
	assert_int_equal(cmp("1e38", "99999999999999999999999999999999999999"), 1);
	assert_int_equal(cmp("9.9999999999999999999999999999999999999e37",
	    "99999999999999999999999999999999999999"), 0);
	assert_int_equal(cmp("0.30000000000000004", "0.3"), 1);
	assert_int_equal(cmp("1.0000000000000000000000000000000000001", "1"), 1);
	assert_int_equal(cmp("-1.0000000000000000000000000000000000001", "-1"), -1);
	assert_int_equal(cmp("1e-999999999", "1e-999999998"), -1);
	assert_int_equal(cmp("123e-999999999", "1.23e-999999997"), 0);
	assert_int_equal(cmp("5e999999999", "49e999999998"), 1);
}

/* The text of a op b, or "error". */
static const char *
op(char o, const char *a, const char *b)
{
	static char buf[4][128];
	static int k;
	char *out = buf[k++ % 4];
	struct evp_decimal x = num(a), y = num(b), r;
	int rc = o == '+' ? evp_decimal_add(&r, &x, &y) :
	    o == '-' ? evp_decimal_sub(&r, &x, &y) : evp_decimal_mul(&r, &x, &y);

	if (rc < 0)
		return "error";
	if (evp_decimal_format(out, 128, &r) < 0)
		return "(too long)";
	return out;
}

static void
test_arith(void **state)
{
	(void)state;
	assert_string_equal(op('+', "0.1", "0.2"), "0.3");
	assert_string_equal(op('+', "-5", "3"), "-2");
	assert_string_equal(op('-', "1.5", "1.5"), "0");
	assert_string_equal(op('-', "0", "2.25"), "-2.25");
	assert_string_equal(op('+', "0.99", "0.01"), "1");
	/* a carry into a 39th digit that is a trailing zero */
	assert_string_equal(op('+', "99999999999999999999999999999999999999",
	    "1"), "100000000000000000000000000000000000000");
	/* a carry into a 39th digit that is not */
	assert_string_equal(op('+', "99999999999999999999999999999999999999",
	    "12"), "error");
	assert_string_equal(op('+', "99999999999999999999999999999999999999",
	    "11"), "100000000000000000000000000000000000010");
	/* cancellation across 38 digits */
	assert_string_equal(op('-', "1e38",
	    "99999999999999999999999999999999999999"), "1");
	assert_string_equal(op('+', "1e40", "1"), "error");
	assert_string_equal(op('+', "1e40", "-1e40"), "0");
	assert_string_equal(op('+', "1e-999999999", "1e999999999"), "error");
	assert_string_equal(op('*', "1.1", "1.1"), "1.21");
	assert_string_equal(op('*', "-2", "3"), "-6");
	assert_string_equal(op('*', "-2", "-0.5"), "1");
	assert_string_equal(op('*', "0", "-12345"), "0");
	/* 2^120 x 5^54: a product past 128 bits whose zeros bring it back */
	assert_string_equal(op('*', "1329227995784915872903807060280344576",
	    "55511151231257827021181583404541015625"),
	    "73786976294838206464000000000000000000000000000000000000000000000000000000");
	assert_string_equal(op('*', "99999999999999999999999999999999999999",
	    "99999999999999999999999999999999999999"), "error");
	assert_string_equal(op('*', "1e999999999", "10"), "error");
	assert_string_equal(op('*', "1e999999999", "0.1"),
	    op('+', "1e999999998", "0"));
}

static const char *
rnd(const char *a, int places)
{
	static char buf[4][128];
	static int k;
	char *out = buf[k++ % 4];
	struct evp_decimal x = num(a), r;

	if (evp_decimal_round(&r, &x, places) < 0)
		return "error";
	evp_decimal_format(out, 128, &r);
	return out;
}

static const char *
divide(const char *a, const char *b, int places)
{
	static char buf[4][128];
	static int k;
	char *out = buf[k++ % 4];
	struct evp_decimal x = num(a), y = num(b), r;

	if (evp_decimal_div(&r, &x, &y, places) < 0)
		return "error";
	if (evp_decimal_format(out, 128, &r) < 0)
		return "(too long)";
	return out;
}

static void
test_round_div(void **state)
{
	char buf[64];
	struct evp_decimal x;

	(void)state;
	assert_string_equal(rnd("2.5", 0), "2");
	assert_string_equal(rnd("3.5", 0), "4");
	assert_string_equal(rnd("-2.5", 0), "-2");
	assert_string_equal(rnd("-3.5", 0), "-4");
	assert_string_equal(rnd("0.125", 2), "0.12");
	assert_string_equal(rnd("0.135", 2), "0.14");
	assert_string_equal(rnd("1.005", 2), "1");
	assert_string_equal(rnd("1.0051", 2), "1.01");
	assert_string_equal(rnd("9.995", 2), "10");
	assert_string_equal(rnd("-9.995", 2), "-10");
	assert_string_equal(rnd("0.5", 0), "0");
	assert_string_equal(rnd("1.5", 0), "2");
	assert_string_equal(rnd("0.49999", 0), "0");
	assert_string_equal(rnd("1e-50", 2), "0");
	assert_string_equal(rnd("5e-3", 2), "0");
	assert_string_equal(rnd("5.000000000000000000000000000000000001e-3", 2), "0.01");
	assert_string_equal(rnd("99999999999999999999999999999999999999e-2", 1),
	    "1000000000000000000000000000000000000");
	assert_string_equal(rnd("1e30", 2), "1000000000000000000000000000000");
	assert_string_equal(rnd("1", -1), "error");

	assert_string_equal(divide("10", "4", 2), "2.5");
	assert_string_equal(divide("1", "3", 2), "0.33");
	assert_string_equal(divide("2", "3", 2), "0.67");
	assert_string_equal(divide("1", "8", 2), "0.12");
	assert_string_equal(divide("3", "8", 2), "0.38");
	assert_string_equal(divide("-1", "8", 2), "-0.12");
	assert_string_equal(divide("-3", "8", 2), "-0.38");
	assert_string_equal(divide("1", "-3", 0), "0");
	assert_string_equal(divide("5", "0", 2), "error");
	assert_string_equal(divide("0", "7", 2), "0");
	assert_string_equal(divide("1e200", "1", 2), "(too long)");
	assert_string_equal(divide("1e200", "3", 2), "error");
	assert_string_equal(divide("1e50", "3", 2), "error");
	assert_string_equal(divide("1", "1e100", 2), "0");
	assert_string_equal(divide("5", "1e3", 2), "0");
	assert_string_equal(divide("2.87", "3", 3), "0.957");
	assert_string_equal(divide("99999999999999999999999999999999999999",
	    "1", 0), "99999999999999999999999999999999999999");
	assert_string_equal(divide("99999999999999999999999999999999999999",
	    "0.1", 0), "999999999999999999999999999999999999990");
	assert_string_equal(divide("99999999999999999999999999999999999999",
	    "0.7", 0), "error");
	assert_string_equal(divide("1", "99999999999999999999999999999999999999",
	    40), "0.00000000000000000000000000000000000001");

	x = num("1e100");
	assert_int_equal(evp_decimal_div(&x, &x, &(struct evp_decimal){ 4, 0, 0, 0 }, 2), 0);
	assert_int_equal(x.lo, 25);
	assert_int_equal(x.hi, 0);
	assert_int_equal(x.exp, 98);

	x = num("0");
	assert_int_equal(evp_decimal_format_fixed(buf, sizeof(buf), &x, 2), 4);
	assert_string_equal(buf, "0.00");
	x = num("-0.001");
	evp_decimal_format_fixed(buf, sizeof(buf), &x, 2);
	assert_string_equal(buf, "0.00");
	x = num("-1.5");
	evp_decimal_format_fixed(buf, sizeof(buf), &x, 2);
	assert_string_equal(buf, "-1.50");
	x = num("2.5");
	evp_decimal_format_fixed(buf, sizeof(buf), &x, 0);
	assert_string_equal(buf, "2");
	x = num("12.345");
	evp_decimal_format_fixed(buf, sizeof(buf), &x, 1);
	assert_string_equal(buf, "12.3");
	x = num("1e3");
	evp_decimal_format_fixed(buf, sizeof(buf), &x, 3);
	assert_string_equal(buf, "1000.000");
	/* exactly full, then one byte short */
	x = num("-12.5");
	assert_int_equal(evp_decimal_format(buf, 6, &x), 5);
	assert_string_equal(buf, "-12.5");
	assert_int_equal(evp_decimal_format(buf, 5, &x), -1);
	assert_int_equal(evp_decimal_format_fixed(buf, 7, &x, 2), 6);
	assert_int_equal(evp_decimal_format_fixed(buf, 6, &x, 2), -1);
	x = num("1e999999999");
	assert_int_equal(evp_decimal_format(buf, sizeof(buf), &x), -1);
}

static void
test_int(void **state)
{
	struct evp_decimal x, m;
	int64_t v;

	(void)state;
	x = num("9223372036854775807");
	assert_int_equal(evp_decimal_to_int64(&x, &v), 0);
	assert_true(v == INT64_MAX);
	x = num("-9223372036854775808");
	assert_int_equal(evp_decimal_to_int64(&x, &v), 0);
	assert_true(v == INT64_MIN);
	x = num("9223372036854775808");
	assert_int_equal(evp_decimal_to_int64(&x, &v), -1);
	x = num("-9223372036854775809");
	assert_int_equal(evp_decimal_to_int64(&x, &v), -1);
	x = num("1e18");
	assert_int_equal(evp_decimal_to_int64(&x, &v), 0);
	assert_true(v == INT64_C(1000000000000000000));
	x = num("-7.000");
	assert_int_equal(evp_decimal_to_int64(&x, &v), 0);
	assert_true(v == -7);
	x = num("1e19");
	assert_int_equal(evp_decimal_to_int64(&x, &v), -1);
	x = num("1.5");
	assert_int_equal(evp_decimal_to_int64(&x, &v), -1);
	assert_false(evp_decimal_is_int(&x));
	x = num("1.0");
	assert_true(evp_decimal_is_int(&x));
	x = num("1e-999999999");
	assert_false(evp_decimal_is_int(&x));
	x = num("0");
	assert_true(evp_decimal_is_int(&x));
	evp_decimal_from_int64(&x, INT64_MIN);
	assert_string_equal(text(&x), "-9223372036854775808");
	evp_decimal_from_int64(&x, 1200);
	assert_int_equal(x.lo, 12);
	assert_int_equal(x.exp, 2);

	static const char *const mult[][3] = {
		{ "10", "2", "1" }, { "7.5", "2.5", "1" }, { "0.0075", "0.0001", "1" },
		{ "0.00751", "0.0001", "0" }, { "4.5", "1.5", "1" },
		{ "35", "1.5", "0" }, { "1e308", "0.123456789", "0" },
		{ "1e100", "5", "1" }, { "1e100", "3", "0" }, { "0", "3", "1" },
		{ "-12", "4", "1" }, { "12", "-4", "1" }, { "0.3", "10", "0" },
		{ "1e999999999", "1024", "1" }, { "1e999999999", "1023", "0" },
		{ "19", "0", "0" },
		{ "1e200", "2535301200456458802993406410752", "1" },	/* 2^101 */
	};
	for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++) {
		x = num(mult[i][0]);
		m = num(mult[i][1]);
		if (evp_decimal_is_multiple(&x, &m) != mult[i][2][0] - '0')
			fail_msg("%s multiple of %s: want %s", mult[i][0],
			    mult[i][1], mult[i][2]);
	}
}

/*
 * The reference: a sign, digits without leading zeros ("0" for zero) and
 * an exponent, all arithmetic done digit by digit on strings.
 */
struct ref {
	int	 neg;
	char	 d[400];
	int	 exp;
};

static void
ref_trim(struct ref *r)
{
	size_t n = strlen(r->d), lead = 0;

	while (lead + 1 < n && r->d[lead] == '0')
		lead++;
	memmove(r->d, r->d + lead, n - lead + 1);
	n -= lead;
	while (n > 1 && r->d[n - 1] == '0') {
		r->d[--n] = '\0';
		r->exp++;
	}
	if (strcmp(r->d, "0") == 0) {
		r->neg = 0;
		r->exp = 0;
	}
}

/* The digits of r with exp lowered to e (zeros appended). */
static void
ref_at(const struct ref *r, int e, char *out)
{
	strcpy(out, r->d);
	if (strcmp(r->d, "0") == 0)
		return;
	for (int k = r->exp; k > e; k--)
		strcat(out, "0");
}

static int
str_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int c;

	if (la != lb)
		return la < lb ? -1 : 1;
	c = strcmp(a, b);
	return c < 0 ? -1 : c > 0;
}

/* out = a + b or a - b (a >= b) on digit strings. */
static void
str_addsub(const char *a, const char *b, int sub, char *out)
{
	size_t la = strlen(a), lb = strlen(b), n = (la > lb ? la : lb) + 1;
	int carry = 0;

	out[n] = '\0';
	for (size_t k = 0; k < n; k++) {
		int x = k < la ? a[la - 1 - k] - '0' : 0;
		int y = k < lb ? b[lb - 1 - k] - '0' : 0;
		int t = sub ? x - y - carry : x + y + carry;
		carry = sub ? t < 0 : t >= 10;
		t = sub ? (t + 10) % 10 : t % 10;
		out[n - 1 - k] = (char)('0' + t);
	}
}

static int
ref_cmp(const struct ref *a, const struct ref *b)
{
	char x[400], y[400];
	int e = a->exp < b->exp ? a->exp : b->exp;
	int sa = strcmp(a->d, "0") == 0 ? 0 : a->neg ? -1 : 1;
	int sb = strcmp(b->d, "0") == 0 ? 0 : b->neg ? -1 : 1;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	ref_at(a, e, x);
	ref_at(b, e, y);
	return sa < 0 ? -str_cmp(x, y) : str_cmp(x, y);
}

static void
ref_add(const struct ref *a, const struct ref *b, int bneg, struct ref *r)
{
	char x[400], y[400];
	int e = a->exp < b->exp ? a->exp : b->exp;

	ref_at(a, e, x);
	ref_at(b, e, y);
	r->exp = e;
	if (a->neg == bneg) {
		str_addsub(x, y, 0, r->d);
		r->neg = a->neg;
	} else if (str_cmp(x, y) >= 0) {
		str_addsub(x, y, 1, r->d);
		r->neg = a->neg;
	} else {
		str_addsub(y, x, 1, r->d);
		r->neg = bneg;
	}
	ref_trim(r);
}

static void
ref_mul(const struct ref *a, const struct ref *b, struct ref *r)
{
	size_t la = strlen(a->d), lb = strlen(b->d);
	int acc[400] = { 0 };

	for (size_t i = 0; i < la; i++)
		for (size_t j = 0; j < lb; j++)
			acc[i + j + 1] += (a->d[i] - '0') * (b->d[j] - '0');
	for (size_t k = la + lb; k-- > 1; ) {
		acc[k - 1] += acc[k] / 10;
		acc[k] %= 10;
	}
	for (size_t k = 0; k < la + lb; k++)
		r->d[k] = (char)('0' + acc[k]);
	r->d[la + lb] = '\0';
	r->exp = a->exp + b->exp;
	r->neg = a->neg != b->neg;
	ref_trim(r);
}

/* Round to places, half to even. */
static void
ref_round(const struct ref *a, int places, struct ref *r)
{
	*r = *a;
	if (a->exp >= -places)
		return;
	size_t k = (size_t)(-places - a->exp), n = strlen(a->d);
	char q[400], rem[400], half[400];
	if (k >= n) {
		strcpy(q, "0");
		memset(rem, '0', k - n);
		strcpy(rem + (k - n), a->d);
	} else {
		memcpy(q, a->d, n - k);
		q[n - k] = '\0';
		strcpy(rem, a->d + n - k);
	}
	memset(half, '0', k);
	half[0] = '5';
	half[k] = '\0';
	int c = strcmp(rem, half);
	if (c > 0 || (c == 0 && (q[strlen(q) - 1] - '0') % 2 == 1))
		str_addsub(q, "1", 0, r->d);
	else
		strcpy(r->d, q);
	r->exp = -places;
	ref_trim(r);
}

static void
lead_trim(char *s)
{
	size_t lead = 0;

	while (s[lead] == '0' && s[lead + 1] != '\0')
		lead++;
	memmove(s, s + lead, strlen(s + lead) + 1);
}

/* a / b to `places` fraction digits, half to even: long division. */
static void
ref_div(const struct ref *a, const struct ref *b, int places, struct ref *r)
{
	/* ca * 10^s / cb, s = ea - eb + places, as digit-by-digit division */
	int s = a->exp - b->exp + places;
	char num[400], den[400], rem[400] = "0", q[400];
	size_t nq = 0;

	strcpy(num, a->d);
	strcpy(den, b->d);
	for (; s > 0; s--)
		strcat(num, "0");
	for (; s < 0; s++)
		strcat(den, "0");
	for (size_t i = 0; num[i] != '\0'; i++) {
		char t[400];
		size_t n = strcmp(rem, "0") == 0 ? 0 : strlen(rem);
		int dgt = 0;
		memcpy(t, rem, n);
		t[n] = num[i];
		t[n + 1] = '\0';
		while (str_cmp(t, den) >= 0) {
			char u[400];
			str_addsub(t, den, 1, u);
			lead_trim(u);
			strcpy(t, u);
			dgt++;
		}
		strcpy(rem, t);
		q[nq++] = (char)('0' + dgt);
	}
	q[nq] = '\0';
	/* compare 2 * rem with den */
	char twice[400];
	str_addsub(rem, rem, 0, twice);
	lead_trim(twice);
	int c = str_cmp(twice, den);
	strcpy(r->d, q);
	r->exp = 0;
	r->neg = 0;
	ref_trim(r);
	ref_at(r, 0, q);
	if (c > 0 || (c == 0 && (q[strlen(q) - 1] - '0') % 2 == 1))
		str_addsub(q, "1", 0, r->d);
	else
		strcpy(r->d, q);
	r->exp = -places;
	r->neg = a->neg != b->neg;
	ref_trim(r);
}

/* The reference's text, or "error" past 38 significant digits. */
static void
ref_text(const struct ref *r, char *out)
{
	size_t n = strlen(r->d);

	if (n > 38) {
		strcpy(out, "error");
		return;
	}
	*out = '\0';
	if (r->neg)
		strcat(out, "-");
	if (r->exp >= 0) {
		strcat(out, r->d);
		for (int k = 0; k < r->exp; k++)
			strcat(out, "0");
	} else if ((size_t)-r->exp >= n) {
		strcat(out, "0.");
		for (size_t k = n; k < (size_t)-r->exp; k++)
			strcat(out, "0");
		strcat(out, r->d);
	} else {
		strncat(out, r->d, n - (size_t)-r->exp);
		strcat(out, ".");
		strcat(out, r->d + n - (size_t)-r->exp);
	}
}

/* A random value: its reference and its text, plain or with an exponent. */
static void
random_value(uint64_t *seed, struct ref *r, char *txt)
{
	int nd = 1 + (int)(tu_rnd(seed) % 38);
	char sig[40];

	if (tu_rnd(seed) % 4 == 0)
		nd = 1 + (int)(tu_rnd(seed) % 3);
	for (int k = 0; k < nd; k++)
		sig[k] = (char)('0' + tu_rnd(seed) % 10);
	/* runs of nines and zeros make carries and ties */
	if (tu_rnd(seed) % 3 == 0)
		for (int k = (int)(tu_rnd(seed) % (unsigned)nd); k < nd; k++)
			sig[k] = tu_rnd(seed) % 2 ? '9' : '0';
	if (tu_rnd(seed) % 5 == 0)
		sig[nd - 1] = '5';
	sig[nd] = '\0';
	r->neg = (int)(tu_rnd(seed) % 2);
	r->exp = (int)(tu_rnd(seed) % 61) - 30;
	strcpy(r->d, sig);
	ref_trim(r);
	/* The same value written as digits and an exponent ... */
	if (tu_rnd(seed) % 2) {
		sprintf(txt, "%s%se%d", r->neg ? "-" : "", r->d, r->exp);
		return;
	}
	/* ... or as plain decimal text. */
	ref_text(r, txt);
}

static void
test_against_reference(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15u;
	char ta[400], tb[400], want[400], got[400];
	struct ref a, b, r;
	struct evp_decimal x, y, z;

	(void)state;
	for (int iter = 0; iter < 20000; iter++) {
		random_value(&seed, &a, ta);
		random_value(&seed, &b, tb);
		if (evp_decimal_parse(&x, ta, strlen(ta)) != 0 ||
		    evp_decimal_parse(&y, tb, strlen(tb)) != 0)
			fail_msg("random text refused: %s %s", ta, tb);
		ref_text(&a, want);
		evp_decimal_format(got, sizeof(got), &x);
		if (strcmp(want, got) != 0)
			fail_msg("parse %s: %s, want %s", ta, got, want);

		if (evp_decimal_cmp(&x, &y) != ref_cmp(&a, &b))
			fail_msg("cmp %s %s: %d", ta, tb, evp_decimal_cmp(&x, &y));

		for (int o = 0; o < 3; o++) {
			int rc = o == 0 ? evp_decimal_add(&z, &x, &y) :
			    o == 1 ? evp_decimal_sub(&z, &x, &y) :
			    evp_decimal_mul(&z, &x, &y);
			if (o == 2)
				ref_mul(&a, &b, &r);
			else
				ref_add(&a, &b, o == 1 ? !b.neg : b.neg, &r);
			ref_text(&r, want);
			if (rc < 0)
				strcpy(got, "error");
			else
				evp_decimal_format(got, sizeof(got), &z);
			if (strcmp(want, got) != 0)
				fail_msg("%s %c %s = %s, want %s", ta, "+-*"[o],
				    tb, got, want);
		}

		int places = (int)(tu_rnd(&seed) % 12);
		ref_round(&a, places, &r);
		ref_text(&r, want);
		evp_decimal_round(&z, &x, places);
		evp_decimal_format(got, sizeof(got), &z);
		if (strcmp(want, got) != 0)
			fail_msg("round(%s, %d) = %s, want %s", ta, places, got,
			    want);

		if (strcmp(b.d, "0") != 0 && a.exp - b.exp + places < 60 &&
		    b.exp - a.exp - places < 60) {
			ref_div(&a, &b, places, &r);
			ref_text(&r, want);
			if (evp_decimal_div(&z, &x, &y, places) < 0)
				strcpy(got, "error");
			else
				evp_decimal_format(got, sizeof(got), &z);
			if (strcmp(want, got) != 0)
				fail_msg("%s / %s (%d places) = %s, want %s", ta,
				    tb, places, got, want);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_round_div),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_against_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
