#ifndef EVP_XALLOC_H
#define EVP_XALLOC_H

#include <stddef.h>

/*
 * Allocation that cannot fail: on exhaustion the program prints
 * "PROG: out of memory" and exits with EVP_EXIT_IO.  The caller owns
 * what it gets and frees it with free().
 */
void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xmemdup(const void *p, size_t n);	/* adds a NUL after n bytes */

/* Called on exhaustion; diag sets it to print the program name. */
void	evp_oom(void) __attribute__((noreturn));

#endif
