/*
 * Unit tests for lib/stages/summarize: the option values read into a
 * spec (names split from the right, types, places, lists and their
 * ranges, children), the spec's checks, and the stage through its sink:
 * hand-made cases for the ordering, the ties, empty values, the lists'
 * product, children and the checks' order, then random inputs against a
 * reference written here the plain way (every record kept per group,
 * aggregates computed at the end).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/summarize.h"
#include "testutil.h"

/* ---- option values ---- */

static void
test_spec_aggs(void **state)
{
	static const struct {
		enum evp_aggkind kind;
		const char	*s;
		const char	*col, *name;	/* NULL col: refused */
		enum evp_keytype type;
		int		 places;
	} cases[] = {
		{ EVP_AGG_COUNT, "n", NULL, "n", 0, 0 },
		{ EVP_AGG_COUNT, "a:b", NULL, "a:b", 0, 0 },
		{ EVP_AGG_DISTINCT, "u:users", "u", "users", 0, 0 },
		{ EVP_AGG_DISTINCT, "a:b:users", "a:b", "users", 0, 0 },
		{ EVP_AGG_MIN, "d:time:first", "d", "first", EVP_KEY_TIME, 0 },
		{ EVP_AGG_MAX, "x:y:number:top", "x:y", "top", EVP_KEY_NUMBER, 0 },
		{ EVP_AGG_MIN, "v:text:t", "v", "t", EVP_KEY_TEXT, 0 },
		{ EVP_AGG_SUM, "p:total", "p", "total", 0, EVP_SUM_EXACT },
		{ EVP_AGG_SUM, "p:total:2", "p", "total", 0, 2 },
		{ EVP_AGG_SUM, "p:total:007", "p", "total", 0, 7 },
		{ EVP_AGG_SUM, "p:12", "p", "12", 0, EVP_SUM_EXACT },
		{ EVP_AGG_SUM, "p:12:0", "p", "12", 0, 0 },
		{ EVP_AGG_SUM, "p:x:1234", "p:x", "1234", 0, EVP_SUM_EXACT },
		{ EVP_AGG_SUM, "p:total:18", "p", "total", 0, 18 },
		{ EVP_AGG_MEAN, "p:avg", "p", "avg", 0, EVP_MEAN_PLACES },
		{ EVP_AGG_MEAN, "p:avg:0", "p", "avg", 0, 0 },
	};
	static const struct {
		enum evp_aggkind kind;
		const char	*s;
	} bad[] = {
		{ EVP_AGG_COUNT, "" }, { EVP_AGG_DISTINCT, "u" },
		{ EVP_AGG_DISTINCT, "u:" }, { EVP_AGG_DISTINCT, ":n" },
		{ EVP_AGG_MIN, "d:first" }, { EVP_AGG_MIN, "d:date:first" },
		{ EVP_AGG_MIN, "d:Time:first" }, { EVP_AGG_MAX, ":time:n" },
		{ EVP_AGG_MAX, "d:time:" }, { EVP_AGG_SUM, "p" },
		{ EVP_AGG_SUM, "p:n:19" }, { EVP_AGG_SUM, ":n" },
		{ EVP_AGG_MEAN, "p::2" }, { EVP_AGG_MEAN, "p:" },
		{ EVP_AGG_CHILDREN, "f:k:n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evp_sumspec sp;
		evp_sumspec_init(&sp);
		const char *why = evp_sumspec_agg(&sp, cases[i].kind, cases[i].s);
		if (why != NULL)
			fail_msg("'%s' refused: %s", cases[i].s, why);
		assert_int_equal(sp.nagg, 1);
		const struct evp_agg *a = &sp.agg[0];
		if (cases[i].col == NULL)
			assert_null(a->col);
		else
			assert_string_equal(a->col, cases[i].col);
		assert_string_equal(a->name, cases[i].name);
		assert_int_equal(a->type, cases[i].type);
		if (cases[i].kind == EVP_AGG_SUM || cases[i].kind == EVP_AGG_MEAN)
			assert_int_equal(a->places, cases[i].places);
		evp_sumspec_release(&sp);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct evp_sumspec sp;
		evp_sumspec_init(&sp);
		if (evp_sumspec_agg(&sp, bad[i].kind, bad[i].s) == NULL)
			fail_msg("'%s' accepted", bad[i].s);
		assert_int_equal(sp.nagg, 0);
		evp_sumspec_release(&sp);
	}
}

static void
test_spec_lists(void **state)
{
	static const struct {
		const char	*s, *col, *values;	/* values space-joined */
	} cases[] = {
		{ "s=a-e", "s", "a b c d e" },
		{ "s=z,a", "s", "z a" },
		{ "s=A-C,0-2,x", "s", "A B C 0 1 2 x" },
		{ "s=a-a", "s", "a" },
		{ "s=a-B,x-y-z,-,a--", "s", "a-B x-y-z - a--" },
		{ "a=b=c", "a", "b=c" },
		{ "s= x ", "s", " x " },
	};
	static const char *const bad[] = { "s", "=a", "s=", "s=a,", "s=,a",
	    "s=a,,b", "s=z-a", "s=a,a", "s=a-c,b", "s=0-9,5" };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evp_sumspec sp;
		struct evp_buf b = EVP_BUF_INIT;
		evp_sumspec_init(&sp);
		const char *why = evp_sumspec_list(&sp, cases[i].s);
		if (why != NULL)
			fail_msg("'%s' refused: %s", cases[i].s, why);
		assert_string_equal(sp.list[0].col, cases[i].col);
		for (size_t j = 0; j < sp.list[0].n; j++) {
			if (j)
				evp_buf_addc(&b, ' ');
			evp_buf_add(&b, sp.list[0].v[j].p, sp.list[0].v[j].len);
		}
		assert_string_equal(b.p, cases[i].values);
		evp_buf_release(&b);
		evp_sumspec_release(&sp);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct evp_sumspec sp;
		evp_sumspec_init(&sp);
		if (evp_sumspec_list(&sp, bad[i]) == NULL)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(sp.nlist, 0);
		evp_sumspec_release(&sp);
	}
}

