/*
 * The checked chain with routes (evp-profile(5), "routes"): the records
 * that pass the checks go to one output per value of the route column,
 * each route with its optional steps:
 *
 *	collect -> check -+-> [unique] -> [parents' keys] -> VALUE.csv
 *	                  |                                   [-> dashboard rows]
 *	                  +-> [parent check, deferred] -> VALUE.csv
 *	                                                  [-> dashboard children]
 *
 * then the dashboard, summarize fed in process.
 */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/outdir.h"
#include "core/xalloc.h"
#include "stages/dedupe.h"
#include "stages/parent.h"
#include "stages/pipedash.h"
#include "stages/pipeline.h"
#include "stages/sinks.h"

#define ROUTES_MAX	4

struct routed {
	struct evp_collect	 collect;
	struct evp_check	 check;
	size_t			 n;
	const char		*value[ROUTES_MAX];
	const char		*file[ROUTES_MAX];
	struct evp_sink		*in[ROUTES_MAX];	/* where check sends */
	char			*mem;			/* value and file texts */
	struct evp_dedupe	 dedupe;
	struct evp_names	 ukeys;
	int			 unique;		/* its route, or -1 */
	int			 has_dedupe, has_parent;
	struct evp_parent	 parent;
	int			 proute, pof;		/* or -1 */
	struct evp_pipedash	 dash;
	int			 droute, has_dash;
	struct evp_tee		 tee[2];
};

/* The route named v, or -1. */
static int
route_of(const struct routed *c, const char *v)
{
	for (size_t i = 0; v != NULL && i < c->n; i++)
		if (strcmp(c->value[i], v) == 0)
			return (int)i;
	return -1;
}

/* "VALUE:FILE,..." into the routes; -1 after reporting. */
static int
parse_routes(struct routed *c, const struct evp_profile *p, const char *s)
{
	c->mem = xstrdup(s ? s : "");
	for (char *save = NULL, *t = strtok_r(c->mem, ",", &save); t != NULL;
	    t = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(t, ':');
		if (colon == NULL || colon == t || colon[1] == '\0' ||
		    strchr(colon + 1, '/') != NULL || c->n == ROUTES_MAX)
			return evp_error(p->file, 0, "\"routes\": '%s' is not "
			    "VALUE:FILE (at most %d, the file a plain name)", t,
			    ROUTES_MAX);
		*colon = '\0';
		c->value[c->n] = t;
		c->file[c->n++] = colon + 1;
	}
	return c->n > 0 ? 0 : evp_error(p->file, 0, "\"routes\" is empty");
}

/* A route a setting names: its index, or -1 after reporting. */
static int
named(const struct routed *c, struct evp_profile *p, const char *setting)
{
	const char *v = evp_profile_str(p, setting);
	int r = route_of(c, v);

	if (r < 0)
		evp_error(p->file, 0, "\"%s\": '%s' is none of the routes",
		    setting, v ? v : "");
	return r;
}

