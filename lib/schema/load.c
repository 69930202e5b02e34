/*
 * Loading a schema: the document parsed, its keywords compiled
 * (keywords.c), then its $refs resolved and their cycles refused, all
 * before the first record is checked.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"
#include "schema/compiled.h"
/*
 * The token a fragment "#/a/b~1c" points at, or 0 (the root is token 0,
 * so a miss is told by *found).  The fragment is percent-decoded first,
 * then each reference token unescaped (~1 is '/', ~0 is '~').
 */
static size_t
pointer(struct evp_schema *s, struct evp_str frag, int *found)
{
	char *dec = evp_arena_alloc(&s->mem, frag.len + 1), *seg;
	size_t n = 0, tok = 0;

	*found = 0;
	for (size_t i = 0; i < frag.len; i++) {
		int hi, lo;
		if (frag.p[i] == '%' && i + 2 < frag.len &&
		    (hi = evp_hexval(frag.p[i + 1])) >= 0 &&
		    (lo = evp_hexval(frag.p[i + 2])) >= 0) {
			dec[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (frag.p[i] == '%')
			return 0;
		else
			dec[n++] = frag.p[i];
	}
	seg = evp_arena_alloc(&s->mem, n + 1);
	for (size_t i = 0; i < n; ) {
		size_t len = 0;
		if (dec[i] != '/')
			return 0;
		for (i++; i < n && dec[i] != '/'; i++) {
			if (dec[i] != '~')
				seg[len++] = dec[i];
			else if (i + 1 < n && (dec[i + 1] == '0' || dec[i + 1] == '1'))
				seg[len++] = dec[++i] == '0' ? '~' : '/';
			else
				return 0;
		}
		const struct evp_jtok *t = &s->doc.tok[tok];
		if (t->type == EVP_JSON_OBJECT) {
			if ((tok = evp_jdoc_member(&s->doc, tok, seg, len,
			    &s->mem)) == 0)
				return 0;
		} else if (t->type == EVP_JSON_ARRAY) {
			size_t idx = 0;
			if (len == 0 || (seg[0] == '0' && len > 1))
				return 0;
			for (size_t k = 0; k < len; k++) {
				if (seg[k] < '0' || seg[k] > '9' || idx > t->size)
					return 0;
				idx = idx * 10 + (size_t)(seg[k] - '0');
			}
			if (idx >= t->size)
				return 0;
			for (tok++; idx > 0; idx--)
				tok = s->doc.tok[tok].next;
		} else
			return 0;
	}
	*found = 1;
	return tok;
}

/* Resolve the $refs, compiling the schemas they reach. */
static int
resolve(struct loader *L)
{
	struct evp_schema *s = L->s;

	for (size_t i = 0; i < L->nrefs; i++) {
		struct pending r = L->refs[i];
		int found;
		if (r.ref.len == 0 || r.ref.p[0] != '#')
			return evp_schema_refuse(L, r.ptr, "unsupported \"$ref\" \"%.*s\" "
			    "(only #/json/pointer within the document)",
			    EVP_SHOW(&r.ref));
		struct evp_str frag = { r.ref.p + 1, r.ref.len - 1 };
		if (frag.len > 0 && frag.p[0] != '/')
			return evp_schema_refuse(L, r.ptr, "unsupported \"$ref\" \"%.*s\" "
			    "(anchors are not supported)", EVP_SHOW(&r.ref));
		size_t tok = pointer(s, frag, &found);
		if (!found)
			return evp_schema_refuse(L, r.ptr, "\"$ref\" \"%.*s\" points at "
			    "nothing", EVP_SHOW(&r.ref));
		char *where = evp_arena_dup(&s->mem, frag.p, frag.len);
		if ((r.kw->u.sub = evp_schema_compile(L, tok, where)) == NULL)
			return -1;
	}
	return 0;
}

/*
 * A cycle of $ref (through allOf, not, if...) that never steps into the
 * instance would recurse for ever: refuse it.  Depth-first search over
 * the edges that apply a schema to the same instance.
 */
static int
cycle(struct loader *L, struct sch *n)
{
	struct sch *next[3];

	if (n->mark == 2)
		return 0;
	if (n->mark == 1)
		return evp_schema_refuse(L, n->ptr, "\"$ref\" cycle that never reaches "
		    "into the instance");
	n->mark = 1;
	for (size_t i = 0; i < n->nkw; i++) {
		struct kw *w = &n->kw[i];
		switch (w->type) {
		case K_REF: case K_NOT:
			if (cycle(L, w->u.sub) < 0)
				return -1;
			break;
		case K_ALLOF: case K_ANYOF: case K_ONEOF:
			for (size_t j = 0; j < w->u.list.n; j++)
				if (cycle(L, w->u.list.v[j]) < 0)
					return -1;
			break;
		case K_DEPSCHEMAS:
			for (size_t j = 0; j < w->u.names.n; j++)
				if (cycle(L, w->u.names.v[j].sub) < 0)
					return -1;
			break;
		case K_IF:
			next[0] = w->u.sub;
			next[1] = n->then;
			next[2] = n->els;
			for (int j = 0; j < 3; j++)
				if (next[j] != NULL && cycle(L, next[j]) < 0)
					return -1;
			break;
		default:
			break;
		}
	}
	n->mark = 2;
	return 0;
}

struct evp_schema *
evp_schema_load(const char *text, size_t len, const char *name, unsigned flags,
    char *err, size_t errsize)
{
	struct evp_schema *s = xmalloc(sizeof(*s));
	struct loader L = { s, err, errsize, NULL, 0, 0 };
	struct evp_verdict v;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	evp_arena_init(&s->mem);
	s->name = evp_arena_dup(&s->mem, name, strlen(name));
	s->flags = flags;
	s->text = evp_arena_dup(&s->mem, text, len);
	if (evp_json_parse(&s->doc, s->text, len, EVP_SCHEMA_DEPTH, 0, &s->mem,
	    &v) < 0) {
		snprintf(err, errsize, "%s: %s: %s", name, v.reason, v.detail);
		goto out;
	}
	s->bytok = evp_arena_alloc(&s->mem, s->doc.n * sizeof(*s->bytok));
	memset(s->bytok, 0, s->doc.n * sizeof(*s->bytok));
	if ((s->root = evp_schema_compile(&L, 0, "")) == NULL || resolve(&L) < 0)
		goto out;
	for (size_t i = 0; i < s->doc.n; i++)
		if (s->bytok[i] != NULL && cycle(&L, s->bytok[i]) < 0)
			goto out;
	s->mctx = pcre2_match_context_create(NULL);
	if (s->mctx == NULL)
		evp_oom();
	/* A pattern may backtrack badly: bound each match's work. */
	pcre2_set_match_limit(s->mctx, 1000000);
	pcre2_set_heap_limit(s->mctx, 16 * 1024);
	rc = 0;
out:
	free(L.refs);
	if (rc < 0) {
		evp_schema_free(s);
		return NULL;
	}
	return s;
}

void
evp_schema_free(struct evp_schema *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ncodes; i++)
		pcre2_code_free(s->codes[i]->code);
	free(s->codes);
	pcre2_match_context_free(s->mctx);
	evp_arena_release(&s->mem);
	free(s);
}
