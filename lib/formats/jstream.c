#include <stdio.h>
#include <string.h>

#include "formats/csvin.h"
#include "formats/jstream.h"

#define DEPTH	32	/* nesting bound when none is given */

void
evp_jstream_init(struct evp_jstream *j, struct evp_input *in, int lines,
    size_t max, size_t max_depth)
{
	memset(j, 0, sizeof(*j));
	j->in = in;
	j->lines = lines;
	j->max = max ? max : 1024 * 1024;
	evp_jcheck_init(&j->chk, max_depth ? max_depth : DEPTH, EVP_JSON_NO_NUL);
	evp_arena_init(&j->mem);
}

void
evp_jstream_release(struct evp_jstream *j)
{
	evp_jcheck_release(&j->chk);
	evp_buf_release(&j->rec);
	evp_buf_release(&j->praw);
	evp_buf_release(&j->arr);
	evp_arena_release(&j->mem);
}

/* A line's blank characters: a line holds no line end. */
static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Append s[0..n) to the refused record's raw, no further than the limit's
 * bytes and the default CSV record's lines (the rejects must read back).
 */
static void
add_raw(struct evp_jstream *j, const char *s, size_t n)
{
	const char *nl = s;

	if (n > j->max - j->praw.len)
		n = j->max - j->praw.len;
	if (j->praw_cut || n == 0)
		return;
	while ((nl = memchr(nl, '\n', n - (size_t)(nl - s))) != NULL) {
		if (j->praw_nl == EVP_CSV_ROW_LINES - 1) {
			n = (size_t)(nl - s);
			j->praw_cut = 1;
			break;
		}
		j->praw_nl++;
		nl++;
	}
	evp_buf_add(&j->praw, s, n);
}

/*
 * Refuse what was read of the value being read (if any) with the text
 * s[0..n) after it: the refusal is given once reading can resume
 * (skipping set) or at once.
 */
static void
refuse(struct evp_jstream *j, const char *reason, const char *detail,
    const char *s, size_t n, int skip)
{
	evp_buf_reset(&j->praw);
	j->praw_nl = 0;
	j->praw_cut = 0;
	if (j->open) {
		add_raw(j, j->rec.p, j->rec.len);
		j->pend.line = j->rec_line;
	} else
		j->pend.line = j->l.no;
	add_raw(j, s, n);
	j->praw_last = j->l.no;
	evp_verdict_set(&j->pend.bad, reason, "%s", detail);
	j->open = 0;
	j->skipping = skip;
	evp_jcheck_reset(&j->chk);
}

/* The refusal made by refuse(), as the next record. */
static int
give_refusal(struct evp_jstream *j, struct evp_jrec *r)
{
	j->skipping = 0;
	*r = j->pend;
	uint64_t lines = j->praw_last - j->pend.line + 1;
	if (j->praw_nl + 1 < lines) {
		size_t dl = strlen(r->bad.detail);
		snprintf(r->bad.detail + dl, sizeof(r->bad.detail) - dl,
		    "; raw holds %zu of its %llu lines", j->praw_nl + 1,
		    (unsigned long long)lines);
	}
	r->text = (struct evp_str){ NULL, 0 };
	r->raw = (struct evp_str){ j->praw.p ? j->praw.p : "", j->praw.len };
	return 1;
}

/* The next element of the top-level array being handed out, as r. */
static void
element(struct evp_jstream *j, struct evp_jrec *r)
{
	const struct evp_jtok *t = &j->doc.tok[j->elem];
	uint32_t start = t->start, end = t->end;

	if (t->type == EVP_JSON_STRING) {	/* keep its quotes */
		start--;
		end++;
	}
	for (uint32_t i = j->elem_off; i < start; i++)
		j->elem_line += j->arr.p[i] == '\n';
	j->elem_off = start;
	memset(r, 0, sizeof(*r));
	r->text = (struct evp_str){ j->arr.p + start, end - start };
	r->line = j->elem_line;
	j->elem = t->next;
}

/* A value that ended: a record, or the elements of an array to give. */
static int
ended(struct evp_jstream *j, struct evp_jrec *r)
{
	j->open = 0;
	if (evp_jcheck_top(&j->chk) != '[') {
		memset(r, 0, sizeof(*r));
		r->text = (struct evp_str){ j->rec.p, j->rec.len };
		r->line = j->rec_line;
		return 1;
	}
	evp_buf_reset(&j->arr);
	evp_buf_add(&j->arr, j->rec.p, j->rec.len);
	evp_arena_reset(&j->mem);
	evp_jdoc_tokens(&j->doc, j->arr.p, j->arr.len, &j->mem);
	j->elem = 1;
	j->elems_end = j->doc.tok[0].next;
	j->elem_line = j->rec_line;
	j->elem_off = 0;
	return 0;
}

