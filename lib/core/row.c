#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>

#include "core/diag.h"
#include "core/arena.h"
#include "core/row.h"
#include "core/xalloc.h"

int
evp_header_find(const struct evp_header *h, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < h->n; i++)
		if (evp_str_eq(h->name[i], name, len))
			return (int)i;
	return -1;
}

int
evp_names_parse(struct evp_names *nl, const char *s)
{
	size_t n = 1;

	for (const char *p = s; *p; p++)
		n += *p == ',';
	nl->name = xcalloc(n, sizeof(*nl->name));
	nl->mem = xstrdup(s);
	nl->n = 0;
	for (char *p = nl->mem;; ) {
		char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0) {
			evp_names_free(nl);
			return -1;
		}
		if (e != NULL)
			*e = '\0';
		nl->name[nl->n++] = (struct evp_str){ p, len };
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

void
evp_names_free(struct evp_names *nl)
{
	free(nl->name);
	free(nl->mem);
	nl->name = NULL;
	nl->mem = NULL;
	nl->n = 0;
}

void
evp_verdict_set(struct evp_verdict *v, const char *reason, const char *fmt, ...)
{
	va_list ap;

	char raw[EVP_DETAIL_MAX];
	size_t o = 0;

	v->reason = reason;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Details quote input text: show its control bytes as \xHH. */
	for (const char *p = raw; *p && o + 5 < sizeof(v->detail); p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7F)
			o += (size_t)snprintf(v->detail + o, 5, "\\x%02x", c);
		else
			v->detail[o++] = (char)c;
	}
	v->detail[o] = '\0';
}

int
evp_require_columns(const struct evp_header *h, const char *const *names,
    int *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		idx[i] = evp_header_find(h, names[i]);
		if (idx[i] < 0)
			return evp_error(h->at.source, h->at.line,
			    "missing column '%s'", names[i]);
	}
	return 0;
}


size_t
evp_pack_size(const struct evp_str *f, size_t n)
{
	size_t bytes = 0;

	for (size_t i = 0; i < n; i++) {
		bytes += f[i].len + 1;
		for (size_t v = f[i].len; v >= 0x80; v >>= 7)
			bytes++;
	}
	return bytes;
}

unsigned char *
evp_pack(unsigned char *m, const struct evp_str *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t v = f[i].len;
		for (; v >= 0x80; v >>= 7)
			*m++ = (unsigned char)(v | 0x80);
		*m++ = (unsigned char)v;
	}
	for (size_t i = 0; i < n; i++) {
		if (f[i].len > 0)
			memcpy(m, f[i].p, f[i].len);
		m += f[i].len;
	}
	return m;
}

const unsigned char *
evp_unpack(const unsigned char *m, struct evp_str *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t v = 0;
		for (int shift = 0;; shift += 7) {
			unsigned char c = *m++;
			v |= (size_t)(c & 0x7f) << shift;
			if (c < 0x80)
				break;
		}
		f[i].len = v;
	}
	const char *p = (const char *)m;
	for (size_t i = 0; i < n; i++) {
		f[i].p = p;
		p += f[i].len;
	}
	return (const unsigned char *)p;
}

void
evp_header_join(struct evp_header *out, const struct evp_header *a,
    const struct evp_header *b, const char *prefix, struct evp_arena *mem)
{
	size_t plen = prefix ? strlen(prefix) : 0, nb = b ? b->n : 0;
	struct evp_str *names = evp_arena_alloc(mem,
	    (a->n + nb + 1) * sizeof(*names));

	for (size_t i = 0; i < a->n; i++)
		names[i] = (struct evp_str){
		    evp_arena_dup(mem, a->name[i].p, a->name[i].len), a->name[i].len };
	for (size_t i = 0; i < nb; i++) {
		size_t len = plen + b->name[i].len;
		char *p = evp_arena_alloc(mem, len + 1);
		memcpy(p, prefix, plen);
		memcpy(p + plen, b->name[i].p, b->name[i].len);
		p[len] = '\0';
		names[a->n + i] = (struct evp_str){ p, len };
	}
	*out = (struct evp_header){ a->n + nb, names, a->at };
}
