#include <string.h>

#include "core/zout.h"
#include "formats/accesslog.h"
#include "formats/json.h"
#include "formats/jsonl.h"
#include "formats/sniff.h"

static const char *const format_names[] = {
	[EVP_FMT_AUTO] = "auto", [EVP_FMT_ACCESS] = "access",
	[EVP_FMT_QUERY] = "query", [EVP_FMT_JSONL] = "jsonl",
	[EVP_FMT_CSV] = "csv", [EVP_FMT_JSON] = "json",
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

/*
 * Do the lines start with a JSON stream: an array, or an object that does
 * not end on its line, or is followed there by another one?
 */
static int
json_stream(const struct evp_str *l)
{
	struct evp_jcheck c;
	struct evp_verdict v;
	size_t i = 0, at;

	while (i < l->len && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	if (i == l->len || (l->p[i] != '{' && l->p[i] != '['))
		return 0;
	/* It must be JSON as far as it goes: "[01/Nov/2026:..." is not. */
	evp_jcheck_init(&c, EVP_JSONL_DEPTH, 0);
	int rc = evp_jcheck_feed(&c, l->p + i, l->len - i, &at, &v);
	evp_jcheck_release(&c);
	if (rc == EVP_JC_MORE || (rc == EVP_JC_END && l->p[i] == '['))
		return 1;
	for (at += i; rc == EVP_JC_END && at < l->len; at++)
		if (l->p[at] == '{' || l->p[at] == '[')
			return 1;
	return 0;
}

/* Fields of a CSV line, or 0 if a quote is left open on it. */
static size_t
csv_fields(const char *s, size_t n, char delim)
{
	size_t fields = 1;
	int quoted = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == delim && !quoted)
			fields++;
	}
	return quoted ? 0 : fields;
}

int
evp_tsv_name(const char *name)
{
	size_t n = evp_zsuffix_strip(name);

	return n > 4 && memcmp(name + n - 4, ".tsv", 4) == 0 &&
	    name[n - 5] != '/';
}

int
evp_formats_parse(const char *list, unsigned *mask)
{
	*mask = 0;
	for (const char *p = list; *p; ) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		size_t i;
		for (i = 1; i < sizeof(format_names) / sizeof(format_names[0]); i++)
			if (strlen(format_names[i]) == len &&
			    memcmp(p, format_names[i], len) == 0)
				break;
		if (i == sizeof(format_names) / sizeof(format_names[0]))
			return -1;
		*mask |= 1u << i;
		p = e ? e + 1 : p + len;
	}
	return 0;
}

/* The format of the lines, of all of them. */
static enum evp_format
decide(const struct evp_str *lines, size_t n, char delim)
{
	size_t score[EVP_FMT_CSV + 1] = { 0 };
	size_t header = n > 0 ? csv_fields(lines[0].p, lines[0].len, delim) : 0;

	if (n == 0)
		return EVP_FMT_CSV;
	if (json_stream(&lines[0]))
		return EVP_FMT_JSON;
	for (size_t i = 0; i < n; i++) {
		const char *s = lines[i].p;
		size_t len = lines[i].len;
		enum evp_format f = evp_format_sniff(s, len);
		/* A CSV row counts when it has the first row's fields. */
		if (f != EVP_FMT_CSV || (header > 1 &&
		    csv_fields(s, len, delim) == header))
			score[f]++;
	}
	/* The first of the most voted, in the order of the ties. */
	static const enum evp_format order[] = {
		EVP_FMT_JSONL, EVP_FMT_ACCESS, EVP_FMT_QUERY, EVP_FMT_CSV
	};
	enum evp_format best = EVP_FMT_AUTO;
	for (size_t i = 0; i < 4; i++)
		if (best == EVP_FMT_AUTO || score[order[i]] > score[best])
			best = order[i];
	/* No line fits any: the first line's shape decides, as for one line. */
	return score[best] > 0 ? best : evp_format_sniff(lines[0].p, lines[0].len);
}

enum evp_format
evp_format_decide(const struct evp_str *lines, size_t n, unsigned allowed,
    char delim)
{
	/* JSON lines are a JSON stream too. */
	static const enum evp_format order[] = {
		EVP_FMT_JSONL, EVP_FMT_JSON, EVP_FMT_ACCESS, EVP_FMT_QUERY,
		EVP_FMT_CSV
	};
	enum evp_format f;

	if (allowed == 0)
		return decide(lines, n, delim);
	if ((allowed & (allowed - 1)) == 0) {	/* one format only */
		for (f = EVP_FMT_ACCESS; !(allowed & 1u << f); f++)
			;
		return f;
	}
	f = decide(lines, n, delim);
	if (allowed & 1u << f)
		return f;
	if (f == EVP_FMT_JSONL && (allowed & 1u << EVP_FMT_JSON))
		return EVP_FMT_JSON;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (allowed & 1u << order[i])
			return order[i];
	return f;
}
