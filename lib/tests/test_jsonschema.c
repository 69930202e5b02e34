/*
 * Unit tests for lib/schema: what is refused at load and how, what a
 * failing record's reason and detail say, which failure is reported
 * first, and CSV records seen as JSON objects.  Conformance to the
 * draft itself is scripts/test-jsonschema's (the official suite).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/row.h"
#include "formats/json.h"
#include "schema/jsonschema.h"

static struct evp_arena scratch;

static struct evp_schema *
load(const char *text)
{
	char err[256];
	struct evp_schema *s = evp_schema_load(text, strlen(text),
	    "schema.json", 0, err, sizeof(err));

	if (s == NULL)
		fail_msg("refused %s: %s", text, err);
	return s;
}

/* The message of a refused schema. */
static const char *
refused(const char *text)
{
	static char err[256];
	struct evp_schema *s = evp_schema_load(text, strlen(text),
	    "schema.json", 0, err, sizeof(err));

	if (s != NULL) {
		evp_schema_free(s);
		fail_msg("accepted %s", text);
	}
	return err;
}

/* "ok", or "reason: detail" for the instance text. */
static const char *
check(const struct evp_schema *s, const char *inst)
{
	static char out[256];
	struct evp_jdoc d;
	struct evp_verdict v;

	evp_arena_reset(&scratch);
	/* An exact-size copy, so that reading past the text is seen. */
	char *copy = malloc(strlen(inst) + 1);
	memcpy(copy, inst, strlen(inst));
	if (evp_json_parse(&d, copy, strlen(inst), 100, 0, &scratch, &v) < 0)
		fail_msg("bad test instance %s", inst);
	if (evp_schema_check(s, &d, 0, &scratch, &v) == 0)
		snprintf(out, sizeof(out), "ok");
	else
		snprintf(out, sizeof(out), "%s: %s", v.reason, v.detail);
	free(copy);
	return out;
}

/* Load, check, free: one line per case. */
static const char *
once(const char *schema, const char *inst)
{
	struct evp_schema *s = load(schema);
	const char *r = check(s, inst);

	evp_schema_free(s);
	return r;
}

