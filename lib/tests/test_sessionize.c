/*
 * Unit tests for lib/stages/sessionize: --min-seconds values, the exact
 * length of a session, types given two roles, and the stage through its
 * sink: every reason in the order of the checks, SPEC section 13's rules
 * 6-9, the sessions written (as they close, then those still open in the
 * order they opened, checked against a list kept here on random runs),
 * state made only for accepted events, and a failing sessions sink.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/sessionize.h"
#include "testutil.h"

static void
test_span_parse(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 sec;
		int32_t		 nsec;
	} good[] = {
		{ "0", 0, 0 }, { "1", 1, 0 }, { "30", 30, 0 },
		{ "0.5", 0, 500000000 }, { "1.25", 1, 250000000 },
		{ "0.000000001", 0, 1 }, { "999999999999.999999999",
		    999999999999, 999999999 }, { "007", 7, 0 },
	};
	static const char *const bad[] = { "", "-1", "+1", ".5", "5.", "1e3",
	    " 1", "1 ", "1s", "1.0000000001", "1000000000000", "1..2", "0x1",
	    "1,5" };
	struct evp_span s;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (evp_span_parse(&s, good[i].s) != 0)
			fail_msg("'%s' refused", good[i].s);
		assert_int_equal(s.sec, good[i].sec);
		assert_int_equal(s.nsec, good[i].nsec);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (evp_span_parse(&s, bad[i]) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

static void
test_span_format(void **state)
{
	static const struct {
		int64_t		 as;
		int32_t		 an;
		int64_t		 bs;
		int32_t		 bn;
		const char	*want;
	} cases[] = {
		{ 100, 0, 105, 0, "5" },
		{ 100, 0, 100, 0, "0" },
		{ 100, 750000000, 102, 0, "1.25" },
		{ 100, 0, 100, 1, "0.000000001" },
		{ 100, 999999999, 101, 0, "0.000000001" },
		{ 100, 500000000, 101, 500000000, "1" },
		{ 100, 600000000, 101, 500000000, "0.9" },
		{ -62167219200, 0, 253402300799, 999999999,
		    "315569519999.999999999" },
		{ -5, 0, 5, 100000000, "10.1" },
	};
	char buf[32];
	struct evp_span sp;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = evp_span_format(buf, cases[i].as, cases[i].an,
		    cases[i].bs, cases[i].bn, &sp);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
		assert_true(sp.nsec >= 0 && sp.nsec < 1000000000);
		assert_true(sp.sec >= 0);
	}
}

/* The role lists of the tests, parsed from option-like text. */
static struct evp_names lists[EVP_SESS_NROLES];

static void
roles(struct evp_sessionize_opts *o, const char *reg, const char *open,
    const char *close, const char *inside)
{
	const char *text[EVP_SESS_NROLES] = { reg, open, close, inside };

	memset(o, 0, sizeof(*o));
	o->key = "user";
	o->time = "t";
	o->type = "y";
	o->min = (struct evp_span){ 1, 0 };
	for (int r = 0; r < EVP_SESS_NROLES; r++) {
		evp_names_free(&lists[r]);
		if (text[r] == NULL)
			continue;
		assert_int_equal(evp_names_parse(&lists[r], text[r]), 0);
		o->role[r] = &lists[r];
	}
}

static void
test_twice(void **state)
{
	struct evp_sessionize_opts o;
	int r1, r2;

	(void)state;
	roles(&o, "reg", "in,go", "out", "tx");
	assert_null(evp_sessionize_twice(&o, &r1, &r2));
	roles(&o, NULL, "in", "out,in", NULL);
	assert_string_equal(evp_sessionize_twice(&o, &r1, &r2)->p, "in");
	assert_int_equal(r1, EVP_SESS_OPEN);
	assert_int_equal(r2, EVP_SESS_CLOSE);
	roles(&o, "r", "in", "out", "tx,r");
	assert_string_equal(evp_sessionize_twice(&o, &r1, &r2)->p, "r");
	assert_int_equal(r1, EVP_SESS_REGISTER);
	assert_int_equal(r2, EVP_SESS_INSIDE);
	roles(&o, NULL, "in", "out,x,out", NULL);
	assert_string_equal(evp_sessionize_twice(&o, &r1, &r2)->p, "out");
	assert_int_equal(r1, EVP_SESS_CLOSE);
	assert_int_equal(r2, EVP_SESS_CLOSE);
}

