#ifndef EVP_MERGE_H
#define EVP_MERGE_H

#include "core/arena.h"
#include "core/map.h"
#include "stages/stage.h"

/*
 * merge: a join (SPEC section 5).  The serving side is pushed into
 * `index` first and kept in memory; the user side is then pushed into
 * `sink` and streamed: each record comes out followed by the matching
 * serving record's columns under a prefix, or empty ones.  On the serving
 * side an empty key is missing_key and a repeated key duplicate_key (the
 * first wins).  The merge owns the index and the output header.
 *
 * With opts.unmatched, a user record whose key is not empty and matches
 * nothing is refused with that reason (a lookup that must succeed).
 *
 * The index keeps of each serving record only its origin and the columns
 * carried (all of them unless opts.carry names some; the key is always
 * carried, and not stored twice: a match's key is the user record's).
 */

struct evp_merge_opts {
	const char	*key;		/* user side */
	const char	*index_key;	/* serving side */
	const char	*prefix;	/* of the carried columns' names */
	const struct evp_names *carry;	/* serving columns kept; NULL: all */
	const char	*unmatched;	/* the reason refusing a user record
					 * whose key (not empty) has no match;
					 * NULL: it passes, unmatched */
};

/*
 * st.sink takes the user side; the output header marks the serving
 * columns as carried (evp_header.carried), so that a stage after it can
 * tell them from the user record's own.
 */
struct evp_merge {
	struct evp_stage	 st;
	struct evp_sink		 index;
	struct evp_merge_opts	 o;

	struct evp_map		 map;		/* key -> origin and packed fields */
	struct evp_arena	 mem;		/* header names */
	struct evp_header	 ih;		/* the columns carried */
	int			*carry;		/* their places in the serving header */
	int			 ikey, ukey;
	int			 keyat;		/* the key's place among ih */
	struct evp_str		*pv;		/* the carried fields but the key */
	struct evp_rjmap	 umap;		/* user records in the rejects */
	struct evp_header	 oh;		/* the output header */
	struct evp_str		*ov;		/* the output record */
	size_t			 un;		/* user columns */
	const char		*isource;	/* the first indexed record's */
	uint64_t		 indexed, merged;
};

void	evp_merge_init(struct evp_merge *m, const struct evp_merge_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_merge_release(struct evp_merge *m);

#endif
