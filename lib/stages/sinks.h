#ifndef EVP_SINKS_H
#define EVP_SINKS_H

#include "core/arena.h"
#include "core/row.h"
#include "core/buf.h"
#include "core/map.h"
#include "core/spill.h"

/*
 * Plumbing sinks.  A tee passes everything to two sinks it borrows.  A
 * store sets the records pushed into it aside in a scratch file (and a
 * copy of their header in memory), both its own, to push them on later
 * with evp_store_replay.
 */

struct evp_tee {
	struct evp_sink	 sink;
	struct evp_sink	*a, *b;
};

void	evp_tee_init(struct evp_tee *t, struct evp_sink *a, struct evp_sink *b);

struct evp_store {
	struct evp_sink		 sink;
	struct evp_arena	 mem;		/* the header */
	struct evp_header	 h;
	struct evp_spill	 rows;
};

void	evp_store_init(struct evp_store *s);
/* Push the header (or empty, if none was stored) and every record into out. */
int	evp_store_replay(struct evp_store *s, struct evp_sink *out,
	    const struct evp_header *empty);
void	evp_store_release(struct evp_store *s);

/*
 * A projection that leaves out the optional columns no input record had:
 * what the columns had is known only once the input is read, so the
 * header goes on at the first record or at the end (after a sort, both
 * come when the input is read).  seen[i] says column i was had; it and
 * the optional names are borrowed; the header and record it passes on
 * are its own.
 */
struct evp_optcols {
	struct evp_sink		 sink;
	struct evp_sink		*out;
	const struct evp_names	*optional;
	const unsigned char	*seen;
	struct evp_arena	 mem;
	struct evp_header	 h, oh;
	int			*keep;		/* the columns passed on */
	struct evp_str		*ov;
	int			 started;
};

void	evp_optcols_init(struct evp_optcols *o, const struct evp_names *optional,
	    const unsigned char *seen, struct evp_sink *out);
void	evp_optcols_release(struct evp_optcols *o);

/*
 * A tally: counts the records passing through by the values of some
 * columns (joined by '/'), for the summary.  It owns its table.
 */
struct evp_tally_sink {
	struct evp_sink		 sink;
	struct evp_sink		*out;
	const struct evp_names	*cols;
	int			*idx;
	struct evp_map		 map;		/* value -> count */
	struct evp_buf		 key;
};

void	evp_tally_init(struct evp_tally_sink *t, const struct evp_names *cols,
	    struct evp_sink *out);
/* The tallies as JSON members: {"value":n,...}, in first-seen order. */
void	evp_tally_json(const struct evp_tally_sink *t, struct evp_buf *b);
void	evp_tally_release(struct evp_tally_sink *t);

#endif
