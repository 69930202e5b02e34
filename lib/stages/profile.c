#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "stages/profile.h"

#ifndef EVP_DATADIR
#define EVP_DATADIR	"/usr/local/share/evpipe"
#endif

/* The profile files are small: a bigger one is a mistake. */
#define MAXPROFILE	(4 * 1024 * 1024)

static int
is_file_spec(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5, ".json") == 0);
}

static int
readable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/name, or dir/../rel/name, allocated; NULL if not a readable file. */
static char *
try(const char *dir, size_t dirlen, const char *rel, const char *name)
{
	size_t n = dirlen + strlen(rel) + strlen(name) + 3;
	char *p = xmalloc(n);

	snprintf(p, n, "%.*s/%s%s", (int)dirlen, dir, rel, name);
	if (readable(p))
		return p;
	free(p);
	return NULL;
}

/* Where the built-in profile name.json is, allocated, or NULL. */
static char *
find(const char *name)
{
	char file[256], self[4096], *p;
	const char *env = getenv("EVP_PROFILE_PATH");

	if (strlen(name) > 200 || strchr(name, '/') != NULL)
		return NULL;
	snprintf(file, sizeof(file), "%s.json", name);
	for (const char *d = env; d != NULL && *d; ) {
		const char *e = strchr(d, ':');
		size_t len = e ? (size_t)(e - d) : strlen(d);
		if (len > 0 && (p = try(d, len, "", file)) != NULL)
			return p;
		d = e ? e + 1 : NULL;
	}
	if ((p = try(EVP_DATADIR, strlen(EVP_DATADIR), "", file)) != NULL)
		return p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (slash == NULL)
		return NULL;
	size_t dirlen = (size_t)(slash - self);
	if ((p = try(self, dirlen, "../share/evpipe/", file)) != NULL)
		return p;
	char rel[256];
	snprintf(rel, sizeof(rel), "../lib/%s/", name);
	return try(self, dirlen, rel, file);
}