static int
build(struct routed *c, struct evp_run *run, const struct evp_pipeline_opts *o,
    char *const *paths)
{
	struct evp_profile *p = o->profile;
	struct evp_sink *out[ROUTES_MAX];

	c->unique = c->proute = c->pof = c->droute = -1;
	if (parse_routes(c, p, evp_profile_str(p, "routes")) < 0)
		return -1;
	if (evp_profile_str(p, "unique.route") != NULL &&
	    ((c->unique = named(c, p, "unique.route")) < 0 ||
	    evp_names_parse(&c->ukeys, evp_profile_str(p, "unique.keys") ?
	    evp_profile_str(p, "unique.keys") : "") < 0))
		return c->unique < 0 ? -1 : evp_error(p->file, 0,
		    "\"unique\" has no \"keys\"");
	if (evp_profile_str(p, "parent.route") != NULL &&
	    ((c->proute = named(c, p, "parent.route")) < 0 ||
	    (c->pof = named(c, p, "parent.of")) < 0 || c->pof == c->proute ||
	    evp_profile_str(p, "parent.key") == NULL))
		return evp_error(p->file, 0, "\"parent\" needs \"route\", \"of\" "
		    "(two routes) and \"key\"");
	c->has_dash = evp_pipedash_load(&c->dash, p, o->has_from ? &o->from :
	    NULL, o->has_to ? &o->to : NULL);
	if (c->has_dash < 0)
		return -1;
	if (c->has_dash && ((c->droute = named(c, p, "dashboard.of")) < 0 ||
	    (c->dash.childroute != NULL && (route_of(c, c->dash.childroute) < 0 ||
	    route_of(c, c->dash.childroute) != c->proute))))
		return evp_error(p->file, 0, "\"dashboard\": \"of\" names a route, "
		    "\"children\" the parent check's route");
	if (!c->has_dash && (o->has_from || o->has_to))
		return evp_error(p->file, 0, "--from and --to need a "
		    "\"dashboard\"");

	/* From each output back to check. */
	for (size_t i = 0; i < c->n; i++)
		out[i] = evp_run_csv(run, paths[i]);
	if (c->has_dash) {
		evp_pipedash_open(&c->dash, run, paths + c->n + 2);
		evp_tee_init(&c->tee[0], out[c->droute], &c->dash.rows.sink);
		out[c->droute] = &c->tee[0].sink;
		if (c->dash.childroute != NULL) {
			evp_tee_init(&c->tee[1], out[c->proute], &c->dash.child);
			out[c->proute] = &c->tee[1].sink;
		}
	}
	for (size_t i = 0; i < c->n; i++)
		c->in[i] = out[i];
	if (c->proute >= 0) {
		const char *k = evp_profile_str(p, "parent.key");
		const char *ck = evp_profile_str(p, "parent.childkey");
		struct evp_parent_opts po = { k, ck ? ck : k,
		    evp_profile_str(p, "parent.reason") };
		evp_parent_init(&c->parent, &po, &run->rejects, out[c->pof],
		    out[c->proute]);
		c->has_parent = 1;
		c->in[c->pof] = &c->parent.parents;
		c->in[c->proute] = &c->parent.st.sink;
	}
	if (c->unique >= 0) {
		struct evp_dedupe_opts d = { &c->ukeys, EVP_KEEP_FIRST, "", "" };
		evp_dedupe_init(&c->dedupe, &d, &run->rejects, c->in[c->unique]);
		c->has_dedupe = 1;
		if (evp_profile_str(p, "unique.reason") != NULL)
			c->dedupe.reason = evp_profile_str(p, "unique.reason");
		c->in[c->unique] = &c->dedupe.st.sink;
	}
	struct evp_check_opts co = o->check;
	co.route = evp_profile_str(p, "route");
	co.values = c->value;
	co.outs = c->in;
	co.nroutes = c->n;
	co.route_reason = evp_profile_str(p, "route_reason");
	if (co.route == NULL)
		return evp_error(p->file, 0, "\"routes\" needs \"route\"");
	return evp_check_init(&c->check, &co, &run->rejects, NULL);
}

static void
release(struct routed *c)
{
	evp_collect_release(&c->collect);
	evp_check_release(&c->check);
	if (c->has_dedupe)
		evp_dedupe_release(&c->dedupe);
	if (c->has_parent)
		evp_parent_release(&c->parent);
	evp_pipedash_release(&c->dash);
	evp_names_free(&c->ukeys);
	free(c->mem);
}

/* The run's total: records read, rows written, rejects by stage. */
static void
totals(struct evp_run *run, const struct routed *c)
{
	run->has_total = 1;
	evp_count_init(&run->total, "total");
	run->total.in = c->collect.st.count.in;
	for (size_t i = 0; i < c->n; i++)
		run->total.out += (int)i == c->proute ? c->parent.st.count.out :
		    (int)i == c->unique ? c->dedupe.st.count.out :
		    c->check.st.count.outputs[i].n;
	for (size_t i = 0; i < run->ncounts; i++)
		if (run->counts[i]->rejected > 0)
			evp_count_reasons(&run->total, run->counts[i]->stage,
			    run->counts[i]->rejected);
}

