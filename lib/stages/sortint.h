#ifndef EVP_SORTINT_H
#define EVP_SORTINT_H

#include <stddef.h>
#include <stdint.h>

#include "stages/sort.h"

/*
 * What the two halves of the sort share, and nobody else: sort.c holds
 * records in memory and sorts them, sortrun.c writes sorted runs to
 * temporary files and merges them back.
 */

/*
 * A record, in memory and in a run: this head, its normalized key, then
 * its fields packed (core/pack.h).  In memory a record starts on 8 bytes;
 * in a run the records follow each other.
 */
struct srec {
	uint64_t	 line;
	const char	*source;
	uint32_t	 klen, plen;
};

#define HEAD	sizeof(struct srec)

static inline const unsigned char *
key_of(const struct srec *r)
{
	return (const unsigned char *)(r + 1);
}

/* Memory for records, reused from one run to the next. */
struct evp_sort_chunk {
	struct evp_sort_chunk	*next;
	size_t			 size, used;
	union { max_align_t a; unsigned char c[1]; } mem[];
};

/* What the in-memory sort moves: a word of the key, and the record. */
struct evp_sort_item {
	uint64_t	 pfx;
	struct srec	*r;
};

struct evp_sort_run {
	uint64_t	 off, len;
};

/*
 * Records are read in sorted order, from all over memory: ask for the
 * one AHEAD places on, its first lines, while working on this one.
 */
#define AHEAD	8

static inline void
prefetch(const struct srec *r)
{
#if defined(__GNUC__)
	__builtin_prefetch(r);
	__builtin_prefetch((const char *)r + 64);
	__builtin_prefetch((const char *)r + 128);
#else
	(void)r;
#endif
}

/* Counted against the budget for each record: its item and the sort's copy. */
#define ITEM_COST	(2 * sizeof(struct evp_sort_item))

/* sort.c */
void	evp_sort_items(struct evp_sort *s);	/* sort the records held */
void	evp_sort_empty(struct evp_sort *s);	/* forget them */
int	evp_sort_emit(struct evp_sort *s, const struct srec *h,
	    const unsigned char *p);

/* sortrun.c */
int	evp_sort_spill(struct evp_sort *s);
int	evp_sort_merge_runs(struct evp_sort *s);
void	evp_sort_file_close(struct evp_sort_file *f);

#endif
