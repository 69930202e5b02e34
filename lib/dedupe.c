#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe.h"
#include "diag.h"
#include "xalloc.h"

#define SHOW(x)	(int)((x)->len > 60 ? 60 : (x)->len), (x)->p

/* What keep-first remembers of a kept record, to name it in details. */
struct kept {
	struct evp_origin	 at;
	struct evp_str		 id;
};

int
evp_keep_parse(const char *s, enum evp_keep *k)
{
	static const char *const names[] = { "first", "last", "earliest", "latest" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*k = (enum evp_keep)i;
			return 0;
		}
	return -1;
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_dedupe *d = evp_container_of(sk, struct evp_dedupe, sink);
	size_t nk = d->o.keys->n;

	d->kidx = xcalloc(nk, sizeof(*d->kidx));
	for (size_t i = 0; i < nk; i++) {
		const struct evp_str *k = &d->o.keys->name[i];
		char *name = xmemdup(k->p, k->len);
		int rc = evp_require_columns(h, (const char *const *)&name,
		    &d->kidx[i], 1);
		free(name);
		if (rc < 0)
			return -1;
	}
	d->tidx = -1;
	if (d->o.keep == EVP_KEEP_EARLIEST || d->o.keep == EVP_KEEP_LATEST)
		if (evp_require_columns(h, &d->o.time, &d->tidx, 1) < 0)
			return -1;
	d->ididx = evp_header_find(h, d->o.id);
	evp_rjmap_init(&d->rjmap, d->rj, h, NULL);
	d->wf = xcalloc(h->n ? h->n : 1, sizeof(*d->wf));
	return evp_sink_start(d->out, h);
}

static void
make_key(struct evp_dedupe *d, const struct evp_rec *r)
{
	evp_buf_reset(&d->key);
	for (size_t i = 0; i < d->o.keys->n; i++) {
		const struct evp_str *f = &r->f[d->kidx[i]];
		uint32_t len = (uint32_t)f->len;
		/* Length-prefixed, so ("a,b","c") and ("a","b,c") differ. */
		evp_buf_add(&d->key, &len, sizeof(len));
		evp_buf_add(&d->key, f->p, f->len);
	}
}

static const struct evp_str *
id_of(const struct evp_dedupe *d, const struct evp_str *f)
{
	return d->ididx >= 0 ? &f[d->ididx] : NULL;
}

/* A duplicate's verdict, naming the kept record by its id or its line. */
static void
verdict(struct evp_dedupe *d, struct evp_verdict *v, const struct evp_str *kid,
    const struct evp_origin *kat)
{
	if (kid != NULL && kid->len > 0)
		evp_verdict_set(v, "duplicate", "kept %s %.*s", d->o.id, SHOW(kid));
	else
		evp_verdict_set(v, "duplicate", "kept the record of %s:%llu",
		    kat->source, (unsigned long long)kat->line);
}

/* Park a duplicate of winner slot i until the winner is final. */
static int
spill(struct evp_dedupe *d, size_t i, const struct evp_rec *loser)
{
	uint64_t head[2];

	if (d->spill == NULL && (d->spill = tmpfile()) == NULL)
		return evp_error(NULL, 0, "cannot create a temporary file: %s",
		    strerror(errno));
	evp_reject_tail(d->rj, &loser->at, NULL, &d->rjmap, loser, &d->tail);
	head[0] = i;
	head[1] = d->tail.len;
	if (fwrite(head, sizeof(head), 1, d->spill) != 1 ||
	    fwrite(d->tail.p, 1, d->tail.len, d->spill) != d->tail.len)
		return evp_error(NULL, 0, "cannot write a temporary file: %s",
		    strerror(errno));
	return 0;
}

/* Write the parked duplicates, each naming its group's final winner. */
static int
unspill(struct evp_dedupe *d)
{
	uint64_t head[2];
	struct evp_verdict v;
	int err = 0;

	if (d->spill == NULL)
		return 0;
	if (fflush(d->spill) != 0 || fseek(d->spill, 0, SEEK_SET) != 0)
		err = 1;
	while (!err && fread(head, sizeof(head), 1, d->spill) == 1) {
		if (head[0] >= d->nwin) {
			err = 1;
			break;
		}
		evp_buf_reset(&d->tail);
		evp_buf_grow(&d->tail, (size_t)head[1]);
		if (fread(d->tail.p, 1, (size_t)head[1], d->spill) != head[1]) {
			err = 1;
			break;
		}
		d->tail.len = (size_t)head[1];
		const struct evp_saved *w = d->win[head[0]].row;
		evp_saved_fields(w, d->wf);
		verdict(d, &v, id_of(d, d->wf), &w->at);
		evp_reject_write(d->rj, &d->count, &v, d->tail.p, d->tail.len);
	}
	if (ferror(d->spill))
		err = 1;
	fclose(d->spill);
	d->spill = NULL;
	if (err)
		return evp_error(NULL, 0, "cannot read a temporary file back");
	return 0;
}

