#ifndef EVP_SCHEMA_COMPILED_H
#define EVP_SCHEMA_COMPILED_H

#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/arena.h"
#include "core/str.h"
#include "formats/json.h"
#include "types/decimal.h"
#include "schema/jsonschema.h"

/*
 * The compiled form of a schema, shared by the files of lib/schema and
 * nobody else.  Everything lives in the schema's arena except the PCRE2
 * codes, which evp_schema_free frees from the list kept here.
 */

/* type keyword bits */
enum {
	T_NULL = 1, T_BOOLEAN = 2, T_OBJECT = 4, T_ARRAY = 8, T_NUMBER = 16,
	T_STRING = 32, T_INTEGER = 64
};

enum kwtype {
	K_TYPE, K_ENUM, K_CONST, K_REQUIRED, K_PROPERTIES, K_PATTERNPROPS,
	K_ADDPROPS, K_PROPNAMES, K_DEPREQ, K_DEPSCHEMAS, K_MINPROPS, K_MAXPROPS,
	K_ITEMS, K_CONTAINS, K_MINITEMS, K_MAXITEMS, K_UNIQUE, K_MINLEN,
	K_MAXLEN, K_PATTERN, K_MIN, K_MAX, K_XMIN, K_XMAX, K_MULTIPLE, K_ALLOF,
	K_ANYOF, K_ONEOF, K_NOT, K_IF, K_REF, K_FORMAT
};

enum { F_DATETIME = 1, F_DATE, F_UUID, F_INT64 };

struct sch;

struct regex {
	pcre2_code	*code;
	const char	*src;		/* the pattern, for messages */
};

struct named {			/* a property name and its schema */
	struct evp_str	 name;
	struct sch	*sub;
	struct evp_str	*list;		/* dependentRequired's names */
	size_t		 nlist;
};

struct patsch {			/* a patternProperties entry */
	struct regex	 re;
	struct sch	*sub;
};

struct kw {
	enum kwtype	 type;
	union {
		unsigned		 types;	/* type */
		size_t			 tok;	/* enum, const: schema token */
		uint64_t		 count;	/* min/max Length/Items/... */
		struct evp_decimal	 num;	/* minimum ... multipleOf */
		struct regex		 re;	/* pattern */
		struct sch		*sub;	/* not, propertyNames, $ref */
		int			 format;
		struct {
			struct sch	**v;
			size_t		  n;
		} list;				/* allOf anyOf oneOf */
		struct {
			struct named	 *v;
			size_t		  n;
		} names;			/* required, dependent* */
	} u;
};

struct sch {
	int		 boolean;	/* -1: an object; 0: false; 1: true */
	size_t		 tok;		/* its token in the schema document */
	const char	*ptr;		/* its JSON pointer, for messages */
	const char	*reason;	/* x-reason, or NULL */
	struct kw	*kw;		/* in the order of the schema text */
	size_t		 nkw;
	/* What the applicators of one object share. */
	struct named	*props;
	size_t		 nprops;
	struct patsch	*pprops;
	size_t		 npprops;
	struct sch	*addprops;
	struct sch	**prefix;
	size_t		 nprefix;
	struct sch	*items;
	struct sch	*contains;
	uint64_t	 mincontains, maxcontains;
	struct sch	*then, *els;
	int		 mark;		/* cycle search at load */
};

struct evp_schema {
	struct evp_arena	 mem;
	struct evp_jdoc		 doc;	/* the schema document */
	char			*text;
	const char		*name;
	unsigned		 flags;
	struct sch		*root;
	struct sch		**bytok;	/* compiled node of each token */
	pcre2_match_context	*mctx;
	struct regex		**codes;	/* every regex, to free */
	size_t			 ncodes, capcodes;
};

/* Loading: a $ref waiting for the whole document to be compiled. */
struct pending {
	struct kw	*kw;
	const char	*ptr;		/* where the $ref is */
	struct evp_str	 ref;
};

struct loader {
	struct evp_schema	*s;
	char			*err;
	size_t			 errsize;
	struct pending		*refs;
	size_t			 nrefs, caprefs;
};

/*
 * Write "NAME: <what> at POINTER" into the loader's message; return -1.
 * The root's pointer is written "/".
 */
int	evp_schema_refuse(struct loader *L, const char *ptr, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/* ptr + "/" + key, escaped as RFC 6901 says, in the schema's arena. */
const char *evp_schema_child(struct evp_schema *s, const char *ptr,
	    struct evp_str key);

/* The string at token tok (unescaped, in the schema's arena); is it one? */
struct evp_str evp_schema_str(struct evp_schema *s, size_t tok);
int	evp_schema_is_str(const struct evp_schema *s, size_t tok);

/*
 * A keyword's value, read and checked for its shape (kwvalue.c); each
 * returns 0, or -1 after a refusal naming key at ptr.  A count is a
 * non-negative integer (big ones capped); a regex compiles; schemas is a
 * non-empty array of schemas, strings an array of names; named is an
 * object of schemas, or of name lists when lists; types a type name or an
 * array of distinct ones, as bits.
 */
int	evp_schema_kw_count(struct loader *L, size_t tok, const char *ptr,
	    const char *key, uint64_t *out);
int	evp_schema_kw_regex(struct loader *L, size_t tok, const char *ptr,
	    const char *key, struct regex *re);
int	evp_schema_kw_schemas(struct loader *L, size_t tok, const char *ptr,
	    const char *key, struct sch ***out, size_t *n);
int	evp_schema_kw_strings(struct loader *L, size_t tok, const char *ptr,
	    const char *key, struct evp_str **out, size_t *n);
int	evp_schema_kw_named(struct loader *L, size_t tok, const char *ptr,
	    const char *key, int lists, struct named **out, size_t *n);
int	evp_schema_kw_types(struct loader *L, size_t tok, const char *ptr,
	    unsigned *out);

/*
 * The node of the schema at token tok (ptr is its JSON pointer), compiled
 * once; NULL after a refusal.
 */
struct sch *evp_schema_compile(struct loader *L, size_t tok, const char *ptr);

/* The JSON values of two documents are equal (numbers by value). */
int	evp_schema_json_eq(const struct evp_jdoc *a, size_t i,
	    const struct evp_jdoc *b, size_t j, struct evp_arena *mem);

/* A number token as a decimal: 0, or -1 if it cannot be held exactly. */
int	evp_schema_number(const struct evp_jdoc *d, size_t i,
	    struct evp_decimal *x);

/* Is s one of the formats?  1 or 0. */
int	evp_schema_format_ok(int format, struct evp_str s);

/*
 * Does s match re?  1, 0, or -1 if the match gave up (its limits);
 * *md is the match data, made in mem on first use.
 */
int	evp_schema_match(const struct evp_schema *s, const struct regex *re,
	    struct evp_str str, pcre2_match_data **md, struct evp_arena *mem);

/* The node that $ref chains from n end at (n itself when none). */
const struct sch *evp_schema_deref(const struct sch *n);

#endif
