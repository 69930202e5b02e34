#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "xalloc.h"

void
evp_map_init(struct evp_map *m)
{
	m->cap = 1024;
	m->n = 0;
	m->slot = xcalloc(m->cap, sizeof(*m->slot));
	evp_arena_init(&m->keys);
}

void
evp_map_release(struct evp_map *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
	evp_arena_release(&m->keys);
}

/* 64-bit FNV-1a over 8-byte words, then a final mix: fast and good enough. */
uint64_t
evp_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ n;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	while (n-- > 0)
		h = (h ^ *s++) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static struct evp_map_slot *
find(const struct evp_map *m, uint64_t h, const void *key, size_t len)
{
	size_t mask = m->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct evp_map_slot *s = &m->slot[i];
		if (s->key == NULL)
			return s;
		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
			return s;
	}
}

void *
evp_map_get(const struct evp_map *m, const void *key, size_t len)
{
	struct evp_map_slot *s = find(m, evp_hash(key, len), key, len);

	return s->key ? s->val : NULL;
}

static void
grow(struct evp_map *m)
{
	struct evp_map_slot *old = m->slot;
	size_t oldcap = m->cap;

	m->cap *= 2;
	m->slot = xcalloc(m->cap, sizeof(*m->slot));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key != NULL)
			*find(m, old[i].hash, old[i].key, old[i].len) = old[i];
	free(old);
}

struct evp_map_slot *
evp_map_put(struct evp_map *m, const void *key, size_t len, int *created)
{
	uint64_t h = evp_hash(key, len);

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	struct evp_map_slot *s = find(m, h, key, len);
	*created = s->key == NULL;
	if (*created) {
		s->hash = h;
		s->key = evp_arena_dup(&m->keys, key, len);
		s->len = len;
		s->val = NULL;
		m->n++;
	}
	return s;
}
