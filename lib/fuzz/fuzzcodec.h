#ifndef EVP_FUZZCODEC_H
#define EVP_FUZZCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/input.h"
#include "fuzzutil.h"

/*
 * What the input harnesses share (fuzz_input and one per codec): reference
 * decoders of compressed files, written here from the libraries' own APIs
 * and not from lib/core, and the check of evp_input's lines against them.
 * Nothing here is part of evpipe itself.
 */

/* How a compressed file ends, as the reference decoders see it. */
enum fuzz_end {
	FUZZ_INTACT,		/* every unit whole and checked */
	FUZZ_CORRUPT,		/* a unit whose check failed (or undecodable) */
	FUZZ_CUT,		/* a unit cut short by the end of the file */
	FUZZ_JUNK,		/* after whole units, bytes that start none */
	FUZZ_TOOBIG		/* decodes to more than the harnesses look at */
};

/* Decoded bytes past which an input is not looked at. */
#define FUZZ_MAXDECODED	(8 * 1024 * 1024)

/* The memory the xz decoders may use, in the harnesses (not 1 GiB). */
#define FUZZ_XZ_MEMLIMIT	((uint64_t)64 << 20)

/*
 * Decode d[0..n), compressed as kind (FUZZ_GZIP ... FUZZ_BZIP2), unit by
 * unit into out.  gzip through zlib's inflate; zstd, xz and bzip2
 * through their libraries' streaming decoders fed one byte at a time
 * (so that a damaged unit gives every byte decodable before its damage),
 * each unit found whole confirmed by the one-shot decoder (the same
 * length taken and the same bytes given).  *good is how much of out came
 * from units whose check passed, and from a unit cut short (its bytes
 * are data); past it, for FUZZ_CORRUPT, the bytes of the damaged unit.
 */
enum fuzz_end fuzz_ref_decode(enum fuzz_kind kind, const uint8_t *d, size_t n,
	    struct evp_buf *out, size_t *good);

/*
 * Read in to its end and hold what came against the model: the lines of
 * text (with the line limit of in), damaged ones flagged from good on
 * for FUZZ_CORRUPT, the last one flagged truncated for FUZZ_CUT, then -1
 * for any end but FUZZ_INTACT; for an intact input, a clean end with
 * every byte accounted for.  size is the file's; how names the reading.
 */
void	fuzz_check_lines(struct evp_input *in, enum fuzz_end ended, size_t good,
	    const struct evp_buf *text, enum fuzz_kind kind, size_t size,
	    const char *how);

/* A name of kind for messages. */
const char *fuzz_kind_name(enum fuzz_kind kind);

/*
 * The per-codec harnesses (fuzzmake.c): d[0..n) says how to make a file
 * of kind (FUZZ_ZSTD, FUZZ_XZ, FUZZ_BZIP2) from a text, by the library's
 * own encoder, and how to damage it:
 *
 *	d[0]	bits 0-1: units - 1; bits 2-4: the damage (none, cut, a byte
 *		flipped, four bytes flipped, junk appended, a span zeroed,
 *		the last byte flipped, none); bit 5: the codec's variant
 *		(zstd without checksum, xz in blocks of 1-8 KiB, bzip2 with
 *		100 kB blocks); bits 6-7: the text repeated 1, 3, 40 or 300
 *		times
 *	d[1]	where the damage goes (in 256ths of the file)
 *	d[2]	the codec's options: level, xz's check, skippable frames or
 *		stream padding between units; bit 7: read standard input too
 *	d[3..]	the text
 *
 * The file is read by evp_input and held against fuzz_ref_decode, as
 * fuzz_input does; an undamaged file must also decode to the text.
 */
int	fuzz_codec_one(enum fuzz_kind kind, const uint8_t *d, size_t n);

#endif
