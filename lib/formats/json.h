#ifndef EVP_JSON_H
#define EVP_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/verdict.h"

/*
 * JSON text (RFC 8259) read strictly.  jsmn tokenises but does not
 * validate (DEPS.md), so a checker comes first: it reads text in pieces
 * (whole lines, for values that span lines) and says where a value ends
 * or where the text stopped being JSON.  A checked value is then turned
 * into tokens, each knowing its extent, for walking.  The checker owns
 * its stack; a document's tokens and decoded strings live in the arena
 * the caller gives, and point into the text, which the caller keeps.
 *
 * Reasons: invalid_json (the detail says what, and the offset),
 * nesting_too_deep, and with EVP_JSON_FINE bad_unicode_escape.
 */

enum evp_jtype {
	EVP_JSON_OBJECT = 1, EVP_JSON_ARRAY, EVP_JSON_STRING, EVP_JSON_NUMBER,
	EVP_JSON_TRUE, EVP_JSON_FALSE, EVP_JSON_NULL
};

/* The checker, resumable between pieces of text. */
struct evp_jcheck {
	int		 want;		/* what may come next */
	size_t		 depth;		/* open brackets */
	size_t		 max;		/* most brackets open at once */
	char		*stk;		/* the open brackets, '{' or '[' */
	size_t		 cap;
	char		 top;		/* the first byte of the value */
	unsigned	 flags;
};

/* Refuse \u0000 in strings (text that ends up in C strings or CSV). */
#define EVP_JSON_NO_NUL	1
/* Name a lone surrogate or \u0000 bad_unicode_escape, not invalid_json. */
#define EVP_JSON_FINE	2

enum { EVP_JC_MORE = 0, EVP_JC_END = 1 };

void	evp_jcheck_init(struct evp_jcheck *c, size_t max_depth, unsigned flags);
void	evp_jcheck_release(struct evp_jcheck *c);

/* Forget the value being read, to start a new one. */
void	evp_jcheck_reset(struct evp_jcheck *c);

/*
 * Check s[0..n), the text following what was fed since the last reset.
 * Return EVP_JC_END when a value ended, *at the offset just past it (the
 * rest of s is not looked at); EVP_JC_MORE when all of s was read and no
 * value ended (white space only, or a value still open); or -1 with *v
 * set and *at the offset where the text stopped being JSON.  Tokens never
 * span pieces that end at line ends, since a string cannot hold a raw
 * line break; a piece ending elsewhere must end between tokens.
 */
int	evp_jcheck_feed(struct evp_jcheck *c, const char *s, size_t n,
	    size_t *at, struct evp_verdict *v);

/* The first byte of the value read, once one has started ('{', '[', ...). */
static inline char
evp_jcheck_top(const struct evp_jcheck *c)
{
	return c->top;
}

struct evp_jtok {
	uint8_t		 type;		/* enum evp_jtype */
	uint32_t	 start, end;	/* a string's text between its quotes;
					 * a container's from bracket to bracket */
	uint32_t	 size;		/* an object's keys, an array's elements */
	uint32_t	 next;		/* the token after it and all inside it */
};

/*
 * A checked value as tokens in document order: tok[0] is the value; an
 * object's tokens are key, value, key, value...
 */
struct evp_jdoc {
	const char		*s;
	size_t			 len;
	struct evp_jtok		*tok;
	size_t			 n;
};

/*
 * Check s[0..n) as exactly one value, white space around it allowed, and
 * make its tokens.  Return 0, or -1 with *v set.
 */
int	evp_json_parse(struct evp_jdoc *d, const char *s, size_t n,
	    size_t max_depth, unsigned flags, struct evp_arena *a,
	    struct evp_verdict *v);

/* The tokens of s[0..n), a value the checker accepted whole. */
void	evp_jdoc_tokens(struct evp_jdoc *d, const char *s, size_t n,
	    struct evp_arena *a);

/*
 * The first key repeated (compared decoded) in any object of the value
 * at token i, as a token index, or 0 if there is none.
 */
size_t	evp_jdoc_repeated(const struct evp_jdoc *d, size_t i,
	    struct evp_arena *a);

/* The value token of key in the object at token obj, or 0. */
size_t	evp_jdoc_member(const struct evp_jdoc *d, size_t obj, const char *key,
	    size_t len, struct evp_arena *a);

/* The value at a dotted path of keys from token i ("a.b.c"), or 0. */
size_t	evp_jdoc_path(const struct evp_jdoc *d, size_t i, const char *path,
	    size_t len, struct evp_arena *a);

/* The text of string token i, decoded (into the arena when it must be). */
struct evp_str evp_jdoc_str(const struct evp_jdoc *d, size_t i,
	    struct evp_arena *a);

/* The raw text of token i (a string's without its quotes). */
static inline struct evp_str
evp_jdoc_raw(const struct evp_jdoc *d, size_t i)
{
	return (struct evp_str){ d->s + d->tok[i].start,
	    d->tok[i].end - d->tok[i].start };
}

/*
 * Append the text of the value at token i to b with the white space
 * outside strings removed (keys, order, escapes and numbers unchanged).
 */
void	evp_jdoc_compact(const struct evp_jdoc *d, size_t i, struct evp_buf *b);

/* Is a number token an integer: no fraction, no exponent? */
int	evp_json_is_int(struct evp_str num);

/* The name of a type, for details ("object", "string", ...). */
const char *evp_json_type_name(enum evp_jtype t);

#endif
