#include <stdio.h>
#include <stdlib.h>

#include "csvout.h"
#include "reject.h"
#include "xalloc.h"

static const char *const fixed[] = {
	"stage", "reason", "detail", "source", "line", "raw"
};

static void
put_header(struct evp_rejects *rj)
{
	for (size_t i = 0; i < 6; i++) {
		evp_ofile_write(rj->f, fixed[i], strlen(fixed[i]));
		evp_ofile_putc(rj->f, ',');
	}
	for (size_t i = 0; i < rj->cols->n; i++) {
		if (i)
			evp_ofile_putc(rj->f, ',');
		evp_csv_put_field(rj->f, rj->cols->name[i].p,
		    rj->cols->name[i].len, 0);
	}
	evp_ofile_putc(rj->f, '\n');
	rj->started = 1;
}

void
evp_rejects_init(struct evp_rejects *rj, struct evp_ofile *f,
    const struct evp_header *cols, int lazy)
{
	rj->f = f;
	rj->cols = cols;
	rj->rows = 0;
	rj->lazy = lazy;
	rj->started = 0;
	if (!lazy)
		put_header(rj);
}

int *
evp_rejects_map(const struct evp_rejects *rj, const struct evp_header *h)
{
	int *map = xcalloc(rj->cols->n, sizeof(*map));

	for (size_t i = 0; i < rj->cols->n; i++) {
		map[i] = -1;
		for (size_t j = 0; j < h->n; j++)
			if (evp_str_eq(h->name[j], rj->cols->name[i].p,
			    rj->cols->name[i].len)) {
				map[i] = (int)j;
				break;
			}
	}
	return map;
}

static void
put(struct evp_rejects *rj, const char *s, size_t n)
{
	evp_csv_put_field(rj->f, s, n, 0);
	evp_ofile_putc(rj->f, ',');
}

void
evp_reject(struct evp_rejects *rj, struct evp_count *c,
    const struct evp_verdict *v, const struct evp_origin *at,
    const struct evp_str *raw, const int *map, const struct evp_rec *r)
{
	char line[24];
	int n;

	evp_count_reason(c, v->reason);
	if (!rj->started)
		put_header(rj);
	put(rj, c->stage, strlen(c->stage));
	put(rj, v->reason, strlen(v->reason));
	put(rj, v->detail, strlen(v->detail));
	put(rj, at->source, strlen(at->source));
	n = snprintf(line, sizeof(line), "%llu", (unsigned long long)at->line);
	put(rj, line, (size_t)n);
	if (raw != NULL)
		put(rj, raw->p, raw->len);
	else
		put(rj, "", 0);
	for (size_t i = 0; i < rj->cols->n; i++) {
		if (i)
			evp_ofile_putc(rj->f, ',');
		if (map != NULL && r != NULL && map[i] >= 0 && (size_t)map[i] < r->n)
			evp_csv_put_field(rj->f, r->f[map[i]].p, r->f[map[i]].len, 0);
	}
	evp_ofile_putc(rj->f, '\n');
	rj->rows++;
}
