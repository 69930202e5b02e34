#ifndef EVP_CHECK_H
#define EVP_CHECK_H

#include "core/arena.h"
#include "core/map.h"
#include "stages/profile.h"
#include "stages/stage.h"
#include "types/tstamp.h"

/*
 * check: records through a list of checks, in order, the first that fails
 * naming the reject reason (SPEC 10, schemas and time checks):
 *
 *	schema	a JSON Schema (schema/jsonschema.h): a record read from JSON
 *		is checked as its JSON value, types intact, any other as the
 *		object of its columns; the reason is the schema's x-reason
 *		(schema_violation by default)
 *	future	the column must hold an instant (bad_timestamp) not after
 *		the run's now (future_timestamp)
 *	window	the column must hold an instant (bad_timestamp) in
 *		[since, until) (out_of_window); a whole number of epoch
 *		seconds beyond the instants (negative, past 9999) is outside
 *	member	the column's value must be one of the lines of a list file
 *		(the check's reason; an empty value is not listed)
 *
 * A check whose file is NULL is skipped (an option the user left out).
 * Records that pass go on to the next sink, or, with a route column, to
 * the sink of their values in them (others: unknown_route); a route
 * matches when each route column holds its value.  Streams;
 * the stage owns the compiled schemas and lists, and borrows the specs
 * and the sinks.
 */
struct evp_check_opts {
	const struct evp_check_spec *specs;
	size_t			 n;
	struct evp_tstamp	 now;		/* for future */
	struct evp_tstamp	 since, until;	/* for window */
	int			 has_since, has_until;
	/* routing */
	const char		*route;		/* the columns, comma-separated,
						 * or NULL */
	const char *const	*values;	/* per sink: a value for each
						 * route column, comma-separated */
	struct evp_sink *const	*outs;
	size_t			 nroutes;
	const char		*route_reason;	/* default unknown_route */
};

struct evp_check_item;

struct evp_check {
	struct evp_stage	 st;
	struct evp_check_opts	 o;
	struct evp_check_item	*items;
	struct evp_names	 rcols;		/* the route columns */
	int			*ridx;		/* and their indexes */
	struct evp_names	*rvals;		/* each route's values */
	const struct evp_header	*h;		/* the records' (borrowed) */
	struct evp_arena	 scratch;
};

/*
 * Compile the checks (schemas loaded, lists read).  Return 0, or -1 after
 * reporting a file that cannot be read, a schema that is refused, or a
 * route whose values do not match its columns.
 */
int	evp_check_init(struct evp_check *c, const struct evp_check_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_check_release(struct evp_check *c);

#endif
