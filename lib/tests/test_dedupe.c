/*
 * Unit tests for the dedupe stage (SPEC section 5 d) through its sink,
 * and the SPEC section 9 worked example through classify, merge,
 * validate and dedupe chained in memory.  The kept records are captured;
 * the rejects are written to a temporary file and read back.  Besides
 * hand-made cases in every mode, random inputs are checked against a
 * reference written here, whose only subtlety is the order of the
 * rejects: refused at once while reading (bad and incomparable
 * timestamps, and every duplicate of keep-first), the other modes'
 * duplicates at the end, in input order.
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
#include "stages/dedupe.h"
#include "stages/merge.h"
#include "testutil.h"

#define EVENT	"eventId,eventTimestamp,eventType,parentEventId,userId," \
		"advertiserId,deviceId,price"

static struct tu_header layout;
static struct tu_rejects rjs;
static char *merged;		/* a merged CSV file, removed by teardown */
static struct tu_rows out, s_out, u_out;

static int
setup(void **state)
{
	(void)state;
	tu_header_init(&layout, EVENT);
	tu_rejects_open(&rjs, &layout.h);
	tu_rows_init(&out);
	tu_rows_init(&s_out);
	tu_rows_init(&u_out);
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
	tu_rows_free(&out);
	tu_rows_free(&s_out);
	tu_rows_free(&u_out);
	tu_header_free(&layout);
	return 0;
}

/* Conserved, and every reject written. */
static void
conserved(const struct evp_count *c)
{
	tu_conserved(c);
	assert_int_equal(rjs.rj.rows, c->rejected);
}

/* The last word of s. */
static const char *
last_word(const char *s)
{
	const char *sp = strrchr(s, ' ');

	return sp ? sp + 1 : s;
}

/*
 * Column col of the rows of r, space-separated, each followed for
 * rejects by ':', the reason, ':' and the last word of the detail:
 * "d1 d2", or "d1:duplicate:d2 d6:bad_timestamp:'bad'".
 */
static void
summary(const struct tu_rows *r, const char *col, int rejects,
    struct evp_buf *b)
{
	evp_buf_reset(b);
	evp_buf_adds(b, "");
	for (size_t i = 0; i < r->n; i++) {
		if (i)
			evp_buf_addc(b, ' ');
		evp_buf_adds(b, tu_rows_get(r, i, col));
		if (rejects)
			evp_buf_printf(b, ":%s:%s", tu_rows_get(r, i, "reason"),
			    last_word(tu_rows_get(r, i, "detail")));
	}
}

static void
text_is(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("%s:\n  got  %s\n  want %s", what, got, want);
}

/* ---- the modes, by hand ---- */

/*
 * Fields: eventId|eventTimestamp|eventType|parentEventId|userId|
 * advertiserId|deviceId|price.
 */
static const char *const drows[] = {
	"d1|10:05|impression|p1|u|a|d|",		/* line 2 */
	"d2|10:03|impression|p1|u|a|d|",		/* 3 */
	"d3|10:05|click|p1|u|a|d|",			/* 4 */
	"d4|10:03|impression|p1|u|a|d|",		/* 5: ties d2 */
	"d5|10:03:00.000|impression|p1|u|a|d|",		/* 6: ties d2 */
	"d6|bad|impression|p2|u|a|d|",			/* 7 */
	"d7|2026-11-01T10:00:00Z|click|p1|u|a|d|",	/* 8 */
	"d8|10:04|click|p1|u|a|d|",			/* 9 */
	"d9|10:00|impression|p3|u|a|d|",		/* 10 */
	"d10|10:06|click|p1|u|a|d|",			/* 11 */
	"d11|10:06:00|click|p1|u|a|d|",			/* 12: ties d10 */
};
#define NDROWS	(sizeof(drows) / sizeof(drows[0]))

struct mcase {
	enum evp_keep	 keep;
	const char	*kept;		/* ids, in output order */
	const char	*rejects;	/* id:reason:last word of the detail */
};

