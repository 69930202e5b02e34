/*
 * Unit tests for the stages project and daily (the statistics of a
 * session stream, SPEC sections 10 and 13), driven through their sinks
 * with hand-computed expectations.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "stages/daily.h"
#include "stages/project.h"
#include "testutil.h"

static struct tu_header layout;
static struct tu_rejects rjs;
static struct tu_rows out1, out2;

static int
setup(void **state)
{
	(void)state;
	tu_header_init(&layout, "k,t,y");
	tu_rejects_open(&rjs, &layout.h);
	tu_rows_init(&out1);
	tu_rows_init(&out2);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rejects_close(&rjs);
	tu_rows_free(&out1);
	tu_rows_free(&out2);
	tu_header_free(&layout);
	return 0;
}

static void
rows_are(const struct tu_rows *r, const char *const *want, size_t n)
{
	struct evp_buf b = EVP_BUF_INIT;

	for (size_t i = 0; i < n && i < r->n; i++) {
		evp_buf_reset(&b);
		tu_rows_join(r, i, '|', &b);
		if (strcmp(b.p, want[i]) != 0) {
			char got[256];
			snprintf(got, sizeof(got), "%s", b.p);
			evp_buf_release(&b);
			fail_msg("row %zu: got '%s', want '%s'", i, got, want[i]);
		}
	}
	evp_buf_release(&b);
	assert_int_equal(r->n, n);
}

static void
names_are(const struct tu_rows *r, const char *want)
{
	struct evp_buf b = EVP_BUF_INIT;
	int same = strcmp(tu_rows_names(r, &b), want) == 0;

	evp_buf_release(&b);
	assert_true(same);
}

/* Records of one value, chosen, renamed, canonical and multiplied. */
static void
test_project(void **state)
{
	struct evp_project_opts o = { "y=tx", "k,amt=a:number,usd=a*r" };
	struct evp_project p;
	struct tu_header h;
	static const char *const want[] = { "1|0.99|1.287", "3||" };

	(void)state;
	assert_int_equal(evp_project_init(&p, &o, &rjs.rj, &out1.sink), 0);
	tu_header_init(&h, "k,y,a,r");
	assert_int_equal(evp_sink_start(&p.st.sink, &h.h), 0);
	tu_put(&p.st.sink, "in", 2, "1|tx|0.990|1.3", '|');
	tu_put(&p.st.sink, "in", 3, "2|reg|5|1", '|');
	tu_put(&p.st.sink, "in", 4, "3|tx||1.3", '|');
	tu_put(&p.st.sink, "in", 5, "4|tx|1e999999999|2", '|');
	tu_put(&p.st.sink, "in", 6, "5|tx|x|1", '|');
	assert_int_equal(evp_sink_end(&p.st.sink), 0);
	rows_are(&out1, want, 2);
	names_are(&out1, "k,amt,usd");
	tu_conserved(&p.st.count);
	assert_int_equal(p.st.count.in, 4);
	assert_int_equal(tu_reason_count(&p.st.count, "bad_number"), 2);
	evp_project_release(&p);
	tu_header_free(&h);
}

/* A bad column spec or condition is refused when set up. */
static void
test_project_bad(void **state)
{
	struct evp_project p;
	struct evp_project_opts o1 = { NULL, "a,=b" }, o2 = { "nothing", "a" },
	    o3 = { NULL, "x=a*" };

	(void)state;
	assert_int_equal(evp_project_init(&p, &o1, &rjs.rj, &out1.sink), -1);
	evp_project_release(&p);
	assert_int_equal(evp_project_init(&p, &o2, &rjs.rj, &out1.sink), -1);
	evp_project_release(&p);
	assert_int_equal(evp_project_init(&p, &o3, &rjs.rj, &out1.sink), -1);
	evp_project_release(&p);
}

/*
 * Two keys over two days (1970-01-01 and 02): a's session crosses
 * midnight (50400 s on day 0, 3600 on day 1), b's is not counted; z has
 * no first event and is left aside (its late event does not make a day).
 * Sums: 2.985 + 4.99 = 7.975, half to even 7.98; 2.985 alone is 2.98.
 */
