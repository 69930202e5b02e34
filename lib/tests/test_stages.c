/*
 * Unit tests for the stages classify, merge and validate (SPEC sections
 * 4-6), each driven through its sink: records go in, a capture sink
 * copies what comes out, and the rejects are written to a temporary file
 * and read back as CSV.  Every reason is met, in its check order (a
 * record wrong in several ways gets the first reason), with the counts
 * that prove conservation and the rejects' layout.  dedupe and the SPEC
 * section 9 example through every stage are in test_dedupe.c.
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

#include "aep/classify.h"
#include "aep/profile.h"
#include "aep/validate.h"
#include "core/diag.h"
#include "core/input.h"
#include "formats/csvin.h"
#include "formats/csvout.h"
#include "stages/merge.h"
#include "testutil.h"

#define EVENT	"eventId,eventTimestamp,eventType,parentEventId,userId," \
		"advertiserId,deviceId,price"
#define PREFIX	"serving."

static struct tu_header layout;		/* the rejects' record columns */
static struct tu_rejects rjs;
static char *merged;		/* a merged CSV file, removed by teardown */
static struct tu_rows out1, out2;
static struct evp_buf b1;

static int
setup(void **state)
{
	(void)state;
	tu_header_init(&layout, EVENT);
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
	if (merged != NULL) {
		unlink(merged);
		free(merged);
		merged = NULL;
	}
	tu_rows_free(&out1);
	tu_rows_free(&out2);
	tu_header_free(&layout);
	evp_buf_release(&b1);
	return 0;
}

/* Conserved, and every reject written. */
static void
conserved(const struct evp_count *c)
{
	tu_conserved(c);
	assert_int_equal(rjs.rj.rows, c->rejected);
}

/*
 * Reject i: the stage, the reason, a detail holding detail_has, where the
 * record came from, and its eight fields joined with '|'.
 */
static void
reject_is(size_t i, const char *stage, const char *reason,
    const char *detail_has, uint64_t line, const char *fields)
{
	const struct tu_rows *r = &rjs.rows;
	char want[32];

	if (i >= r->n)
		fail_msg("reject %zu: only %zu rejects", i, r->n);
	assert_string_equal(tu_rows_get(r, i, "stage"), stage);
	if (strcmp(tu_rows_get(r, i, "reason"), reason) != 0)
		fail_msg("reject %zu (line %s): reason %s (%s), want %s", i,
		    tu_rows_get(r, i, "line"), tu_rows_get(r, i, "reason"),
		    tu_rows_get(r, i, "detail"), reason);
	const char *detail = tu_rows_get(r, i, "detail");
	if (detail[0] == '\0' || strstr(detail, detail_has) == NULL)
		fail_msg("reject %zu: detail '%s' does not say '%s'", i, detail,
		    detail_has);
	snprintf(want, sizeof(want), "%llu", (unsigned long long)line);
	assert_string_equal(tu_rows_get(r, i, "line"), want);
	/* The record's columns follow the six of the layout. */
	evp_buf_reset(&b1);
	for (size_t k = 6; k < r->row[i].n; k++) {
		if (k > 6)
			evp_buf_addc(&b1, '|');
		evp_buf_add(&b1, r->row[i].f[k].p, r->row[i].f[k].len);
	}
	evp_buf_adds(&b1, "");
	if (strcmp(b1.p, fields) != 0)
		fail_msg("reject %zu: fields '%s', want '%s'", i, b1.p, fields);
}

/* Row i of r, fields joined with '|', is want. */
static void
row_is(const struct tu_rows *r, size_t i, const char *want)
{
	struct evp_buf b = EVP_BUF_INIT;

	if (i >= r->n)
		fail_msg("row %zu: only %zu rows", i, r->n);
	tu_rows_join(r, i, '|', &b);
	if (strcmp(b.p, want) != 0) {
		char got[512];
		snprintf(got, sizeof(got), "%s", b.p);
		evp_buf_release(&b);
		fail_msg("row %zu: got '%s', want '%s'", i, got, want);
	}
	evp_buf_release(&b);
}

static void
names_are(const struct tu_rows *r, const char *want)
{
	struct evp_buf b = EVP_BUF_INIT;
	int same = strcmp(tu_rows_names(r, &b), want) == 0;

	if (!same) {
		char got[512];
		snprintf(got, sizeof(got), "%s", b.p);
		evp_buf_release(&b);
		fail_msg("header '%s', want '%s'", got, want);
	}
	evp_buf_release(&b);
}

