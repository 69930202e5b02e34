#ifndef EVP_INPUT_H
#define EVP_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

/*
 * Input files as lines: a file or standard input ("-"), plain or
 * compressed with gzip, zstd, xz or bzip2 (recognised by their magic
 * bytes, several members, frames or streams read as one, each one's lines
 * given once its check passed: core/decode.h), a UTF-8 BOM dropped, LF or
 * CRLF line ends removed.  The input owns its buffers;
 * a line is valid until the next call.
 */

struct evp_line {
	const char	*p;
	size_t		 len;
	uint64_t	 no;		/* 1-based line number */
	unsigned	 crlf : 1;	/* ended with CRLF */
	unsigned	 noeol : 1;	/* last line, with no line end */
	unsigned	 toolong : 1;	/* longer than the limit: p holds the first bytes */
	unsigned	 damaged : 1;	/* holds bytes of a member whose check failed */
	unsigned	 truncated : 1;	/* the last line of an input cut short */
};

struct evp_decode;

struct evp_input {
	const char		*name;		/* as given: "-" is standard input */
	int			 fd;
	int			 ownfd;
	struct evp_decode	*z;		/* NULL for plain input */
	char			*buf;		/* decoded bytes */
	size_t			 cap, start, end;
	size_t			 maxline;
	uint64_t		 lineno;
	uint64_t		 bytes_in;	/* raw bytes read from the file */
	int			 eof;		/* no more raw bytes */
	int			 failed;	/* an error was reported */
	int			 skipping;	/* dropping the rest of a too-long line */
	struct evp_buf		 head;		/* ... whose first bytes are kept here */
	int			 first;		/* BOM not yet checked */
	int			 replay;	/* give last again */
	struct evp_line		 last;
	size_t			 dmg;		/* buf offset where damaged bytes
						 * begin, or SIZE_MAX */
	const char		*why;		/* how decoding failed */
	int			 err;
	int			 reported;
	int			 cut;		/* it ended inside a member */
	uint64_t		 first_bad;	/* first damaged or cut line */
	const char		*damage;	/* a damaged line's detail ("in a
						 * gzip member whose check
						 * failed"), NULL for plain input */
};

#define EVP_MAXLINE_DEFAULT	(1024 * 1024)

/*
 * Open name ("-" for standard input).  Return 0, or -1 after reporting
 * why (cannot open; zip or UTF-16, which are not read).
 */
int	evp_input_open(struct evp_input *in, const char *name, size_t maxline);

/*
 * Next line.  Return 1, 0 at the end, or -1 after reporting an error
 * (read error, truncated or corrupt compressed data, junk after the
 * last member), once every line read before it was returned: the lines of a
 * member whose check failed with l->damaged set, and a last line the end
 * of the input cut short with l->truncated set, for the caller to refuse
 * (corrupt_member, truncated_line) rather than take for data.
 */
int	evp_input_line(struct evp_input *in, struct evp_line *l);

/*
 * Before the first line is read: the first non-blank lines, up to n, that
 * fit in the input's buffer, into lines[] (line ends and a first BOM
 * removed), without consuming them.  Return how many.  They point into
 * the buffer and are valid until the first evp_input_line.
 */
size_t	evp_input_peek(struct evp_input *in, struct evp_str *lines, size_t n);

/* Make the next evp_input_line return the line it returned last, again. */
void	evp_input_unread(struct evp_input *in);

void	evp_input_close(struct evp_input *in);

/* Is l blank (empty, or spaces and tabs only)?  Blank lines are not records. */
int	evp_line_blank(const struct evp_line *l);

#endif
