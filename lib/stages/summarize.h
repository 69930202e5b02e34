#ifndef EVP_SUMMARIZE_H
#define EVP_SUMMARIZE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/map.h"
#include "stages/run.h"
#include "stages/sortkey.h"
#include "stages/stage.h"
#include "types/decimal.h"
#include "types/tstamp.h"

/*
 * summarize: records grouped by zero or more columns (and the UTC day of
 * a time column), and per group the aggregates asked for, in their order:
 * the count of records, the count of distinct values of a column, the
 * least and greatest value of a column (as text, number or time, written
 * as the text it was read from, the first in input order on a tie), the
 * exact decimal sum and mean of a column, and the count of rows of
 * another file whose key matches the group's records (children).
 * Options restrict the records to a window [from, to) of a time column
 * and the groups to fixed lists of values, emitted even when empty;
 * records left out are counted as filtered.  A record whose values
 * cannot be read is refused.  Nothing is written until the end of the
 * input: then one row per group, as CSV or JSON, to the next sink.
 *
 * Memory holds one state per group (the texts of its least and greatest
 * values among it), the children's keys with their counts, and the
 * distinct (group, value) pairs of distinct counts: never the records.
 *
 * The spec owns everything it parsed; the stage borrows the spec and owns
 * its tables.
 */

enum evp_aggkind {
	EVP_AGG_COUNT, EVP_AGG_DISTINCT, EVP_AGG_MIN, EVP_AGG_MAX, EVP_AGG_SUM,
	EVP_AGG_MEAN, EVP_AGG_CHILDREN
};

#define EVP_SUM_EXACT		-1	/* a sum written exactly */
#define EVP_MEAN_PLACES		2	/* a mean's fraction digits by default */
#define EVP_PLACES_MAX		18

struct evp_agg {
	enum evp_aggkind kind;
	char		*col;		/* the column read; NULL for count */
	char		*name;		/* the output column */
	enum evp_keytype type;		/* min and max: text, number or time */
	int		 places;	/* sum (or EVP_SUM_EXACT) and mean */
	char		*file;		/* children: the file read */
	char		*childkey;	/* children: its key column */
};

/* The values of one group column listed with --groups, in their order. */
struct evp_grouplist {
	char		*col;
	size_t		 n;
	struct evp_str	*v;		/* point into mem */
	char		*mem;
};

struct evp_sumspec {
	char		**gcol;		/* group columns, in order */
	size_t		 ngcol;
	char		*day;		/* the column whose UTC day groups; NULL */
	char		*dayname;	/* its output column */
	struct evp_agg	*agg;
	size_t		 nagg;
	struct evp_grouplist *list;
	size_t		 nlist;
	char		*time;		/* the window's column; NULL: none */
	int		 has_from, has_to;
	struct evp_tstamp from, to;
	int		 json;

	/* made by evp_sumspec_check */
	int		*listof;	/* per group column: its list, or -1 */
	size_t		 ncols;		/* output columns */
	struct evp_str	*colname;
	unsigned char	*numeric;	/* per output column, for JSON */
};

void	evp_sumspec_init(struct evp_sumspec *sp);
void	evp_sumspec_release(struct evp_sumspec *sp);

/*
 * Each parser reads one option value into sp and returns NULL, or what
 * is wrong with the value (a static text for a usage error).  Names are
 * split from the right, so that a column name may hold a colon where
 * what follows it cannot.
 *
 *	evp_sumspec_groups	"COL,COL..."		(-g; more append)
 *	evp_sumspec_day		"COL[:NAME]"		(NAME: COL)
 *	evp_sumspec_agg		count: "NAME"; distinct: "COL:NAME";
 *				min, max: "COL:TYPE:NAME";
 *				sum, mean: "COL:NAME[:PLACES]"
 *	evp_sumspec_list	"COL=V,V..." where an item "x-y" of two
 *				letters of one case or two digits is the
 *				range from x to y
 *	evp_sumspec_children	"FILE:KEY=CHILDKEY:NAME" or
 *				"FILE:KEY:NAME" (the same key column)
 */
const char *evp_sumspec_groups(struct evp_sumspec *sp, const char *s);
const char *evp_sumspec_day(struct evp_sumspec *sp, const char *s);
const char *evp_sumspec_agg(struct evp_sumspec *sp, enum evp_aggkind kind,
	    const char *s);
const char *evp_sumspec_list(struct evp_sumspec *sp, const char *s);
const char *evp_sumspec_children(struct evp_sumspec *sp, const char *s);

/*
 * After every option: check that the spec makes sense as a whole (lists
 * name group columns, output names are distinct, there is something to
 * write) and make the output columns.  Return 0, or -1 with the message
 * in err.
 */
int	evp_sumspec_check(struct evp_sumspec *sp, struct evp_buf *err);

/* A value read from a record for an aggregate. */
struct evp_sumval {
	int			 has;	/* the field is not empty */
	struct evp_str		 f;
	struct evp_tstamp	 t;
	struct evp_decimal	 d;
};

/* The state in a group of a least or greatest value, and of a sum. */
struct evp_summm {
	char			*text;	/* the value as read, malloc'd */
	uint32_t		 len, cap;
	int			 has;
	struct evp_tstamp	 t;
	struct evp_decimal	 d;
};