static void
test_spec_children_day(void **state)
{
	static const struct {
		const char	*s, *file, *key, *childkey, *name;
	} cases[] = {
		{ "f.csv:uuid:followups", "f.csv", "uuid", "uuid", "followups" },
		{ "f.csv:id=parent:kids", "f.csv", "id", "parent", "kids" },
		{ "a:b.csv:id=p=q:k", "a:b.csv", "id", "p=q", "k" },
		{ "-:k:n", "-", "k", "k", "n" },
	};
	static const char *const bad[] = { "f.csv", "f.csv:k", ":k:n",
	    "f.csv::n", "f.csv:k:", "f.csv:=c:n", "f.csv:k=:n" };
	struct evp_sumspec sp;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		evp_sumspec_init(&sp);
		assert_null(evp_sumspec_children(&sp, cases[i].s));
		assert_int_equal(sp.agg[0].kind, EVP_AGG_CHILDREN);
		assert_string_equal(sp.agg[0].file, cases[i].file);
		assert_string_equal(sp.agg[0].col, cases[i].key);
		assert_string_equal(sp.agg[0].childkey, cases[i].childkey);
		assert_string_equal(sp.agg[0].name, cases[i].name);
		evp_sumspec_release(&sp);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		evp_sumspec_init(&sp);
		if (evp_sumspec_children(&sp, bad[i]) == NULL)
			fail_msg("'%s' accepted", bad[i]);
		evp_sumspec_release(&sp);
	}
	evp_sumspec_init(&sp);
	assert_null(evp_sumspec_day(&sp, "at"));
	assert_string_equal(sp.day, "at");
	assert_string_equal(sp.dayname, "at");
	assert_non_null(evp_sumspec_day(&sp, "x:y"));	/* twice */
	evp_sumspec_release(&sp);
	evp_sumspec_init(&sp);
	assert_null(evp_sumspec_day(&sp, "a:t:day"));
	assert_string_equal(sp.day, "a:t");
	assert_string_equal(sp.dayname, "day");
	evp_sumspec_release(&sp);
}

