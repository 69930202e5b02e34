#ifndef EVP_DECINT_H
#define EVP_DECINT_H

#include <stdint.h>

#include "types/decimal.h"

/*
 * The insides of the decimals, shared by decimal.c (arithmetic),
 * dectext.c (text) and bignum.c (the wide products and divisions); no
 * other module includes this.
 */

#define U128_MAX	(~(unsigned __int128)0)
#define NW		6	/* the bignum's words: 384 bits, 115 digits */

/* x's coefficient; 10^k; the digits of c (1 for 0). */
unsigned __int128 evp_decimal_co(const struct evp_decimal *x);
unsigned __int128 evp_decimal_pow10(int k);
int	evp_decimal_ndigits(unsigned __int128 c);

/*
 * Make *x the canonical value neg * coef * 10^exp: trailing zeros into
 * the exponent, zero without sign.  Return -1 if it does not fit.
 */
int	evp_decimal_settle(struct evp_decimal *x, unsigned __int128 coef,
	    int64_t exp, int neg);

/* The bignum: little-endian 64-bit words. */
struct evp_big {
	uint64_t	w[NW];
};

void	evp_big_set(struct evp_big *b, unsigned __int128 v);
void	evp_big_mul_small(struct evp_big *b, uint64_t m);	/* b *= m */
void	evp_big_mul(struct evp_big *r, unsigned __int128 a,
	    unsigned __int128 b);			/* r = a * b, in full */
uint64_t evp_big_div_small(struct evp_big *b, uint64_t d); /* remainder */
int	evp_big_cmp(const struct evp_big *a, const struct evp_big *b);
void	evp_big_sub(struct evp_big *a, const struct evp_big *b); /* a >= b */
void	evp_big_shl1(struct evp_big *b);
int	evp_big_get(const struct evp_big *b, unsigned __int128 *out);

#endif