struct evp_sumacc {
	struct evp_decimal	 sum;
	uint64_t		 n;	/* values summed */
};

/*
 * A children lookup waiting for its slot to come from memory: records
 * are many and the children's keys spread over a large table, so each
 * lookup is asked for ahead (evp_map_prefetch) and done a few records
 * later.
 */
#define EVP_SUM_AHEAD	8
#define EVP_SUM_KEYMAX	64	/* a longer key is looked up at once */

struct evp_sumpend {
	uint64_t	 h;
	uint32_t	 ref;		/* the group's state (evp_map_ref) */
	uint32_t	 agg;
	size_t		 len;
	char		 key[EVP_SUM_KEYMAX];
};

struct evp_summarize {
	struct evp_stage	 st;
	const struct evp_sumspec *sp;
	int			 ready;		/* started, the columns found */

	/* the columns, found in the header */
	int			*gidx, *aidx;
	int			 didx, tidx;
	int			*share;		/* an earlier aggregate's value */
	enum evp_tkind		*kind;		/* of time min and max, once set */

	/* a group's state: its count, then each aggregate's at off[i] */
	size_t			*off;
	size_t			 vsize;
	struct evp_map		 groups;	/* group key -> state */
	struct evp_map		 distinct;	/* (group, aggregate, value) */
	struct evp_map		*lists;		/* per list: value -> index */
	struct evp_map		*child;		/* per aggregate: key -> rows */
	struct evp_count	*ccount;	/* per aggregate: the child file's */
	struct evp_sumpend	 pend[EVP_SUM_AHEAD];
	size_t			 npend, pendat;	/* waiting, the oldest */

	/* scratch */
	struct evp_sumval	*val;
	struct evp_decimal	*sum;		/* each sum with the record's value */
	struct evp_buf		 key, dkey, text;
	void			*zero;		/* the state of an empty group */
};

void	evp_summarize_init(struct evp_summarize *s,
	    const struct evp_sumspec *sp, struct evp_rejects *rj,
	    struct evp_sink *out);

/*
 * Read the files of the children aggregates, each counted as a stage of
 * run ("children"), before the records are fed.  Return 0, or -1 if
 * output failed.  A file that cannot be read is recorded in the run as
 * an input failure.
 */
int	evp_summarize_children(struct evp_summarize *s, struct evp_run *run);

/*
 * Count one child row of the children aggregate i whose key is key[0..len)
 * (an empty key matches nothing), for a chain that has the children in
 * hand instead of in a file: before any record is fed.
 */
void	evp_summarize_child(struct evp_summarize *s, size_t i, const char *key,
	    size_t len);

/*
 * Unless quiet, a line on standard error for each children file read:
 * "children FILE: N in, N out, ..." (rows with an empty key: filtered).
 */
void	evp_summarize_report(const struct evp_summarize *s, int quiet);

void	evp_summarize_release(struct evp_summarize *s);

/* The header to feed when no input has one. */
extern const struct evp_header evp_summarize_noheader;

/*
 * Internal to the stage's files.  Does an aggregate read its column as a
 * decimal, or as a timestamp?
 */
static inline int
evp_agg_reads_decimal(const struct evp_agg *a)
{
	return a->kind == EVP_AGG_SUM || a->kind == EVP_AGG_MEAN ||
	    ((a->kind == EVP_AGG_MIN || a->kind == EVP_AGG_MAX) &&
	    a->type == EVP_KEY_NUMBER);
}

static inline int
evp_agg_reads_time(const struct evp_agg *a)
{
	return (a->kind == EVP_AGG_MIN || a->kind == EVP_AGG_MAX) &&
	    a->type == EVP_KEY_TIME;
}

/*
 * sumagg.c: read each aggregate's value of r into s->val, or set *v and
 * return -1 (bad_number, bad_timestamp, incomparable_timestamps); with
 * JSON output, check that the texts that will be written are UTF-8
 * (invalid_utf8); the new sums of the group g into s->sum, or -1 with
 * *v (sum_overflow); and add the values to g.
 */
int	evp_sumagg_read(struct evp_summarize *s, const struct evp_rec *r,
	    struct evp_verdict *v);
int	evp_sumagg_utf8(struct evp_summarize *s, const struct evp_rec *r,
	    struct evp_verdict *v);
int	evp_sumagg_sums(struct evp_summarize *s, const unsigned char *g,
	    struct evp_verdict *v);
void	evp_sumagg_add(struct evp_summarize *s, unsigned char *g);

/* Do the children lookups still waiting (before the groups are read). */
void	evp_sumagg_flush(struct evp_summarize *s);

/* sumemit.c: write the groups at the end. */
int	evp_summarize_emit(struct evp_summarize *s);

/*
 * Split a group key into its columns' values and its day (sumemit.c).  A
 * key is the value itself for one column without a day; else each
 * value's length (8 bytes) and bytes, then the day (8 bytes).
 */
void	evp_sumkey_split(const struct evp_summarize *s, const char *k,
	    size_t len, struct evp_str *v, int64_t *day);

#endif
