#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "formats/accesslog.h"
#include "core/arena.h"
#include "core/row.h"

enum { EVENT_ID, TIMESTAMP, TYPE, PARENT, USER, ADVERTISER, DEVICE, PRICE, NCOL };

static const struct evp_str colnames[NCOL] = {
	EVP_STR("eventId"), EVP_STR("eventTimestamp"), EVP_STR("eventType"),
	EVP_STR("parentEventId"), EVP_STR("userId"), EVP_STR("advertiserId"),
	EVP_STR("deviceId"), EVP_STR("price")
};
static const struct evp_header cols = { .n = NCOL, .name = colnames };
static struct evp_str pathnames[] = { EVP_STR("/event"), EVP_STR("/event_collector") };
static const struct evp_names paths = { 2, pathnames, NULL };
static const struct evp_access_opts opts = {
	{ &cols, &paths, "no_event_fields", NULL }, NULL, 0
};

/* Run from the repository root, as make check does. */
#define REALWORLD	"../shared/realworld/apache_combined_2015.log"

static struct evp_arena arena;
static struct evp_str vals[NCOL];
static struct evp_verdict verdict;

static int
parse(const char *s, size_t n)
{
	evp_arena_reset(&arena);
	verdict.reason = NULL;
	verdict.detail[0] = '\0';
	return evp_access_parse(&opts, s, n, &arena, vals, &verdict);
}

/* Literals may hold NUL bytes: keep their length. */
#define L(lit)	(lit), (sizeof(lit) - 1)

static void
val_is(int col, const char *want, size_t len)
{
	if (vals[col].len != len || (len > 0 && memcmp(vals[col].p, want, len) != 0))
		fail_msg("column %d: got '%.*s' (%zu bytes), want '%.*s'", col,
		    (int)vals[col].len, vals[col].p, vals[col].len, (int)len, want);
}
#define VAL(col, lit)	val_is((col), L(lit))

static void
ok_line(const char *s, size_t n)
{
	if (parse(s, n) != 0)
		fail_msg("refused '%.*s': %s: %s", (int)n, s, verdict.reason,
		    verdict.detail);
}
#define OK(lit)	ok_line(L(lit))

static void
refused(const char *s, size_t n, const char *reason)
{
	if (parse(s, n) != -1)
		fail_msg("accepted '%.*s', want %s", (int)n, s, reason);
	if (verdict.reason == NULL || strcmp(verdict.reason, reason) != 0)
		fail_msg("'%.*s': got %s (%s), want %s", (int)n, s,
		    verdict.reason ? verdict.reason : "(null)", verdict.detail,
		    reason);
	assert_true(verdict.detail[0] != '\0');
}
#define NO(lit, reason)	refused(L(lit), (reason))

static void
detail_has(const char *what)
{
	if (strstr(verdict.detail, what) == NULL)
		fail_msg("detail '%s' lacks '%s'", verdict.detail, what);
}

#define DATE	"[10/Oct/2023:13:55:36 +0200]"
#define UA	"\"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/118.0\""

static void
test_nginx_combined(void **state)
{
	(void)state;
	OK("203.0.113.9 - - " DATE " \"GET /event_collector?eventId=e1&"
	    "eventTimestamp=10:00&eventType=click&parentEventId=e0&userId=u1&"
	    "advertiserId=a1&deviceId=d1&price=10 HTTP/1.1\" 200 0 \"-\" " UA);
	VAL(EVENT_ID, "e1");
	VAL(TIMESTAMP, "10:00");
	VAL(TYPE, "click");
	VAL(PARENT, "e0");
	VAL(USER, "u1");
	VAL(ADVERTISER, "a1");
	VAL(DEVICE, "d1");
	VAL(PRICE, "10");

	/* Missing keys are empty; other keys ignored. */
	OK("::1 - - [01/Jan/2024:00:00:00 -0500] \"GET /event?eventId=e2&utm=x"
	    " HTTP/2.0\" 204 0 \"https://shop.example/p?id=1\" \"curl/8.0\"");
	VAL(EVENT_ID, "e2");
	VAL(TIMESTAMP, "");
	VAL(PRICE, "");
}