/* The files of a routed chain into names (at most 8): their number. */
static size_t
files_of(struct evp_profile *p, const char **names, int *kind, char **mem)
{
	struct routed c;
	size_t n = 0;

	memset(&c, 0, sizeof(c));
	if (parse_routes(&c, p, evp_profile_str(p, "routes")) < 0) {
		free(c.mem);
		*mem = NULL;
		return 0;
	}
	for (size_t i = 0; i < c.n; i++) {
		kind[n] = EVP_RUN_DATA;
		names[n++] = c.file[i];
	}
	kind[n] = EVP_RUN_REJECTS;
	names[n++] = "rejects.csv";
	kind[n] = EVP_RUN_JSON;
	names[n++] = "summary.json";
	if (evp_profile_str(p, "dashboard.json") != NULL) {
		kind[n] = EVP_RUN_JSON;
		names[n++] = evp_profile_str(p, "dashboard.json");
	}
	if (evp_profile_str(p, "dashboard.csv") != NULL) {
		kind[n] = EVP_RUN_DATA;
		names[n++] = evp_profile_str(p, "dashboard.csv");
	}
	*mem = c.mem;
	return n;
}

char *
evp_routed_path(const struct evp_run *run, struct evp_profile *p,
    const char *outdir, int i)
{
	const char *names[8];
	int kind[8];
	char *mem, *path = NULL;
	size_t n = files_of(p, names, kind, &mem);

	if (i >= 0 && (size_t)i < n)
		path = evp_run_file(run, outdir, names[i], kind[i]);
	free(mem);
	return path;
}

void
evp_routed_run(struct evp_run *run, const struct evp_pipeline_opts *o,
    char *const *files, size_t nfiles)
{
	const char *names[8];
	char *paths[8], *mem;
	int kind[8];
	struct routed c;
	size_t n = files_of(o->profile, names, kind, &mem);

	if (n == 0) {
		evp_run_fail(run, EVP_EXIT_USAGE, 1);
		return;
	}
	if (evp_outdir_make(o->outdir) < 0 || evp_outdir_lock(o->outdir) < 0) {
		free(mem);
		evp_run_fail(run, EVP_EXIT_IO, 1);
		return;
	}
	/* The routes' files, rejects.csv, summary.json, the dashboard's. */
	for (size_t i = 0; i < n; i++) {
		paths[i] = evp_run_file(run, o->outdir, names[i], kind[i]);
		evp_run_own(run, paths[i]);
	}
	free(mem);
	size_t nr = n - 2 - (evp_profile_str(o->profile, "dashboard.json") != NULL)
	    - (evp_profile_str(o->profile, "dashboard.csv") != NULL);
	run->rejects_path = paths[nr];
	run->summary_path = paths[nr + 1];
	evp_run_start(run);

	memset(&c, 0, sizeof(c));
	evp_collect_init(&c.collect, o->collect, &run->rejects, NULL);
	if (build(&c, run, o, paths) < 0) {
		evp_run_fail(run, EVP_EXIT_USAGE, 1);
		release(&c);
		return;
	}
	c.collect.st.out = &c.check.st.sink;
	evp_run_count(run, &c.collect.st.count);
	evp_run_count(run, &c.check.st.count);
	if (c.unique >= 0)
		evp_run_count(run, &c.dedupe.st.count);
	if (c.proute >= 0)
		evp_run_count(run, &c.parent.st.count);

	evp_collect_run(&c.collect, run, files, nfiles);
	if (c.has_dash && !run->broken && evp_pipedash_finish(&c.dash) < 0)
		evp_run_fail(run, EVP_EXIT_IO, 1);
	totals(run, &c);
	evp_run_keep_counts(run);
	release(&c);
}
