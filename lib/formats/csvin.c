#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csvin.h"
#include "formats/sniff.h"
#include "core/diag.h"
#include "core/xalloc.h"

/* libcsv's buffer may not grow past this (one cap per process is enough). */
static size_t field_cap;

static void *
capped_realloc(void *p, size_t n)
{
	if (n > field_cap)
		return NULL;
	return realloc(p, n);
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
parser_init(struct evp_csvin *r)
{
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		evp_oom();
	csv_set_space_func(&r->p, no_space);
	csv_set_delim(&r->p, (unsigned char)r->o.delim);
	csv_set_realloc_func(&r->p, capped_realloc);
	csv_set_blk_size(&r->p, 64 * 1024);
}

static void
parser_reset(struct evp_csvin *r)
{
	csv_free(&r->p);
	parser_init(r);
}

static void
on_field(void *p, size_t len, void *data)
{
	struct evp_csvin *r = data;

	if (len > r->o.maxfield && r->fault == NULL)
		r->fault = "field_too_long";
	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 16;
		r->foff = xrealloc(r->foff, r->fcap * 2 * sizeof(*r->foff));
	}
	r->foff[2 * r->nf] = r->fbytes.len;
	r->foff[2 * r->nf + 1] = len;
	r->nf++;
	evp_buf_add(&r->fbytes, p ? p : "", p ? len : 0);
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct evp_csvin *)data)->row_done = 1;
}

static void
record_reset(struct evp_csvin *r)
{
	evp_buf_reset(&r->raw);
	evp_buf_reset(&r->fbytes);
	r->nlines = 0;
	r->nf = 0;
	r->row_done = 0;
	r->parity = 0;
	r->fault = NULL;
}

/* Next physical line, appended to the record's raw text.  1, 0 at end, -1. */
static int
next_phys(struct evp_csvin *r, struct evp_rawline *rl)
{
	struct evp_line l;
	const char *p;

	if (r->plpos < r->npl) {
		*rl = r->plines[r->plpos++];
		p = r->pend.p + rl->off;
	} else {
		int rc = evp_input_line(r->in, &l);
		if (rc <= 0)
			return rc;
		p = l.p;
		*rl = (struct evp_rawline){ 0, l.len, l.no, l.crlf, l.toolong,
		    l.damaged, l.truncated };
	}
	if (r->nlines > 0)
		evp_buf_add(&r->raw, r->lines[r->nlines - 1].crlf ? "\r\n" : "\n",
		    r->lines[r->nlines - 1].crlf ? 2 : 1);
	rl->off = r->raw.len;
	evp_buf_add(&r->raw, p, rl->len);
	if (r->nlines == r->linescap) {
		r->linescap = r->linescap ? r->linescap * 2 : 8;
		r->lines = xrealloc(r->lines, r->linescap * sizeof(*r->lines));
	}
	r->lines[r->nlines++] = *rl;
	return 1;
}

/*
 * Refuse the record.  A record of several lines gives up only its first
 * line: the others go back in front of the lines still to read.
 */
static void
refuse(struct evp_csvin *r, struct evp_csvrow *row, const char *reason,
    const char *detail)
{
	parser_reset(r);
	row->n = 0;
	row->f = NULL;
	row->line = r->lines[0].no;
	row->raw = (struct evp_str){ r->raw.p, r->lines[0].len };
	evp_verdict_set(&row->bad, reason, "%s", detail);
	if (strcmp(reason, "field_too_long") == 0) {
		/* A well-formed record, only too big: refused whole. */
		row->raw.len = r->raw.len;
		return;
	}
	if (r->nlines == 1)
		return;

	struct evp_buf nb = EVP_BUF_INIT;
	size_t n = r->nlines - 1 + (r->npl - r->plpos), k = 0;
	struct evp_rawline *nl = xmalloc(n * sizeof(*nl));
	for (size_t i = 1; i < r->nlines; i++, k++) {
		nl[k] = r->lines[i];
		nl[k].off = nb.len;
		evp_buf_add(&nb, r->raw.p + r->lines[i].off, r->lines[i].len);
	}
	for (size_t i = r->plpos; i < r->npl; i++, k++) {
		nl[k] = r->plines[i];
		nl[k].off = nb.len;
		evp_buf_add(&nb, r->pend.p + r->plines[i].off, r->plines[i].len);
	}
	evp_buf_release(&r->pend);
	free(r->plines);
	r->pend = nb;
	r->plines = nl;
	r->npl = r->plcap = n;
	r->plpos = 0;
	/* raw keeps only the first line, which row->raw points into. */
	r->nlines = 1;
}

