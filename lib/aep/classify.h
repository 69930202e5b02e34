#ifndef EVP_CLASSIFY_H
#define EVP_CLASSIFY_H

#include "stages/stage.h"

/*
 * classify: events to serving events and user events (SPEC section 4),
 * a stage that pushes each record to one of two sinks or to the rejects.
 * Streams: it keeps nothing of a record after its put().  Reasons:
 * missing_event_id, missing_timestamp, bad_timestamp, parent_without_type,
 * unknown_event_type, type_without_parent, bad_price.  The two sinks are
 * borrowed.
 */
struct evp_classify {
	struct evp_stage	 st;		/* st.out is unused */
	struct evp_sink		*serving, *user;
	int			 id, ts, type, parent, price;
};

void	evp_classify_init(struct evp_classify *c, struct evp_rejects *rj,
	    struct evp_sink *serving, struct evp_sink *user);
void	evp_classify_release(struct evp_classify *c);

/* Is s a non-negative decimal: digits, optionally a point and digits? */
int	evp_price_ok(const char *s, size_t n);

#endif