/* ---- classify ---- */

struct ccase {
	const char	*rec;
	const char	*want;	/* "serving", "user" or the reason */
};

/*
 * Fields: eventId|eventTimestamp|eventType|parentEventId|userId|
 * advertiserId|deviceId|price.  Records wrong in several ways name the
 * first check of SPEC section 4 that fails.
 */
static const struct ccase ccases[] = {
	{ "|||||||", "missing_event_id" },
	{ "|25:00|view|p|u|a|d|abc", "missing_event_id" },
	{ "|||p||||", "missing_event_id" },
	{ "e2|||||||", "missing_timestamp" },
	{ "e|||||||", "missing_timestamp" },
	{ "e||view|p||||-1", "missing_timestamp" },
	{ "e|25:00||||||", "bad_timestamp" },
	{ "e|10:60|view|p||||abc", "bad_timestamp" },
	{ "e|10:00pm||||||", "bad_timestamp" },
	{ "e|2026-02-30T10:00:00Z|click|||||", "bad_timestamp" },
	{ "e|10:00:00.1234567890||||||", "bad_timestamp" },
	{ "e| 10:00||||||", "bad_timestamp" },
	{ "e|10:00||||||", "serving" },
	{ "e|10:00||||||10", "serving" },
	{ "e|10:00||||||0.25", "serving" },
	{ "e|2026-11-01T10:05:30+02:00|||u|a|d|007", "serving" },
	{ "e|1793527874.25||||||0", "serving" },
	{ "e|10:00||||||abc", "bad_price" },
	{ "e|10:00||||||-1", "bad_price" },
	{ "e|10:00||||||1.", "bad_price" },
	{ "e|10:00||||||.5", "bad_price" },
	{ "e|10:00||||||1e3", "bad_price" },
	{ "e|10:00||||||1.2.3", "bad_price" },
	{ "e|10:00|||||| 1", "bad_price" },
	{ "e|10:00||||||1 ", "bad_price" },
	{ "e|10:00||||||+1", "bad_price" },
	{ "e|10:00||p||||", "parent_without_type" },
	{ "e|10:00||p||||abc", "parent_without_type" },
	{ "e|10:00|Click|p||||", "unknown_event_type" },
	{ "e|10:00|view|||||", "unknown_event_type" },
	{ "e|10:00|impression |p||||", "unknown_event_type" },
	{ "e|10:00|IMPRESSION|p||||abc", "unknown_event_type" },
	{ "e|10:00|click|||||", "type_without_parent" },
	{ "e|10:00|impression||u|a|d|x", "type_without_parent" },
	{ "e|10:00|impression|p||||", "user" },
	{ "e|10:00|click|p|u|a|d|abc", "user" },
	{ "e|9:00|click|p||||", "user" },
};
#define NCCASES	(sizeof(ccases) / sizeof(ccases[0]))

/* Every case through one classify: routes, reasons, order and counts. */
static void
test_classify_routes(void **state)
{
	struct tu_header h;
	struct evp_classify c;
	size_t ns = 0, nu = 0, nr = 0;

	(void)state;
	tu_header_init(&h, EVENT);
	evp_classify_init(&c, &rjs.rj, &out1.sink, &out2.sink);
	assert_int_equal(evp_sink_start(&c.st.sink, &h.h), 0);
	for (size_t i = 0; i < NCCASES; i++) {
		assert_int_equal(tu_put(&c.st.sink, "in.csv", 2 + i, ccases[i].rec,
		    '|'), 0);
	}
	assert_int_equal(evp_sink_end(&c.st.sink), 0);
	tu_rejects_read(&rjs);

	assert_true(out1.started && out1.ended && out2.started && out2.ended);
	names_are(&out1, EVENT);
	names_are(&out2, EVENT);
	for (size_t i = 0; i < NCCASES; i++) {
		const struct ccase *k = &ccases[i];
		const struct tu_row *row;
		if (strcmp(k->want, "serving") == 0)
			row = ns < out1.n ? &out1.row[ns++] : NULL;
		else if (strcmp(k->want, "user") == 0)
			row = nu < out2.n ? &out2.row[nu++] : NULL;
		else {
			char fields[128];
			snprintf(fields, sizeof(fields), "%s", k->rec);
			reject_is(nr++, "classify", k->want, "", 2 + i, fields);
			assert_string_equal(tu_rows_get(&rjs.rows, nr - 1, "source"),
			    "in.csv");
			assert_string_equal(tu_rows_get(&rjs.rows, nr - 1, "raw"), "");
			continue;
		}
		if (row == NULL || row->at.line != 2 + i)
			fail_msg("case %zu '%s': not the next %s record", i, k->rec,
			    k->want);
		assert_string_equal(row->at.source, "in.csv");
	}
	assert_int_equal(out1.n, ns);
	assert_int_equal(out2.n, nu);
	assert_int_equal(rjs.rows.n, nr);

	conserved(&c.st.count);
	assert_int_equal(c.st.count.in, NCCASES);
	assert_int_equal(c.st.count.out, ns + nu);
	assert_int_equal(tu_output_count(&c.st.count, "serving"), ns);
	assert_int_equal(tu_output_count(&c.st.count, "user"), nu);
	assert_int_equal(rjs.rj.rows, nr);
	assert_int_equal(tu_reason_count(&c.st.count, "bad_price"), 9);
	assert_int_equal(tu_reason_count(&c.st.count, "missing_event_id"), 3);
	evp_classify_release(&c);
	tu_header_free(&h);
}

