#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/outdir.h"
#include "core/xalloc.h"
#include "nordeus/chain.h"
#include "nordeus/daily.h"
#include "nordeus/side.h"
#include "stages/dedupe.h"
#include "stages/merge.h"
#include "stages/project.h"
#include "stages/sessionize.h"
#include "stages/sinks.h"
#include "stages/sort.h"

struct chain {
	struct evp_collect	 collect;
	struct evp_check	 check[2];
	struct evp_merge	 merge;
	struct evp_dedupe	 dedupe;
	struct evp_sort		 sort, ssort;
	struct evp_sessionize	 sess;
	struct evp_project	 table[EVP_LS_MAXOUT];
	struct evp_tee		 tee[EVP_LS_MAXOUT], dtee, stee;
	struct evp_ls_daily	 daily;
	size_t			 ntables;
	struct evp_names	 keys, carry, tables;
	struct evp_names	 role[EVP_SESS_NROLES];
	struct evp_sortkeys	 sk, ssk;
	struct evp_ls_side	 side;
	unsigned		 inited;	/* the stages set up, by bits */
};

static const char *
str(struct evp_profile *p, const char *sect, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s.%s", sect, name);
	return evp_profile_str(p, path);
}

static int
sortkeys(struct evp_sortkeys *ks, const char *spec, const char *file)
{
	struct evp_names l;

	if (spec == NULL || evp_names_parse(&l, spec) < 0)
		return evp_error(file, 0, "a sort setting is missing or empty");
	for (size_t i = 0; i < l.n; i++)
		if (evp_sortkeys_add(ks, l.name[i].p) < 0) {
			evp_names_free(&l);
			return evp_error(file, 0, "bad sort key '%s'", spec);
		}
	evp_names_free(&l);
	return 0;
}

/* The tables after the sessionize: tees, each feeding a projection. */
static struct evp_sink *
tables(struct chain *c, struct evp_run *run, struct evp_profile *p,
    const char *outdir)
{
	struct evp_sink *next = NULL;

	const char *list = evp_profile_str(p, "tables");

	if (list == NULL || evp_names_parse(&c->tables, list) < 0 ||
	    c->tables.n > EVP_LS_MAXOUT) {
		evp_error(p->file, 0, "\"tables\": a list of at most %d names",
		    EVP_LS_MAXOUT);
		return NULL;
	}
	for (size_t i = c->tables.n; i-- > 0; ) {
		const char *t = c->tables.name[i].p;
		struct evp_project_opts o = { str(p, t, "when"),
		    str(p, t, "columns") };
		const char *out = str(p, t, "output");
		if (o.columns == NULL || out == NULL) {
			evp_error(p->file, 0, "table %s: output and columns "
			    "are needed", t);
			return NULL;
		}
		char *path = evp_run_file(run, outdir, out, EVP_RUN_DATA);
		evp_run_own(run, path);
		if (evp_project_init(&c->table[i], &o, &run->rejects,
		    evp_run_csv(run, path)) < 0)
			return NULL;
		c->ntables = c->tables.n - i;
		if (next == NULL)
			next = &c->table[i].st.sink;
		else {
			evp_tee_init(&c->tee[i], &c->table[i].st.sink, next);
			next = &c->tee[i].sink;
		}
	}
	return next;
}

