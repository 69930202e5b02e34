/*
 * fuzz_jsonl: evp_jsonl_parse, one JSON line.
 *
 * The input is the line; its length picks the nesting bound (the
 * default, or 1, 2, 3, 70, 1000, so that both the stack and the arena
 * bracket stacks run).  Invariants:
 *  - it returns 0 or -1; on -1 the reason is one of jsonl.h's, a NUL
 *    byte anywhere is nul_byte, and the detail a C string;
 *  - it agrees with an independent recursive-descent reader of RFC 8259
 *    written here with the rules of jsonl.h (nesting bound, valid UTF-8,
 *    no \u0000 or lone surrogate, no repeated top-level key, a column's
 *    value a string without control characters once unescaped, a number
 *    or null, at least one column): accepted or refused alike, and when
 *    accepted the same values (strings unescaped, numbers as written);
 *  - an accepted line holds no byte below 0x20 but JSON whitespace, and
 *    its values are valid UTF-8 without control bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "fuzzutil.h"
#include "formats/jsonl.h"

static const char *const reasons[] = {
	"nul_byte", "nesting_too_deep", "invalid_utf8", "invalid_json",
	"bad_unicode_escape", "repeated_key", "bad_json_type", "control_char",
	"no_event_fields", NULL
};

static struct evp_arena arena;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	evp_arena_init(&arena);
	return 0;
}

/* The reference reader's state: it stops at the first syntax error. */
struct jp {
	const char	*s;
	size_t		 n, i;
	size_t		 depth, maxseen;
	int		 badesc;	/* \u0000 or a lone surrogate seen */
};

enum jtype { J_STRING, J_NUMBER, J_NULL, J_BOOL, J_OBJECT, J_ARRAY };

static void
ws(struct jp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
	    p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static long
hex4(struct jp *p)
{
	long u = 0;

	if (p->n - p->i < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		char c = p->s[p->i + k];
		int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (h < 0)
			return -1;
		u = u * 16 + h;
	}
	p->i += 4;
	return u;
}

static void
put_cp(struct evp_buf *b, unsigned long u)
{
	if (u < 0x80)
		evp_buf_addc(b, (int)u);
	else if (u < 0x800) {
		evp_buf_addc(b, (int)(0xC0 | u >> 6));
		evp_buf_addc(b, (int)(0x80 | (u & 0x3F)));
	} else if (u < 0x10000) {
		evp_buf_addc(b, (int)(0xE0 | u >> 12));
		evp_buf_addc(b, (int)(0x80 | (u >> 6 & 0x3F)));
		evp_buf_addc(b, (int)(0x80 | (u & 0x3F)));
	} else {
		evp_buf_addc(b, (int)(0xF0 | u >> 18));
		evp_buf_addc(b, (int)(0x80 | (u >> 12 & 0x3F)));
		evp_buf_addc(b, (int)(0x80 | (u >> 6 & 0x3F)));
		evp_buf_addc(b, (int)(0x80 | (u & 0x3F)));
	}
}

/* A string at p->i (its quote); its text unescaped into out. */
static int
string(struct jp *p, struct evp_buf *out)
{
	evp_buf_reset(out);
	if (p->i >= p->n || p->s[p->i] != '"')
		return 0;
	for (p->i++; p->i < p->n; ) {
		unsigned char c = (unsigned char)p->s[p->i++];
		if (c == '"')
			return 1;
		if (c < 0x20)
			return 0;
		if (c != '\\') {
			evp_buf_addc(out, c);
			continue;
		}
		if (p->i == p->n)
			return 0;
		c = (unsigned char)p->s[p->i++];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *e = c ? strchr(from, c) : NULL;
		if (e != NULL) {
			evp_buf_addc(out, to[e - from]);
			continue;
		}
		if (c != 'u')
			return 0;
		long u = hex4(p);
		if (u < 0)
			return 0;
		if (u == 0 || (u >= 0xDC00 && u <= 0xDFFF))
			p->badesc = 1;
		else if (u >= 0xD800 && u <= 0xDBFF) {
			size_t save = p->i;
			long lo = -1;
			if (p->n - p->i >= 2 && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
				p->i += 2;
				lo = hex4(p);
			}
			if (lo >= 0xDC00 && lo <= 0xDFFF)
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			else {
				p->badesc = 1;
				p->i = save;	/* read what follows on its own */
			}
		}
		put_cp(out, (unsigned long)u);
	}
	return 0;
}

static int
digits(struct jp *p)
{
	size_t b = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > b;
}

static int
number(struct jp *p)
{
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (p->i < p->n && p->s[p->i] >= '1' && p->s[p->i] <= '9')
		digits(p);
	else
		return 0;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (!digits(p))
			return 0;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!digits(p))
			return 0;
	}
	return 1;
}

