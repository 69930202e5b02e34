#ifndef EVP_MAP_H
#define EVP_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/*
 * A hash map from byte strings to pointers, open addressing.  Keys are
 * copied into the map's own arena; values belong to the caller.
 */
struct evp_map_slot {
	uint64_t	 hash;
	const char	*key;	/* NULL: empty slot */
	size_t		 len;
	void		*val;
};

struct evp_map {
	struct evp_map_slot	*slot;
	size_t			 cap;	/* a power of two */
	size_t			 n;
	struct evp_arena	 keys;
};

void	evp_map_init(struct evp_map *m);
void	evp_map_release(struct evp_map *m);
uint64_t evp_hash(const void *p, size_t n);

/* The value stored under key, or NULL. */
void	*evp_map_get(const struct evp_map *m, const void *key, size_t len);

/*
 * The slot for key, created (value NULL) if it was not there.  *created
 * says which.  The slot's address is valid until the next insertion.
 */
struct evp_map_slot *evp_map_put(struct evp_map *m, const void *key, size_t len,
	    int *created);

#endif
