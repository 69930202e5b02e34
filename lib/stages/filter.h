#ifndef EVP_FILTER_H
#define EVP_FILTER_H

#include <stddef.h>

#include "stages/stage.h"
#include "types/tstamp.h"

/*
 * filter: the records whose columns equal given values and whose time
 * column is in a window [from, to), in input order (SPEC section 10).
 * The conditions on one column are alternatives (any of its values);
 * conditions on different columns must all hold.  Values are compared
 * byte for byte.  A record left out is counted as filtered, not refused:
 * a filter answers a query.  With a time column, a record whose value
 * there is not an instant (not a timestamp, empty, a date alone, a time
 * of day) is refused as bad_timestamp, whatever the other conditions say.
 * The filter borrows the options and owns the rest.
 */

struct evp_filter_eq {
	char		*col;		/* a copy, the caller frees it */
	const char	*value;
	size_t		 len;
};

struct evp_filter_opts {
	const struct evp_filter_eq *eq;
	size_t		 neq;
	const char	*time;		/* the time column; NULL: no window */
	int		 has_from, has_to;
	struct evp_tstamp from, to;	/* instants */
};

/* The values asked of one column. */
struct evp_filter_col {
	const char	*col;
	int		 idx;
	size_t		 n;
	const struct evp_filter_eq **v;
};

struct evp_filter {
	struct evp_stage	 st;
	struct evp_filter_opts	 o;
	struct evp_filter_col	*cols;
	size_t			 ncols;
	int			 tidx;
};

/*
 * Split "COLUMN=VALUE" at its first '=' into e: the column copied (the
 * caller frees e->col), the value pointing into s.  Return 0, or -1 if
 * there is no '=' or the column is empty.
 */
int	evp_filter_eq_parse(struct evp_filter_eq *e, const char *s);

void	evp_filter_init(struct evp_filter *f, const struct evp_filter_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_filter_release(struct evp_filter *f);

#endif
