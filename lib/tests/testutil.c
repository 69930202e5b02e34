#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/input.h"
#include "formats/csvin.h"
#include "testutil.h"

char *
tu_mkstemp(const char *tag, int *fd)
{
	const char *dir = getenv("TMPDIR");
	size_t n;
	char *path;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	n = strlen(dir) + strlen(tag) + sizeof("/evp-test--XXXXXX");
	path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/evp-test-%s-XXXXXX", dir, tag);
	*fd = mkstemp(path);
	if (*fd < 0)
		fail_msg("mkstemp %s: %s", path, strerror(errno));
	return path;
}

void
tu_escape(struct evp_buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\n')
			evp_buf_adds(b, "\\n");
		else if (c == '\r')
			evp_buf_adds(b, "\\r");
		else if (c == '\0')
			evp_buf_adds(b, "\\0");
		else if (c == '\\')
			evp_buf_adds(b, "\\\\");
		else if (c < 0x20 || c >= 0x7F)
			evp_buf_printf(b, "\\x%02x", c);
		else
			evp_buf_addc(b, c);
	}
}

uint64_t
tu_rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void
tu_header_init(struct tu_header *t, const char *names)
{
	if (evp_names_parse(&t->nl, names) < 0)
		fail_msg("bad header '%s'", names);
	t->h = (struct evp_header){ t->nl.n, t->nl.name, { "header.csv", 1 }, 0,
	    NULL };
}

void
tu_header_free(struct tu_header *t)
{
	evp_names_free(&t->nl);
}

int
tu_put(struct evp_sink *s, const char *src, uint64_t line, const char *text,
    char sep)
{
	size_t n = 1, len = strlen(text);
	char *copy = malloc(len + 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, text, len + 1);
	for (size_t i = 0; i < len; i++)
		n += text[i] == sep;
	struct evp_str *f = calloc(n, sizeof(*f));
	assert_non_null(f);
	char *p = copy;
	for (size_t k = 0; k < n; k++) {
		char *e = strchr(p, sep);
		if (e == NULL)
			e = p + strlen(p);
		f[k] = (struct evp_str){ p, (size_t)(e - p) };
		*e = '\0';
		p = e + 1;
	}
	struct evp_rec r = { n, f, { src, line }, { NULL, 0 } };
	rc = evp_sink_put(s, &r);
	free(f);
	free(copy);
	return rc;
}

static char *
dup_bytes(const char *p, size_t n)
{
	char *d = malloc(n + 1);

	assert_non_null(d);
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

static void
rows_header(struct tu_rows *r, const struct evp_header *h)
{
	struct evp_str *names = calloc(h->n + 1, sizeof(*names));

	assert_non_null(names);
	for (size_t i = 0; i < h->n; i++)
		names[i] = (struct evp_str){ dup_bytes(h->name[i].p, h->name[i].len),
		    h->name[i].len };
	r->h = *h;
	r->h.name = names;
	r->h.at.source = h->at.source ? dup_bytes(h->at.source,
	    strlen(h->at.source)) : NULL;
	r->h.prefix = h->prefix ? dup_bytes(h->prefix, strlen(h->prefix)) : NULL;
}

static void
rows_add(struct tu_rows *r, size_t n, const struct evp_str *f,
    const struct evp_origin *at)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->row = realloc(r->row, r->cap * sizeof(*r->row));
		assert_non_null(r->row);
	}
	struct tu_row *w = &r->row[r->n++];
	w->n = n;
	w->f = calloc(n + 1, sizeof(*w->f));
	assert_non_null(w->f);
	for (size_t i = 0; i < n; i++)
		w->f[i] = (struct evp_str){ dup_bytes(f[i].p, f[i].len), f[i].len };
	w->at.source = at->source ? dup_bytes(at->source, strlen(at->source)) :
	    NULL;
	w->at.line = at->line;
}

static int
cap_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct tu_rows *r = evp_container_of(sk, struct tu_rows, sink);

	if (r->started)
		fail_msg("capture: start() called twice");
	r->started = 1;
	rows_header(r, h);
	return 0;
}

static int
cap_put(struct evp_sink *sk, const struct evp_rec *rec)
{
	struct tu_rows *r = evp_container_of(sk, struct tu_rows, sink);

	if (!r->started || r->ended)
		fail_msg("capture: put() %s", r->ended ? "after end()" :
		    "before start()");
	if (rec->n != r->h.n)
		fail_msg("capture: a record of %zu fields under a header of %zu",
		    rec->n, r->h.n);
	rows_add(r, rec->n, rec->f, &rec->at);
	return 0;
}

static int
cap_end(struct evp_sink *sk)
{
	struct tu_rows *r = evp_container_of(sk, struct tu_rows, sink);

	if (!r->started || r->ended)
		fail_msg("capture: end() %s", r->ended ? "called twice" :
		    "before start()");
	r->ended = 1;
	return 0;
}

