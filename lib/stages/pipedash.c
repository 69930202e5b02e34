#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "stages/pipedash.h"

static const struct evp_header noheader = { 0, NULL, { NULL, 0 }, 0, NULL };

/* The children's rows, as they are kept: counted by their key. */
static int
c_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_pipedash *d = evp_container_of(sk, struct evp_pipedash, child);
	const char *k = d->sp[0].agg[d->cagg].childkey;

	return evp_require_columns(h, &k, &d->cidx, 1);
}

static int
c_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_pipedash *d = evp_container_of(sk, struct evp_pipedash, child);
	const struct evp_str *k = &r->f[d->cidx];

	for (int i = 0; i < 2; i++)
		if (d->has[i])
			evp_summarize_child(&d->sum[i], d->cagg, k->p, k->len);
	return 0;
}

static int
c_end(struct evp_sink *sk)
{
	(void)sk;
	return 0;
}

/* One setting of the dashboard into both specs: -1 if it is bad. */
static int
set(struct evp_pipedash *d, struct evp_profile *p, const char *name,
    enum evp_aggkind kind, int agg)
{
	char path[64];
	const char *why = NULL;

	snprintf(path, sizeof(path), "dashboard.%s", name);
	const char *v = evp_profile_str(p, path);
	if (v == NULL)
		return 0;
	for (int i = 0; i < 2 && why == NULL; i++) {
		struct evp_sumspec *sp = &d->sp[i];
		if (!agg && strcmp(name, "group") == 0)
			why = evp_sumspec_groups(sp, v);
		else if (!agg && strcmp(name, "groups") == 0)
			why = evp_sumspec_list(sp, v);
		else if (!agg && strcmp(name, "day") == 0)
			why = evp_sumspec_day(sp, v);
		else if (!agg && strcmp(name, "time") == 0)
			sp->time = xstrdup(v);
		else if (kind == EVP_AGG_CHILDREN)
			why = evp_sumspec_children(sp, v);
		else
			why = evp_sumspec_agg(sp, kind, v);
	}
	if (why != NULL)
		return evp_error(p->file, 0, "\"%s\": %s: '%s'", path, why, v);
	if (kind == EVP_AGG_CHILDREN && agg) {
		d->cagg = d->sp[0].nagg - 1;
		d->childroute = d->sp[0].agg[d->cagg].file;
	}
	return 0;
}

int
evp_pipedash_load(struct evp_pipedash *d, struct evp_profile *p,
    const struct evp_tstamp *from, const struct evp_tstamp *to)
{
	static const struct {
		const char	*name;
		enum evp_aggkind kind;
		int		 agg;
	} keys[] = {
		{ "group", EVP_AGG_COUNT, 0 }, { "day", EVP_AGG_COUNT, 0 },
		{ "groups", EVP_AGG_COUNT, 0 }, { "time", EVP_AGG_COUNT, 0 },
		{ "count", EVP_AGG_COUNT, 1 }, { "distinct", EVP_AGG_DISTINCT, 1 },
		{ "min", EVP_AGG_MIN, 1 }, { "max", EVP_AGG_MAX, 1 },
		{ "sum", EVP_AGG_SUM, 1 }, { "mean", EVP_AGG_MEAN, 1 },
		{ "children", EVP_AGG_CHILDREN, 1 },
	};
	struct evp_buf err = EVP_BUF_INIT;

	memset(d, 0, sizeof(*d));
	evp_sumspec_init(&d->sp[0]);
	evp_sumspec_init(&d->sp[1]);
	evp_store_init(&d->rows);
	d->of = evp_profile_str(p, "dashboard.of");
	if (d->of == NULL)
		return 0;
	d->file[0] = evp_profile_str(p, "dashboard.json");
	d->file[1] = evp_profile_str(p, "dashboard.csv");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (set(d, p, keys[i].name, keys[i].kind, keys[i].agg) < 0)
			return -1;
	for (int i = 0; i < 2; i++) {
		struct evp_sumspec *sp = &d->sp[i];
		d->has[i] = d->file[i] != NULL;
		sp->json = i == 0;
		if ((from || to) && sp->time == NULL)
			return evp_error(p->file, 0, "\"dashboard\" has no \"time\" "
			    "for --from and --to");
		if ((sp->has_from = from != NULL))
			sp->from = *from;
		if ((sp->has_to = to != NULL))
			sp->to = *to;
		if (evp_sumspec_check(sp, &err) < 0) {
			evp_error(p->file, 0, "\"dashboard\": %.*s", (int)err.len,
			    err.p);
			evp_buf_release(&err);
			return -1;
		}
	}
	if (!d->has[0] && !d->has[1])
		return evp_error(p->file, 0, "\"dashboard\" names no output "
		    "(\"json\", \"csv\")");
	d->child = (struct evp_sink){ c_start, c_put, c_end };
	return 1;
}

void
evp_pipedash_open(struct evp_pipedash *d, struct evp_run *run,
    char *const *paths)
{
	struct evp_sink *out[2] = { NULL, NULL };
	size_t k = 0;

	if (d->has[0]) {
		evp_jsonsink_init(&d->json, evp_run_output(run, paths[k++]),
		    d->sp[0].numeric);
		out[0] = &d->json.sink;
	}
	if (d->has[1])
		out[1] = evp_run_csv(run, paths[k]);
	d->opened = 1;
	for (int i = 0; i < 2; i++)
		if (d->has[i])
			evp_summarize_init(&d->sum[i], &d->sp[i], &run->rejects,
			    out[i]);
}

int
evp_pipedash_finish(struct evp_pipedash *d)
{
	struct evp_sink *to;

	if (d->has[0] && d->has[1]) {
		evp_tee_init(&d->both, &d->sum[0].st.sink, &d->sum[1].st.sink);
		to = &d->both.sink;
	} else
		to = &d->sum[d->has[0] ? 0 : 1].st.sink;
	return evp_store_replay(&d->rows, to, &noheader);
}

void
evp_pipedash_release(struct evp_pipedash *d)
{
	for (int i = 0; i < 2; i++) {
		if (d->opened && d->has[i])
			evp_summarize_release(&d->sum[i]);
		evp_sumspec_release(&d->sp[i]);
	}
	if (d->opened && d->has[0])
		evp_jsonsink_release(&d->json);
	evp_store_release(&d->rows);
}