static const struct mcase mcases[] = {
	{ EVP_KEEP_EARLIEST, "d2 d8 d9",
	    "d6:bad_timestamp:'bad' d7:incomparable_timestamps:record's "
	    "d1:duplicate:d2 d3:duplicate:d8 d4:duplicate:d2 d5:duplicate:d2 "
	    "d10:duplicate:d8 d11:duplicate:d8" },
	{ EVP_KEEP_LATEST, "d1 d9 d10",
	    "d6:bad_timestamp:'bad' d7:incomparable_timestamps:record's "
	    "d2:duplicate:d1 d3:duplicate:d10 d4:duplicate:d1 d5:duplicate:d1 "
	    "d8:duplicate:d10 d11:duplicate:d10" },
	/* No timestamps read: d6 is kept, d7 a plain duplicate. */
	{ EVP_KEEP_FIRST, "d1 d3 d6 d9",
	    "d2:duplicate:d1 d4:duplicate:d1 d5:duplicate:d1 d7:duplicate:d3 "
	    "d8:duplicate:d3 d10:duplicate:d3 d11:duplicate:d3" },
	{ EVP_KEEP_LAST, "d5 d6 d9 d11",
	    "d1:duplicate:d5 d2:duplicate:d5 d3:duplicate:d11 d4:duplicate:d5 "
	    "d7:duplicate:d11 d8:duplicate:d11 d10:duplicate:d11" },
};

static void
run_mode(const struct mcase *m)
{
	struct evp_names keys;
	struct evp_dedupe_opts o = { &keys, m->keep, "eventTimestamp", "eventId" };
	struct evp_dedupe d;
	struct tu_header h;
	struct evp_buf b = EVP_BUF_INIT;

	assert_int_equal(evp_names_parse(&keys, "parentEventId,eventType"), 0);
	tu_header_init(&h, EVENT);
	evp_dedupe_init(&d, &o, &rjs.rj, &out.sink);
	assert_int_equal(evp_sink_start(&d.st.sink, &h.h), 0);
	for (size_t i = 0; i < NDROWS; i++)
		assert_int_equal(tu_put(&d.st.sink, "u.csv", 2 + i, drows[i], '|'),
		    0);
	assert_int_equal(evp_sink_end(&d.st.sink), 0);
	tu_rejects_read(&rjs);

	assert_true(out.ended);
	assert_int_equal(out.h.n, 8);
	summary(&out, "eventId", 0, &b);
	text_is("kept", b.p, m->kept);
	summary(&rjs.rows, "eventId", 1, &b);
	text_is("rejects", b.p, m->rejects);
	/* Records whole, with their origin. */
	for (size_t i = 0; i < out.n; i++) {
		size_t k = (size_t)atoi(tu_rows_get(&out, i, "eventId") + 1) - 1;
		tu_rows_join(&out, i, '|', &b);
		assert_string_equal(b.p, drows[k]);
		assert_int_equal(out.row[i].at.line, 2 + k);
		assert_string_equal(out.row[i].at.source, "u.csv");
	}
	for (size_t i = 0; i < rjs.rows.n; i++) {
		size_t k = (size_t)atoi(tu_rows_get(&rjs.rows, i, "eventId") + 1) - 1;
		char line[16];
		snprintf(line, sizeof(line), "%zu", 2 + k);
		assert_string_equal(tu_rows_get(&rjs.rows, i, "stage"), "dedupe");
		assert_string_equal(tu_rows_get(&rjs.rows, i, "line"), line);
		assert_string_equal(tu_rows_get(&rjs.rows, i, "source"), "u.csv");
		/* The record's fields, placed in the layout (the same order). */
		evp_buf_reset(&b);
		for (size_t c = 6; c < rjs.rows.row[i].n; c++)
			evp_buf_printf(&b, "%s%s", c > 6 ? "|" : "",
			    rjs.rows.row[i].f[c].p);
		assert_string_equal(b.p, drows[k]);
	}
	conserved(&d.st.count);
	assert_int_equal(d.st.count.in, NDROWS);
	assert_int_equal(d.st.count.out, out.n);
	evp_buf_release(&b);
	evp_dedupe_release(&d);
	tu_header_free(&h);
	evp_names_free(&keys);
}