/* ---- the stage ---- */

static struct tu_header hdr;
static struct tu_rejects rj;
static struct tu_rows out, ses;
static struct evp_sessionize sz;
static size_t nkeys;		/* keys in sz's map before its release */

static int
setup(void **state)
{
	(void)state;
	tu_header_init(&hdr, "id,user,t,y");
	tu_rejects_open(&rj, &hdr.h);
	tu_rows_init(&out);
	tu_rows_init(&ses);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rejects_close(&rj);
	tu_rows_free(&out);
	tu_rows_free(&ses);
	tu_header_free(&hdr);
	for (int r = 0; r < EVP_SESS_NROLES; r++)
		evp_names_free(&lists[r]);
	return 0;
}

/* An event, "id|user|t|y", and what becomes of it: NULL accepted, or a reason. */
struct ev {
	const char	*rec;
	const char	*want;
};

/*
 * Run evs through a stage with options o; check each event accepted or
 * refused as wanted (in order, at its line), conservation, and the
 * sessions written (NULL-ended, each "user,start,end,seconds,counted").
 */
static void
run(const struct evp_sessionize_opts *o, const struct ev *evs, size_t n,
    const char *const *sessions)
{
	struct evp_buf b = EVP_BUF_INIT;
	char line[24];
	size_t k = 0, j = 0, i;

	tu_rejects_close(&rj);
	tu_rejects_open(&rj, &hdr.h);
	tu_rows_free(&out);
	tu_rows_free(&ses);
	tu_rows_init(&out);
	tu_rows_init(&ses);
	evp_sessionize_init(&sz, o, &rj.rj, &out.sink, &ses.sink);
	assert_int_equal(evp_sink_start(&sz.st.sink, &hdr.h), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(tu_put(&sz.st.sink, "t.csv", i + 2, evs[i].rec,
		    '|'), 0);
	assert_int_equal(evp_sink_end(&sz.st.sink), 0);
	tu_rejects_read(&rj);
	for (i = 0; i < n; i++) {
		char id[16];
		size_t len = strcspn(evs[i].rec, "|");
		snprintf(id, sizeof(id), "%.*s", (int)len, evs[i].rec);
		if (evs[i].want == NULL) {
			if (k >= out.n || strcmp(tu_rows_get(&out, k, "id"), id))
				fail_msg("event %s not passed on", id);
			k++;
			continue;
		}
		snprintf(line, sizeof(line), "%zu", i + 2);
		if (j >= rj.rows.n || strcmp(tu_rows_get(&rj.rows, j, "line"),
		    line))
			fail_msg("event %s (line %s) not refused", id, line);
		if (strcmp(tu_rows_get(&rj.rows, j, "reason"), evs[i].want))
			fail_msg("event %s: %s, not %s", id,
			    tu_rows_get(&rj.rows, j, "reason"), evs[i].want);
		assert_string_equal(tu_rows_get(&rj.rows, j, "stage"),
		    "sessionize");
		j++;
	}
	assert_int_equal(out.n, k);
	assert_int_equal(rj.rows.n, j);
	assert_int_equal(sz.st.count.in, n);
	tu_conserved(&sz.st.count);
	assert_string_equal(tu_rows_names(&ses, &b), "user,start,end,seconds,"
	    "counted");
	for (i = 0; sessions[i] != NULL; i++) {
		if (i >= ses.n)
			fail_msg("session %zu missing: %s", i, sessions[i]);
		assert_string_equal(tu_rows_join(&ses, i, ',', &b), sessions[i]);
	}
	assert_int_equal(ses.n, i);
	assert_int_equal(sz.closed + sz.open, ses.n);
	evp_buf_release(&b);
	nkeys = sz.keys.n;
	evp_sessionize_release(&sz);
}

#define N(a)	(sizeof(a) / sizeof(a[0]))

/* SPEC section 13: rules 6 to 9 and the session definition. */
static void
test_nordeus(void **state)
{
	static const struct ev evs[] = {
		{ "1|u1|100|login", "not_registered" },
		{ "2|u1|101|registration", NULL },
		{ "3|u1|102|registration", "already_registered" },
		{ "4|u1|103|login", "already_logged_in" },
		{ "5|u1|110|transaction", NULL },
		{ "6|u1|150|logout", NULL },
		{ "7|u1|150|logout", "not_logged_in" },
		{ "8|u1|151|transaction", "not_logged_in" },
		{ "9|u1|151|registration", "already_registered" },
		{ "10|u1|152|login", NULL },
		{ "11|u1|152|logout", NULL },
		{ "12|u2|200|registration", NULL },
		{ "13|u2|200|logout", NULL },
		{ "14|u2|200.5|login", NULL },
		{ "15|u2|201.5|logout", NULL },
		{ "16|u3|300|transaction", "not_registered" },
		{ "17|u1|400|login", NULL },
	};
	static const char *const sessions[] = {
		"u1,101,150,49,true", "u1,152,152,0,false", "u2,200,200,0,false",
		"u2,200.5,201.5,1,true", "u1,400,,,false", NULL
	};
	struct evp_sessionize_opts o;

	(void)state;
	roles(&o, "registration", "login", "logout", "transaction");
	run(&o, evs, N(evs), sessions);
	assert_int_equal(sz.closed, 4);
	assert_int_equal(sz.counted, 2);
	assert_int_equal(sz.open, 1);
}

/*
 * Each check before the next: an event that fails several is refused
 * for the first (an empty key and a bad time: missing_key; ...).
 */
static void
test_check_order(void **state)
{
	static const struct ev evs[] = {
		{ "0|a|100|reg", NULL },
		{ "1|a|100|in", "already_logged_in" },
		{ "2||bogus|what", "missing_key" },
		{ "3|a|bogus|what", "bad_timestamp" },
		{ "4|a|10:00|in", "bad_timestamp" },
		{ "5|a|2010-05-08|in", "bad_timestamp" },
		{ "6|a||in", "bad_timestamp" },
		{ "7|a|99|what", "unknown_event_type" },
		{ "8|a|99|in", "out_of_order" },
		{ "9|b|99|out", "not_registered" },
		{ "10|a|100|reg", "already_registered" },
		{ "11|a|100|in", "already_logged_in" },
		{ "12|a|1970-01-01T00:01:40Z|out", NULL },
		{ "13|a|100|out", "not_logged_in" },
		{ "14|a|99|out", "out_of_order" },
		{ "15|a|100|", "unknown_event_type" },
		{ "16|a|100|In", "unknown_event_type" },
	};
	static const char *const sessions[] = { "a,100,1970-01-01T00:01:40Z,0,"
	    "false", NULL };
	struct evp_sessionize_opts o;

	(void)state;
	roles(&o, "reg", "in", "out", NULL);
	run(&o, evs, N(evs), sessions);
	assert_int_equal(nkeys, 1);
}

/* Without register types, keys need no registration. */
static void
test_no_register(void **state)
{
	static const struct ev evs[] = {
		{ "1|a|100|out", "not_logged_in" },
		{ "2|a|101|tx", "not_logged_in" },
		{ "3|a|102|in", NULL },
		{ "4|a|103|tx", NULL },
		{ "5|b|104|in", NULL },
		{ "6|a|105|out", NULL },
		{ "7|a|105|in", NULL },
	};
	static const char *const sessions[] = { "a,102,105,3,true",
	    "b,104,,,false", "a,105,,,false", NULL };
	struct evp_sessionize_opts o;

	(void)state;
	roles(&o, NULL, "in", "out", "tx");
	run(&o, evs, N(evs), sessions);
}

/* --pass-unknown: outside the machine, but in time order. */
static void
test_pass_unknown(void **state)
{
	static const struct ev evs[] = {
		{ "1|a|100|view", NULL },
		{ "2|a|99|reg", "out_of_order" },
		{ "3|a|101|reg", NULL },
		{ "4|a|102|", NULL },
		{ "5||103|view", "missing_key" },
		{ "6|a|x|view", "bad_timestamp" },
		{ "7|a|104|view", NULL },
		{ "8|a|103.5|out", "out_of_order" },
		{ "9|a|104|out", NULL },
		{ "10|b|105|view", NULL },
		{ "11|b|106|in", "not_registered" },
	};
	static const char *const sessions[] = { "a,101,104,3,true", NULL };
	struct evp_sessionize_opts o;

	(void)state;
	roles(&o, "reg", "in", "out", NULL);
	o.pass_unknown = 1;
	run(&o, evs, N(evs), sessions);
	assert_int_equal(nkeys, 2);
}

static void
test_min_seconds(void **state)
{
	static const struct ev evs[] = {
		{ "1|a|100|in", NULL }, { "2|a|101.4999|out", NULL },
		{ "3|b|100|in", NULL }, { "4|b|101.5|out", NULL },
		{ "5|c|100|in", NULL }, { "6|c|100|out", NULL },
	};
	static const char *const s15[] = { "a,100,101.4999,1.4999,false",
	    "b,100,101.5,1.5,true", "c,100,100,0,false", NULL };
	static const char *const s0[] = { "a,100,101.4999,1.4999,true",
	    "b,100,101.5,1.5,true", "c,100,100,0,true", NULL };
	struct evp_sessionize_opts o;

	(void)state;
	roles(&o, NULL, "in", "out", NULL);
	o.min = (struct evp_span){ 1, 500000000 };
	run(&o, evs, N(evs), s15);
	o.min = (struct evp_span){ 0, 0 };
	run(&o, evs, N(evs), s0);
}

/*
 * Random opens and closes over a few keys: the sessions come as they
 * close, then the open ones in the order they opened, as a list kept
 * here says; memory holds one state per key that had an accepted event.
 */
static void
test_random_order(void **state)
{
	enum { KEYS = 7, EVENTS = 300 };
	struct evp_sessionize_opts o;
	uint64_t rnd = 0x9e3779b97f4a7c15ULL;
	char recs[EVENTS][64];
	struct ev evs[EVENTS];
	char want[EVENTS + 1][64];
	const char *wantp[EVENTS + 1];
	int open[KEYS], seen[KEYS], order[KEYS], nopen = 0, nseen = 0;
	long start[KEYS];
	size_t nw = 0;

	(void)state;
	roles(&o, NULL, "in", "out", NULL);
	for (int round = 0; round < 20; round++) {
		memset(open, 0, sizeof(open));
		memset(seen, 0, sizeof(seen));
		nopen = nseen = 0;
		nw = 0;
		for (int i = 0; i < EVENTS; i++) {
			int k = (int)(tu_rnd(&rnd) % KEYS);
			int in = tu_rnd(&rnd) % 2;
			snprintf(recs[i], sizeof(recs[i]), "%d|k%d|%d|%s", i, k,
			    1000 + i, in ? "in" : "out");
			evs[i].rec = recs[i];
			evs[i].want = NULL;
			if (in && open[k])
				evs[i].want = "already_logged_in";
			else if (!in && !open[k])
				evs[i].want = "not_logged_in";
			else if (in) {
				open[k] = 1;
				start[k] = 1000 + i;
				order[nopen++] = k;
			} else {
				open[k] = 0;
				snprintf(want[nw], sizeof(want[nw]),
				    "k%d,%ld,%d,%ld,true", k, start[k], 1000 + i,
				    1000 + i - start[k]);
				nw++;
				int p = 0;
				while (order[p] != k)
					p++;
				memmove(order + p, order + p + 1,
				    (size_t)(nopen - p - 1) * sizeof(*order));
				nopen--;
			}
			if (evs[i].want == NULL && !seen[k]) {
				seen[k] = 1;
				nseen++;
			}
		}
		for (int p = 0; p < nopen; p++)
			snprintf(want[nw++], sizeof(want[0]), "k%d,%ld,,,false",
			    order[p], start[order[p]]);
		for (size_t i = 0; i < nw; i++)
			wantp[i] = want[i];
		wantp[nw] = NULL;
		run(&o, evs, EVENTS, wantp);
		assert_int_equal(nkeys, (size_t)nseen);
	}
}

/* A sessions sink that fails: the stage stops. */
static int
f_start(struct evp_sink *s, const struct evp_header *h)
{
	(void)s;
	(void)h;
	return 0;
}

static int
f_put(struct evp_sink *s, const struct evp_rec *r)
{
	(void)s;
	(void)r;
	return -1;
}

static int
f_end(struct evp_sink *s)
{
	(void)s;
	return 0;
}

static void
test_sink_fails(void **state)
{
	struct evp_sink bad = { f_start, f_put, f_end };
	struct evp_sessionize_opts o;

	(void)state;
	roles(&o, NULL, "in", "out", NULL);
	tu_rows_free(&out);
	tu_rows_init(&out);
	evp_sessionize_init(&sz, &o, &rj.rj, &out.sink, &bad);
	assert_int_equal(evp_sink_start(&sz.st.sink, &hdr.h), 0);
	assert_int_equal(tu_put(&sz.st.sink, "t", 2, "1|a|100|in", '|'), 0);
	assert_int_equal(tu_put(&sz.st.sink, "t", 3, "2|a|101|out", '|'), -1);
	evp_sessionize_release(&sz);

	/* The same with the session left open: the end fails. */
	tu_rows_free(&out);
	tu_rows_init(&out);
	evp_sessionize_init(&sz, &o, &rj.rj, &out.sink, &bad);
	assert_int_equal(evp_sink_start(&sz.st.sink, &hdr.h), 0);
	assert_int_equal(tu_put(&sz.st.sink, "t", 2, "1|a|100|in", '|'), 0);
	assert_int_equal(evp_sink_end(&sz.st.sink), -1);
	evp_sessionize_release(&sz);
}

/* Without a sessions sink the machine runs all the same. */
static void
test_no_sessions(void **state)
{
	struct evp_sessionize_opts o;

	(void)state;
	roles(&o, NULL, "in", "out", NULL);
	tu_rows_free(&out);
	tu_rows_init(&out);
	evp_sessionize_init(&sz, &o, &rj.rj, &out.sink, NULL);
	assert_int_equal(evp_sink_start(&sz.st.sink, &hdr.h), 0);
	assert_int_equal(tu_put(&sz.st.sink, "t", 2, "1|a|100|in", '|'), 0);
	assert_int_equal(tu_put(&sz.st.sink, "t", 3, "2|a|100|in", '|'), 0);
	assert_int_equal(tu_put(&sz.st.sink, "t", 4, "3|a|102|out", '|'), 0);
	assert_int_equal(tu_put(&sz.st.sink, "t", 5, "4|b|103|in", '|'), 0);
	assert_int_equal(evp_sink_end(&sz.st.sink), 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(sz.st.count.rejected, 1);
	assert_int_equal(sz.closed, 1);
	assert_int_equal(sz.counted, 1);
	assert_int_equal(sz.open, 1);
	evp_sessionize_release(&sz);
}

/* A missing column: start fails, naming it. */
static void
test_missing_column(void **state)
{
	struct evp_sessionize_opts o;
	struct tu_header h;

	(void)state;
	roles(&o, NULL, "in", NULL, NULL);
	tu_header_init(&h, "id,user,t");
	evp_sessionize_init(&sz, &o, &rj.rj, &out.sink, &ses.sink);
	assert_int_equal(evp_sink_start(&sz.st.sink, &h.h), -1);
	evp_sessionize_release(&sz);
	tu_header_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span_parse),
		cmocka_unit_test(test_span_format),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_nordeus),
		cmocka_unit_test(test_check_order),
		cmocka_unit_test(test_no_register),
		cmocka_unit_test(test_pass_unknown),
		cmocka_unit_test(test_min_seconds),
		cmocka_unit_test(test_random_order),
		cmocka_unit_test(test_sink_fails),
		cmocka_unit_test(test_no_sessions),
		cmocka_unit_test(test_missing_column),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
