/*
 * fuzz_jsonschema: evp_schema_load, evp_schema_check and
 * evp_schema_check_fields.
 *
 * The input is a schema, a NUL byte, then an instance (no NUL: the
 * schema is the whole input and the instance is {}).  Invariants:
 *  - a refused schema's message names the document and says why: JSON
 *    that is not JSON, or a quoted keyword, or a value that is not a
 *    schema, with the JSON pointer where ("at /...");
 *  - checking is deterministic: twice the same answer, reason and detail;
 *  - a failure's reason is snake_case and its detail starts with the
 *    instance's JSON pointer ('/');
 *  - the schema true accepts every instance, false refuses every one;
 *  - {"not": S} loads when S does (S without $ref, whose pointers the
 *    wrapping would move) and answers the opposite of S;
 *  - an object instance seen as a CSV record (keys as columns, values as
 *    their text) checks without crashing, deterministically.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/row.h"
#include "formats/json.h"
#include "fuzzutil.h"
#include "schema/jsonschema.h"

static struct evp_arena arena, docmem;
static struct evp_schema *yes, *no;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	evp_arena_init(&arena);
	evp_arena_init(&docmem);
	yes = evp_schema_load("true", 4, "true", 0, err, sizeof(err));
	no = evp_schema_load("false", 5, "false", 0, err, sizeof(err));
	FUZZ_CHECK(yes != NULL && no != NULL, "boolean schemas refused");
	return 0;
}

static int
snake(const char *r)
{
	if (r == NULL || *r < 'a' || *r > 'z')
		return 0;
	for (; *r; r++)
		if (!((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9') ||
		    *r == '_'))
			return 0;
	return 1;
}

/* Does p[0..n) hold the text w? */
static int
has(const char *p, size_t n, const char *w)
{
	size_t k = strlen(w);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, w, k) == 0)
			return 1;
	return 0;
}

/* Check twice; the answers must agree.  Return the first's rc. */
static int
check(const struct evp_schema *s, const struct evp_jdoc *d,
    struct evp_verdict *v)
{
	struct evp_verdict again;

	evp_arena_reset(&arena);
	int rc = evp_schema_check(s, d, 0, &arena, v);
	evp_arena_reset(&arena);
	int rc2 = evp_schema_check(s, d, 0, &arena, &again);
	FUZZ_CHECK(rc == 0 || rc == -1, "check returned %d", rc);
	FUZZ_CHECK(rc == rc2, "check not deterministic: %d then %d", rc, rc2);
	if (rc < 0) {
		FUZZ_CHECK(snake(v->reason), "reason not snake_case");
		FUZZ_CHECK(v->detail[0] == '/', "detail without a pointer: %s",
		    v->detail);
		FUZZ_CHECK(strcmp(v->reason, again.reason) == 0 &&
		    strcmp(v->detail, again.detail) == 0,
		    "verdict not deterministic: %s: %s, then %s: %s", v->reason,
		    v->detail, again.reason, again.detail);
	}
	return rc;
}

static void
refusal(const char *err)
{
	FUZZ_CHECK(strncmp(err, "fuzz.json: ", 11) == 0, "message without the "
	    "document's name: %s", err);
	FUZZ_CHECK(strstr(err, "invalid_json") != NULL ||
	    strstr(err, "nesting_too_deep") != NULL ||
	    (strstr(err, " at /") != NULL && (strchr(err, '"') != NULL ||
	    strstr(err, "not a schema") != NULL)),
	    "refusal names no keyword: %s", err);
}

/* The object instance as a CSV record: keys are columns. */
static void
as_record(const struct evp_schema *s, const struct evp_jdoc *d)
{
	size_t n = d->tok[0].size;
	struct evp_str *names, *f;
	struct evp_buf b = EVP_BUF_INIT;
	struct evp_verdict v1, v2;

	if (d->tok[0].type != EVP_JSON_OBJECT || n == 0 || n > 64)
		return;
	names = evp_arena_alloc(&docmem, n * sizeof(*names));
	f = evp_arena_alloc(&docmem, n * sizeof(*f));
	for (size_t m = 0, k = 1; m < n; m++, k = d->tok[k + 1].next) {
		names[m] = evp_jdoc_str(d, k, &docmem);
		if (d->tok[k + 1].type == EVP_JSON_STRING)
			f[m] = evp_jdoc_str(d, k + 1, &docmem);
		else {
			evp_buf_reset(&b);
			evp_jdoc_compact(d, k + 1, &b);
			f[m].p = evp_arena_dup(&docmem, b.p, b.len);
			f[m].len = b.len;
		}
	}
	evp_buf_release(&b);
	struct evp_header h = { n, names, { NULL, 0 }, 0, NULL };
	struct evp_rec r = { n, f, { NULL, 0 }, { NULL, 0 } };
	evp_arena_reset(&arena);
	int rc1 = evp_schema_check_fields(s, &h, &r, &arena, &v1);
	evp_arena_reset(&arena);
	int rc2 = evp_schema_check_fields(s, &h, &r, &arena, &v2);
	FUZZ_CHECK(rc1 == rc2, "fields check not deterministic");
	FUZZ_CHECK(rc1 == 0 || (v1.reason != NULL &&
	    strcmp(v1.reason, v2.reason) == 0 &&
	    strcmp(v1.detail, v2.detail) == 0), "fields verdicts differ");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nul = memchr(in, '\0', size);
	size_t slen = nul ? (size_t)(nul - in) : size;
	const char *inst = nul ? nul + 1 : "{}";
	size_t ilen = nul ? size - slen - 1 : 2;
	char err[512];
	struct evp_jdoc d;
	struct evp_verdict v, nv;

	if (size > 8192)
		return -1;
	evp_arena_reset(&docmem);
	/* The instance is made of the rest, when it is JSON. */
	if (evp_json_parse(&d, inst, ilen, 64, 0, &docmem, &v) < 0)
		inst = NULL;

	struct evp_schema *s = evp_schema_load(in, slen, "fuzz.json", 0, err,
	    sizeof(err));
	if (s == NULL)
		refusal(err);
	if (inst == NULL) {
		evp_schema_free(s);
		return 0;
	}
	FUZZ_CHECK(check(yes, &d, &v) == 0, "true refused: %s", v.detail);
	FUZZ_CHECK(check(no, &d, &v) == -1, "false accepted");
	if (s == NULL)
		return 0;
	int rc = check(s, &d, &v);
	as_record(s, &d);

	/* {"not": S} says the opposite. */
	if (!has(in, slen, "$ref")) {
		struct evp_buf w = EVP_BUF_INIT;
		evp_buf_adds(&w, "{\"not\":");
		evp_buf_add(&w, in, slen);
		evp_buf_adds(&w, "}");
		struct evp_schema *ns = evp_schema_load(w.p, w.len, "fuzz.json",
		    0, err, sizeof(err));
		FUZZ_CHECK(ns != NULL || strstr(err, "nesting_too_deep") != NULL,
		    "S loads but {\"not\": S} is refused: %s", err);
		if (ns != NULL) {
			int nrc = check(ns, &d, &nv);
			FUZZ_CHECK(nrc != rc, "{\"not\": S} agrees with S (%d)", rc);
			FUZZ_CHECK(nrc == 0 || strstr(nv.detail, "matches the not "
			    "schema") != NULL, "not reported as %s", nv.detail);
		}
		evp_schema_free(ns);
		evp_buf_release(&w);
	}
	evp_schema_free(s);
	return 0;
}