static void
test_common(void **state)
{
	(void)state;
	OK("10.1.2.3 - - " DATE " \"GET /event?eventId=e3&price=0.25 HTTP/1.1\" 200 -");
	VAL(EVENT_ID, "e3");
	VAL(PRICE, "0.25");
	OK("10.1.2.3 - - " DATE " \"GET /event?eventId=e4 HTTP/1.1\" 200 1234");
	VAL(EVENT_ID, "e4");
	/* Apache logs "-" for a status it never set. */
	OK("10.1.2.3 - - " DATE " \"GET /event?eventId=e5 HTTP/1.1\" - -");
	VAL(EVENT_ID, "e5");
}

static void
test_apache_combined(void **state)
{
	(void)state;
	OK("192.168.0.7 - frank [17/May/2015:10:05:03 +0000] \"GET "
	    "/event_collector?eventId=ap1&userId=user%201 HTTP/1.1\" 200 203023 "
	    "\"http://semicomplete.com/presentations/\" \"Mozilla/5.0 (Macintosh;"
	    " Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko)\"");
	VAL(EVENT_ID, "ap1");
	VAL(USER, "user 1");
}

static void
test_user_with_space(void **state)
{
	(void)state;
	OK("10.0.0.1 - john smith " DATE " \"GET /event?eventId=e6 HTTP/1.1\" 200 5");
	VAL(EVENT_ID, "e6");
	/* A '[' in the user that does not open a date is part of the user. */
	OK("10.0.0.1 - a [b] c [x " DATE " \"GET /event?eventId=e7 HTTP/1.1\" 200 5");
	VAL(EVENT_ID, "e7");
	OK("10.0.0.1 - \"\" " DATE " \"GET /event?eventId=e8 HTTP/1.1\" 200 5"
	    " \"-\" \"-\"");
	VAL(EVENT_ID, "e8");
}

static void
test_escapes(void **state)
{
	(void)state;
	/* nginx: \xHH for '"', '\', control and non-ASCII bytes. */
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=a\\x22b&userId=c\\x5Cd&"
	    "deviceId=\\xC3\\xA9 HTTP/1.1\" 200 0 \"-\" \"Agent \\x22quoted\\x22\"");
	VAL(EVENT_ID, "a\"b");
	VAL(USER, "c\\d");
	VAL(DEVICE, "\xC3\xA9");
	/* Apache: \" \\ and lower-case \xhh. */
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=a\\\"b&userId=c\\\\d&"
	    "deviceId=\\xc3\\xa9 HTTP/1.1\" 200 0 \"-\" \"Agent \\\"quoted\\\" "
	    "\\\\\"");
	VAL(EVENT_ID, "a\"b");
	VAL(USER, "c\\d");
	VAL(DEVICE, "\xC3\xA9");
	/* An escaped control byte reaches the query check, which refuses it. */
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a\\nb HTTP/1.1\" 200 0",
	    "control_char");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a\\x00b HTTP/1.1\" 200 0",
	    "control_char");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a\\xffb HTTP/1.1\" 200 0",
	    "invalid_utf8");
	/* An escape neither server writes, and a broken \x. */
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a\\qb HTTP/1.1\" 200 0",
	    "bad_access_line");
	detail_has("escape");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200 0 \"-\""
	    " \"ua \\x4\"", "bad_access_line");
	/* An escaped quote does not end the field. */
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200 0 \"-\""
	    " \"ua \\\"", "bad_access_line");
	detail_has("unterminated");
}

