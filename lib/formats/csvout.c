#include <string.h>

#include "formats/csvout.h"
#include "core/text.h"

struct evp_sheet evp_sheet;

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* [+-]digits[.digits][e[+-]digits], or with digits only after the point. */
static int
is_number(const char *p, size_t n)
{
	size_t i = 0, d = 0;

	if (i < n && (p[i] == '+' || p[i] == '-'))
		i++;
	for (; i < n && is_digit(p[i]); i++)
		d++;
	if (i < n && p[i] == '.')
		for (i++; i < n && is_digit(p[i]); i++)
			d++;
	if (d == 0)
		return 0;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == n || !is_digit(p[i]))
			return 0;
		while (i < n && is_digit(p[i]))
			i++;
	}
	return i == n;
}

int
evp_csv_risky(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	switch (p[0]) {
	case '=': case '@': case '\t': case '\r':
		return 1;
	case '+': case '-':
		return !is_number(p, n);
	}
	return 0;
}

/* Offset of the first byte that makes a field need quotes, or n. */
static size_t
special_d(const char *p, size_t n, char delim)
{
	if (delim == ',')
		return evp_csv_special(p, n);
	for (size_t i = 0; i < n; i++)
		if (p[i] == delim || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			return i;
	return n;
}

int
evp_csv_needs_quotes_d(const char *p, size_t n, int sole, char delim)
{
	if (n == 0)
		return sole;
	if (p[0] == ' ' || p[0] == '\t' || p[n - 1] == ' ' || p[n - 1] == '\t')
		return 1;
	return special_d(p, n, delim) < n;
}

int
evp_csv_needs_quotes(const char *p, size_t n, int sole)
{
	return evp_csv_needs_quotes_d(p, n, sole, ',');
}

static void
buf_plain_d(struct evp_buf *b, const char *p, size_t n, int sole, char delim)
{
	if (!evp_csv_needs_quotes_d(p, n, sole, delim)) {
		evp_buf_add(b, p, n);
		return;
	}
	evp_buf_grow(b, 2 * n + 2);
	b->p[b->len++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			b->p[b->len++] = '"';
		b->p[b->len++] = p[i];
	}
	b->p[b->len++] = '"';
	b->p[b->len] = '\0';
}

void
evp_csv_buf_plain(struct evp_buf *b, const char *p, size_t n, int sole)
{
	buf_plain_d(b, p, n, sole, ',');
}

void
evp_csv_buf_field_d(struct evp_buf *b, const char *p, size_t n, int sole,
    char delim)
{
	if (n > 0 && evp_csv_risky(p, n)) {
		evp_sheet.risky++;
		if (evp_sheet.safe) {
			/* Quoted as "'" + p would be: it no longer starts with p. */
			int q = p[n - 1] == ' ' || p[n - 1] == '\t' ||
			    special_d(p, n, delim) < n;
			evp_buf_grow(b, 2 * n + 3);
			if (q)
				b->p[b->len++] = '"';
			b->p[b->len++] = '\'';
			for (size_t i = 0; i < n; i++) {
				if (p[i] == '"' && q)
					b->p[b->len++] = '"';
				b->p[b->len++] = p[i];
			}
			if (q)
				b->p[b->len++] = '"';
			b->p[b->len] = '\0';
			return;
		}
	}
	buf_plain_d(b, p, n, sole, delim);
}

void
evp_csv_buf_field(struct evp_buf *b, const char *p, size_t n, int sole)
{
	evp_csv_buf_field_d(b, p, n, sole, ',');
}

static void
put_field_d(struct evp_ofile *f, const char *p, size_t n, int sole, char delim)
{
	/* Only the writer's thread gets here: one scratch buffer will do. */
	static struct evp_buf tmp;

	if (!evp_csv_needs_quotes_d(p, n, sole, delim) &&
	    !(n > 0 && evp_csv_risky(p, n))) {
		evp_ofile_write(f, p, n);
		return;
	}
	evp_buf_reset(&tmp);
	evp_csv_buf_field_d(&tmp, p, n, sole, delim);
	evp_ofile_write(f, tmp.p, tmp.len);
}

void
evp_csv_put_field(struct evp_ofile *f, const char *p, size_t n, int sole)
{
	put_field_d(f, p, n, sole, ',');
}

void
evp_csv_put_row_d(struct evp_ofile *f, const struct evp_str *v, size_t n,
    char delim)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			evp_ofile_putc(f, delim);
		put_field_d(f, v[i].p, v[i].len, n == 1, delim);
	}
	evp_ofile_putc(f, '\n');
}

void
evp_csv_put_row(struct evp_ofile *f, const struct evp_str *v, size_t n)
{
	evp_csv_put_row_d(f, v, n, ',');
}

static int
sink_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_csvsink *s = evp_container_of(sk, struct evp_csvsink, sink);

	evp_csv_put_row_d(s->f, h->name, h->n, s->delim);
	return 0;
}

static int
sink_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_csvsink *s = evp_container_of(sk, struct evp_csvsink, sink);

	evp_csv_put_row_d(s->f, r->f, r->n, s->delim);
	s->rows++;
	return s->f->err ? -1 : 0;
}

static int
sink_end(struct evp_sink *sk)
{
	(void)sk;
	return 0;
}

void
evp_csvsink_init(struct evp_csvsink *s, struct evp_ofile *f)
{
	s->sink.start = sink_start;
	s->sink.put = sink_put;
	s->sink.end = sink_end;
	s->f = f;
	s->rows = 0;
	s->delim = ',';
}