static int
word(struct jp *p, const char *w)
{
	size_t len = strlen(w);

	if (p->n - p->i < len || memcmp(p->s + p->i, w, len) != 0)
		return 0;
	p->i += len;
	return 1;
}

static int value(struct jp *p, enum jtype *t, struct evp_buf *sbuf);

/* An object or array at p->i; the top object's members go to the caller. */
static int
container(struct jp *p, char open)
{
	struct evp_buf key = EVP_BUF_INIT, sbuf = EVP_BUF_INIT;
	enum jtype t;
	int ok = 0;

	p->i++;
	if (++p->depth > p->maxseen)
		p->maxseen = p->depth;
	ws(p);
	if (p->i < p->n && p->s[p->i] == (open == '{' ? '}' : ']')) {
		p->i++;
		ok = 1;
		goto done;
	}
	for (;;) {
		ws(p);
		if (open == '{') {
			if (!string(p, &key))
				goto done;
			ws(p);
			if (p->i >= p->n || p->s[p->i] != ':')
				goto done;
			p->i++;
			ws(p);
		}
		if (!value(p, &t, &sbuf))
			goto done;
		ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == (open == '{' ? '}' : ']')) {
			p->i++;
			ok = 1;
		}
		goto done;
	}
done:
	p->depth--;
	evp_buf_release(&key);
	evp_buf_release(&sbuf);
	return ok;
}

static int
value(struct jp *p, enum jtype *t, struct evp_buf *sbuf)
{
	if (p->i >= p->n)
		return 0;
	switch (p->s[p->i]) {
	case '{':
		*t = J_OBJECT;
		return container(p, '{');
	case '[':
		*t = J_ARRAY;
		return container(p, '[');
	case '"':
		*t = J_STRING;
		return string(p, sbuf);
	case 't':
		*t = J_BOOL;
		return word(p, "true");
	case 'f':
		*t = J_BOOL;
		return word(p, "false");
	case 'n':
		*t = J_NULL;
		return word(p, "null");
	default:
		*t = J_NUMBER;
		return number(p);
	}
}

struct refval {
	struct evp_buf	 b;
	int		 seen;
};

