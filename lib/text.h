#ifndef EVP_TEXT_H
#define EVP_TEXT_H

#include <stddef.h>

/*
 * Byte-level checks and decoders shared by the input formats.  None of
 * them allocates; outputs go to caller-provided memory.
 */

/* Offset of the first byte that starts invalid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF are invalid), or n if valid. */
size_t	evp_utf8_invalid(const char *p, size_t n);

/* Offset of the first control byte (0x00-0x1F or 0x7F), or n if none. */
size_t	evp_ctl_find(const char *p, size_t n);

/*
 * Percent-decode s[0..n) into out (room for n bytes), '+' to space when
 * plus is set.  Return the decoded length, or -1 with *bad set to the
 * offset of a '%' not followed by two hex digits.
 */
long	evp_pct_decode(const char *s, size_t n, char *out, int plus, size_t *bad);

/* Value of hex digit c, or -1. */
int	evp_hexval(int c);

#endif
