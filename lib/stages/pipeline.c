#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/outdir.h"
#include "core/xalloc.h"
#include "stages/check.h"
#include "stages/dedupe.h"
#include "stages/pipeline.h"
#include "stages/sinks.h"
#include "stages/sort.h"

/* The stages of the chain, built from the output back to collect. */
struct chain {
	struct evp_collect	 collect;
	struct evp_check	 check;
	struct evp_dedupe	 dedupe;
	struct evp_sort		 sort;
	struct evp_tally_sink	 tally;
	struct evp_optcols	 opt;
	struct evp_names	 keys, tallied, optional;
	struct evp_sortkeys	 sortkeys;
	int			 has_dedupe, has_sort, has_tally, has_opt;
};

/* Build the chain into sink out; -1 after reporting a bad setting. */
static int
build(struct chain *c, struct evp_run *run, const struct evp_pipeline_opts *o,
    struct evp_sink *out)
{
	struct evp_profile *p = o->profile;
	struct evp_rejects *rj = &run->rejects;

	if (p->optional != NULL && evp_names_parse(&c->optional, p->optional) == 0) {
		c->has_opt = 1;
		evp_optcols_init(&c->opt, &c->optional, c->collect.seen, out);
		out = &c->opt.sink;
	}
	if (p->tally != NULL && evp_names_parse(&c->tallied, p->tally) == 0) {
		c->has_tally = 1;
		evp_tally_init(&c->tally, &c->tallied, out);
		out = &c->tally.sink;
	}
	if (p->sort != NULL) {
		struct evp_names ks;
		if (evp_names_parse(&ks, p->sort) < 0)
			return evp_error(p->file, 0, "\"sort\": an empty key");
		for (size_t i = 0; i < ks.n; i++)
			if (evp_sortkeys_add(&c->sortkeys, ks.name[i].p) < 0) {
				evp_error(p->file, 0, "\"sort\": bad key '%s'",
				    ks.name[i].p);
				evp_names_free(&ks);
				return -1;
			}
		evp_names_free(&ks);
		struct evp_sort_opts so = { &c->sortkeys, (size_t)256 << 20, 0 };
		evp_sort_init(&c->sort, &so, rj, out);
		c->has_sort = 1;
		out = &c->sort.st.sink;
	}
	if (p->keys != NULL) {
		struct evp_dedupe_opts d = { &c->keys, EVP_KEEP_FIRST,
		    p->time ? p->time : "", p->id ? p->id : "" };
		if (evp_names_parse(&c->keys, p->keys) < 0 ||
		    (p->keep != NULL && evp_keep_parse(p->keep, &d.keep) < 0))
			return evp_error(p->file, 0, "\"keys\" or \"keep\" is bad");
		evp_dedupe_init(&c->dedupe, &d, rj, out);
		c->has_dedupe = 1;
		out = &c->dedupe.st.sink;
	}
	struct evp_check_opts co = o->check;
	co.route = NULL;
	co.nroutes = 0;
	if (evp_check_init(&c->check, &co, rj, out) < 0)
		return -1;
	return 0;
}

static void
release(struct chain *c)
{
	evp_collect_release(&c->collect);
	evp_check_release(&c->check);
	if (c->has_dedupe)
		evp_dedupe_release(&c->dedupe);
	if (c->has_sort)
		evp_sort_release(&c->sort);
	if (c->has_tally)
		evp_tally_release(&c->tally);
	if (c->has_opt)
		evp_optcols_release(&c->opt);
	evp_names_free(&c->keys);
	evp_names_free(&c->tallied);
	evp_names_free(&c->optional);
	evp_sortkeys_release(&c->sortkeys);
}

/* The run's total: records read, records written, rejects by stage. */
static void
totals(struct evp_run *run, const struct chain *c)
{
	const struct evp_count *last = c->has_sort ? &c->sort.st.count :
	    c->has_dedupe ? &c->dedupe.st.count : &c->check.st.count;

	run->has_total = 1;
	evp_count_init(&run->total, "total");
	run->total.in = c->collect.st.count.in;
	run->total.out = last->out;
	for (size_t i = 0; i < run->ncounts; i++)
		if (run->counts[i]->rejected > 0)
			evp_count_reasons(&run->total, run->counts[i]->stage,
			    run->counts[i]->rejected);
}

char *
evp_pipeline_path(const struct evp_run *run, const struct evp_profile *p,
    const char *outdir, int i)
{
	switch (i) {
	case 0:
		return evp_run_file(run, outdir, p->output ? p->output :
		    "events.csv", EVP_RUN_DATA);
	case 1:
		return evp_run_file(run, outdir, "rejects.csv", EVP_RUN_REJECTS);
	case 2:
		return evp_run_file(run, outdir, "summary.json", EVP_RUN_JSON);
	}
	return NULL;
}

void
evp_pipeline_run(struct evp_run *run, const struct evp_pipeline_opts *o,
    char *const *files, size_t n)
{
	char *paths[EVP_PIPELINE_NFILES];
	struct chain c;

	if (evp_profile_str(o->profile, "routes") != NULL) {
		evp_routed_run(run, o, files, n);
		return;
	}
	if (evp_outdir_make(o->outdir) < 0 || evp_outdir_lock(o->outdir) < 0) {
		evp_run_fail(run, EVP_EXIT_IO, 1);
		return;
	}
	for (int i = 0; i < EVP_PIPELINE_NFILES; i++) {
		paths[i] = evp_pipeline_path(run, o->profile, o->outdir, i);
		evp_run_own(run, paths[i]);
	}
	run->rejects_path = paths[1];
	run->summary_path = paths[2];
	evp_run_start(run);

	memset(&c, 0, sizeof(c));
	struct evp_sink *out = evp_run_csv(run, paths[0]);
	/* collect first: the optional columns read what it saw. */
	evp_collect_init(&c.collect, o->collect, &run->rejects, NULL);
	if (build(&c, run, o, out) < 0) {
		evp_run_fail(run, EVP_EXIT_USAGE, 1);
		release(&c);
		return;
	}
	c.collect.st.out = &c.check.st.sink;
	evp_run_count(run, &c.collect.st.count);
	evp_run_count(run, &c.check.st.count);
	if (c.has_dedupe)
		evp_run_count(run, &c.dedupe.st.count);
	if (c.has_sort)
		evp_run_count(run, &c.sort.st.count);

	evp_collect_run(&c.collect, run, files, n);

	totals(run, &c);
	if (c.has_tally) {
		struct evp_buf b = EVP_BUF_INIT;
		evp_tally_json(&c.tally, &b);
		evp_run_summary_add(run, "tally", b.p, b.len);
		evp_buf_release(&b);
	}
	evp_run_keep_counts(run);
	release(&c);
}
