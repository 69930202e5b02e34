/*
 * The bignum of the decimals' products and long divisions: six 64-bit
 * words, little-endian, never allocated.
 */

#include <string.h>

#include "types/decint.h"

void
evp_big_set(struct evp_big *b, unsigned __int128 v)
{
	memset(b, 0, sizeof(*b));
	b->w[0] = (uint64_t)v;
	b->w[1] = (uint64_t)(v >> 64);
}

/* b *= m; the words are wide enough for every caller. */
void
evp_big_mul_small(struct evp_big *b, uint64_t m)
{
	unsigned __int128 carry = 0;

	for (int i = 0; i < NW; i++) {
		unsigned __int128 t = (unsigned __int128)b->w[i] * m + carry;
		b->w[i] = (uint64_t)t;
		carry = t >> 64;
	}
}

/* The full product of two coefficients. */
void
evp_big_mul(struct evp_big *r, unsigned __int128 a, unsigned __int128 b)
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
uint64_t
evp_big_div_small(struct evp_big *b, uint64_t d)
{
	unsigned __int128 rem = 0;

	for (int i = NW; i-- > 0; ) {
		unsigned __int128 t = rem << 64 | b->w[i];
		b->w[i] = (uint64_t)(t / d);
		rem = t % d;
	}
	return (uint64_t)rem;
}

int
evp_big_cmp(const struct evp_big *a, const struct evp_big *b)
{
	for (int i = NW; i-- > 0; )
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

void
evp_big_sub(struct evp_big *a, const struct evp_big *b)
{
	uint64_t borrow = 0;

	for (int i = 0; i < NW; i++) {
		uint64_t t = a->w[i] - b->w[i] - borrow;
		borrow = a->w[i] < b->w[i] || (a->w[i] == b->w[i] && borrow);
		a->w[i] = t;
	}
}

void
evp_big_shl1(struct evp_big *b)
{
	for (int i = NW; i-- > 0; )
		b->w[i] = b->w[i] << 1 | (i > 0 ? b->w[i - 1] >> 63 : 0);
}

/* b as 128 bits, or -1 if it is wider. */
int
evp_big_get(const struct evp_big *b, unsigned __int128 *out)
{
	for (int i = 2; i < NW; i++)
		if (b->w[i] != 0)
			return -1;
	*out = (unsigned __int128)b->w[1] << 64 | b->w[0];
	return 0;
}