/* The fields of a routed record come out unchanged, all of them. */
static void
test_classify_fields(void **state)
{
	struct tu_header h;
	struct evp_classify c;

	(void)state;
	tu_header_init(&h, EVENT ",extra");
	evp_classify_init(&c, &rjs.rj, &out1.sink, &out2.sink);
	assert_int_equal(evp_sink_start(&c.st.sink, &h.h), 0);
	tu_put(&c.st.sink, "-", 7, "s1|10:00|||u1|a1|d1|10|x, \"y\"", '|');
	tu_put(&c.st.sink, "-", 8, "c1|10:05|click|s1|u1|a1|d1||", '|');
	assert_int_equal(evp_sink_end(&c.st.sink), 0);
	names_are(&out1, EVENT ",extra");
	assert_int_equal(out1.n, 1);
	assert_int_equal(out2.n, 1);
	row_is(&out1, 0, "s1|10:00|||u1|a1|d1|10|x, \"y\"");
	row_is(&out2, 0, "c1|10:05|click|s1|u1|a1|d1||");
	assert_int_equal(out2.row[0].at.line, 8);
	evp_classify_release(&c);
	tu_header_free(&h);
}

/*
 * The rejects' layout: fields placed by column name whatever the input's
 * order, and a record with a column the layout lacks written whole into
 * raw, in its own order, as one CSV line.
 */
static void
test_classify_rejects_layout(void **state)
{
	struct tu_header h, h2;
	struct evp_classify c, c2;

	(void)state;
	tu_header_init(&h, "price,note,eventTimestamp,eventId,userId,eventType,"
	    "parentEventId,advertiserId,deviceId");
	evp_classify_init(&c, &rjs.rj, &out1.sink, &out2.sink);
	assert_int_equal(evp_sink_start(&c.st.sink, &h.h), 0);
	tu_put(&c.st.sink, "a.csv", 3, "-5|hello, \"world\"|10:00|e9|u1|||a1|d1",
	    '|');
	tu_put(&c.st.sink, "a.csv", 4, "|n|10:00||u2|click|e9||", '|');
	assert_int_equal(evp_sink_end(&c.st.sink), 0);
	evp_classify_release(&c);

	/* A second stage, the layout's own columns in another order. */
	tu_header_init(&h2, "userId,price,eventType,eventId,parentEventId,"
	    "eventTimestamp,advertiserId,deviceId");
	tu_rows_free(&out1);
	tu_rows_free(&out2);
	evp_classify_init(&c2, &rjs.rj, &out1.sink, &out2.sink);
	assert_int_equal(evp_sink_start(&c2.st.sink, &h2.h), 0);
	tu_put(&c2.st.sink, "b.csv", 9, "u3|1|view|e10|p|10:00|a3|d3", '|');
	assert_int_equal(evp_sink_end(&c2.st.sink), 0);
	evp_classify_release(&c2);
	tu_rejects_read(&rjs);

	names_are(&rjs.rows, "stage,reason,detail,source,line,raw," EVENT);
	assert_int_equal(rjs.rows.n, 3);
	reject_is(0, "classify", "bad_price", "-5", 3,
	    "e9|10:00|||u1|a1|d1|-5");
	assert_string_equal(tu_rows_get(&rjs.rows, 0, "source"), "a.csv");
	assert_string_equal(tu_rows_get(&rjs.rows, 0, "raw"),
	    "-5,\"hello, \"\"world\"\"\",10:00,e9,u1,,,a1,d1");
	reject_is(1, "classify", "missing_event_id", "", 4,
	    "|10:00|click|e9|u2|||");
	assert_string_equal(tu_rows_get(&rjs.rows, 1, "raw"),
	    ",n,10:00,,u2,click,e9,,");
	reject_is(2, "classify", "unknown_event_type", "view", 9,
	    "e10|10:00|view|p|u3|a3|d3|1");
	assert_string_equal(tu_rows_get(&rjs.rows, 2, "raw"), "");
	assert_string_equal(tu_rows_get(&rjs.rows, 2, "source"), "b.csv");
	tu_header_free(&h);
	tu_header_free(&h2);
}