/* One mode's case, given as the test's state (see main). */
static void
test_keep(void **state)
{
	run_mode(*state);
}

/*
 * Composite keys are compared field by field: ("a,b", "c") and
 * ("a", "b,c") are two keys, as are ("", "x") and ("x", "").
 */
static void
test_composite_keys(void **state)
{
	static const char *const rows[] = {
		"r1;a,b;c", "r2;a;b,c", "r3;a,b;c", "r4;a;b,c", "r5;;x", "r6;x;",
		"r7;ab;c", "r8;a,b,c;", "r9;a;,b,c", "r10;x;",
	};
	static const enum evp_keep modes[] = { EVP_KEEP_FIRST, EVP_KEEP_LAST };
	static const char *const kept[] = {
		"r1 r2 r5 r6 r7 r8 r9", "r3 r4 r5 r7 r8 r9 r10"
	};
	struct evp_names keys;
	struct tu_header h;
	struct evp_buf b = EVP_BUF_INIT;

	(void)state;
	assert_int_equal(evp_names_parse(&keys, "k1,k2"), 0);
	tu_header_init(&h, "id,k1,k2");
	for (size_t m = 0; m < 2; m++) {
		struct evp_dedupe_opts o = { &keys, modes[m], NULL, "id" };
		struct evp_dedupe d;
		tu_rows_free(&out);
		evp_dedupe_init(&d, &o, &rjs.rj, &out.sink);
		assert_int_equal(evp_sink_start(&d.st.sink, &h.h), 0);
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			tu_put(&d.st.sink, "k.csv", 2 + i, rows[i], ';');
		assert_int_equal(evp_sink_end(&d.st.sink), 0);
		summary(&out, "id", 0, &b);
		text_is(m ? "keep last" : "keep first", b.p, kept[m]);
		assert_int_equal(d.st.count.rejected, 3);
		evp_dedupe_release(&d);
	}
	evp_buf_release(&b);
	tu_header_free(&h);
	evp_names_free(&keys);
}

/*
 * A duplicate's detail names the kept record by its id, or by where it
 * was read when it has none (an empty id, or no id column).
 */
static void
test_detail_without_id(void **state)
{
	static const char *const rows[] = {
		"|k|10:00", "x|k|09:00", "y|k|11:00", "z|j|10:00", "w|j|10:00",
	};
	struct evp_names keys;
	struct evp_buf b = EVP_BUF_INIT;

	(void)state;
	assert_int_equal(evp_names_parse(&keys, "key"), 0);
	for (int pass = 0; pass < 2; pass++) {
		struct tu_header h;
		struct evp_dedupe_opts o = { &keys, EVP_KEEP_LATEST, "ts",
		    pass ? "nosuch" : "id" };
		struct evp_dedupe d;
		tu_rejects_close(&rjs);
		tu_rejects_open(&rjs, &layout.h);
		tu_header_init(&h, "id,key,ts");
		evp_dedupe_init(&d, &o, &rjs.rj, &out.sink);
		assert_int_equal(evp_sink_start(&d.st.sink, &h.h), 0);
		for (size_t i = 0; i < 5; i++)
			tu_put(&d.st.sink, "f.csv", 2 + i, rows[i], '|');
		assert_int_equal(evp_sink_end(&d.st.sink), 0);
		tu_rejects_read(&rjs);
		assert_int_equal(rjs.rows.n, 3);
		/* y (line 4) is kept for k, z (line 5) for j. */
		text_is("detail 0", tu_rows_get(&rjs.rows, 0, "detail"),
		    pass ? "kept the record of f.csv:4" : "kept id y");
		text_is("detail 1", tu_rows_get(&rjs.rows, 1, "detail"),
		    pass ? "kept the record of f.csv:4" : "kept id y");
		text_is("detail 2", tu_rows_get(&rjs.rows, 2, "detail"),
		    pass ? "kept the record of f.csv:5" : "kept id z");
		/* The header lacks the layout's columns: raw has the record. */
		text_is("raw", tu_rows_get(&rjs.rows, 0, "raw"), ",k,10:00");
		evp_dedupe_release(&d);
		tu_header_free(&h);
		tu_rows_free(&out);
	}
	/* Keep-first names its kept record in the same way. */
	struct tu_header h;
	struct evp_dedupe_opts o = { &keys, EVP_KEEP_FIRST, NULL, "id" };
	struct evp_dedupe d;
	tu_rejects_close(&rjs);
	tu_rejects_open(&rjs, &layout.h);
	tu_header_init(&h, "id,key,ts");
	evp_dedupe_init(&d, &o, &rjs.rj, &out.sink);
	assert_int_equal(evp_sink_start(&d.st.sink, &h.h), 0);
	for (size_t i = 0; i < 5; i++)
		tu_put(&d.st.sink, "f.csv", 2 + i, rows[i], '|');
	assert_int_equal(evp_sink_end(&d.st.sink), 0);
	tu_rejects_read(&rjs);
	summary(&rjs.rows, "detail", 0, &b);
	text_is("details", b.p, "kept the record of f.csv:2 kept the record of "
	    "f.csv:2 kept id z");
	evp_dedupe_release(&d);
	tu_header_free(&h);
	evp_buf_release(&b);
	evp_names_free(&keys);
}

