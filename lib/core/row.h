#ifndef EVP_ROW_H
#define EVP_ROW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Rows as every layer sees them: a header of column names, records of
 * fields, and sinks that records are pushed into.  Nothing here owns
 * memory: a record's fields are valid only during the put() that
 * receives it; a sink that keeps a record copies it.
 */

struct evp_str {
	const char	*p;
	size_t		 len;
};

#define EVP_STR(lit)	((struct evp_str){ (lit), sizeof(lit) - 1 })

static inline int
evp_str_eq(struct evp_str a, const char *p, size_t len)
{
	return a.len == len && (len == 0 || memcmp(a.p, p, len) == 0);
}

static inline int
evp_str_eqs(struct evp_str a, const char *s)
{
	return evp_str_eq(a, s, strlen(s));
}

/* Where a record came from: the input as named ("-" is stdin) and its line. */
struct evp_origin {
	const char	*source;
	uint64_t	 line;
};

/* Column names, in order, and where the header was read (for messages). */
struct evp_header {
	size_t			 n;
	const struct evp_str	*name;
	struct evp_origin	 at;	/* source NULL: not read from a file */
};

/* Index of the column called name, or -1. */
int	evp_header_find(const struct evp_header *h, const char *name);

/*
 * Find each of names[0..n) in h, into idx.  Return 0, or -1 after an
 * error naming the first column missing (and h's source and line).
 */
int	evp_require_columns(const struct evp_header *h, const char *const *names,
	    int *idx, size_t n);

/*
 * A list of column names given as one comma-separated option value
 * ("parentEventId,eventType").  evp_names_parse copies s and splits the
 * copy into NUL-terminated names; returns -1 on an empty name.
 * evp_names_free frees the list's memory.
 */
struct evp_names {
	size_t		 n;
	struct evp_str	*name;
	char		*mem;
};
int	evp_names_parse(struct evp_names *nl, const char *s);
void	evp_names_free(struct evp_names *nl);

struct evp_rec {
	size_t			 n;	/* fields, as many as the header has */
	const struct evp_str	*f;
	struct evp_origin	 at;
};

/*
 * Fields packed into one block, for a stage that keeps records: the
 * fields' lengths as varints, then their bytes (a few bytes of overhead a
 * field, where struct evp_str takes sixteen).  evp_pack_size is the bytes
 * f[0..n) need; evp_pack packs them at m and evp_unpack unpacks n fields
 * from m into f, pointing into the block; both return the end.
 */
struct evp_arena;
size_t	evp_pack_size(const struct evp_str *f, size_t n);
unsigned char *evp_pack(unsigned char *m, const struct evp_str *f, size_t n);
const unsigned char *evp_unpack(const unsigned char *m, struct evp_str *f,
	    size_t n);

/*
 * A header of a's columns followed by b's under a prefix (b may be NULL),
 * names copied into the arena mem.
 */
void	evp_header_join(struct evp_header *out, const struct evp_header *a,
	    const struct evp_header *b, const char *prefix, struct evp_arena *mem);

/* Why a record was refused: a stable snake_case code and a short detail. */
#define EVP_DETAIL_MAX 160
struct evp_verdict {
	const char	*reason;
	char		 detail[EVP_DETAIL_MAX];
};

void	evp_verdict_set(struct evp_verdict *v, const char *reason,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Where records go: a CSV writer, the next stage of a chain, a store.
 * start() receives the header once, before any put(); end() once after
 * the last.  Each returns 0, or -1 when the work must stop (the error has
 * been reported, or will be by the owner of the failed output).
 */
struct evp_sink {
	int	(*start)(struct evp_sink *, const struct evp_header *);
	int	(*put)(struct evp_sink *, const struct evp_rec *);
	int	(*end)(struct evp_sink *);
};

static inline int evp_sink_start(struct evp_sink *s, const struct evp_header *h)
{ return s->start(s, h); }
static inline int evp_sink_put(struct evp_sink *s, const struct evp_rec *r)
{ return s->put(s, r); }
static inline int evp_sink_end(struct evp_sink *s)
{ return s->end(s); }

#define evp_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif
