#ifndef EVP_DEDUPE_H
#define EVP_DEDUPE_H

#include <stdio.h>

#include "arena.h"
#include "buf.h"
#include "map.h"
#include "reject.h"
#include "row.h"
#include "summary.h"
#include "tstamp.h"

/*
 * dedupe: one record per key (SPEC section 5 d).  The key is one or more
 * columns; the record kept is the first, the last, or the one with the
 * earliest or latest timestamp in a column (ties: the first in input
 * order).  The others are rejects (duplicate; bad_timestamp and
 * incomparable_timestamps when timestamps decide).  Kept records come out
 * in input order: keep-first streams them, the other modes hold the
 * current winners (and only them) until the end.  A duplicate's detail
 * names the record finally kept: in the modes where a winner can still
 * change, the duplicates wait in an unlinked temporary file, not in
 * memory, and are written at the end.
 */

enum evp_keep { EVP_KEEP_FIRST, EVP_KEEP_LAST, EVP_KEEP_EARLIEST, EVP_KEEP_LATEST };

struct evp_dedupe_opts {
	const struct evp_names	*keys;
	enum evp_keep		 keep;
	const char		*time;	/* the timestamp column */
	const char		*id;	/* names the kept record in details */
};

struct evp_winner {
	struct evp_saved	*row;
	struct evp_tstamp	 t;
};

struct evp_dedupe {
	struct evp_sink		 sink;
	struct evp_sink		*out;
	struct evp_rejects	*rj;
	struct evp_rjmap	 rjmap;
	struct evp_count	 count;
	struct evp_dedupe_opts	 o;

	int			*kidx;
	int			 tidx, ididx;
	struct evp_map		 map;
	struct evp_arena	 mem;		/* keep-first: what names the kept */
	struct evp_buf		 key;
	struct evp_winner	*win;
	size_t			 nwin, wcap;
	uint64_t		 seq;
	FILE			*spill;		/* duplicates waiting for the end */
	struct evp_buf		 tail;
	struct evp_str		*wf;		/* a stored winner, unpacked */
};

int	evp_keep_parse(const char *s, enum evp_keep *k);

void	evp_dedupe_init(struct evp_dedupe *d, const struct evp_dedupe_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_dedupe_release(struct evp_dedupe *d);

#endif
