/*
 * Exact decimals over a 128-bit coefficient.  Products and long
 * divisions need more room than that for a moment, so a small fixed
 * bignum of six 64-bit words (384 bits, 115 digits) is kept here: enough
 * for the product of two coefficients and for any dividend whose quotient
 * can still fit, and never allocated.
 */

#include <string.h>

#include "types/decimal.h"


#define U128_MAX	(~(unsigned __int128)0)
#define NW		6

static unsigned __int128
co(const struct evp_decimal *x)
{
	return (unsigned __int128)x->hi << 64 | x->lo;
}

static unsigned __int128
pow10(int k)
{
	unsigned __int128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

static int
ndigits(unsigned __int128 c)
{
	int n = 1;

	while (c >= 10) {
		c /= 10;
		n++;
	}
	return n;
}

/*
 * Make *x the canonical value neg * coef * 10^exp: trailing zeros into
 * the exponent, zero without sign.  Return -1 if it does not fit.
 */
static int
settle(struct evp_decimal *x, unsigned __int128 coef, int64_t exp, int neg)
{
	if (coef == 0) {
		memset(x, 0, sizeof(*x));
		return 0;
	}
	while (coef % 10 == 0) {
		coef /= 10;
		exp++;
	}
	if (coef >= pow10(EVP_DECIMAL_DIGITS) || exp > EVP_DECIMAL_EXP_MAX ||
	    exp < -EVP_DECIMAL_EXP_MAX)
		return -1;
	x->lo = (uint64_t)coef;
	x->hi = (uint64_t)(coef >> 64);
	x->exp = (int32_t)exp;
	x->neg = neg != 0;
	return 0;
}

/* c * 10^k into *out, or -1 past 128 bits. */
static int
scale(unsigned __int128 c, int64_t k, unsigned __int128 *out)
{
	for (; k > 0; k--) {
		if (c > U128_MAX / 10)
			return -1;
		c *= 10;
	}
	*out = c;
	return 0;
}

/* The bignum: little-endian 64-bit words. */
struct big {
	uint64_t	w[NW];
};

static void
big_set(struct big *b, unsigned __int128 v)
{
	memset(b, 0, sizeof(*b));
	b->w[0] = (uint64_t)v;
	b->w[1] = (uint64_t)(v >> 64);
}

/* b *= m; the words are wide enough for every caller. */
static void
big_mul_small(struct big *b, uint64_t m)
{
	unsigned __int128 carry = 0;

	for (int i = 0; i < NW; i++) {
		unsigned __int128 t = (unsigned __int128)b->w[i] * m + carry;
		b->w[i] = (uint64_t)t;
		carry = t >> 64;
	}
}

/* The full product of two coefficients. */
static void
big_mul(struct big *r, unsigned __int128 a, unsigned __int128 b)
{
	uint64_t x[2] = { (uint64_t)a, (uint64_t)(a >> 64) };
	uint64_t y[2] = { (uint64_t)b, (uint64_t)(b >> 64) };

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 2; i++) {
		unsigned __int128 carry = 0;
		for (int j = 0; j < 2; j++) {
			unsigned __int128 t = (unsigned __int128)x[i] * y[j] + r->w[i + j] + carry;
			r->w[i + j] = (uint64_t)t;
			carry = t >> 64;
		}
		r->w[i + 2] = (uint64_t)carry;
	}
}

/* b /= d, returning the remainder. */
static uint64_t
big_div_small(struct big *b, uint64_t d)
{
	unsigned __int128 rem = 0;

	for (int i = NW; i-- > 0; ) {
		unsigned __int128 t = rem << 64 | b->w[i];
		b->w[i] = (uint64_t)(t / d);
		rem = t % d;
	}
	return (uint64_t)rem;
}