static void
finish_fields(struct evp_csvin *r, struct evp_csvrow *row)
{
	if (r->fvcap < r->nf) {
		r->fvcap = r->nf;
		r->fv = xrealloc(r->fv, r->fvcap * sizeof(*r->fv));
	}
	for (size_t i = 0; i < r->nf; i++)
		r->fv[i] = (struct evp_str){ r->fbytes.p + r->foff[2 * i],
		    r->foff[2 * i + 1] };
	row->n = r->nf;
	row->f = r->fv;
	row->line = r->lines[0].no;
	row->raw = (struct evp_str){ r->raw.p, r->raw.len };
	row->bad.reason = NULL;
	row->bad.detail[0] = '\0';
}

/* Split a line with no quote, CR or NUL on delimiters: what libcsv would give. */
static void
split_plain(struct evp_csvin *r, const char *p, size_t len)
{
	const char *end = p + len;

	for (;;) {
		const char *c = memchr(p, r->o.delim, (size_t)(end - p));
		const char *fe = c ? c : end;
		on_field((void *)(uintptr_t)p, (size_t)(fe - p), r);
		if (c == NULL)
			break;
		p = c + 1;
	}
}

/* Check a line for a NUL, and for a CR outside quotes; track quote parity. */
static const char *
scan_line(struct evp_csvin *r, const char *p, size_t len, int *quotes)
{
	*quotes = 0;
	if (memchr(p, '\0', len) != NULL)
		return "nul_byte";
	if (memchr(p, '"', len) == NULL)	/* the usual line: no quote */
		return !r->parity && memchr(p, '\r', len) != NULL ?
		    "csv_syntax" : NULL;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"') {
			r->parity ^= 1;
			*quotes = 1;
		} else if (p[i] == '\r' && !r->parity)
			return "csv_syntax";
	}
	return NULL;
}

static int
read_record(struct evp_csvin *r, struct evp_csvrow *row)
{
	struct evp_rawline rl;

	record_reset(r);
	for (;;) {
		int rc = next_phys(r, &rl);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (r->nlines == 0)
				return 0;
			refuse(r, row, "csv_syntax",
			    "quoted field not closed at end of input");
			return 1;
		}
		const char *p = r->raw.p + rl.off;
		if (r->nlines == 1) {
			row->line = rl.no;
			if (!rl.toolong) {
				size_t i = 0;
				while (i < rl.len && (p[i] == ' ' || p[i] == '\t'))
					i++;
				if (i == rl.len) {	/* blank: not a record */
					record_reset(r);
					continue;
				}
			}
		}
		if (rl.damaged || rl.truncated) {
			refuse(r, row, rl.damaged ? "corrupt_member" :
			    r->nlines == 1 ? "truncated_line" : "csv_syntax",
			    rl.damaged ? r->in->damage :
			    r->nlines == 1 ? "the input ends inside this line" :
			    "quoted field not closed: the input was cut short");
			return 1;
		}
		if (rl.toolong) {
			char what[64];
			snprintf(what, sizeof(what),
			    "line over %zu bytes (raw holds its start)", r->in->maxline);
			refuse(r, row, r->nlines == 1 ? "line_too_long" : "csv_syntax",
			    r->nlines == 1 ? what :
			    "quoted field not closed before an over-long line");
			return 1;
		}
		int quotes;
		const char *fault = scan_line(r, p, rl.len, &quotes);
		if (fault != NULL) {
			refuse(r, row, r->nlines == 1 ? fault : "csv_syntax",
			    strcmp(fault, "nul_byte") == 0 && r->nlines == 1 ?
			    "NUL byte in record" : r->nlines == 1 ?
			    "bare CR outside quotes" :
			    "quoted field not closed before a damaged line");
			return 1;
		}
		if (r->nlines == 1 && !quotes) {
			split_plain(r, p, rl.len);
			break;
		}
		size_t used = csv_parse(&r->p, p, rl.len, on_field, on_row, r);
		if (used == rl.len) {
			/* A CRLF inside a quoted field is data; elsewhere it ends the row. */
			const char *eol = r->parity && rl.crlf ? "\r\n" : "\n";
			size_t n = strlen(eol);
			if (csv_parse(&r->p, eol, n, on_field, on_row, r) != n)
				used--;
		}
		if (used != rl.len || csv_error(&r->p) != CSV_SUCCESS) {
			int err = csv_error(&r->p);
			if (err == CSV_ENOMEM || err == CSV_ETOOBIG)
				refuse(r, row, "field_too_long", "field over the size limit");
			else
				refuse(r, row, "csv_syntax", r->nlines == 1 ?
				    "stray or unterminated quote" :
				    "quoted field not closed properly");
			return 1;
		}
		if (r->row_done)
			break;
		if (r->nlines >= r->o.maxrowlines) {
			refuse(r, row, "row_too_long",
			    "quoted field open over too many lines");
			return 1;
		}
	}
	if (r->fault != NULL) {
		refuse(r, row, r->fault, "field over the size limit");
		return 1;
	}
	finish_fields(r, row);
	return 1;
}

