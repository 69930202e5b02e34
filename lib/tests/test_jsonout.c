/*
 * Unit tests for lib/formats/jsonout: JSON string literals (every escape,
 * UTF-8 kept, a byte that starts no UTF-8 written U+FFFD), checked back
 * through the project's strict JSON reader on random bytes, and the sink:
 * keys in header order, nulls, numeric columns, no record at all.
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

#include "core/arena.h"
#include "core/text.h"
#include "formats/json.h"
#include "formats/jsonout.h"
#include "testutil.h"

static void
lit_is(const char *p, size_t n, const char *want)
{
	struct evp_buf b = EVP_BUF_INIT;

	evp_json_buf_str(&b, p, n);
	if (strcmp(b.p, want) != 0) {
		struct evp_buf e = EVP_BUF_INIT;
		tu_escape(&e, p, n);
		fail_msg("%s: got %s, want %s", e.p, b.p, want);
	}
	evp_buf_release(&b);
}

static void
test_escapes(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain text", "\"plain text\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "l1\nl2\r\n\t", "\"l1\\nl2\\r\\n\\t\"" },
		{ "\b\f", "\"\\b\\f\"" },
		{ "\001\037\177", "\"\\u0001\\u001f\177\"" },
		{ "/", "\"/\"" },
		{ "\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"" },
		{ "\xe2\x80\xa8", "\"\xe2\x80\xa8\"" },
		{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
		{ "\xff", "\"\\ufffd\"" },
		{ "a\xc3", "\"a\\ufffd\"" },
		{ "\xc3(", "\"\\ufffd(\"" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },	/* surrogate */
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },			/* overlong */
		{ "\xe9t\xe9", "\"\\ufffdt\\ufffd\"" },		/* Latin-1 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		lit_is(cases[i].in, strlen(cases[i].in), cases[i].want);
	lit_is("a\0b", 3, "\"a\\u0000b\"");
}

/* Does s[0..n) hold U+FFFD? */
static int
has_fffd(const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (memcmp(s + i, "\xef\xbf\xbd", 3) == 0)
			return 1;
	return 0;
}

/*
 * Random bytes, heavy in what needs care, written as a literal: it is
 * always one JSON string, which reads back as the bytes when they were
 * UTF-8, and as UTF-8 with U+FFFD in place of each bad byte otherwise.
 */
static void
test_random(void **state)
{
	static const char *const pieces[] = { "\"", "\\", "\n", "\001", "a",
	    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xff", "\xc3",
	    "\x80", "\xed\xa0\x80", " ", "\177", "\0" };
	uint64_t seed = 42;
	struct evp_buf in = EVP_BUF_INIT, lit = EVP_BUF_INIT;
	struct evp_arena a;

	(void)state;
	evp_arena_init(&a);
	for (int round = 0; round < 5000; round++) {
		evp_buf_reset(&in);
		evp_buf_reset(&lit);
		size_t n = tu_rnd(&seed) % 12;
		for (size_t i = 0; i < n; i++) {
			const char *p = pieces[tu_rnd(&seed) % 15];
			evp_buf_add(&in, p, *p ? strlen(p) : 1);
		}
		evp_json_buf_str(&lit, in.p ? in.p : "", in.len);
		struct evp_jdoc d;
		struct evp_verdict v;
		if (evp_json_parse(&d, lit.p, lit.len, 8, 0, &a, &v) < 0)
			fail_msg("not JSON: %s (%s)", lit.p, v.detail);
		assert_int_equal(d.tok[0].type, EVP_JSON_STRING);
		struct evp_str s = evp_jdoc_str(&d, 0, &a);
		assert_int_equal(evp_utf8_invalid(s.p, s.len), s.len);
		if (evp_utf8_invalid(in.p ? in.p : "", in.len) == in.len) {
			assert_int_equal(s.len, in.len);
			assert_memory_equal(s.p, in.p ? in.p : "", in.len);
		} else
			assert_true(has_fffd(s.p, s.len));
		evp_arena_reset(&a);
	}
	evp_arena_release(&a);
	evp_buf_release(&in);
	evp_buf_release(&lit);
}

/* What a sink writes for rows (fields split at '|', "~" for null). */
static void
sink_is(const char *names, const unsigned char *numeric,
    const char *const *rows, const char *want)
{
	struct tu_header h;
	struct evp_ofile f;
	struct evp_jsonsink s;
	int fd;
	char *path = tu_mkstemp("jsonout", &fd);
	char got[1024];

	tu_header_init(&h, names);
	evp_ofile_attach(&f, fd, path);
	evp_jsonsink_init(&s, &f, numeric);
	assert_int_equal(evp_sink_start(&s.sink, &h.h), 0);
	for (size_t i = 0; rows[i] != NULL; i++) {
		struct evp_str v[8];
		size_t n = 0;
		for (const char *p = rows[i];; ) {
			size_t len = strcspn(p, "|");
			v[n++] = len == 1 && *p == '~' ? (struct evp_str){ NULL, 0 } :
			    (struct evp_str){ p, len };
			if (p[len] == '\0')
				break;
			p += len + 1;
		}
		struct evp_rec r = { n, v, { "t", i + 2 }, { NULL, 0 } };
		assert_int_equal(evp_sink_put(&s.sink, &r), 0);
	}
	assert_int_equal(evp_sink_end(&s.sink), 0);
	assert_int_equal(evp_ofile_commit(&f), 0);
	ssize_t n = pread(fd, got, sizeof(got) - 1, 0);
	assert_true(n >= 0);
	got[n] = '\0';
	if (strcmp(got, want) != 0)
		fail_msg("got:\n%swant:\n%s", got, want);
	/* And it reads as JSON. */
	struct evp_arena a;
	struct evp_jdoc d;
	struct evp_verdict vd;
	evp_arena_init(&a);
	if (evp_json_parse(&d, got, (size_t)n, 8, 0, &a, &vd) < 0)
		fail_msg("not JSON: %s", vd.detail);
	assert_int_equal(d.tok[0].type, EVP_JSON_ARRAY);
	evp_arena_release(&a);
	evp_jsonsink_release(&s);
	close(fd);
	unlink(path);
	free(path);
	tu_header_free(&h);
}

static void
test_sink(void **state)
{
	static const unsigned char num[] = { 0, 1, 1 };
	static const char *const none[] = { NULL };
	static const char *const rows[] = { "a|1|2.50", "b \"q\"|0|~", "~|~|-1",
	    NULL };

	(void)state;
	sink_is("k,n,m", num, none, "[]\n");
	sink_is("k,n,m", num, rows, "[\n"
	    "{\"k\": \"a\", \"n\": 1, \"m\": 2.50},\n"
	    "{\"k\": \"b \\\"q\\\"\", \"n\": 0, \"m\": null},\n"
	    "{\"k\": null, \"n\": null, \"m\": -1}\n"
	    "]\n");
	/* No numeric flags: every field a string; keys escaped too. */
	static const char *const one[] = { "1|x", NULL };
	sink_is("a\"b,c", NULL, one, "[\n{\"a\\\"b\": \"1\", \"c\": \"x\"}\n]\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
