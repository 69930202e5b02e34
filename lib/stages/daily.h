#ifndef EVP_DAILY_H
#define EVP_DAILY_H

#include <stdint.h>

#include "core/arena.h"
#include "core/map.h"
#include "stages/stage.h"

/*
 * daily: per key and UTC day activity, every day filled, and its sums
 * per day and group.  Two inputs: the accepted events (st.sink, any
 * order) and their sessions (sessions, as evp-sessionize writes them:
 * KEY,start,end,seconds,counted).  A key's days start at its first
 * event of a `first` type, which gives its attributes (the `attrs`
 * columns, the `group` column, and a flag: the `flag` column not empty);
 * events of keys without one are left aside.  Per key and day: events
 * of a `count` type (a count), whole days since the last such event on
 * or before it, counted sessions started that day, and the seconds of
 * counted sessions inside it (cut at midnight); the `sum` column (an
 * exact decimal, empty skipped) is summed per day and group.
 *
 * At the end (both inputs ended) two tables:
 *   key table: KEY, date, ATTRS..., count, since, sessions, seconds;
 *     per key (in the order their first events came) a row per day from
 *     its first day to the last day of the data (the day of the latest
 *     event), then its all-days row (date empty; since: to the last day);
 *   group table: date, GROUP, active (keys with a counted event), count,
 *     sum (rounded half to even to cents), flagged (keys flagged whose
 *     first day it is; all days: flagged), sessions per key with one or
 *     more, seconds per key with one second or more (both rounded half to
 *     even to two places, empty when no key qualifies); a row per day of
 *     the data (then the all-days rows), per day first all groups (GROUP
 *     empty) then each group, ascending by bytes.
 * Column names are the options'.  Memory holds per key its attributes
 * and its active days, per day and group a sum: nothing per event.
 */
struct evp_daily_opts {
	const char		*key, *time, *type, *group, *flag, *sum;
	const struct evp_names	*first, *count, *attrs;
	const struct evp_names	*knames;	/* count, since, sessions, seconds */
	const struct evp_names	*gnames;	/* active, count, sum, flagged,
						 * avg sessions, avg seconds */
};

struct evp_daily_key;

struct evp_daily {
	struct evp_stage	 st;
	struct evp_sink		 sessions;
	struct evp_sink		*gout;
	struct evp_daily_opts	 o;
	int			 kidx, tidx, yidx, gidx, fidx, sidx, *aidx;
	int			 sk, ss, se, sc;	/* the sessions' columns */
	struct evp_map		 keys;		/* key -> its number + 1 */
	struct evp_daily_key	*k;
	size_t			 nk, capk;
	struct evp_map		 groups;	/* group -> its number (1 up) */
	uint32_t		 ngroups;
	struct evp_map		 sums;		/* day and group -> decimal */
	struct evp_arena	 mem;
	int64_t			 lo, hi;	/* the data's days */
	int			 any, ended;
};

/* Return 0, or -1 after reporting options that do not fit. */
int	evp_daily_init(struct evp_daily *d, const struct evp_daily_opts *o,
	    struct evp_rejects *rj, struct evp_sink *kout, struct evp_sink *gout);
void	evp_daily_release(struct evp_daily *d);

/* Inside the stage (daily.c, dailyemit.c): a key and its active days. */
struct kday {
	int64_t		day, seconds;
	uint64_t	count, sessions;
};

struct evp_daily_key {
	struct evp_str	 id, group, *attr;
	int		 flag;
	uint32_t	 gnum;		/* the group's number, as first seen */
	int64_t		 first;
	struct kday	*d;
	size_t		 nd, cap;
};

/* The sums' map key (12 bytes): a day and a group's number. */
void	evp_daily_sumkey(unsigned char *at, int64_t day, uint32_t g);

/* Write both tables (both inputs ended): 0, or -1 if an output failed. */
int	evp_daily_emit(struct evp_daily *d);

#endif
