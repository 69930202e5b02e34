#ifndef EVP_ADSCHEMA_H
#define EVP_ADSCHEMA_H

#include "core/row.h"

/*
 * The advertising event schema (SPEC section 1): the eight columns in
 * their order.  Generic layers never name them; they take column lists as
 * options whose defaults come from here.
 */
#define EVP_AD_COLUMNS \
	"eventId,eventTimestamp,eventType,parentEventId,userId,advertiserId,deviceId,price"

extern const struct evp_header evp_ad_header;

#endif
