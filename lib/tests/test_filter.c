/*
 * Unit tests for lib/stages/filter: "COLUMN=VALUE" split at its first
 * '=', the bounds of a time window (an instant, or a date alone meaning
 * its midnight UTC), and the stage itself: OR among the values of one
 * column, AND across columns, the window [from, to), the records left
 * out counted as filtered and those whose time is not an instant refused.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/ofile.h"
#include "formats/reject.h"
#include "stages/filter.h"

static void
test_eq_parse(void **state)
{
	static const struct {
		const char	*s, *col, *value;
	} cases[] = {
		{ "k=v", "k", "v" }, { "k=", "k", "" }, { "k==v", "k", "=v" },
		{ "k=a=b", "k", "a=b" }, { "a b= c ", "a b", " c " },
		{ "k", NULL, NULL }, { "=v", NULL, NULL }, { "", NULL, NULL },
		{ "=", NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evp_filter_eq e;
		int rc = evp_filter_eq_parse(&e, cases[i].s);
		if (cases[i].col == NULL) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(e.col, cases[i].col);
		assert_int_equal(e.len, strlen(cases[i].value));
		assert_memory_equal(e.value, cases[i].value, e.len);
		free(e.col);
	}
}

static void
test_bounds(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 sec;	/* date -u -d ... +%s */
		int32_t		 nsec;
	} good[] = {
		{ "2026-11-01", 1793491200, 0 },
		{ "2024-02-29", 1709164800, 0 },
		{ "1970-01-01", 0, 0 },
		{ "1969-12-31", -86400, 0 },
		{ "2026-11-01T10:00:00Z", 1793527200, 0 },
		{ "2026-11-01T12:00:00+02:00", 1793527200, 0 },
		{ "2026-11-01 10:00", 1793527200, 0 },
		{ "1793527874.25", 1793527874, 250000000 },
		{ "20261101", 20261101, 0 },	/* seconds, not a date */
	};
	static const char *const bad[] = { "", "10:00", "9:00:00.5",
	    "2026-02-30", "2025-02-29", "2026-13-01", "2026-11-1", "2026-11",
	    "2026-11-01 ", " 2026-11-01", "2026-11-01x", "2026/11/01",
	    "2026-11-01T25:00Z", "tomorrow" };
	struct evp_tstamp t;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (evp_time_bound(&t, good[i].s) != 0)
			fail_msg("'%s' refused", good[i].s);
		assert_int_equal(t.kind, EVP_TS_INSTANT);
		assert_int_equal(t.sec, good[i].sec);
		assert_int_equal(t.nsec, good[i].nsec);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (evp_time_bound(&t, bad[i]) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

/* ---- the stage ---- */

enum { NCOL = 3 };
static struct evp_str cols[NCOL] = { { "c", 1 }, { "n", 1 }, { "t", 1 } };
static struct evp_header header = { NCOL, cols, { "test", 1 }, 0, NULL };

struct catch {
	struct evp_sink	 sink;
	char		 got[64];	/* the first letters of n kept */
	size_t		 n;
};

static int
c_start(struct evp_sink *sk, const struct evp_header *h)
{
	(void)sk;
	assert_int_equal(h->n, NCOL);
	return 0;
}

static int
c_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct catch *c = evp_container_of(sk, struct catch, sink);

	assert_true(c->n + 1 < sizeof(c->got));
	c->got[c->n++] = r->f[1].p[0];
	c->got[c->n] = '\0';
	return 0;
}

static int
c_end(struct evp_sink *sk)
{
	(void)sk;
	return 0;
}

/* The records: c, n (a letter naming it), t. */
static const char *const recs[][NCOL] = {
	{ "a", "A", "2026-11-01T10:00:00Z" },
	{ "b", "B", "2026-11-01T11:00:00Z" },
	{ "c", "C", "2026-11-01T12:00:00Z" },
	{ "a", "D", "2026-11-01T09:59:59.999999999Z" },
	{ "a", "E", "10:30" },			/* a time of day */
	{ "", "F", "2026-11-01T10:30:00+01:00" },
	{ "b", "G", "" },			/* empty */
	{ "a", "H", "2026-11-01" },		/* a date alone */
	{ "A", "I", "1793527874" },
};

