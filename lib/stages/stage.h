#ifndef EVP_STAGE_H
#define EVP_STAGE_H

#include "core/count.h"
#include "core/row.h"
#include "core/verdict.h"
#include "formats/reject.h"

/*
 * What every stage has: the sink records come in by, the next sink they
 * go on to, the rejects they may end in, the map that places a refused
 * record's fields in the rejects layout, and the stage's counts.  A stage
 * embeds this first; it owns the map, and borrows the rejects and the
 * next sink.
 */
struct evp_stage {
	struct evp_sink		 sink;
	struct evp_sink		*out;
	struct evp_rejects	*rj;
	struct evp_rjmap	 rjmap;
	struct evp_count	 count;
};

void	evp_stage_init(struct evp_stage *s, const char *name,
	    struct evp_sink ops, struct evp_rejects *rj, struct evp_sink *out);

/* Records will come with header h: map their fields to the rejects layout. */
void	evp_stage_map(struct evp_stage *s, const struct evp_header *h);

/* Refuse r: write it to the rejects with v, counted.  Returns 0. */
int	evp_stage_refuse(struct evp_stage *s, const struct evp_rec *r,
	    const struct evp_verdict *v);

/* Pass r on to the next sink, counted as out. */
int	evp_stage_pass(struct evp_stage *s, const struct evp_rec *r);

void	evp_stage_release(struct evp_stage *s);

#endif
