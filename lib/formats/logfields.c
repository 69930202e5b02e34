/*
 * The fields of an access log line that are not its query: its date and
 * the columns taken from the line itself (accesslog.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "formats/logfields.h"
#include "types/tstamp.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

int
evp_log_month(const char *p)
{
	for (int m = 0; m < 12; m++)
		if (memcmp(p, months + 3 * m, 3) == 0)
			return m + 1;
	return 0;
}

int
evp_log_time(struct evp_str d, struct evp_tstamp *t, char *iso, size_t *isolen)
{
	int n;

	if (d.len == EVP_LOG_DATE_LEN)
		n = snprintf(iso, 32, "%.4s-%02d-%.2sT%.8s%.3s:%.2s", d.p + 8,
		    evp_log_month(d.p + 4), d.p + 1, d.p + 13, d.p + 22, d.p + 25);
	else
		n = snprintf(iso, 32, "%.4s-%02d-%.2sT%.8sZ", d.p + 8,
		    evp_log_month(d.p + 4), d.p + 1, d.p + 13);
	*isolen = (size_t)n;
	if (evp_tstamp_parse(t, iso, *isolen) < 0 ||
	    t->sec < INT64_C(-62167219200) || t->sec > INT64_C(253402300799))
		return -1;
	return 0;
}

int
evp_log_fields(const struct evp_access_opts *o, const struct evp_logparts *pt,
    const struct evp_tstamp *t, struct evp_str iso, struct evp_str method,
    struct evp_str path, struct evp_arena *a, struct evp_str *vals,
    struct evp_verdict *v)
{
	const struct evp_header *cols = o->q.cols;
	size_t bad;

	for (size_t i = 0; i < cols->n; i++) {
		switch (o->q.src[i]) {
		case EVP_SRC_KEY:
			break;
		case EVP_SRC_NONE:
			vals[i] = (struct evp_str){ "", 0 };
			break;
		case EVP_SRC_TIME:
			if (o->utc) {
				char *u = evp_arena_alloc(a, EVP_DAY_TEXTMAX + 10);
				size_t k = evp_day_format(evp_tstamp_day(t), u);
				int64_t sec = t->sec - evp_tstamp_day(t) * 86400;
				k += (size_t)snprintf(u + k, 10, " %02d:%02d:%02d",
				    (int)(sec / 3600), (int)(sec / 60 % 60),
				    (int)(sec % 60));
				vals[i] = (struct evp_str){ u, k };
			} else
				vals[i] = iso;
			break;
		case EVP_SRC_PATH:
			vals[i] = path;
			break;
		case EVP_SRC_ENDPOINT: {
			size_t k = path.len;
			while (k > 0 && path.p[k - 1] != '/')
				k--;
			vals[i] = (struct evp_str){ path.p + k, path.len - k };
			break;
		}
		case EVP_SRC_METHOD:
			vals[i] = method;
			break;
		case EVP_SRC_CLIENT:
			bad = evp_utf8_invalid(pt->host.p, pt->host.len);
			if (bad < pt->host.len) {
				evp_verdict_set(v, "invalid_utf8", "invalid UTF-8 "
				    "byte 0x%02x in the client field",
				    (unsigned char)pt->host.p[bad]);
				return -1;
			}
			vals[i] = pt->host;
			break;
		case EVP_SRC_STATUS:
			vals[i] = pt->status;
			break;
		}
	}
	return 0;
}