/* The sessionize and what follows it: -1 after reporting a bad setting. */
static int
tail(struct chain *c, struct evp_run *run, struct evp_profile *p,
    const char *outdir)
{
	static const char *const rolekey[EVP_SESS_NROLES] = {
		"register", "open", "close", "inside"
	};
	struct evp_sessionize_opts so;
	const char *out = str(p, "sessions", "output");
	const char *min = str(p, "sessions", "min_seconds");

	if (out == NULL || sortkeys(&c->ssk, str(p, "sessions", "sort"),
	    p->file) < 0)
		return evp_error(p->file, 0, "sessions.output and "
		    "sessions.sort are needed");
	char *path = evp_run_file(run, outdir, out, EVP_RUN_DATA);
	evp_run_own(run, path);
	struct evp_sort_opts o = { &c->ssk, (size_t)64 << 20, 0 };
	evp_sort_init(&c->ssort, &o, &run->rejects, evp_run_csv(run, path));
	c->inited |= 1;
	struct evp_sink *t = tables(c, run, p, outdir);
	struct evp_sink *ss = &c->ssort.st.sink;
	if (t == NULL || evp_ls_daily_init(&c->daily, run, p, outdir) < 0)
		return -1;
	if (c->daily.on) {
		evp_tee_init(&c->dtee, t, &c->daily.project.st.sink);
		evp_tee_init(&c->stee, ss, &c->daily.daily.sessions);
		t = &c->dtee.sink;
		ss = &c->stee.sink;
	}
	memset(&so, 0, sizeof(so));
	so.key = str(p, "sessions", "key");
	so.type = str(p, "sessions", "type");
	so.time = p->time;
	so.min = (struct evp_span){ 1, 0 };
	if (so.key == NULL || so.type == NULL || so.time == NULL ||
	    (min != NULL && evp_span_parse(&so.min, min) < 0))
		return evp_error(p->file, 0, "sessions.key, sessions.type and "
		    "time are needed, sessions.min_seconds a number");
	for (int r = 0; r < EVP_SESS_NROLES; r++) {
		const char *l = str(p, "sessions", rolekey[r]);
		if (l == NULL)
			continue;
		if (evp_names_parse(&c->role[r], l) < 0)
			return evp_error(p->file, 0, "sessions.%s: empty type",
			    rolekey[r]);
		so.role[r] = &c->role[r];
	}
	evp_sessionize_init(&c->sess, &so, &run->rejects, t, ss);
	c->inited |= 2;
	return 0;
}

/*
 * The merge, its index read first (before OUTDIR is touched): -1 when the
 * settings are bad or the index unusable, the failure recorded.  Until the
 * chain is built the merge refuses into the index side's rejects.
 */
static int
lookup(struct chain *c, struct evp_run *run, struct evp_profile *p,
    const struct evp_collect_opts *co, const char *index)
{
	const char *carry = str(p, "lookup", "carry");
	struct evp_merge_opts m = { str(p, "lookup", "key"),
	    str(p, "lookup", "index_key"), str(p, "lookup", "prefix"),
	    carry ? &c->carry : NULL, str(p, "lookup", "reason") };

	if ((carry != NULL && evp_names_parse(&c->carry, carry) < 0) ||
	    m.key == NULL || m.index_key == NULL || m.prefix == NULL) {
		evp_error(p->file, 0, "lookup.key, lookup.index_key and "
		    "lookup.prefix are needed, lookup.carry a list of names");
		evp_run_fail(run, EVP_EXIT_USAGE, 1);
		return -1;
	}
	evp_merge_init(&c->merge, &m, &c->side.rj, NULL);
	c->inited |= 16;
	if (evp_ls_side_read(&c->side, &c->merge, run, p, co,
	    (char *)index) < 0) {
		evp_run_fail(run, EVP_EXIT_INPUT, 1);
		return -1;
	}
	return 0;
}

/* The whole chain, built from the end back: -1 after reporting. */
static int
build(struct chain *c, struct evp_run *run, struct evp_profile *p,
    const struct evp_check_opts *ck, const char *outdir)
{
	struct evp_rejects *rj = &run->rejects;
	const char *before = str(p, "lookup", "before");
	size_t k = 0;

	if (tail(c, run, p, outdir) < 0 ||
	    sortkeys(&c->sk, p->sort, p->file) < 0)
		return -1;
	struct evp_sort_opts so = { &c->sk, (size_t)64 << 20, 0 };
	evp_sort_init(&c->sort, &so, rj, &c->sess.st.sink);
	struct evp_dedupe_opts d = { &c->keys, EVP_KEEP_FIRST, p->time, p->id };
	if (p->keys == NULL || evp_names_parse(&c->keys, p->keys) < 0 ||
	    (p->keep != NULL && evp_keep_parse(p->keep, &d.keep) < 0))
		return evp_error(p->file, 0, "\"keys\" or \"keep\" is bad");
	evp_dedupe_init(&c->dedupe, &d, rj, &c->sort.st.sink);
	c->inited |= 4;
	while (k < ck->n && (before == NULL ||
	    strcmp(ck->specs[k].kind, before) != 0))
		k++;
	struct evp_check_opts c0 = *ck, c1 = *ck;
	c0.n = k;
	c1.specs += k;
	c1.n -= k;
	c->inited |= 8;
	if (evp_check_init(&c->check[1], &c1, rj, &c->dedupe.st.sink) < 0)
		return -1;
	c->merge.st.rj = rj;	/* the index is read: the events' rejects */
	c->merge.st.out = &c->check[1].st.sink;
	c->inited |= 32;
	return evp_check_init(&c->check[0], &c0, rj, &c->merge.st.sink);
}