static void
test_percent(void **state)
{
	(void)state;
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=a%20b+c&deviceId=d%2Fe&"
	    "userId=%C3%A9t%c3%a9 HTTP/1.1\" 200 0");
	VAL(EVENT_ID, "a b c");
	VAL(DEVICE, "d/e");
	VAL(USER, "\xC3\xA9t\xC3\xA9");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a%2 HTTP/1.1\" 200 0",
	    "bad_percent_escape");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a&eventId=b HTTP/1.1\" 200 0",
	    "repeated_key");
	NO("1.2.3.4 - - " DATE " \"GET /event?foo=bar HTTP/1.1\" 200 0",
	    "no_event_fields");
	NO("1.2.3.4 - - " DATE " \"GET /event? HTTP/1.1\" 200 0", "no_query");
}

static void
test_protocols(void **state)
{
	(void)state;
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=h10 HTTP/1.0\" 200 0");
	VAL(EVENT_ID, "h10");
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=h09\" 200 0");
	VAL(EVENT_ID, "h09");
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=h2 HTTP/2\" 200 0");
	VAL(EVENT_ID, "h2");
	/* A raw space in the target, or a protocol that is not one. */
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a b HTTP/1.1\" 200 0",
	    "bad_access_line");
	detail_has("request");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a FTP/1.0\" 200 0",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET  /event?eventId=a HTTP/1.1\" 200 0",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET\" 400 0", "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a HTTP/\" 200 0",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a HTTP/1.1x\" 200 0",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=a HTTP/1.\" 200 0",
	    "bad_access_line");
}

static void
test_methods(void **state)
{
	(void)state;
	NO("1.2.3.4 - - " DATE " \"POST /event?eventId=e1 HTTP/1.1\" 200 0",
	    "bad_method");
	detail_has("POST");
	NO("1.2.3.4 - - " DATE " \"HEAD /event?eventId=e1 HTTP/1.1\" 200 0",
	    "bad_method");
	NO("1.2.3.4 - - " DATE " \"get /event?eventId=e1 HTTP/1.1\" 200 0",
	    "bad_method");
	NO("1.2.3.4 - - " DATE " \"GEt /event?eventId=e1 HTTP/1.1\" 200 0",
	    "bad_method");
	NO("1.2.3.4 - - " DATE " \"GETS /event?eventId=e1 HTTP/1.1\" 200 0",
	    "bad_method");
	/* No request line at all: Apache writes "-", nginx "": no path. */
	NO("1.2.3.4 - - " DATE " \"-\" 408 -", "not_event_path");
	NO("1.2.3.4 - - " DATE " \"\" 400 0 \"-\" \"-\"", "not_event_path");
	/* A TLS handshake sent to a plain port, as nginx logs it. */
	NO("1.2.3.4 - - " DATE " \"\\x16\\x03\\x01\\x02\\x00\\x01\" 400 157 \"-\" \"-\"",
	    "bad_access_line");
	detail_has("\\x16");
}

static void
test_paths(void **state)
{
	(void)state;
	NO("1.2.3.4 - - " DATE " \"GET /health HTTP/1.1\" 200 2", "not_event_path");
	detail_has("/health");
	NO("1.2.3.4 - - " DATE " \"GET /favicon.ico HTTP/1.1\" 404 0 \"-\" " UA,
	    "not_event_path");
	detail_has("/favicon.ico");
	NO("1.2.3.4 - - " DATE " \"GET /events?eventId=e1 HTTP/1.1\" 200 0",
	    "not_event_path");
	NO("1.2.3.4 - - " DATE " \"GET /event/?eventId=e1 HTTP/1.1\" 200 0",
	    "not_event_path");
	NO("1.2.3.4 - - " DATE " \"GET /?eventId=e1 HTTP/1.1\" 200 0",
	    "not_event_path");
	/* The path is checked before the method. */
	NO("1.2.3.4 - - " DATE " \"OPTIONS * HTTP/1.1\" 200 0", "not_event_path");
	NO("1.2.3.4 - - " DATE " \"POST /favicon.ico HTTP/1.1\" 404 0",
	    "not_event_path");
	/* The detail is cut to about 80 bytes. */
	NO("1.2.3.4 - - " DATE " \"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\" 404 0", "not_event_path");
	assert_true(strlen(verdict.detail) < 100);
	NO("1.2.3.4 - - " DATE " \"GET /event HTTP/1.1\" 200 0", "no_query");
	NO("1.2.3.4 - - " DATE " \"GET /event_collector HTTP/1.0\" 200 0 \"-\" \"-\"",
	    "no_query");
}

