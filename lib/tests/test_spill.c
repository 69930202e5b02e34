/*
 * Unit tests for lib/spill: records set aside in an unlinked scratch
 * file and read back in order, each with its tag, source pointer and
 * line.
 *
 * Record i is made from a generator seeded by i alone, so a record read
 * back is checked by making it again: any number of fields (none, one,
 * a couple of hundred), empty fields, fields of every byte value, now
 * and then one of 100 KB, and a few of 600 KB, bigger than the spill's
 * buffers.
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

#include "core/buf.h"
#include "core/diag.h"
#include "core/row.h"
#include "core/spill.h"
#include "testutil.h"

/* Sources are kept as pointers: these outlive every spill. */
static const char *const sources[] = { "events.csv", "-", "b.jsonl", NULL };

struct made {
	struct evp_rec	 rec;
	uint32_t	 tag;
	struct evp_buf	 bytes;
	size_t		*off;		/* offset and length of each field */
	struct evp_str	*f;
	size_t		 cap;
};

static struct made mk;

static void
made_release(struct made *m)
{
	evp_buf_release(&m->bytes);
	free(m->off);
	free(m->f);
	memset(m, 0, sizeof(*m));
}

static int
teardown(void **state)
{
	(void)state;
	made_release(&mk);
	return 0;
}

/* Record i, the same every time. */
static const struct evp_rec *
make(struct made *m, uint64_t i)
{
	uint64_t rs = (i + 1) * 0x9E3779B97F4A7C15u ^ 0xD1B54A32D192ED03u;
	size_t n;

	if (rs == 0)
		rs = 1;
	for (int k = 0; k < 3; k++)
		tu_rnd(&rs);
	uint64_t r = tu_rnd(&rs) % 1000;
	if (r < 50)
		n = 0;
	else if (r < 60)
		n = 150 + (size_t)(tu_rnd(&rs) % 100);
	else
		n = 1 + (size_t)(tu_rnd(&rs) % 12);
	if (i % 5000 == 123 && n == 0)
		n = 1;
	if (n > m->cap) {
		m->cap = n;
		m->off = realloc(m->off, 2 * n * sizeof(*m->off));
		m->f = realloc(m->f, n * sizeof(*m->f));
		assert_non_null(m->off);
		assert_non_null(m->f);
	}
	evp_buf_reset(&m->bytes);
	for (size_t k = 0; k < n; k++) {
		size_t len = 0, start = m->bytes.len;
		unsigned kind = (unsigned)(tu_rnd(&rs) % 10);
		if (i % 5000 == 123 && k == n / 2) {	/* 100 KB, or 600 */
			size_t big = (i % 25000 == 123 ? 600 : 100) * 1024;
			for (size_t j = 0; j < big; j++)
				evp_buf_addc(&m->bytes, (int)((j * 7 + i) & 0xff));
		} else if (i % 1000 == 0 && k == 0) {	/* every byte value */
			for (int b = 0; b < 256; b++)
				evp_buf_addc(&m->bytes, b);
		} else if (kind < 2) {
			;				/* empty */
		} else if (kind < 6) {			/* short binary */
			len = 1 + tu_rnd(&rs) % 30;
			for (size_t j = 0; j < len; j++)
				evp_buf_addc(&m->bytes, (int)(tu_rnd(&rs) & 0xff));
		} else if (kind < 8) {			/* 128 bytes and more */
			len = 100 + tu_rnd(&rs) % 300;
			for (size_t j = 0; j < len; j++)
				evp_buf_addc(&m->bytes, (int)('a' + j % 26));
		} else
			evp_buf_printf(&m->bytes, "f%zu-%llu", k,
			    (unsigned long long)i);
		m->off[2 * k] = start;
		m->off[2 * k + 1] = m->bytes.len - start;
	}
	for (size_t k = 0; k < n; k++)
		m->f[k] = (struct evp_str){ m->bytes.p + m->off[2 * k],
		    m->off[2 * k + 1] };
	m->rec.n = n;
	m->rec.f = n ? m->f : NULL;
	m->rec.at.source = sources[i % 4];
	m->rec.at.line = i % 7 == 0 ? 0 : i % 7 == 1 ? UINT64_MAX - i :
	    tu_rnd(&rs);
	m->tag = i % 11 == 0 ? 0 : i % 11 == 1 ? UINT32_MAX :
	    (uint32_t)tu_rnd(&rs);
	return &m->rec;
}

