#include <string.h>

#include "formats/accesslog.h"
#include "formats/jsonl.h"
#include "formats/sniff.h"

static const char *const format_names[] = {
	[EVP_FMT_AUTO] = "auto", [EVP_FMT_ACCESS] = "access",
	[EVP_FMT_QUERY] = "query", [EVP_FMT_JSONL] = "jsonl",
	[EVP_FMT_CSV] = "csv",
};

int
evp_format_parse(const char *s, enum evp_format *f)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(s, format_names[i]) == 0) {
			*f = (enum evp_format)i;
			return 0;
		}
	return -1;
}

const char *
evp_format_name(enum evp_format f)
{
	return format_names[f];
}

enum evp_format
evp_format_sniff(const char *s, size_t n)
{
	if (evp_jsonl_sniff(s, n))
		return EVP_FMT_JSONL;
	if (evp_access_sniff(s, n))
		return EVP_FMT_ACCESS;
	if (memchr(s, '=', n) != NULL || (n > 0 && (s[0] == '/' || s[0] == '?')) ||
	    (n >= 4 && memcmp(s, "http", 4) == 0))
		return EVP_FMT_QUERY;
	return EVP_FMT_CSV;
}