/*
 * Filter the records with eq (NULL-ended "COL=VALUE" list) and an
 * optional window; check the letters kept and the counts.
 */
static void
check(const char *const *eq, const char *from, const char *to, int time,
    const char *want, uint64_t rejected)
{
	struct evp_filter_eq e[8];
	struct evp_filter_opts o;
	struct evp_ofile rf;
	struct evp_rejects rj;
	struct catch c;
	struct evp_filter f;
	size_t neq = 0;

	memset(&o, 0, sizeof(o));
	for (; eq[neq] != NULL; neq++)
		assert_int_equal(evp_filter_eq_parse(&e[neq], eq[neq]), 0);
	o.eq = e;
	o.neq = neq;
	o.time = time ? "t" : NULL;
	if (from != NULL) {
		assert_int_equal(evp_time_bound(&o.from, from), 0);
		o.has_from = 1;
	}
	if (to != NULL) {
		assert_int_equal(evp_time_bound(&o.to, to), 0);
		o.has_to = 1;
	}
	memset(&c, 0, sizeof(c));
	c.sink = (struct evp_sink){ c_start, c_put, c_end };
	assert_int_equal(evp_ofile_open(&rf, "/dev/null"), 0);
	evp_rejects_init(&rj, &rf, &header, 0);
	evp_filter_init(&f, &o, &rj, &c.sink);
	assert_int_equal(evp_sink_start(&f.st.sink, &header), 0);
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		struct evp_str v[NCOL];
		for (size_t k = 0; k < NCOL; k++)
			v[k] = (struct evp_str){ recs[i][k], strlen(recs[i][k]) };
		struct evp_rec r = { NCOL, v, { "test", i + 2 }, { NULL, 0 } };
		assert_int_equal(evp_sink_put(&f.st.sink, &r), 0);
	}
	assert_int_equal(evp_sink_end(&f.st.sink), 0);
	assert_string_equal(c.got, want);
	uint64_t n = sizeof(recs) / sizeof(recs[0]);
	assert_int_equal(f.st.count.in, n);
	assert_int_equal(f.st.count.out, strlen(want));
	assert_int_equal(f.st.count.rejected, rejected);
	assert_int_equal(f.st.count.filtered, n - strlen(want) - rejected);
	evp_filter_release(&f);
	evp_rejects_release(&rj);
	evp_ofile_commit(&rf);
	for (size_t i = 0; i < neq; i++)
		free(e[i].col);
}

static void
test_stage(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const a[] = { "c=a", NULL };
	static const char *const ab[] = { "c=a", "c=b", NULL };
	static const char *const ab_e[] = { "c=a", "n=E", "c=b", NULL };
	static const char *const empty[] = { "c=", NULL };
	static const char *const nothing[] = { "c=a", "c=b", "n=Z", NULL };

	(void)state;
	check(none, NULL, NULL, 0, "ABCDEFGHI", 0);
	check(a, NULL, NULL, 0, "ADEH", 0);
	check(ab, NULL, NULL, 0, "ABDEGH", 0);
	check(ab_e, NULL, NULL, 0, "E", 0);
	check(empty, NULL, NULL, 0, "F", 0);
	check(nothing, NULL, NULL, 0, "", 0);
	/* A window: E, G and H are refused whatever --eq says. */
	check(none, NULL, NULL, 1, "ABCDFI", 3);
	check(none, "2026-11-01T10:00:00Z", "2026-11-01T12:00:00Z", 1, "ABI", 3);
	check(a, "2026-11-01T10:00:00Z", NULL, 1, "A", 3);
	check(none, NULL, "2026-11-01T10:00:00Z", 1, "DF", 3);
	check(none, "2026-11-01", "2026-11-02", 1, "ABCDFI", 3);
	check(none, "2026-11-02", "2026-11-01", 1, "", 3);
	check(none, "2026-11-01T11:00:00Z", "2026-11-01T11:00:00Z", 1, "", 3);
	check(nothing, NULL, NULL, 1, "", 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eq_parse),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_stage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