static void
test_absolute_url(void **state)
{
	(void)state;
	OK("1.2.3.4 - - " DATE " \"GET http://ads.example:5000/event_collector?"
	    "eventId=abs1 HTTP/1.1\" 200 0");
	VAL(EVENT_ID, "abs1");
	OK("1.2.3.4 - - " DATE " \"GET HTTPS://ads.example/event?eventId=abs2"
	    " HTTP/1.1\" 200 0");
	VAL(EVENT_ID, "abs2");
	NO("1.2.3.4 - - " DATE " \"GET http://ads.example/health?eventId=x"
	    " HTTP/1.1\" 200 0", "not_event_path");
	NO("1.2.3.4 - - " DATE " \"GET http://ads.example/event HTTP/1.1\" 200 0",
	    "no_query");
}

static void
test_trailing(void **state)
{
	(void)state;
	/* Fields appended after combined are ignored. */
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=t1 HTTP/1.1\" 200 0 \"-\" "
	    UA " \"198.51.100.1\" 0.003");
	VAL(EVENT_ID, "t1");
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=t2 HTTP/1.1\" 200 0 \"-\" \"-\" ");
	VAL(EVENT_ID, "t2");
	/* But not after common, nor glued to the closing quote. */
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=t3 HTTP/1.1\" 200 0 0.003",
	    "bad_access_line");
	detail_has("referer");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=t3 HTTP/1.1\" 200 0 x\" \"-\"",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=t3 HTTP/1.1\" 200 0 \"-\"",
	    "bad_access_line");
	detail_has("user agent");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=t3 HTTP/1.1\" 200 0 \"-\" \"-\"x",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=t3 HTTP/1.1\" 200 0 ",
	    "bad_access_line");
}

static void
test_malformed(void **state)
{
	(void)state;
	NO("", "bad_access_line");
	NO("garbage", "bad_access_line");
	NO("hello world, this is not a log line", "bad_access_line");
	NO("eventId=e1&eventTimestamp=10:00", "bad_access_line");
	NO("{\"eventId\":\"e1\"}", "bad_access_line");
	NO("1.2.3.4 - - [10/Foo/2023:13:55:36 +0200] \"GET /event?eventId=e1 "
	    "HTTP/1.1\" 200 0", "bad_access_line");
	detail_has("date");
	NO("1.2.3.4 - - [10/Oct/2023 13:55:36 +0200] \"GET /event?eventId=e1 "
	    "HTTP/1.1\" 200 0", "bad_access_line");
	NO("1.2.3.4 - - [10/Oct/2023:13:55:36] \"GET /event?eventId=e1 HTTP/1.1\""
	    " 200 0", "bad_access_line");
	NO("1.2.3.4 - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200 0",
	    "bad_access_line");
	/* The date must follow a space: "bob[" is no user and date. */
	NO("1.2.3.4 - bob" DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200 0",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " GET /event?eventId=e1 HTTP/1.1 200 0",
	    "bad_access_line");
	detail_has("request");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 2xx 0",
	    "bad_access_line");
	detail_has("status");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200 12k",
	    "bad_access_line");
	detail_has("bytes");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\"200 0",
	    "bad_access_line");
	/* A NUL or other raw control byte: neither server writes one. */
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e\0 HTTP/1.1\" 200 0",
	    "bad_access_line");
	detail_has("control");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200 0 \"-\" \"a\0b\"",
	    "bad_access_line");
	NO("1.2.3.4 - - " DATE " \"GET /event?eventId=e1\tHTTP/1.1\" 200 0",
	    "bad_access_line");
}