/*
 * A spec from option words, as the command takes them: "-g", "g",
 * "--count", "n", ...  NULL ends the list.  Returns what check says.
 */
static int
spec_from(struct evp_sumspec *sp, const char *const *w, struct evp_buf *err)
{
	evp_sumspec_init(sp);
	for (; *w != NULL; w += 2) {
		const char *o = w[0], *v = w[1], *why = NULL;
		if (strcmp(o, "-g") == 0)
			why = evp_sumspec_groups(sp, v);
		else if (strcmp(o, "--day") == 0)
			why = evp_sumspec_day(sp, v);
		else if (strcmp(o, "--count") == 0)
			why = evp_sumspec_agg(sp, EVP_AGG_COUNT, v);
		else if (strcmp(o, "--distinct") == 0)
			why = evp_sumspec_agg(sp, EVP_AGG_DISTINCT, v);
		else if (strcmp(o, "--min") == 0)
			why = evp_sumspec_agg(sp, EVP_AGG_MIN, v);
		else if (strcmp(o, "--max") == 0)
			why = evp_sumspec_agg(sp, EVP_AGG_MAX, v);
		else if (strcmp(o, "--sum") == 0)
			why = evp_sumspec_agg(sp, EVP_AGG_SUM, v);
		else if (strcmp(o, "--mean") == 0)
			why = evp_sumspec_agg(sp, EVP_AGG_MEAN, v);
		else if (strcmp(o, "--children") == 0)
			why = evp_sumspec_children(sp, v);
		else if (strcmp(o, "--groups") == 0)
			why = evp_sumspec_list(sp, v);
		else if (strcmp(o, "--time") == 0)
			sp->time = strdup(v);
		else if (strcmp(o, "--from") == 0) {
			assert_int_equal(evp_time_bound(&sp->from, v), 0);
			sp->has_from = 1;
		} else if (strcmp(o, "--to") == 0) {
			assert_int_equal(evp_time_bound(&sp->to, v), 0);
			sp->has_to = 1;
		} else if (strcmp(o, "--format") == 0)
			sp->json = strcmp(v, "json") == 0;
		else
			fail_msg("no option %s", o);
		if (why != NULL)
			fail_msg("%s %s: %s", o, v, why);
	}
	return evp_sumspec_check(sp, err);
}

static void
test_spec_check(void **state)
{
	static const char *const ok1[] = { "-g", "a,b", "--day", "t:d",
	    "--count", "n", "--min", "x:number:m", "--groups", "b=x,y", NULL };
	static const char *const b0[] = { NULL };
	static const char *const b1[] = { "--count", "n", "--count", "n", NULL };
	static const char *const b2[] = { "-g", "a,a", NULL };
	static const char *const b3[] = { "-g", "t", "--day", "t", NULL };
	static const char *const b4[] = { "-g", "a", "--groups", "b=x", NULL };
	static const char *const b5[] = { "--count", "n", "--from",
	    "2026-11-01", NULL };
	static const char *const *const bad[] = { b0, b1, b2, b3, b4, b5 };
	struct evp_sumspec sp;
	struct evp_buf err = EVP_BUF_INIT;

	(void)state;
	assert_int_equal(spec_from(&sp, ok1, &err), 0);
	assert_int_equal(sp.ncols, 5);
	static const char *const names[] = { "a", "b", "d", "n", "m" };
	static const unsigned char numeric[] = { 0, 0, 0, 1, 1 };
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(sp.colname[i].p, names[i]);
		assert_int_equal(sp.numeric[i], numeric[i]);
	}
	assert_int_equal(sp.listof[0], -1);
	assert_int_equal(sp.listof[1], 0);
	evp_sumspec_release(&sp);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		evp_buf_reset(&err);
		if (spec_from(&sp, bad[i], &err) == 0)
			fail_msg("spec %zu accepted", i);
		assert_true(err.len > 0);
		evp_sumspec_release(&sp);
	}
	evp_buf_release(&err);
}

/* ---- the stage ---- */

static struct tu_header layout;
static struct tu_rejects rjs;
static struct tu_rows out;

