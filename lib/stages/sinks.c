#include <stdlib.h>
#include <string.h>

#include "core/count.h"
#include "stages/sinks.h"
#include "core/xalloc.h"

static int
tee_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_tee *t = evp_container_of(sk, struct evp_tee, sink);

	return evp_sink_start(t->a, h) < 0 || evp_sink_start(t->b, h) < 0 ? -1 : 0;
}

static int
tee_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_tee *t = evp_container_of(sk, struct evp_tee, sink);

	return evp_sink_put(t->a, r) < 0 || evp_sink_put(t->b, r) < 0 ? -1 : 0;
}

static int
tee_end(struct evp_sink *sk)
{
	struct evp_tee *t = evp_container_of(sk, struct evp_tee, sink);

	return evp_sink_end(t->a) < 0 || evp_sink_end(t->b) < 0 ? -1 : 0;
}

void
evp_tee_init(struct evp_tee *t, struct evp_sink *a, struct evp_sink *b)
{
	t->sink = (struct evp_sink){ tee_start, tee_put, tee_end };
	t->a = a;
	t->b = b;
}

static int
store_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_store *s = evp_container_of(sk, struct evp_store, sink);

	evp_header_copy(&s->h, h, &s->mem);
	return 0;
}

static int
store_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_store *s = evp_container_of(sk, struct evp_store, sink);

	return evp_spill_put(&s->rows, r, 0);
}

static int
store_end(struct evp_sink *sk)
{
	(void)sk;
	return 0;
}

void
evp_store_init(struct evp_store *s)
{
	s->sink = (struct evp_sink){ store_start, store_put, store_end };
	evp_arena_init(&s->mem);
	s->h = (struct evp_header){ 0, NULL, { NULL, 0 }, 0, NULL };
	evp_spill_init(&s->rows);
}

int
evp_store_replay(struct evp_store *s, struct evp_sink *out,
    const struct evp_header *empty)
{
	struct evp_rec r;
	int rc = evp_sink_start(out, s->h.name != NULL ? &s->h : empty);

	if (rc == 0)
		rc = evp_spill_rewind(&s->rows);
	while (rc == 0 && (rc = evp_spill_get(&s->rows, &r, NULL)) > 0)
		rc = evp_sink_put(out, &r);
	evp_spill_release(&s->rows);
	return rc < 0 ? -1 : evp_sink_end(out);
}

void
evp_store_release(struct evp_store *s)
{
	evp_arena_release(&s->mem);
	evp_spill_release(&s->rows);
}

static int
opt_go(struct evp_optcols *o)
{
	size_t n = 0;

	o->started = 1;
	o->keep = xcalloc(o->h.n + 1, sizeof(*o->keep));
	struct evp_str *names = evp_arena_alloc(&o->mem,
	    (o->h.n + 1) * sizeof(*names));
	for (size_t i = 0; i < o->h.n; i++)
		if (o->seen[i] || evp_names_find(o->optional, o->h.name[i].p,
		    o->h.name[i].len) < 0) {
			o->keep[n] = (int)i;
			names[n++] = o->h.name[i];
		}
	o->oh = o->h;
	o->oh.n = n;
	o->oh.name = names;
	o->ov = xcalloc(n + 1, sizeof(*o->ov));
	return evp_sink_start(o->out, &o->oh);
}

static int
opt_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_optcols *o = evp_container_of(sk, struct evp_optcols, sink);

	evp_header_copy(&o->h, h, &o->mem);
	return 0;
}

static int
opt_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_optcols *o = evp_container_of(sk, struct evp_optcols, sink);

	if (!o->started && opt_go(o) < 0)
		return -1;
	for (size_t i = 0; i < o->oh.n; i++)
		o->ov[i] = r->f[o->keep[i]];
	struct evp_rec p = { o->oh.n, o->ov, r->at, r->json };
	return evp_sink_put(o->out, &p);
}

static int
opt_end(struct evp_sink *sk)
{
	struct evp_optcols *o = evp_container_of(sk, struct evp_optcols, sink);

	if (!o->started && opt_go(o) < 0)
		return -1;
	return evp_sink_end(o->out);
}

void
evp_optcols_init(struct evp_optcols *o, const struct evp_names *optional,
    const unsigned char *seen, struct evp_sink *out)
{
	memset(o, 0, sizeof(*o));
	o->sink = (struct evp_sink){ opt_start, opt_put, opt_end };
	o->out = out;
	o->optional = optional;
	o->seen = seen;
	evp_arena_init(&o->mem);
}

void
evp_optcols_release(struct evp_optcols *o)
{
	evp_arena_release(&o->mem);
	free(o->keep);
	free(o->ov);
	o->keep = NULL;
	o->ov = NULL;
}

static int
tally_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_tally_sink *t = evp_container_of(sk, struct evp_tally_sink, sink);

	free(t->idx);
	t->idx = xcalloc(t->cols->n + 1, sizeof(*t->idx));
	if (evp_require_names(h, t->cols, t->idx) < 0)
		return -1;
	return evp_sink_start(t->out, h);
}

static int
tally_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_tally_sink *t = evp_container_of(sk, struct evp_tally_sink, sink);
	int created;

	evp_buf_reset(&t->key);
	for (size_t i = 0; i < t->cols->n; i++) {
		if (i > 0)
			evp_buf_addc(&t->key, '/');
		evp_buf_add(&t->key, r->f[t->idx[i]].p, r->f[t->idx[i]].len);
	}
	uint64_t *n = evp_map_put(&t->map, t->key.p ? t->key.p : "", t->key.len,
	    sizeof(*n), &created);
	(*n)++;
	return evp_sink_put(t->out, r);
}

static int
tally_end(struct evp_sink *sk)
{
	struct evp_tally_sink *t = evp_container_of(sk, struct evp_tally_sink, sink);

	return evp_sink_end(t->out);
}

void
evp_tally_init(struct evp_tally_sink *t, const struct evp_names *cols,
    struct evp_sink *out)
{
	memset(t, 0, sizeof(*t));
	t->sink = (struct evp_sink){ tally_start, tally_put, tally_end };
	t->out = out;
	t->cols = cols;
	evp_map_init(&t->map);
}

void
evp_tally_json(const struct evp_tally_sink *t, struct evp_buf *b)
{
	size_t pos = 0, k = 0;
	const uint64_t *n;

	evp_buf_addc(b, '{');
	while ((n = evp_map_next(&t->map, &pos)) != NULL) {
		size_t len;
		const char *key = evp_map_key(n, &len);
		char *s = xmemdup(key, len);
		if (k++ > 0)
			evp_buf_addc(b, ',');
		evp_json_str(b, s);
		evp_buf_printf(b, ":%llu", (unsigned long long)*n);
		free(s);
	}
	evp_buf_addc(b, '}');
}

void
evp_tally_release(struct evp_tally_sink *t)
{
	free(t->idx);
	t->idx = NULL;
	evp_map_release(&t->map);
	evp_buf_release(&t->key);
}
