#ifndef EVP_CHECKINT_H
#define EVP_CHECKINT_H

#include "schema/compiled.h"

/*
 * The walk of an instance against a compiled schema, shared by check.c
 * (the walk, the scalar keywords, the applicators) and checkcont.c (the
 * keywords about objects and arrays); no other module includes this.
 */

#define DEFAULT_REASON	"schema_violation"

/* The instance's JSON pointer: a chain of frames on the C stack. */
struct evp_sc_seg {
	const struct evp_sc_seg	*up;
	size_t			 key;	/* an object member's key token, or 0 */
	size_t			 index;	/* else an array index */
};

struct evp_sc {
	const struct evp_schema	*s;
	const struct evp_jdoc	*d;
	struct evp_arena	*a;
	struct evp_verdict	*v;
	int			 quiet;	/* > 0: trying, not reporting */
	pcre2_match_data	*md;
};

/* Check the instance at tok against n; 0, or -1 once reported. */
int	evp_sc_eval(struct evp_sc *c, const struct sch *n, size_t tok,
	    const struct evp_sc_seg *path, const char *reason,
	    const char *nomsg);

/* Try n quietly: 1 if the instance is valid, else 0. */
int	evp_sc_valid(struct evp_sc *c, const struct sch *n, size_t tok,
	    const struct evp_sc_seg *path);

/* Report "POINTER: what" under reason, unless quiet; -1. */
int	evp_sc_fail(struct evp_sc *c, const struct evp_sc_seg *path,
	    const char *reason, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* Does the string at tok match re?  1, 0, or -1 once reported. */
int	evp_sc_match(struct evp_sc *c, const struct regex *re, size_t tok,
	    const struct evp_sc_seg *path, const char *reason);

/* Keyword w of n about objects, or about arrays, on the instance at tok. */
int	evp_sc_object(struct evp_sc *c, const struct sch *n,
	    const struct kw *w, size_t tok, const struct evp_sc_seg *path,
	    const char *reason);
int	evp_sc_array(struct evp_sc *c, const struct sch *n,
	    const struct kw *w, size_t tok, const struct evp_sc_seg *path,
	    const char *reason);

#endif