/* A header without a column classify reads is refused at start. */
static void
test_classify_missing_column(void **state)
{
	struct tu_header h;
	struct evp_classify c;

	(void)state;
	tu_header_init(&h, "eventId,eventTimestamp,eventType,userId,price");
	evp_classify_init(&c, &rjs.rj, &out1.sink, &out2.sink);
	assert_int_equal(evp_sink_start(&c.st.sink, &h.h), -1);
	assert_false(out1.started);
	evp_classify_release(&c);
	tu_header_free(&h);
}

/* ---- merge ---- */

static const char *const serving_rows[] = {
	"e1|10:00|||u1|adv1|d1|10",		/* line 2 */
	"|10:00|||u9|adv9|d9|9",		/* 3: missing_key */
	"e1|11:00|||u7|adv7|d7|70",		/* 4: duplicate_key */
	"e2|10:01|||u2|adv2|d2|12",		/* 5 */
	"e1|12:00|||u8|adv8|d8|80",		/* 6: duplicate_key */
};
static const char *const user_rows[] = {
	"e3|10:05|impression|e1|u1|a|d|",	/* line 2 */
	"e4|10:06|click|e2|u2||d|5",		/* 3 */
	"e5|10:07|click|nope|u1|||",		/* 4: no match */
	"e6|10:08|click||u1|||",		/* 5: no key */
	"e7|10:09|impression|e1|u3|||",		/* 6 */
};

/* Push the serving rows into m's index and the user rows into m. */
static void
run_merge(struct evp_merge *m, const char *sh, const char *uh)
{
	struct tu_header hs, hu;

	tu_header_init(&hs, sh);
	tu_header_init(&hu, uh);
	hs.h.at.source = "serving.csv";
	assert_int_equal(evp_sink_start(&m->index, &hs.h), 0);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(tu_put(&m->index, "serving.csv", 2 + i,
		    serving_rows[i], '|'), 0);
	assert_int_equal(evp_sink_end(&m->index), 0);
	assert_int_equal(evp_sink_start(&m->st.sink, &hu.h), 0);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(tu_put(&m->st.sink, "user.csv", 2 + i,
		    user_rows[i], '|'), 0);
	assert_int_equal(evp_sink_end(&m->st.sink), 0);
	tu_header_free(&hs);
	tu_header_free(&hu);
}

static void
merge_counts(const struct evp_merge *m)
{
	conserved(&m->st.count);
	assert_int_equal(m->st.count.in, 10);
	assert_int_equal(m->st.count.out, 7);
	assert_int_equal(tu_reason_count(&m->st.count, "missing_key"), 1);
	assert_int_equal(tu_reason_count(&m->st.count, "duplicate_key"), 2);
	assert_int_equal(tu_output_count(&m->st.count, "index"), 2);
	assert_int_equal(tu_output_count(&m->st.count, "merged"), 5);
	assert_int_equal(m->indexed, 2);
	assert_int_equal(m->merged, 5);
}

