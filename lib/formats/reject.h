#ifndef EVP_REJECT_H
#define EVP_REJECT_H

#include "core/buf.h"
#include "core/ofile.h"
#include "core/row.h"
#include "core/count.h"
#include "core/verdict.h"

/*
 * The rejects file every stage shares (evp-rejects(5)):
 *
 *	stage,reason,detail,source,line,raw,<record columns>
 *
 * The record columns are the schema's (by default the eight event
 * fields); a refused record's fields are placed by column name.  A record
 * with a column the layout lacks is also written whole, as one CSV line,
 * into raw, so that nothing of it is lost.  The writer does not own the
 * ofile nor the column names.
 */
struct evp_rejects {
	struct evp_ofile	*f;
	const struct evp_header	*cols;
	uint64_t		 rows;
	int			 lazy;		/* header only before a first reject */
	int			 started;
	struct evp_buf		 line, rec;	/* scratch */
};

/* Is name one of the layout's own columns (stage ... raw)? */
int	evp_rejects_reserved(struct evp_str name);

void	evp_rejects_init(struct evp_rejects *rj, struct evp_ofile *f,
	    const struct evp_header *cols, int lazy);
void	evp_rejects_release(struct evp_rejects *rj);

/*
 * How records of one header land in the layout: idx[i] is the index in
 * the header of the i-th layout column, or -1; lossy says the header has
 * a column the layout lacks.  Columns a join carried in (the header's
 * last `carried`) belong to another record and are left aside.
 */
struct evp_rjmap {
	size_t	 n;
	int	*idx;
	int	 lossy;
};

void	evp_rjmap_init(struct evp_rjmap *m, const struct evp_rejects *rj,
	    const struct evp_header *h);
void	evp_rjmap_release(struct evp_rjmap *m);

/*
 * Write one reject and count it against c.  raw is the input text (may be
 * NULL); map and r give the record's fields (both may be NULL).
 */
void	evp_reject(struct evp_rejects *rj, struct evp_count *c,
	    const struct evp_verdict *v, const struct evp_origin *at,
	    const struct evp_str *raw, const struct evp_rjmap *map,
	    const struct evp_rec *r);

/*
 * The same in two steps, for a stage that learns the detail later:
 * render what follows the detail (source to the last column) into out,
 * then write it with its verdict.
 */
void	evp_reject_tail(struct evp_rejects *rj, const struct evp_origin *at,
	    const struct evp_str *raw, const struct evp_rjmap *map,
	    const struct evp_rec *r, struct evp_buf *out);
void	evp_reject_write(struct evp_rejects *rj, struct evp_count *c,
	    const struct evp_verdict *v, const char *tail, size_t len);

#endif