/* A key or time column the header lacks is an error at start. */
static void
test_missing_columns(void **state)
{
	struct evp_names keys;
	struct tu_header h;
	struct evp_dedupe d;

	(void)state;
	tu_header_init(&h, "id,key");
	assert_int_equal(evp_names_parse(&keys, "key,other"), 0);
	struct evp_dedupe_opts o1 = { &keys, EVP_KEEP_FIRST, NULL, "id" };
	evp_dedupe_init(&d, &o1, &rjs.rj, &out.sink);
	assert_int_equal(evp_sink_start(&d.st.sink, &h.h), -1);
	evp_dedupe_release(&d);
	evp_names_free(&keys);
	assert_int_equal(evp_names_parse(&keys, "key"), 0);
	struct evp_dedupe_opts o2 = { &keys, EVP_KEEP_EARLIEST, "ts", "id" };
	evp_dedupe_init(&d, &o2, &rjs.rj, &out.sink);
	assert_int_equal(evp_sink_start(&d.st.sink, &h.h), -1);
	evp_dedupe_release(&d);
	/* keep first and last read no time column. */
	struct evp_dedupe_opts o3 = { &keys, EVP_KEEP_LAST, "ts", "id" };
	evp_dedupe_init(&d, &o3, &rjs.rj, &out.sink);
	assert_int_equal(evp_sink_start(&d.st.sink, &h.h), 0);
	assert_int_equal(evp_sink_end(&d.st.sink), 0);
	evp_dedupe_release(&d);
	evp_names_free(&keys);
	tu_header_free(&h);

	enum evp_keep k;
	assert_int_equal(evp_keep_parse("earliest", &k), 0);
	assert_int_equal(k, EVP_KEEP_EARLIEST);
	assert_int_equal(evp_keep_parse("last", &k), 0);
	assert_int_equal(k, EVP_KEEP_LAST);
	assert_int_equal(evp_keep_parse("Last", &k), -1);
	assert_int_equal(evp_keep_parse("", &k), -1);
}

/* ---- random inputs against a reference ---- */

struct rrec {
	char		 id[16], key[8], ts[32];
	int		 kind;		/* 0 bad, 1 time of day, 2 instant */
	int		 val;		/* tenths of a second */
};

/* Who keeps what, the slow way. */
static void
reference(const struct rrec *r, size_t n, enum evp_keep keep,
    struct evp_buf *kept, struct evp_buf *rej)
{
	size_t *win = calloc(n, sizeof(*win));	/* by record: its key's winner */
	int *state = calloc(n, sizeof(*state));	/* 0 candidate, 1 refused */
	size_t i, j;

	assert_non_null(win);
	assert_non_null(state);
	evp_buf_reset(kept);
	evp_buf_reset(rej);
	evp_buf_adds(kept, "");
	evp_buf_adds(rej, "");
	int timed = keep == EVP_KEEP_EARLIEST || keep == EVP_KEEP_LATEST;
	for (i = 0; i < n; i++) {
		if (timed && r[i].kind == 0) {
			state[i] = 1;
			evp_buf_printf(rej, "%s%s:bad_timestamp:'%s'",
			    rej->len ? " " : "", r[i].id, r[i].ts);
			continue;
		}
		/* The key's current winner among the records before. */
		size_t w = SIZE_MAX;
		for (j = 0; j < i; j++)
			if (state[j] == 0 && strcmp(r[j].key, r[i].key) == 0) {
				w = win[j];
				break;
			}
		if (w == SIZE_MAX) {
			win[i] = i;
			continue;
		}
		int better = keep == EVP_KEEP_LAST;
		if (timed) {
			if (r[w].kind != r[i].kind) {
				state[i] = 1;
				evp_buf_printf(rej, "%s%s:incomparable_timestamps:record's",
				    rej->len ? " " : "", r[i].id);
				continue;
			}
			better = keep == EVP_KEEP_EARLIEST ? r[i].val < r[w].val :
			    r[i].val > r[w].val;
		}
		if (keep == EVP_KEEP_FIRST) {
			state[i] = 1;
			evp_buf_printf(rej, "%s%s:duplicate:%s", rej->len ? " " : "",
			    r[i].id, r[w].id);
			continue;
		}
		size_t nw = better ? i : w;
		for (j = 0; j <= i; j++)
			if (state[j] == 0 && strcmp(r[j].key, r[i].key) == 0)
				win[j] = nw;
	}
	for (i = 0; i < n; i++)
		if (state[i] == 0 && win[i] == i)
			evp_buf_printf(kept, "%s%s", kept->len ? " " : "", r[i].id);
	if (keep != EVP_KEEP_FIRST)
		for (i = 0; i < n; i++)
			if (state[i] == 0 && win[i] != i)
				evp_buf_printf(rej, "%s%s:duplicate:%s",
				    rej->len ? " " : "", r[i].id, r[win[i]].id);
	free(win);
	free(state);
}

/*
 * The text of a timestamp of kind k (0: not one) and value v, in tenths
 * of a second from 10:10:00 (UTC, for an instant), in one of its forms.
 */
static void
ts_text(char *d, size_t size, int k, int v, uint64_t form)
{
	int min = 10 + v / 600, sec = v / 10 % 60, tenth = v % 10;

	if (k == 0)
		snprintf(d, size, "%s", form % 2 ? "25:00" : "");
	else if (k == 1 && form % 3 == 0)
		snprintf(d, size, "10:%02d:%02d.%d", min, sec, tenth);
	else if (k == 1 && form % 3 == 1)
		snprintf(d, size, "10:%02d:%02d.%d00", min, sec, tenth);
	else if (k == 1)
		snprintf(d, size, tenth ? "10:%02d:%02d.%d" : "10:%02d:%02d",
		    min, sec, tenth);
	else if (form % 3 == 0)
		snprintf(d, size, "%d.%d", 1793527800 + v / 10, tenth);
	else if (form % 3 == 1)
		snprintf(d, size, "2026-11-01T10:%02d:%02d.%dZ", min, sec, tenth);
	else
		snprintf(d, size, "2026-11-01 11:%02d:%02d.%d+01:00", min, sec,
		    tenth);
}

