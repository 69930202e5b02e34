/*
 * fuzz_jstream: the JSON stream reader (formats/jstream) over a whole
 * file, against a model of it written here.
 *
 * The input is the file (plain: gzip and refused magic bytes are left to
 * fuzz_input).  Its length picks the limits, so that they cost no input
 * bytes: --max-line (the default, or 1..96 bytes, for the lines and for a
 * value alike, as collect passes it), the nesting bound (the default 32,
 * or 1, 2, 3, 5, 100) and, one length in six, JSON lines (one line, one
 * value) instead of a stream.
 *
 * The model reads the lines as fuzzutil's line model says evp_input gives
 * them, joined by LF into one text, with a recursive-descent JSON reader
 * of its own (RFC 8259, valid UTF-8, no \u0000 nor lone surrogate, the
 * nesting bound), and applies SPEC section 10's stream rules: values
 * separated by white space, a top-level array giving its elements, a
 * record's line the line where it starts, and after a refusal (a syntax
 * error, a value over the limit, a line over the limit) reading resumes
 * at the first line after the one where it was found whose first
 * non-blank is '{' or '[', the lines skipped going into the refusal's raw.
 * Invariants:
 *  - the records are the model's, in order: the same lines, the same
 *    reasons, the same text (accepted) or raw (refused, cut at the limit
 *    and before its 100th line break, EVP_CSV_ROW_LINES);
 *    so every byte of the input is in exactly one record (but what a
 *    refusal skips past its 100th line, which its detail counts), or is
 *    white space or the brackets and commas of a top-level array;
 *  - an accepted record's text is one valid JSON value (evp_json_parse and
 *    the model's reader agree) of at most --max-line bytes, not blank
 *    around, and lies in the input on its line;
 *  - lines never go back; in a stream, the record after a refusal starts
 *    on a line whose first non-blank is '{' or '[' (or on a line over the
 *    limit, itself refused), or after one whose values gave no record;
 *  - after the end, the reader stays at the end;
 *  - memory is bounded by the limit: the reader's buffers never hold more
 *    than twice (limit + one line) bytes, its bracket stack the bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/input.h"
#include "formats/csvin.h"
#include "formats/json.h"
#include "formats/jstream.h"
#include "fuzzutil.h"

#define MAXIN		(64 * 1024)
#define DEFAULT_MAX	(1024 * 1024)
#define DEFAULT_DEPTH	32

static struct fuzz_file f_in;
static struct evp_arena arena;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	evp_arena_init(&arena);
	return 0;
}

/* A record, the reader's or the model's; its text is in the list's store. */
struct rec {
	uint64_t	 line;
	char		 reason[32];	/* "" when accepted */
	size_t		 off, len;
};

struct recs {
	struct rec	*v;
	size_t		 n, cap;
	struct evp_buf	 store;
};

static struct rec *
push(struct recs *l, uint64_t line, const char *reason, const char *p,
    size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	struct rec *r = &l->v[l->n++];
	r->line = line;
	snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "");
	r->off = l->store.len;
	r->len = len;
	evp_buf_add(&l->store, p, len);
	return r;
}

/* Append p[0..n) to the last record, no further than max bytes in all. */
static void
append(struct recs *l, const char *p, size_t n, size_t max)
{
	struct rec *r = &l->v[l->n - 1];

	if (r->len >= max)
		return;
	if (n > max - r->len)
		n = max - r->len;
	evp_buf_add(&l->store, p, n);
	r->len += n;
}

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int
ws(int c)
{
	return blank(c) || c == '\n';
}

/*
 * The model's JSON reader over t[0..n): one value at a time, stopping at
 * the first byte where the text stops being JSON (err, n when the text
 * ends first), the elements of a top-level array noted.
 */
struct ref {
	const char	*t;
	size_t		 n;
	size_t		 maxdepth;
	size_t		 err;
	int		 nest;		/* the error is a bracket too deep */
	size_t		*el;		/* top-level elements: start, end */
	size_t		 nel, capel;
};

static int
fail_at(struct ref *r, size_t at)
{
	r->err = at;
	return 0;
}

static long
hex4(const struct ref *r, size_t i)
{
	long u = 0;

	for (size_t k = 0; k < 4; k++) {
		if (i + k >= r->n)
			return -1;
		char c = r->t[i + k];
		int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (h < 0)
			return -1;
		u = u * 16 + h;
	}
	return u;
}

