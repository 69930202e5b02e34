#include <stdint.h>
#include <string.h>

#include "text.h"

/*
 * Word-at-a-time tests on 8 bytes: the usual "has a zero byte" trick,
 * exact when no byte of the word has its high bit set.
 */
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

static inline uint64_t
load8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}


int
evp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
evp_utf8_invalid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		/* Plain ASCII runs a word at a time. */
		while (n - i >= 8 && (load8(p + i) & HIGHS) == 0)
			i += 8;
		if (i == n)
			break;
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;	/* overlong */
			else if (c == 0xED)
				hi = 0x9F;	/* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;	/* overlong */
			else if (c == 0xF4)
				hi = 0x8F;	/* past U+10FFFF */
		} else
			return i;
		if (n - i <= need)
			return i;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= need; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xBF)
				return i;
		i += need + 1;
	}
	return n;
}

/*
 * Some byte of w is below 0x20 or is 0x7F.  Exact for any bytes: the
 * "has a byte less than n" trick holds for n <= 128.
 */
static inline int
has_ctl(uint64_t w)
{
	uint64_t del = w ^ (0x7F * ONES);

	return ((((w - 0x20 * ONES) & ~w) | ((del - ONES) & ~del)) & HIGHS) != 0;
}

size_t
evp_ctl_find(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	for (;;) {
		while (n - i >= 8 && !has_ctl(load8(p + i)))
			i += 8;
		size_t stop = n - i >= 8 ? i + 8 : n;
		for (; i < stop; i++)
			if (p[i] < 0x20 || p[i] == 0x7F)
				return i;
		if (i == n)
			return n;
	}
}

/* Some byte of w is zero (exact as a yes or no, for any bytes). */
static inline int
has_zero(uint64_t w)
{
	return ((w - ONES) & ~w & HIGHS) != 0;
}

size_t
evp_url_plain(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	for (;;) {
		for (; n - i >= 8; i += 8) {
			uint64_t w = load8(p + i);
			if ((w & HIGHS) || has_ctl(w) || has_zero(w ^ ('%' * ONES)) ||
			    has_zero(w ^ ('+' * ONES)))
				break;
		}
		size_t stop = n - i >= 8 ? i + 8 : n;
		for (; i < stop; i++)
			if (p[i] == '%' || p[i] == '+' || p[i] < 0x20 || p[i] >= 0x7F)
				return i;
		if (i == n)
			return n;
	}
}
