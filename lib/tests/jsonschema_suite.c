/*
 * jsonschema_suite: run files of the JSON Schema Test Suite through
 * lib/schema (scripts/test-jsonschema drives it).  Each file is an array
 * of groups {description, schema, tests: [{description, data, valid}]};
 * a group whose schema is refused at load counts its tests as refused,
 * neither passed nor failed.
 *
 *   jsonschema_suite [-a] [-v] FILE...
 *	-a  format only annotates (the suite's default vocabulary)
 *	-v  print why each refused schema was refused
 *
 * One line per file, "ok - NAME: P passed, F failed, R refused" (or
 * "not ok - ...", then the failed tests), then "P passed, F failed";
 * exit 1 if any test failed or a file could not be read.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "formats/json.h"
#include "schema/jsonschema.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct evp_buf b = EVP_BUF_INIT;
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		evp_buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return b.p ? b.p : calloc(1, 1);
}

/* The name within the suite's draft folder ("optional/format/date.json"). */
static const char *
base(const char *path)
{
	const char *s = strstr(path, "draft2020-12/");

	if (s != NULL)
		return s + strlen("draft2020-12/");
	s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The member key of object obj as a C string in the arena, or NULL. */
static size_t
member(const struct evp_jdoc *d, size_t obj, const char *key,
    struct evp_arena *a)
{
	return evp_jdoc_member(d, obj, key, strlen(key), a);
}

struct counts {
	unsigned long	pass, fail, refused;
};

static int
run_file(const char *path, unsigned flags, int verbose, struct counts *tot)
{
	struct evp_arena mem, scratch;
	struct evp_jdoc doc;
	struct evp_verdict v;
	struct evp_buf text = EVP_BUF_INIT, failed = EVP_BUF_INIT;
	struct counts c = { 0, 0, 0 };
	size_t len;
	char *s = slurp(path, &len);

	if (s == NULL) {
		printf("not ok - %s: cannot read\n", path);
		return -1;
	}
	evp_arena_init(&mem);
	evp_arena_init(&scratch);
	if (evp_json_parse(&doc, s, len, 1000, 0, &mem, &v) < 0 ||
	    doc.tok[0].type != EVP_JSON_ARRAY) {
		printf("not ok - %s: not a suite file\n", path);
		free(s);
		evp_arena_release(&mem);
		return -1;
	}
	for (size_t g = 0, gt = 1; g < doc.tok[0].size; g++,
	    gt = doc.tok[gt].next) {
		size_t st = member(&doc, gt, "schema", &mem);
		size_t tt = member(&doc, gt, "tests", &mem);
		size_t dt = member(&doc, gt, "description", &mem);
		char err[512];
		if (st == 0 || tt == 0)
			continue;
		evp_buf_reset(&text);
		evp_jdoc_compact(&doc, st, &text);
		struct evp_schema *sc = evp_schema_load(text.p, text.len,
		    "schema", flags, err, sizeof(err));
		if (sc == NULL) {
			c.refused += doc.tok[tt].size;
			if (verbose)
				printf("    refused: %.*s: %s\n",
				    (int)evp_jdoc_raw(&doc, dt).len,
				    evp_jdoc_raw(&doc, dt).p, err);
			continue;
		}
		for (size_t t = 0, ti = tt + 1; t < doc.tok[tt].size; t++,
		    ti = doc.tok[ti].next) {
			size_t data = member(&doc, ti, "data", &mem);
			size_t valid = member(&doc, ti, "valid", &mem);
			size_t desc = member(&doc, ti, "description", &mem);
			struct evp_jdoc inst;
			evp_arena_reset(&scratch);
			evp_buf_reset(&text);
			evp_jdoc_compact(&doc, data, &text);
			if (evp_json_parse(&inst, text.p, text.len, 1000, 0,
			    &scratch, &v) < 0) {
				c.fail++;
				continue;
			}
			int want = doc.tok[valid].type == EVP_JSON_TRUE;
			int got = evp_schema_check(sc, &inst, 0, &scratch, &v) == 0;
			if (got == want) {
				c.pass++;
				continue;
			}
			c.fail++;
			evp_buf_printf(&failed, "    %.*s / %.*s: %s%s%s\n",
			    (int)evp_jdoc_raw(&doc, dt).len,
			    evp_jdoc_raw(&doc, dt).p,
			    (int)evp_jdoc_raw(&doc, desc).len,
			    evp_jdoc_raw(&doc, desc).p,
			    want ? "valid, refused: " : "invalid, accepted",
			    want ? v.reason : "", want ? v.detail : "");
		}
		evp_schema_free(sc);
	}
	printf("%s - %s: %lu passed, %lu failed, %lu refused\n",
	    c.fail ? "not ok" : "ok", base(path), c.pass, c.fail, c.refused);
	if (failed.len)
		fputs(failed.p, stdout);
	tot->pass += c.pass;
	tot->fail += c.fail;
	tot->refused += c.refused;
	evp_buf_release(&text);
	evp_buf_release(&failed);
	evp_arena_release(&mem);
	evp_arena_release(&scratch);
	free(s);
	return c.fail ? -1 : 0;
}

int
main(int argc, char *argv[])
{
	struct counts tot = { 0, 0, 0 };
	unsigned flags = 0;
	int verbose = 0, ch, bad = 0;

	while ((ch = getopt(argc, argv, "av")) != -1) {
		switch (ch) {
		case 'a':
			flags |= EVP_SCHEMA_FORMAT_ANNOTATE;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: jsonschema_suite [-a] [-v] FILE...\n");
			return 2;
		}
	}
	for (int i = optind; i < argc; i++)
		if (run_file(argv[i], flags, verbose, &tot) < 0)
			bad = 1;
	printf("%lu passed, %lu failed\n", tot.pass, tot.fail);
	return bad;
}