static void
test_daily(void **state)
{
	struct evp_names first, count, attrs, kn, gn;
	struct evp_daily d;
	struct tu_header eh, sh;
	static const char *const keys[] = {
		"a|1970-01-01|DE|A|1|0|1|50400",
		"a|1970-01-02|DE|A|1|0|0|3600",
		"a||DE|A|2|0|1|54000",
		"b|1970-01-02|US||1|0|0|0",
		"b||US||1|0|0|0",
	};
	static const char *const groups[] = {
		"1970-01-01||1|1|0.00|1|1.00|50400.00",
		"1970-01-01|DE|1|1|0.00|1|1.00|50400.00",
		"1970-01-01|US|0|0|0.00|0||",
		"1970-01-02||2|2|7.98|0||3600.00",
		"1970-01-02|DE|1|1|2.98|0||3600.00",
		"1970-01-02|US|1|1|4.99|0||",
		"||2|3|7.98|1|1.00|54000.00",
		"|DE|1|2|2.98|1|1.00|54000.00",
		"|US|1|1|4.99|0||",
	};

	(void)state;
	evp_names_parse(&first, "reg");
	evp_names_parse(&count, "reg,in");
	evp_names_parse(&attrs, "c,n");
	evp_names_parse(&kn, "logins,since,sessions,seconds");
	evp_names_parse(&gn, "dau,logins,usd,paid,avg_s,avg_t");
	struct evp_daily_opts o = { "k", "t", "y", "c", "f", "s", &first,
	    &count, &attrs, &kn, &gn };
	assert_int_equal(evp_daily_init(&d, &o, &rjs.rj, &out1.sink,
	    &out2.sink), 0);
	tu_header_init(&eh, "k,t,y,c,n,f,s");
	tu_header_init(&sh, "k,start,end,seconds,counted");
	assert_int_equal(evp_sink_start(&d.st.sink, &eh.h), 0);
	assert_int_equal(evp_sink_start(&d.sessions, &sh.h), 0);
	tu_put(&d.st.sink, "e", 2, "a|36000|reg|DE|A|camp|", '|');
	tu_put(&d.st.sink, "e", 3, "z|100|in||||", '|');
	tu_put(&d.st.sink, "e", 4, "a|86500|in||||", '|');
	tu_put(&d.st.sink, "e", 5, "a|86600|tx||||2.985", '|');
	tu_put(&d.st.sink, "e", 6, "b|86410|reg|US|||", '|');
	tu_put(&d.st.sink, "e", 7, "b|86420|tx||||4.99", '|');
	tu_put(&d.st.sink, "e", 8, "z|999999|in||||", '|');
	tu_put(&d.st.sink, "e", 9, "b|noon|in||||", '|');
	tu_put(&d.sessions, "s", 2, "a|36000|90000|54000|true", '|');
	tu_put(&d.sessions, "s", 3, "b|86410|86410|0|false", '|');
	tu_put(&d.sessions, "s", 4, "b|86500|||false", '|');
	assert_int_equal(evp_sink_end(&d.st.sink), 0);
	assert_false(out1.started);
	assert_int_equal(evp_sink_end(&d.sessions), 0);
	assert_true(out1.ended && out2.ended);
	names_are(&out1, "k,date,c,n,logins,since,sessions,seconds");
	rows_are(&out1, keys, 5);
	rows_are(&out2, groups, 9);
	tu_conserved(&d.st.count);
	assert_int_equal(tu_reason_count(&d.st.count, "bad_timestamp"), 1);
	evp_daily_release(&d);
	tu_header_free(&eh);
	tu_header_free(&sh);
	evp_names_free(&first);
	evp_names_free(&count);
	evp_names_free(&attrs);
	evp_names_free(&kn);
	evp_names_free(&gn);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_project),
		T(test_project_bad),
		T(test_daily),
	};

	evp_diag_init("test_daily");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