static char *
slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct evp_buf b = EVP_BUF_INIT;
	char chunk[65536];
	ssize_t r;

	if (fd < 0) {
		evp_error(path, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	while ((r = read(fd, chunk, sizeof(chunk))) > 0 && b.len < MAXPROFILE)
		evp_buf_add(&b, chunk, (size_t)r);
	int e = errno;
	close(fd);
	if (r < 0 || b.len >= MAXPROFILE) {
		evp_error(path, 0, "cannot read: %s", r < 0 ? strerror(e) :
		    "file too big for a profile");
		evp_buf_release(&b);
		return NULL;
	}
	*len = b.len;
	if (b.p == NULL)
		evp_buf_add(&b, "", 0);
	return b.p;
}

/* The string at token t, or a list (an array of strings) joined by commas. */
static const char *
text_of(struct evp_profile *p, size_t t)
{
	const struct evp_jdoc *d = &p->doc;

	if (d->tok[t].type == EVP_JSON_STRING) {
		struct evp_str s = evp_jdoc_str(d, t, &p->mem);
		return evp_arena_dup(&p->mem, s.p, s.len);
	}
	if (d->tok[t].type != EVP_JSON_ARRAY)
		return NULL;
	struct evp_buf b = EVP_BUF_INIT;
	for (size_t m = 0, k = t + 1; m < d->tok[t].size; m++, k = d->tok[k].next) {
		if (d->tok[k].type != EVP_JSON_STRING) {
			evp_buf_release(&b);
			return NULL;
		}
		struct evp_str s = evp_jdoc_str(d, k, &p->mem);
		if (m > 0)
			evp_buf_addc(&b, ',');
		evp_buf_add(&b, s.p, s.len);
	}
	const char *r = evp_arena_dup(&p->mem, b.p ? b.p : "", b.len);
	evp_buf_release(&b);
	return r;
}

/* Setting key of object obj: a string or list; -1 if of another type. */
static int
setting(struct evp_profile *p, size_t obj, const char *key, const char **out)
{
	size_t t = evp_jdoc_member(&p->doc, obj, key, strlen(key), &p->mem);

	if (t == 0)
		return 0;
	if ((*out = text_of(p, t)) == NULL)
		return evp_error(p->file, 0, "\"%s\" must be a string or a list "
		    "of strings", key);
	return 0;
}

static int
load_checks(struct evp_profile *p)
{
	size_t t = evp_jdoc_member(&p->doc, 0, "checks", 6, &p->mem);
	const struct evp_jdoc *d = &p->doc;

	if (t == 0)
		return 0;
	if (d->tok[t].type != EVP_JSON_ARRAY)
		return evp_error(p->file, 0, "\"checks\" must be a list of objects");
	struct evp_check_spec *c = evp_arena_alloc(&p->mem,
	    (d->tok[t].size + 1) * sizeof(*c));
	size_t n = 0;
	for (size_t m = 0, k = t + 1; m < d->tok[t].size; m++, k = d->tok[k].next) {
		static const char *const kinds[] = {
			"schema", "future", "window", "member"
		};
		if (d->tok[k].type != EVP_JSON_OBJECT)
			return evp_error(p->file, 0, "check %zu is not an object",
			    m + 1);
		memset(&c[n], 0, sizeof(c[n]));
		for (size_t i = 0; i < 4 && c[n].kind == NULL; i++) {
			const char *v = NULL;
			if (setting(p, k, kinds[i], &v) < 0)
				return -1;
			if (v != NULL) {
				c[n].kind = kinds[i];
				if (i == 0)
					c[n].file = evp_profile_file(p, v);
				else
					c[n].column = v;
			}
		}
		if (c[n].kind == NULL)
			return evp_error(p->file, 0, "check %zu names none of schema, "
			    "future, window, member", m + 1);
		const char *list = NULL;
		if (setting(p, k, "option", &c[n].option) < 0 ||
		    setting(p, k, "reason", &c[n].reason) < 0 ||
		    setting(p, k, "help", &c[n].help) < 0 ||
		    setting(p, k, "since", &c[n].since) < 0 ||
		    setting(p, k, "until", &c[n].until) < 0 ||
		    setting(p, k, "list", &list) < 0)
			return -1;
		if (list != NULL)
			c[n].file = evp_profile_file(p, list);
		if (c[n].option != NULL && (c[n].option[0] == '\0' ||
		    c[n].option[0] == '-' || strspn(c[n].option,
		    "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    strlen(c[n].option)))
			return evp_error(p->file, 0, "check %zu: option '%s' is not "
			    "a lowercase name", m + 1, c[n].option);
		n++;
	}
	p->checks = c;
	p->nchecks = n;
	return 0;
}

/* Read the settings the generic stages use. */
static int
settings(struct evp_profile *p)
{
	static const struct {
		const char	*key;
		size_t		 off;
	} keys[] = {
#define S(k, f)	{ k, offsetof(struct evp_profile, f) }
		S("columns", columns), S("paths", paths), S("formats", formats),
		S("no_fields", no_fields), S("key", key), S("index_key", index_key),
		S("prefix", prefix), S("keys", keys), S("keep", keep),
		S("time", time), S("id", id), S("chain", chain),
		S("optional", optional), S("sort", sort), S("output", output),
		S("tally", tally), S("methods", methods), S("log_time", log_time),
#undef S
	};

	if (p->doc.tok[0].type != EVP_JSON_OBJECT)
		return evp_error(p->file, 0, "not a JSON object");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (setting(p, 0, keys[i].key,
		    (const char **)(void *)((char *)p + keys[i].off)) < 0)
			return -1;
	size_t t = evp_jdoc_member(&p->doc, 0, "flat", 4, &p->mem);
	p->flat = t != 0 && p->doc.tok[t].type == EVP_JSON_TRUE;
	return load_checks(p);
}

/*
 * A file of the fallback's chain (the advertising one) takes the
 * defaults it does not set from the fallback; other chains start empty.
 */
static void
inherit(struct evp_profile *p, const struct evp_profile *f)
{
	if (f == NULL || (p->chain != NULL && (f->chain == NULL ?
	    strcmp(p->chain, "advertising") != 0 : strcmp(p->chain, f->chain) != 0)))
		return;
	const char **mine[] = { &p->columns, &p->paths, &p->no_fields,
	    &p->formats, &p->key, &p->index_key, &p->prefix, &p->keys,
	    &p->keep, &p->time, &p->id, &p->methods, &p->log_time };
	const char *const theirs[] = { f->columns, f->paths, f->no_fields,
	    f->formats, f->key, f->index_key, f->prefix, f->keys, f->keep,
	    f->time, f->id, f->methods, f->log_time };
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		if (*mine[i] == NULL)
			*mine[i] = theirs[i];
	size_t t = evp_jdoc_member(&p->doc, 0, "flat", 4, &p->mem);
	if (t == 0)
		p->flat = f->flat;
}

struct evp_profile *
evp_profile_load(const char *spec, const struct evp_profile *fallback)
{
	char *path = is_file_spec(spec) ? xstrdup(spec) : find(spec);
	struct evp_verdict v;
	size_t len;

	if (path == NULL) {
		if (fallback != NULL && strcmp(spec, fallback->name) == 0)
			return (struct evp_profile *)fallback;
		evp_error(NULL, 0, "no profile '%s' (a file, or one of the built-in "
		    "profiles' names: see evp-profile(5))", spec);
		return NULL;
	}
	struct evp_profile *p = xcalloc(1, sizeof(*p));
	evp_arena_init(&p->mem);
	p->file = evp_arena_dup(&p->mem, path, strlen(path));
	char *slash = strrchr(path, '/');
	p->dir = slash ? xmemdup(path, (size_t)(slash - path)) : xstrdup(".");
	free(path);
	if ((p->text = slurp(p->file, &len)) == NULL ||
	    evp_json_parse(&p->doc, p->text, len, 64, EVP_JSON_NO_NUL, &p->mem,
	    &v) < 0) {
		if (p->text != NULL)
			evp_error(p->file, 0, "not JSON: %s", v.detail);
		evp_profile_free(p);
		return NULL;
	}
	/* Its name is its file's, unless it says otherwise. */
	const char *base = strrchr(p->file, '/');
	base = base ? base + 1 : p->file;
	size_t blen = strlen(base);
	p->name = evp_arena_dup(&p->mem, base, blen > 5 &&
	    strcmp(base + blen - 5, ".json") == 0 ? blen - 5 : blen);
	if (setting(p, 0, "profile", &p->name) < 0 || settings(p) < 0) {
		evp_profile_free(p);
		return NULL;
	}
	inherit(p, fallback);
	return p;
}

void
evp_profile_free(struct evp_profile *p)
{
	if (p == NULL || p->file == NULL)
		return;		/* built in */
	evp_arena_release(&p->mem);
	free(p->dir);
	free(p->text);
	free(p);
}

const char *
evp_profile_str(struct evp_profile *p, const char *path)
{
	if (p->file == NULL)
		return NULL;
	size_t t = evp_jdoc_path(&p->doc, 0, path, strlen(path), &p->mem);
	return t == 0 ? NULL : text_of(p, t);
}

const char *
evp_profile_file(struct evp_profile *p, const char *name)
{
	if (name[0] == '/' || p->dir == NULL)
		return name;
	size_t n = strlen(p->dir) + strlen(name) + 2;
	char *f = evp_arena_alloc(&p->mem, n);
	snprintf(f, n, "%s/%s", p->dir, name);
	return f;
}
