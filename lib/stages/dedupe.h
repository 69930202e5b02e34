#ifndef EVP_DEDUPE_H
#define EVP_DEDUPE_H

#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/map.h"
#include "core/spill.h"
#include "stages/stage.h"

/*
 * dedupe: one record per key (SPEC section 5 d).  The key is one or more
 * columns; the record kept is the first, the last, or the one with the
 * earliest or latest timestamp in a column (ties: the first in input
 * order).  The others are rejects (duplicate; bad_timestamp and
 * incomparable_timestamps when timestamps decide).  Kept records come out
 * in input order.  Keep-first streams them.  In the other modes a winner
 * can change until the end: every candidate record waits, packed, in an
 * unlinked temporary file, while memory holds per key only the current
 * winner's number and timestamp; at the end one pass over the file writes
 * the winners, and the duplicates follow, in input order, each naming the
 * record finally kept.  The stage owns its table and temporary files; the
 * options' names are borrowed.
 */

enum evp_keep { EVP_KEEP_FIRST, EVP_KEEP_LAST, EVP_KEEP_EARLIEST, EVP_KEEP_LATEST };

struct evp_dedupe_opts {
	const struct evp_names	*keys;
	enum evp_keep		 keep;
	const char		*time;	/* the timestamp column */
	const char		*id;	/* names the kept record in details */
};

struct evp_dedupe {
	struct evp_stage	 st;
	struct evp_dedupe_opts	 o;

	int			*kidx;
	int			 tidx, ididx;
	struct evp_map		 map;		/* key -> kept or group */
	struct evp_arena	 mem;		/* what names the kept records */
	struct evp_buf		 key;		/* scratch */
	struct evp_spill	 spill;		/* candidates, in input order */
	struct evp_spill	 dups;		/* the end: duplicates to write */
	const char		*reason;	/* of a duplicate: "duplicate"
						 * unless set after init */
};

int	evp_keep_parse(const char *s, enum evp_keep *k);

void	evp_dedupe_init(struct evp_dedupe *d, const struct evp_dedupe_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_dedupe_release(struct evp_dedupe *d);

#endif
