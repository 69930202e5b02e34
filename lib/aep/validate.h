#ifndef EVP_VALIDATE_H
#define EVP_VALIDATE_H

#include "stages/stage.h"

/*
 * validate: the rules a-c of SPEC section 5 on merged records (a user
 * event followed by the columns a join carried in from its serving
 * event), then the enrichment (advertiserId and price from the serving
 * event) and the projection back to the user event's own columns.
 * Streams.  Reasons: unknown_parent, user_mismatch, not_after_parent,
 * incomparable_timestamps, bad_timestamp.  The stage owns its projection
 * and borrows the next sink.
 */
struct evp_validate {
	struct evp_stage	 st;
	const char		*prefix;
	int			 u[5], s[5];	/* parent/ts/user/adv/price, id/ts/user/adv/price */
	struct evp_header	 oh;
	struct evp_str		*ov;		/* the record enriched */
};

/*
 * prefix names the serving event's columns when the header does not say
 * which were carried (a merged file read back from CSV).
 */
void	evp_validate_init(struct evp_validate *v, const char *prefix,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_validate_release(struct evp_validate *v);

#endif
