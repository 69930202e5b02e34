#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/spill.h"
#include "core/rdbuf.h"
#include "core/xalloc.h"
#include "stages/sortint.h"

static int
fail(const char *what, int err)
{
	return evp_error(NULL, 0, "cannot %s a temporary file: %s", what,
	    err ? strerror(err) : "unexpected end");
}

/* ---- the temporary files ---- */

static int
file_open(struct evp_sort_file *f)
{
	if (f->fd >= 0) {
		/* Emptied for the next pass: everything in it was read. */
		if (ftruncate(f->fd, 0) < 0 || lseek(f->fd, 0, SEEK_SET) < 0)
			return fail("empty", errno);
		f->size = 0;
		return 0;
	}
	if ((f->fd = evp_spill_tmpfd()) < 0)
		return -1;
	evp_ofile_attach(&f->out, f->fd, "a temporary file");
	f->size = 0;
	return 0;
}

static void
file_write(struct evp_sort_file *f, const void *p, size_t n)
{
	evp_ofile_write(&f->out, p, n);
	f->size += n;
}

/* Everything written is in the file, ready to be read back. */
static int
file_flush(struct evp_sort_file *f)
{
	if (f->fd < 0)
		return 0;
	if (evp_ofile_flush(&f->out) < 0)
		return evp_error(NULL, 0, "cannot write a temporary file: %s",
		    strerror(f->out.err));
	return 0;
}

void
evp_sort_file_close(struct evp_sort_file *f)
{
	if (f->fd < 0)
		return;
	f->out.len = 0;		/* nothing more to write */
	evp_ofile_abort(&f->out);
	close(f->fd);
	f->fd = -1;
}

static void
add_run(struct evp_sort *s, uint64_t off, uint64_t len)
{
	if (s->nruns == s->runcap) {
		s->runcap = s->runcap ? 2 * s->runcap : 16;
		s->runs = xrealloc(s->runs, s->runcap * sizeof(*s->runs));
	}
	s->runs[s->nruns++] = (struct evp_sort_run){ off, len };
	s->spilled++;
}

/* Sort the records held and write them as a run; memory starts again. */
int
evp_sort_spill(struct evp_sort *s)
{
	struct evp_sort_file *f = &s->file[s->cur];

	evp_sort_items(s);
	if (f->fd < 0 && file_open(f) < 0)
		return -1;
	uint64_t off = f->size;
	for (size_t i = 0; i < s->n; i++) {
		const struct srec *r = s->items[i].r;
		if (i + AHEAD < s->n)
			prefetch(s->items[i + AHEAD].r);
		file_write(f, r, HEAD + r->klen + r->plen);
	}
	if (f->out.err)
		return file_flush(f);
	add_run(s, off, f->size - off);
	evp_sort_empty(s);
	return 0;
}

/* ---- reading runs back and merging them ---- */

struct reader {
	struct evp_rdbuf b;		/* what is left of the run */
	struct srec	 h;		/* the current record's head */
	const unsigned char *rec;	/* the current record, in b.buf */
};

/* At least n bytes of the run in the buffer: 1, 0 at its end, -1. */
static int
fill(struct reader *d, size_t n)
{
	int rc = evp_rdbuf_fill(&d->b, n);

	if (rc < 0)
		return fail(errno ? "read" : "read back", errno);
	if (rc == 0 && d->b.len > d->b.pos)
		return fail("read back", 0);
	return rc;
}

static int
next(struct reader *d)
{
	int rc;

	if ((rc = fill(d, HEAD)) <= 0)
		return rc;
	memcpy(&d->h, d->b.buf + d->b.pos, HEAD);
	size_t size = HEAD + d->h.klen + d->h.plen;
	if ((rc = fill(d, size)) <= 0)
		return rc < 0 ? rc : fail("read back", 0);
	d->rec = d->b.buf + d->b.pos;
	d->b.pos += size;
	return 1;
}

/* Does reader a's record go before reader b's?  Ties: the earlier run. */
static inline int
before(const struct reader *rd, unsigned a, unsigned b)
{
	const struct reader *x = &rd[a], *y = &rd[b];
	int c = evp_keycmp(x->rec + HEAD, x->h.klen, y->rec + HEAD, y->h.klen);

	return c < 0 || (c == 0 && a < b);
}

static void
sift(const struct reader *rd, unsigned *heap, size_t m, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, best = i;
		if (l < m && before(rd, heap[l], heap[best]))
			best = l;
		if (l + 1 < m && before(rd, heap[l + 1], heap[best]))
			best = l + 1;
		if (best == i)
			return;
		unsigned t = heap[i];
		heap[i] = heap[best];
		heap[best] = t;
		i = best;
	}
}

/*
 * Merge runs[0..k) of the current file into one run of dst, or into the
 * output when dst is NULL.
 */
static int
merge(struct evp_sort *s, const struct evp_sort_run *runs, size_t k,
    struct evp_sort_file *dst)
{
	struct reader *rd = xcalloc(k, sizeof(*rd));
	unsigned *heap = xcalloc(k, sizeof(*heap));
	size_t m = 0, bs = s->o.memory / (k + 1);
	uint64_t off = dst ? dst->size : 0;
	int rc = 0;

	if (bs > 1024 * 1024)
		bs = 1024 * 1024;
	if (bs < 4096)
		bs = 4096;
	for (size_t i = 0; i < k; i++) {
		rd[i] = (struct reader){ .b = { s->file[s->cur].fd,
		    runs[i].off, runs[i].off + runs[i].len, xmalloc(bs), bs,
		    0, 0 } };
		if ((rc = next(&rd[i])) < 0)
			goto out;
		if (rc > 0)
			heap[m++] = (unsigned)i;
	}
	for (size_t i = m / 2; i-- > 0; )
		sift(rd, heap, m, i);
	rc = 0;
	while (m > 0) {
		struct reader *d = &rd[heap[0]];
		if (dst != NULL) {
			file_write(dst, d->rec, HEAD + d->h.klen + d->h.plen);
			if (dst->out.err) {
				rc = file_flush(dst);
				goto out;
			}
		} else if (evp_sort_emit(s, &d->h, d->rec) < 0) {
			rc = -1;
			goto out;
		}
		int got = next(d);
		if (got < 0) {
			rc = -1;
			goto out;
		}
		if (got == 0)
			heap[0] = heap[--m];
		sift(rd, heap, m, 0);
	}
	if (dst != NULL)
		add_run(s, off, dst->size - off);
out:
	for (size_t i = 0; i < k; i++)
		free(rd[i].b.buf);
	free(rd);
	free(heap);
	return rc;
}

/*
 * Merge the runs: while there are more than the fan-in, a pass merges
 * them by groups into the other file; then the last merge writes the
 * output.
 */
int
evp_sort_merge_runs(struct evp_sort *s)
{
	size_t fanin = s->o.fanin;

	if (file_flush(&s->file[s->cur]) < 0)
		return -1;
	while (s->nruns > fanin) {
		struct evp_sort_file *dst = &s->file[1 - s->cur];
		struct evp_sort_run *runs = s->runs;
		size_t n = s->nruns;
		if (file_open(dst) < 0)
			return -1;
		s->runs = NULL;
		s->nruns = s->runcap = 0;
		for (size_t i = 0; i < n; i += fanin) {
			size_t k = n - i < fanin ? n - i : fanin;
			if (merge(s, runs + i, k, dst) < 0) {
				free(runs);
				return -1;
			}
		}
		free(runs);
		if (file_flush(dst) < 0)
			return -1;
		s->cur = 1 - s->cur;
	}
	return merge(s, s->runs, s->nruns, NULL);
}

