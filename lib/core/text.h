#ifndef EVP_TEXT_H
#define EVP_TEXT_H

#include <stddef.h>

/*
 * Byte-level checks shared by the input formats.  None of them
 * allocates.
 */

/* Offset of the first byte that starts invalid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF are invalid), or n if valid. */
size_t	evp_utf8_invalid(const char *p, size_t n);

/* Offset of the first control byte (0x00-0x1F or 0x7F), or n if none. */
size_t	evp_ctl_find(const char *p, size_t n);

/*
 * Offset of the first byte a URL query decoder must look at ('%', '+', a
 * control byte or a byte from 0x7F up), or n if none: the text is as is.
 */
size_t	evp_url_plain(const char *p, size_t n);

/* Offset of the first byte that makes a CSV field need quotes (',', '"',
 * CR or LF), or n if none. */
size_t	evp_csv_special(const char *p, size_t n);

/* Value of hex digit c, or -1. */
int	evp_hexval(int c);

/* Value of the four hex digits at s[0..4) (n bytes available), or -1. */
long	evp_hex4(const char *s, size_t n);

/* Write code point u (at most U+10FFFF) as UTF-8 at d: its length, 1-4. */
size_t	evp_put_utf8(char *d, unsigned long u);

/*
 * Undo backslash escapes of s[0..n) into d (room for n bytes; an escape
 * never grows): \b \f \n \r \t \v, \xHH, \uXXXX (a surrogate pair
 * joined), and any other escaped byte standing for itself.  The text must
 * have been checked by its format (JSON, an access log's quoted field),
 * which allows only the escapes it writes.  Returns the length written.
 */
size_t	evp_unbackslash(const char *s, size_t n, char *d);

#endif
