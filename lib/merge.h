#ifndef EVP_MERGE_H
#define EVP_MERGE_H

#include "arena.h"
#include "map.h"
#include "reject.h"
#include "row.h"
#include "summary.h"

/*
 * merge: a join (SPEC section 5).  The serving side is pushed into
 * `index` first and kept in memory; the user side is then pushed into
 * `sink` and streamed: each record comes out followed by the matching
 * serving record's columns under a prefix, or empty ones.  On the serving
 * side an empty key is missing_key and a repeated key duplicate_key (the
 * first wins).  The merge owns the index and the output header.
 */

struct evp_merge_opts {
	const char	*key;		/* user side, default parentEventId */
	const char	*index_key;	/* serving side, default eventId */
	const char	*prefix;	/* default "serving." */
};

struct evp_merge {
	struct evp_sink		 index;
	struct evp_sink		 sink;
	struct evp_sink		*out;
	struct evp_rejects	*rj;
	struct evp_count	 count;
	struct evp_merge_opts	 o;

	struct evp_map		 map;
	struct evp_arena	 mem;		/* index rows and header names */
	struct evp_header	 ih;		/* the serving side's header */
	int			 ikey, ukey;
	struct evp_rjmap	 irjmap;
	struct evp_header	 oh;		/* the output header */
	struct evp_str		*ov;		/* the output record */
	size_t			 un;		/* user columns */
	uint64_t		 indexed, merged;
};

void	evp_merge_init(struct evp_merge *m, const struct evp_merge_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_merge_release(struct evp_merge *m);

#endif
