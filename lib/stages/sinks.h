#ifndef EVP_SINKS_H
#define EVP_SINKS_H

#include "core/arena.h"
#include "core/row.h"
#include "core/spill.h"

/*
 * Plumbing sinks.  A tee passes everything to two sinks it borrows.  A
 * store sets the records pushed into it aside in a scratch file (and a
 * copy of their header in memory), both its own, to push them on later
 * with evp_store_replay.
 */

struct evp_tee {
	struct evp_sink	 sink;
	struct evp_sink	*a, *b;
};

void	evp_tee_init(struct evp_tee *t, struct evp_sink *a, struct evp_sink *b);

struct evp_store {
	struct evp_sink		 sink;
	struct evp_arena	 mem;		/* the header */
	struct evp_header	 h;
	struct evp_spill	 rows;
};

void	evp_store_init(struct evp_store *s);
/* Push the header (or empty, if none was stored) and every record into out. */
int	evp_store_replay(struct evp_store *s, struct evp_sink *out,
	    const struct evp_header *empty);
void	evp_store_release(struct evp_store *s);

#endif
