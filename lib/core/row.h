#ifndef EVP_ROW_H
#define EVP_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

/*
 * Rows as every layer sees them: a header of column names, records of
 * fields, and sinks that records are pushed into.  Nothing here owns
 * memory: a record's fields are valid only during the put() that
 * receives it; a sink that keeps a record copies it.
 */

struct evp_arena;

/* Where a record came from: the input as named ("-" is stdin) and its line. */
struct evp_origin {
	const char	*source;
	uint64_t	 line;
};

/*
 * Column names, in order, and where the header was read (for messages).
 * The last `carried` columns were carried in by a join, each named with
 * prefix before the column's own name: they belong to another record,
 * which stages that project or reject the record's own columns leave
 * aside.  The names and the prefix belong to whoever made the header.
 */
struct evp_header {
	size_t			 n;
	const struct evp_str	*name;
	struct evp_origin	 at;	/* source NULL: not read from a file */
	size_t			 carried;
	const char		*prefix;	/* NULL when nothing is carried */
};

/* Index of the column called name, or -1 (the first, if repeated). */
int	evp_header_find(const struct evp_header *h, const char *name);

/* Index of the carried column whose name after the prefix is name, or -1. */
int	evp_header_find_carried(const struct evp_header *h, const char *name);

/*
 * Find each of names[0..n) in h, into idx.  Return 0, or -1 after an
 * error naming the first column missing, or a column whose name is
 * repeated in h so that it cannot be told apart (and h's source and line).
 */
int	evp_require_columns(const struct evp_header *h, const char *const *names,
	    int *idx, size_t n);

/* The same for a list of names. */
int	evp_require_names(const struct evp_header *h, const struct evp_names *nl,
	    int *idx);

/*
 * Mark the trailing columns of h whose names start with prefix as
 * carried (a header read from a file written by a join).
 */
void	evp_header_mark_carried(struct evp_header *h, const char *prefix);

/* A copy of h whose names live in the arena mem. */
void	evp_header_copy(struct evp_header *out, const struct evp_header *h,
	    struct evp_arena *mem);

/*
 * A header of a's own columns followed by b's, carried under a prefix
 * (b may be NULL), names copied into the arena mem.
 */
void	evp_header_join(struct evp_header *out, const struct evp_header *a,
	    const struct evp_header *b, const char *prefix, struct evp_arena *mem);

struct evp_rec {
	size_t			 n;	/* fields, as many as the header has */
	const struct evp_str	*f;
	struct evp_origin	 at;
	struct evp_str		 json;	/* the JSON value it was read from, its
					 * types intact (SPEC 10, schemas);
					 * empty when not read from JSON */
};

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