static void
test_random_against_reference(void **state)
{
	uint64_t seed = 0x9E3779B97F4A7C15u;
	struct evp_buf got = EVP_BUF_INIT, want = EVP_BUF_INIT;
	struct evp_buf kw = EVP_BUF_INIT, rw = EVP_BUF_INIT, line = EVP_BUF_INIT;
	struct evp_names keys;

	(void)state;
	assert_int_equal(evp_names_parse(&keys, "k,t"), 0);
	for (int round = 0; round < 40; round++) {
		size_t n = 1 + tu_rnd(&seed) % (round < 20 ? 30 : 600);
		int nkeys = 1 + (int)(tu_rnd(&seed) % (round % 5 == 0 ? 2 : 40));
		struct rrec *r = calloc(n, sizeof(*r));
		assert_non_null(r);
		for (size_t i = 0; i < n; i++) {
			uint64_t x = tu_rnd(&seed);
			snprintf(r[i].id, sizeof(r[i].id), "r%zu", i);
			snprintf(r[i].key, sizeof(r[i].key), "%d",
			    (int)(x % (uint64_t)nkeys));
			r[i].kind = x / 64 % 16 == 0 ? 0 : x / 1024 % 8 == 0 ? 2 : 1;
			if (round % 4 == 1)	/* one kind only */
				r[i].kind = r[i].kind ? 1 : 0;
			r[i].val = (int)(x / 8192 % (round % 3 ? 50 : 5000));
			ts_text(r[i].ts, sizeof(r[i].ts), r[i].kind, r[i].val, x >> 40);
		}
		for (int keep = 0; keep < 4; keep++) {
			struct evp_dedupe_opts o = { &keys, (enum evp_keep)keep, "ts",
			    "id" };
			struct evp_dedupe d;
			struct tu_header h;
			tu_rejects_close(&rjs);
			tu_rejects_open(&rjs, &layout.h);
			tu_rows_free(&out);
			tu_header_init(&h, "id,k,ts,t");
			evp_dedupe_init(&d, &o, &rjs.rj, &out.sink);
			assert_int_equal(evp_sink_start(&d.st.sink, &h.h), 0);
			for (size_t i = 0; i < n; i++) {
				evp_buf_reset(&line);
				evp_buf_printf(&line, "%s|%s|%s|x", r[i].id, r[i].key,
				    r[i].ts);
				tu_put(&d.st.sink, "r.csv", 2 + i, line.p, '|');
			}
			assert_int_equal(evp_sink_end(&d.st.sink), 0);
			tu_rejects_read(&rjs);
			reference(r, n, (enum evp_keep)keep, &kw, &rw);
			summary(&out, "id", 0, &got);
			if (strcmp(got.p, kw.p) != 0)
				fail_msg("round %d keep %d: kept\n  got  %s\n  want %s",
				    round, keep, got.p, kw.p);
			/* The rejects: id from raw (the layout lacks the columns). */
			evp_buf_reset(&got);
			evp_buf_adds(&got, "");
			for (size_t i = 0; i < rjs.rows.n; i++) {
				const char *raw = tu_rows_get(&rjs.rows, i, "raw");
				evp_buf_printf(&got, "%s%.*s:%s:%s", i ? " " : "",
				    (int)strcspn(raw, ","), raw,
				    tu_rows_get(&rjs.rows, i, "reason"),
				    last_word(tu_rows_get(&rjs.rows, i, "detail")));
			}
			evp_buf_reset(&want);
			evp_buf_adds(&want, rw.p);
			if (strcmp(got.p, want.p) != 0)
				fail_msg("round %d keep %d: rejects\n  got  %s\n  want %s",
				    round, keep, got.p, want.p);
			conserved(&d.st.count);
			evp_dedupe_release(&d);
			tu_header_free(&h);
		}
		free(r);
	}
	evp_names_free(&keys);
	evp_buf_release(&got);
	evp_buf_release(&want);
	evp_buf_release(&kw);
	evp_buf_release(&rw);
	evp_buf_release(&line);
}

/* ---- SPEC section 9 ---- */

/* Push r's header and rows into s. */
static void
replay(const struct tu_rows *r, struct evp_sink *s)
{
	assert_int_equal(evp_sink_start(s, &r->h), 0);
	for (size_t i = 0; i < r->n; i++) {
		struct evp_rec rec = { r->row[i].n, r->row[i].f, r->row[i].at, { NULL, 0 } };
		assert_int_equal(evp_sink_put(s, &rec), 0);
	}
	assert_int_equal(evp_sink_end(s), 0);
}

/* merge, validate and dedupe as evp run chains them, into out. */
struct chain {
	struct evp_names	 carry, keys;
	struct evp_merge	 m;
	struct evp_validate	 v;
	struct evp_dedupe	 d;
};