/* The string whose quote is at *i. */
static int
ref_string(struct ref *r, size_t *i)
{
	size_t open = *i, j = open + 1;

	for (;;) {
		if (j >= r->n)
			return fail_at(r, r->n);
		unsigned char c = (unsigned char)r->t[j];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail_at(r, j);
		if (c != '\\') {
			j++;
			continue;
		}
		if (j + 1 >= r->n)
			return fail_at(r, r->n);
		c = (unsigned char)r->t[j + 1];
		if (c != 'u') {
			if (c == 0 || strchr("\"\\/bfnrt", c) == NULL)
				return fail_at(r, j);
			j += 2;
			continue;
		}
		long u = hex4(r, j + 2);
		if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
			return fail_at(r, j);	/* \u0000 refused too */
		if (u >= 0xD800 && u <= 0xDBFF) {
			long lo = j + 7 < r->n && r->t[j + 6] == '\\' &&
			    r->t[j + 7] == 'u' ? hex4(r, j + 8) : -1;
			if (lo < 0xDC00 || lo > 0xDFFF)
				return fail_at(r, j);
			j += 6;
		}
		j += 6;
	}
	if (!fuzz_utf8_ok(r->t + open + 1, j - open - 1))
		return fail_at(r, j);
	*i = j + 1;
	return 1;
}

static int
digit(const struct ref *r, size_t i)
{
	return i < r->n && r->t[i] >= '0' && r->t[i] <= '9';
}

static int
ref_number(struct ref *r, size_t *i)
{
	size_t j = *i;

	if (j < r->n && r->t[j] == '-')
		j++;
	if (!digit(r, j))
		return fail_at(r, j);
	if (r->t[j++] != '0')
		while (digit(r, j))
			j++;
	if (j < r->n && r->t[j] == '.') {
		if (!digit(r, ++j))
			return fail_at(r, j);
		while (digit(r, j))
			j++;
	}
	if (j < r->n && (r->t[j] == 'e' || r->t[j] == 'E')) {
		j++;
		if (j < r->n && (r->t[j] == '+' || r->t[j] == '-'))
			j++;
		if (!digit(r, j))
			return fail_at(r, j);
		while (digit(r, j))
			j++;
	}
	*i = j;
	return 1;
}

static void
skip_ws(const struct ref *r, size_t *i)
{
	while (*i < r->n && ws((unsigned char)r->t[*i]))
		(*i)++;
}

static int
ref_value(struct ref *r, size_t *i, size_t depth)
{
	if (*i >= r->n)
		return fail_at(r, r->n);
	char c = r->t[*i];
	if (c == '"')
		return ref_string(r, i);
	if (c == 't' || c == 'f' || c == 'n') {
		const char *w = c == 't' ? "true" : c == 'f' ? "false" : "null";
		for (size_t k = 0; w[k]; k++)
			if (*i + k >= r->n || r->t[*i + k] != w[k])
				return fail_at(r, *i + k < r->n ? *i + k : r->n);
		*i += strlen(w);
		return 1;
	}
	if (c != '{' && c != '[')
		return ref_number(r, i);
	if (depth == r->maxdepth) {
		r->nest = 1;
		return fail_at(r, *i);
	}
	char close = c == '{' ? '}' : ']';
	(*i)++;
	skip_ws(r, i);
	if (*i < r->n && r->t[*i] == close) {
		(*i)++;
		return 1;
	}
	for (;;) {
		if (c == '{') {
			if (*i >= r->n || r->t[*i] != '"')
				return fail_at(r, *i < r->n ? *i : r->n);
			if (!ref_string(r, i))
				return 0;
			skip_ws(r, i);
			if (*i >= r->n || r->t[*i] != ':')
				return fail_at(r, *i < r->n ? *i : r->n);
			(*i)++;
			skip_ws(r, i);
		}
		size_t from = *i;
		if (!ref_value(r, i, depth + 1))
			return 0;
		if (depth == 0 && c == '[') {
			if (r->nel == r->capel) {
				r->capel = r->capel ? 2 * r->capel : 16;
				r->el = realloc(r->el, 2 * r->capel * sizeof(*r->el));
			}
			r->el[2 * r->nel] = from;
			r->el[2 * r->nel + 1] = *i;
			r->nel++;
		}
		skip_ws(r, i);
		if (*i >= r->n)
			return fail_at(r, r->n);
		if (r->t[*i] == close) {
			(*i)++;
			return 1;
		}
		if (r->t[*i] != ',')
			return fail_at(r, *i);
		(*i)++;
		skip_ws(r, i);
	}
}

