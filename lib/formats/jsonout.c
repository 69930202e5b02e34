#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"
#include "formats/jsonout.h"

void
evp_json_buf_str(struct evp_buf *b, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	evp_buf_grow(b, n + 2);
	evp_buf_addc(b, '"');
	while (i < n) {
		/* The longest run that needs nothing, then the byte after it. */
		size_t j = i;
		while (j < n && (unsigned char)p[j] >= 0x20 && p[j] != '"' &&
		    p[j] != '\\' && (unsigned char)p[j] < 0x80)
			j++;
		evp_buf_add(b, p + i, j - i);
		i = j;
		if (i == n)
			break;
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x80) {
			/* A run of UTF-8: kept; a byte that starts none: U+FFFD. */
			size_t k = i;
			while (k < n && (unsigned char)p[k] >= 0x80)
				k++;
			size_t ok = evp_utf8_invalid(p + i, k - i);
			evp_buf_add(b, p + i, ok);
			if (ok < k - i) {
				evp_buf_adds(b, "\\ufffd");
				i += ok + 1;
			} else
				i = k;
			continue;
		}
		switch (c) {
		case '"':
			evp_buf_adds(b, "\\\"");
			break;
		case '\\':
			evp_buf_adds(b, "\\\\");
			break;
		case '\n':
			evp_buf_adds(b, "\\n");
			break;
		case '\r':
			evp_buf_adds(b, "\\r");
			break;
		case '\t':
			evp_buf_adds(b, "\\t");
			break;
		case '\b':
			evp_buf_adds(b, "\\b");
			break;
		case '\f':
			evp_buf_adds(b, "\\f");
			break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			evp_buf_add(b, u, sizeof(u));
		}
		}
		i++;
	}
	evp_buf_addc(b, '"');
}

static int
sink_start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_jsonsink *s = evp_container_of(sk, struct evp_jsonsink, sink);

	s->n = h->n;
	s->keyoff = xcalloc(h->n + 1, sizeof(*s->keyoff));
	evp_buf_reset(&s->keys);
	for (size_t i = 0; i < h->n; i++) {
		s->keyoff[i] = s->keys.len;
		evp_json_buf_str(&s->keys, h->name[i].p, h->name[i].len);
		evp_buf_adds(&s->keys, ": ");
	}
	s->keyoff[h->n] = s->keys.len;
	return 0;
}

static int
sink_put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_jsonsink *s = evp_container_of(sk, struct evp_jsonsink, sink);
	struct evp_buf *b = &s->line;

	evp_buf_reset(b);
	evp_buf_adds(b, s->rows == 0 ? "[\n{" : ",\n{");
	for (size_t i = 0; i < r->n && i < s->n; i++) {
		if (i > 0)
			evp_buf_adds(b, ", ");
		evp_buf_add(b, s->keys.p + s->keyoff[i],
		    s->keyoff[i + 1] - s->keyoff[i]);
		const struct evp_str *v = &r->f[i];
		if (v->p == NULL)
			evp_buf_adds(b, "null");
		else if (s->numeric != NULL && s->numeric[i])
			evp_buf_add(b, v->p, v->len);
		else
			evp_json_buf_str(b, v->p, v->len);
	}
	evp_buf_addc(b, '}');
	evp_ofile_write(s->f, b->p, b->len);
	s->rows++;
	return s->f->err ? -1 : 0;
}

static int
sink_end(struct evp_sink *sk)
{
	struct evp_jsonsink *s = evp_container_of(sk, struct evp_jsonsink, sink);

	if (s->rows == 0)
		evp_ofile_write(s->f, "[]\n", 3);
	else
		evp_ofile_write(s->f, "\n]\n", 3);
	return s->f->err ? -1 : 0;
}

void
evp_jsonsink_init(struct evp_jsonsink *s, struct evp_ofile *f,
    const unsigned char *numeric)
{
	memset(s, 0, sizeof(*s));
	s->sink = (struct evp_sink){ sink_start, sink_put, sink_end };
	s->f = f;
	s->numeric = numeric;
	evp_buf_init(&s->keys);
	evp_buf_init(&s->line);
}

void
evp_jsonsink_release(struct evp_jsonsink *s)
{
	evp_buf_release(&s->keys);
	evp_buf_release(&s->line);
	free(s->keyoff);
	s->keyoff = NULL;
}