static int
setup(void **state)
{
	(void)state;
	tu_header_init(&layout, "g,v,t,k");
	tu_rejects_open(&rjs, &layout.h);
	tu_rows_init(&out);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rejects_close(&rjs);
	tu_rows_free(&out);
	tu_header_free(&layout);
	return 0;
}

/* Each row of r joined with ',', rows with ' ' (the header first). */
static void
rows_text(const struct tu_rows *r, struct evp_buf *b)
{
	struct evp_buf row = EVP_BUF_INIT;

	evp_buf_reset(b);
	evp_buf_adds(b, tu_rows_names(r, &row));
	for (size_t i = 0; i < r->n; i++) {
		evp_buf_addc(b, ' ');
		evp_buf_adds(b, tu_rows_join(r, i, ',', &row));
	}
	evp_buf_release(&row);
}

/* The reasons of the rejects so far, space-joined, each with its line. */
static void
rejects_text(struct evp_buf *b)
{
	tu_rejects_read(&rjs);
	evp_buf_reset(b);
	evp_buf_adds(b, "");
	for (size_t i = 0; i < rjs.rows.n; i++)
		evp_buf_printf(b, "%s%s:%s", i ? " " : "",
		    tu_rows_get(&rjs.rows, i, "line"),
		    tu_rows_get(&rjs.rows, i, "reason"));
}

/*
 * Summarize records (fields split at '|', header "g|v|t|k") with the
 * options w; children, if any, are the keys of child (space-separated)
 * for every children aggregate.  Check the rows and the rejects.
 */
static void
check(const char *const *w, const char *const *recs, const char *child,
    const char *want, const char *want_rejects)
{
	struct evp_sumspec sp;
	struct evp_summarize s;
	struct evp_buf b = EVP_BUF_INIT;
	struct tu_header h;

	tu_rows_free(&out);
	tu_rows_init(&out);
	tu_rejects_close(&rjs);
	tu_rejects_open(&rjs, &layout.h);
	if (spec_from(&sp, w, &b) < 0)
		fail_msg("spec: %s", b.p);
	evp_summarize_init(&s, &sp, &rjs.rj, &out.sink);
	for (size_t i = 0; i < sp.nagg && child != NULL; i++) {
		if (sp.agg[i].kind != EVP_AGG_CHILDREN)
			continue;
		/* What evp_summarize_children makes from a file. */
		for (const char *p = child; *p; ) {
			size_t n = strcspn(p, " ");
			int created;
			uint64_t *c = evp_map_put(&s.child[i], p, n, sizeof(*c),
			    &created);
			(*c)++;
			p += n + (p[n] == ' ');
		}
	}
	tu_header_init(&h, "g,v,t,k");
	assert_int_equal(evp_sink_start(&s.st.sink, &h.h), 0);
	for (size_t i = 0; recs[i] != NULL; i++)
		assert_int_equal(tu_put(&s.st.sink, "in", i + 2, recs[i], '|'),
		    0);
	assert_int_equal(evp_sink_end(&s.st.sink), 0);
	rows_text(&out, &b);
	if (strcmp(b.p, want) != 0)
		fail_msg("rows:\n  got  %s\n  want %s", b.p, want);
	rejects_text(&b);
	if (strcmp(b.p, want_rejects) != 0)
		fail_msg("rejects:\n  got  %s\n  want %s", b.p, want_rejects);
	tu_conserved(&s.st.count);
	evp_summarize_release(&s);
	evp_sumspec_release(&sp);
	tu_header_free(&h);
	evp_buf_release(&b);
}

