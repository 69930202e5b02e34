/*
 * fuzz_input: lib/input, plain or gzip bytes as lines.
 *
 * The input is the file's bytes; its length picks a line limit too (the
 * default, or 1..64 bytes, so that the over-long paths run on small
 * inputs).  Invariants:
 *  - plain input: the lines are exactly those of an independent model
 *    (fuzz_line_model): numbers 1, 2, ..., text, CRLF and no-EOL flags,
 *    cut at the limit; the end is 0, never an error; every byte read is
 *    accounted for: the line lengths and line ends (and a BOM) sum to the
 *    input size when no line was cut, to no more otherwise;
 *  - the same plain text read from standard input, with read(2)
 *    boundaries anywhere (fuzz_stdin_start), gives the same lines;
 *  - evp_input_unread gives the same line again;
 *  - xz, zstd, bzip2 and zip magic bytes are refused at open;
 *  - gzip magic: the input is inflated independently with zlib (every
 *    member; zero bytes after the last one are padding, other junk is
 *    damage); intact data gives the model's lines of the inflated text
 *    and a clean end; damaged data gives every line of the members whose
 *    check passed, then every line decoded from the member whose check
 *    failed flagged damaged (a line running into it too), or, cut short,
 *    the last line flagged truncated; then -1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzzutil.h"
#include "core/input.h"

#define MAXIN		(1024 * 1024)		/* past a few raw buffers */
#define MAXINFLATE	(8 * 1024 * 1024)	/* skip bigger expansions */

static struct fuzz_file file;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

enum { INTACT, CORRUPT, CUT, JUNK, TOOBIG };

/*
 * Inflate d[0..n) as gzip members into *out.  Return how it ended; *good
 * is the length of out that members whose check passed made (the rest,
 * for CORRUPT, came from the damaged member; for CUT, from the member cut
 * short, which counts as data).
 */
static int
ref_gunzip(const uint8_t *d, size_t n, struct evp_buf *out, size_t *good)
{
	z_stream zs;
	unsigned char chunk[16384];
	int status = INTACT;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		fuzz_fail("inflateInit2");
	zs.next_in = (unsigned char *)(uintptr_t)d;
	zs.avail_in = (uInt)n;
	for (;;) {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		int rc = inflate(&zs, Z_NO_FLUSH);
		evp_buf_add(out, chunk, sizeof(chunk) - zs.avail_out);
		if (out->len > MAXINFLATE) {
			status = TOOBIG;
			break;
		}
		if (rc == Z_STREAM_END) {
			*good = out->len;
			size_t z = 0;
			while (z < zs.avail_in && zs.next_in[z] == 0)
				z++;
			if (z == zs.avail_in)
				break;			/* intact, maybe zero padded */
			if (zs.next_in[0] != 0x1f ||
			    (zs.avail_in >= 2 && zs.next_in[1] != 0x8b)) {
				status = JUNK;		/* junk after a member */
				break;
			}
			inflateReset(&zs);
			continue;
		}
		if (rc == Z_OK && zs.avail_out == 0)
			continue;			/* more output to come */
		if (rc == Z_OK && zs.avail_in > 0)
			continue;
		if ((rc == Z_OK || rc == Z_BUF_ERROR) && zs.avail_in == 0) {
			status = CUT;			/* no more input */
			*good = out->len;
		} else
			status = CORRUPT;
		break;
	}
	inflateEnd(&zs);
	return status;
}

static void
same_line(const struct evp_line *l, const struct fuzz_line *m, size_t i,
    const char *how)
{
	FUZZ_CHECK(l->no == i + 1, "%s: line number %llu, want %zu",
	    how, (unsigned long long)l->no, i + 1);
	FUZZ_CHECK(l->len == m->len && (m->len == 0 ||
	    memcmp(l->p, m->p, m->len) == 0),
	    "%s: line %zu: got '%s', want '%s'", how, i + 1, fuzz_show(l->p, l->len),
	    fuzz_show(m->p, m->len));
	FUZZ_CHECK(l->toolong == m->toolong, "%s: line %zu: toolong %u, want %u",
	    how, i + 1, l->toolong, m->toolong);
	/* A cut line's end is not looked at: CR and no-EOL say nothing. */
	if (!m->toolong) {
		FUZZ_CHECK(l->crlf == m->crlf, "%s: line %zu: crlf %u, want %u",
		    how, i + 1, l->crlf, m->crlf);
		FUZZ_CHECK(l->noeol == m->noeol, "%s: line %zu: noeol %u, want %u",
		    how, i + 1, l->noeol, m->noeol);
	}
}

