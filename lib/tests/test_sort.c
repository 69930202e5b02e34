/*
 * Unit tests for lib/stages/sort: the records come out in the order of a
 * stable sort written here (qsort by the keys, then by input position),
 * whatever the memory budget and the fan-in: all in memory, a run per
 * record merged two or three at a time (many passes), and budgets in
 * between.  Records are random, with many equal keys (to see ties keep
 * their input order), fields of very different sizes, and a few bad
 * timestamps, which are refused only when a time key reads them.  Keys
 * hold NUL bytes, and share prefixes longer than the words the sort
 * compares at a time.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/ofile.h"
#include "formats/reject.h"
#include "stages/sort.h"
#include "testutil.h"

enum { NREC = 3000, NCOL = 4 };

/* The records: k (text), t (time), id (input position), pad. */
static char *const names[NCOL] = { "k", "t", "id", "pad" };
static struct evp_str cols[NCOL];
static struct evp_header header = { NCOL, cols, { "test", 1 }, 0, NULL };
static struct evp_str recs[NREC][NCOL];
static char idtext[NREC][8];
static char padtext[2000];
static int bad[NREC];		/* t is not a timestamp */

static const char *const times[] = {
	"2026-11-01T10:05:30Z", "2026-11-01T10:05:30.5Z", "1793527874",
	"1793527874.000000001", "1970-01-01T00:00:00Z", "1969-07-20T20:17:40Z",
	"2026-11-01T12:05:30+02:00", "0", "9999-12-31T23:59:59Z",
};

static void
make_records(void)
{
#define K(lit)	{ lit, sizeof(lit) - 1 }
	/* Short keys, and long ones that differ late, past a word or two. */
	static const struct evp_str ks[] = { K(""), K("a"), K("ab"), K("b"),
	    K("ba"), K("a b"), K("\xff"), K("z"), K("A"), K("a\0"),
	    K("abcdefghijklmnopqrstu"), K("abcdefghijklmnopqrstuv"),
	    K("abcdefghijklmnopqrstu\0"), K("abcdefghijklmnopqrstv"),
	    K("abcdefg"), K("abcdefgh"), K("abcdefg\0"), K("abcdefghijklmn"),
	    K("abcdefghijklmn\xff"), K("abcdefghijklm") };
#undef K
	size_t nks = sizeof(ks) / sizeof(ks[0]);
	uint64_t rs = 0xC0FFEE;

	for (size_t c = 0; c < NCOL; c++)
		cols[c] = (struct evp_str){ names[c], strlen(names[c]) };
	for (size_t i = 0; i < sizeof(padtext); i++)
		padtext[i] = (char)('a' + i % 26);
	for (size_t i = 0; i < NREC; i++) {
		const struct evp_str *k = &ks[tu_rnd(&rs) % nks];
		const char *t = times[tu_rnd(&rs) % 9];
		bad[i] = tu_rnd(&rs) % 100 == 0;
		if (bad[i])
			t = i % 2 ? "" : "bogus";
		snprintf(idtext[i], sizeof(idtext[i]), "%zu", i);
		size_t pad = (size_t)(tu_rnd(&rs) % 64);
		if (tu_rnd(&rs) % 50 == 0)
			pad = sizeof(padtext);
		recs[i][0] = *k;
		recs[i][1] = (struct evp_str){ t, strlen(t) };
		recs[i][2] = (struct evp_str){ idtext[i], strlen(idtext[i]) };
		recs[i][3] = (struct evp_str){ padtext, pad };
	}
}

/* ---- the reference: a stable sort by the keys ---- */

static const struct evp_sortkeys *ref_keys;

static int
ref_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	for (size_t i = 0; i < ref_keys->n; i++) {
		const struct evp_sortkey *k = &ref_keys->k[i];
		int c;
		if (k->type == EVP_KEY_TIME) {
			struct evp_tstamp ta, tb;
			evp_tstamp_parse(&ta, recs[a][1].p, recs[a][1].len);
			evp_tstamp_parse(&tb, recs[b][1].p, recs[b][1].len);
			c = evp_tstamp_cmp(&ta, &tb);
		} else {
			const struct evp_str *x = &recs[a][0], *y = &recs[b][0];
			size_t n = x->len < y->len ? x->len : y->len;
			c = n ? memcmp(x->p, y->p, n) : 0;
			if (c == 0)
				c = (x->len > y->len) - (x->len < y->len);
		}
		if (k->desc)
			c = -c;
		if (c != 0)
			return c;
	}
	return (a > b) - (a < b);
}

/* ---- a sink that keeps the ids of the records it gets ---- */

struct catch {
	struct evp_sink	 sink;
	size_t		 ids[NREC];
	size_t		 n;
	int		 started, ended;
};

static int
c_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct catch *c = evp_container_of(sk, struct catch, sink);

	assert_int_equal(h->n, NCOL);
	c->started++;
	return 0;
}