static void
test_order_and_ties(void **state)
{
	static const char *const recs[] = {
		"b|10|2026-11-01T10:00:00Z|",
		"a|1.0|2026-11-01T12:00:00+02:00|",
		"ab|1|1793527200|",
		"a|1|2026-11-01T10:00:00Z|",
		"|2|2026-11-01T09:00:00Z|",
		"a|01|2026-11-01T10:00:00Z|",		/* not a number */
		"b|1e1|2026-11-01 10:00|",
		"a|0.5|2026-11-01T09:00:00.5Z|",
		NULL
	};
	static const char *const w[] = { "-g", "g", "--count", "n",
	    "--min", "v:number:lo", "--max", "v:number:hi",
	    "--min", "t:time:first", "--max", "t:time:last",
	    "--min", "v:text:tlo", NULL };

	(void)state;
	check(w, recs, NULL, "g,n,lo,hi,first,last,tlo "
	    ",1,2,2,2026-11-01T09:00:00Z,2026-11-01T09:00:00Z,2 "
	    "a,3,0.5,1.0,2026-11-01T09:00:00.5Z,2026-11-01T12:00:00+02:00,0.5 "
	    "ab,1,1,1,1793527200,1793527200,1 "
	    "b,2,10,10,2026-11-01T10:00:00Z,2026-11-01T10:00:00Z,10",
	    "7:bad_number");
}

static void
test_empty_values(void **state)
{
	static const char *const recs[] = {
		"a|||", "a|2||", "b|||", "a|3||", NULL
	};
	static const char *const w[] = { "-g", "g", "--count", "n",
	    "--distinct", "v:d", "--min", "v:number:lo", "--sum", "v:s",
	    "--mean", "v:m", "--max", "t:time:hi", NULL };

	(void)state;
	check(w, recs, NULL, "g,n,d,lo,s,m,hi a,3,2,2,5,2.50, b,1,0,,0,,", "");
}

static void
test_lists_and_days(void **state)
{
	static const char *const recs[] = {
		"x|1|2026-11-01T23:00:00Z|", "y|2|2026-11-02T01:00:00+02:00|",
		"q|3|2026-11-03T00:00:00Z|", "x|4|2026-11-02T00:00:00Z|",
		"y|5|2026-11-01|", NULL
	};
	static const char *const w[] = { "-g", "g", "--groups", "g=y,x",
	    "--day", "t:d", "--sum", "v:s", NULL };
	static const char *const w2[] = { "--groups", "g=y,x,z", "-g", "g",
	    "--count", "n", "--time", "t", "--from", "2026-11-02", NULL };

	(void)state;
	/* y's record at 01:00+02:00 is on Nov 1 in UTC. */
	check(w, recs, NULL, "g,d,s y,2026-11-01,2 y,2026-11-02,0 "
	    "x,2026-11-01,1 x,2026-11-02,4", "6:bad_timestamp");
	check(w2, recs, NULL, "g,n y,0 x,1 z,0", "6:bad_timestamp");
}

static void
test_children(void **state)
{
	static const char *const recs[] = {
		"a|||k1", "a|||k2", "b|||k1", "b|||", "c|||k9", NULL
	};
	static const char *const w[] = { "-g", "g", "--children",
	    "f:k:kids", "--count", "n", NULL };

	(void)state;
	check(w, recs, "k1 k1 k2 k3", "g,kids,n a,3,2 b,2,2 c,0,1", "");
}

/* The checks' order: window column, day, values; rejects before filters. */
static void
test_check_order(void **state)
{
	static const char *const recs[] = {
		"a|x|bad|",			/* the window's column first */
		"a|x|2026-11-01T10:00:00Z|",	/* outside, but refused */
		"a|1|2026-11-01T10:00:00Z|",	/* outside: filtered */
		"b|2|2026-11-05T10:00:00Z|",	/* not listed: filtered */
		"a|3|2026-11-05T10:00:00Z|",
		NULL
	};
	static const char *const w[] = { "-g", "g", "--groups", "g=a",
	    "--sum", "v:s", "--time", "t", "--from", "2026-11-02", NULL };

	(void)state;
	check(w, recs, NULL, "g,s a,3", "2:bad_timestamp 3:bad_number");
}

/* ---- random inputs against a plain reference ---- */

static const char *const G[] = { "", "a", "b", "ab", "B" };
static const char *const V[] = { "", "1", "1.0", "-2.5", "0.125", "99e-2",
    "x", "3", "0.990", "1e1" };
static const char *const T[] = { "2026-11-01T10:00:00Z",
    "2026-11-01T12:00:00+02:00", "1793527200", "1793527200.5",
    "2026-11-02 00:00", "2026-10-31T23:00:00-02:00", "", "bad",
    "2026-11-01", "2026-11-01T23:59:59.999999999Z", "1793491200" };

