/*
 * summarize's option values, parsed into a spec (stages/summarize.h).
 */

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "stages/summarize.h"

void
evp_sumspec_init(struct evp_sumspec *sp)
{
	memset(sp, 0, sizeof(*sp));
}

void
evp_sumspec_release(struct evp_sumspec *sp)
{
	for (size_t i = 0; i < sp->ngcol; i++)
		free(sp->gcol[i]);
	free(sp->gcol);
	free(sp->day);
	free(sp->dayname);
	for (size_t i = 0; i < sp->nagg; i++) {
		free(sp->agg[i].col);
		free(sp->agg[i].name);
		free(sp->agg[i].file);
		free(sp->agg[i].childkey);
	}
	free(sp->agg);
	for (size_t i = 0; i < sp->nlist; i++) {
		free(sp->list[i].col);
		free(sp->list[i].v);
		free(sp->list[i].mem);
	}
	free(sp->list);
	free(sp->time);
	free(sp->listof);
	free(sp->colname);
	free(sp->numeric);
	memset(sp, 0, sizeof(*sp));
}

const char *
evp_sumspec_groups(struct evp_sumspec *sp, const char *s)
{
	struct evp_names nl;

	if (evp_names_parse(&nl, s) < 0)
		return "an empty column name";
	sp->gcol = xrealloc(sp->gcol, (sp->ngcol + nl.n) * sizeof(*sp->gcol));
	for (size_t i = 0; i < nl.n; i++)
		sp->gcol[sp->ngcol++] = xmemdup(nl.name[i].p, nl.name[i].len);
	evp_names_free(&nl);
	return NULL;
}

/*
 * Cut the last ":part" off s[0..*n): *part and *plen are what followed
 * the colon, *n where it was.  0 if there is no colon.
 */
static int
cut(const char *s, size_t *n, const char **part, size_t *plen)
{
	size_t i = *n;

	while (i > 0 && s[i - 1] != ':')
		i--;
	if (i == 0)
		return 0;
	*part = s + i;
	*plen = *n - i;
	*n = i - 1;
	return 1;
}

const char *
evp_sumspec_day(struct evp_sumspec *sp, const char *s)
{
	size_t n = strlen(s), plen = 0;
	const char *name = NULL;

	if (sp->day != NULL)
		return "given twice";
	if (!cut(s, &n, &name, &plen)) {
		name = s;
		plen = n;
	}
	if (n == 0 || plen == 0)
		return "an empty column or name";
	sp->day = xmemdup(s, n);
	sp->dayname = xmemdup(name, plen);
	return NULL;
}