/* Every cut of a valid line is refused, except the one that is common format. */
static void
test_truncated(void **state)
{
	static const char line[] = "1.2.3.4 - - " DATE " \"GET /event?eventId=e1"
	    " HTTP/1.1\" 200 - \"http://ref.example/\" " UA;
	size_t n = sizeof(line) - 1, common = strstr(line, " - \"http") - line + 2;

	(void)state;
	OK("1.2.3.4 - - " DATE " \"GET /event?eventId=e1 HTTP/1.1\" 200 - "
	    "\"http://ref.example/\" " UA);
	for (size_t k = 0; k < n; k++) {
		/* A copy of exactly k bytes, so ASan sees a read past the cut. */
		char *cut = malloc(k ? k : 1);
		assert_non_null(cut);
		memcpy(cut, line, k);
		if (k == common) {
			ok_line(cut, k);
			VAL(EVENT_ID, "e1");
		} else
			refused(cut, k, "bad_access_line");
		free(cut);
	}
}

/*
 * Columns from the line's own fields, the Werkzeug line, a configured
 * method, and the time as ISO 8601 or UTC.
 */
static void
test_fields(void **state)
{
	static const struct evp_str names[] = {
		EVP_STR("uuid"), EVP_STR("date"), EVP_STR("url"), EVP_STR("m"),
		EVP_STR("c"), EVP_STR("s"), EVP_STR("p"), EVP_STR("none")
	};
	static const struct evp_header h = { .n = 8, .name = names };
	static const unsigned char src[] = { EVP_SRC_KEY, EVP_SRC_TIME,
	    EVP_SRC_ENDPOINT, EVP_SRC_METHOD, EVP_SRC_CLIENT, EVP_SRC_STATUS,
	    EVP_SRC_PATH, EVP_SRC_NONE };
	static struct evp_str pn[] = { EVP_STR("/initial"), EVP_STR("/followup") };
	static const struct evp_names ps = { 2, pn, NULL };
	static struct evp_str mn[] = { EVP_STR("POST") };
	static const struct evp_names ms = { 1, mn, NULL };
	struct evp_access_opts o = { { &h, &ps, NULL, src }, &ms, 0 };
	struct evp_str v[8];
	const char *wz = "127.0.0.1 - - [28/Jun/2017 19:34:14] \"POST "
	    "/initial?uuid=u1&symbol=e HTTP/1.1\" 200 -";
	const char *ng = "10.0.0.1 - - [29/Jun/2017:00:30:00 +0100] \"POST "
	    "/followup?uuid=u2 HTTP/1.1\" 201 5 \"-\" \"curl\"";
	(void)state;

#define HAS(i, s)	assert_true(evp_str_eqs(v[i], s))
	memset(v, 0, sizeof(v));
	assert_int_equal(evp_access_parse(&o, wz, strlen(wz), &arena, v,
	    &verdict), 0);
	HAS(0, "u1"); HAS(1, "2017-06-28T19:34:14Z"); HAS(2, "initial");
	HAS(3, "POST"); HAS(4, "127.0.0.1"); HAS(5, "200"); HAS(6, "/initial");
	HAS(7, "");
	memset(v, 0, sizeof(v));
	o.utc = 1;
	assert_int_equal(evp_access_parse(&o, ng, strlen(ng), &arena, v,
	    &verdict), 0);
	HAS(0, "u2"); HAS(1, "2017-06-28 23:30:00"); HAS(2, "followup");
	HAS(5, "201"); HAS(6, "/followup");
	/* GET to an event path: bad_method; to another path: not_event_path. */
	const char *get = "1.2.3.4 - - [28/Jun/2017 19:34:14] \"GET "
	    "/initial?uuid=u1 HTTP/1.1\" 405 -";
	memset(v, 0, sizeof(v));
	assert_int_equal(evp_access_parse(&o, get, strlen(get), &arena, v,
	    &verdict), -1);
	assert_string_equal(verdict.reason, "bad_method");
	const char *fav = "1.2.3.4 - - [28/Jun/2017 19:34:14] \"POST "
	    "/favicon.ico HTTP/1.1\" 404 -";
	memset(v, 0, sizeof(v));
	assert_int_equal(evp_access_parse(&o, fav, strlen(fav), &arena, v,
	    &verdict), -1);
	assert_string_equal(verdict.reason, "not_event_path");
	/* A date that is no day. */
	const char *bad = "1.2.3.4 - - [31/Jun/2017 19:34:14] \"POST "
	    "/initial?uuid=u1 HTTP/1.1\" 200 -";
	memset(v, 0, sizeof(v));
	assert_int_equal(evp_access_parse(&o, bad, strlen(bad), &arena, v,
	    &verdict), -1);
	assert_string_equal(verdict.reason, "bad_access_line");
	/* The host field as @client must be UTF-8. */
	const char *host = "1\xb1 - - [28/Jun/2017 19:34:14] \"POST "
	    "/initial?uuid=u1 HTTP/1.1\" 200 -";
	memset(v, 0, sizeof(v));
	assert_int_equal(evp_access_parse(&o, host, strlen(host), &arena, v,
	    &verdict), -1);
	assert_string_equal(verdict.reason, "invalid_utf8");
	assert_true(evp_access_sniff(wz, strlen(wz)));
#undef HAS
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_true(evp_access_sniff(L("1.2.3.4 - - " DATE " \"GET / HTTP/1.1\" 200 0")));
	assert_true(evp_access_sniff(L("h - john smith " DATE " \"GET /x")));
	assert_false(evp_access_sniff(L("1.2.3.4 - - " DATE " GET")));
	assert_false(evp_access_sniff(L("eventId=e1&eventTimestamp=10:00")));
	assert_false(evp_access_sniff(L("/event?eventId=e1")));
	assert_false(evp_access_sniff(L("{\"eventId\":\"e1\"}")));
	assert_false(evp_access_sniff(L("eventId,eventTimestamp,eventType")));
	assert_false(evp_access_sniff(L("")));
}