/* The lines as one text, each ended by LF, and where each lies in it. */
struct text {
	struct evp_buf	 t;
	size_t		*ls, *le;	/* a line's start, and its LF */
	const struct fuzz_line *m;
	size_t		 nm;
};

/* The line of offset at: an LF belongs to the line it ends. */
static size_t
line_of(const struct text *x, size_t at)
{
	size_t lo = 0, hi = x->nm;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (x->ls[mid] <= at)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int
resume_line(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && blank(p[i]))
		i++;
	return i < n && (p[i] == '{' || p[i] == '[');
}

/*
 * After a refusal decided on a line before line k: the lines that do
 * not start a value go into its raw.  Return the line where reading
 * resumes.
 */
static size_t
skip(const struct text *x, size_t k, struct recs *out, size_t max)
{
	for (; k < x->nm; k++) {
		if (x->m[k].toolong || resume_line(x->m[k].p, x->m[k].len))
			break;
		append(out, "\n", 1, max);
		append(out, x->m[k].p, x->m[k].len, max);
	}
	return k;
}

static void
refused(struct recs *out, size_t k, const char *reason, const char *p,
    size_t len, size_t max)
{
	push(out, k + 1, reason, p, len < max ? len : max);
}

/* The records of a stream, as SPEC section 10 and jstream.h tell. */
static void
model_stream(const struct text *x, size_t max, size_t depth, struct recs *out)
{
	const char *t = x->t.p;
	size_t k = 0, off = 0;

	while (k < x->nm) {
		const struct fuzz_line *l = &x->m[k];
		if (off == 0 && l->toolong) {
			refused(out, k, "line_too_long", l->p, l->len, max);
			k = skip(x, k + 1, out, max);
			continue;
		}
		while (off < l->len && blank(l->p[off]))
			off++;
		if (off == l->len) {
			k++;
			off = 0;
			continue;
		}
		size_t start = x->ls[k] + off, e = start;
		struct ref r = { t, x->t.len, depth, 0, 0, NULL, 0, 0 };
		int ok = ref_value(&r, &e, 0);
		int eof = !ok && r.err == x->t.len;
		size_t kend = ok ? line_of(x, e) : eof ? x->nm - 1 :
		    line_of(x, r.err);
		const char *why = NULL;
		size_t kk;
		/* Line by line, as the reader meets them. */
		for (kk = k; ; kk++) {
			if (kk > k && x->m[kk].toolong) {
				why = "line_too_long";
				break;
			}
			if (kk == kend && !eof)
				break;
			if (x->le[kk] - start > max) {
				why = "record_too_long";
				break;
			}
			if (kk == kend) {
				why = "invalid_json";	/* the text ends inside */
				break;
			}
		}
		if (why == NULL && !ok)
			why = r.nest ? "nesting_too_deep" : "invalid_json";
		if (why == NULL && e - start > max) {
			why = "record_too_long";
			kk = kend;
		}
		if (why != NULL) {
			refused(out, k, why, t + start, x->le[kk] - start, max);
			k = skip(x, kk + 1, out, max);
			off = 0;
			free(r.el);
			continue;
		}
		if (t[start] == '[')
			for (size_t i = 0; i < r.nel; i++)
				push(out, line_of(x, r.el[2 * i]) + 1, NULL,
				    t + r.el[2 * i], r.el[2 * i + 1] - r.el[2 * i]);
		else
			push(out, k + 1, NULL, t + start, e - start);
		free(r.el);
		k = kend;
		off = e - x->ls[kend];
	}
}

/* The records of JSON lines: each line not blank, one value. */
static void
model_lines(const struct text *x, size_t depth, struct recs *out)
{
	for (size_t k = 0; k < x->nm; k++) {
		const struct fuzz_line *l = &x->m[k];
		size_t i = 0;
		if (l->toolong) {
			push(out, k + 1, "line_too_long", l->p, l->len);
			continue;
		}
		while (i < l->len && blank(l->p[i]))
			i++;
		if (i == l->len)
			continue;
		struct ref r = { l->p, l->len, depth, 0, 0, NULL, 0, 0 };
		int ok = ref_value(&r, &i, 0);
		while (ok && i < l->len && blank(l->p[i]))
			i++;
		push(out, k + 1, !ok && r.nest ? "nesting_too_deep" :
		    !ok || i < l->len ? "invalid_json" : NULL, l->p, l->len);
		free(r.el);
	}
}

