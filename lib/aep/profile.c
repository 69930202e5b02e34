#include "aep/profile.h"

const struct evp_profile evp_aep_profile = {
	.name = "aep",
	.columns = "eventId,eventTimestamp,eventType,parentEventId,userId,"
	    "advertiserId,deviceId,price",
	.paths = "/event,/event_collector",
	.methods = "GET",
	.log_time = "iso",
	.no_fields = "no_event_fields",
	.flat = 1,
	.key = "parentEventId",
	.index_key = "eventId",
	.prefix = "serving.",
	.keys = "parentEventId,eventType",
	.keep = "earliest",
	.time = "eventTimestamp",
	.id = "eventId",
};

const char evp_aep_carry[] = "eventId,eventTimestamp,userId,advertiserId,price";
