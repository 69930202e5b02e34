#ifndef EVP_COLLECTOPT_H
#define EVP_COLLECTOPT_H

#include "prog/opt.h"
#include "stages/collect.h"

/*
 * collect's options, shared by evp-collect and evp run: their table
 * entries, and their values with the profile's defaults.  The cli owns
 * its path list.
 */
enum {
	EVP_OPT_FORMAT = 'f', EVP_OPT_PATHS = 'p', EVP_OPT_MAX_DEPTH = 0x2f0,
	EVP_OPT_METHODS, EVP_OPT_LOG_TIME
};

#define EVP_COLLECT_OPTIONS \
	{ "format", EVP_OPT_FORMAT, "auto|access|query|jsonl|json|csv", \
	    "the input format (default auto: decided per file\n" \
	    "from its first lines)", 0 }, \
	{ "paths", EVP_OPT_PATHS, "LIST", "request paths that carry records", \
	    EVP_DEF(paths) }, \
	{ "methods", EVP_OPT_METHODS, "LIST", "request methods accepted on " \
	    "those paths", EVP_DEF(methods) }, \
	{ "log-time", EVP_OPT_LOG_TIME, "FORM", "an access log's @time column " \
	    "as iso (ISO 8601\nwith the line's zone) or utc (YYYY-MM-DD " \
	    "HH:MM:SS)", EVP_DEF(log_time) }, \
	{ "max-depth", EVP_OPT_MAX_DEPTH, "N", \
	    "deepest JSON nesting accepted (default 32)", 0 }

struct evp_collect_cli {
	struct evp_collect_opts	 o;
	struct evp_names	 paths, methods;
};

void	evp_collect_cli_init(struct evp_collect_cli *cli, struct evp_run *run);

/* Take option c if it is one of collect's: 1 if it was. */
int	evp_collect_cli_option(struct evp_collect_cli *cli, struct evp_run *run,
	    int c, const char *arg);

/*
 * The options, once every option is parsed: columns and limits from run.
 * A column source that names no log field ("@tme") is a usage error.
 */
const struct evp_collect_opts *evp_collect_cli_opts(struct evp_collect_cli *cli,
	    struct evp_run *run);

void	evp_collect_cli_release(struct evp_collect_cli *cli);

#endif
