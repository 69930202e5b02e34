#ifndef EVP_SUMOPT_H
#define EVP_SUMOPT_H

#include "prog/opt.h"
#include "stages/summarize.h"

/*
 * summarize's options: their table entries and their handler, which
 * reads each value into a spec (stages/summarize.h) the caller owns, so
 * that a chain that ends in a summary can take the same options.
 */
enum {
	EVP_OPT_GROUP = 'g', EVP_OPT_TIME = 'T', EVP_OPT_SUMFORMAT = 'f',
	EVP_OPT_DAY = 0x280, EVP_OPT_COUNT, EVP_OPT_DISTINCT, EVP_OPT_MIN,
	EVP_OPT_MAX, EVP_OPT_SUM, EVP_OPT_MEAN, EVP_OPT_CHILDREN, EVP_OPT_FROM,
	EVP_OPT_TO, EVP_OPT_GROUPS
};

#define EVP_SUMMARIZE_OPTIONS \
	{ "group", EVP_OPT_GROUP, "COLS", \
	    "group by these columns (comma-separated)", 0 }, \
	{ "day", EVP_OPT_DAY, "COL[:NAME]", "group by the UTC day of COL's " \
	    "instants,\nwritten YYYY-MM-DD as column NAME (default COL)", 0 }, \
	{ "count", EVP_OPT_COUNT, "NAME", "the records of the group", 0 }, \
	{ "distinct", EVP_OPT_DISTINCT, "COL:NAME", \
	    "how many different values COL takes", 0 }, \
	{ "min", EVP_OPT_MIN, "COL:TYPE:NAME", "the least value of COL " \
	    "compared as TYPE:\ntext, number or time; written as read", 0 }, \
	{ "max", EVP_OPT_MAX, "COL:TYPE:NAME", "the greatest value of COL", 0 }, \
	{ "sum", EVP_OPT_SUM, "COL:NAME[:PLACES]", "the exact sum of COL, " \
	    "rounded half to even\nto PLACES if given", 0 }, \
	{ "mean", EVP_OPT_MEAN, "COL:NAME[:PLACES]", "the mean of COL's " \
	    "values, rounded half to\neven to PLACES (default 2)", 0 }, \
	{ "children", EVP_OPT_CHILDREN, "FILE:KEY=CHILDKEY:NAME", "per group, " \
	    "the rows of FILE whose CHILDKEY\nis a record's KEY (KEY alone: " \
	    "one name for both)", 0 }, \
	{ "time", EVP_OPT_TIME, "COLUMN", "the time column of --from and " \
	    "--to; its\nvalues must be instants", 0 }, \
	{ "from", EVP_OPT_FROM, "TIME", "only the records at TIME or later: " \
	    "an\ninstant, or a date alone (its midnight UTC)", 0 }, \
	{ "to", EVP_OPT_TO, "TIME", "only the records before TIME", 0 }, \
	{ "groups", EVP_OPT_GROUPS, "COL=VALUES", "write these groups of COL " \
	    "in this order, even\nempty; leave out other values; a-z is a " \
	    "range", 0 }, \
	{ "format", EVP_OPT_SUMFORMAT, "FORMAT", "csv (the default) or json", 0 }

/*
 * Take option c into sp if it is one of summarize's: 1 if it was.  A
 * value not of its form is a usage error naming the option (exits).
 */
int	evp_sumopt_option(struct evp_sumspec *sp, struct evp_run *run, int c,
	    const char *arg);

/*
 * Once every option is read: check the spec as a whole, then the files
 * (the records' files[0..n) and the children's): standard input named
 * once at most, no output among them.  A usage error exits.
 */
void	evp_sumopt_check(struct evp_sumspec *sp, struct evp_run *run,
	    char *const *files, size_t n);

#endif
