#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "core/outdir.h"
#include "nordeus/daily.h"

static const char *
str(struct evp_profile *p, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "daily.%s", name);
	return evp_profile_str(p, path);
}

size_t
evp_ls_daily_outputs(struct evp_profile *p, const char **names)
{
	size_t n = 0;

	if ((names[n] = str(p, "key_output")) != NULL)
		n++;
	if ((names[n] = str(p, "group_output")) != NULL)
		n++;
	return n;
}

/* Parse the list setting name into l: -1 when missing or empty. */
static int
list(struct evp_profile *p, const char *name, struct evp_names *l)
{
	const char *s = str(p, name);

	if (s == NULL || evp_names_parse(l, s) < 0)
		return evp_error(p->file, 0, "daily.%s: a list of names is "
		    "needed", name);
	return 0;
}

static struct evp_sink *
csv(struct evp_run *run, const char *outdir, const char *name)
{
	char *path = evp_run_file(run, outdir, name, EVP_RUN_DATA);

	evp_run_own(run, path);
	return evp_run_csv(run, path);
}

int
evp_ls_daily_init(struct evp_ls_daily *x, struct evp_run *run,
    struct evp_profile *p, const char *outdir)
{
	const char *ko = str(p, "key_output"), *go = str(p, "group_output");
	struct evp_project_opts po = { NULL, str(p, "columns") };

	memset(x, 0, sizeof(*x));
	if (evp_profile_str(p, "daily.key") == NULL)
		return 0;
	if (ko == NULL || go == NULL || po.columns == NULL ||
	    list(p, "first", &x->first) < 0 || list(p, "count", &x->count) < 0 ||
	    list(p, "attrs", &x->attrs) < 0 ||
	    list(p, "key_names", &x->knames) < 0 ||
	    list(p, "group_names", &x->gnames) < 0)
		return evp_error(p->file, 0, "daily: key_output, group_output, "
		    "columns, first, count, attrs, key_names and group_names "
		    "are needed");
	struct evp_daily_opts o = { str(p, "key"), str(p, "time"),
	    str(p, "type"), str(p, "group"), str(p, "flag"), str(p, "sum"),
	    &x->first, &x->count, &x->attrs, &x->knames, &x->gnames };
	x->on = 1;
	if (evp_daily_init(&x->daily, &o, &run->rejects, csv(run, outdir, ko),
	    csv(run, outdir, go)) < 0)
		return -1;
	return evp_project_init(&x->project, &po, &run->rejects,
	    &x->daily.st.sink);
}

void
evp_ls_daily_release(struct evp_ls_daily *x)
{
	if (x->on) {
		evp_project_release(&x->project);
		evp_daily_release(&x->daily);
	}
	evp_names_free(&x->first);
	evp_names_free(&x->count);
	evp_names_free(&x->attrs);
	evp_names_free(&x->knames);
	evp_names_free(&x->gnames);
}
