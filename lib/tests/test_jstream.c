/*
 * Unit tests for formats/jstream: JSON values as a stream (pretty-printed,
 * run together, top-level arrays giving their elements) and as JSON
 * lines; refusals and where reading resumes after them; the line limit
 * and the value limit.
 *
 * Every case reads a whole input and renders its records as text, one
 * per line: "<line> <text>" for a value, "<line> !<reason> <raw>" for a
 * refusal, bytes with \n \r \0 \\ and non-printables escaped; then "end".
 * A failure prints both renderings.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/input.h"
#include "formats/csvin.h"
#include "formats/jstream.h"
#include "testutil.h"

static struct evp_buf got = EVP_BUF_INIT;

/* Read text as a stream (lines 0) or JSON lines, limit max (0: default). */
static const char *
render(const char *text, int lines, size_t max, size_t depth)
{
	struct evp_input in;
	struct evp_jstream j;
	struct evp_jrec r;
	int fd, rc;
	long n = 0;
	char *path = tu_mkstemp("jstream", &fd);
	size_t len = strlen(text);

	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	assert_int_equal(evp_input_open(&in, path, max), 0);
	evp_jstream_init(&j, &in, lines, max, depth);
	evp_buf_reset(&got);
	while ((rc = evp_jstream_next(&j, &r)) > 0 && n++ < 1000) {
		evp_buf_printf(&got, "%llu ", (unsigned long long)r.line);
		if (r.bad.reason != NULL) {
			evp_buf_printf(&got, "!%s ", r.bad.reason);
			tu_escape(&got, r.raw.p, r.raw.len);
		} else
			tu_escape(&got, r.text.p, r.text.len);
		evp_buf_addc(&got, '\n');
	}
	evp_buf_printf(&got, rc == 0 ? "end\n" : "rc %d\n", rc);
	evp_jstream_release(&j);
	evp_input_close(&in);
	unlink(path);
	free(path);
	return got.p;
}

static void
expect(const char *text, int lines, size_t max, size_t depth,
    const char *want)
{
	const char *g = render(text, lines, max, depth);

	if (strcmp(g, want) != 0)
		fail_msg("input:\n%s\nwant:\n%sgot:\n%s", text, want, g);
}

static int
teardown(void **state)
{
	(void)state;
	evp_buf_release(&got);
	return 0;
}

/* Pretty-printed values, run together, a record's line where it starts. */
static void
test_values(void **state)
{
	(void)state;
	expect("{\n  \"a\": 1,\n  \"b\": [1,\n    2]\n}\n"
	    "\n"
	    "  {\"c\": 3}{\"d\": 4}  \"s\" 12 true\n"
	    "\t{\"e\":\r\n {}}\r\n", 0, 0, 0,
	    "1 {\\n  \"a\": 1,\\n  \"b\": [1,\\n    2]\\n}\n"
	    "7 {\"c\": 3}\n"
	    "7 {\"d\": 4}\n"
	    "7 \"s\"\n"
	    "7 12\n"
	    "7 true\n"
	    "8 {\"e\":\\n {}}\n"
	    "end\n");
}

/* A top-level array gives its elements, each at its own line. */
static void
test_array(void **state)
{
	(void)state;
	expect("[\n  {\"a\": 1},\n  {\"b\":\n    2}, \"x\",\n  [3]\n]\n"
	    "[]\n[ ]\n[[]]\n", 0, 0, 0,
	    "2 {\"a\": 1}\n"
	    "3 {\"b\":\\n    2}\n"
	    "4 \"x\"\n"
	    "5 [3]\n"
	    "9 []\n"
	    "end\n");
}

/*
 * A syntax error refuses its value with the rest of its line, and the
 * lines up to the next one that starts with '{' or '['.
 */
static void
test_resume(void **state)
{
	(void)state;
	expect("{\"a\": 1}\n"
	    "{\"b\": 2,\n  \"c\": 3,, \"x\"\n  \"d\": 4\n\n}\n"
	    "  [5]\n"
	    "{\"e\": 6} ] {\"f\": 7}\n"
	    "\"tail\"\n", 0, 0, 0,
	    "1 {\"a\": 1}\n"
	    "2 !invalid_json {\"b\": 2,\\n  \"c\": 3,, \"x\"\\n  \"d\": 4\\n\\n}\n"
	    "7 5\n"
	    "8 {\"e\": 6}\n"
	    "8 !invalid_json ] {\"f\": 7}\\n\"tail\"\n"
	    "end\n");
	/* In an array, the whole array; at the end, what was read. */
	expect("[{\"a\": 1},\n {\"b\": 2,}]\n{\"c\": [\n 1,\n", 0, 0, 0,
	    "1 !invalid_json [{\"a\": 1},\\n {\"b\": 2,}]\n"
	    "3 !invalid_json {\"c\": [\\n 1,\n"
	    "end\n");
	expect("[[[1]]]\n[[[[1]]]]\n", 0, 0, 3,
	    "1 [[1]]\n"
	    "2 !nesting_too_deep [[[[1]]]]\n"
	    "end\n");
}

/*
 * A value longer than the limit is refused however its lines fall, the
 * start in its raw, and reading resumes as after a syntax error.
 */
