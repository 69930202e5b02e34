#include <stdlib.h>

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
