#ifndef EVP_SORTKEY_H
#define EVP_SORTKEY_H

#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/verdict.h"
#include "types/tstamp.h"

/*
 * The keys of a sort, and each record's keys turned once, when it is
 * read, into one string of bytes that memcmp orders as the keys do (a
 * normalized key), so that comparing two records is one memcmp whatever
 * the keys' types and directions:
 *
 *	text	the bytes; a 0x00 byte written 00 01 and the key ended by
 *		00 00, so that a key shorter than another sorts first and
 *		the next key starts at the same place (the last key, when
 *		ascending, is the bytes alone: it ends where the string does)
 *	number	an exact decimal (types/decimal.h): its sign, then its
 *		exponent and its digits, so that larger magnitudes sort
 *		later (earlier when negative)
 *	time	seconds (sign bit flipped) and nanoseconds, big-endian
 *
 * A descending key has its bytes inverted, terminator included.  The keys
 * own their column names; an encoder borrows the keys.
 */

enum evp_keytype { EVP_KEY_TEXT, EVP_KEY_NUMBER, EVP_KEY_TIME };

struct evp_sortkey {
	char		*col;
	enum evp_keytype type;
	int		 desc;
};

struct evp_sortkeys {
	size_t			 n;
	struct evp_sortkey	*k;
};

/*
 * Add the key "COL[:TYPE][:desc]" (TYPE text, number or time; text when
 * left out).  The suffixes are read from the right, so a column whose
 * name holds a ':' can be given as "a:b:text".  Return 0, or -1 if the
 * column name is empty.
 */
int	evp_sortkeys_add(struct evp_sortkeys *ks, const char *spec);
void	evp_sortkeys_release(struct evp_sortkeys *ks);

/* The name of a key type, as written in a key. */
const char *evp_keytype_name(enum evp_keytype t);

/*
 * Turns records' key fields into normalized keys.  The kind of each time
 * key (instant or time of day) is that of the first record accepted; a
 * record of the other kind is refused.  idx[i] is the field of key i,
 * set by the caller.
 */
struct evp_keyenc {
	const struct evp_sortkeys *keys;
	int		*idx;
	enum evp_tkind	*kind;		/* 0 until a record sets it */
	enum evp_tkind	*seen;		/* scratch */
};

void	evp_keyenc_init(struct evp_keyenc *e, const struct evp_sortkeys *keys);
void	evp_keyenc_release(struct evp_keyenc *e);

/*
 * Append the normalized key of the record f to b and return 0; or set v
 * (bad_number, bad_timestamp or incomparable_timestamps, the detail
 * naming the column and the value) and return -1, b then holding part of
 * a key.
 */
int	evp_keyenc_put(struct evp_keyenc *e, const struct evp_str *f,
	    struct evp_buf *b, struct evp_verdict *v);

/* Order two normalized keys: <0, 0 or >0. */
static inline int
evp_keycmp(const void *a, size_t alen, const void *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

#endif
