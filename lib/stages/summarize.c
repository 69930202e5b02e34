/*
 * summarize, record by record: check, filter, find the group, add.  The
 * aggregates' values are read and added in sumagg.c, the groups written
 * at the end in sumemit.c, the options read in sumspec.c.
 */

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "stages/summarize.h"

const struct evp_header evp_summarize_noheader = {
	0, NULL, { NULL, 0 }, 0, NULL
};

#define ROUND8(n)	(((n) + 7) & ~(size_t)7)

static size_t
state_size(const struct evp_agg *a)
{
	switch (a->kind) {
	case EVP_AGG_COUNT:
		return 0;
	case EVP_AGG_MIN:
	case EVP_AGG_MAX:
		return sizeof(struct evp_summm);
	case EVP_AGG_SUM:
	case EVP_AGG_MEAN:
		return sizeof(struct evp_sumacc);
	case EVP_AGG_DISTINCT:
	case EVP_AGG_CHILDREN:
		break;
	}
	return sizeof(uint64_t);
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_summarize *s =
	    evp_container_of(sk, struct evp_summarize, st.sink);
	const struct evp_sumspec *sp = s->sp;
	struct evp_header out = { sp->ncols, sp->colname, { NULL, 0 }, 0, NULL };

	if (h->n == 0) {		/* no input: no record will come */
		s->ready = 1;
		return evp_sink_start(s->st.out, &out);
	}
	if (evp_require_columns(h, (const char *const *)sp->gcol, s->gidx,
	    sp->ngcol) < 0)
		return -1;
	if (sp->day != NULL &&
	    evp_require_columns(h, (const char *const *)&sp->day, &s->didx,
	    1) < 0)
		return -1;
	if (sp->time != NULL &&
	    evp_require_columns(h, (const char *const *)&sp->time, &s->tidx,
	    1) < 0)
		return -1;
	for (size_t i = 0; i < sp->nagg; i++) {
		s->aidx[i] = -1;
		s->share[i] = -1;
		if (sp->agg[i].col != NULL && evp_require_columns(h,
		    (const char *const *)&sp->agg[i].col, &s->aidx[i], 1) < 0)
			return -1;
	}
	/* A column read the same way by an earlier aggregate: read once. */
	for (size_t i = 0; i < sp->nagg; i++)
		for (size_t j = 0; j < i && s->share[i] < 0; j++)
			if (s->aidx[j] == s->aidx[i] && s->share[j] < 0 &&
			    ((evp_agg_reads_decimal(&sp->agg[i]) &&
			    evp_agg_reads_decimal(&sp->agg[j])) ||
			    (evp_agg_reads_time(&sp->agg[i]) &&
			    evp_agg_reads_time(&sp->agg[j]))))
				s->share[i] = (int)j;
	evp_stage_map(&s->st, h);
	s->ready = 1;
	return evp_sink_start(s->st.out, &out);
}

/* Is r left out by the window or a list of groups? */
static int
left_out(struct evp_summarize *s, const struct evp_rec *r,
    const struct evp_tstamp *t)
{
	const struct evp_sumspec *sp = s->sp;

	if (s->tidx >= 0 && ((sp->has_from && evp_tstamp_cmp(t, &sp->from) < 0) ||
	    (sp->has_to && evp_tstamp_cmp(t, &sp->to) >= 0)))
		return 1;
	for (size_t i = 0; i < sp->ngcol; i++) {
		int l = sp->listof[i];
		const struct evp_str *f = &r->f[s->gidx[i]];
		if (l >= 0 && evp_map_get(&s->lists[l], f->p, f->len) == NULL)
			return 1;
	}
	return 0;
}

/* The record's group key: see evp_sumkey_split. */
static void
group_key(struct evp_summarize *s, const struct evp_rec *r, int64_t day,
    const char **k, size_t *len)
{
	const struct evp_sumspec *sp = s->sp;

	if (sp->ngcol == 1 && sp->day == NULL) {
		*k = r->f[s->gidx[0]].p;
		*len = r->f[s->gidx[0]].len;
		return;
	}
	evp_buf_reset(&s->key);
	for (size_t i = 0; i < sp->ngcol; i++) {
		const struct evp_str *f = &r->f[s->gidx[i]];
		uint64_t n = f->len;
		evp_buf_add(&s->key, &n, sizeof(n));
		evp_buf_add(&s->key, f->p, f->len);
	}
	if (sp->day != NULL)
		evp_buf_add(&s->key, &day, sizeof(day));
	*k = s->key.p ? s->key.p : "";
	*len = s->key.len;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_summarize *s =
	    evp_container_of(sk, struct evp_summarize, st.sink);
	const struct evp_sumspec *sp = s->sp;
	struct evp_verdict v;
	struct evp_tstamp tw = { EVP_TS_INSTANT, 0, 0 }, td;
	int64_t day = 0;

	if (!s->ready)		/* the input lacked a column: nothing to do */
		return 0;
	s->st.count.in++;
	if (s->tidx >= 0 &&
	    evp_tstamp_instant(&tw, sp->time, &r->f[s->tidx], &v) < 0)
		return evp_stage_refuse(&s->st, r, &v);
	if (s->didx >= 0) {
		if (s->didx == s->tidx)
			td = tw;
		else if (evp_tstamp_instant(&td, sp->day, &r->f[s->didx],
		    &v) < 0)
			return evp_stage_refuse(&s->st, r, &v);
		day = evp_tstamp_day(&td);
	}
	if (evp_sumagg_read(s, r, &v) < 0 ||
	    (sp->json && evp_sumagg_utf8(s, r, &v) < 0))
		return evp_stage_refuse(&s->st, r, &v);
	/* Checked: the first such record sets the kind of each time value. */
	for (size_t i = 0; i < sp->nagg; i++)
		if (s->kind[i] == 0 && evp_agg_reads_time(&sp->agg[i]) && s->val[i].has)
			s->kind[i] = s->val[i].t.kind;
	if (left_out(s, r, &tw)) {
		s->st.count.filtered++;
		return 0;
	}

	const char *k;
	size_t klen;
	int created;
	group_key(s, r, day, &k, &klen);
	unsigned char *g = evp_map_put(&s->groups, k, klen, s->vsize, &created);
	if (evp_sumagg_sums(s, g, &v) < 0)
		return evp_stage_refuse(&s->st, r, &v);
	evp_sumagg_add(s, g);
	s->st.count.out++;
	return 0;
}