static void
test_refused(void **state)
{
	(void)state;
	assert_string_equal(refused("{\"properties\": {\"a\": {\"$id\": \"x\"}}}"),
	    "schema.json: unsupported keyword \"$id\" at /properties/a");
	assert_string_equal(refused("{\"$anchor\": \"x\"}"),
	    "schema.json: unsupported keyword \"$anchor\" at /");
	assert_string_equal(refused("{\"items\": {\"unevaluatedItems\": false}}"),
	    "schema.json: unsupported keyword \"unevaluatedItems\" at /items");
	assert_string_equal(refused("{\"$defs\": {\"a~b/c\": {\"bogus\": 1}}}"),
	    "schema.json: unsupported keyword \"bogus\" at /$defs/a~0b~1c");
	assert_string_equal(refused("{\"format\": \"email\"}"),
	    "schema.json: unsupported \"format\" \"email\" at /format");
	assert_string_equal(refused(
	    "{\"$schema\": \"http://json-schema.org/draft-07/schema#\"}"),
	    "schema.json: unsupported \"$schema\" (only "
	    "https://json-schema.org/draft/2020-12/schema) at /$schema");
	assert_string_equal(refused("{\"$ref\": \"other.json#/a\"}"),
	    "schema.json: unsupported \"$ref\" \"other.json#/a\" (only "
	    "#/json/pointer within the document) at /$ref");
	assert_string_equal(refused("{\"$ref\": \"#/$defs/none\"}"),
	    "schema.json: \"$ref\" \"#/$defs/none\" points at nothing at /$ref");
	assert_string_equal(refused("{\"$ref\": \"#anchor\"}"),
	    "schema.json: unsupported \"$ref\" \"#anchor\" (anchors are not "
	    "supported) at /$ref");
	assert_string_equal(refused(
	    "{\"$defs\": {\"a\": {\"allOf\": [{\"$ref\": \"#/$defs/a\"}]}},"
	    " \"$ref\": \"#/$defs/a\"}"),
	    "schema.json: \"$ref\" cycle that never reaches into the instance "
	    "at /$defs/a");
	assert_string_equal(refused("{\"pattern\": \"a(\"}"),
	    "schema.json: \"pattern\" is not a regular expression (missing "
	    "closing parenthesis at offset 2) at /pattern");
	assert_string_equal(refused("{\"x-reason\": \"Bad Reason\"}"),
	    "schema.json: \"x-reason\" must be a snake_case string at /x-reason");
	assert_string_equal(refused("{\"minLength\": -1}"),
	    "schema.json: \"minLength\" must be a non-negative integer at "
	    "/minLength");
	assert_string_equal(refused("{\"multipleOf\": 0}"),
	    "schema.json: \"multipleOf\" must be above 0 at /multipleOf");
	assert_string_equal(refused("{\"type\": \"int\"}"),
	    "schema.json: \"type\" must be a type name or an array of distinct "
	    "ones at /type");
	assert_string_equal(refused("{\"anyOf\": []}"),
	    "schema.json: \"anyOf\" must be a non-empty array of schemas at "
	    "/anyOf");
	assert_string_equal(refused("{\"not\": 5}"),
	    "schema.json: not a schema (an object or a boolean) at /not");
	assert_string_equal(refused("{\"a\": }"),
	    "schema.json: invalid_json: expected a value at offset 6");
	/* Annotations and x- keys load; $ref into an unknown place too. */
	evp_schema_free(load("{\"$schema\": \"https://json-schema.org/draft/"
	    "2020-12/schema\", \"title\": \"t\", \"description\": \"d\", "
	    "\"default\": {\"$id\": 1}, \"examples\": [1], \"deprecated\": true,"
	    " \"readOnly\": false, \"writeOnly\": false, \"$comment\": \"c\", "
	    "\"x-owner\": {\"anything\": [1]}, \"x-reason\": \"bad_event\"}"));
	evp_schema_free(load("true"));
	evp_schema_free(load("false"));
}

