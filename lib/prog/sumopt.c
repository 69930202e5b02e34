#include <string.h>

#include "core/xalloc.h"
#include "prog/sumopt.h"

/* The long names of EVP_OPT_DAY and the keys after it, in order. */
static const char *const names[] = {
	"day", "count", "distinct", "min", "max", "sum", "mean", "children",
	"from", "to", "groups"
};

static const char *
name_of(int c)
{
	if (c == EVP_OPT_GROUP)
		return "group";
	if (c == EVP_OPT_TIME)
		return "time";
	if (c == EVP_OPT_SUMFORMAT)
		return "format";
	return names[c - EVP_OPT_DAY];
}

int
evp_sumopt_option(struct evp_sumspec *sp, struct evp_run *run, int c,
    const char *arg)
{
	static const enum evp_aggkind kinds[] = {
		EVP_AGG_COUNT, EVP_AGG_DISTINCT, EVP_AGG_MIN, EVP_AGG_MAX,
		EVP_AGG_SUM, EVP_AGG_MEAN
	};
	const char *why = NULL;

	if (c == EVP_OPT_GROUP)
		why = evp_sumspec_groups(sp, arg);
	else if (c == EVP_OPT_DAY)
		why = evp_sumspec_day(sp, arg);
	else if (c >= EVP_OPT_COUNT && c <= EVP_OPT_MEAN)
		why = evp_sumspec_agg(sp, kinds[c - EVP_OPT_COUNT], arg);
	else if (c == EVP_OPT_CHILDREN)
		why = evp_sumspec_children(sp, arg);
	else if (c == EVP_OPT_GROUPS)
		why = evp_sumspec_list(sp, arg);
	else if (c == EVP_OPT_TIME) {
		if (sp->time != NULL)
			why = "given twice";
		else
			sp->time = xstrdup(arg);
	} else if (c == EVP_OPT_FROM || c == EVP_OPT_TO) {
		if (evp_time_bound(c == EVP_OPT_FROM ? &sp->from : &sp->to,
		    arg) < 0)
			why = "not an instant nor a date";
		*(c == EVP_OPT_FROM ? &sp->has_from : &sp->has_to) = 1;
	} else if (c == EVP_OPT_SUMFORMAT) {
		if (strcmp(arg, "json") == 0 || strcmp(arg, "csv") == 0)
			sp->json = arg[0] == 'j';
		else
			why = "not csv nor json";
	} else
		return 0;
	if (why != NULL)
		evp_usage_error(run, "--%s: %s: '%s'", name_of(c), why, arg);
	return 1;
}

void
evp_sumopt_check(struct evp_sumspec *sp, struct evp_run *run,
    char *const *files, size_t n)
{
	struct evp_buf err = EVP_BUF_INIT;
	struct evp_path extra[16];
	size_t ne = 0, stdins = n == 0;

	if (evp_sumspec_check(sp, &err) < 0) {
		evp_run_own(run, err.p);	/* freed even on the way out */
		evp_usage_error(run, "%s", err.p);
	}
	evp_buf_release(&err);
	for (size_t i = 0; i < n; i++)
		stdins += strcmp(files[i], "-") == 0;
	for (size_t i = 0; i < sp->nagg; i++) {
		if (sp->agg[i].kind != EVP_AGG_CHILDREN)
			continue;
		if (ne == sizeof(extra) / sizeof(extra[0]))
			evp_usage_error(run, "--children: more than %zu files",
			    ne);
		extra[ne++] = (struct evp_path){ "--children", sp->agg[i].file,
		    0 };
		stdins += strcmp(sp->agg[i].file, "-") == 0;
	}
	if (stdins > 1)
		evp_usage_error(run, "standard input can be read only once: "
		    "name the records or the --children files");
	evp_opt_files(run, extra, ne, files, n);
}
