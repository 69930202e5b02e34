#ifndef EVP_SNIFF_H
#define EVP_SNIFF_H

#include <stddef.h>

/*
 * The input formats collect reads, their names as --format takes them,
 * and how --format auto decides a file's format from its text.  Nothing
 * here allocates.
 */
enum evp_format {
	EVP_FMT_AUTO, EVP_FMT_ACCESS, EVP_FMT_QUERY, EVP_FMT_JSONL, EVP_FMT_CSV
};

/* Parse a --format value; -1 if unknown. */
int	evp_format_parse(const char *s, enum evp_format *f);
const char *evp_format_name(enum evp_format f);

/* The format a first non-blank line s[0..n) suggests. */
enum evp_format evp_format_sniff(const char *s, size_t n);

#endif
