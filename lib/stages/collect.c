#include <stdlib.h>
#include <string.h>

#include "formats/accesslog.h"
#include "formats/ahead.h"
#include "stages/collect.h"
#include "core/diag.h"
#include "core/input.h"
#include "formats/jsonl.h"
#include "formats/jsonrec.h"
#include "formats/jstream.h"
#include "formats/query.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "stages/run.h"

void
evp_collect_init(struct evp_collect *c, const struct evp_collect_opts *o,
    struct evp_rejects *rj, struct evp_sink *out)
{
	memset(c, 0, sizeof(*c));
	evp_stage_init(&c->st, "collect", (struct evp_sink){ NULL, NULL, NULL },
	    rj, out);
	c->o = *o;
	evp_arena_init(&c->scratch);
	c->vals = xcalloc(o->cols->n, sizeof(*c->vals));
	c->seen = xcalloc(o->cols->n ? o->cols->n : 1, 1);
	c->src = xcalloc(o->cols->n ? o->cols->n : 1, 1);
	for (size_t i = 0; o->from != NULL && i < o->cols->n; i++) {
		int k = evp_src_parse(o->from[i].p, o->from[i].len);
		c->src[i] = (unsigned char)(k < 0 ? EVP_SRC_NONE : k);
	}
}

int
evp_collect_start(struct evp_collect *c)
{
	return evp_sink_start(c->st.out, c->o.cols);
}

static int
emit(struct evp_collect *c, const struct evp_origin *at, struct evp_str json)
{
	struct evp_rec r = { c->o.cols->n, c->vals, *at, json };

	return evp_stage_pass(&c->st, &r);
}

static void
refuse(struct evp_collect *c, const struct evp_verdict *v,
    const struct evp_origin *at, const struct evp_str *raw)
{
	evp_reject(c->st.rj, &c->st.count, v, at, raw, NULL, NULL);
}

/*
 * A CSV record is already made of fields, passed on unchanged, a quoted
 * line break or tab included (SPEC 3): only bytes that are not text are
 * refused (a NUL is refused by the CSV reader).
 */
static int
check_values(struct evp_collect *c, struct evp_verdict *v)
{
	for (size_t i = 0; i < c->o.cols->n; i++) {
		const struct evp_str *f = &c->vals[i];
		size_t at = evp_utf8_invalid(f->p, f->len);
		if (at < f->len) {
			evp_verdict_set(v, "invalid_utf8",
			    "invalid UTF-8 byte 0x%02x in %s",
			    (unsigned char)f->p[at], c->o.cols->name[i].p);
			return -1;
		}
	}
	return 0;
}

