#include "aep/profile.h"

static const struct evp_str names[] = {
	EVP_STR("eventId"), EVP_STR("eventTimestamp"), EVP_STR("eventType"),
	EVP_STR("parentEventId"), EVP_STR("userId"), EVP_STR("advertiserId"),
	EVP_STR("deviceId"), EVP_STR("price"),
};

const struct evp_header evp_ad_header = { 8, names, { NULL, 0 } };