static const char *
show(const struct recs *l, const struct rec *r)
{
	return fuzz_show(l->store.p + r->off, r->len);
}

/* Is the accepted record r one JSON value, on its line? */
static void
check_value(const struct text *x, const struct recs *got, const struct rec *r,
    size_t max, size_t depth, int lines)
{
	const char *p = got->store.p + r->off;
	struct evp_jdoc d;
	struct evp_verdict v;

	FUZZ_CHECK(r->len > 0 && r->len <= max, "line %llu: a value of %zu bytes "
	    "(limit %zu)", (unsigned long long)r->line, r->len, max);
	FUZZ_CHECK(lines || (!ws((unsigned char)p[0]) &&
	    !ws((unsigned char)p[r->len - 1])), "line %llu: value '%s' with "
	    "white space around", (unsigned long long)r->line, show(got, r));
	evp_arena_reset(&arena);
	FUZZ_CHECK(evp_json_parse(&d, p, r->len, depth, EVP_JSON_NO_NUL, &arena,
	    &v) == 0, "line %llu: value '%s' does not parse again: %s",
	    (unsigned long long)r->line, show(got, r), v.detail);
	struct ref rf = { p, r->len, depth, 0, 0, NULL, 0, 0 };
	size_t i = 0;
	skip_ws(&rf, &i);
	int ok = ref_value(&rf, &i, 0);
	skip_ws(&rf, &i);
	free(rf.el);
	FUZZ_CHECK(ok && i == r->len, "line %llu: value '%s' is not JSON",
	    (unsigned long long)r->line, show(got, r));
	/* It lies in the text, starting on its line. */
	const struct fuzz_line *l = &x->m[r->line - 1];
	size_t from = x->ls[r->line - 1];
	int found = 0;
	for (size_t o = 0; o < l->len && !found; o++)
		found = from + o + r->len <= x->t.len &&
		    memcmp(x->t.p + from + o, p, r->len) == 0;
	FUZZ_CHECK(found, "line %llu: value '%s' is not in the line",
	    (unsigned long long)r->line, show(got, r));
}