static void
release(struct chain *c)
{
	struct evp_ls_side *s = &c->side;

	if (c->inited & 1) {
		evp_sort_release(&c->ssort);
		for (size_t i = 0; i < c->ntables; i++)
			evp_project_release(&c->table[c->tables.n - 1 - i]);
	}
	if (c->inited & 2)
		evp_sessionize_release(&c->sess);
	if (c->inited & 4) {
		evp_sort_release(&c->sort);
		evp_dedupe_release(&c->dedupe);
	}
	if (c->inited & 8)
		evp_check_release(&c->check[1]);
	if (c->inited & 16)
		evp_merge_release(&c->merge);
	if (c->inited & 32)
		evp_check_release(&c->check[0]);
	if (c->inited & 64)
		evp_collect_release(&c->collect);
	evp_ls_side_release(s);
	evp_ls_daily_release(&c->daily);
	evp_names_free(&c->keys);
	evp_names_free(&c->carry);
	evp_names_free(&c->tables);
	for (int r = 0; r < EVP_SESS_NROLES; r++)
		evp_names_free(&c->role[r]);
	evp_sortkeys_release(&c->sk);
	evp_sortkeys_release(&c->ssk);
	free(c);
}

size_t
evp_ls_outputs(struct evp_profile *p, const char **names)
{
	struct evp_names t;
	const char *list = evp_profile_str(p, "tables");
	size_t n = 0;

	if (list != NULL && evp_names_parse(&t, list) == 0) {
		for (size_t i = 0; i < t.n && i < EVP_LS_MAXOUT; i++)
			if ((names[n] = str(p, t.name[i].p, "output")) != NULL)
				n++;
		evp_names_free(&t);
	}
	if ((names[n] = str(p, "sessions", "output")) != NULL)
		n++;
	n += evp_ls_daily_outputs(p, names + n);
	names[n++] = "rejects.csv";
	names[n++] = "summary.json";
	return n;
}

/* The run's total: events read, events the machine accepted, rejects. */
static void
totals(struct evp_run *run, const struct chain *c)
{
	run->has_total = 1;
	evp_count_init(&run->total, "total");
	run->total.in = c->collect.st.count.in;
	run->total.out = c->sess.st.count.out;
	for (size_t i = 0; i < run->ncounts; i++)
		if (run->counts[i]->rejected > 0)
			evp_count_reasons(&run->total, run->counts[i]->stage,
			    run->counts[i]->rejected);
}

void
evp_ls_run(struct evp_run *run, const struct evp_collect_opts *co,
    const struct evp_check_opts *ck, const char *outdir, const char *index,
    char *const *files, size_t n)
{
	struct evp_profile *p = (struct evp_profile *)run->profile;
	const char *names[EVP_LS_MAXNAMES];
	size_t nn = evp_ls_outputs(p, names);
	struct chain *c;

	c = xcalloc(1, sizeof(*c));
	if (lookup(c, run, p, co, index) < 0) {
		release(c);
		return;
	}
	if (evp_outdir_make(outdir) < 0 || evp_outdir_lock(outdir) < 0) {
		evp_run_fail(run, EVP_EXIT_IO, 1);
		release(c);
		return;
	}
	run->rejects_path = evp_run_file(run, outdir, names[nn - 2],
	    EVP_RUN_REJECTS);
	run->summary_path = evp_run_file(run, outdir, names[nn - 1],
	    EVP_RUN_JSON);
	evp_run_own(run, (char *)run->rejects_path);
	evp_run_own(run, (char *)run->summary_path);
	evp_run_start(run);
	if (build(c, run, p, ck, outdir) < 0) {
		evp_run_fail(run, EVP_EXIT_USAGE, 1);
		release(c);
		return;
	}
	c->inited |= 64;
	evp_collect_init(&c->collect, co, &run->rejects, &c->check[0].st.sink);
	struct evp_count *counts[] = { &c->collect.st.count,
	    &c->check[0].st.count, &c->merge.st.count, &c->check[1].st.count,
	    &c->dedupe.st.count, &c->sort.st.count, &c->sess.st.count };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		evp_run_count(run, counts[i]);
	evp_collect_run(&c->collect, run, files, n);
	totals(run, c);
	evp_run_keep_counts(run);
	release(c);
}
