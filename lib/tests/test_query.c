/*
 * Unit tests for lib/query: query strings, paths and URLs (SPEC sections
 * 3 and 9).  Every input is copied into a heap block of exactly its
 * length, so a build with -fsanitize=address catches a read past n.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/diag.h"
#include "formats/query.h"
#include "core/row.h"

enum { EVENT_ID, TIMESTAMP, TYPE, PARENT, USER, ADVERTISER, DEVICE, PRICE, NCOL };

static const struct evp_str colnames[NCOL] = {
	EVP_STR("eventId"), EVP_STR("eventTimestamp"), EVP_STR("eventType"),
	EVP_STR("parentEventId"), EVP_STR("userId"), EVP_STR("advertiserId"),
	EVP_STR("deviceId"), EVP_STR("price")
};
static const struct evp_header cols = { NCOL, colnames, { NULL, 0 }, 0, NULL };
static struct evp_str pathnames[] = { EVP_STR("/event"), EVP_STR("/event_collector") };
static const struct evp_names paths = { 2, pathnames, NULL };
static const struct evp_query_opts opts = { &cols, &paths, "no_event_fields",
    NULL };

static struct evp_arena arena;
static struct evp_str vals[NCOL];
static struct evp_verdict verdict;
static char *copy;

/* A literal with its exact length, so embedded NULs are kept. */
#define L(lit)	(lit), (sizeof(lit) - 1)