static void
chain_init(struct chain *c)
{
	const struct evp_profile *p = &evp_aep_profile;

	assert_int_equal(evp_names_parse(&c->carry, evp_aep_carry), 0);
	assert_int_equal(evp_names_parse(&c->keys, p->keys), 0);
	struct evp_dedupe_opts d = { &c->keys, EVP_KEEP_FIRST, p->time, p->id };
	assert_int_equal(evp_keep_parse(p->keep, &d.keep), 0);
	assert_int_equal(d.keep, EVP_KEEP_EARLIEST);
	struct evp_merge_opts m = { p->key, p->index_key, p->prefix, &c->carry,
	    NULL };
	evp_dedupe_init(&c->d, &d, &rjs.rj, &out.sink);
	evp_validate_init(&c->v, p->prefix, &rjs.rj, &c->d.st.sink);
	evp_merge_init(&c->m, &m, &rjs.rj, &c->v.st.sink);
}

static void
chain_release(struct chain *c)
{
	evp_merge_release(&c->m);
	evp_validate_release(&c->v);
	evp_dedupe_release(&c->d);
	evp_names_free(&c->carry);
	evp_names_free(&c->keys);
}

static void
put_all(struct evp_sink *s, const char *hdr, const char *src,
    const char *const *rows, size_t n)
{
	struct tu_header h;

	tu_header_init(&h, hdr);
	assert_int_equal(evp_sink_start(s, &h.h), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(tu_put(s, src, 2 + i, rows[i], ','), 0);
	assert_int_equal(evp_sink_end(s), 0);
	tu_header_free(&h);
}

/* The serving and user events of the example. */
static const char *const spec_serving[] = {
	"event1,10:00,,,user1,adv1,deviceId1,10",
	"event2,10:01,,,user2,adv2,deviceId2,12",
};
static const char *const spec_user[] = {
	"event3,10:05,impression,event1,user1,adv1,deviceId1,10",
	"event4,10:08,impression,event1,user1,adv1,deviceId1,10",
	"event5,9:00,click,event1,user1,adv1,deviceId1,10",
	"event6,10:30,click,event1,user1,adv1,deviceId1,10",
	"event7,10:05,impression,event1,user2,adv1,deviceId1,10",
};

/* What becomes of each: two validated, three rejects, in this order. */
static void
spec_outcome(void)
{
	struct evp_buf b = EVP_BUF_INIT;

	tu_rejects_read(&rjs);
	text_is("header", tu_rows_names(&out, &b), EVENT);
	assert_int_equal(out.n, 2);
	text_is("row 1", tu_rows_join(&out, 0, ',', &b),
	    "event3,10:05,impression,event1,user1,adv1,deviceId1,10");
	text_is("row 2", tu_rows_join(&out, 1, ',', &b),
	    "event6,10:30,click,event1,user1,adv1,deviceId1,10");
	assert_int_equal(rjs.rows.n, 3);
	summary(&rjs.rows, "eventId", 1, &b);
	text_is("rejects", b.p, "event5:not_after_parent:'10:00' "
	    "event7:user_mismatch:'user1' event4:duplicate:event3");
	text_is("stage", tu_rows_get(&rjs.rows, 0, "stage"), "validate");
	text_is("stage", tu_rows_get(&rjs.rows, 1, "stage"), "validate");
	text_is("stage", tu_rows_get(&rjs.rows, 2, "stage"), "dedupe");
	text_is("line", tu_rows_get(&rjs.rows, 2, "line"), "3");
	/* The rejects hold the user event's own fields only. */
	text_is("raw", tu_rows_get(&rjs.rows, 0, "raw"), "");
	evp_buf_release(&b);
}

static void
test_spec_example_validate(void **state)
{
	struct chain c;

	(void)state;
	chain_init(&c);
	put_all(&c.m.index, EVENT, "serving_events.csv", spec_serving, 2);
	put_all(&c.m.st.sink, EVENT, "user_events.csv", spec_user, 5);
	spec_outcome();
	text_is("source", tu_rows_get(&rjs.rows, 2, "source"), "user_events.csv");
	assert_int_equal(c.m.st.count.in, 7);
	assert_int_equal(c.v.st.count.in, 5);
	assert_int_equal(c.v.st.count.out, 3);
	assert_int_equal(c.d.st.count.out, 2);
	chain_release(&c);
}

/*
 * The same as the hand pipeline runs it: merge writes CSV, validate reads
 * it back, with nothing but the prefix to tell the serving columns.
 */
static void
test_spec_example_pipeline(void **state)
{
	struct chain c;
	struct evp_ofile f;
	struct evp_csvsink cs;
	struct evp_input in;
	struct evp_csvin r;
	struct evp_csvrow row;
	const char *path;
	int fd;

	(void)state;
	chain_init(&c);
	/* merge alone, into a CSV file. */
	path = merged = tu_mkstemp("merged", &fd);
	close(fd);
	assert_int_equal(evp_ofile_open(&f, path), 0);
	evp_csvsink_init(&cs, &f);
	c.m.st.out = &cs.sink;
	put_all(&c.m.index, EVENT, "serving_events.csv", spec_serving, 2);
	put_all(&c.m.st.sink, EVENT, "user_events.csv", spec_user, 5);
	assert_int_equal(evp_ofile_commit(&f), 0);

	/* validate and dedupe, from the file. */
	assert_int_equal(evp_input_open(&in, path, 0), 0);
	assert_int_equal(evp_csvin_open(&r, &in, NULL), 0);
	assert_int_equal(r.header.n, 13);
	assert_int_equal(r.header.carried, 0);
	assert_int_equal(evp_sink_start(&c.v.st.sink, &r.header), 0);
	while (evp_csvin_next(&r, &row) > 0) {
		struct evp_rec rec = { row.n, row.f, { path, row.line }, { NULL, 0 } };
		assert_null(row.bad.reason);
		assert_int_equal(evp_sink_put(&c.v.st.sink, &rec), 0);
	}
	assert_int_equal(evp_sink_end(&c.v.st.sink), 0);
	evp_csvin_close(&r);
	evp_input_close(&in);
	spec_outcome();
	chain_release(&c);
}

/* The collected events of the example through classify and the chain. */
static void
test_spec_example_collected(void **state)
{
	static const char *const events[] = {
		"event1,10:00,,,user1,adv1,,10",
		"event2,10:01,,,user2,adv2,,10",
		"event3,10:11,impression,event1,user1,adv1,dev1,",
		"event4,10:00,,event1,user1,adv1,,",
		"event5,10:11,click,event2,user2,adv2,,",
	};
	struct evp_classify cl;
	struct chain c;
	struct evp_buf b = EVP_BUF_INIT;

	(void)state;
	evp_classify_init(&cl, &rjs.rj, &s_out.sink, &u_out.sink);
	put_all(&cl.st.sink, EVENT, "events.csv", events, 5);
	assert_int_equal(s_out.n, 2);
	assert_int_equal(u_out.n, 2);
	chain_init(&c);
	replay(&s_out, &c.m.index);
	replay(&u_out, &c.m.st.sink);
	tu_rejects_read(&rjs);

	assert_int_equal(out.n, 2);
	text_is("row 1", tu_rows_join(&out, 0, ',', &b),
	    "event3,10:11,impression,event1,user1,adv1,dev1,10");
	text_is("row 2", tu_rows_join(&out, 1, ',', &b),
	    "event5,10:11,click,event2,user2,adv2,,10");
	assert_int_equal(out.row[0].at.line, 4);
	assert_int_equal(out.row[1].at.line, 6);
	assert_int_equal(rjs.rows.n, 1);
	text_is("reject", tu_rows_join(&rjs.rows, 0, '|', &b),
	    "classify|parent_without_type|parentEventId set, eventType empty|"
	    "events.csv|5||event4|10:00||event1|user1|adv1||");
	evp_classify_release(&cl);
	chain_release(&c);
	evp_buf_release(&b);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
#define MODE(name, i) \
	{ name, test_keep, setup, teardown, (void *)&mcases[i] }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		MODE("test_keep_earliest", 0),
		MODE("test_keep_latest", 1),
		MODE("test_keep_first", 2),
		MODE("test_keep_last", 3),
		T(test_composite_keys),
		T(test_detail_without_id),
		T(test_missing_columns),
		T(test_random_against_reference),
		T(test_spec_example_validate),
		T(test_spec_example_pipeline),
		T(test_spec_example_collected),
	};

	evp_diag_init("test_dedupe");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