/* The index side's rejects: the key missing, then repeated (first wins). */
static void
merge_rejects(void)
{
	tu_rejects_read(&rjs);
	assert_int_equal(rjs.rows.n, 3);
	reject_is(0, "merge", "missing_key", "eventId", 3,
	    "|10:00|||u9|adv9|d9|9");
	reject_is(1, "merge", "duplicate_key", "serving.csv:2", 4,
	    "e1|11:00|||u7|adv7|d7|70");
	reject_is(2, "merge", "duplicate_key", "serving.csv:2", 6,
	    "e1|12:00|||u8|adv8|d8|80");
	assert_string_equal(tu_rows_get(&rjs.rows, 1, "source"), "serving.csv");
}

/* Every serving column carried, under the prefix; unmatched rows empty. */
static void
test_merge_all_columns(void **state)
{
	struct evp_merge_opts o = { "parentEventId", "eventId", PREFIX, NULL,
	    NULL };
	struct evp_merge m;

	(void)state;
	evp_merge_init(&m, &o, &rjs.rj, &out1.sink);
	run_merge(&m, EVENT, EVENT);

	names_are(&out1, EVENT ",serving.eventId,serving.eventTimestamp,"
	    "serving.eventType,serving.parentEventId,serving.userId,"
	    "serving.advertiserId,serving.deviceId,serving.price");
	assert_int_equal(out1.h.carried, 8);
	assert_string_equal(out1.h.prefix, PREFIX);
	assert_true(out1.ended);
	assert_int_equal(out1.n, 5);
	row_is(&out1, 0, "e3|10:05|impression|e1|u1|a|d||e1|10:00|||u1|adv1|d1|10");
	row_is(&out1, 1, "e4|10:06|click|e2|u2||d|5|e2|10:01|||u2|adv2|d2|12");
	row_is(&out1, 2, "e5|10:07|click|nope|u1|||" "||||||||");
	row_is(&out1, 3, "e6|10:08|click||u1|||" "||||||||");
	row_is(&out1, 4, "e7|10:09|impression|e1|u3||||e1|10:00|||u1|adv1|d1|10");
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(out1.row[i].at.line, 2 + i);
		assert_string_equal(out1.row[i].at.source, "user.csv");
	}
	merge_counts(&m);
	merge_rejects();
	evp_merge_release(&m);
}

/*
 * --carry: only the columns named, and the key, in the serving header's
 * order; other key names on either side; a user side with columns of its
 * own beyond the eight.
 */
static void
test_merge_carry(void **state)
{
	struct evp_names carry;
	struct evp_merge_opts o = { "parent", "id", "s_", &carry, NULL };
	struct evp_merge m;

	(void)state;
	assert_int_equal(evp_names_parse(&carry, "price,userId"), 0);
	evp_merge_init(&m, &o, &rjs.rj, &out1.sink);
	run_merge(&m, "id,eventTimestamp,eventType,parentEventId,userId,"
	    "advertiserId,deviceId,price",
	    "eventId,eventTimestamp,eventType,parent,userId,advertiserId,"
	    "deviceId,price");

	names_are(&out1, "eventId,eventTimestamp,eventType,parent,userId,"
	    "advertiserId,deviceId,price,s_id,s_userId,s_price");
	assert_int_equal(out1.h.carried, 3);
	assert_string_equal(out1.h.prefix, "s_");
	assert_int_equal(out1.n, 5);
	row_is(&out1, 0, "e3|10:05|impression|e1|u1|a|d||e1|u1|10");
	row_is(&out1, 1, "e4|10:06|click|e2|u2||d|5|e2|u2|12");
	row_is(&out1, 2, "e5|10:07|click|nope|u1|||" "|||");
	row_is(&out1, 3, "e6|10:08|click||u1|||" "|||");
	row_is(&out1, 4, "e7|10:09|impression|e1|u3||||e1|u1|10");
	merge_counts(&m);
	evp_merge_release(&m);
	evp_names_free(&carry);
}

/* A column named by --carry that the serving side lacks is an error. */
static void
test_merge_carry_missing(void **state)
{
	struct evp_names carry;
	struct evp_merge_opts o = { "parentEventId", "eventId", PREFIX, &carry,
	    NULL };
	struct evp_merge m;
	struct tu_header hs;

	(void)state;
	assert_int_equal(evp_names_parse(&carry, "price,campaign"), 0);
	tu_header_init(&hs, EVENT);
	evp_merge_init(&m, &o, &rjs.rj, &out1.sink);
	assert_int_equal(evp_sink_start(&m.index, &hs.h), -1);
	evp_merge_release(&m);
	tu_header_free(&hs);
	evp_names_free(&carry);
}