static int
digits(const char *p, size_t n)
{
	if (n == 0 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static struct evp_agg *
new_agg(struct evp_sumspec *sp, enum evp_aggkind kind)
{
	sp->agg = xrealloc(sp->agg, (sp->nagg + 1) * sizeof(*sp->agg));
	struct evp_agg *a = &sp->agg[sp->nagg++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->type = EVP_KEY_TEXT;
	a->places = kind == EVP_AGG_MEAN ? EVP_MEAN_PLACES : EVP_SUM_EXACT;
	return a;
}

const char *
evp_sumspec_agg(struct evp_sumspec *sp, enum evp_aggkind kind, const char *s)
{
	size_t n = strlen(s), plen = 0, tlen = 0;
	const char *name = s, *type = NULL;
	int places = kind == EVP_AGG_MEAN ? EVP_MEAN_PLACES : EVP_SUM_EXACT;
	enum evp_keytype kt = EVP_KEY_TEXT;

	switch (kind) {
	case EVP_AGG_COUNT:
		if (n == 0)
			return "an empty name";
		new_agg(sp, kind)->name = xmemdup(s, n);
		return NULL;
	case EVP_AGG_DISTINCT:
		if (!cut(s, &n, &name, &plen))
			return "not COLUMN:NAME";
		break;
	case EVP_AGG_MIN:
	case EVP_AGG_MAX:
		if (!cut(s, &n, &name, &plen) || !cut(s, &n, &type, &tlen))
			return "not COLUMN:TYPE:NAME";
		for (kt = EVP_KEY_TEXT; kt <= EVP_KEY_TIME; kt++)
			if (strlen(evp_keytype_name(kt)) == tlen &&
			    memcmp(evp_keytype_name(kt), type, tlen) == 0)
				break;
		if (kt > EVP_KEY_TIME)
			return "TYPE is not text, number or time";
		break;
	case EVP_AGG_SUM:
	case EVP_AGG_MEAN:
		if (!cut(s, &n, &name, &plen))
			return "not COLUMN:NAME[:PLACES]";
		if (digits(name, plen)) {
			/* COLUMN:NAME:PLACES, when a NAME comes before. */
			const char *d = name;
			size_t dlen = plen, m = n;
			if (cut(s, &m, &name, &plen)) {
				places = atoi(d);
				n = m;
				if (places > EVP_PLACES_MAX)
					return "PLACES over 18";
			} else {
				name = d;
				plen = dlen;
			}
		}
		break;
	case EVP_AGG_CHILDREN:
		return "not an aggregate of its own";
	}
	if (n == 0 || plen == 0)
		return "an empty column or name";
	struct evp_agg *a = new_agg(sp, kind);
	a->col = xmemdup(s, n);
	a->name = xmemdup(name, plen);
	a->type = kt;
	a->places = places;
	return NULL;
}

const char *
evp_sumspec_children(struct evp_sumspec *sp, const char *s)
{
	size_t n = strlen(s), plen = 0, mlen = 0;
	const char *name, *mid;

	if (!cut(s, &n, &name, &plen) || !cut(s, &n, &mid, &mlen))
		return "not FILE:KEY=CHILDKEY:NAME";
	const char *eq = memchr(mid, '=', mlen);
	size_t klen = eq ? (size_t)(eq - mid) : mlen;
	const char *ck = eq ? eq + 1 : mid;
	size_t cklen = eq ? mlen - klen - 1 : mlen;
	if (n == 0 || plen == 0 || klen == 0 || cklen == 0)
		return "an empty file, column or name";
	struct evp_agg *a = new_agg(sp, EVP_AGG_CHILDREN);
	a->file = xmemdup(s, n);
	a->col = xmemdup(mid, klen);
	a->childkey = xmemdup(ck, cklen);
	a->name = xmemdup(name, plen);
	return NULL;
}

static int
same_class(char a, char b)
{
	return (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z') ||
	    (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z') ||
	    (a >= '0' && a <= '9' && b >= '0' && b <= '9');
}

/* The values of a list being read: each NUL-terminated in mem. */
struct values {
	struct evp_buf	 mem;
	size_t		*off;		/* where each starts in mem */
	size_t		 n;
};

/* Add v[0..len): 0, or -1 if it is there already. */
static int
add_value(struct values *vs, const char *v, size_t len)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strlen(vs->mem.p + vs->off[i]) == len &&
		    memcmp(vs->mem.p + vs->off[i], v, len) == 0)
			return -1;
	vs->off = xrealloc(vs->off, (vs->n + 1) * sizeof(*vs->off));
	vs->off[vs->n++] = vs->mem.len;
	evp_buf_add(&vs->mem, v, len);
	evp_buf_addc(&vs->mem, '\0');
	return 0;
}

const char *
evp_sumspec_list(struct evp_sumspec *sp, const char *s)
{
	const char *eq = strchr(s, '=');
	struct values vs = { EVP_BUF_INIT, NULL, 0 };
	const char *why = NULL;

	if (eq == NULL || eq == s)
		return "not COLUMN=VALUES";
	for (size_t i = 0; i < sp->nlist; i++)
		if (strlen(sp->list[i].col) == (size_t)(eq - s) &&
		    memcmp(sp->list[i].col, s, (size_t)(eq - s)) == 0)
			return "a column listed twice";
	for (const char *p = eq + 1;; ) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int range = len == 3 && p[1] == '-' && same_class(p[0], p[2]);
		if (len == 0)
			why = "an empty value";
		else if (range && p[0] > p[2])
			why = "a range that runs backwards";
		else if (range) {
			for (char c = p[0]; why == NULL; c++) {
				if (add_value(&vs, &c, 1) < 0)
					why = "a value listed twice";
				if (c == p[2])
					break;
			}
		} else if (add_value(&vs, p, len) < 0)
			why = "a value listed twice";
		if (why != NULL) {
			evp_buf_release(&vs.mem);
			free(vs.off);
			return why;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	sp->list = xrealloc(sp->list, (sp->nlist + 1) * sizeof(*sp->list));
	struct evp_grouplist *l = &sp->list[sp->nlist++];
	l->col = xmemdup(s, (size_t)(eq - s));
	l->n = vs.n;
	l->mem = vs.mem.p;
	l->v = xcalloc(vs.n, sizeof(*l->v));
	for (size_t i = 0; i < vs.n; i++)
		l->v[i] = (struct evp_str){ vs.mem.p + vs.off[i],
		    strlen(vs.mem.p + vs.off[i]) };
	free(vs.off);
	return NULL;
}

static void
add_col(struct evp_sumspec *sp, const char *name, int numeric)
{
	sp->colname[sp->ncols] = (struct evp_str){ name, strlen(name) };
	sp->numeric[sp->ncols++] = (unsigned char)numeric;
}

int
evp_sumspec_check(struct evp_sumspec *sp, struct evp_buf *err)
{
	size_t max = sp->ngcol + 1 + sp->nagg;

	if ((sp->has_from || sp->has_to) && sp->time == NULL) {
		evp_buf_adds(err, "--from and --to need --time COLUMN");
		return -1;
	}
	free(sp->listof);
	sp->listof = xcalloc(sp->ngcol ? sp->ngcol : 1, sizeof(*sp->listof));
	for (size_t i = 0; i < sp->ngcol; i++)
		sp->listof[i] = -1;
	for (size_t j = 0; j < sp->nlist; j++) {
		size_t i = 0;
		while (i < sp->ngcol && strcmp(sp->gcol[i], sp->list[j].col) != 0)
			i++;
		if (i == sp->ngcol) {
			evp_buf_printf(err, "--groups: '%s' is not a group column "
			    "(-g)", sp->list[j].col);
			return -1;
		}
		sp->listof[i] = (int)j;
	}
	free(sp->colname);
	free(sp->numeric);
	sp->colname = xcalloc(max, sizeof(*sp->colname));
	sp->numeric = xcalloc(max, 1);
	sp->ncols = 0;
	for (size_t i = 0; i < sp->ngcol; i++)
		add_col(sp, sp->gcol[i], 0);
	if (sp->day != NULL)
		add_col(sp, sp->dayname, 0);
	for (size_t i = 0; i < sp->nagg; i++) {
		const struct evp_agg *a = &sp->agg[i];
		int num = (a->kind != EVP_AGG_MIN && a->kind != EVP_AGG_MAX) ||
		    a->type == EVP_KEY_NUMBER;
		add_col(sp, a->name, num);
	}
	if (sp->ncols == 0) {
		evp_buf_adds(err, "nothing to write: give -g, --day or an "
		    "aggregate");
		return -1;
	}
	for (size_t i = 1; i < sp->ncols; i++)
		for (size_t j = 0; j < i; j++)
			if (evp_str_eq(sp->colname[i], sp->colname[j].p,
			    sp->colname[j].len)) {
				evp_buf_printf(err, "the output column '%s' is "
				    "named twice", sp->colname[i].p);
				return -1;
			}
	return 0;
}
