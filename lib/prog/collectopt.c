#include <string.h>

#include "formats/query.h"
#include "prog/collectopt.h"

static void
log_time(struct evp_collect_cli *cli, struct evp_run *run, const char *arg)
{
	if (strcmp(arg, "iso") != 0 && strcmp(arg, "utc") != 0)
		evp_usage_error(run, "--log-time: not iso nor utc: '%s'", arg);
	cli->o.utc = arg[0] == 'u';
}

void
evp_collect_cli_init(struct evp_collect_cli *cli, struct evp_run *run)
{
	memset(cli, 0, sizeof(*cli));
	cli->o.format = EVP_FMT_AUTO;
	cli->o.maxdepth = 32;
	cli->o.no_fields = run->profile->no_fields;
	if (run->profile->formats != NULL &&
	    evp_formats_parse(run->profile->formats, &cli->o.formats) < 0)
		evp_usage_error(run, "profile %s: \"formats\": an unknown format "
		    "in '%s'", run->profile->name, run->profile->formats);
	if (run->profile->paths != NULL)
		evp_opt_names(run, "paths", run->profile->paths, &cli->paths);
	if (run->profile->methods != NULL)
		evp_opt_names(run, "methods", run->profile->methods,
		    &cli->methods);
	if (run->profile->log_time != NULL)
		log_time(cli, run, run->profile->log_time);
}

int
evp_collect_cli_option(struct evp_collect_cli *cli, struct evp_run *run,
    int c, const char *arg)
{
	switch (c) {
	case EVP_OPT_FORMAT:
		if (evp_format_parse(arg, &cli->o.format) < 0)
			evp_usage_error(run, "unknown format '%s'", arg);
		return 1;
	case EVP_OPT_PATHS:
		evp_opt_names(run, "paths", arg, &cli->paths);
		return 1;
	case EVP_OPT_METHODS:
		evp_opt_names(run, "methods", arg, &cli->methods);
		return 1;
	case EVP_OPT_LOG_TIME:
		log_time(cli, run, arg);
		return 1;
	case EVP_OPT_MAX_DEPTH:
		cli->o.maxdepth = evp_opt_count(run, "max-depth", arg, 1, 10000);
		return 1;
	}
	return 0;
}

const struct evp_collect_opts *
evp_collect_cli_opts(struct evp_collect_cli *cli, struct evp_run *run)
{
	for (size_t i = 0; run->from != NULL && i < run->columns.n; i++)
		if (evp_src_parse(run->from[i].p, run->from[i].len) < 0)
			evp_usage_error(run, "column %s: '%.*s' is no log field "
			    "(@time, @path, @endpoint, @method, @client, "
			    "@status, @none)", run->columns.name[i].p,
			    (int)run->from[i].len, run->from[i].p);
	cli->o.cols = &run->colhdr;
	cli->o.from = run->from;
	/* Columns given their sources are not the flat events'. */
	cli->o.flat = run->from == NULL && run->profile->flat;
	cli->o.paths = &cli->paths;
	cli->o.methods = cli->methods.n > 0 ? &cli->methods : NULL;
	cli->o.maxline = run->maxline;
	cli->o.maxrowlines = run->maxrowlines;
	cli->o.delim = run->delim;
	return &cli->o;
}

void
evp_collect_cli_release(struct evp_collect_cli *cli)
{
	evp_names_free(&cli->paths);
	evp_names_free(&cli->methods);
}