void
tu_rows_init(struct tu_rows *r)
{
	memset(r, 0, sizeof(*r));
	r->sink = (struct evp_sink){ cap_start, cap_put, cap_end };
}

void
tu_rows_free(struct tu_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->row[i].n; k++)
			free((char *)r->row[i].f[k].p);
		free(r->row[i].f);
		free((char *)r->row[i].at.source);
	}
	free(r->row);
	if (r->h.name != NULL)
		for (size_t k = 0; k < r->h.n; k++)
			free((char *)r->h.name[k].p);
	free((struct evp_str *)r->h.name);
	free((char *)r->h.at.source);
	free((char *)r->h.prefix);
	tu_rows_init(r);
}

void
tu_rows_read_csv(struct tu_rows *r, const char *path)
{
	struct evp_input in;
	struct evp_csvin c;
	struct evp_csvrow row;
	int rc;

	tu_rows_free(r);
	if (evp_input_open(&in, path, 0) < 0)
		fail_msg("cannot open %s", path);
	if (evp_csvin_open(&c, &in, NULL) < 0) {
		evp_input_close(&in);
		fail_msg("%s: the header cannot be read", path);
	}
	rows_header(r, &c.header);
	r->started = 1;
	while ((rc = evp_csvin_next(&c, &row)) > 0) {
		if (row.bad.reason != NULL)
			fail_msg("%s:%llu: %s: %s", path, (unsigned long long)row.line,
			    row.bad.reason, row.bad.detail);
		struct evp_origin at = { path, row.line };
		rows_add(r, row.n, row.f, &at);
	}
	evp_csvin_close(&c);
	evp_input_close(&in);
	r->ended = 1;
	assert_int_equal(rc, 0);
}

size_t
tu_rows_col(const struct tu_rows *r, const char *name)
{
	int k = evp_header_find(&r->h, name);

	if (k < 0)
		fail_msg("no column '%s'", name);
	return (size_t)k;
}

const char *
tu_rows_get(const struct tu_rows *r, size_t i, const char *name)
{
	size_t k = tu_rows_col(r, name);

	if (i >= r->n)
		fail_msg("no row %zu (%zu rows)", i, r->n);
	return r->row[i].f[k].p;
}

const char *
tu_rows_join(const struct tu_rows *r, size_t i, char sep, struct evp_buf *b)
{
	if (i >= r->n)
		fail_msg("no row %zu (%zu rows)", i, r->n);
	evp_buf_reset(b);
	evp_buf_adds(b, "");
	for (size_t k = 0; k < r->row[i].n; k++) {
		if (k)
			evp_buf_addc(b, sep);
		evp_buf_add(b, r->row[i].f[k].p, r->row[i].f[k].len);
	}
	return b->p;
}

const char *
tu_rows_names(const struct tu_rows *r, struct evp_buf *b)
{
	evp_buf_reset(b);
	evp_buf_adds(b, "");
	for (size_t k = 0; k < r->h.n; k++) {
		if (k)
			evp_buf_addc(b, ',');
		evp_buf_add(b, r->h.name[k].p, r->h.name[k].len);
	}
	return b->p;
}

void
tu_rejects_open(struct tu_rejects *t, const struct evp_header *cols)
{
	t->path = tu_mkstemp("rejects", &t->fd);
	evp_ofile_attach(&t->f, t->fd, t->path);
	evp_rejects_init(&t->rj, &t->f, cols, 0);
	tu_rows_init(&t->rows);
}

void
tu_rejects_read(struct tu_rejects *t)
{
	assert_int_equal(evp_ofile_flush(&t->f), 0);
	tu_rows_read_csv(&t->rows, t->path);
}

void
tu_rejects_close(struct tu_rejects *t)
{
	if (t->path == NULL)
		return;
	evp_ofile_commit(&t->f);
	evp_rejects_release(&t->rj);
	tu_rows_free(&t->rows);
	close(t->fd);
	unlink(t->path);
	free(t->path);
	t->path = NULL;
}

void
tu_conserved(const struct evp_count *c)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < c->nreasons; i++)
		sum += c->reasons[i].n;
	if (c->in != c->out + c->rejected + c->filtered || sum != c->rejected)
		fail_msg("%s: %llu in, %llu out, %llu rejected (reasons %llu), "
		    "%llu filtered", c->stage, (unsigned long long)c->in,
		    (unsigned long long)c->out, (unsigned long long)c->rejected,
		    (unsigned long long)sum, (unsigned long long)c->filtered);
}

uint64_t
tu_reason_count(const struct evp_count *c, const char *reason)
{
	for (size_t i = 0; i < c->nreasons; i++)
		if (strcmp(c->reasons[i].name, reason) == 0)
			return c->reasons[i].n;
	return 0;
}

uint64_t
tu_output_count(const struct evp_count *c, const char *name)
{
	for (size_t i = 0; i < c->noutputs; i++)
		if (strcmp(c->outputs[i].name, name) == 0)
			return c->outputs[i].n;
	fail_msg("%s: no output '%s'", c->stage, name);
	return 0;
}