static int
parse(const char *s, size_t n)
{
	free(copy);
	copy = malloc(n > 0 ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	evp_arena_reset(&arena);
	verdict.reason = NULL;
	verdict.detail[0] = '\0';
	for (int i = 0; i < NCOL; i++)
		vals[i] = (struct evp_str){ "unset", 5 };
	return evp_query_parse(&opts, copy, n, &arena, vals, &verdict);
}

static int
teardown(void **state)
{
	(void)state;
	free(copy);
	copy = NULL;
	return 0;
}

/* ---- accepted lines ---- */

struct ok {
	const char	*s;
	size_t		 len;
	const char	*want[NCOL];	/* NULL: empty */
};

static const struct ok oks[] = {
	/* SPEC section 9, in order. */
	{ L("eventId=event1&eventTimestamp=10:00&parentEventId=&userId=user1"
	    "&advertiserId=adv1&deviceId=&price=10"),
	    { "event1", "10:00", NULL, NULL, "user1", "adv1", NULL, "10" } },
	{ L("eventId=event2&eventTimestamp=10:01&parentEventId=&userId=user2"
	    "&advertiserId=adv2&deviceId=&price=10"),
	    { "event2", "10:01", NULL, NULL, "user2", "adv2", NULL, "10" } },
	{ L("eventId=event3&eventTimestamp=10:11&eventType=impression"
	    "&parentEventId=event1&userId=user1&advertiserId=adv1&deviceId=dev1"
	    "&price="),
	    { "event3", "10:11", "impression", "event1", "user1", "adv1", "dev1",
	      NULL } },
	{ L("eventId=event4&eventTimestamp=10:00&eventType=&parentEventId=event1"
	    "&userId=user1&advertiserId=adv1&deviceId=&price="),
	    { "event4", "10:00", NULL, "event1", "user1", "adv1", NULL, NULL } },
	{ L("eventId=event5&eventTimestamp=10:11&eventType=click"
	    "&parentEventId=event2&userId=user2&advertiserId=adv2&deviceId="
	    "&price="),
	    { "event5", "10:11", "click", "event2", "user2", "adv2", NULL, NULL } },

	/* Decoding. */
	{ L("eventId=a+b&userId=c%20d&price=+%20+"),
	    { "a b", NULL, NULL, NULL, "c d", NULL, NULL, "   " } },
	{ L("eventId=%2c%2C%3a%3A&userId=%41%61"),
	    { ",,::", NULL, NULL, NULL, "Aa", NULL, NULL, NULL } },
	{ L("eventId=%25&userId=%2B+&price=%2525"),
	    { "%", NULL, NULL, NULL, "+ ", NULL, NULL, "%25" } },
	{ L("eventTimestamp=2026-11-01T10%3A05%3A30%2B02%3A00"),
	    { NULL, "2026-11-01T10:05:30+02:00", NULL, NULL, NULL, NULL, NULL,
	      NULL } },
	{ L("eventId=%C3%A9&userId=%e6%97%a5&deviceId=%F0%9F%98%80"),
	    { "\xC3\xA9", NULL, NULL, NULL, "\xE6\x97\xA5", NULL,
	      "\xF0\x9F\x98\x80", NULL } },
	{ L("eventId=caf\xC3\xA9"),
	    { "caf\xC3\xA9", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
	{ L("eventId=a=b&userId=="),
	    { "a=b", NULL, NULL, NULL, "=", NULL, NULL, NULL } },
	{ L("event%49d=x"),
	    { "x", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },

	/* Unknown keys ignored, also repeated; missing keys empty. */
	{ L("foo=1&eventId=e&bar=%20&foo=2&utm_source=x&foo"),
	    { "e", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
	{ L("userId=u"), { NULL, NULL, NULL, NULL, "u", NULL, NULL, NULL } },
	{ L("EventId=x&eventid=y&price=1"),
	    { NULL, NULL, NULL, NULL, NULL, NULL, NULL, "1" } },

	/* Empty pairs, keys without '='. */
	{ L("eventId=e&&userId=u&"),
	    { "e", NULL, NULL, NULL, "u", NULL, NULL, NULL } },
	{ L("&&eventId=e"), { "e", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
	{ L("eventId&userId=u"),
	    { NULL, NULL, NULL, NULL, "u", NULL, NULL, NULL } },
	{ L("flag&eventId=e&other"),
	    { "e", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },

	/* Paths and URLs. */
	{ L("http://h:5000/event_collector?eventId=e1&userId=u"),
	    { "e1", NULL, NULL, NULL, "u", NULL, NULL, NULL } },
	{ L("https://example.com/event?eventId=e1"),
	    { "e1", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
	{ L("HTTP://H:80/event?eventId=e1"),
	    { "e1", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
	{ L("/event?eventId=e1&price=2"),
	    { "e1", NULL, NULL, NULL, NULL, NULL, NULL, "2" } },
	{ L("/event_collector?eventId=e1"),
	    { "e1", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
	{ L("?eventId=e1"), { "e1", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
	{ L("/event?eventId=/event?x"),
	    { "/event?x", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
};

static void
test_accepted(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(oks) / sizeof(oks[0]); i++) {
		const struct ok *c = &oks[i];
		if (parse(c->s, c->len) != 0)
			fail_msg("refused '%.*s': %s: %s", (int)c->len, c->s,
			    verdict.reason, verdict.detail);
		for (int k = 0; k < NCOL; k++) {
			const char *w = c->want[k] ? c->want[k] : "";
			if (vals[k].p == NULL || !evp_str_eqs(vals[k], w))
				fail_msg("'%.*s': %s is '%.*s', want '%s'",
				    (int)c->len, c->s, colnames[k].p,
				    vals[k].p ? (int)vals[k].len : 6,
				    vals[k].p ? vals[k].p : "(null)", w);
		}
	}
}

/* ---- refused lines ---- */

struct bad {
	const char	*s;
	size_t		 len;
	const char	*reason;
};

static const struct bad bads[] = {
	{ L("eventId=%zz"), "bad_percent_escape" },
	{ L("eventId=%4"), "bad_percent_escape" },
	{ L("eventId=%"), "bad_percent_escape" },
	{ L("eventId=a%4g"), "bad_percent_escape" },
	{ L("eventId=e&userId=%"), "bad_percent_escape" },
	{ L("eventId=%%41"), "bad_percent_escape" },
	{ L("event%zzId=e"), "no_event_fields" },	/* names no column */

	{ L("eventId=a&eventId=b"), "repeated_key" },
	{ L("eventId=a&eventId=a"), "repeated_key" },
	{ L("eventId=&eventId="), "repeated_key" },
	{ L("eventId=a&eventId"), "repeated_key" },
	{ L("eventId=a&event%49d=b"), "repeated_key" },
	{ L("price=1&userId=u&price=2"), "repeated_key" },

	{ L("eventId=%00"), "control_char" },
	{ L("eventId=a%0Ab"), "control_char" },
	{ L("eventId=%0a"), "control_char" },
	{ L("eventId=%0D"), "control_char" },
	{ L("eventId=%1F"), "control_char" },
	{ L("eventId=%7F"), "control_char" },
	{ L("eventId=%09"), "control_char" },
	{ L("eventId=a\tb"), "control_char" },
	{ L("eventId=a\x7f"), "control_char" },
	{ L("eventId=a\0b"), "control_char" },
	{ L("eventId=e&userId=%00"), "control_char" },

	{ L("eventId=%FF"), "invalid_utf8" },
	{ L("eventId=%C0%AF"), "invalid_utf8" },
	{ L("eventId=%E0%80%AF"), "invalid_utf8" },
	{ L("eventId=%ED%A0%80"), "invalid_utf8" },
	{ L("eventId=%F4%90%80%80"), "invalid_utf8" },
	{ L("eventId=%C3"), "invalid_utf8" },
	{ L("eventId=%C3x"), "invalid_utf8" },
	{ L("eventId=%80"), "invalid_utf8" },
	{ L("eventId=\xFF"), "invalid_utf8" },
	{ L("eventId=\xC3"), "invalid_utf8" },

	{ L("foo=1&bar=2"), "no_event_fields" },
	{ L(""), "no_event_fields" },
	{ L("&&"), "no_event_fields" },
	{ L("?"), "no_event_fields" },
	{ L("/event?"), "no_query" },	/* an empty query string */
	{ L("/event?utm=1"), "no_event_fields" },

	{ L("/health?x=1"), "not_event_path" },
	{ L("/favicon.ico"), "not_event_path" },
	{ L("/eventx?eventId=e"), "not_event_path" },
	{ L("/even?eventId=e"), "not_event_path" },
	{ L("/event/x?eventId=e"), "not_event_path" },
	{ L("/Event?eventId=e"), "not_event_path" },
	{ L("/?eventId=e"), "not_event_path" },
	{ L("http://h:5000/?eventId=e"), "not_event_path" },
	{ L("http://h:5000?eventId=e"), "not_event_path" },
	{ L("https://h/health"), "not_event_path" },

	{ L("/event"), "no_query" },
	{ L("/event_collector"), "no_query" },
	{ L("http://h:5000/event_collector"), "no_query" },
	{ L("https://h/event"), "no_query" },

	{ L("eventId=a b"), "bad_query" },
	{ L("eventId=e "), "bad_query" },
	{ L("/event?eventId=a b"), "bad_query" },
	{ L("http://h/event?eventId=e1 HTTP/1.1"), "bad_query" },
};

static void
test_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *c = &bads[i];
		if (parse(c->s, c->len) == 0)
			fail_msg("accepted '%.*s', want %s", (int)c->len, c->s,
			    c->reason);
		if (verdict.reason == NULL || strcmp(verdict.reason, c->reason) != 0)
			fail_msg("'%.*s': %s (%s), want %s", (int)c->len, c->s,
			    verdict.reason ? verdict.reason : "(no reason)",
			    verdict.detail, c->reason);
		if (verdict.detail[0] == '\0')
			fail_msg("'%.*s': %s with no detail", (int)c->len, c->s,
			    c->reason);
	}
}

/* evp_query_decode on its own, with other columns. */
static void
test_decode(void **state)
{
	static const struct evp_str names[] = { EVP_STR("a"), EVP_STR("b c") };
	static const struct evp_header h = { 2, names, { NULL, 0 }, 0, NULL };
	static const struct evp_query_opts o = { &h, &paths, "no_event_fields",
	    NULL };
	static const char q1[] = "b+c=%20x&a=1&z=9";
	struct evp_str v[2];
	struct evp_verdict vd;

	(void)state;
	evp_arena_reset(&arena);
	assert_int_equal(evp_query_decode(&o, q1, sizeof(q1) - 1, &arena, v, &vd), 0);
	assert_true(evp_str_eqs(v[0], "1"));
	assert_true(evp_str_eqs(v[1], " x"));

	/* Only the first n bytes count. */
	assert_int_equal(evp_query_decode(&o, q1, 8, &arena, v, &vd), 0);
	assert_true(evp_str_eqs(v[0], ""));
	assert_true(evp_str_eqs(v[1], " x"));
	assert_int_equal(evp_query_decode(&o, "a=1%", 3, &arena, v, &vd), 0);
	assert_true(evp_str_eqs(v[0], "1"));

	vd.reason = NULL;
	assert_int_equal(evp_query_decode(&o, "z=1", 3, &arena, v, &vd), -1);
	assert_string_equal(vd.reason, "no_event_fields");
}

static void
test_path_ok(void **state)
{
	(void)state;
	assert_true(evp_query_path_ok(&paths, L("/event")));
	assert_true(evp_query_path_ok(&paths, L("/event_collector")));
	assert_false(evp_query_path_ok(&paths, L("/event_")));
	assert_false(evp_query_path_ok(&paths, L("/even")));
	assert_false(evp_query_path_ok(&paths, L("")));
	assert_true(evp_query_path_ok(&paths, "/event?x", 6));
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_accepted),
		T(test_refused),
		T(test_decode),
		T(test_path_ok),
	};
	int failed;

	evp_diag_init("test_query");
	evp_arena_init(&arena);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	evp_arena_release(&arena);
	return failed;
}
