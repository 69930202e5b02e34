/*
 * Decimals as text: reading one as SPEC writes numbers (digits, an
 * optional fraction) and writing one back, shortest or with a fixed
 * number of fraction digits.
 */

#include "types/decint.h"

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
		coef = coef * evp_decimal_pow10((int)zeros + 1) +
		    (unsigned __int128)(*p - '0');
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
	return evp_decimal_settle(x, coef, ex - nfrac + zeros, neg);
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
	unsigned __int128 c = evp_decimal_co(x);
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