static void
read_all(const char *path, size_t max, size_t depth, int lines,
    const struct text *x, struct recs *got)
{
	struct evp_input in;
	struct evp_jstream j;
	struct evp_jrec r;
	size_t bound = 2 * (max + (max < DEFAULT_MAX ? max : DEFAULT_MAX) + 2) + 64;
	int rc;

	FUZZ_CHECK(evp_input_open(&in, path, max) == 0, "cannot open the input");
	evp_jstream_init(&j, &in, lines, max, depth == DEFAULT_DEPTH ? 0 : depth);
	while ((rc = evp_jstream_next(&j, &r)) == 1) {
		int bad = r.bad.reason != NULL;
		FUZZ_CHECK(bad ? r.text.p == NULL && r.raw.p != NULL :
		    r.text.p != NULL, "record at line %llu: text and raw wrong",
		    (unsigned long long)r.line);
		push(got, r.line, bad ? r.bad.reason : NULL,
		    bad ? r.raw.p : r.text.p, bad ? r.raw.len : r.text.len);
		FUZZ_CHECK(!bad || strlen(r.bad.reason) < 32, "reason too long");
		FUZZ_CHECK(j.rec.cap <= bound && j.praw.cap <= bound &&
		    j.arr.cap <= bound, "buffers of %zu, %zu, %zu bytes (limit "
		    "%zu)", j.rec.cap, j.praw.cap, j.arr.cap, max);
		FUZZ_CHECK(j.chk.cap <= (depth > 16 ? 2 * depth : 32),
		    "a bracket stack of %zu for a bound of %zu", j.chk.cap, depth);
		FUZZ_CHECK(got->n < 2 * x->t.len + 2, "more records than bytes");
	}
	FUZZ_CHECK(rc == 0, "next returned %d", rc);
	FUZZ_CHECK(evp_jstream_next(&j, &r) == 0, "a record after the end");
	evp_jstream_release(&j);
	evp_input_close(&in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t depths[] = { DEFAULT_DEPTH, 1, 2, 3, 5, 100 };
	size_t max = size % 3 == 0 ? 1 + (size / 3) % 96 : DEFAULT_MAX;
	size_t depth = depths[(size / 7) % 6];
	int lines = (size / 11) % 6 == 0;
	struct text x = { EVP_BUF_INIT, NULL, NULL, NULL, 0 };
	struct fuzz_line *m;
	struct recs got = { NULL, 0, 0, EVP_BUF_INIT };
	struct recs want = { NULL, 0, 0, EVP_BUF_INIT };

	if (size > MAXIN || fuzz_kind(data, size) != FUZZ_PLAIN)
		return -1;
	x.nm = fuzz_line_model((const char *)data, size, max, &m);
	x.m = m;
	x.ls = malloc((x.nm + 1) * sizeof(*x.ls));
	x.le = malloc((x.nm + 1) * sizeof(*x.le));
	for (size_t k = 0; k < x.nm; k++) {
		x.ls[k] = x.t.len;
		evp_buf_add(&x.t, m[k].p, m[k].len);
		x.le[k] = x.t.len;
		evp_buf_addc(&x.t, '\n');
	}
	if (x.t.p == NULL)
		evp_buf_grow(&x.t, 1);

	read_all(fuzz_file_put(&f_in, data, size), max, depth, lines, &x, &got);
	if (lines)
		model_lines(&x, depth, &want);
	else
		model_stream(&x, max, depth, &want);
	/* A refusal's raw holds at most a default CSV record's lines. */
	for (size_t i = 0; i < want.n; i++) {
		struct rec *w = &want.v[i];
		size_t nl = 0;
		for (size_t o = 0; w->reason[0] && o < w->len; o++)
			if (want.store.p[w->off + o] == '\n' &&
			    ++nl == EVP_CSV_ROW_LINES)
				w->len = o;
	}

	const char *mode = lines ? "lines" : "stream";
	for (size_t i = 0; i < got.n || i < want.n; i++) {
		const struct rec *g = i < got.n ? &got.v[i] : NULL;
		const struct rec *w = i < want.n ? &want.v[i] : NULL;
		FUZZ_CHECK(g != NULL, "%s: record %zu (line %llu, %s '%s') not "
		    "given", mode, i, (unsigned long long)w->line,
		    w->reason[0] ? w->reason : "value", show(&want, w));
		FUZZ_CHECK(w != NULL, "%s: record %zu (line %llu, %s '%s') given, "
		    "not in the input", mode, i, (unsigned long long)g->line,
		    g->reason[0] ? g->reason : "value", show(&got, g));
		FUZZ_CHECK(g->line == w->line && strcmp(g->reason, w->reason) == 0 &&
		    g->len == w->len && memcmp(got.store.p + g->off,
		    want.store.p + w->off, g->len) == 0,
		    "%s: record %zu is line %llu, %s '%s'; should be line %llu, "
		    "%s '%s'", mode, i, (unsigned long long)g->line,
		    g->reason[0] ? g->reason : "value", show(&got, g),
		    (unsigned long long)w->line, w->reason[0] ? w->reason : "value",
		    show(&want, w));
		FUZZ_CHECK(i == 0 || g->line >= got.v[i - 1].line, "%s: line %llu "
		    "after line %llu", mode, (unsigned long long)g->line,
		    (unsigned long long)got.v[i - 1].line);
		FUZZ_CHECK(g->line >= 1 && g->line <= x.nm, "%s: line %llu of %zu",
		    mode, (unsigned long long)g->line, x.nm);
		if (g->reason[0] == '\0')
			check_value(&x, &got, g, max, depth, lines);
		/*
		 * After a refusal, a stream resumes where a value starts: on
		 * the next record's line, or on one before it whose values
		 * gave no record ("[]").
		 */
		if (!lines && i > 0 && got.v[i - 1].reason[0] != '\0') {
			const struct fuzz_line *l = &m[g->line - 1];
			int resumed = 0;
			for (size_t k = got.v[i - 1].line; k < g->line && !resumed;
			    k++)
				resumed = m[k].toolong || resume_line(m[k].p,
				    m[k].len);
			FUZZ_CHECK(resumed, "stream: after a refusal, record %zu "
			    "starts on line %llu '%s'", i,
			    (unsigned long long)g->line, fuzz_show(l->p, l->len));
		}
	}
	free(got.v);
	free(want.v);
	evp_buf_release(&got.store);
	evp_buf_release(&want.store);
	evp_buf_release(&x.t);
	free(x.ls);
	free(x.le);
	free(m);
	return 0;
}