/*
 * unmatched: a user row whose key matches nothing is refused with the
 * reason given, its fields in the rejects' columns; an empty key passes.
 */
static void
test_merge_unmatched(void **state)
{
	struct evp_merge_opts o = { "parentEventId", "eventId", PREFIX, NULL,
	    "no_parent" };
	struct evp_merge m;

	(void)state;
	evp_merge_init(&m, &o, &rjs.rj, &out1.sink);
	run_merge(&m, EVENT, EVENT);
	assert_int_equal(out1.n, 4);
	row_is(&out1, 2, "e6|10:08|click||u1|||" "||||||||");
	assert_int_equal(m.merged, 4);
	conserved(&m.st.count);
	tu_rejects_read(&rjs);
	assert_int_equal(rjs.rows.n, 4);
	reject_is(3, "merge", "no_parent", "parentEventId 'nope' has no match "
	    "in serving.csv", 4, "e5|10:07|click|nope|u1|||");
	evp_merge_release(&m);
}

/* No serving input at all: every user row with empty serving columns. */
static void
test_merge_no_index(void **state)
{
	struct evp_names carry;
	struct evp_merge_opts o = { "parentEventId", "eventId", PREFIX, &carry,
	    NULL };
	struct evp_merge m;
	struct tu_header hu;

	(void)state;
	assert_int_equal(evp_names_parse(&carry, evp_aep_carry), 0);
	tu_header_init(&hu, EVENT);
	evp_merge_init(&m, &o, &rjs.rj, &out1.sink);
	assert_int_equal(evp_sink_start(&m.st.sink, &hu.h), 0);
	tu_put(&m.st.sink, "u", 2, user_rows[0], '|');
	assert_int_equal(evp_sink_end(&m.st.sink), 0);
	names_are(&out1, EVENT ",serving.eventId,serving.eventTimestamp,"
	    "serving.userId,serving.advertiserId,serving.price");
	assert_int_equal(out1.h.carried, 5);
	row_is(&out1, 0, "e3|10:05|impression|e1|u1|a|d|" "|||||");
	conserved(&m.st.count);
	evp_merge_release(&m);
	tu_header_free(&hu);
	evp_names_free(&carry);
}

/* ---- validate ---- */

/* The user event's eight columns, then what merge carries for validate. */
#define MERGED	EVENT ",serving.eventId,serving.eventTimestamp,serving.userId," \
		"serving.advertiserId,serving.price"

struct vcase {
	const char	*user;		/* the eight fields */
	const char	*serving;	/* eventId|ts|userId|advertiserId|price */
	const char	*want;		/* the reason, or the enriched record */
	const char	*detail;	/* what the detail shows */
};

static const struct vcase vcases[] = {
	/* a: the parent is a serving event */
	{ "u1|10:05|click|nope|usr|ua|ud|1", "||||", "unknown_parent", "nope" },
	{ "u2|bad|click|nope||ua|ud|1", "||||", "unknown_parent", "nope" },
	/* b: the same user, both non-empty */
	{ "u3|10:05|click|s1|usr|ua|ud|1", "s1|10:00|other|sa|5",
	    "user_mismatch", "other" },
	{ "u4|10:05|click|s1||ua|ud|1", "s1|10:00||sa|5", "user_mismatch", "" },
	{ "u5|10:05|click|s1|usr|ua|ud|1", "s1|10:00||sa|5", "user_mismatch",
	    "usr" },
	{ "u6|10:05|click|s1||ua|ud|1", "s1|10:00|usr|sa|5", "user_mismatch",
	    "usr" },
	{ "u7|x|click|s1|usr|ua|ud|1", "s1|y|Usr|sa|5", "user_mismatch", "Usr" },
	/* c: the serving event strictly before */
	{ "u8|x|click|s1|usr|ua|ud|1", "s1|10:00|usr|sa|5", "bad_timestamp",
	    "'x'" },
	{ "u9|10:05|click|s1|usr|ua|ud|1", "s1|25:00|usr|sa|5", "bad_timestamp",
	    "25:00" },
	{ "u10|x|click|s1|usr|ua|ud|1", "s1|y|usr|sa|5", "bad_timestamp", "'x'" },
	{ "u11|10:00|click|s1|usr|ua|ud|1", "s1|10:00|usr|sa|5",
	    "not_after_parent", "10:00" },
	{ "u12|9:59:59.999999999|click|s1|usr|ua|ud|1", "s1|10:00|usr|sa|5",
	    "not_after_parent", "9:59:59.999999999" },
	{ "u13|2026-11-01T10:00:00+01:00|click|s1|usr|ua|ud|1",
	    "s1|2026-11-01T09:00:00Z|usr|sa|5", "not_after_parent", "" },
	{ "u14|10:05|click|s1|usr|ua|ud|1", "s1|2026-11-01T10:00:00Z|usr|sa|5",
	    "incomparable_timestamps", "2026-11-01T10:00:00Z" },
	{ "u15|1793527874|click|s1|usr|ua|ud|1", "s1|10:00|usr|sa|5",
	    "incomparable_timestamps", "1793527874" },
	/* passes: advertiserId and price from the serving event */
	{ "u16|10:00:00.000000001|click|s1|usr|ua|ud|1", "s1|10:00|usr|sa|5",
	    "u16|10:00:00.000000001|click|s1|usr|sa|ud|5", NULL },
	{ "u17|2026-11-01T10:00:01+01:00|impression|s1|usr|||",
	    "s1|2026-11-01T09:00:00Z|usr|sa|",
	    "u17|2026-11-01T10:00:01+01:00|impression|s1|usr|sa||", NULL },
	{ "u18|1793527875|click|s1|usr|ua|ud|1", "s1|1793527874.5|usr||",
	    "u18|1793527875|click|s1|usr||ud|", NULL },
};
#define NVCASES	(sizeof(vcases) / sizeof(vcases[0]))

