#ifndef EVP_SNIFF_H
#define EVP_SNIFF_H

#include <stddef.h>

#include "core/str.h"

/*
 * The input formats collect reads, their names as --format takes them,
 * and how --format auto decides a file's format from its text.  Nothing
 * here allocates.
 */
enum evp_format {
	EVP_FMT_AUTO, EVP_FMT_ACCESS, EVP_FMT_QUERY, EVP_FMT_JSONL, EVP_FMT_CSV,
	EVP_FMT_JSON
};

/* Parse a --format value; -1 if unknown. */
int	evp_format_parse(const char *s, enum evp_format *f);
const char *evp_format_name(enum evp_format f);

/* The format a line s[0..n) suggests on its own. */
enum evp_format evp_format_sniff(const char *s, size_t n);

/* How many of a file's first non-blank lines --format auto looks at. */
#define EVP_SNIFF_LINES	16

/*
 * The format of a file from its first non-blank lines[0..n): a JSON
 * stream when the first line opens an array, or an object that goes on
 * past the line or is followed there by another value; else the shape
 * the most of them have, each line as evp_format_sniff sees it (CSV rows,
 * fields separated by delim, counting only with as many fields as the
 * first line), ties going to JSON lines, then access logs, then query
 * strings, then CSV; only the formats allowed count (the first allowed
 * one when none scores; a sole one is taken as it is).  So a damaged
 * first line (what logrotate's copytruncate leaves) is outvoted by the
 * good lines after it, and refused on its own.
 */
enum evp_format evp_format_decide(const struct evp_str *lines, size_t n,
	    unsigned allowed, char delim);

/*
 * Parse a comma-separated list of format names into a mask of 1 << each
 * (for evp_format_decide's allowed: only those are chosen; 0 is all).
 * Return 0, or -1 on an unknown name.
 */
int	evp_formats_parse(const char *list, unsigned *mask);

/*
 * Is name a TSV file's: "*.tsv", maybe compressed ("*.tsv.gz", ".zst",
 * ".xz", ".bz2")?  Such a file is CSV with tabs, read or written.
 */
int	evp_tsv_name(const char *name);

#endif
