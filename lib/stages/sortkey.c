#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "stages/sortkey.h"
#include "types/decimal.h"

#define NUMBER_BYTES	21

static const char *const type_names[] = { "text", "number", "time" };

const char *
evp_keytype_name(enum evp_keytype t)
{
	return type_names[t];
}

/* Cut ":word" off the end of s[0..*n) if it is there: 1 if it was. */
static int
cut(const char *s, size_t *n, const char *word)
{
	size_t w = strlen(word);

	if (*n < w + 1 || s[*n - w - 1] != ':' || memcmp(s + *n - w, word, w) != 0)
		return 0;
	*n -= w + 1;
	return 1;
}

int
evp_sortkeys_add(struct evp_sortkeys *ks, const char *spec)
{
	struct evp_sortkey k = { NULL, EVP_KEY_TEXT, 0 };
	size_t n = strlen(spec);

	k.desc = cut(spec, &n, "desc");
	for (int t = 0; t < 3; t++)
		if (cut(spec, &n, type_names[t])) {
			k.type = (enum evp_keytype)t;
			break;
		}
	if (n == 0)
		return -1;
	k.col = xmemdup(spec, n);
	ks->k = xrealloc(ks->k, (ks->n + 1) * sizeof(*ks->k));
	ks->k[ks->n++] = k;
	return 0;
}

void
evp_sortkeys_release(struct evp_sortkeys *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->k[i].col);
	free(ks->k);
	ks->k = NULL;
	ks->n = 0;
}

void
evp_keyenc_init(struct evp_keyenc *e, const struct evp_sortkeys *keys)
{
	size_t n = keys->n ? keys->n : 1;

	e->keys = keys;
	e->idx = xcalloc(n, sizeof(*e->idx));
	e->kind = xcalloc(n, sizeof(*e->kind));
	e->seen = xcalloc(n, sizeof(*e->seen));
}

void
evp_keyenc_release(struct evp_keyenc *e)
{
	free(e->idx);
	free(e->kind);
	free(e->seen);
	e->idx = NULL;
	e->kind = e->seen = NULL;
}

/* Text: escaped and ended, unless it is the last key. */
static void
put_text(struct evp_buf *b, const struct evp_str *f, int last)
{
	if (last) {
		evp_buf_add(b, f->p, f->len);
		return;
	}
	const char *p = f->p, *end = f->p + f->len;
	while (p < end) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
		evp_buf_add(b, p, n);
		p += n;
		if (z) {
			evp_buf_add(b, "\0\1", 2);
			p++;
		}
	}
	evp_buf_add(b, "\0\0", 2);
}

static void
put_be(struct evp_buf *b, uint64_t v, int bytes)
{
	unsigned char t[8];

	for (int i = 0; i < bytes; i++)
		t[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	evp_buf_add(b, t, (size_t)bytes);
}

static const char *
kind_name(enum evp_tkind k)
{
	return k == EVP_TS_INSTANT ? "an instant" : "a time of day";
}

static int
put_time(struct evp_keyenc *e, size_t i, const struct evp_str *f,
    struct evp_buf *b, struct evp_verdict *v)
{
	const char *col = e->keys->k[i].col;
	struct evp_tstamp t;

	if (evp_tstamp_parse(&t, f->p, f->len) < 0) {
		evp_verdict_set(v, "bad_timestamp", "%s: not a timestamp: '%.*s'",
		    col, EVP_SHOW(f));
		return -1;
	}
	if (e->kind[i] != 0 && t.kind != e->kind[i]) {
		evp_verdict_set(v, "incomparable_timestamps",
		    "%s: %s where the first record has %s: '%.*s'", col,
		    kind_name(t.kind), kind_name(e->kind[i]), EVP_SHOW(f));
		return -1;
	}
	e->seen[i] = t.kind;
	put_be(b, (uint64_t)t.sec ^ UINT64_C(0x8000000000000000), 8);
	put_be(b, (uint64_t)t.nsec, 4);
	return 0;
}

/*
 * A number as 21 bytes: a class (negative, zero, positive), then for a
 * value c * 10^e whose coefficient c has d digits its order of magnitude
 * e + d - 1 (offset to be unsigned) and c scaled to 38 digits, both
 * big-endian and inverted for a negative value, whose larger magnitudes
 * come first.  Equal values are equal bytes (the decimal is canonical):
 * 1, 1.0 and 1e0 tie.
 */
static int
put_number(const char *col, const struct evp_str *f, struct evp_buf *b,
    struct evp_verdict *v)
{
	struct evp_decimal x;
	unsigned char t[NUMBER_BYTES];

	if (evp_decimal_parse(&x, f->p, f->len) < 0) {
		evp_verdict_set(v, "bad_number", "%s: not a number: '%.*s'", col,
		    EVP_SHOW(f));
		return -1;
	}
	memset(t, 0, sizeof(t));
	unsigned __int128 c = (unsigned __int128)x.hi << 64 | x.lo;
	if (c == 0) {
		t[0] = 1;
		evp_buf_add(b, t, sizeof(t));
		return 0;
	}
	int d = 1;
	unsigned __int128 p10 = 10;
	while (d < EVP_DECIMAL_DIGITS && c >= p10) {
		d++;
		p10 *= 10;
	}
	for (int i = d; i < EVP_DECIMAL_DIGITS; i++)
		c *= 10;
	uint32_t mag = (uint32_t)((int64_t)x.exp + d - 1 + INT64_C(0x80000000));
	t[0] = x.neg ? 0 : 2;
	for (int i = 0; i < 4; i++)
		t[1 + i] = (unsigned char)(mag >> (8 * (3 - i)));
	for (int i = 0; i < 16; i++)
		t[5 + i] = (unsigned char)(c >> (8 * (15 - i)));
	if (x.neg)
		for (size_t i = 1; i < sizeof(t); i++)
			t[i] = (unsigned char)~t[i];
	evp_buf_add(b, t, sizeof(t));
	return 0;
}

int
evp_keyenc_put(struct evp_keyenc *e, const struct evp_str *f,
    struct evp_buf *b, struct evp_verdict *v)
{
	const struct evp_sortkeys *ks = e->keys;

	for (size_t i = 0; i < ks->n; i++) {
		const struct evp_sortkey *k = &ks->k[i];
		const struct evp_str *fi = &f[e->idx[i]];
		size_t at = b->len;
		switch (k->type) {
		case EVP_KEY_TEXT:
			put_text(b, fi, i + 1 == ks->n && !k->desc);
			break;
		case EVP_KEY_TIME:
			if (put_time(e, i, fi, b, v) < 0)
				return -1;
			break;
		case EVP_KEY_NUMBER:
			if (put_number(k->col, fi, b, v) < 0)
				return -1;
			break;
		}
		if (k->desc)
			for (size_t j = at; j < b->len; j++)
				b->p[j] = (char)~(unsigned char)b->p[j];
	}
	/* Accepted: the first record's kinds hold for the records after it. */
	for (size_t i = 0; i < ks->n; i++)
		if (ks->k[i].type == EVP_KEY_TIME && e->kind[i] == 0)
			e->kind[i] = e->seen[i];
	return 0;
}
