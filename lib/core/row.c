#include <string.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/row.h"

int
evp_header_find(const struct evp_header *h, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < h->n; i++)
		if (evp_str_eq(h->name[i], name, len))
			return (int)i;
	return -1;
}

int
evp_header_find_carried(const struct evp_header *h, const char *name)
{
	size_t len = strlen(name), plen = h->prefix ? strlen(h->prefix) : 0;

	for (size_t i = h->n - h->carried; i < h->n; i++)
		if (h->name[i].len == plen + len &&
		    memcmp(h->name[i].p + plen, name, len) == 0)
			return (int)i;
	return -1;
}

/* Is column i's name given again later in h? */
static int
repeated(const struct evp_header *h, size_t i)
{
	for (size_t j = i + 1; j < h->n; j++)
		if (evp_str_eq(h->name[j], h->name[i].p, h->name[i].len))
			return 1;
	return 0;
}

static int
require(const struct evp_header *h, const char *name, size_t len, int *idx)
{
	for (size_t i = 0; i < h->n; i++)
		if (evp_str_eq(h->name[i], name, len)) {
			if (repeated(h, i))
				return evp_error(h->at.source, h->at.line,
				    "column '%.*s' is given more than once",
				    (int)len, name);
			*idx = (int)i;
			return 0;
		}
	return evp_error(h->at.source, h->at.line, "missing column '%.*s'",
	    (int)len, name);
}

int
evp_require_columns(const struct evp_header *h, const char *const *names,
    int *idx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (require(h, names[i], strlen(names[i]), &idx[i]) < 0)
			return -1;
	return 0;
}

int
evp_require_names(const struct evp_header *h, const struct evp_names *nl,
    int *idx)
{
	for (size_t i = 0; i < nl->n; i++)
		if (require(h, nl->name[i].p, nl->name[i].len, &idx[i]) < 0)
			return -1;
	return 0;
}

void
evp_header_mark_carried(struct evp_header *h, const char *prefix)
{
	size_t plen = strlen(prefix), k = 0;

	while (k < h->n && h->name[h->n - 1 - k].len >= plen &&
	    memcmp(h->name[h->n - 1 - k].p, prefix, plen) == 0)
		k++;
	h->carried = k;
	h->prefix = prefix;
}

void
evp_header_copy(struct evp_header *out, const struct evp_header *h,
    struct evp_arena *mem)
{
	struct evp_str *names = evp_arena_alloc(mem,
	    (h->n ? h->n : 1) * sizeof(*names));

	for (size_t i = 0; i < h->n; i++)
		names[i] = (struct evp_str){
		    evp_arena_dup(mem, h->name[i].p, h->name[i].len), h->name[i].len };
	*out = *h;
	out->name = names;
}

void
evp_header_join(struct evp_header *out, const struct evp_header *a,
    const struct evp_header *b, const char *prefix, struct evp_arena *mem)
{
	size_t plen = prefix ? strlen(prefix) : 0, nb = b ? b->n : 0;
	struct evp_str *names = evp_arena_alloc(mem,
	    (a->n + nb + 1) * sizeof(*names));

	for (size_t i = 0; i < a->n; i++)
		names[i] = (struct evp_str){
		    evp_arena_dup(mem, a->name[i].p, a->name[i].len), a->name[i].len };
	for (size_t i = 0; i < nb; i++) {
		size_t len = plen + b->name[i].len;
		char *p = evp_arena_alloc(mem, len + 1);
		memcpy(p, prefix, plen);
		memcpy(p + plen, b->name[i].p, b->name[i].len);
		p[len] = '\0';
		names[a->n + i] = (struct evp_str){ p, len };
	}
	char *pre = evp_arena_dup(mem, prefix ? prefix : "", plen);

	*out = (struct evp_header){ a->n + nb, names, a->at, nb, pre };
}
