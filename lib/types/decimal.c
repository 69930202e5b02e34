/*
 * Exact decimals over a 128-bit coefficient.  Products and long
 * divisions need more room than that for a moment, so a small fixed
 * bignum of six 64-bit words (384 bits, 115 digits, bignum.c) serves:
 * enough for the product of two coefficients and for any dividend whose
 * quotient can still fit, and never allocated.  Reading and writing them
 * as text is dectext.c's.
 */

#include <string.h>

#include "types/decint.h"

unsigned __int128
evp_decimal_co(const struct evp_decimal *x)
{
	return (unsigned __int128)x->hi << 64 | x->lo;
}

unsigned __int128
evp_decimal_pow10(int k)
{
	unsigned __int128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

int
evp_decimal_ndigits(unsigned __int128 c)
{
	int n = 1;

	while (c >= 10) {
		c /= 10;
		n++;
	}
	return n;
}

int
evp_decimal_settle(struct evp_decimal *x, unsigned __int128 coef,
    int64_t exp, int neg)
{
	if (coef == 0) {
		memset(x, 0, sizeof(*x));
		return 0;
	}
	while (coef % 10 == 0) {
		coef /= 10;
		exp++;
	}
	if (coef >= evp_decimal_pow10(EVP_DECIMAL_DIGITS) ||
	    exp > EVP_DECIMAL_EXP_MAX || exp < -EVP_DECIMAL_EXP_MAX)
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

void
evp_decimal_from_int64(struct evp_decimal *x, int64_t v)
{
	/* -(v + 1) + 1: INT64_MIN has no positive int64_t */
	unsigned __int128 mag = v < 0 ? (unsigned __int128)(-(v + 1)) + 1 :
	    (unsigned __int128)v;

	evp_decimal_settle(x, mag, 0, v < 0);
}

/* Compare magnitudes. */
static int
mag_cmp(const struct evp_decimal *a, const struct evp_decimal *b)
{
	if (evp_decimal_co(a) == 0 || evp_decimal_co(b) == 0)
		return (evp_decimal_co(a) != 0) - (evp_decimal_co(b) != 0);
	int64_t adja = (int64_t)a->exp + evp_decimal_ndigits(evp_decimal_co(a));
	int64_t adjb = (int64_t)b->exp + evp_decimal_ndigits(evp_decimal_co(b));
	if (adja != adjb)
		return adja < adjb ? -1 : 1;
	/* Same magnitude order: the exponents differ by under 38. */
	unsigned __int128 x = evp_decimal_co(a), y = evp_decimal_co(b);
	if (a->exp > b->exp)
		x *= evp_decimal_pow10(a->exp - b->exp);
	else
		y *= evp_decimal_pow10(b->exp - a->exp);
	return x < y ? -1 : x > y;
}

int
evp_decimal_cmp(const struct evp_decimal *a, const struct evp_decimal *b)
{
	int sa = evp_decimal_co(a) == 0 ? 0 : a->neg ? -1 : 1;
	int sb = evp_decimal_co(b) == 0 ? 0 : b->neg ? -1 : 1;

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

	if (evp_decimal_co(b) == 0) {
		*r = *a;
		return 0;
	}
	if (evp_decimal_co(a) == 0)
		return evp_decimal_settle(r, evp_decimal_co(b), b->exp, bneg);
	/*
	 * Align on the smaller exponent.  A coefficient that overflows 128
	 * bits when aligned is at least 3.4e38 units of the other's last
	 * digit, which a 38-digit coefficient cannot cancel: the sum would
	 * not fit either.
	 */
	e = a->exp < b->exp ? a->exp : b->exp;
	if (scale(evp_decimal_co(a), a->exp - e, &x) < 0 ||
	    scale(evp_decimal_co(b), b->exp - e, &y) < 0)
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
	return evp_decimal_settle(r, sum, e, neg);
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
big_settle(struct evp_decimal *x, struct evp_big *b, int64_t exp, int neg)
{
	struct evp_big q;
	unsigned __int128 c;

	while (evp_big_get(b, &c) < 0) {
		q = *b;
		if (evp_big_div_small(&q, 10) != 0)
			return -1;
		*b = q;
		exp++;
	}
	return evp_decimal_settle(x, c, exp, neg);
}

int
evp_decimal_mul(struct evp_decimal *r, const struct evp_decimal *a,
    const struct evp_decimal *b)
{
	struct evp_big p;
	struct evp_decimal t;

	evp_big_mul(&p, evp_decimal_co(a), evp_decimal_co(b));
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
	if (evp_decimal_co(a) == 0 || a->exp >= -places) {
		*r = *a;
		return 0;
	}
	int64_t k = -(int64_t)places - a->exp;	/* digits dropped, >= 1 */
	unsigned __int128 q = 0, rem = evp_decimal_co(a), half;
	if (k <= EVP_DECIMAL_DIGITS) {
		unsigned __int128 p = evp_decimal_pow10((int)k);
		q = evp_decimal_co(a) / p;
		rem = evp_decimal_co(a) % p;
		half = p / 2;
	} else
		half = U128_MAX;	/* more than any coefficient */
	if (rem > half || (rem == half && (q & 1)))
		q++;
	return evp_decimal_settle(r, q, -(int64_t)places, a->neg);
}

int
evp_decimal_div(struct evp_decimal *r, const struct evp_decimal *a,
    const struct evp_decimal *b, int places)
{
	struct evp_big num, den, quo, rem;
	int64_t s, over = 0;

	if (evp_decimal_co(b) == 0 || places < 0 || places > EVP_DECIMAL_PLACES_MAX)
		return -1;
	if (evp_decimal_co(a) == 0) {
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
	evp_big_set(&num, evp_decimal_co(a));
	evp_big_set(&den, evp_decimal_co(b));
	for (; s > 0; s--)
		evp_big_mul_small(&num, 10);
	for (; s < 0; s++)
		evp_big_mul_small(&den, 10);
	/* Binary long division: both fit in 384 bits with a bit to spare. */
	memset(&quo, 0, sizeof(quo));
	memset(&rem, 0, sizeof(rem));
	for (int i = NW * 64; i-- > 0; ) {
		evp_big_shl1(&rem);
		rem.w[0] |= num.w[i / 64] >> (i % 64) & 1;
		if (evp_big_cmp(&rem, &den) >= 0) {
			evp_big_sub(&rem, &den);
			quo.w[i / 64] |= (uint64_t)1 << (i % 64);
		}
	}
	int neg = a->neg != b->neg;
	if (over > 0) {
		struct evp_big zero;
		memset(&zero, 0, sizeof(zero));
		if (evp_big_cmp(&rem, &zero) != 0)
			return -1;
		return big_settle(r, &quo, over - places, neg);
	}
	evp_big_shl1(&rem);
	int half = evp_big_cmp(&rem, &den);
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
	if (evp_decimal_co(m) == 0)
		return 0;
	if (evp_decimal_co(a) == 0)
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
	unsigned __int128 rm = evp_decimal_co(a) % evp_decimal_co(m);
	for (int64_t i = 0; i < k && i < 128 && rm != 0; i++) {
		unsigned __int128 r2 = addmod(rm, rm, evp_decimal_co(m));
		unsigned __int128 r8 = addmod(addmod(r2, r2, evp_decimal_co(m)),
		    addmod(r2, r2, evp_decimal_co(m)), evp_decimal_co(m));
		rm = addmod(r8, r2, evp_decimal_co(m));
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

	if (x->exp < 0 || x->exp > 19 || scale(evp_decimal_co(x), x->exp, &v) < 0)
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
