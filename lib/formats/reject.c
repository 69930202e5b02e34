#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csvout.h"
#include "formats/reject.h"
#include "core/xalloc.h"

static const char fixed[] = "stage,reason,detail,source,line,raw";

int
evp_rejects_reserved(struct evp_str name)
{
	static const char *const own[] = {
		"stage", "reason", "detail", "source", "line", "raw"
	};

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (evp_str_eqs(name, own[i]))
			return 1;
	return 0;
}

static void
put_header(struct evp_rejects *rj)
{
	struct evp_buf *b = &rj->rec;

	evp_buf_reset(b);
	evp_buf_adds(b, fixed);
	for (size_t i = 0; i < rj->cols->n; i++) {
		evp_buf_addc(b, ',');
		evp_csv_buf_plain(b, rj->cols->name[i].p, rj->cols->name[i].len, 0);
	}
	evp_buf_addc(b, '\n');
	evp_ofile_write(rj->f, b->p, b->len);
	rj->started = 1;
}

void
evp_rejects_init(struct evp_rejects *rj, struct evp_ofile *f,
    const struct evp_header *cols, int lazy)
{
	memset(rj, 0, sizeof(*rj));
	rj->f = f;
	rj->cols = cols;
	rj->lazy = lazy;
	if (!lazy)
		put_header(rj);
}

void
evp_rejects_release(struct evp_rejects *rj)
{
	evp_buf_release(&rj->line);
	evp_buf_release(&rj->rec);
}

void
evp_rjmap_init(struct evp_rjmap *m, const struct evp_rejects *rj,
    const struct evp_header *h)
{
	/* Columns a join carried in belong to another record: left aside. */
	struct evp_header own = *h;

	own.n -= h->carried;
	m->n = rj->cols->n;
	m->idx = xcalloc(m->n ? m->n : 1, sizeof(*m->idx));
	for (size_t i = 0; i < m->n; i++)
		m->idx[i] = evp_header_find(&own, rj->cols->name[i].p);
	m->lossy = 0;
	for (size_t j = 0; j < own.n && !m->lossy; j++)
		if (evp_header_find(rj->cols, own.name[j].p) < 0)
			m->lossy = 1;
}

void
evp_rjmap_release(struct evp_rjmap *m)
{
	free(m->idx);
	m->idx = NULL;
	m->n = 0;
}

void
evp_reject_tail(struct evp_rejects *rj, const struct evp_origin *at,
    const struct evp_str *raw, const struct evp_rjmap *map,
    const struct evp_rec *r, struct evp_buf *out)
{
	evp_buf_reset(out);
	evp_csv_buf_plain(out, at->source, strlen(at->source), 0);
	evp_buf_printf(out, ",%llu,", (unsigned long long)at->line);
	if (raw != NULL)
		evp_csv_buf_field(out, raw->p, raw->len, 0);
	else if (map != NULL && map->lossy && r != NULL) {
		/* The whole record as one CSV line, in its own column order. */
		evp_buf_reset(&rj->rec);
		for (size_t i = 0; i < r->n; i++) {
			if (i)
				evp_buf_addc(&rj->rec, ',');
			evp_csv_buf_plain(&rj->rec, r->f[i].p, r->f[i].len, r->n == 1);
		}
		evp_csv_buf_field(out, rj->rec.p, rj->rec.len, 0);
	}
	for (size_t i = 0; i < rj->cols->n; i++) {
		evp_buf_addc(out, ',');
		if (map != NULL && r != NULL && map->idx[i] >= 0 &&
		    (size_t)map->idx[i] < r->n)
			evp_csv_buf_field(out, r->f[map->idx[i]].p,
			    r->f[map->idx[i]].len, 0);
	}
	evp_buf_addc(out, '\n');
}

void
evp_reject_write(struct evp_rejects *rj, struct evp_count *c,
    const struct evp_verdict *v, const char *tail, size_t len)
{
	struct evp_buf *b = &rj->rec;

	evp_count_reason(c, v->reason);
	if (!rj->started)
		put_header(rj);
	evp_buf_reset(b);
	evp_csv_buf_plain(b, c->stage, strlen(c->stage), 0);
	evp_buf_addc(b, ',');
	evp_csv_buf_plain(b, v->reason, strlen(v->reason), 0);
	evp_buf_addc(b, ',');
	evp_csv_buf_plain(b, v->detail, strlen(v->detail), 0);
	evp_buf_addc(b, ',');
	evp_ofile_write(rj->f, b->p, b->len);
	evp_ofile_write(rj->f, tail, len);
	rj->rows++;
}

void
evp_reject(struct evp_rejects *rj, struct evp_count *c,
    const struct evp_verdict *v, const struct evp_origin *at,
    const struct evp_str *raw, const struct evp_rjmap *map,
    const struct evp_rec *r)
{
	evp_reject_tail(rj, at, raw, map, r, &rj->line);
	evp_reject_write(rj, c, v, rj->line.p, rj->line.len);
}