static int
c_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct catch *c = evp_container_of(sk, struct catch, sink);
	char id[8];

	assert_int_equal(r->n, NCOL);
	assert_true(r->f[2].len < sizeof(id));
	memcpy(id, r->f[2].p, r->f[2].len);
	id[r->f[2].len] = '\0';
	size_t i = (size_t)strtoul(id, NULL, 10);
	assert_true(i < NREC);
	/* The record comes back whole, with its origin. */
	for (size_t f = 0; f < NCOL; f++) {
		assert_int_equal(r->f[f].len, recs[i][f].len);
		if (r->f[f].len)
			assert_memory_equal(r->f[f].p, recs[i][f].p, r->f[f].len);
	}
	assert_string_equal(r->at.source, "test");
	assert_int_equal(r->at.line, i + 2);
	assert_true(c->n < NREC);
	c->ids[c->n++] = i;
	return 0;
}

static int
c_end(struct evp_sink *sk)
{
	struct catch *c = evp_container_of(sk, struct catch, sink);

	c->ended++;
	return 0;
}

/* Sort every record with keys, memory and fanin; check the order. */
static void
check(const char *const *specs, size_t nk, size_t memory, unsigned fanin)
{
	struct evp_sortkeys ks = { 0, NULL };
	struct evp_ofile rf;
	struct evp_rejects rj;
	struct catch *c = calloc(1, sizeof(*c));
	struct evp_sort s;
	int time = 0;

	assert_non_null(c);
	for (size_t i = 0; i < nk; i++) {
		assert_int_equal(evp_sortkeys_add(&ks, specs[i]), 0);
		time |= ks.k[i].type == EVP_KEY_TIME;
	}
	assert_int_equal(evp_ofile_open(&rf, "/dev/null"), 0);
	evp_rejects_init(&rj, &rf, &header, 0);
	c->sink = (struct evp_sink){ c_start, c_put, c_end };

	struct evp_sort_opts o = { &ks, memory, fanin };
	evp_sort_init(&s, &o, &rj, &c->sink);
	assert_int_equal(evp_sink_start(&s.st.sink, &header), 0);
	for (size_t i = 0; i < NREC; i++) {
		struct evp_rec r = { NCOL, recs[i], { "test", i + 2 }, { NULL, 0 } };
		assert_int_equal(evp_sink_put(&s.st.sink, &r), 0);
	}
	assert_int_equal(evp_sink_end(&s.st.sink), 0);

	size_t want[NREC], n = 0;
	for (size_t i = 0; i < NREC; i++)
		if (!(time && bad[i]))
			want[n++] = i;
	ref_keys = &ks;
	qsort(want, n, sizeof(want[0]), ref_cmp);
	assert_int_equal(c->started, 1);
	assert_int_equal(c->ended, 1);
	assert_int_equal(c->n, n);
	for (size_t i = 0; i < n; i++)
		if (c->ids[i] != want[i])
			fail_msg("%s%s, memory %zu, fanin %u: record %zu is %zu, "
			    "not %zu", specs[0], nk > 1 ? ",..." : "", memory,
			    fanin, i, c->ids[i], want[i]);
	assert_int_equal(s.st.count.in, NREC);
	assert_int_equal(s.st.count.out, n);
	assert_int_equal(s.st.count.rejected, NREC - n);
	/* The budget decides the runs: none, one per record, or between. */
	if (memory == SIZE_MAX)
		assert_int_equal(s.spilled, 0);
	else if (memory == 1)	/* and passes of fanin runs at a time */
		assert_true(s.spilled > NREC + NREC / fanin);
	else
		assert_true(s.spilled > 1);

	evp_sort_release(&s);
	evp_rejects_release(&rj);
	evp_ofile_commit(&rf);
	evp_sortkeys_release(&ks);
	free(c);
}

static const size_t budgets[][2] = {
	{ SIZE_MAX, 64 }, { 1, 2 }, { 1, 3 }, { 4096, 2 }, { 20000, 5 },
	{ 100000, 64 },
};

static void
check_budgets(const char *const *specs, size_t nk)
{
	for (size_t i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++)
		check(specs, nk, budgets[i][0], (unsigned)budgets[i][1]);
}

static void
test_text(void **state)
{
	static const char *const a[] = { "k" }, *const b[] = { "k:desc" };

	(void)state;
	check_budgets(a, 1);
	check_budgets(b, 1);
}

static void
test_time(void **state)
{
	static const char *const a[] = { "t:time" }, *const b[] = { "t:time:desc" };

	(void)state;
	check_budgets(a, 1);
	check_budgets(b, 1);
}

static void
test_two_keys(void **state)
{
	static const char *const a[] = { "k", "t:time:desc" };
	static const char *const b[] = { "t:time", "k:desc" };

	(void)state;
	check_budgets(a, 2);
	check_budgets(b, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_two_keys),
	};

	make_records();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