static int
put_first(struct evp_dedupe *d, const struct evp_rec *r, struct evp_map_slot *s,
    int created)
{
	if (!created) {
		const struct kept *k = s->val;
		struct evp_verdict v;
		verdict(d, &v, &k->id, &k->at);
		evp_reject(d->rj, &d->count, &v, &r->at, NULL, &d->rjmap, r);
		return 0;
	}
	struct kept *k = evp_arena_alloc(&d->mem, sizeof(*k));
	const struct evp_str *id = id_of(d, r->f);
	k->at = r->at;
	k->id = id ? (struct evp_str){ evp_arena_dup(&d->mem, id->p, id->len),
	    id->len } : (struct evp_str){ "", 0 };
	s->val = k;
	d->count.out++;
	return evp_sink_put(d->out, r);
}

static void
hold(struct evp_dedupe *d, size_t i, const struct evp_rec *r,
    const struct evp_tstamp *t)
{
	free(d->win[i].row);
	d->win[i].row = evp_rec_save(r, NULL);
	d->win[i].row->seq = d->seq;
	if (t != NULL)
		d->win[i].t = *t;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_dedupe *d = evp_container_of(sk, struct evp_dedupe, sink);
	struct evp_tstamp t = { EVP_TS_TIMEOFDAY, 0, 0 };
	struct evp_verdict v;
	int created;

	d->count.in++;
	d->seq++;
	if (d->tidx >= 0) {
		const struct evp_str *ts = &r->f[d->tidx];
		if (evp_tstamp_parse(&t, ts->p, ts->len) < 0) {
			evp_verdict_set(&v, "bad_timestamp", "not a timestamp: '%.*s'",
			    SHOW(ts));
			evp_reject(d->rj, &d->count, &v, &r->at, NULL, &d->rjmap, r);
			return 0;
		}
	}
	make_key(d, r);
	struct evp_map_slot *s = evp_map_put(&d->map, d->key.p, d->key.len, &created);
	if (d->o.keep == EVP_KEEP_FIRST)
		return put_first(d, r, s, created);

	if (created) {
		if (d->nwin == d->wcap) {
			d->wcap = d->wcap ? d->wcap * 2 : 1024;
			d->win = xrealloc(d->win, d->wcap * sizeof(*d->win));
		}
		s->val = (void *)(uintptr_t)(d->nwin + 1);
		d->win[d->nwin].row = NULL;
		hold(d, d->nwin++, r, &t);
		return 0;
	}
	size_t i = (size_t)(uintptr_t)s->val - 1;
	struct evp_saved *w = d->win[i].row;
	int better;
	if (d->o.keep == EVP_KEEP_LAST)
		better = 1;
	else {
		int cmp = evp_tstamp_cmp(&t, &d->win[i].t);
		if (cmp == 2) {
			evp_verdict_set(&v, "incomparable_timestamps",
			    "'%.*s' cannot be compared with the kept record's",
			    SHOW(&r->f[d->tidx]));
			evp_reject(d->rj, &d->count, &v, &r->at, NULL, &d->rjmap, r);
			return 0;
		}
		better = d->o.keep == EVP_KEEP_EARLIEST ? cmp < 0 : cmp > 0;
	}
	if (!better)
		return spill(d, i, r);
	evp_saved_fields(w, d->wf);
	struct evp_rec old = { w->n, d->wf, w->at };
	if (spill(d, i, &old) < 0)
		return -1;
	hold(d, i, r, &t);
	return 0;
}

static int
by_seq(const void *a, const void *b)
{
	const struct evp_winner *x = a, *y = b;

	return x->row->seq < y->row->seq ? -1 : x->row->seq > y->row->seq;
}

static int
end(struct evp_sink *sk)
{
	struct evp_dedupe *d = evp_container_of(sk, struct evp_dedupe, sink);
	int rc = unspill(d);

	if (d->nwin > 0)
		qsort(d->win, d->nwin, sizeof(*d->win), by_seq);
	for (size_t i = 0; i < d->nwin; i++) {
		struct evp_saved *w = d->win[i].row;
		evp_saved_fields(w, d->wf);
		struct evp_rec r = { w->n, d->wf, w->at };
		d->count.out++;
		if (rc == 0 && evp_sink_put(d->out, &r) < 0)
			rc = -1;
		free(w);
		d->win[i].row = NULL;
	}
	d->nwin = 0;
	if (rc == 0)
		rc = evp_sink_end(d->out);
	return rc;
}

void
evp_dedupe_init(struct evp_dedupe *d, const struct evp_dedupe_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(d, 0, sizeof(*d));
	d->sink = (struct evp_sink){ start, put, end };
	d->out = out;
	d->rj = rj;
	d->o = *o;
	evp_count_init(&d->count, "dedupe");
	evp_map_init(&d->map);
	evp_arena_init(&d->mem);
}

void
evp_dedupe_release(struct evp_dedupe *d)
{
	for (size_t i = 0; i < d->nwin; i++)
		free(d->win[i].row);
	free(d->win);
	free(d->kidx);
	free(d->wf);
	d->wf = NULL;
	evp_rjmap_release(&d->rjmap);
	evp_buf_release(&d->tail);
	if (d->spill != NULL)
		fclose(d->spill);
	d->spill = NULL;
	evp_map_release(&d->map);
	evp_arena_release(&d->mem);
	evp_buf_release(&d->key);
	d->win = NULL;
	d->kidx = NULL;
}
