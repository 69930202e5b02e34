#ifndef EVP_JSONSCHEMA_H
#define EVP_JSONSCHEMA_H

#include <stddef.h>

#include "core/arena.h"
#include "core/row.h"
#include "core/verdict.h"
#include "formats/json.h"

/*
 * JSON Schema (draft 2020-12) for per-record rules (SPEC section 10).  A
 * schema document is compiled once; checking a record then walks the
 * compiled keywords and allocates only from the caller's scratch arena.
 *
 * Supported: type enum const required properties patternProperties
 * additionalProperties propertyNames dependentRequired dependentSchemas
 * minProperties maxProperties items prefixItems contains minContains
 * maxContains minItems maxItems uniqueItems minLength maxLength pattern
 * (ECMA-262 through PCRE2) minimum maximum exclusiveMinimum
 * exclusiveMaximum multipleOf allOf anyOf oneOf not if then else $defs
 * $ref (JSON pointers into the same document), format date-time (a SPEC
 * section 2 instant), date and uuid, and int64 (a number written whole,
 * within signed 64 bits: 7.0 and 1e3 are not), boolean schemas; the
 * annotations $schema (2020-12 only), $comment title description default examples
 * deprecated readOnly writeOnly contentMediaType contentEncoding
 * contentSchema; x-reason (the reject reason, snake_case) and any other
 * x- key.  Anything else is refused at load, naming the keyword and its
 * place, never ignored.
 *
 * Numbers compare exactly (types/decimal).  JSON pointers in messages
 * are written as RFC 6901 says, the root as "/".
 *
 * The schema owns a copy of its text and everything compiled from it;
 * evp_schema_free releases all.  A loaded schema is only read by the
 * checks, so threads may share one, each with its own scratch arena.
 */

struct evp_schema;

/*
 * format only annotates instead of asserting, as draft 2020-12's default
 * vocabulary says (for the conformance suite's format.json).  evpipe
 * asserts the formats it knows.
 */
#define EVP_SCHEMA_FORMAT_ANNOTATE	1

/* How deeply a schema document may nest. */
#define EVP_SCHEMA_DEPTH	256

/*
 * Compile the schema text[0..len); name is how messages call it (a file
 * name).  Return the schema, or NULL with err (errsize bytes) holding one
 * line such as `schema.json: unsupported keyword "$id" at /properties/a`.
 */
struct evp_schema *evp_schema_load(const char *text, size_t len,
	    const char *name, unsigned flags, char *err, size_t errsize);

void	evp_schema_free(struct evp_schema *s);

/*
 * Check the value at token tok of d.  Return 0 if it is valid, or -1 with
 * *v set: the reason is the nearest x-reason on the way from the root to
 * the subschema whose keyword failed (schema_violation when there is
 * none), the detail the instance's JSON pointer and what failed
 * (`/data: missing required property "host"`).  Keywords of one schema
 * object are checked in the order of the schema text, so the first that
 * fails is the one reported; anyOf, oneOf and not report themselves,
 * allOf, $ref, if's then and else, and the applicators over properties
 * and items report the keyword that failed inside them.  scratch is the
 * caller's per-record arena.
 */
int	evp_schema_check(const struct evp_schema *s, const struct evp_jdoc *d,
	    size_t tok, struct evp_arena *scratch, struct evp_verdict *v);

/*
 * Check a CSV record as the JSON object of its own columns (not those
 * carried in by a join), SPEC section 10: an empty field is an absent
 * property; where the root's properties/<column> schema (after $ref)
 * names the type integer or number and the field is a JSON number, or
 * boolean and the field is true or false, or object or array and the
 * field is JSON text of that kind, the field is that value; otherwise it
 * is a string (so text that is not a number fails type integer).  The
 * record's JSON text is built in scratch.  Return as evp_schema_check.
 */
int	evp_schema_check_fields(const struct evp_schema *s,
	    const struct evp_header *h, const struct evp_rec *r,
	    struct evp_arena *scratch, struct evp_verdict *v);

#endif
