#include <stdlib.h>
#include <string.h>

#include "core/bigmem.h"
#include "core/map.h"
#include "core/xalloc.h"

/*
 * An entry: its header, the value (rounded up to 8 bytes), then the key.
 * References are entry offsets in 8-byte units, so 32 bits address 32 GiB
 * of entries.
 */
struct entry {
	uint32_t	keylen;
	uint32_t	vsize;		/* rounded up to 8 */
};

#define ROUND8(n)	(((n) + 7) & ~(size_t)7)

void
evp_map_init(struct evp_map *m)
{
	m->cap = 1024;
	m->n = 0;
	m->slot = evp_big_alloc(m->cap * sizeof(*m->slot));
	m->ent = NULL;
	m->used = m->size = 0;
}

void
evp_map_release(struct evp_map *m)
{
	evp_big_free(m->slot, m->cap * sizeof(*m->slot));
	evp_big_free(m->ent, m->size);
	m->slot = NULL;
	m->ent = NULL;
	m->cap = m->n = m->used = m->size = 0;
}

static struct entry *
entry_at(const struct evp_map *m, uint64_t slot)
{
	return (struct entry *)(void *)(m->ent + ((slot & 0xffffffffu) - 1) * 8);
}

static const char *
entry_key(const struct entry *e)
{
	return (const char *)(e + 1) + e->vsize;
}

/* The slot holding key, or the empty slot where it would go. */
static uint64_t *
find(const struct evp_map *m, uint64_t h, const void *key, size_t len)
{
	size_t mask = m->cap - 1;
	uint64_t tag = h >> 32;

	for (size_t i = (size_t)tag & mask;; i = (i + 1) & mask) {
		uint64_t *s = &m->slot[i];
		if (*s == 0)
			return s;
		if (*s >> 32 != tag)
			continue;
		const struct entry *e = entry_at(m, *s);
		if (e->keylen == len && memcmp(entry_key(e), key, len) == 0)
			return s;
	}
}

void *
evp_map_get(const struct evp_map *m, const void *key, size_t len)
{
	return evp_map_get_h(m, evp_hash(key, len), key, len);
}

void
evp_map_prefetch(const struct evp_map *m, uint64_t h)
{
	__builtin_prefetch(&m->slot[(size_t)(h >> 32) & (m->cap - 1)]);
}

void *
evp_map_get_h(const struct evp_map *m, uint64_t h, const void *key,
    size_t len)
{
	uint64_t *s = find(m, h, key, len);

	return *s ? entry_at(m, *s) + 1 : NULL;
}

/*
 * Double the table.  A key's first slot is its tag's low bits, and the
 * tag is in the slot: no key is read or hashed again.
 */
static void
grow(struct evp_map *m)
{
	uint64_t *old = m->slot;
	size_t oldcap = m->cap;

	m->cap *= 2;
	m->slot = evp_big_alloc(m->cap * sizeof(*m->slot));
	size_t mask = m->cap - 1;
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i] == 0)
			continue;
		size_t j = (size_t)(old[i] >> 32) & mask;
		while (m->slot[j] != 0)
			j = (j + 1) & mask;
		m->slot[j] = old[i];
	}
	evp_big_free(old, oldcap * sizeof(*old));
}

void *
evp_map_put(struct evp_map *m, const void *key, size_t len, size_t vsize,
    int *created)
{
	uint64_t h = evp_hash(key, len);

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	uint64_t *s = find(m, h, key, len);
	*created = *s == 0;
	if (!*created)
		return entry_at(m, *s) + 1;

	vsize = ROUND8(vsize);
	size_t need = ROUND8(sizeof(struct entry) + vsize + len);
	if (len > UINT32_MAX || vsize > UINT32_MAX ||
	    (m->used + need) / 8 >= UINT32_MAX)
		evp_oom();
	if (m->used + need > m->size) {
		size_t size = m->size ? m->size : 64 * 1024;
		while (size < m->used + need)
			size *= 2;
		m->ent = m->ent ? evp_big_grow(m->ent, m->size, size) :
		    evp_big_alloc(size);
		m->size = size;
	}
	struct entry *e = (struct entry *)(void *)(m->ent + m->used);
	e->keylen = (uint32_t)len;
	e->vsize = (uint32_t)vsize;
	memset(e + 1, 0, vsize);
	if (len > 0)
		memcpy((char *)(e + 1) + vsize, key, len);
	*s = (h >> 32) << 32 | (m->used / 8 + 1);
	m->used += need;
	m->n++;
	return e + 1;
}

uint32_t
evp_map_ref(const struct evp_map *m, const void *val)
{
	return (uint32_t)(((const unsigned char *)val - sizeof(struct entry) -
	    m->ent) / 8);
}

void *
evp_map_at(const struct evp_map *m, uint32_t ref)
{
	return (struct entry *)(void *)(m->ent + (size_t)ref * 8) + 1;
}

const char *
evp_map_key(const void *val, size_t *len)
{
	const struct entry *e = (const struct entry *)val - 1;

	*len = e->keylen;
	return entry_key(e);
}

void *
evp_map_next(const struct evp_map *m, size_t *pos)
{
	if (*pos >= m->used)
		return NULL;
	struct entry *e = (struct entry *)(void *)(m->ent + *pos);
	*pos += ROUND8(sizeof(*e) + e->vsize + e->keylen);
	return e + 1;
}
