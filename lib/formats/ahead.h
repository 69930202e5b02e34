#ifndef EVP_AHEAD_H
#define EVP_AHEAD_H

#include "formats/csvin.h"
#include "core/input.h"
#include "core/row.h"

/*
 * A CSV input read ahead on its own thread: the rows of evp_csvin, parsed
 * and packed in batches while the caller works on the previous ones, so
 * that on two cores parsing costs the caller little more than a copy.
 * The rows, their order, their line numbers and their refusals are
 * exactly evp_csvin's.  Messages about the input (a read error, damaged
 * gzip data) come from the reading thread, when it meets them.
 */
struct evp_ahead;

/*
 * Open name ("-" is standard input) and read its header, here, in the
 * caller's thread.  Return NULL after reporting why it cannot be read;
 * else the reader, its header in *h (n == 0 for an empty input).  The
 * thread starts at the first evp_ahead_next.  With raw set, a row read
 * well also has its text in row->raw (a refused row always has).
 */
struct evp_ahead *evp_ahead_open(const char *name, size_t maxline,
	    const struct evp_csvin_opts *o, int raw, const struct evp_header **h);

/* The same on an input already open: the reader takes *in over. */
struct evp_ahead *evp_ahead_start(struct evp_input *in,
	    const struct evp_csvin_opts *o, int raw, const struct evp_header **h);

/*
 * Next row, as evp_csvin_next: 1 (check row->bad.reason), 0 at the end,
 * -1 after the input failed (every row before the failure was returned).
 * A row is valid until the next call.
 */
int	evp_ahead_next(struct evp_ahead *a, struct evp_csvrow *row);

/*
 * Done with the input, at its end or before.  A reading thread still
 * blocked in a read is left to finish on its own: it stops at the next
 * batch and frees what it holds.
 */
void	evp_ahead_close(struct evp_ahead *a);

#endif