static int
big_cmp(const struct big *a, const struct big *b)
{
	for (int i = NW; i-- > 0; )
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

static void
big_sub(struct big *a, const struct big *b)
{
	uint64_t borrow = 0;

	for (int i = 0; i < NW; i++) {
		uint64_t t = a->w[i] - b->w[i] - borrow;
		borrow = a->w[i] < b->w[i] || (a->w[i] == b->w[i] && borrow);
		a->w[i] = t;
	}
}

static void
big_shl1(struct big *b)
{
	for (int i = NW; i-- > 0; )
		b->w[i] = b->w[i] << 1 | (i > 0 ? b->w[i - 1] >> 63 : 0);
}

/* b as 128 bits, or -1 if it is wider. */
static int
big_get(const struct big *b, unsigned __int128 *out)
{
	for (int i = 2; i < NW; i++)
		if (b->w[i] != 0)
			return -1;
	*out = (unsigned __int128)b->w[1] << 64 | b->w[0];
	return 0;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

int
evp_decimal_parse(struct evp_decimal *x, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	unsigned __int128 coef = 0;
	int64_t nfrac = 0, zeros = 0, ex = 0;
	int neg = 0, sig = 0, expneg = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p == end || !isdig(*p) || (*p == '0' && p + 1 < end && isdig(p[1])))
		return -1;
	/*
	 * The digits of the integer and fraction parts as one integer;
	 * zeros wait in `zeros` until a nonzero digit follows, so that
	 * trailing ones never count against the 38 digits.
	 */
	for (int frac = 0; p < end; p++) {
		if (*p == '.' && !frac) {
			if (p + 1 == end || !isdig(p[1]))
				return -1;
			frac = 1;
			continue;
		}
		if (!isdig(*p))
			break;
		if (frac)
			nfrac++;
		if (*p == '0') {
			if (sig > 0)
				zeros++;
			continue;
		}
		if (sig + zeros + 1 > EVP_DECIMAL_DIGITS)
			return -1;
		coef = coef * pow10((int)zeros + 1) + (unsigned __int128)(*p - '0');
		sig += (int)zeros + 1;
		zeros = 0;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			expneg = *p++ == '-';
		if (p == end || !isdig(*p))
			return -1;
		for (; p < end && isdig(*p); p++)
			if (ex < INT64_C(1) << 40)	/* saturate: out of range */
				ex = ex * 10 + (*p - '0');
		if (expneg)
			ex = -ex;
	}
	if (p != end)
		return -1;
	if (nfrac > INT64_C(1) << 40)
		nfrac = INT64_C(1) << 40;
	return settle(x, coef, ex - nfrac + zeros, neg);
}

void
evp_decimal_from_int64(struct evp_decimal *x, int64_t v)
{
	/* -(v + 1) + 1: INT64_MIN has no positive int64_t */
	unsigned __int128 mag = v < 0 ? (unsigned __int128)(-(v + 1)) + 1 :
	    (unsigned __int128)v;

	settle(x, mag, 0, v < 0);
}

/* Compare magnitudes. */
static int
mag_cmp(const struct evp_decimal *a, const struct evp_decimal *b)
{
	if (co(a) == 0 || co(b) == 0)
		return (co(a) != 0) - (co(b) != 0);
	int64_t adja = (int64_t)a->exp + ndigits(co(a));
	int64_t adjb = (int64_t)b->exp + ndigits(co(b));
	if (adja != adjb)
		return adja < adjb ? -1 : 1;
	/* Same magnitude order: the exponents differ by under 38. */
	unsigned __int128 x = co(a), y = co(b);
	if (a->exp > b->exp)
		x *= pow10(a->exp - b->exp);
	else
		y *= pow10(b->exp - a->exp);
	return x < y ? -1 : x > y;
}

int
evp_decimal_cmp(const struct evp_decimal *a, const struct evp_decimal *b)
{
	int sa = co(a) == 0 ? 0 : a->neg ? -1 : 1;
	int sb = co(b) == 0 ? 0 : b->neg ? -1 : 1;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	int m = mag_cmp(a, b);
	return sa < 0 ? -m : m;
}

/* a + b where b's sign is bneg. */
static int
add_signed(struct evp_decimal *r, const struct evp_decimal *a,
    const struct evp_decimal *b, int bneg)
{
	unsigned __int128 x, y, sum;
	int64_t e;
	int neg;

	if (co(b) == 0) {
		*r = *a;
		return 0;
	}
	if (co(a) == 0)
		return settle(r, co(b), b->exp, bneg);
	/*
	 * Align on the smaller exponent.  A coefficient that overflows 128
	 * bits when aligned is at least 3.4e38 units of the other's last
	 * digit, which a 38-digit coefficient cannot cancel: the sum would
	 * not fit either.
	 */
	e = a->exp < b->exp ? a->exp : b->exp;
	if (scale(co(a), a->exp - e, &x) < 0 ||
	    scale(co(b), b->exp - e, &y) < 0)
		return -1;
	if (a->neg == bneg) {
		if (x > U128_MAX - y)
			return -1;
		sum = x + y;
		neg = a->neg;
	} else if (x >= y) {
		sum = x - y;
		neg = a->neg;
	} else {
		sum = y - x;
		neg = bneg;
	}
	return settle(r, sum, e, neg);
}

int
evp_decimal_add(struct evp_decimal *r, const struct evp_decimal *a,
    const struct evp_decimal *b)
{
	struct evp_decimal t;

	if (add_signed(&t, a, b, b->neg) < 0)
		return -1;
	*r = t;
	return 0;
}

int
evp_decimal_sub(struct evp_decimal *r, const struct evp_decimal *a,
    const struct evp_decimal *b)
{
	struct evp_decimal t;

	if (add_signed(&t, a, b, !b->neg) < 0)
		return -1;
	*r = t;
	return 0;
}

/*
 * Make *x neg * b * 10^exp: b may be wider than 128 bits as long as its
 * trailing zeros (2 x 5 factors of a product) bring it back.
 */
static int
big_settle(struct evp_decimal *x, struct big *b, int64_t exp, int neg)
{
	struct big q;
	unsigned __int128 c;

	while (big_get(b, &c) < 0) {
		q = *b;
		if (big_div_small(&q, 10) != 0)
			return -1;
		*b = q;
		exp++;
	}
	return settle(x, c, exp, neg);
}

int
evp_decimal_mul(struct evp_decimal *r, const struct evp_decimal *a,
    const struct evp_decimal *b)
{
	struct big p;
	struct evp_decimal t;

	big_mul(&p, co(a), co(b));
	if (big_settle(&t, &p, (int64_t)a->exp + b->exp, a->neg != b->neg) < 0)
		return -1;
	*r = t;
	return 0;
}

int
evp_decimal_round(struct evp_decimal *r, const struct evp_decimal *a,
    int places)
{
	if (places < 0 || places > EVP_DECIMAL_PLACES_MAX)
		return -1;
	if (co(a) == 0 || a->exp >= -places) {
		*r = *a;
		return 0;
	}
	int64_t k = -(int64_t)places - a->exp;	/* digits dropped, >= 1 */
	unsigned __int128 q = 0, rem = co(a), half;
	if (k <= EVP_DECIMAL_DIGITS) {
		unsigned __int128 p = pow10((int)k);
		q = co(a) / p;
		rem = co(a) % p;
		half = p / 2;
	} else
		half = U128_MAX;	/* more than any coefficient */
	if (rem > half || (rem == half && (q & 1)))
		q++;
	return settle(r, q, -(int64_t)places, a->neg);
}

int
evp_decimal_div(struct evp_decimal *r, const struct evp_decimal *a,
    const struct evp_decimal *b, int places)
{
	struct big num, den, quo, rem;
	int64_t s, over = 0;

	if (co(b) == 0 || places < 0 || places > EVP_DECIMAL_PLACES_MAX)
		return -1;
	if (co(a) == 0) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	/* quotient * 10^places = (ca / cb) * 10^s, to the nearest integer */
	s = (int64_t)a->exp - b->exp + places;
	if (s < -2 * EVP_DECIMAL_DIGITS - 1) {
		memset(r, 0, sizeof(*r));	/* under a half */
		return 0;
	}
	/*
	 * Past 10^76 the quotient has over 38 digits before its trailing
	 * zeros: it is taken only when exact, divided at 10^76 with the
	 * rest of s kept as exponent.
	 */
	if (s > 2 * EVP_DECIMAL_DIGITS) {
		over = s - 2 * EVP_DECIMAL_DIGITS;
		s = 2 * EVP_DECIMAL_DIGITS;
	}
	big_set(&num, co(a));
	big_set(&den, co(b));
	for (; s > 0; s--)
		big_mul_small(&num, 10);
	for (; s < 0; s++)
		big_mul_small(&den, 10);
	/* Binary long division: both fit in 384 bits with a bit to spare. */
	memset(&quo, 0, sizeof(quo));
	memset(&rem, 0, sizeof(rem));
	for (int i = NW * 64; i-- > 0; ) {
		big_shl1(&rem);
		rem.w[0] |= num.w[i / 64] >> (i % 64) & 1;
		if (big_cmp(&rem, &den) >= 0) {
			big_sub(&rem, &den);
			quo.w[i / 64] |= (uint64_t)1 << (i % 64);
		}
	}
	int neg = a->neg != b->neg;
	if (over > 0) {
		struct big zero;
		memset(&zero, 0, sizeof(zero));
		if (big_cmp(&rem, &zero) != 0)
			return -1;
		return big_settle(r, &quo, over - places, neg);
	}
	big_shl1(&rem);
	int half = big_cmp(&rem, &den);
	if (half > 0 || (half == 0 && (quo.w[0] & 1)))
		for (int i = 0; i < NW && ++quo.w[i] == 0; i++)
			;
	return big_settle(r, &quo, -(int64_t)places, neg);
}

/* (x + y) mod m for x, y < m < 2^127. */
static unsigned __int128
addmod(unsigned __int128 x, unsigned __int128 y, unsigned __int128 m)
{
	unsigned __int128 t = x + y;

	return t >= m ? t - m : t;
}

int
evp_decimal_is_multiple(const struct evp_decimal *a,
    const struct evp_decimal *m)
{
	if (co(m) == 0)
		return 0;
	if (co(a) == 0)
		return 1;
	/*
	 * a's last nonzero digit is finer than m's unit: not a multiple
	 * (coefficients have no trailing zeros).
	 */
	if (a->exp < m->exp)
		return 0;
	/*
	 * Is ca * 10^k divisible by cm?  Past k = 128 the powers of two and
	 * five in cm (below 2^127) are covered, so more zeros change nothing.
	 */
	int64_t k = (int64_t)a->exp - m->exp;
	unsigned __int128 rm = co(a) % co(m);
	for (int64_t i = 0; i < k && i < 128 && rm != 0; i++) {
		unsigned __int128 r2 = addmod(rm, rm, co(m));
		unsigned __int128 r8 = addmod(addmod(r2, r2, co(m)),
		    addmod(r2, r2, co(m)), co(m));
		rm = addmod(r8, r2, co(m));
	}
	return rm == 0;
}

int
evp_decimal_sign(const struct evp_decimal *x)
{
	return (x->lo | x->hi) == 0 ? 0 : x->neg ? -1 : 1;
}

int
evp_decimal_is_int(const struct evp_decimal *x)
{
	return x->exp >= 0;
}

int
evp_decimal_to_int64(const struct evp_decimal *x, int64_t *out)
{
	unsigned __int128 v;

	if (x->exp < 0 || x->exp > 19 || scale(co(x), x->exp, &v) < 0)
		return -1;
	if (x->neg) {
		if (v > (unsigned __int128)INT64_MAX + 1)
			return -1;
		*out = v == (unsigned __int128)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (unsigned __int128)INT64_MAX)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

/*
 * Write x with exactly `frac` fraction digits (at least those it has),
 * or -1 if it does not fit in size bytes with its NUL.
 */
static int
put(char *buf, size_t size, const struct evp_decimal *x, int64_t frac)
{
	char dig[EVP_DECIMAL_DIGITS + 1];
	int nd = 0;
	unsigned __int128 c = co(x);
	int64_t ip, len;	/* integer digits; length */
	size_t o = 0;

	do {
		dig[nd++] = (char)('0' + (int)(c % 10));
		c /= 10;
	} while (c != 0);
	/* dig[] holds the coefficient backwards; digit i has place exp + i. */
	ip = nd + (int64_t)x->exp;
	if (ip < 1)
		ip = 1;
	len = x->neg + ip + (frac > 0 ? 1 + frac : 0);
	if (len < 0 || len > INT32_MAX || (uint64_t)len >= size)
		return -1;
	if (x->neg)
		buf[o++] = '-';
	for (int64_t place = ip - 1; place >= -frac; place--) {
		if (place == -1)
			buf[o++] = '.';
		int64_t i = place - x->exp;
		buf[o++] = i >= 0 && i < nd ? dig[i] : '0';
	}
	buf[o] = '\0';
	return (int)o;
}

int
evp_decimal_format(char *buf, size_t size, const struct evp_decimal *x)
{
	return put(buf, size, x, x->exp < 0 ? -(int64_t)x->exp : 0);
}

int
evp_decimal_format_fixed(char *buf, size_t size, const struct evp_decimal *x,
    int places)
{
	struct evp_decimal r;

	if (evp_decimal_round(&r, x, places) < 0)
		return -1;
	return put(buf, size, &r, places);
}