/* The reference: 1 and vals filled if the line is accepted, else 0. */
static int
ref_parse(const char *s, size_t n, size_t maxdepth, struct refval *vals)
{
	struct jp p = { s, n, 0, 1, 1, 0 };
	struct evp_buf *keys = NULL, sbuf = EVP_BUF_INIT;
	size_t nkeys = 0, cap = 0;
	int ok = 0, found = 0, refused = 0;

	if (memchr(s, '\0', n) != NULL || !fuzz_utf8_ok(s, n))
		return 0;
	ws(&p);
	if (p.i >= n || s[p.i] != '{')
		return 0;
	p.i++;
	ws(&p);
	if (p.i < n && s[p.i] == '}') {
		p.i++;
		goto end;
	}
	for (;;) {
		enum jtype t;
		if (nkeys == cap) {
			cap = cap ? 2 * cap : 8;
			keys = realloc(keys, cap * sizeof(*keys));
		}
		evp_buf_init(&keys[nkeys]);
		ws(&p);
		if (!string(&p, &keys[nkeys++]))
			goto out;
		ws(&p);
		if (p.i >= n || s[p.i] != ':')
			goto out;
		p.i++;
		ws(&p);
		size_t vstart = p.i;
		if (!value(&p, &t, &sbuf))
			goto out;
		struct evp_buf *k = &keys[nkeys - 1];
		for (size_t c = 0; c < FUZZ_NCOL; c++) {
			if (!evp_str_eq(fuzz_cols.name[c], k->p ? k->p : "", k->len))
				continue;
			found = 1;
			vals[c].seen = 1;
			if (t == J_STRING) {
				if (fuzz_has_ctl(sbuf.p, sbuf.len))
					refused = 1;
				evp_buf_add(&vals[c].b, sbuf.p ? sbuf.p : "", sbuf.len);
			} else if (t == J_NUMBER)
				evp_buf_add(&vals[c].b, s + vstart, p.i - vstart);
			else if (t != J_NULL)
				refused = 1;
		}
		ws(&p);
		if (p.i < n && s[p.i] == ',') {
			p.i++;
			continue;
		}
		if (p.i < n && s[p.i] == '}') {
			p.i++;
			break;
		}
		goto out;
	}
end:
	ws(&p);
	if (p.i != n || p.badesc || p.maxseen > maxdepth || refused || !found)
		goto out;
	ok = 1;
	for (size_t a = 0; a < nkeys && ok; a++)
		for (size_t b = 0; b < a && ok; b++)
			if (keys[a].len == keys[b].len && (keys[a].len == 0 ||
			    memcmp(keys[a].p, keys[b].p, keys[a].len) == 0))
				ok = 0;
out:
	for (size_t k = 0; k < nkeys; k++)
		evp_buf_release(&keys[k]);
	free(keys);
	evp_buf_release(&sbuf);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t depths[] = { 0, 1, 2, 3, 0, 70, 1000 };
	const char *s = (const char *)data;
	size_t maxdepth = depths[size % (sizeof(depths) / sizeof(depths[0]))];
	struct evp_jsonl_opts o = { &fuzz_cols, maxdepth, "no_event_fields" };
	struct evp_str vals[FUZZ_NCOL];
	struct evp_verdict v = { NULL, "" };
	struct refval ref[FUZZ_NCOL];

	if (size > 16384)
		return -1;	/* the reference recurses */
	memset(ref, 0, sizeof(ref));
	evp_arena_reset(&arena);
	int rc = evp_jsonl_parse(&o, s, size, &arena, vals, &v);
	int want = ref_parse(s, size, maxdepth ? maxdepth : EVP_JSONL_DEPTH, ref);

	FUZZ_CHECK(rc == 0 || rc == -1, "returned %d", rc);
	FUZZ_CHECK((rc == 0) == want, "'%s' (depth %zu): parse %s (%s: %s), "
	    "the reference %s", fuzz_show(s, size), maxdepth,
	    rc == 0 ? "accepts" : "refuses", rc == 0 ? "-" : v.reason,
	    rc == 0 ? "-" : v.detail, want ? "accepts" : "refuses");
	if (rc < 0) {
		FUZZ_CHECK(fuzz_in_set(v.reason, reasons), "undocumented reason %s",
		    v.reason ? v.reason : "(none)");
		FUZZ_CHECK(memchr(s, '\0', size) == NULL ||
		    strcmp(v.reason, "nul_byte") == 0, "NUL byte refused as %s",
		    v.reason);
		FUZZ_CHECK(memchr(v.detail, '\0', EVP_DETAIL_MAX) != NULL,
		    "detail not terminated");
	} else {
		for (size_t i = 0; i < size; i++)
			FUZZ_CHECK(data[i] >= 0x20 || data[i] == ' ' || data[i] == '\t' ||
			    data[i] == '\n' || data[i] == '\r',
			    "accepted with raw byte 0x%02x at %zu", data[i], i);
		for (size_t c = 0; c < FUZZ_NCOL; c++) {
			struct evp_buf *r = &ref[c].b;
			FUZZ_CHECK(vals[c].p != NULL, "column %zu has a NULL value", c);
			FUZZ_CHECK(vals[c].len == r->len && (r->len == 0 ||
			    memcmp(vals[c].p, r->p, r->len) == 0),
			    "'%s': %s is '%s', want '%s'", fuzz_show(s, size),
			    fuzz_cols.name[c].p, fuzz_show(vals[c].p, vals[c].len),
			    fuzz_show(r->p, r->len));
			FUZZ_CHECK(fuzz_utf8_ok(vals[c].p, vals[c].len) &&
			    !fuzz_has_ctl(vals[c].p, vals[c].len),
			    "%s: not clean text", fuzz_cols.name[c].p);
		}
	}
	for (size_t c = 0; c < FUZZ_NCOL; c++)
		evp_buf_release(&ref[c].b);
	return 0;
}