static void
test_details(void **state)
{
	const char *s = "{\"type\": \"object\", \"properties\": {"
	    "\"event_id\": {\"type\": \"integer\"},"
	    "\"country\": {\"enum\": [\"FR\", \"DE\"]},"
	    "\"data\": {\"type\": \"object\", \"required\": [\"host\"]},"
	    "\"a/b~\": {\"const\": 1},"
	    "\"list\": {\"items\": {\"maximum\": 2.5}}}}";

	(void)state;
	assert_string_equal(once(s, "{\"event_id\": 7, \"country\": \"FR\"}"), "ok");
	assert_string_equal(once(s, "{\"event_id\": \"7\"}"),
	    "schema_violation: /event_id: type integer expected, got string");
	assert_string_equal(once(s, "{\"event_id\": 7.5}"),
	    "schema_violation: /event_id: type integer expected, got number");
	assert_string_equal(once(s, "{\"event_id\": 7.0}"), "ok");
	assert_string_equal(once(s, "{\"event_id\": 1e2}"), "ok");
	assert_string_equal(once(s, "{\"country\": \"US\"}"),
	    "schema_violation: /country: not one of the enum values");
	assert_string_equal(once(s, "{\"data\": {}}"),
	    "schema_violation: /data: missing required property \"host\"");
	assert_string_equal(once(s, "{\"a/b~\": 2}"),
	    "schema_violation: /a~1b~0: not the const value");
	assert_string_equal(once(s, "{\"a/b~\": 1.000}"), "ok");
	assert_string_equal(once(s, "{\"list\": [1, 2.5, 2.50000000000000000001]}"),
	    "schema_violation: /list/2: greater than maximum 2.5");
	assert_string_equal(once(s, "[]"),
	    "schema_violation: /: type object expected, got array");
	assert_string_equal(once("{\"type\": [\"string\", \"null\"]}", "1"),
	    "schema_violation: /: type null or string expected, got integer");
	assert_string_equal(once("{\"additionalProperties\": false, "
	    "\"properties\": {\"a\": true}}", "{\"a\": 1, \"b\": 2}"),
	    "schema_violation: /b: additional property not allowed");
	assert_string_equal(once("{\"prefixItems\": [true], \"items\": false}",
	    "[1, 2]"), "schema_violation: /1: additional item not allowed");
	assert_string_equal(once("{\"minLength\": 2}", "\"\\u00e9\""),
	    "schema_violation: /: shorter than minLength 2");
	assert_string_equal(once("{\"maxLength\": 1}", "\"\\ud83d\\ude00\""), "ok");
	assert_string_equal(once("{\"uniqueItems\": true}", "[1, {\"a\": [1]}, "
	    "1.0]"), "schema_violation: /: items 0 and 2 are equal (uniqueItems)");
	assert_string_equal(once("{\"dependentRequired\": {\"a\": [\"b\"]}}",
	    "{\"a\": 1}"),
	    "schema_violation: /: property \"a\" requires property \"b\"");
	assert_string_equal(once("{\"contains\": {\"type\": \"string\"}, "
	    "\"minContains\": 2}", "[\"a\", 1]"),
	    "schema_violation: /: fewer than minContains 2 items match contains");
	assert_string_equal(once("{\"multipleOf\": 0.01}", "19.99"), "ok");
	assert_string_equal(once("{\"multipleOf\": 0.01}", "19.999"),
	    "schema_violation: /: not a multiple of 0.01");
	assert_string_equal(once("{\"exclusiveMinimum\": 0}", "0"),
	    "schema_violation: /: not greater than exclusiveMinimum 0");
	assert_string_equal(once("{\"minimum\": 0.1}", "0.09999999999999999999"),
	    "schema_violation: /: less than minimum 0.1");
	assert_string_equal(once("{\"oneOf\": [{\"minimum\": 0}, {\"maximum\": 5}]}",
	    "3"), "schema_violation: /: matches more than one of oneOf (0 and 1)");
	assert_string_equal(once("{\"not\": {\"type\": \"null\"}}", "null"),
	    "schema_violation: /: matches the not schema");
	assert_string_equal(once("false", "{}"),
	    "schema_violation: /: not allowed (false schema)");
	/* A bare scalar is an instance like any other. */
	assert_string_equal(once("{\"type\": \"boolean\"}", " true "), "ok");
	assert_string_equal(once("{\"const\": null}", "null"), "ok");
}

static void
test_reasons(void **state)
{
	struct evp_schema *s;

	(void)state;
	s = load("{\"x-reason\": \"bad_record\", \"properties\": {"
	    "\"id\": {\"x-reason\": \"bad_id\", \"type\": \"string\"},"
	    "\"n\": {\"type\": \"integer\"},"
	    "\"price\": {\"$ref\": \"#/$defs/money\"},"
	    "\"cost\": {\"x-reason\": \"bad_cost\", \"$ref\": \"#/$defs/money\"},"
	    "\"kind\": {\"x-reason\": \"bad_kind\", \"anyOf\": ["
	    "  {\"x-reason\": \"not_a\", \"const\": \"a\"},"
	    "  {\"x-reason\": \"not_b\", \"const\": \"b\"}]},"
	    "\"when\": {\"if\": {\"type\": \"string\"},"
	    "  \"then\": {\"x-reason\": \"bad_timestamp\", \"format\": \"date-time\"},"
	    "  \"else\": {\"x-reason\": \"bad_type\", \"type\": \"integer\"}}},"
	    "\"$defs\": {\"money\": {\"type\": \"number\", \"minimum\": 0}}}");
	assert_string_equal(check(s, "{\"id\": 1}"),
	    "bad_id: /id: type string expected, got integer");
	assert_string_equal(check(s, "{\"n\": \"x\"}"),
	    "bad_record: /n: type integer expected, got string");
	/* through $ref: the referrer's nearest x-reason */
	assert_string_equal(check(s, "{\"price\": -1}"),
	    "bad_record: /price: less than minimum 0");
	assert_string_equal(check(s, "{\"cost\": -1}"),
	    "bad_cost: /cost: less than minimum 0");
	/* anyOf reports itself, with its own nearest x-reason */
	assert_string_equal(check(s, "{\"kind\": \"c\"}"),
	    "bad_kind: /kind: matches none of anyOf");
	/* if/then/else report the keyword inside then or else */
	assert_string_equal(check(s, "{\"when\": \"10:00\"}"),
	    "bad_timestamp: /when: not a date-time (format)");
	assert_string_equal(check(s, "{\"when\": 1.5}"),
	    "bad_type: /when: type integer expected, got number");
	assert_string_equal(check(s, "{\"when\": \"2026-11-01T10:05:30+02:00\"}"),
	    "ok");
	assert_string_equal(check(s, "{\"when\": \"1793527874.25\"}"), "ok");
	evp_schema_free(s);
}