#define N(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXREC	60

struct rec {
	const char		*g, *v, *t;
	int			 ok;		/* went into a group */
	int64_t			 day;
	struct evp_decimal	 d;
	struct evp_tstamp	 ts;
};

/* The rows the reference expects, and its rejects, as check() shows. */
static void
reference(struct rec *r, size_t n, int day, int list, int from, int to,
    struct evp_buf *rows, struct evp_buf *rej)
{
	static const char *const listed[] = { "b", "a", "zz" };
	struct evp_tstamp lo, hi;
	int64_t days[MAXREC];
	size_t nd = 0;

	evp_time_bound(&lo, "2026-11-01T09:00:00Z");
	evp_time_bound(&hi, "2026-11-02");
	evp_buf_reset(rej);
	evp_buf_adds(rej, "");
	for (size_t i = 0; i < n; i++) {
		r[i].ok = 0;
		if (evp_tstamp_parse(&r[i].ts, r[i].t, strlen(r[i].t)) < 0 ||
		    r[i].ts.kind != EVP_TS_INSTANT) {
			evp_buf_printf(rej, "%s%zu:bad_timestamp",
			    rej->len ? " " : "", i + 2);
			continue;
		}
		if (*r[i].v && evp_decimal_parse(&r[i].d, r[i].v,
		    strlen(r[i].v)) < 0) {
			evp_buf_printf(rej, "%s%zu:bad_number",
			    rej->len ? " " : "", i + 2);
			continue;
		}
		if ((from && evp_tstamp_cmp(&r[i].ts, &lo) < 0) ||
		    (to && evp_tstamp_cmp(&r[i].ts, &hi) >= 0))
			continue;
		if (list && strcmp(r[i].g, "b") != 0 && strcmp(r[i].g, "a") != 0)
			continue;
		r[i].ok = 1;
		r[i].day = day ? (r[i].ts.sec >= 0 ? r[i].ts.sec / 86400 :
		    -((-r[i].ts.sec + 86399) / 86400)) : 0;
		size_t k = 0;
		while (k < nd && days[k] != r[i].day)
			k++;
		if (k == nd)
			days[nd++] = r[i].day;
	}
	/* The groups: every (g, day) made, or the list times the days. */
	const char *gs[N(G) + N(listed)];
	size_t ng = 0;
	if (list)
		for (size_t j = 0; j < N(listed); j++)
			gs[ng++] = listed[j];
	else
		for (size_t j = 0; j < N(G); j++)
			gs[ng++] = G[j];
	/* G is not in byte order: sort it ("" < "B" < "a" < "ab" < "b"). */
	if (!list) {
		gs[0] = ""; gs[1] = "B"; gs[2] = "a"; gs[3] = "ab"; gs[4] = "b";
	}
	for (size_t a = 0; a < nd; a++)		/* days ascending */
		for (size_t b = a + 1; b < nd; b++)
			if (days[b] < days[a]) {
				int64_t x = days[a];
				days[a] = days[b];
				days[b] = x;
			}
	if (!day) {
		nd = 1;
		days[0] = 0;
	}
	evp_buf_reset(rows);
	evp_buf_adds(rows, day ? "g,d,n,nd,lo,hi,s,m,first,last" :
	    "g,n,nd,lo,hi,s,m,first,last");
	for (size_t gi = 0; gi < ng; gi++)
		for (size_t di = 0; di < nd; di++) {
			uint64_t cnt = 0, nv = 0;
			const struct rec *lo_r = NULL, *hi_r = NULL, *f = NULL,
			    *l = NULL;
			const char *seen[MAXREC];
			size_t ns = 0;
			struct evp_decimal sum;
			memset(&sum, 0, sizeof(sum));
			for (size_t i = 0; i < n; i++) {
				const struct rec *x = &r[i];
				if (!x->ok || strcmp(x->g, gs[gi]) != 0 ||
				    x->day != days[di])
					continue;
				cnt++;
				if (f == NULL || evp_tstamp_cmp(&x->ts, &f->ts) < 0)
					f = x;
				if (l == NULL || evp_tstamp_cmp(&x->ts, &l->ts) > 0)
					l = x;
				if (!*x->v)
					continue;
				nv++;
				size_t k = 0;
				while (k < ns && strcmp(seen[k], x->v) != 0)
					k++;
				if (k == ns)
					seen[ns++] = x->v;
				if (lo_r == NULL || evp_decimal_cmp(&x->d, &lo_r->d) < 0)
					lo_r = x;
				if (hi_r == NULL || evp_decimal_cmp(&x->d, &hi_r->d) > 0)
					hi_r = x;
				assert_int_equal(evp_decimal_add(&sum, &sum, &x->d), 0);
			}
			if (cnt == 0 && !list)
				continue;
			char s[64], m[64] = "";
			evp_decimal_format(s, sizeof(s), &sum);
			if (nv > 0) {
				struct evp_decimal q, c;
				evp_decimal_from_int64(&c, (int64_t)nv);
				assert_int_equal(evp_decimal_div(&q, &sum, &c, 3), 0);
				evp_decimal_format_fixed(m, sizeof(m), &q, 3);
			}
			char d[EVP_DAY_TEXTMAX];
			evp_day_format(days[di], d);
			evp_buf_printf(rows, " %s%s%s,%llu,%zu,%s,%s,%s,%s,%s,%s",
			    gs[gi], day ? "," : "", day ? d : "",
			    (unsigned long long)cnt, ns, lo_r ? lo_r->v : "",
			    hi_r ? hi_r->v : "", s, m, f ? f->t : "",
			    l ? l->t : "");
		}
}