/* One physical line, one value. */
static int
one_line(struct evp_jstream *j, struct evp_jrec *r)
{
	const struct evp_line *l = &j->l;
	size_t at, i;
	struct evp_verdict v;

	j->have = 0;
	evp_jcheck_reset(&j->chk);
	int rc = evp_jcheck_feed(&j->chk, l->p, l->len, &at, &v);
	if (rc == EVP_JC_END)
		for (i = at; i < l->len; i++)
			if (!blank(l->p[i])) {
				rc = -1;
				evp_verdict_set(&v, "invalid_json",
				    "text after the value at offset %zu", i);
				break;
			}
	if (rc == EVP_JC_MORE)
		evp_verdict_set(&v, "invalid_json",
		    "line ends inside the value at offset %zu", l->len);
	memset(r, 0, sizeof(*r));
	r->line = l->no;
	if (rc != EVP_JC_END) {
		r->bad = v;
		r->raw = (struct evp_str){ l->p, l->len };
	} else
		r->text = (struct evp_str){ l->p, l->len };
	return 1;
}

/*
 * A line the input could not give whole or sound: refused, with the value
 * it is in.  In a stream, the lines after it up to one that can start a
 * value are skipped with it: they may be the rest of that value.  Return
 * 1 when r holds a record to give now.
 */
static int
damaged_line(struct evp_jstream *j, struct evp_jrec *r)
{
	const struct evp_line *l = &j->l;
	const char *reason = l->damaged ? "corrupt_member" :
	    l->truncated ? "truncated_line" : "line_too_long";
	const char *detail = l->damaged ? "in a gzip member whose check failed" :
	    l->truncated ? "the input ends inside this line" :
	    "line over the limit (raw holds its start)";

	if (j->skipping)
		return give_refusal(j, r);	/* the line is looked at again */
	j->have = 0;
	if (j->open)
		evp_buf_addc(&j->rec, '\n');
	refuse(j, reason, detail, l->p, l->len, 1);
	if (j->lines)
		return give_refusal(j, r);
	return 0;	/* the lines after it may be the rest of a value */
}

int
evp_jstream_next(struct evp_jstream *j, struct evp_jrec *r)
{
	struct evp_verdict v;
	size_t at;

	for (;;) {
		if (j->elem != 0) {
			if (j->elem < j->elems_end) {
				element(j, r);
				return 1;
			}
			j->elem = 0;
		}
		if (!j->have) {
			int rc = evp_input_line(j->in, &j->l);
			if (rc <= 0) {
				if (j->open)
					refuse(j, "invalid_json",
					    "the input ends inside the value", "", 0, 1);
				if (j->skipping)
					return give_refusal(j, r);
				return rc;
			}
			j->have = 1;
			j->pos = 0;
		}
		const struct evp_line *l = &j->l;
		const char *p = l->p;
		size_t len = l->len;

		if (l->damaged || l->truncated || l->toolong) {
			if (damaged_line(j, r))
				return 1;
			continue;
		}
		if (j->skipping) {
			size_t i = 0;
			while (i < len && blank(p[i]))
				i++;
			if (i < len && (p[i] == '{' || p[i] == '['))
				return give_refusal(j, r);	/* resume here */
			add_raw(j, "\n", 1);
			add_raw(j, p, len);
			j->praw_last = l->no;
			j->have = 0;
			continue;
		}
		if (j->lines) {
			size_t i = 0;
			while (i < len && blank(p[i]))
				i++;
			if (i == len) {
				j->have = 0;
				continue;
			}
			return one_line(j, r);
		}
		if (!j->open) {
			while (j->pos < len && blank(p[j->pos]))
				j->pos++;
			if (j->pos == len) {
				j->have = 0;
				continue;
			}
			j->open = 1;
			j->rec_line = l->no;
			evp_buf_reset(&j->rec);
			evp_jcheck_reset(&j->chk);
		} else if (j->pos == 0)
			evp_buf_addc(&j->rec, '\n');
		int rc = evp_jcheck_feed(&j->chk, p + j->pos, len - j->pos, &at, &v);
		if (rc == EVP_JC_END) {
			evp_buf_add(&j->rec, p + j->pos, at);
			j->pos += at;
			if (j->rec.len > j->max) {
				j->have = 0;
				refuse(j, "record_too_long",
				    "a value over the limit (raw holds its start)",
				    "", 0, 1);
				continue;
			}
			if (ended(j, r))
				return 1;
			continue;
		}
		if (rc == EVP_JC_MORE) {
			evp_buf_add(&j->rec, p + j->pos, len - j->pos);
			j->have = 0;
			if (j->rec.len > j->max)
				refuse(j, "record_too_long",
				    "a value over the limit (raw holds its start)",
				    "", 0, 1);
			continue;
		}
		/* The rest of the line where the error was found goes with it. */
		char detail[EVP_DETAIL_MAX];
		if (l->no != j->rec_line)
			snprintf(detail, sizeof(detail), "%.120s of line %llu",
			    v.detail, (unsigned long long)l->no);
		else
			snprintf(detail, sizeof(detail), "%s", v.detail);
		j->have = 0;
		refuse(j, v.reason, detail, p + j->pos, len - j->pos, 1);
	}
}