/* Does r with tag match record i?  Fails the test if not. */
static void
check(const struct evp_rec *r, uint32_t tag, uint64_t i)
{
	const struct evp_rec *w = make(&mk, i);

	if (r->n != w->n)
		fail_msg("record %llu: %zu fields, want %zu",
		    (unsigned long long)i, r->n, w->n);
	for (size_t k = 0; k < w->n; k++)
		if (!evp_str_eq(r->f[k], w->f[k].p, w->f[k].len))
			fail_msg("record %llu: field %zu differs (%zu bytes, want "
			    "%zu)", (unsigned long long)i, k, r->f[k].len,
			    w->f[k].len);
	if (r->at.source != w->at.source)
		fail_msg("record %llu: source %p, want %p", (unsigned long long)i,
		    (const void *)r->at.source, (const void *)w->at.source);
	if (r->at.line != w->at.line)
		fail_msg("record %llu: line %llu, want %llu",
		    (unsigned long long)i, (unsigned long long)r->at.line,
		    (unsigned long long)w->at.line);
	if (tag != mk.tag)
		fail_msg("record %llu: tag %u, want %u", (unsigned long long)i,
		    (unsigned)tag, (unsigned)mk.tag);
}

static void
put(struct evp_spill *s, uint64_t i)
{
	struct made m = { 0 };
	const struct evp_rec *r = make(&m, i);

	if (evp_spill_put(s, r, m.tag) != 0)
		fail_msg("put of record %llu failed", (unsigned long long)i);
	made_release(&m);
}

#define NREC	100000

static void
test_roundtrip(void **state)
{
	struct evp_spill s;
	struct evp_rec r;
	uint32_t tag;
	size_t nfields[3] = { 0 }, big = 0, allbytes = 0;

	(void)state;
	evp_spill_init(&s);
	for (uint64_t i = 0; i < NREC; i++) {
		const struct evp_rec *w = make(&mk, i);
		nfields[w->n == 0 ? 0 : w->n < 100 ? 1 : 2]++;
		for (size_t k = 0; k < w->n; k++) {
			big += w->f[k].len >= 100 * 1024;
			allbytes += w->f[k].len == 256;
		}
		assert_int_equal(evp_spill_put(&s, w, mk.tag), 0);
	}
	assert_int_equal(s.n, NREC);
	/* The generator made what the test means to cover. */
	assert_true(nfields[0] > 1000 && nfields[1] > 1000 && nfields[2] > 100);
	assert_int_equal(big, NREC / 5000);
	assert_true(allbytes >= NREC / 1000);

	assert_int_equal(evp_spill_rewind(&s), 0);
	for (uint64_t i = 0; i < NREC; i++) {
		tag = 0xDEADBEEF;
		memset(&r, 0, sizeof(r));
		int rc = evp_spill_get(&s, &r, &tag);
		if (rc != 1)
			fail_msg("get of record %llu gave %d", (unsigned long long)i,
			    rc);
		check(&r, tag, i);
	}
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);

	/* Again from the start, without asking for tags. */
	assert_int_equal(evp_spill_rewind(&s), 0);
	for (uint64_t i = 0; i < 2000; i++) {
		assert_int_equal(evp_spill_get(&s, &r, NULL), 1);
		make(&mk, i);
		check(&r, mk.tag, i);
	}
	evp_spill_release(&s);
}

static void
test_nothing_put(void **state)
{
	struct evp_spill s;
	struct evp_rec r;
	uint32_t tag = 5;

	(void)state;
	evp_spill_init(&s);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);
	assert_int_equal(evp_spill_rewind(&s), 0);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);
	assert_int_equal(evp_spill_get(&s, &r, NULL), 0);
	assert_int_equal(tag, 5);
	evp_spill_release(&s);
	evp_spill_release(&s);
}

