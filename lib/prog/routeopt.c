#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "prog/routeopt.h"

void
evp_routes_add(struct evp_run *run, struct evp_routes *rt, char *arg)
{
	char *eq = strrchr(arg, '=');

	if (eq == NULL || eq[1] == '\0')
		evp_usage_error(run, "--to: not VALUES=FILE: '%s'", arg);
	*eq = '\0';
	for (size_t i = 0; i < rt->n; i++)
		if (strcmp(rt->values[i], arg) == 0)
			evp_usage_error(run, "--to: '%s' is routed twice", arg);
	rt->values = xrealloc(rt->values, (rt->n + 1) * sizeof(*rt->values));
	rt->files = xrealloc(rt->files, (rt->n + 1) * sizeof(*rt->files));
	rt->paths = xrealloc(rt->paths, (rt->n + 1) * sizeof(*rt->paths));
	rt->values[rt->n] = arg;
	rt->files[rt->n] = eq + 1;
	rt->paths[rt->n] = (struct evp_path){ "--to", eq + 1, 1 };
	rt->n++;
}

void
evp_routes_check(struct evp_run *run, const struct evp_routes *rt)
{
	size_t dashes = 0, ncols = 0;

	if (rt->cols != NULL && rt->n == 0)
		evp_usage_error(run, "--route needs one --to or more");
	if (rt->cols == NULL && rt->n > 0)
		evp_usage_error(run, "--to needs --route");
	if (rt->cols == NULL)
		return;
	if (run->output != NULL)
		evp_usage_error(run, "-o is not used with --route: each --to "
		    "names its file");
	struct evp_names nl = { 0, NULL, NULL };
	evp_opt_names(run, "route", rt->cols, &nl);
	ncols = nl.n;
	evp_names_free(&nl);
	for (size_t i = 0; i < rt->n; i++) {
		size_t nv = 1;
		for (const char *p = rt->values[i]; *p; p++)
			nv += *p == ',';
		if (nv != ncols)
			evp_usage_error(run, "--to %s: %zu values for the %zu "
			    "columns of --route %s", rt->values[i], nv, ncols,
			    rt->cols);
		dashes += strcmp(rt->files[i], "-") == 0;
	}
	if (dashes > 1)
		evp_usage_error(run, "only one --to can be '-'");
}

struct evp_sink **
evp_routes_open(struct evp_run *run, const struct evp_routes *rt)
{
	struct evp_sink **outs = xcalloc(rt->n + 1, sizeof(*outs));

	for (size_t i = 0; i < rt->n; i++)
		outs[i] = evp_run_csv(run, rt->files[i]);
	return outs;
}

void
evp_routes_release(struct evp_routes *rt)
{
	free(rt->values);
	free(rt->files);
	free(rt->paths);
	memset(rt, 0, sizeof(*rt));
}
