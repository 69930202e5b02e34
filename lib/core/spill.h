#ifndef EVP_SPILL_H
#define EVP_SPILL_H

#include <stdint.h>

#include "core/rdbuf.h"
#include "core/ofile.h"
#include "core/row.h"

/*
 * Records set aside in a scratch file instead of memory, then read back
 * in the order they were put, each with a 32-bit tag for its owner.  The
 * file is created at the first put in $TMPDIR (/tmp when unset or empty)
 * and unlinked at once, so it goes away with the process however it
 * ends.  A record's source name is kept as a pointer: it must outlive
 * the spill.
 */
struct evp_spill {
	int		 fd;		/* -1 until the first put */
	uint64_t	 n;		/* records put */
	struct evp_ofile out;		/* writing: buffered, on a thread */
	struct evp_rdbuf in;		/* reading */
	struct evp_str	*f;		/* a record read back */
	size_t		 fcap;
};

void	evp_spill_init(struct evp_spill *s);

/*
 * A temporary file in $TMPDIR (/tmp when unset or empty), unlinked at
 * once: its descriptor, which the caller owns, or -1 after reporting why.
 */
int	evp_spill_tmpfd(void);

/* Append r.  Return 0, or -1 after reporting why. */
int	evp_spill_put(struct evp_spill *s, const struct evp_rec *r, uint32_t tag);

/* Go back to the first record.  Return 0, or -1 after reporting why. */
int	evp_spill_rewind(struct evp_spill *s);

/*
 * The next record, valid until the next call: 1, 0 after the last, -1
 * after reporting an error.
 */
int	evp_spill_get(struct evp_spill *s, struct evp_rec *r, uint32_t *tag);

/* Close and forget the file (a later put starts a new one). */
void	evp_spill_release(struct evp_spill *s);

#endif
