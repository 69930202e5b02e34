#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/dedupe.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "types/tstamp.h"

/*
 * What names a kept record in a duplicate's detail: its id (the bytes
 * follow) and its origin.  Keep-first keeps one per key in the map;
 * the other modes make one at the end, for the keys that have duplicates.
 */
struct kept {
	struct evp_origin	 at;
	size_t			 idlen;
	char			 id[];
};

/* A key's state in the modes where the winner can change. */
struct group {
	uint64_t	win;		/* the current winner's number in the spill */
	union {
		int64_t	sec;		/* its timestamp, while reading */
		struct kept *kept;	/* what names it, at the end */
	} u;
	int32_t		nsec;
	uint8_t		kind;
	uint8_t		dups;		/* the key has duplicates */
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
	struct evp_dedupe *d = evp_container_of(sk, struct evp_dedupe, st.sink);
	size_t nk = d->o.keys->n;

	free(d->kidx);
	d->kidx = xcalloc(nk, sizeof(*d->kidx));
	if (evp_require_names(h, d->o.keys, d->kidx) < 0)
		return -1;
	d->tidx = -1;
	if (d->o.keep == EVP_KEEP_EARLIEST || d->o.keep == EVP_KEEP_LATEST)
		if (evp_require_columns(h, &d->o.time, &d->tidx, 1) < 0)
			return -1;
	d->ididx = evp_header_find(h, d->o.id);
	evp_stage_map(&d->st, h);
	return evp_sink_start(d->st.out, h);
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

static struct kept *
kept_new(struct evp_dedupe *d, void *mem, const struct evp_rec *r)
{
	const struct evp_str *id = id_of(d, r->f);
	size_t len = id ? id->len : 0;
	struct kept *k = mem ? mem : evp_arena_alloc(&d->mem, sizeof(*k) + len);

	k->at = r->at;
	k->idlen = len;
	if (len > 0)
		memcpy(k->id, id->p, len);
	return k;
}

/* A duplicate's verdict, naming the kept record by its id or its line. */
static void
verdict(struct evp_dedupe *d, struct evp_verdict *v, const struct kept *k)
{
	if (k->idlen > 0)
		evp_verdict_set(v, d->reason, "kept %s %.*s", d->o.id,
		    (int)(k->idlen > 60 ? 60 : k->idlen), k->id);
	else
		evp_verdict_set(v, d->reason, "kept the record of %s:%llu",
		    k->at.source, (unsigned long long)k->at.line);
}

static int
put_first(struct evp_dedupe *d, const struct evp_rec *r)
{
	const struct evp_str *id = id_of(d, r->f);
	size_t size = sizeof(struct kept) + (id ? id->len : 0);
	int created;
	struct kept *k = evp_map_put(&d->map, d->key.p, d->key.len, size,
	    &created);

	if (!created) {
		struct evp_verdict v;
		verdict(d, &v, k);
		return evp_stage_refuse(&d->st, r, &v);
	}
	kept_new(d, k, r);
	return evp_stage_pass(&d->st, r);
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_dedupe *d = evp_container_of(sk, struct evp_dedupe, st.sink);
	struct evp_tstamp t = { EVP_TS_TIMEOFDAY, 0, 0 };
	struct evp_verdict v;
	int created;

	d->st.count.in++;
	if (d->tidx >= 0 && evp_tstamp_field(&t, &r->f[d->tidx], NULL, &v) < 0)
		return evp_stage_refuse(&d->st, r, &v);
	make_key(d, r);
	if (d->o.keep == EVP_KEEP_FIRST)
		return put_first(d, r);

	struct group *g = evp_map_put(&d->map, d->key.p, d->key.len, sizeof(*g),
	    &created);
	int better = 1;
	if (!created && d->o.keep != EVP_KEEP_LAST) {
		struct evp_tstamp w = { (enum evp_tkind)g->kind, g->u.sec, g->nsec };
		int cmp = evp_tstamp_cmp(&t, &w);
		if (cmp == 2) {
			evp_verdict_set(&v, "incomparable_timestamps",
			    "'%.*s' cannot be compared with the kept record's",
			    EVP_SHOW(&r->f[d->tidx]));
			return evp_stage_refuse(&d->st, r, &v);
		}
		better = d->o.keep == EVP_KEEP_EARLIEST ? cmp < 0 : cmp > 0;
	}
	if (!created)
		g->dups = 1;
	if (better) {
		g->win = d->spill.n;
		g->u.sec = t.sec;
		g->nsec = t.nsec;
		g->kind = (uint8_t)t.kind;
	}
	return evp_spill_put(&d->spill, r, evp_map_ref(&d->map, g));
}

/*
 * The end: one pass over the spill puts the winners, in input order, and
 * sets the duplicates aside again; then the duplicates are written, each
 * naming its key's winner.
 */
static int
drain(struct evp_dedupe *d)
{
	struct evp_rec r;
	struct evp_verdict v;
	uint32_t ref;
	int rc;

	if (evp_spill_rewind(&d->spill) < 0)
		return -1;
	for (uint64_t no = 0; (rc = evp_spill_get(&d->spill, &r, &ref)) > 0; no++) {
		struct group *g = evp_map_at(&d->map, ref);
		if (g->win != no) {
			if (evp_spill_put(&d->dups, &r, ref) < 0)
				return -1;
			continue;
		}
		if (g->dups)
			g->u.kept = kept_new(d, NULL, &r);
		if (evp_stage_pass(&d->st, &r) < 0)
			return -1;
	}
	evp_spill_release(&d->spill);
	if (rc < 0 || evp_spill_rewind(&d->dups) < 0)
		return -1;
	while ((rc = evp_spill_get(&d->dups, &r, &ref)) > 0) {
		const struct group *g = evp_map_at(&d->map, ref);
		verdict(d, &v, g->u.kept);
		evp_stage_refuse(&d->st, &r, &v);
	}
	evp_spill_release(&d->dups);
	return rc;
}

static int
end(struct evp_sink *sk)
{
	struct evp_dedupe *d = evp_container_of(sk, struct evp_dedupe, st.sink);

	if (drain(d) < 0)
		return -1;
	return evp_sink_end(d->st.out);
}

void
evp_dedupe_init(struct evp_dedupe *d, const struct evp_dedupe_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(d, 0, sizeof(*d));
	evp_stage_init(&d->st, "dedupe", (struct evp_sink){ start, put, end },
	    rj, out);
	d->o = *o;
	d->reason = "duplicate";
	evp_map_init(&d->map);
	evp_arena_init(&d->mem);
	evp_spill_init(&d->spill);
	evp_spill_init(&d->dups);
}

void
evp_dedupe_release(struct evp_dedupe *d)
{
	free(d->kidx);
	evp_stage_release(&d->st);
	evp_spill_release(&d->spill);
	evp_spill_release(&d->dups);
	evp_map_release(&d->map);
	evp_arena_release(&d->mem);
	evp_buf_release(&d->key);
	d->kidx = NULL;
}
