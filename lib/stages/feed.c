#include <stdlib.h>
#include <string.h>

#include "formats/ahead.h"
#include "core/diag.h"
#include "stages/feed.h"
#include "core/xalloc.h"

void
evp_feed_init(struct evp_feed *f, struct evp_sink *sink, struct evp_count *count,
    struct evp_rejects *rj, size_t maxline, size_t maxrowlines,
    const struct evp_header *empty)
{
	memset(f, 0, sizeof(*f));
	f->sink = sink;
	f->count = count;
	f->rj = rj;
	f->maxline = maxline;
	f->o.maxfield = maxline;
	f->o.maxrowlines = maxrowlines;
	f->empty = empty;
	evp_arena_init(&f->mem);
}

static void
keep_header(struct evp_feed *f, const struct evp_header *h)
{
	evp_header_copy(&f->h, h, &f->mem);
	f->row = xcalloc(h->n ? h->n : 1, sizeof(*f->row));
}

/*
 * Where each of the first header's columns is in h, matching the k-th
 * column of a name to the k-th of that name; NULL if they differ.
 */
static int *
remap(const struct evp_feed *f, const struct evp_header *h)
{
	if (h->n != f->h.n)
		return NULL;
	int *map = xcalloc(h->n ? h->n : 1, sizeof(*map));
	for (size_t i = 0; i < h->n; i++) {
		size_t k = 0;		/* earlier columns of the same name */
		for (size_t j = 0; j < i; j++)
			k += evp_str_eq(f->h.name[j], f->h.name[i].p,
			    f->h.name[i].len);
		map[i] = -1;
		for (size_t j = 0; j < h->n && map[i] < 0; j++)
			if (evp_str_eq(h->name[j], f->h.name[i].p,
			    f->h.name[i].len) && k-- == 0)
				map[i] = (int)j;
		if (map[i] < 0) {
			free(map);
			return NULL;
		}
	}
	return map;
}

int
evp_feed_file(struct evp_feed *f, const char *name)
{
	const struct evp_header *h;
	struct evp_ahead *a = evp_ahead_open(name, f->maxline, &f->o, 0, &h);
	struct evp_csvrow row;
	int *map = NULL, rc, status = 0;

	if (a == NULL)
		return 2;
	if (h->n == 0)		/* empty input: no records */
		goto out;
	if (!f->started) {
		keep_header(f, h);
		f->started = 1;
		if (evp_sink_start(f->sink, &f->h) < 0) {
			status = 2;	/* the sink lacks a column it needs */
			goto out;
		}
	} else if ((map = remap(f, h)) == NULL) {
		evp_error(name, h->at.line,
		    "columns differ from those of %s", f->h.at.source);
		status = 2;
		goto out;
	}
	while ((rc = evp_ahead_next(a, &row)) > 0) {
		struct evp_rec rec = { row.n, row.f, { name, row.line }, { NULL, 0 } };
		if (row.bad.reason != NULL) {
			f->count->in++;
			evp_reject(f->rj, f->count, &row.bad, &rec.at, &row.raw,
			    NULL, NULL);
			continue;
		}
		if (map != NULL) {
			for (size_t i = 0; i < row.n; i++)
				f->row[i] = row.f[map[i]];
			rec.f = f->row;
		}
		if (evp_sink_put(f->sink, &rec) < 0) {
			status = -1;
			break;
		}
	}
	if (rc < 0 && status == 0)
		status = 1;
out:
	free(map);
	evp_ahead_close(a);
	return status;
}

int
evp_feed_end(struct evp_feed *f)
{
	if (!f->started) {
		f->started = 1;
		if (evp_sink_start(f->sink, f->empty) < 0)
			return 2;
	}
	return evp_sink_end(f->sink);
}

void
evp_feed_release(struct evp_feed *f)
{
	evp_arena_release(&f->mem);
	free(f->row);
	f->row = NULL;
}
