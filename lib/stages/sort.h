#ifndef EVP_SORT_H
#define EVP_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ofile.h"
#include "stages/sortkey.h"
#include "stages/stage.h"

/*
 * sort: a stable sort of records by one or more keys (SPEC section 10).
 * A record whose key cannot be read as its type is refused (bad_number,
 * bad_timestamp, incomparable_timestamps) as it comes in; the others are
 * kept, each packed beside its normalized key (stages/sortkey.h), until
 * the end, when they go on in order: by the keys, then in input order.
 *
 * Memory holds records up to opts.memory bytes, everything counted (the
 * records, their keys and the sort's arrays).  Past it, the records held
 * are sorted and written as a run to an unlinked temporary file in
 * TMPDIR, and memory starts again; at the end the runs are merged, at
 * most opts.fanin at a time (in several passes when there are more, each
 * pass writing longer runs into a second temporary file), the records of
 * an earlier run first on equal keys.  The output does not depend on the
 * budget.  The sort owns its memory and files; it borrows the keys.
 */

#define EVP_SORT_FANIN	64

struct evp_sort_opts {
	const struct evp_sortkeys *keys;
	size_t		 memory;	/* bytes; SIZE_MAX: no limit */
	unsigned	 fanin;		/* runs merged at once (2 up); 0: EVP_SORT_FANIN */
};

struct evp_sort_chunk;
struct evp_sort_item;
struct evp_sort_run;

/* A temporary file of runs, written through an ofile, read with pread. */
struct evp_sort_file {
	int		 fd;		/* -1 until needed */
	struct evp_ofile out;
	uint64_t	 size;		/* bytes written */
};

struct evp_sort {
	struct evp_stage	 st;
	struct evp_sort_opts	 o;
	struct evp_keyenc	 enc;
	struct evp_buf		 key;		/* scratch */
	size_t			 nf;		/* fields of a record */
	struct evp_str		*f;		/* scratch: a record's fields */

	/* the records held in memory */
	struct evp_sort_chunk	*chunks;	/* in use, the current first */
	struct evp_sort_chunk	*spare;		/* emptied, for reuse */
	size_t			 chunk;		/* size of a chunk */
	size_t			 used;		/* bytes counted against memory */
	struct evp_sort_item	*items, *tmp;
	size_t			 n, cap;

	/* the runs written so far */
	struct evp_sort_file	 file[2];
	int			 cur;		/* the file the runs are in */
	struct evp_sort_run	*runs;
	size_t			 nruns, runcap;
	uint64_t		 spilled;	/* runs written, all passes */
};

void	evp_sort_init(struct evp_sort *s, const struct evp_sort_opts *o,
	    struct evp_rejects *rj, struct evp_sink *out);
void	evp_sort_release(struct evp_sort *s);

#endif
