#ifndef EVP_TESTUTIL_H
#define EVP_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Helpers the unit tests share.  They fail the running test on error. */

/*
 * A new temporary file "$TMPDIR/evp-test-TAG-XXXXXX" (TMPDIR defaults to
 * /tmp), open as *fd.  The caller frees the path and removes the file.
 */
char	*tu_mkstemp(const char *tag, int *fd);

/* The next number of a xorshift64 generator whose state is *s (not 0). */
uint64_t tu_rnd(uint64_t *s);

/* Append p[0..n) to b readably: \n \r \0 \\ and \xHH for other bytes. */
void	tu_escape(struct evp_buf *b, const char *p, size_t n);

#endif