/* Records with no field at all, only. */
static void
test_empty_records(void **state)
{
	struct evp_spill s;
	struct evp_rec r, w = { 0, NULL, { "x", 9 }, { NULL, 0 } };
	uint32_t tag;

	(void)state;
	evp_spill_init(&s);
	for (uint32_t i = 0; i < 100; i++) {
		w.at.line = i;
		assert_int_equal(evp_spill_put(&s, &w, i * 3), 0);
	}
	assert_int_equal(evp_spill_rewind(&s), 0);
	for (uint32_t i = 0; i < 100; i++) {
		assert_int_equal(evp_spill_get(&s, &r, &tag), 1);
		assert_int_equal(r.n, 0);
		assert_int_equal(r.at.line, i);
		assert_ptr_equal(r.at.source, w.at.source);
		assert_int_equal(tag, i * 3);
	}
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);
	evp_spill_release(&s);
}

static void
test_release_then_put(void **state)
{
	struct evp_spill s;
	struct evp_rec r;
	uint32_t tag;

	(void)state;
	evp_spill_init(&s);
	for (uint64_t i = 0; i < 3000; i++)
		put(&s, i);
	assert_int_equal(evp_spill_rewind(&s), 0);
	for (uint64_t i = 0; i < 10; i++) {
		assert_int_equal(evp_spill_get(&s, &r, &tag), 1);
		check(&r, tag, i);
	}
	evp_spill_release(&s);
	assert_int_equal(s.n, 0);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);

	/* A new file: only the new records come back. */
	for (uint64_t i = 50000; i < 50500; i++)
		put(&s, i);
	assert_int_equal(s.n, 500);
	assert_int_equal(evp_spill_rewind(&s), 0);
	for (uint64_t i = 50000; i < 50500; i++) {
		assert_int_equal(evp_spill_get(&s, &r, &tag), 1);
		check(&r, tag, i);
	}
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);
	evp_spill_release(&s);
}

/* With TMPDIR where no file can be made, put fails; set right, it works. */
static void
test_bad_tmpdir(void **state)
{
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL;
	struct evp_spill s;
	struct evp_rec r;
	uint32_t tag;
	int fd;

	(void)state;
	/* A plain file to stand for a directory, made where TMPDIR says. */
	char *file = tu_mkstemp("spill", &fd);
	close(fd);

	evp_spill_init(&s);
	assert_int_equal(setenv("TMPDIR", "/nonexistent-evp-dir/sub", 1), 0);
	make(&mk, 7);
	int rc1 = evp_spill_put(&s, &mk.rec, mk.tag);
	int rc2 = evp_spill_put(&s, &mk.rec, mk.tag);
	assert_int_equal(setenv("TMPDIR", file, 1), 0);
	int rc3 = evp_spill_put(&s, &mk.rec, mk.tag);
	int n = (int)s.n;

	/* Back as it was before any check can fail. */
	if (saved != NULL)
		assert_int_equal(setenv("TMPDIR", saved, 1), 0);
	else
		assert_int_equal(unsetenv("TMPDIR"), 0);
	unlink(file);
	free(file);
	assert_int_equal(rc1, -1);
	assert_int_equal(rc2, -1);
	assert_int_equal(rc3, -1);
	assert_int_equal(n, 0);
	assert_int_equal(evp_spill_rewind(&s), 0);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);

	/* TMPDIR fine again: the same spill works. */
	put(&s, 7);
	put(&s, 8);
	assert_int_equal(evp_spill_rewind(&s), 0);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 1);
	check(&r, tag, 7);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 1);
	check(&r, tag, 8);
	assert_int_equal(evp_spill_get(&s, &r, &tag), 0);
	evp_spill_release(&s);

	/* An empty TMPDIR means /tmp. */
	assert_int_equal(setenv("TMPDIR", "", 1), 0);
	evp_spill_init(&s);
	int rc4 = evp_spill_put(&s, &mk.rec, mk.tag);
	if (saved != NULL)
		assert_int_equal(setenv("TMPDIR", saved, 1), 0);
	else
		assert_int_equal(unsetenv("TMPDIR"), 0);
	assert_int_equal(rc4, 0);
	evp_spill_release(&s);
	free(saved);
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roundtrip),
		T(test_nothing_put),
		T(test_empty_records),
		T(test_release_then_put),
		T(test_bad_tmpdir),
	};

	evp_diag_init("test_spill");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