/* Is want a reason (no '|') rather than a record? */
static int
is_reason(const char *want)
{
	return strchr(want, '|') == NULL;
}

/* Check the outputs of the cases pushed in at lines 2, 3, ... */
static void
validate_outcome(const struct evp_validate *v)
{
	size_t no = 0, nr = 0;

	tu_rejects_read(&rjs);
	names_are(&out1, EVENT);
	assert_int_equal(out1.h.carried, 0);
	for (size_t i = 0; i < NVCASES; i++) {
		const struct vcase *k = &vcases[i];
		if (is_reason(k->want)) {
			/* The user's own fields, not enriched, nothing carried. */
			reject_is(nr++, "validate", k->want, k->detail, 2 + i, k->user);
			assert_string_equal(tu_rows_get(&rjs.rows, nr - 1, "raw"), "");
			continue;
		}
		row_is(&out1, no, k->want);
		assert_int_equal(out1.row[no].at.line, 2 + i);
		no++;
	}
	assert_int_equal(out1.n, no);
	assert_int_equal(rjs.rows.n, nr);
	conserved(&v->st.count);
	assert_int_equal(v->st.count.in, NVCASES);
	assert_int_equal(v->st.count.out, no);
	assert_int_equal(tu_reason_count(&v->st.count, "user_mismatch"), 5);
}

/* Rules a-c in order, enrichment and projection, on a header from merge. */
static void
test_validate_rules(void **state)
{
	struct tu_header own, srv;
	struct evp_header h;
	struct evp_arena mem;
	struct evp_validate v;
	char rec[256];

	(void)state;
	tu_header_init(&own, EVENT);
	tu_header_init(&srv, "eventId,eventTimestamp,userId,advertiserId,price");
	evp_arena_init(&mem);
	evp_header_join(&h, &own.h, &srv.h, PREFIX, &mem);
	assert_int_equal(h.carried, 5);
	/* A prefix the header does not use: the header's marks decide. */
	evp_validate_init(&v, "other.", &rjs.rj, &out1.sink);
	assert_int_equal(evp_sink_start(&v.st.sink, &h), 0);
	for (size_t i = 0; i < NVCASES; i++) {
		snprintf(rec, sizeof(rec), "%s|%s", vcases[i].user,
		    vcases[i].serving);
		assert_int_equal(tu_put(&v.st.sink, "m.csv", 2 + i, rec, '|'), 0);
	}
	assert_int_equal(evp_sink_end(&v.st.sink), 0);
	assert_true(out1.ended);
	validate_outcome(&v);
	evp_validate_release(&v);
	evp_arena_release(&mem);
	tu_header_free(&own);
	tu_header_free(&srv);
}