static void
test_value_limit(void **state)
{
	(void)state;
	/* 19 bytes, the last line ending it: over 16. */
	expect("{\"a\":\n\"bbbbbbbbbb\"} 7\n  \"rest\"\n{\"c\": 3}\n", 0, 16, 0,
	    "1 !record_too_long {\"a\":\\n\"bbbbbbbbb\n"
	    "4 {\"c\": 3}\n"
	    "end\n");
	/* Over 16 at a line end, the value going on. */
	expect("{\"a\": 1,\n \"b\": 2,\n \"c\": 3}\n{\"x\": 4}\n", 0, 16, 0,
	    "1 !record_too_long {\"a\": 1,\\n \"b\": 2\n"
	    "4 {\"x\": 4}\n"
	    "end\n");
	/* 16 bytes is not over 16. */
	expect("{\"a\":\n\"bbbbbbb\"}\n", 0, 16, 0,
	    "1 {\"a\":\\n\"bbbbbbb\"}\n"
	    "end\n");
}

/*
 * A line over the limit inside a value refuses the value (its raw keeps
 * the line break), and the rest of the value is skipped with it, not
 * read as values of its own.
 */
static void
test_line_limit(void **state)
{
	(void)state;
	expect("{\"a\": 1,\n\"b\": \"ccccccccccccccccccc\",\n\"d\": 2}\n"
	    "{\"e\": 3}\n", 0, 16, 0,
	    "1 !line_too_long {\"a\": 1,\\n\"b\": \"c\n"
	    "4 {\"e\": 3}\n"
	    "end\n");
	/* A line over the limit that starts a value. */
	expect("{\"a\": \"xxxxxxxxxxxxxxxxxxxxx\",\n  \"b\": 1}\n[2]\n", 0, 16, 0,
	    "1 !line_too_long {\"a\": \"xxxxxxxxx\n"
	    "3 2\n"
	    "end\n");
	/* JSON lines: every line on its own. */
	expect("{\"a\": \"xxxxxxxxxxxxxxxxxxxxx\",\n  \"b\": 1}\n[2]\n", 1, 16, 0,
	    "1 !line_too_long {\"a\": \"xxxxxxxxx\n"
	    "2 !invalid_json   \"b\": 1}\n"
	    "3 [2]\n"
	    "end\n");
}

/*
 * The raw of a refused value holds at most a default CSV record's lines,
 * so that the rejects read back; the detail says how many it covers.
 */
static const char *
raw_lines(size_t junk, struct evp_jrec *first, struct evp_jrec *next)
{
	struct evp_input in;
	struct evp_jstream j;
	int fd;
	char *path = tu_mkstemp("jstream", &fd);
	FILE *f = fdopen(fd, "w");

	fprintf(f, "{\"a\": 1,, \"b\"\n");
	for (size_t i = 0; i < junk; i++)
		fprintf(f, "junk %zu\n", i);
	fprintf(f, "{\"c\": 2}\n");
	fclose(f);
	assert_int_equal(evp_input_open(&in, path, 0), 0);
	evp_jstream_init(&j, &in, 0, 0, 0);
	assert_int_equal(evp_jstream_next(&j, first), 1);
	evp_buf_reset(&got);
	evp_buf_add(&got, first->raw.p, first->raw.len);
	evp_buf_addc(&got, '\0');
	first->raw = (struct evp_str){ got.p, first->raw.len };
	assert_int_equal(evp_jstream_next(&j, next), 1);
	next->text.p = NULL;	/* the reader's, not kept */
	assert_int_equal(evp_jstream_next(&j, next + 1), 0);
	evp_jstream_release(&j);
	evp_input_close(&in);
	unlink(path);
	free(path);
	return first->bad.detail;
}

static size_t
count_lines(struct evp_str s)
{
	size_t n = 1;

	for (size_t i = 0; i < s.len; i++)
		n += s.p[i] == '\n';
	return n;
}

static void
test_raw_lines(void **state)
{
	struct evp_jrec first, next[2];
	const char *d;

	(void)state;
	/* 100 lines in all: kept whole. */
	d = raw_lines(EVP_CSV_ROW_LINES - 1, &first, next);
	assert_string_equal(first.bad.reason, "invalid_json");
	assert_int_equal(count_lines(first.raw), EVP_CSV_ROW_LINES);
	assert_null(strstr(d, "raw holds"));
	assert_int_equal(next[0].line, EVP_CSV_ROW_LINES + 1);
	/* 250 lines: the first 100, and the detail says so. */
	d = raw_lines(249, &first, next);
	assert_int_equal(count_lines(first.raw), EVP_CSV_ROW_LINES);
	assert_int_equal(first.raw.p[first.raw.len - 1], '8');	/* junk 98 */
	assert_non_null(strstr(d, "; raw holds 100 of its 250 lines"));
	assert_int_equal(next[0].line, 251);
	assert_null(next[0].bad.reason);
}

/* JSON lines: one value a line, white space around it kept. */
static void
test_lines(void **state)
{
	(void)state;
	expect("{\"a\": 1}\n\n  {\"b\": 2} \r\n{\"c\": 3} x\n[4, 5]\n"
	    "{\"d\":\n6}\n", 1, 0, 0,
	    "1 {\"a\": 1}\n"
	    "3   {\"b\": 2} \n"
	    "4 !invalid_json {\"c\": 3} x\n"
	    "5 [4, 5]\n"
	    "6 !invalid_json {\"d\":\n"
	    "7 !invalid_json 6}\n"
	    "end\n");
}

int
main(void)
{
#define T(f)	cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
		T(test_values),
		T(test_array),
		T(test_resume),
		T(test_value_limit),
		T(test_line_limit),
		T(test_lines),
		T(test_raw_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
