#ifndef EVP_DECIMAL_H
#define EVP_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Exact decimal numbers, never binary floating point: prices summed,
 * averaged and compared to the cent, schema bounds compared to any
 * number a record holds.  A value is a sign, a coefficient of at most
 * 38 significant digits and a power of ten; it is a plain value, nothing
 * to free.  Every operation is exact or fails: none rounds unless asked,
 * and then half to even.
 */

#define EVP_DECIMAL_DIGITS	38		/* significant digits, at most */
#define EVP_DECIMAL_EXP_MAX	999999999	/* |exp| of a nonzero value */
#define EVP_DECIMAL_PLACES_MAX	1000		/* fraction digits asked for */

/*
 * Kept canonical: the coefficient (hi * 2^64 + lo) has no trailing zero
 * (they go into the exponent), and zero is all zeros, so that equal
 * values are equal structs.  Two 64-bit halves rather than an __int128,
 * whose 16-byte alignment an arena's 8-byte blocks would break.
 */
struct evp_decimal {
	uint64_t	lo, hi;
	int32_t		exp;
	int		neg;
};

/*
 * Parse s[0..n) as a JSON number (-0.990, 99e-2, 1E+3, 10, 0.25): an
 * optional '-', "0" or digits without a leading zero, an optional
 * fraction, an optional exponent.  No space, '+' sign or leading '.'.
 * Return 0, or -1 if the text is not such a number or its value needs
 * more than 38 significant digits or an exponent out of range.
 */
int	evp_decimal_parse(struct evp_decimal *x, const char *s, size_t n);

void	evp_decimal_from_int64(struct evp_decimal *x, int64_t v);

/* -1, 0 or 1 as a < b, a == b or a > b, exactly. */
int	evp_decimal_cmp(const struct evp_decimal *a, const struct evp_decimal *b);

/*
 * r = a + b, a - b, a * b (r may be a or b).  Return 0, or -1 when the
 * exact result does not fit (r is then left alone).
 */
int	evp_decimal_add(struct evp_decimal *r, const struct evp_decimal *a,
	    const struct evp_decimal *b);
int	evp_decimal_sub(struct evp_decimal *r, const struct evp_decimal *a,
	    const struct evp_decimal *b);
int	evp_decimal_mul(struct evp_decimal *r, const struct evp_decimal *a,
	    const struct evp_decimal *b);

/*
 * r = a rounded half to even to `places` fraction digits (0..
 * EVP_DECIMAL_PLACES_MAX).  Return 0, or -1 if places is out of range.
 */
int	evp_decimal_round(struct evp_decimal *r, const struct evp_decimal *a,
	    int places);

/*
 * r = a / b rounded half to even to `places` fraction digits, by exact
 * long division (a mean is a sum divided by a count).  Return 0, or -1
 * if b is zero, places is out of range or the quotient does not fit.
 */
int	evp_decimal_div(struct evp_decimal *r, const struct evp_decimal *a,
	    const struct evp_decimal *b, int places);

/* Is a an exact integer multiple of m (m nonzero)?  1 or 0. */
int	evp_decimal_is_multiple(const struct evp_decimal *a,
	    const struct evp_decimal *m);

/* -1, 0 or 1 as x is negative, zero or positive. */
int	evp_decimal_sign(const struct evp_decimal *x);

/* Has x no fraction? */
int	evp_decimal_is_int(const struct evp_decimal *x);

/* x as an int64_t: 0, or -1 if it has a fraction or is out of range. */
int	evp_decimal_to_int64(const struct evp_decimal *x, int64_t *out);

/*
 * Write x into buf (size bytes, NUL added) as plain decimal text without
 * an exponent.  evp_decimal_format writes the shortest exact text ("1.287",
 * "2", "0", "-0.5"); evp_decimal_format_fixed rounds half to even to
 * `places` fraction digits and always writes that many ("0.00", "-1.50";
 * "-0.00" is written "0.00").  Return the length, or -1 if the text does
 * not fit (or places is out of range).
 */
int	evp_decimal_format(char *buf, size_t size, const struct evp_decimal *x);
int	evp_decimal_format_fixed(char *buf, size_t size,
	    const struct evp_decimal *x, int places);

#endif
