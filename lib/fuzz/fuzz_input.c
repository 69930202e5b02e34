/*
 * fuzz_input: lib/input, plain or compressed bytes as lines.
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
 *  - zip and UTF-16 are refused at open;
 *  - gzip, zstd, xz or bzip2 magic: the input is decoded independently
 *    (fuzzcodec.h: zlib, and the other libraries' streaming decoders fed
 *    a byte at a time, each whole unit confirmed by their one-shot
 *    decoders; zero bytes after the last gzip member, and in fours after
 *    an xz stream, are padding; other junk is damage); intact data gives
 *    the model's lines of the decoded text and a clean end; damaged data
 *    gives every line of the units whose check passed, then every line
 *    decoded from the unit whose check failed flagged damaged (a line
 *    running into it too), or, cut short, the last line flagged
 *    truncated; then -1.  The same from standard input (one compressed
 *    input in four).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzcodec.h"
#include "core/input.h"
#include "core/unxz.h"

#define MAXIN		(1024 * 1024)		/* past a few raw buffers */

static struct fuzz_file file;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	evp_xz_memlimit = FUZZ_XZ_MEMLIMIT;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = { 0, 1, 2, 3, 4, 5, 7, 8, 16, 64 };
	size_t maxline = limits[size % (sizeof(limits) / sizeof(limits[0]))];
	enum fuzz_kind kind = fuzz_kind(data, size);
	struct evp_buf text = EVP_BUF_INIT;
	enum fuzz_end ended = FUZZ_INTACT;
	size_t good = 0;

	if (size > MAXIN)
		return -1;
	if (kind != FUZZ_PLAIN && kind != FUZZ_REFUSED) {
		ended = fuzz_ref_decode(kind, data, size, &text, &good);
		if (ended == FUZZ_TOOBIG) {
			evp_buf_release(&text);
			return -1;
		}
	} else if (size > 0)
		evp_buf_add(&text, data, size);

	struct evp_input in;
	int rc = evp_input_open(&in, fuzz_file_put(&file, data, size), maxline);
	if (kind == FUZZ_REFUSED) {
		FUZZ_CHECK(rc < 0, "zip or UTF-16 input not refused");
		evp_buf_release(&text);
		return 0;
	}
	FUZZ_CHECK(rc == 0, "evp_input_open failed on %s input",
	    fuzz_kind_name(kind));
	fuzz_check_lines(&in, ended, good, &text, kind, size, "file");
	evp_input_close(&in);

	/*
	 * Again from standard input, read boundaries anywhere: plain text
	 * always, compressed one input in four (a decoder costs a thread and
	 * a 4 MiB block).
	 */
	if (kind != FUZZ_PLAIN && fuzz_hash(data, size) % 4 != 0) {
		evp_buf_release(&text);
		return 0;
	}
	fuzz_stdin_start(data, size, fuzz_hash(data, size),
	    2 * (maxline ? maxline : 64) + 4);
	FUZZ_CHECK(evp_input_open(&in, "-", maxline) == 0,
	    "evp_input_open failed on standard input");
	fuzz_check_lines(&in, ended, good, &text, kind, size, "stdin");
	evp_input_close(&in);
	fuzz_stdin_end();
	evp_buf_release(&text);
	return 0;
}
