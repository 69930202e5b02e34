#include "types/int.h"

/* Digits s[0..n) as a value up to max: 0, or -1. */
static int
digits(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static size_t
len_of(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

int
evp_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (digits(s, len_of(s), max, &v) < 0 || v < min)
		return -1;
	*out = v;
	return 0;
}

int
evp_parse_size(const char *s, size_t *out)
{
	size_t n = len_of(s);
	uint64_t mul = 1, v, max = (uint64_t)SIZE_MAX / 4;

	if (n > 1) {
		switch (s[n - 1]) {
		case 'K': case 'k': mul = 1024; n--; break;
		case 'M': case 'm': mul = 1024 * 1024; n--; break;
		case 'G': case 'g': mul = 1024ULL * 1024 * 1024; n--; break;
		}
	}
	if (digits(s, n, max / mul, &v) < 0 || v == 0)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

int
evp_parse_int64(const char *s, size_t n, int64_t *out)
{
	int neg = n > 0 && s[0] == '-';
	uint64_t v;

	s += neg;
	n -= (size_t)neg;
	if (n > 1 && s[0] == '0')
		return -1;
	if (digits(s, n, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX,
	    &v) < 0)
		return -1;
	*out = neg && v > 0 ? -(int64_t)(v - 1) - 1 : (int64_t)v;
	return 0;
}
