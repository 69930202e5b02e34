/*
 * fuzz_query: evp_query_parse, one line of the query format.
 *
 * The input is the line.  Invariants:
 *  - it returns 0 or -1; on -1 the reason is one of those the header
 *    and evp-rejects(5) document, the detail a C string under
 *    EVP_DETAIL_MAX;
 *  - it agrees with an independent parser written from SPEC section 3,
 *    query.h and evp-rejects(5): accepted or refused alike, and when
 *    accepted, each column's value is the one decoded from its key's
 *    pair in the input (a key decoded too: "event%49d" is eventId), an
 *    absent key an empty value; other keys are ignored with their
 *    values, however damaged;
 *  - every value is valid UTF-8 without control bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "fuzzutil.h"
#include "formats/query.h"

static const char *const reasons[] = {
	"bad_percent_escape", "repeated_key", "control_char", "invalid_utf8",
	"no_event_fields", "not_event_path", "no_query", "bad_query", NULL
};

static struct evp_arena arena;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	evp_arena_init(&arena);
	return 0;
}

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode s[0..n) into a new string (+ is a space); NULL if bad. */
static char *
unpct(const char *s, size_t n, size_t *len)
{
	char *d = malloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3) {
				free(d);
				return NULL;
			}
			int h = hex((unsigned char)s[i + 1]), l = hex((unsigned char)s[i + 2]);
			if (h < 0 || l < 0) {
				free(d);
				return NULL;
			}
			d[o++] = (char)(h * 16 + l);
			i += 2;
		} else
			d[o++] = s[i] == '+' ? ' ' : s[i];
	}
	*len = o;
	return d;
}

struct refval {
	char	*p;
	size_t	 len;
	int	 seen;
};

/* The reference: 1 and vals filled if the line is an event, else 0. */
static int
ref_parse(const char *s, size_t n, struct refval *vals)
{
	const char *q = s, *end = s + n;
	const char *path = NULL;

	if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		path = s + 7;
	else if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		path = s + 8;
	if (path != NULL) {
		/* The authority runs to the first / or ? */
		while (path < end && *path != '/' && *path != '?')
			path++;
	} else if (n > 0 && s[0] == '/')
		path = s;
	if (path != NULL) {
		const char *qm = memchr(path, '?', (size_t)(end - path));
		size_t plen = (size_t)((qm ? qm : end) - path);
		int ok = 0;
		for (size_t i = 0; i < fuzz_paths.n; i++)
			ok |= fuzz_paths.name[i].len == plen &&
			    memcmp(fuzz_paths.name[i].p, path, plen) == 0;
		if (!ok || qm == NULL || qm + 1 == end)
			return 0;
		q = qm + 1;
	} else if (n > 0 && s[0] == '?')
		q = s + 1;

	/* No raw space or control byte anywhere in the query. */
	for (const char *c = q; c < end; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7F)
			return 0;

	int found = 0, ok = 1;
	const char *p = q;
	while (ok && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;
		if (pe > p) {
			const char *eq = memchr(p, '=', (size_t)(pe - p));
			const char *ke = eq ? eq : pe;
			const char *vs = eq ? eq + 1 : pe;
			size_t klen, vlen = 0;
			/*
			 * A key that names no column (or does not decode) is
			 * ignored with its value, however damaged; a column's
			 * value must be clean text.
			 */
			char *k = unpct(p, (size_t)(ke - p), &klen);
			char *v = NULL;
			for (size_t c = 0; k && ok && c < FUZZ_NCOL; c++) {
				if (fuzz_cols.name[c].len != klen ||
				    memcmp(fuzz_cols.name[c].p, k, klen) != 0)
					continue;
				v = unpct(vs, (size_t)(pe - vs), &vlen);
				if (v == NULL || fuzz_has_ctl(v, vlen) ||
				    !fuzz_utf8_ok(v, vlen))
					ok = 0;
				else if (vals[c].seen)
					ok = 0;		/* repeated key */
				else {
					vals[c] = (struct refval){ v, vlen, 1 };
					v = NULL;
					found = 1;
				}
			}
			free(k);
			free(v);
		}
		p = pe + 1;
	}
	return ok && found;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct evp_query_opts o = { &fuzz_cols, &fuzz_paths, "no_event_fields",
	    NULL };
	struct evp_str vals[FUZZ_NCOL];
	struct evp_verdict v = { NULL, "" };
	struct refval ref[FUZZ_NCOL];

	memset(ref, 0, sizeof(ref));
	evp_arena_reset(&arena);
	int rc = evp_query_parse(&o, s, size, &arena, vals, &v);
	int want = ref_parse(s, size, ref);

	FUZZ_CHECK(rc == 0 || rc == -1, "returned %d", rc);
	FUZZ_CHECK((rc == 0) == want, "'%s': parse %s (%s: %s), the reference %s",
	    fuzz_show(s, size), rc == 0 ? "accepts" : "refuses",
	    rc == 0 ? "-" : v.reason, rc == 0 ? "-" : v.detail,
	    want ? "accepts" : "refuses");
	if (rc < 0) {
		FUZZ_CHECK(fuzz_in_set(v.reason, reasons), "undocumented reason %s",
		    v.reason ? v.reason : "(none)");
		FUZZ_CHECK(memchr(v.detail, '\0', EVP_DETAIL_MAX) != NULL,
		    "detail not terminated");
	} else {
		for (size_t c = 0; c < FUZZ_NCOL; c++) {
			FUZZ_CHECK(vals[c].p != NULL, "column %zu has a NULL value", c);
			FUZZ_CHECK(vals[c].len == ref[c].len && (ref[c].len == 0 ||
			    memcmp(vals[c].p, ref[c].p, ref[c].len) == 0),
			    "'%s': %s is '%s', want '%s'", fuzz_show(s, size),
			    fuzz_cols.name[c].p, fuzz_show(vals[c].p, vals[c].len),
			    fuzz_show(ref[c].p, ref[c].len));
			FUZZ_CHECK(fuzz_utf8_ok(vals[c].p, vals[c].len) &&
			    !fuzz_has_ctl(vals[c].p, vals[c].len),
			    "%s: not clean text", fuzz_cols.name[c].p);
		}
	}
	for (size_t c = 0; c < FUZZ_NCOL; c++)
		free(ref[c].p);
	return 0;
}