/*
 * A real Apache log holds no event requests: every line must be refused
 * with a reason.  Line 8899 ends inside its user agent (the published file
 * cuts it: "...google.com/bot.html" with no closing quote), the one line
 * that really is malformed.
 */
static void
test_realworld(void **state)
{
	FILE *f = fopen(REALWORLD, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, nmethod = 0, npath = 0, nbad = 0, nother = 0;
	ssize_t len;

	(void)state;
	if (f == NULL) {
		print_message("cannot open %s (run from the repository root): "
		    "skipped\n", REALWORLD);
		skip();
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		size_t n = (size_t)len;
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (parse(line, n) != -1 || verdict.reason == NULL)
			fail_msg("line %zu accepted", lineno);
		if (strcmp(verdict.reason, "bad_method") == 0)
			nmethod++;
		else if (strcmp(verdict.reason, "not_event_path") == 0)
			npath++;
		else if (strcmp(verdict.reason, "bad_access_line") == 0) {
			if (lineno != 8899)
				fail_msg("line %zu: bad_access_line: %s", lineno,
				    verdict.detail);
			nbad++;
		} else {
			print_message("line %zu: %s: %s\n", lineno, verdict.reason,
			    verdict.detail);
			nother++;
		}
	}
	free(line);
	fclose(f);
	print_message("%zu lines: bad_method %zu, not_event_path %zu, "
	    "bad_access_line %zu, other %zu\n", lineno, nmethod, npath, nbad,
	    nother);
	assert_int_equal(lineno, 10000);
	/* No event path: the 42 HEAD, 5 POST and 1 OPTIONS too. */
	assert_int_equal(nmethod, 0);
	assert_int_equal(npath, 9999);
	assert_int_equal(nbad, 1);
	assert_int_equal(nother, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nginx_combined),
		cmocka_unit_test(test_common),
		cmocka_unit_test(test_apache_combined),
		cmocka_unit_test(test_user_with_space),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_absolute_url),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_realworld),
	};
	int failed;

	evp_arena_init(&arena);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	evp_arena_release(&arena);
	return failed;
}