static void
copy_header(struct evp_csvin *r, const struct evp_csvrow *row)
{
	size_t bytes = 0;

	for (size_t i = 0; i < row->n; i++)
		bytes += row->f[i].len + 1;
	r->hdrmem = xmalloc(bytes + 1);
	struct evp_str *names = xcalloc(row->n, sizeof(*names));
	char *m = r->hdrmem;
	for (size_t i = 0; i < row->n; i++) {
		memcpy(m, row->f[i].p, row->f[i].len);
		m[row->f[i].len] = '\0';
		names[i] = (struct evp_str){ m, row->f[i].len };
		m += row->f[i].len + 1;
	}
	r->header.n = row->n;
	r->header.name = names;
}

int
evp_csvin_open(struct evp_csvin *r, struct evp_input *in,
    const struct evp_csvin_opts *o)
{
	struct evp_csvrow row;

	memset(r, 0, sizeof(*r));
	r->in = in;
	r->o.maxfield = o && o->maxfield ? o->maxfield : 1024 * 1024;
	r->o.maxrowlines = o && o->maxrowlines ? o->maxrowlines :
	    EVP_CSV_ROW_LINES;
	r->o.delim = o && o->delim ? o->delim : evp_tsv_name(in->name) ? '\t' : ',';
	field_cap = r->o.maxfield + 64 * 1024 + 1;
	parser_init(r);
	int rc = read_record(r, &row);
	if (rc <= 0)
		return rc;	/* an empty input has an empty header */
	if (row.bad.reason != NULL)
		return evp_error(in->name, row.line, "bad header: %s (%s)",
		    row.bad.detail, row.bad.reason);
	copy_header(r, &row);
	/* Names given twice are an error only where a stage uses them. */
	r->header.at = (struct evp_origin){ in->name, row.line };
	return 0;
}

int
evp_csvin_next(struct evp_csvin *r, struct evp_csvrow *row)
{
	int rc = read_record(r, row);

	if (rc <= 0 || row->bad.reason != NULL)
		return rc;
	if (row->n != r->header.n) {
		evp_verdict_set(&row->bad, "column_count",
		    "%zu fields, header has %zu", row->n, r->header.n);
		return 1;
	}
	/* Files joined with cat: the next one's header, maybe after its BOM. */
	struct evp_str first = row->n > 0 ? row->f[0] : (struct evp_str){ "", 0 };
	if (first.len >= 3 && memcmp(first.p, "\xEF\xBB\xBF", 3) == 0) {
		first.p += 3;
		first.len -= 3;
	}
	size_t i;
	for (i = 0; i < row->n; i++)
		if (!evp_str_eq(i ? row->f[i] : first, r->header.name[i].p,
		    r->header.name[i].len))
			break;
	if (i == row->n && row->n > 0)
		evp_verdict_set(&row->bad, "repeated_header",
		    "the header row again");
	return 1;
}

void
evp_csvin_close(struct evp_csvin *r)
{
	csv_free(&r->p);
	evp_buf_release(&r->raw);
	evp_buf_release(&r->fbytes);
	evp_buf_release(&r->pend);
	free(r->lines);
	free(r->foff);
	free(r->fv);
	free(r->plines);
	free((void *)r->header.name);
	free(r->hdrmem);
	memset(r, 0, sizeof(*r));
}
