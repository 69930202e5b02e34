#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/text.h"

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

#ifdef __SSE2__
/*
 * Sixteen bytes at a time where SSE2 is there (every x86-64): a mask of
 * the bytes matching, from an unaligned load that stays inside the text.
 */
static inline __m128i
load16(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline __m128i
ctl16(__m128i x)		/* 0x00-0x1F or 0x7F */
{
	__m128i lo = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);

	return _mm_or_si128(lo, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));
}

/* The first i from *at with a byte matching in p[i..i+16), else n; *at moves on. */
#define SCAN16(p, n, at, match) do {					\
	for (; (n) - *(at) >= 16; *(at) += 16) {			\
		__m128i x_ = load16((p) + *(at));			\
		int m_ = _mm_movemask_epi8(match(x_));			\
		if (m_ != 0)						\
			return *(at) + (size_t)__builtin_ctz((unsigned)m_); \
	}								\
} while (0)
#endif


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

long
evp_hex4(const char *s, size_t n)
{
	long u = 0;

	if (n < 4)
		return -1;
	for (size_t k = 0; k < 4; k++) {
		int h = evp_hexval((unsigned char)s[k]);
		if (h < 0)
			return -1;
		u = u << 4 | h;
	}
	return u;
}

size_t
evp_put_utf8(char *d, unsigned long u)
{
	if (u < 0x80) {
		d[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		d[0] = (char)(0xC0 | u >> 6);
		d[1] = (char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		d[0] = (char)(0xE0 | u >> 12);
		d[1] = (char)(0x80 | (u >> 6 & 0x3F));
		d[2] = (char)(0x80 | (u & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | u >> 18);
	d[1] = (char)(0x80 | (u >> 12 & 0x3F));
	d[2] = (char)(0x80 | (u >> 6 & 0x3F));
	d[3] = (char)(0x80 | (u & 0x3F));
	return 4;
}

size_t
evp_unbackslash(const char *s, size_t n, char *d)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			d[o++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'b': d[o++] = '\b'; break;
		case 'f': d[o++] = '\f'; break;
		case 'n': d[o++] = '\n'; break;
		case 'r': d[o++] = '\r'; break;
		case 't': d[o++] = '\t'; break;
		case 'v': d[o++] = '\v'; break;
		case 'x':
			d[o++] = (char)(evp_hexval((unsigned char)s[i + 1]) << 4 |
			    evp_hexval((unsigned char)s[i + 2]));
			i += 2;
			break;
		case 'u': {
			unsigned long u = (unsigned long)evp_hex4(s + i + 1, n - i - 1);
			i += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				unsigned long lo = (unsigned long)evp_hex4(s + i + 3,
				    n - i - 3);
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
			o += evp_put_utf8(d + o, u);
			break;
		}
		default:	/* " \ / stand for themselves */
			d[o++] = s[i];
			break;
		}
	}
	return o;
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

#ifdef __SSE2__
	SCAN16(p, n, &i, ctl16);
#endif
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

#ifdef __SSE2__
static inline __m128i
url16(__m128i x)		/* '%', '+', a control byte, or 0x7F up */
{
	__m128i high = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x7F)), x);
	__m128i lo = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
	__m128i pc = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('%')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('+')));

	return _mm_or_si128(_mm_or_si128(high, lo), pc);
}

static inline __m128i
csv16(__m128i x)		/* ',', '"', CR or LF */
{
	__m128i a = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(',')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
	__m128i b = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\r')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));

	return _mm_or_si128(a, b);
}
#endif

size_t
evp_url_plain(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

#ifdef __SSE2__
	SCAN16(p, n, &i, url16);
#endif
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

size_t
evp_csv_special(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

#ifdef __SSE2__
	SCAN16(p, n, &i, csv16);
#endif
	for (; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			return i;
	return n;
}
