#ifndef EVP_PARENT_H
#define EVP_PARENT_H

#include "core/map.h"
#include "stages/sinks.h"
#include "stages/stage.h"

/*
 * parent: a deferred check that each child record's key is the key of
 * some parent record, wherever either is in the input (SPEC 10, routing;
 * OrderGroove's followups and their initials).  The stage has two sinks:
 * parents (its member parents) pass on to pout at once, their keys kept;
 * children (st.sink) are set aside in a scratch file.  When both have
 * ended, the children are read back in input order: those whose key is a
 * parent's go on to st.out, the others are refused with the reason
 * (unknown_parent by default).  Memory holds the parents' keys, never the
 * children.  pout ends after the children are judged.  The counts are
 * the children's.  The stage owns its table and file; the options' names
 * are borrowed.
 */
struct evp_parent_opts {
	const char	*key;		/* the parents' key column */
	const char	*childkey;	/* the children's */
	const char	*reason;	/* NULL: unknown_parent */
};

struct evp_parent {
	struct evp_stage	 st;		/* the children's sink and out */
	struct evp_sink		 parents;
	struct evp_sink		*pout;
	struct evp_parent_opts	 o;
	int			 pidx, cidx;
	int			 ended;		/* sinks ended: 2 when both */
	struct evp_map		 keys;
	struct evp_store	 spool;
	struct evp_sink		 judge;		/* the children read back */
};

void	evp_parent_init(struct evp_parent *p, const struct evp_parent_opts *o,
	    struct evp_rejects *rj, struct evp_sink *pout, struct evp_sink *cout);
void	evp_parent_release(struct evp_parent *p);

#endif
