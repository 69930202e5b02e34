#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "formats/jsonrec.h"

/* A printable name for a key in a detail. */
static int
shown(struct evp_str k)
{
	return k.len <= 64 && evp_ctl_find(k.p, k.len) == k.len;
}

int
evp_jsonrec_field(int flat, const struct evp_jdoc *d, size_t t,
    struct evp_str name, struct evp_arena *a, struct evp_str *val,
    struct evp_verdict *v)
{
	switch (d->tok[t].type) {
	case EVP_JSON_STRING:
		*val = evp_jdoc_str(d, t, a);
		if (flat) {
			size_t at = evp_ctl_find(val->p, val->len);
			if (at < val->len) {
				evp_verdict_set(v, "control_char",
				    "control character 0x%02x in value of %.*s",
				    (unsigned char)val->p[at], (int)name.len, name.p);
				return -1;
			}
		}
		return 0;
	case EVP_JSON_NULL:
		*val = (struct evp_str){ "", 0 };
		return 0;
	case EVP_JSON_NUMBER:
		*val = evp_jdoc_raw(d, t);
		return 0;
	}
	if (flat) {
		evp_verdict_set(v, "bad_json_type", "%s for %.*s",
		    evp_json_type_name(d->tok[t].type), (int)name.len, name.p);
		return -1;
	}
	if (d->tok[t].type == EVP_JSON_TRUE || d->tok[t].type == EVP_JSON_FALSE) {
		*val = evp_jdoc_raw(d, t);
		return 0;
	}
	struct evp_buf b = EVP_BUF_INIT;
	evp_jdoc_compact(d, t, &b);
	*val = (struct evp_str){ evp_arena_dup(a, b.p, b.len), b.len };
	evp_buf_release(&b);
	return 0;
}

int
evp_jsonrec_bind(const struct evp_jsonrec_opts *o, const struct evp_jdoc *d,
    size_t t, struct evp_arena *a, struct evp_str *vals, unsigned char *seen,
    struct evp_verdict *v)
{
	const struct evp_header *cols = o->cols;
	size_t found = 0, k;

	if (d->tok[t].type != EVP_JSON_OBJECT) {
		evp_verdict_set(v, "invalid_json", "%s, not an object",
		    evp_json_type_name(d->tok[t].type));
		return -1;
	}
	if ((k = evp_jdoc_repeated(d, t, a)) != 0) {
		struct evp_str key = evp_jdoc_str(d, k, a);
		if (shown(key))
			evp_verdict_set(v, "invalid_json", "key \"%.*s\" given twice",
			    (int)key.len, key.p);
		else
			evp_verdict_set(v, "invalid_json",
			    "a key of %zu bytes given twice", key.len);
		return -1;
	}
	for (size_t i = 0; i < cols->n; i++) {
		struct evp_str path = o->paths ? o->paths[i] : cols->name[i];
		size_t at = evp_jdoc_path(d, t, path.p, path.len, a);
		if (at == 0) {
			vals[i] = (struct evp_str){ "", 0 };
			continue;
		}
		if (seen != NULL)
			seen[i] = 1;
		found++;
		if (evp_jsonrec_field(o->flat, d, at, cols->name[i], a,
		    &vals[i], v) < 0)
			return -1;
	}
	if (found == 0 && o->no_fields != NULL) {
		evp_verdict_set(v, o->no_fields, "no key names a column");
		return -1;
	}
	return 0;
}