/* Read in to its end and hold what came against the model. */
static void
check(struct evp_input *in, const struct fuzz_line *model, size_t nmodel,
    int how_ended, size_t good, const struct evp_buf *text,
    enum fuzz_kind kind, size_t size, const char *how)
{
	int damaged = how_ended != INTACT;
	size_t want = nmodel;

	struct evp_line l;
	size_t i = 0, sum = 0;
	int cut = 0, rc;
	while ((rc = evp_input_line(in, &l)) > 0) {
		FUZZ_CHECK(i < want, "%s: line %llu returned, only %zu expected",
		    how, (unsigned long long)l.no, want);
		same_line(&l, &model[i], i, how);
		int dmg = how_ended == CORRUPT && model[i].last >= good;
		int trunc = how_ended == CUT && i == nmodel - 1 &&
		    model[i].noeol;
		FUZZ_CHECK(l.damaged == dmg, "%s: line %zu: damaged %u, want %d",
		    how, i + 1, l.damaged, dmg);
		FUZZ_CHECK(l.truncated == trunc, "%s: line %zu: truncated %u, "
		    "want %d", how, i + 1, l.truncated, trunc);
		if (i % 3 == 1) {
			struct evp_line again;
			evp_input_unread(in);
			FUZZ_CHECK(evp_input_line(in, &again) == 1,
			    "%s: unread line not given again", how);
			FUZZ_CHECK(again.p == l.p && again.len == l.len &&
			    again.no == l.no, "%s: unread gave another line", how);
		}
		sum += l.len + l.crlf + !l.noeol;
		cut |= l.toolong;
		i++;
	}
	if (damaged) {
		FUZZ_CHECK(rc < 0, "%s: damaged gzip data ended cleanly (rc %d)",
		    how, rc);
		FUZZ_CHECK(i == want, "%s: %zu lines, want %zu", how, i, want);
		return;
	}
	FUZZ_CHECK(rc == 0, "%s: intact %s input ended with %d", how,
	    kind == FUZZ_GZIP ? "gzip" : "plain", rc);
	FUZZ_CHECK(i == nmodel, "%s: %zu lines, want %zu", how, i, nmodel);
	/* Bytes in are bytes out: lines, line ends and a BOM. */
	size_t bom = text->len >= 3 && memcmp(text->p, "\xEF\xBB\xBF", 3) == 0 ?
	    3 : 0;
	FUZZ_CHECK(cut ? sum + bom <= text->len : sum + bom == text->len,
	    "%s: lines and line ends sum to %zu, text has %zu", how, sum + bom,
	    text->len);
	if (kind == FUZZ_PLAIN)
		FUZZ_CHECK(in->bytes_in == size, "%s: bytes_in %llu of %zu", how,
		    (unsigned long long)in->bytes_in, size);
	FUZZ_CHECK(evp_input_line(in, &l) == 0, "%s: a line after the end", how);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = { 0, 1, 2, 3, 4, 5, 7, 8, 16, 64 };
	size_t maxline = limits[size % (sizeof(limits) / sizeof(limits[0]))];
	enum fuzz_kind kind = fuzz_kind(data, size);
	struct evp_buf text = EVP_BUF_INIT;
	int ended = INTACT;
	size_t good = 0;

	if (size > MAXIN)
		return -1;
	if (kind == FUZZ_GZIP) {
		ended = ref_gunzip(data, size, &text, &good);
		if (ended == TOOBIG) {
			evp_buf_release(&text);
			return -1;
		}
	} else if (size > 0)
		evp_buf_add(&text, data, size);

	struct evp_input in;
	int rc = evp_input_open(&in, fuzz_file_put(&file, data, size), maxline);
	if (kind == FUZZ_REFUSED) {
		FUZZ_CHECK(rc < 0, "compressed input of another kind not refused");
		evp_buf_release(&text);
		return 0;
	}
	FUZZ_CHECK(rc == 0, "evp_input_open failed on %s input",
	    kind == FUZZ_GZIP ? "gzip" : "plain");

	struct fuzz_line *model;
	size_t nmodel = fuzz_line_model(text.p ? text.p : "", text.len, maxline,
	    &model);
	check(&in, model, nmodel, ended, good, &text, kind, size, "file");
	evp_input_close(&in);

	/* Plain text again from standard input, read boundaries anywhere. */
	if (kind == FUZZ_PLAIN) {
		fuzz_stdin_start(data, size, fuzz_hash(data, size),
		    2 * (maxline ? maxline : 64) + 4);
		FUZZ_CHECK(evp_input_open(&in, "-", maxline) == 0,
		    "evp_input_open failed on standard input");
		check(&in, model, nmodel, INTACT, 0, &text, kind, size, "stdin");
		evp_input_close(&in);
		fuzz_stdin_end();
	}
	free(model);
	evp_buf_release(&text);
	return 0;
}
