#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "merge.h"
#include "xalloc.h"

static int
index_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, index);

	if (evp_require_columns(h, &m->o.index_key, &m->ikey, 1) < 0)
		return -1;
	evp_header_join(&m->ih, h, NULL, NULL, &m->mem);
	evp_rjmap_release(&m->irjmap);
	evp_rjmap_init(&m->irjmap, m->rj, h, NULL);
	return 0;
}

static int
index_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, index);
	const struct evp_str *key = &r->f[m->ikey];
	struct evp_verdict v;
	int created;

	m->count.in++;
	if (key->len == 0) {
		evp_verdict_set(&v, "missing_key", "%s is empty", m->o.index_key);
		evp_reject(m->rj, &m->count, &v, &r->at, NULL, &m->irjmap, r);
		return 0;
	}
	struct evp_map_slot *s = evp_map_put(&m->map, key->p, key->len, &created);
	if (!created) {
		const struct evp_saved *first = s->val;
		evp_verdict_set(&v, "duplicate_key", "%s %.*s first seen at %s:%llu",
		    m->o.index_key, (int)(key->len > 60 ? 60 : key->len), key->p,
		    first->at.source, (unsigned long long)first->at.line);
		evp_reject(m->rj, &m->count, &v, &r->at, NULL, &m->irjmap, r);
		return 0;
	}
	s->val = evp_rec_save(r, &m->mem);
	m->count.out++;
	m->indexed++;
	return 0;
}

static int
index_end(struct evp_sink *sk)
{
	(void)sk;
	return 0;
}

static int
user_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, sink);

	if (evp_require_columns(h, &m->o.key, &m->ukey, 1) < 0)
		return -1;
	if (m->ih.name == NULL)		/* no serving input at all */
		evp_header_join(&m->ih, h, NULL, NULL, &m->mem);
	m->un = h->n;
	evp_header_join(&m->oh, h, &m->ih, m->o.prefix, &m->mem);
	m->ov = xcalloc(m->oh.n, sizeof(*m->ov));
	return evp_sink_start(m->out, &m->oh);
}

static int
user_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, sink);
	const struct evp_str *key = &r->f[m->ukey];
	const struct evp_saved *s = NULL;

	m->count.in++;
	if (key->len > 0)
		s = evp_map_get(&m->map, key->p, key->len);
	memcpy(m->ov, r->f, m->un * sizeof(*m->ov));
	if (s != NULL)
		evp_saved_fields(s, m->ov + m->un);
	else
		for (size_t i = 0; i < m->ih.n; i++)
			m->ov[m->un + i] = (struct evp_str){ "", 0 };
	struct evp_rec o = { m->oh.n, m->ov, r->at };
	m->count.out++;
	m->merged++;
	return evp_sink_put(m->out, &o);
}

static int
user_end(struct evp_sink *sk)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, sink);

	evp_count_output(&m->count, "index", m->indexed);
	evp_count_output(&m->count, "merged", m->merged);
	return evp_sink_end(m->out);
}

void
evp_merge_init(struct evp_merge *m, const struct evp_merge_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(m, 0, sizeof(*m));
	m->index = (struct evp_sink){ index_start, index_put, index_end };
	m->sink = (struct evp_sink){ user_start, user_put, user_end };
	m->out = out;
	m->rj = rj;
	m->o = *o;
	evp_count_init(&m->count, "merge");
	evp_map_init(&m->map);
	evp_arena_init(&m->mem);
}

void
evp_merge_release(struct evp_merge *m)
{
	evp_map_release(&m->map);
	evp_arena_release(&m->mem);
	evp_rjmap_release(&m->irjmap);
	free(m->ov);
	m->ov = NULL;
}
