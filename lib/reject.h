#ifndef EVP_REJECT_H
#define EVP_REJECT_H

#include "ofile.h"
#include "row.h"
#include "summary.h"

/*
 * The rejects file every stage shares (evp-rejects(5)):
 *
 *	stage,reason,detail,source,line,raw,<record columns>
 *
 * The record columns are the schema's (by default the eight event
 * fields); a refused record's fields are placed by column name.  The
 * writer does not own the ofile nor the column names.
 */
struct evp_rejects {
	struct evp_ofile	*f;
	const struct evp_header	*cols;
	uint64_t		 rows;
	int			 lazy;		/* header only before a first reject */
	int			 started;
};

void	evp_rejects_init(struct evp_rejects *rj, struct evp_ofile *f,
	    const struct evp_header *cols, int lazy);

/*
 * Where each layout column is in records of header h: map[i] is the index
 * in h of the i-th record column, or -1.  The caller frees the map.
 */
int	*evp_rejects_map(const struct evp_rejects *rj, const struct evp_header *h);

/*
 * Write one reject and count it against c.  raw is the input text (may be
 * NULL); r and map give the record's fields (both may be NULL).
 */
void	evp_reject(struct evp_rejects *rj, struct evp_count *c,
	    const struct evp_verdict *v, const struct evp_origin *at,
	    const struct evp_str *raw, const int *map, const struct evp_rec *r);

#endif