/*
 * The same cases from a merged CSV file read back: the header does not
 * say what was carried, the prefix does; the serving columns come in
 * another order, with one validate does not read.
 */
static void
test_validate_prefix_only(void **state)
{
	static const char names[] = EVENT ",serving.price,serving.deviceId,"
	    "serving.userId,serving.eventTimestamp,serving.advertiserId,"
	    "serving.eventId";
	struct tu_header h;
	struct evp_ofile f;
	struct evp_validate v;
	struct evp_input in;
	struct evp_csvin c;
	struct evp_csvrow row;
	const char *path;
	int fd;

	(void)state;
	/* Write the merged file. */
	tu_header_init(&h, names);
	path = merged = tu_mkstemp("merged", &fd);
	close(fd);
	assert_int_equal(evp_ofile_open(&f, path), 0);
	evp_csv_put_row(&f, h.h.name, h.h.n);
	for (size_t i = 0; i < NVCASES; i++) {
		struct evp_str fv[13];
		char rec[256], *p = rec;
		snprintf(rec, sizeof(rec), "%s|%s", vcases[i].user,
		    vcases[i].serving);
		for (size_t k = 0; k < 12; k++) {
			char *e = strchr(p, '|');
			fv[k] = (struct evp_str){ p, (size_t)(e - p) };
			p = e + 1;
		}
		fv[12] = (struct evp_str){ p, strlen(p) };
		/* serving: 8 id, 9 ts, 10 user, 11 adv, 12 price */
		struct evp_str sv[14];
		memcpy(sv, fv, 8 * sizeof(*sv));
		sv[8] = fv[12];
		sv[9] = EVP_STR("dev");
		sv[10] = fv[10];
		sv[11] = fv[9];
		sv[12] = fv[11];
		sv[13] = fv[8];
		evp_csv_put_row(&f, sv, 14);
	}
	assert_int_equal(evp_ofile_commit(&f), 0);

	/* Read it back into validate. */
	assert_int_equal(evp_input_open(&in, path, 0), 0);
	assert_int_equal(evp_csvin_open(&c, &in, NULL), 0);
	assert_int_equal(c.header.carried, 0);
	evp_validate_init(&v, PREFIX, &rjs.rj, &out1.sink);
	assert_int_equal(evp_sink_start(&v.st.sink, &c.header), 0);
	while (evp_csvin_next(&c, &row) > 0) {
		assert_null(row.bad.reason);
		struct evp_rec r = { row.n, row.f, { path, row.line }, { NULL, 0 } };
		assert_int_equal(evp_sink_put(&v.st.sink, &r), 0);
	}
	assert_int_equal(evp_sink_end(&v.st.sink), 0);
	evp_csvin_close(&c);
	evp_input_close(&in);
	validate_outcome(&v);
	evp_validate_release(&v);
	tu_header_free(&h);
}

/* A header carrying nothing under the prefix names the column missing. */
static void
test_validate_missing_carried(void **state)
{
	struct tu_header h;
	struct evp_validate v;

	(void)state;
	tu_header_init(&h, EVENT ",s.eventId,s.eventTimestamp,s.userId,"
	    "s.advertiserId,s.price");
	evp_validate_init(&v, PREFIX, &rjs.rj, &out1.sink);
	assert_int_equal(evp_sink_start(&v.st.sink, &h.h), -1);
	assert_false(out1.started);
	evp_validate_release(&v);
	/* The carried columns alone do not make the user's. */
	tu_header_free(&h);
	tu_header_init(&h, "eventId,eventTimestamp,eventType,userId,"
	    "advertiserId,deviceId,price,serving.eventId,serving.eventTimestamp,"
	    "serving.userId,serving.advertiserId,serving.price,"
	    "serving.parentEventId");
	evp_validate_init(&v, PREFIX, &rjs.rj, &out1.sink);
	assert_int_equal(evp_sink_start(&v.st.sink, &h.h), -1);
	evp_validate_release(&v);
	tu_header_free(&h);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_classify_routes),
		T(test_classify_fields),
		T(test_classify_rejects_layout),
		T(test_classify_missing_column),
		T(test_merge_all_columns),
		T(test_merge_carry),
		T(test_merge_carry_missing),
		T(test_merge_no_index),
		T(test_merge_unmatched),
		T(test_validate_rules),
		T(test_validate_prefix_only),
		T(test_validate_missing_carried),
	};

	evp_diag_init("test_stages");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