/* A CSV input, parsed on a reader thread: it takes in over. */
static int
collect_csv(struct evp_collect *c, struct evp_input *in, char delim)
{
	struct evp_csvin_opts o = { c->o.maxline, c->o.maxrowlines, delim };
	const char *name = in->name;
	const struct evp_header *h;
	struct evp_ahead *a = evp_ahead_start(in, &o, 1, &h);
	struct evp_csvrow row;
	int rc = 0, status = 0;

	if (a == NULL)
		return 2;
	size_t n = c->o.cols->n;
	int *map = xcalloc(n, sizeof(*map));
	for (size_t i = 0; i < n && h->n > 0; i++) {
		const char *col = c->o.cols->name[i].p;
		if (evp_require_columns(h, &col, &map[i], 1) < 0) {
			free(map);
			evp_ahead_close(a);
			return 2;
		}
	}
	while (h->n > 0 && (rc = evp_ahead_next(a, &row)) > 0) {
		struct evp_origin at = { name, row.line };
		struct evp_verdict v;
		c->st.count.in++;
		if (row.bad.reason != NULL) {
			refuse(c, &row.bad, &at, &row.raw);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			c->vals[i] = row.f[map[i]];
		if (check_values(c, &v) < 0) {
			refuse(c, &v, &at, &row.raw);
			continue;
		}
		if (emit(c, &at, (struct evp_str){ NULL, 0 }) < 0) {
			status = -1;
			break;
		}
	}
	if (rc < 0)
		status = 1;
	free(map);
	evp_ahead_close(a);
	return status;
}

static int
collect_lines(struct evp_collect *c, struct evp_input *in, enum evp_format f)
{
	struct evp_query_opts qo = { c->o.cols, c->o.paths, c->o.no_fields,
	    c->src };
	struct evp_access_opts ao = { qo, c->o.methods, c->o.utc };
	struct evp_jsonl_opts jo = { c->o.cols, c->o.maxdepth, c->o.no_fields };
	struct evp_line l;
	int rc;

	while ((rc = evp_input_line(in, &l)) > 0) {
		if (evp_line_blank(&l))
			continue;
		struct evp_origin at = { in->name, l.no };
		struct evp_str raw = { l.p, l.len };
		struct evp_verdict v;
		c->st.count.in++;
		evp_arena_reset(&c->scratch);
		if (l.damaged || l.truncated) {
			evp_verdict_set(&v, l.damaged ? "corrupt_member" :
			    "truncated_line", "%s", l.damaged ? in->damage :
			    "the input ends inside this line");
			refuse(c, &v, &at, &raw);
			continue;
		}
		if (l.toolong) {
			evp_verdict_set(&v, "line_too_long",
			    "line over %zu bytes (raw holds its start)", c->o.maxline);
			refuse(c, &v, &at, &raw);
			continue;
		}
		int ok;
		switch (f) {
		case EVP_FMT_ACCESS:
			ok = evp_access_parse(&ao, l.p, l.len, &c->scratch, c->vals, &v);
			break;
		case EVP_FMT_JSONL:
			ok = evp_jsonl_parse(&jo, l.p, l.len, &c->scratch, c->vals, &v);
			break;
		default:
			ok = evp_query_parse(&qo, l.p, l.len, &c->scratch, c->vals, &v);
			break;
		}
		if (ok < 0) {
			refuse(c, &v, &at, &raw);
			continue;
		}
		if (emit(c, &at, (struct evp_str){ NULL, 0 }) < 0)
			return -1;
	}
	return rc < 0 ? 1 : 0;
}

/* JSON values, one per line or as a stream, bound by their paths. */
static int
collect_json(struct evp_collect *c, struct evp_input *in, int lines)
{
	struct evp_jsonrec_opts jo = { c->o.cols, c->o.from, c->o.flat,
	    c->o.no_fields };
	struct evp_jstream js;
	struct evp_jrec r;
	int rc;

	evp_jstream_init(&js, in, lines, c->o.maxline, c->o.maxdepth);
	while ((rc = evp_jstream_next(&js, &r)) > 0) {
		struct evp_origin at = { in->name, r.line };
		struct evp_verdict v;
		struct evp_jdoc d;
		c->st.count.in++;
		evp_arena_reset(&c->scratch);
		if (r.bad.reason != NULL) {
			refuse(c, &r.bad, &at, &r.raw);
			continue;
		}
		evp_jdoc_tokens(&d, r.text.p, r.text.len, &c->scratch);
		if (evp_jsonrec_bind(&jo, &d, 0, &c->scratch, c->vals, c->seen,
		    &v) < 0) {
			refuse(c, &v, &at, &r.text);
			continue;
		}
		if (emit(c, &at, r.text) < 0) {
			rc = -2;
			break;
		}
	}
	evp_jstream_release(&js);
	return rc == -2 ? -1 : rc < 0 ? 1 : 0;
}

int
evp_collect_file(struct evp_collect *c, const char *name)
{
	struct evp_input in;
	enum evp_format f = c->o.format;
	int rc;

	int tsv = evp_tsv_name(name);
	char delim = c->o.delim ? c->o.delim : tsv ? '\t' : ',';

	if (evp_input_open(&in, name, c->o.maxline) < 0)
		return 2;
	if (f == EVP_FMT_AUTO && tsv)
		f = EVP_FMT_CSV;
	if (f == EVP_FMT_AUTO) {
		struct evp_str lines[EVP_SNIFF_LINES];
		size_t n = evp_input_peek(&in, lines, EVP_SNIFF_LINES);
		f = evp_format_decide(lines, n, c->o.formats, delim);
	}
	if (f == EVP_FMT_CSV)
		return collect_csv(c, &in, delim);
	if (f == EVP_FMT_JSON || (f == EVP_FMT_JSONL && !c->o.flat))
		rc = collect_json(c, &in, f == EVP_FMT_JSONL);
	else
		rc = collect_lines(c, &in, f);
	evp_input_close(&in);
	return rc;
}

int
evp_collect_end(struct evp_collect *c)
{
	return evp_sink_end(c->st.out);
}

static int
collect_one(void *c, const char *name)
{
	return evp_collect_file(c, name);
}

int
evp_collect_run(struct evp_collect *c, struct evp_run *run, char *const *files,
    size_t n)
{
	int rc = evp_collect_start(c);

	if (rc == 0)
		rc = evp_run_files(run, files, n, collect_one, c);
	if (rc == 0)
		rc = evp_collect_end(c);
	if (rc < 0)
		evp_run_fail(run, EVP_EXIT_IO, 1);
	return rc;
}

void
evp_collect_release(struct evp_collect *c)
{
	evp_stage_release(&c->st);
	evp_arena_release(&c->scratch);
	free(c->seen);
	c->seen = NULL;
	free(c->src);
	c->src = NULL;
	free(c->vals);
	c->vals = NULL;
}
