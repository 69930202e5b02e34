#include <string.h>

#include "core/pack.h"

size_t
evp_pack_size(const struct evp_str *f, size_t n)
{
	size_t bytes = 0;

	for (size_t i = 0; i < n; i++) {
		bytes += f[i].len + 1;
		for (size_t v = f[i].len; v >= 0x80; v >>= 7)
			bytes++;
	}
	return bytes;
}

unsigned char *
evp_pack(unsigned char *m, const struct evp_str *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t v = f[i].len;
		for (; v >= 0x80; v >>= 7)
			*m++ = (unsigned char)(v | 0x80);
		*m++ = (unsigned char)v;
	}
	for (size_t i = 0; i < n; i++) {
		if (f[i].len > 0)
			memcpy(m, f[i].p, f[i].len);
		m += f[i].len;
	}
	return m;
}

const unsigned char *
evp_unpack(const unsigned char *m, struct evp_str *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t v = 0;
		for (int shift = 0;; shift += 7) {
			unsigned char c = *m++;
			v |= (size_t)(c & 0x7f) << shift;
			if (c < 0x80)
				break;
		}
		f[i].len = v;
	}
	const char *p = (const char *)m;
	for (size_t i = 0; i < n; i++) {
		f[i].p = p;
		p += f[i].len;
	}
	return (const unsigned char *)p;
}
