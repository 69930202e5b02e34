#ifndef EVP_VALIDATE_H
#define EVP_VALIDATE_H

#include "formats/reject.h"
#include "core/row.h"
#include "core/count.h"

/*
 * validate: the rules a-c of SPEC section 5 on merged records (a user
 * event followed by its serving event's columns under a prefix), then the
 * enrichment (advertiserId and price from the serving event) and the
 * projection back to the user event's columns.  Streams.  Reasons:
 * unknown_parent, user_mismatch, not_after_parent,
 * incomparable_timestamps, bad_timestamp.
 */
struct evp_validate {
	struct evp_sink		 sink;
	struct evp_sink		*out;
	struct evp_rejects	*rj;
	struct evp_rjmap	 rjmap;
	struct evp_count	 count;
	const char		*prefix;

	int			 u[5], s[5];	/* parent/ts/user/adv/price, id/ts/user/adv/price */
	struct evp_header	 oh;
	int			*proj;		/* output column i is input proj[i] */
	struct evp_str		*names, *ov;
};

/* The serving columns validate reads: what a merge before it must carry. */
#define EVP_VALIDATE_SERVING "eventId,eventTimestamp,userId,advertiserId,price"

void	evp_validate_init(struct evp_validate *v, const char *prefix,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_validate_release(struct evp_validate *v);

#endif
