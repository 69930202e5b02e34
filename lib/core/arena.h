#ifndef EVP_ARENA_H
#define EVP_ARENA_H

#include <stddef.h>

/*
 * A bump allocator.  Everything allocated from an arena belongs to it and
 * goes at once with evp_arena_reset (keeps the first block for reuse, so a
 * per-row arena stops calling malloc after the first rows) or
 * evp_arena_release (frees all).
 */
struct evp_arena_block;

struct evp_arena {
	struct evp_arena_block	*head;	/* current block, newest first */
	size_t			 used;	/* bytes used in head */
	size_t			 total;	/* bytes held in all blocks */
};

void	 evp_arena_init(struct evp_arena *a);
void	*evp_arena_alloc(struct evp_arena *a, size_t n);	/* aligned to 8 */
char	*evp_arena_dup(struct evp_arena *a, const void *p, size_t n); /* NUL added */
void	 evp_arena_reset(struct evp_arena *a);
void	 evp_arena_release(struct evp_arena *a);

#endif