static int
end(struct evp_sink *sk)
{
	struct evp_summarize *s =
	    evp_container_of(sk, struct evp_summarize, st.sink);

	if (!s->ready)		/* nothing was started: nothing to end */
		return 0;
	evp_sumagg_flush(s);
	if (evp_summarize_emit(s) < 0)
		return -1;
	return evp_sink_end(s->st.out);
}

void
evp_summarize_init(struct evp_summarize *s, const struct evp_sumspec *sp,
    struct evp_rejects *rj, struct evp_sink *out)
{
	size_t na = sp->nagg ? sp->nagg : 1;

	memset(s, 0, sizeof(*s));
	evp_stage_init(&s->st, "summarize", (struct evp_sink){ start, put, end },
	    rj, out);
	s->sp = sp;
	s->didx = s->tidx = -1;
	s->gidx = xcalloc(sp->ngcol ? sp->ngcol : 1, sizeof(*s->gidx));
	s->aidx = xcalloc(na, sizeof(*s->aidx));
	s->share = xcalloc(na, sizeof(*s->share));
	s->kind = xcalloc(na, sizeof(*s->kind));
	s->off = xcalloc(na, sizeof(*s->off));
	s->val = xcalloc(na, sizeof(*s->val));
	s->sum = xcalloc(na, sizeof(*s->sum));
	s->child = xcalloc(na, sizeof(*s->child));
	s->ccount = xcalloc(na, sizeof(*s->ccount));
	s->vsize = sizeof(uint64_t);
	for (size_t i = 0; i < sp->nagg; i++) {
		s->aidx[i] = s->share[i] = -1;
		s->off[i] = s->vsize;
		s->vsize += ROUND8(state_size(&sp->agg[i]));
		if (sp->agg[i].kind == EVP_AGG_CHILDREN)
			evp_map_init(&s->child[i]);
	}
	s->zero = xcalloc(1, s->vsize);
	evp_map_init(&s->groups);
	evp_map_init(&s->distinct);
	s->lists = xcalloc(sp->nlist ? sp->nlist : 1, sizeof(*s->lists));
	for (size_t l = 0; l < sp->nlist; l++) {
		evp_map_init(&s->lists[l]);
		for (size_t j = 0; j < sp->list[l].n; j++) {
			int created;
			uint32_t *at = evp_map_put(&s->lists[l], sp->list[l].v[j].p,
			    sp->list[l].v[j].len, sizeof(*at), &created);
			*at = (uint32_t)j;
		}
	}
	evp_buf_init(&s->key);
	evp_buf_init(&s->dkey);
	evp_buf_init(&s->text);
}

void
evp_summarize_release(struct evp_summarize *s)
{
	const struct evp_sumspec *sp = s->sp;
	size_t pos = 0;
	unsigned char *g;

	while ((g = evp_map_next(&s->groups, &pos)) != NULL)
		for (size_t i = 0; i < sp->nagg; i++)
			if (sp->agg[i].kind == EVP_AGG_MIN ||
			    sp->agg[i].kind == EVP_AGG_MAX)
				free(((struct evp_summm *)(void *)
				    (g + s->off[i]))->text);
	evp_map_release(&s->groups);
	evp_map_release(&s->distinct);
	for (size_t i = 0; i < sp->nagg; i++)
		if (sp->agg[i].kind == EVP_AGG_CHILDREN)
			evp_map_release(&s->child[i]);
	for (size_t l = 0; l < sp->nlist; l++)
		evp_map_release(&s->lists[l]);
	free(s->lists);
	free(s->gidx);
	free(s->aidx);
	free(s->share);
	free(s->kind);
	free(s->off);
	free(s->val);
	free(s->sum);
	free(s->child);
	free(s->ccount);
	free(s->zero);
	evp_buf_release(&s->key);
	evp_buf_release(&s->dkey);
	evp_buf_release(&s->text);
	evp_stage_release(&s->st);
}