static void
test_random(void **state)
{
	uint64_t seed = 0x5eed5;
	struct evp_buf want = EVP_BUF_INIT, wrej = EVP_BUF_INIT;

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct rec r[MAXREC];
		const char *recs[MAXREC + 1];
		char text[MAXREC][128];
		size_t n = tu_rnd(&seed) % MAXREC;
		int day = tu_rnd(&seed) % 2, list = tu_rnd(&seed) % 2;
		int from = tu_rnd(&seed) % 2, to = tu_rnd(&seed) % 2;
		for (size_t i = 0; i < n; i++) {
			r[i].g = G[tu_rnd(&seed) % N(G)];
			r[i].v = V[tu_rnd(&seed) % N(V)];
			r[i].t = T[tu_rnd(&seed) % N(T)];
			snprintf(text[i], sizeof(text[i]), "%s|%s|%s|", r[i].g,
			    r[i].v, r[i].t);
			recs[i] = text[i];
		}
		recs[n] = NULL;
		const char *w[40];
		size_t k = 0;
		w[k++] = "-g"; w[k++] = "g";
		if (day) {
			w[k++] = "--day"; w[k++] = "t:d";
		}
		w[k++] = "--count"; w[k++] = "n";
		w[k++] = "--distinct"; w[k++] = "v:nd";
		w[k++] = "--min"; w[k++] = "v:number:lo";
		w[k++] = "--max"; w[k++] = "v:number:hi";
		w[k++] = "--sum"; w[k++] = "v:s";
		w[k++] = "--mean"; w[k++] = "v:m:3";
		w[k++] = "--min"; w[k++] = "t:time:first";
		w[k++] = "--max"; w[k++] = "t:time:last";
		w[k++] = "--time"; w[k++] = "t";
		if (list) {
			w[k++] = "--groups"; w[k++] = "g=b,a,zz";
		}
		if (from) {
			w[k++] = "--from"; w[k++] = "2026-11-01T09:00:00Z";
		}
		if (to) {
			w[k++] = "--to"; w[k++] = "2026-11-02";
		}
		w[k] = NULL;
		reference(r, n, day, list, from, to, &want, &wrej);
		check(w, recs, NULL, want.p, wrej.p);
	}
	evp_buf_release(&want);
	evp_buf_release(&wrej);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_aggs),
		cmocka_unit_test(test_spec_lists),
		cmocka_unit_test(test_spec_children_day),
		cmocka_unit_test(test_spec_check),
		cmocka_unit_test_setup_teardown(test_order_and_ties, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lists_and_days, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_children, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
