#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/pack.h"
#include "stages/merge.h"
#include "core/xalloc.h"

/* Is column name carried: the key, or any column when carry is NULL. */
static int
carried(const struct evp_merge *m, struct evp_str name)
{
	if (m->o.carry == NULL || evp_str_eqs(name, m->o.index_key))
		return 1;
	for (size_t i = 0; i < m->o.carry->n; i++)
		if (evp_str_eq(name, m->o.carry->name[i].p, m->o.carry->name[i].len))
			return 1;
	return 0;
}

/*
 * The index header: the columns of h carried, in h's order.  With strict
 * set, each column named in carry must be in h.
 */
static int
index_header(struct evp_merge *m, const struct evp_header *h, int strict)
{
	struct evp_str *names = evp_arena_alloc(&m->mem,
	    (h->n + 1) * sizeof(*names));
	size_t n = 0;

	if (strict && m->o.carry != NULL)
		for (size_t i = 0; i < m->o.carry->n; i++) {
			const char *c = m->o.carry->name[i].p;
			int at;
			if (evp_require_columns(h, &c, &at, 1) < 0)
				return -1;
		}
	free(m->carry);
	m->carry = xcalloc(h->n + 1, sizeof(*m->carry));
	m->keyat = -1;
	for (size_t i = 0; i < h->n; i++) {
		if (!carried(m, h->name[i]))
			continue;
		if ((int)i == m->ikey)
			m->keyat = (int)n;
		m->carry[n] = (int)i;
		names[n++] = (struct evp_str){ evp_arena_dup(&m->mem,
		    h->name[i].p, h->name[i].len), h->name[i].len };
	}
	m->ih = (struct evp_header){ n, names, h->at, 0, NULL };
	free(m->pv);
	m->pv = xcalloc(n + 1, sizeof(*m->pv));
	return 0;
}

static int
index_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, index);

	if (evp_require_columns(h, &m->o.index_key, &m->ikey, 1) < 0 ||
	    index_header(m, h, 1) < 0)
		return -1;
	evp_stage_map(&m->st, h);
	return 0;
}

/* What the index keeps of a serving record. */
struct indexed {
	struct evp_origin	at;
	unsigned char		data[];	/* the carried fields but the key, packed */
};

static int
index_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, index);
	const struct evp_str *key = &r->f[m->ikey];
	struct evp_verdict v;
	int created;

	m->st.count.in++;
	if (key->len == 0) {
		evp_verdict_set(&v, "missing_key", "%s is empty", m->o.index_key);
		return evp_stage_refuse(&m->st, r, &v);
	}
	size_t n = 0;
	for (size_t i = 0; i < m->ih.n; i++)
		if ((int)i != m->keyat)
			m->pv[n++] = r->f[m->carry[i]];
	size_t size = sizeof(struct indexed) + evp_pack_size(m->pv, n);
	struct indexed *e = evp_map_put(&m->map, key->p, key->len, size, &created);
	if (!created) {
		evp_verdict_set(&v, "duplicate_key", "%s %.*s first seen at %s:%llu",
		    m->o.index_key, EVP_SHOW(key),
		    e->at.source, (unsigned long long)e->at.line);
		return evp_stage_refuse(&m->st, r, &v);
	}
	e->at = r->at;
	if (m->isource == NULL)
		m->isource = r->at.source;
	evp_pack(e->data, m->pv, n);
	m->st.count.out++;
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
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, st.sink);

	if (evp_require_columns(h, &m->o.key, &m->ukey, 1) < 0)
		return -1;
	if (m->ih.name == NULL) {	/* no serving input at all */
		m->ikey = evp_header_find(h, m->o.index_key);
		index_header(m, h, 0);
	}
	m->un = h->n;
	evp_rjmap_release(&m->umap);
	evp_rjmap_init(&m->umap, m->st.rj, h);
	evp_header_join(&m->oh, h, &m->ih, m->o.prefix, &m->mem);
	/* A carried column named as one of the record's: merged twice? */
	for (size_t i = h->n; i < m->oh.n; i++)
		if (evp_header_find(h, m->oh.name[i].p) >= 0)
			return evp_error(h->at.source, h->at.line,
			    "column '%s' would be given twice, the input has it "
			    "already (merged before? --prefix names the carried "
			    "columns)", m->oh.name[i].p);
	m->ov = xcalloc(m->oh.n, sizeof(*m->ov));
	return evp_sink_start(m->st.out, &m->oh);
}

static int
user_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, st.sink);
	const struct evp_str *key = &r->f[m->ukey];
	const struct indexed *e = NULL;
	struct evp_str *sv = m->ov + m->un;

	m->st.count.in++;
	if (key->len > 0)
		e = evp_map_get(&m->map, key->p, key->len);
	if (e == NULL && key->len > 0 && m->o.unmatched != NULL) {
		struct evp_verdict v;
		evp_verdict_set(&v, m->o.unmatched, "%s '%.*s' has no match "
		    "in %s", m->o.key, EVP_SHOW(key), m->isource ?
		    m->isource : "the index");
		evp_reject(m->st.rj, &m->st.count, &v, &r->at, NULL, &m->umap,
		    r);
		return 0;
	}
	memcpy(m->ov, r->f, m->un * sizeof(*m->ov));
	if (e != NULL) {
		evp_unpack(e->data, m->pv, m->ih.n - (m->keyat >= 0));
		for (size_t i = 0, j = 0; i < m->ih.n; i++)
			sv[i] = (int)i == m->keyat ? *key : m->pv[j++];
	} else
		for (size_t i = 0; i < m->ih.n; i++)
			sv[i] = (struct evp_str){ "", 0 };
	struct evp_rec o = { m->oh.n, m->ov, r->at, { NULL, 0 } };
	m->merged++;
	return evp_stage_pass(&m->st, &o);
}

static int
user_end(struct evp_sink *sk)
{
	struct evp_merge *m = evp_container_of(sk, struct evp_merge, st.sink);

	evp_count_output(&m->st.count, "index", m->indexed);
	evp_count_output(&m->st.count, "merged", m->merged);
	return evp_sink_end(m->st.out);
}

void
evp_merge_init(struct evp_merge *m, const struct evp_merge_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(m, 0, sizeof(*m));
	evp_stage_init(&m->st, "merge",
	    (struct evp_sink){ user_start, user_put, user_end }, rj, out);
	m->index = (struct evp_sink){ index_start, index_put, index_end };
	m->o = *o;
	evp_map_init(&m->map);
	evp_arena_init(&m->mem);
}

void
evp_merge_release(struct evp_merge *m)
{
	evp_map_release(&m->map);
	evp_rjmap_release(&m->umap);
	evp_arena_release(&m->mem);
	evp_stage_release(&m->st);
	free(m->ov);
	free(m->carry);
	free(m->pv);
	m->ov = m->pv = NULL;
	m->carry = NULL;
}
