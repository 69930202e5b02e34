/*
 * summarize's children: each --children file read whole, before the
 * records, into a map of its key's values to their rows, so that memory
 * holds its distinct keys, not its rows.  A row with an empty key
 * matches no record: it is counted as filtered.
 */

#include <string.h>

#include "core/diag.h"
#include "stages/summarize.h"

struct childsink {
	struct evp_sink		 sink;
	struct evp_map		*map;
	struct evp_count	*count;
	const char		*col;
	int			 idx;
};

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct childsink *c = evp_container_of(sk, struct childsink, sink);

	if (h->n == 0)		/* an empty file: no rows */
		return 0;
	return evp_require_columns(h, &c->col, &c->idx, 1);
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct childsink *c = evp_container_of(sk, struct childsink, sink);
	const struct evp_str *k = &r->f[c->idx];
	int created;

	c->count->in++;
	if (k->len == 0) {
		c->count->filtered++;
		return 0;
	}
	uint64_t *n = evp_map_put(c->map, k->p, k->len, sizeof(*n), &created);
	(*n)++;
	c->count->out++;
	return 0;
}

static int
end(struct evp_sink *sk)
{
	(void)sk;
	return 0;
}

int
evp_summarize_children(struct evp_summarize *s, struct evp_run *run)
{
	const struct evp_sumspec *sp = s->sp;

	for (size_t i = 0; i < sp->nagg; i++) {
		const struct evp_agg *a = &sp->agg[i];
		if (a->kind != EVP_AGG_CHILDREN)
			continue;
		struct childsink c = { { start, put, end }, &s->child[i],
		    &s->ccount[i], a->childkey, -1 };
		char *files[1] = { a->file };
		evp_count_init(&s->ccount[i], "children");
		evp_run_count(run, &s->ccount[i]);
		if (evp_run_feed(run, &c.sink, &s->ccount[i], files, 1,
		    &evp_summarize_noheader) < 0 && run->broken &&
		    run->status == EVP_EXIT_IO)
			return -1;
	}
	return 0;
}

void
evp_summarize_child(struct evp_summarize *s, size_t i, const char *key,
    size_t len)
{
	int created;

	if (len == 0)
		return;
	uint64_t *n = evp_map_put(&s->child[i], key, len, sizeof(*n), &created);
	(*n)++;
}

void
evp_summarize_report(const struct evp_summarize *s, int quiet)
{
	const struct evp_sumspec *sp = s->sp;
	struct evp_buf b = EVP_BUF_INIT;

	for (size_t i = 0; i < sp->nagg && !quiet; i++) {
		if (sp->agg[i].kind != EVP_AGG_CHILDREN)
			continue;
		evp_buf_reset(&b);
		evp_count_text(&s->ccount[i], &b);
		evp_msg("children %s: %s", sp->agg[i].file, b.p);
	}
	evp_buf_release(&b);
}
