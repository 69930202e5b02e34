#ifndef EVP_INT_H
#define EVP_INT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Whole numbers read strictly from text: decimal digits only (no sign,
 * no space, no base prefix), range-checked.  Plain values, nothing owned.
 */

/* A count in [min, max]: 0, or -1 if s is not one. */
int	evp_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * A size: a count from 1 with an optional K, M or G (powers of 1024),
 * at most a quarter of the address space: 0, or -1 if s is not one.
 */
int	evp_parse_size(const char *s, size_t *out);

/*
 * A signed 64-bit integer s[0..n): an optional '-', then "0" or digits
 * without a leading zero.  0, or -1 if not one or out of range.
 */
int	evp_parse_int64(const char *s, size_t n, int64_t *out);

#endif
