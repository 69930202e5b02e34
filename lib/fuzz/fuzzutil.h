#ifndef EVP_FUZZUTIL_H
#define EVP_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ofile.h"
#include "core/row.h"

/*
 * What the libFuzzer harnesses of lib/fuzz share: a file holding the
 * fuzz input, the event columns and paths, checks written independently
 * of lib/text.c, and the way a broken invariant is reported (a message
 * on standard output, then abort(), which libFuzzer turns into a saved
 * crash input).  Nothing here is part of evpipe itself.
 */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_NCOL	8
extern const struct evp_header fuzz_cols;	/* the eight event columns */
extern const struct evp_names fuzz_paths;	/* /event and /event_collector */

/* Report a broken invariant and abort. */
void	fuzz_fail(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
#define FUZZ_CHECK(cond, ...) \
	do { if (!(cond)) fuzz_fail(__VA_ARGS__); } while (0)

/*
 * An in-memory file (memfd, or a temporary file where there is none),
 * rewritten for each input and opened by its path, since evp_input_open
 * takes a name.
 */
struct fuzz_file {
	int	 fd;
	int	 open;
	char	 path[4096];
};

const char *fuzz_file_put(struct fuzz_file *f, const void *p, size_t n);

/*
 * Capture what lib/ofile writes (evp_write_fn) into fuzz_out, instead of
 * writing it anywhere.  fuzz_ofile is an ofile on standard output for
 * evp_csv_put_row and the rejects writer; call evp_ofile_flush(&fuzz_ofile)
 * before looking at fuzz_out.
 */
extern struct evp_buf	 fuzz_out;
extern struct evp_ofile	 fuzz_ofile;
void	fuzz_capture_init(void);

/* Is p[0..n) valid UTF-8 (no overlong forms, surrogates, or past U+10FFFF)? */
int	fuzz_utf8_ok(const char *p, size_t n);

/* Does p[0..n) hold a control byte (0x00-0x1F, 0x7F)? */
int	fuzz_has_ctl(const char *p, size_t n);

/* Is s one of the strings of the NULL-terminated list set? */
int	fuzz_in_set(const char *s, const char *const *set);

/* A printable rendering of p[0..n) for messages (static buffer, cut). */
const char *fuzz_show(const char *p, size_t n);

#endif

/*
 * The lines evp_input must return for the plain (not compressed) bytes
 * d[0..n) read with line limit maxline (0: the default): split at LF, a
 * CR before the LF removed (and a CR that ends the input: it ends the
 * last line as CRLF would), a UTF-8 BOM dropped from the first line, a
 * line over maxline cut to its first maxline bytes.  An independent
 * model of lib/input.c, for inputs that fit its buffer in one read.
 */
struct fuzz_line {
	const char	*p;
	size_t		 len;
	size_t		 full;		/* its length before the cut */
	size_t		 last;		/* offset of its LF, or of its last byte */
	unsigned	 crlf : 1, noeol : 1, toolong : 1;
};
size_t	fuzz_line_model(const char *d, size_t n, size_t maxline,
	    struct fuzz_line **out);

/* What evp_input_open makes of these first bytes. */
enum fuzz_kind {
	FUZZ_PLAIN, FUZZ_GZIP, FUZZ_ZSTD, FUZZ_XZ, FUZZ_BZIP2, FUZZ_REFUSED
};
enum fuzz_kind fuzz_kind(const uint8_t *d, size_t n);

/* Blank as evp_line_blank and the CSV reader say: spaces and tabs only. */
int	fuzz_blank(const char *p, size_t n);

/*
 * Make standard input a socket from which each read(2) returns one chunk
 * of d[0..n): the first 6 bytes (which evp_input_open reads on their own)
 * then chunks of 1..maxchunk bytes, sizes drawn from seed.  A read
 * boundary can so fall anywhere, deterministically, as from a pipe.
 * fuzz_stdin_end drains what was not read and restores standard input.
 */
void	fuzz_stdin_start(const void *d, size_t n, uint32_t seed, size_t maxchunk);
void	fuzz_stdin_end(void);

/* FNV-1a of d[0..n), to seed choices that must not cost input bytes. */
uint32_t fuzz_hash(const void *d, size_t n);
