#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "prog/checkopt.h"

static const struct evp_opt check_opts[] = {
	EVP_CHECK_OPTIONS,
	{ NULL, 0, NULL, NULL, 0 }
};

static int
taken(const struct evp_opt *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return 1;
	return 0;
}

const struct evp_opt *
evp_check_cli_init(struct evp_check_cli *cli, struct evp_run *run,
    const struct evp_opt *own)
{
	const struct evp_profile *p = run->profile;
	size_t n = 0, k = 0;

	memset(cli, 0, sizeof(*cli));
	for (const struct evp_opt *o = own; o && o->name; o++)
		n++;
	cli->table = xcalloc(n + sizeof(check_opts) / sizeof(check_opts[0]) +
	    p->nchecks, sizeof(*cli->table));
	cli->files = xcalloc(p->nchecks + 1, sizeof(*cli->files));
	for (const struct evp_opt *o = own; o && o->name; o++)
		cli->table[k++] = *o;
	for (const struct evp_opt *o = check_opts; o->name; o++)
		cli->table[k++] = *o;
	for (size_t i = 0; i < p->nchecks; i++) {
		const struct evp_check_spec *s = &p->checks[i];
		if (s->option == NULL || strcmp(s->option, "schema") == 0)
			continue;
		if (taken(cli->table, k, s->option) ||
		    evp_opt_is_shared(s->option))
			evp_usage_error(run, "profile %s: check %zu's option --%s is "
			    "an option of %s already", p->name, i + 1, s->option,
			    run->prog);
		cli->table[k++] = (struct evp_opt){ s->option,
		    EVP_OPT_CHECK + (int)i, "FILE", s->help ? s->help :
		    "a list for one of the profile's checks", 0 };
	}
	return cli->table;
}

static void
bound(struct evp_run *run, const char *opt, const char *arg,
    struct evp_tstamp *t, int *has)
{
	if (evp_time_bound(t, arg) < 0)
		evp_usage_error(run, "--%s: not an instant or a date: '%s'", opt,
		    arg);
	*has = 1;
}

static void
profile_bound(struct evp_run *run, const char *which, const char *arg,
    struct evp_tstamp *t, int *has)
{
	if (evp_time_bound(t, arg) < 0)
		evp_usage_error(run, "profile %s: the window's \"%s\" is not an "
		    "instant or a date: '%s'", run->profile->name, which, arg);
	*has = 1;
}

int
evp_check_cli_option(struct evp_check_cli *cli, struct evp_run *run, int c,
    const char *arg)
{
	switch (c) {
	case EVP_OPT_NOW:
		bound(run, "now", arg, &cli->now, &cli->has_now);
		return 1;
	case EVP_OPT_SINCE:
		bound(run, "since", arg, &cli->since, &cli->has_since);
		return 1;
	case EVP_OPT_UNTIL:
		bound(run, "until", arg, &cli->until, &cli->has_until);
		return 1;
	case EVP_OPT_TIME:
		cli->time = arg;
		return 1;
	case EVP_OPT_SCHEMA:
		cli->schemas = xrealloc(cli->schemas, (cli->nschemas + 1) *
		    sizeof(*cli->schemas));
		cli->schemas[cli->nschemas++] = arg;
		return 1;
	}
	if (c >= EVP_OPT_CHECK && (size_t)(c - EVP_OPT_CHECK) <
	    run->profile->nchecks) {
		cli->files[c - EVP_OPT_CHECK] = arg;
		return 1;
	}
	return 0;
}

int
evp_check_cli_given(const struct evp_check_cli *cli)
{
	return cli->has_now || cli->has_since || cli->has_until ||
	    cli->time != NULL || cli->nschemas > 0;
}

static struct evp_check_spec *
add(struct evp_check_cli *cli, const char *kind)
{
	struct evp_check_spec *s = &cli->specs[cli->nspecs++];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

void
evp_check_cli_opts(struct evp_check_cli *cli, struct evp_run *run,
    struct evp_check_opts *o)
{
	const struct evp_profile *p = run->profile;
	size_t schema = 0;
	int window = 0;

	free(cli->specs);
	cli->nspecs = 0;
	cli->specs = xcalloc(p->nchecks + cli->nschemas + 2,
	    sizeof(*cli->specs));
	for (size_t i = 0; i < p->nchecks; i++) {
		struct evp_check_spec *s = add(cli, p->checks[i].kind);
		*s = p->checks[i];
		if (s->option != NULL && strcmp(s->option, "schema") == 0) {
			if (schema < cli->nschemas)
				s->file = cli->schemas[schema++];
		} else if (s->option != NULL)
			s->file = cli->files[i];
		if (strcmp(s->kind, "window") == 0 && !window) {
			/* The profile's window, unless the options give it. */
			window = 1;
			if (s->since != NULL && !cli->has_since)
				profile_bound(run, "since", s->since, &cli->since,
				    &cli->has_since);
			if (s->until != NULL && !cli->has_until)
				profile_bound(run, "until", s->until, &cli->until,
				    &cli->has_until);
		}
	}
	while (schema < cli->nschemas)
		add(cli, "schema")->file = cli->schemas[schema++];
	if (cli->time != NULL) {
		add(cli, "future")->column = cli->time;
		if (cli->has_since || cli->has_until) {
			add(cli, "window")->column = cli->time;
			window = 1;
		}
	}
	if ((cli->has_since || cli->has_until) && !window)
		evp_usage_error(run, "--since and --until need a time column "
		    "(--time) or a profile with a window check");
	if (cli->has_since && cli->has_until &&
	    evp_tstamp_cmp(&cli->since, &cli->until) >= 0)
		evp_usage_error(run, "--since must come before --until");
	if (!cli->has_now) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		cli->now = (struct evp_tstamp){ EVP_TS_INSTANT, ts.tv_sec,
		    (int32_t)ts.tv_nsec };
	}
	memset(o, 0, sizeof(*o));
	o->specs = cli->specs;
	o->n = cli->nspecs;
	o->now = cli->now;
	o->since = cli->since;
	o->until = cli->until;
	o->has_since = cli->has_since;
	o->has_until = cli->has_until;
}

void
evp_check_cli_release(struct evp_check_cli *cli)
{
	free(cli->table);
	free(cli->files);
	free(cli->schemas);
	free(cli->specs);
	memset(cli, 0, sizeof(*cli));
}