static void
test_order(void **state)
{
	(void)state;
	/* The first keyword in the text that fails is the one reported. */
	assert_string_equal(once("{\"required\": [\"a\"], \"type\": \"object\","
	    " \"maxProperties\": 0}", "{\"b\": 1}"),
	    "schema_violation: /: missing required property \"a\"");
	assert_string_equal(once("{\"maxProperties\": 0, \"required\": [\"a\"]}",
	    "{\"b\": 1}"),
	    "schema_violation: /: more than maxProperties 0 properties");
	assert_string_equal(once("{\"properties\": {\"b\": {\"type\": \"string\"},"
	    " \"a\": {\"type\": \"string\"}}}", "{\"a\": 1, \"b\": 2}"),
	    "schema_violation: /a: type string expected, got integer");
	assert_string_equal(once("{\"pattern\": \"^\\\\d+$\", \"maxLength\": 2}",
	    "\"123\""), "schema_violation: /: longer than maxLength 2");
	assert_string_equal(once("{\"maxLength\": 2, \"pattern\": \"^\\\\d+$\"}",
	    "\"a\""), "schema_violation: /: does not match pattern \"^\\d+$\"");
}

static void
test_formats_patterns(void **state)
{
	const char *dt = "{\"format\": \"date-time\"}";
	const char *d = "{\"format\": \"date\"}";
	const char *u = "{\"format\": \"uuid\"}";

	(void)state;
	assert_string_equal(once(dt, "\"2026-11-01T10:05:30Z\""), "ok");
	assert_string_equal(once(dt, "\"2026-11-01 10:05:30.123456\""), "ok");
	assert_string_equal(once(dt, "\"1793527874\""), "ok");
	assert_string_equal(once(dt, "\"10:05\""),
	    "schema_violation: /: not a date-time (format)");
	assert_string_equal(once(dt, "\"2026-02-30T10:00Z\""),
	    "schema_violation: /: not a date-time (format)");
	assert_string_equal(once(dt, "1793527874"), "ok");	/* not a string */
	assert_string_equal(once(d, "\"2024-02-29\""), "ok");
	assert_string_equal(once(d, "\"2023-02-29\""),
	    "schema_violation: /: not a date (format)");
	assert_string_equal(once(d, "\"2023-1-09\""),
	    "schema_violation: /: not a date (format)");
	assert_string_equal(once(u, "\"2EB8AA08-AA98-11EA-B4AA-73B441D16380\""),
	    "ok");
	assert_string_equal(once(u, "\"2eb8aa08-aa98-11ea-b4aa-73b441d1638\""),
	    "schema_violation: /: not a uuid (format)");
	/* int64: a number written whole, within 64 bits; 7.0 is not */
	const char *i64 = "{\"format\": \"int64\"}";
	const char *no64 = "schema_violation: /: not an int64 (format): no "
	    "fraction, no exponent, within 64 bits";
	assert_string_equal(once(i64, "7"), "ok");
	assert_string_equal(once(i64, "-0"), "ok");
	assert_string_equal(once(i64, "9223372036854775807"), "ok");
	assert_string_equal(once(i64, "-9223372036854775808"), "ok");
	assert_string_equal(once(i64, "9223372036854775808"), no64);
	assert_string_equal(once(i64, "7.0"), no64);
	assert_string_equal(once(i64, "1e3"), no64);
	assert_string_equal(once(i64, "\"7\""), "ok");	/* not a number */
	assert_string_equal(once("{\"type\": \"integer\", \"format\": "
	    "\"int64\"}", "7.0"), no64);
	/* ECMA-262 as PCRE2 reads it: \d, lazy, classes, UTF-8, \u escapes */
	assert_string_equal(once("{\"pattern\": \"^\\\\d{3}-\\\\w+?$\"}",
	    "\"123-ab_c\""), "ok");
	assert_string_equal(once("{\"pattern\": \"^\\\\d+$\"}", "\"\\u0661\""),
	    "schema_violation: /: does not match pattern \"^\\d+$\"");
	assert_string_equal(once("{\"pattern\": \"^.$\"}", "\"\\u00e9\""), "ok");
	assert_string_equal(once("{\"pattern\": \"^\\\\u00e9$\"}", "\"\\u00e9\""),
	    "ok");
	assert_string_equal(once("{\"pattern\": \"^a$\"}", "\"a\\n\""),
	    "schema_violation: /: does not match pattern \"^a$\"");
	assert_string_equal(once("{\"pattern\": \"b\"}", "\"abc\""), "ok");
	/* a pattern that backtracks for ever gives up, as a failure */
	assert_string_equal(once("{\"pattern\": \"^(a+)+$\"}",
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\""),
	    "schema_violation: /: pattern \"^(a+)+$\" too costly to match");
	assert_string_equal(once("{\"patternProperties\": {\"^x-\": "
	    "{\"type\": \"string\"}}, \"additionalProperties\": false}",
	    "{\"x-a\": \"s\", \"y\": 1}"),
	    "schema_violation: /y: additional property not allowed");
}

