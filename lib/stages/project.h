#ifndef EVP_PROJECT_H
#define EVP_PROJECT_H

#include "core/buf.h"
#include "core/str.h"
#include "stages/stage.h"

/*
 * project: the records whose column COL holds VALUE (all of them without
 * a condition), as a table of chosen and computed columns.  Each output
 * column is given as
 *
 *	NAME		the column NAME
 *	NAME=COL	the column COL, renamed
 *	NAME=COL:number	COL's exact decimal written canonically (0.990
 *			and 99e-2 are 0.99; an empty field stays empty)
 *	NAME=A*B	the exact product of the decimals in A and B, written
 *			the same way (0.99 x 1.3 is 1.287; empty when either
 *			is empty)
 *
 * A record left out by the condition is not a reject: the projection is
 * one table out of a stream that others share (a tee before it).  A
 * field that is not a number where one is needed is refused
 * (bad_number).  The stage owns its header and scratch; the options'
 * strings are borrowed.
 */
struct evp_project_opts {
	const char	*when;		/* "COL=VALUE", or NULL: every record */
	const char	*columns;	/* the output columns, as above */
};

struct evp_project_col;

struct evp_project {
	struct evp_stage	 st;
	struct evp_project_opts	 o;
	struct evp_names	 spec;
	struct evp_project_col	*col;
	struct evp_str		*name, *out;
	struct evp_header	 oh;
	char			*wcol;		/* the condition's column */
	int			 widx;
	struct evp_str		 wval;
	struct evp_buf		 num;		/* the numbers written */
	uint64_t		 written;
};

/* Return 0, or -1 after reporting a column spec that cannot be read. */
int	evp_project_init(struct evp_project *p, const struct evp_project_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_project_release(struct evp_project *p);

#endif
