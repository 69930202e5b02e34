#ifndef EVP_STR_H
#define EVP_STR_H

#include <stddef.h>
#include <string.h>

/*
 * Byte strings that point into memory someone else owns, and lists of
 * names parsed from one option value, which own their copy.
 */

struct evp_str {
	const char	*p;
	size_t		 len;
};

#define EVP_STR(lit)	((struct evp_str){ (lit), sizeof(lit) - 1 })

static inline int
evp_str_eq(struct evp_str a, const char *p, size_t len)
{
	return a.len == len && (len == 0 || memcmp(a.p, p, len) == 0);
}

static inline int
evp_str_eqs(struct evp_str a, const char *s)
{
	return evp_str_eq(a, s, strlen(s));
}

/*
 * A comma-separated list ("sessionId,type").  evp_names_parse
 * copies s and splits the copy into NUL-terminated names; it returns -1
 * on an empty name.  evp_names_free frees the list's memory.
 */
struct evp_names {
	size_t		 n;
	struct evp_str	*name;
	char		*mem;
};

int	evp_names_parse(struct evp_names *nl, const char *s);
void	evp_names_free(struct evp_names *nl);

/* Index of the first name equal to p[0..len), or -1. */
int	evp_names_find(const struct evp_names *nl, const char *p, size_t len);

/* Index of the first name given twice in the list, or -1. */
int	evp_names_repeated(const struct evp_names *nl);

#endif
