#ifndef EVP_MAP_H
#define EVP_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/hash.h"

/*
 * A hash map from byte strings to fixed-size values, built to hold
 * millions of keys in little memory.  Each entry (the key's length, the
 * key, then the value, 8-byte aligned) lives in one growing block; the
 * table is 8 bytes a slot: the hash's top 32 bits, to skip most wrong
 * entries without touching them, and the entry's offset in the block.
 * Those 32 bits also give the key's first slot (their low bits), so the
 * table doubles without reading a key.  A
 * lookup touches one slot and, almost always, only the entry it wants.
 * Keys are hashed with a keyed hash (core/hash.h), so that no input can
 * choose keys that collide.
 *
 * Values are zeroed when created and can differ in size from key to key
 * (vsize is read only when a key is created).  A value's address is
 * valid until the next evp_map_put; its reference (evp_map_ref) for as
 * long as the map.
 */
struct evp_map {
	uint64_t	*slot;		/* hash tag << 32 | (entry ref + 1); 0: empty */
	size_t		 cap;		/* slots, a power of two */
	size_t		 n;		/* entries */
	unsigned char	*ent;		/* the entries */
	size_t		 used, size;	/* bytes of ent used and allocated */
};

void	evp_map_init(struct evp_map *m);
void	evp_map_release(struct evp_map *m);

/* The value stored under key, or NULL. */
void	*evp_map_get(const struct evp_map *m, const void *key, size_t len);

/*
 * The same in two steps, for a caller that looks up many keys and can
 * wait: evp_map_prefetch asks the memory for the slot of a key whose
 * hash is h (evp_hash), and evp_map_get_h, called later, finds it there.
 */
void	evp_map_prefetch(const struct evp_map *m, uint64_t h);
void	*evp_map_get_h(const struct evp_map *m, uint64_t h, const void *key,
	    size_t len);

/*
 * The value under key, created (vsize zero bytes) if the key was not
 * there; *created says which.
 */
void	*evp_map_put(struct evp_map *m, const void *key, size_t len,
	    size_t vsize, int *created);

/* A stable reference to a value, and the value of a reference. */
uint32_t evp_map_ref(const struct evp_map *m, const void *val);
void	*evp_map_at(const struct evp_map *m, uint32_t ref);

/* The key of a value. */
const char *evp_map_key(const void *val, size_t *len);

/*
 * Every value, in insertion order: start with *pos = 0; NULL after the
 * last.
 */
void	*evp_map_next(const struct evp_map *m, size_t *pos);

#endif