/* A CSV record from names and fields. */
static const char *
fields(const struct evp_schema *s, const char *const *names,
    const char *const *vals, size_t n, size_t carried)
{
	static char out[256];
	struct evp_str hn[16], f[16];
	struct evp_header h;
	struct evp_rec r;
	struct evp_verdict v;

	memset(&h, 0, sizeof(h));
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < n; i++) {
		hn[i] = (struct evp_str){ names[i], strlen(names[i]) };
		f[i] = (struct evp_str){ vals[i], strlen(vals[i]) };
	}
	h.n = n;
	h.name = hn;
	h.carried = carried;
	r.n = n;
	r.f = f;
	evp_arena_reset(&scratch);
	if (evp_schema_check_fields(s, &h, &r, &scratch, &v) == 0)
		return "ok";
	snprintf(out, sizeof(out), "%s: %s", v.reason, v.detail);
	return out;
}

static void
test_fields(void **state)
{
	static const char *const names[] = {
		"id", "n", "price", "ok", "meta", "tags", "note", "j_extra"
	};
	struct evp_schema *s;

	(void)state;
	s = load("{\"type\": \"object\", \"required\": [\"id\"],"
	    "\"additionalProperties\": false, \"properties\": {"
	    "\"id\": {\"type\": \"string\", \"minLength\": 1},"
	    "\"n\": {\"$ref\": \"#/$defs/count\"},"
	    "\"price\": {\"type\": [\"number\", \"null\"], \"minimum\": 0},"
	    "\"ok\": {\"type\": \"boolean\"},"
	    "\"meta\": {\"type\": \"object\", \"required\": [\"k\"]},"
	    "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
	    "\"note\": {\"maxLength\": 5}},"
	    "\"$defs\": {\"count\": {\"x-reason\": \"bad_count\", "
	    "\"type\": \"integer\", \"maximum\": 100}}}");
	{
		const char *const v[] = { "e1", "7", "0.10", "true",
		    "{\"k\": 1}", "[\"a\"]", "a \"q\"", "x" };
		assert_string_equal(fields(s, names, v, 8, 1), "ok");
		/* the carried column counts once it is the record's own */
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /j_extra: additional property not allowed");
	}
	{
		const char *const v[] = { "", "7", "", "", "", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /: missing required property \"id\"");
	}
	{
		const char *const v[] = { "e1", "7x", "", "", "", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "bad_count: /n: type integer expected, got string");
	}
	{
		const char *const v[] = { "e1", "-01", "", "", "", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "bad_count: /n: type integer expected, got string");
		const char *const w[] = { "e1", "1e2", "", "", "", "", "", "" };
		assert_string_equal(fields(s, names, w, 8, 0), "ok");
		/* too long to hold exactly, but an integer all the same */
		const char *const x[] = { "e1",
		    "-1234567890123456789012345678901234567890", "", "", "", "",
		    "", "" };
		assert_string_equal(fields(s, names, x, 8, 0),
		    "bad_count: /n: number too long to compare exactly with 100");
	}
	{
		const char *const v[] = { "e1", "101", "", "", "", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "bad_count: /n: greater than maximum 100");
	}
	{
		const char *const v[] = { "e1", "7.0", "-0.01", "", "", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /price: less than minimum 0");
	}
	{
		const char *const v[] = { "e1", "", "", "yes", "", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /ok: type boolean expected, got string");
	}
	{
		const char *const v[] = { "e1", "", "", "", "{\"j\": 1}", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /meta: missing required property \"k\"");
	}
	{
		const char *const v[] = { "e1", "", "", "", "{bad", "", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /meta: type object expected, got string");
	}
	{
		const char *const v[] = { "e1", "", "", "", "", "[1]", "", "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /tags/0: type string expected, got integer");
	}
	{
		/* text, control bytes and quotes included, stays a string */
		const char *const v[] = { "e\x01\"\\", "", "", "", "", "", "123456",
		    "" };
		assert_string_equal(fields(s, names, v, 8, 0),
		    "schema_violation: /note: longer than maxLength 5");
		const char *const w[] = { "e\x01\"\\", "", "", "", "", "", "12345",
		    "" };
		assert_string_equal(fields(s, names, w, 8, 0), "ok");
	}
	evp_schema_free(s);

	/*
	 * A column's type may be given under allOf, $ref or if/then: its
	 * text is converted wherever the record object itself is checked.
	 */
	s = load("{\"allOf\": [{\"$ref\": \"#/$defs/n\"}, {\"if\": "
	    "{\"properties\": {\"id\": {\"const\": \"e1\"}}}, \"then\": "
	    "{\"properties\": {\"meta\": {\"type\": \"object\", "
	    "\"required\": [\"k\"]}}}}], \"$defs\": {\"n\": {\"properties\": "
	    "{\"n\": {\"anyOf\": [{\"type\": \"integer\"}]}}}}}");
	{
		const char *const v[] = { "e1", "7", "", "", "{\"k\": 1}", "", "",
		    "" };
		assert_string_equal(fields(s, names, v, 8, 0), "ok");
		const char *const w[] = { "e1", "7", "", "", "{\"j\": 1}", "", "",
		    "" };
		assert_string_equal(fields(s, names, w, 8, 0),
		    "schema_violation: /meta: missing required property \"k\"");
		const char *const x[] = { "e1", "x7", "", "", "", "", "", "" };
		assert_string_equal(fields(s, names, x, 8, 0), "schema_violation: "
		    "/n: matches none of anyOf");
	}
	evp_schema_free(s);
}

static int
setup(void **state)
{
	(void)state;
	evp_arena_init(&scratch);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	evp_arena_release(&scratch);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_formats_patterns),
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
