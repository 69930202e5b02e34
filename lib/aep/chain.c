#include "aep/chain.h"
#include "aep/classify.h"
#include "aep/profile.h"
#include "aep/validate.h"
#include "core/diag.h"
#include "core/outdir.h"
#include "stages/dedupe.h"
#include "stages/merge.h"
#include "stages/sinks.h"

/* merge, validate and dedupe, as both chains run them. */
struct tail {
	struct evp_merge	merge;
	struct evp_validate	validate;
	struct evp_dedupe	dedupe;
	struct evp_names	carry, keys;
};

static void
tail_init(struct tail *t, struct evp_run *run, struct evp_sink *out)
{
	const struct evp_profile *p = run->profile;
	struct evp_dedupe_opts d = { &t->keys, EVP_KEEP_FIRST, p->time, p->id };

	evp_names_parse(&t->carry, evp_aep_carry);
	evp_names_parse(&t->keys, p->keys);
	evp_keep_parse(p->keep, &d.keep);
	struct evp_merge_opts m = { p->key, p->index_key, p->prefix, &t->carry,
	    NULL };
	evp_dedupe_init(&t->dedupe, &d, &run->rejects, out);
	evp_validate_init(&t->validate, p->prefix, &run->rejects,
	    &t->dedupe.st.sink);
	evp_merge_init(&t->merge, &m, &run->rejects, &t->validate.st.sink);
}

static void
tail_count(struct tail *t, struct evp_run *run)
{
	evp_run_count(run, &t->merge.st.count);
	evp_run_count(run, &t->validate.st.count);
	evp_run_count(run, &t->dedupe.st.count);
}

static void
tail_release(struct tail *t)
{
	evp_merge_release(&t->merge);
	evp_validate_release(&t->validate);
	evp_dedupe_release(&t->dedupe);
	evp_names_free(&t->carry);
	evp_names_free(&t->keys);
}

/*
 * The run's total: records in, out as the serving events kept by merge
 * plus the validated events, and the rejects by stage.
 */
static void
totals(struct evp_run *run, uint64_t in, const struct tail *t)
{
	uint64_t serving = t->merge.indexed, validated = t->dedupe.st.count.out;

	run->has_total = 1;
	evp_count_init(&run->total, "total");
	run->total.in = in;
	run->total.out = serving + validated;
	for (size_t i = 0; i < run->ncounts; i++)
		if (run->counts[i]->rejected > 0)
			evp_count_reasons(&run->total, run->counts[i]->stage,
			    run->counts[i]->rejected);
	evp_count_output(&run->total, "serving", serving);
	evp_count_output(&run->total, "validated", validated);
}

static const struct {
	const char	*name;
	int		 kind;
} run_files[] = {
	{ "serving_events.csv", EVP_RUN_DATA },
	{ "user_events.csv", EVP_RUN_DATA },
	{ "validated_events.csv", EVP_RUN_DATA },
	{ "rejects.csv", EVP_RUN_REJECTS }, { "summary.json", EVP_RUN_JSON },
};

char *
evp_aep_run_path(const struct evp_run *run, const char *outdir, int i)
{
	if (i < 0 || i >= EVP_AEP_RUN_NFILES)
		return NULL;
	return evp_run_file(run, outdir, run_files[i].name, run_files[i].kind);
}

const char *
evp_aep_lacks(const struct evp_header *cols)
{
	static const char *const need[] = {
		"eventId", "eventTimestamp", "eventType", "parentEventId",
		"userId", "advertiserId", "price"
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (evp_header_find(cols, need[i]) < 0)
			return need[i];
	return NULL;
}

void
evp_aep_run(struct evp_run *run, const struct evp_collect_opts *co,
    const char *outdir, char *const *files, size_t n)
{
	char *paths[EVP_AEP_RUN_NFILES];

	if (evp_outdir_make(outdir) < 0 || evp_outdir_lock(outdir) < 0) {
		evp_run_fail(run, EVP_EXIT_IO, 1);
		return;
	}
	for (int i = 0; i < EVP_AEP_RUN_NFILES; i++) {
		paths[i] = evp_aep_run_path(run, outdir, i);
		evp_run_own(run, paths[i]);
	}
	run->rejects_path = paths[3];
	run->summary_path = paths[4];
	evp_run_start(run);

	struct evp_sink *serving = evp_run_csv(run, paths[0]);
	struct evp_sink *user = evp_run_csv(run, paths[1]);
	struct evp_sink *valid = evp_run_csv(run, paths[2]);
	struct evp_rejects *rj = &run->rejects;
	struct evp_collect collect;
	struct evp_classify classify;
	struct tail t;
	struct evp_tee serving_tee, user_tee;
	struct evp_store users;

	tail_init(&t, run, valid);
	evp_store_init(&users);
	evp_tee_init(&serving_tee, serving, &t.merge.index);
	evp_tee_init(&user_tee, user, &users.sink);
	evp_classify_init(&classify, rj, &serving_tee.sink, &user_tee.sink);
	evp_collect_init(&collect, co, rj, &classify.st.sink);
	evp_run_count(run, &collect.st.count);
	evp_run_count(run, &classify.st.count);
	tail_count(&t, run);

	/* The user events wait until every serving event is indexed. */
	if (evp_collect_run(&collect, run, files, n) == 0 &&
	    evp_store_replay(&users, &t.merge.st.sink, co->cols) < 0)
		evp_run_fail(run, EVP_EXIT_IO, 1);

	totals(run, collect.st.count.in, &t);
	evp_run_keep_counts(run);
	evp_collect_release(&collect);
	evp_classify_release(&classify);
	evp_store_release(&users);
	tail_release(&t);
}

void
evp_aep_validate(struct evp_run *run, const char *serving, char *const *users,
    size_t n)
{
	struct tail t;

	evp_run_start(run);
	tail_init(&t, run, evp_run_csv(run, run->output));
	tail_count(&t, run);
	if (evp_run_feed(run, &t.merge.index, &t.merge.st.count,
	    (char *const *)&serving, 1, &run->colhdr) == 0)
		evp_run_feed(run, &t.merge.st.sink, &t.merge.st.count, users, n,
		    &run->colhdr);
	totals(run, t.merge.st.count.in, &t);
	evp_run_keep_counts(run);
	tail_release(&t);
}
