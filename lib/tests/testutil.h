#ifndef EVP_TESTUTIL_H
#define EVP_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ofile.h"
#include "core/row.h"
#include "formats/reject.h"

/* Helpers the unit tests share.  They fail the running test on error. */

/*
 * A new temporary file "$TMPDIR/evp-test-TAG-XXXXXX" (TMPDIR defaults to
 * /tmp), open as *fd.  The caller frees the path and removes the file.
 */
char	*tu_mkstemp(const char *tag, int *fd);

/* The next number of a xorshift64 generator whose state is *s (not 0). */
uint64_t tu_rnd(uint64_t *s);

/* Append p[0..n) to b readably: \n \r \0 \\ and \xHH for other bytes. */
void	tu_escape(struct evp_buf *b, const char *p, size_t n);

/*
 * A header made from comma-separated names, which it owns (each name
 * NUL-terminated, as evp_header_find needs).
 */
struct tu_header {
	struct evp_header	 h;
	struct evp_names	 nl;
};

void	tu_header_init(struct tu_header *t, const char *names);
void	tu_header_free(struct tu_header *t);

/*
 * Push one record into s: the fields of text split at sep, from src:line.
 * Returns what put() returned.
 */
int	tu_put(struct evp_sink *s, const char *src, uint64_t line,
	    const char *text, char sep);

/*
 * Rows for assertions: a capture sink that copies the header and every
 * record it receives (and fails the test on a put before start, after
 * end, or with another field count than the header's), or a CSV file
 * read back.  The rows own their copies.
 */
struct tu_row {
	size_t			 n;
	struct evp_str		*f;
	struct evp_origin	 at;	/* source: a copy */
};

struct tu_rows {
	struct evp_sink	 sink;
	int		 started, ended;
	struct evp_header h;		/* names and prefix: copies */
	size_t		 n, cap;
	struct tu_row	*row;
};

void	tu_rows_init(struct tu_rows *r);
void	tu_rows_free(struct tu_rows *r);

/* Read the CSV file at path (header and records) into r, freed first. */
void	tu_rows_read_csv(struct tu_rows *r, const char *path);

/* Index of column name in r's header; fails the test if it has none. */
size_t	tu_rows_col(const struct tu_rows *r, const char *name);

/* Field name of row i, NUL-terminated (the copies are). */
const char *tu_rows_get(const struct tu_rows *r, size_t i, const char *name);

/* The fields of row i joined with sep into b (reset first); b->p. */
const char *tu_rows_join(const struct tu_rows *r, size_t i, char sep,
	    struct evp_buf *b);

/* The header's names joined with ','. */
const char *tu_rows_names(const struct tu_rows *r, struct evp_buf *b);

/*
 * A rejects writer onto a temporary file, and the rejects read back.  The
 * layout's columns are cols, borrowed.
 */
struct tu_rejects {
	char			*path;
	int			 fd;
	struct evp_ofile	 f;
	struct evp_rejects	 rj;
	struct tu_rows		 rows;
};

void	tu_rejects_open(struct tu_rejects *t, const struct evp_header *cols);
/* Write out what was written so far and read it back into t->rows. */
void	tu_rejects_read(struct tu_rejects *t);
void	tu_rejects_close(struct tu_rejects *t);

/*
 * Fail the test unless c is conserved: in = out + rejected + filtered,
 * and rejected is the sum of the reasons.
 */
void	tu_conserved(const struct evp_count *c);

/* The count of reason in c (0 if never counted). */
uint64_t tu_reason_count(const struct evp_count *c, const char *reason);
/* The count of output name in c; fails the test if c has no such output. */
uint64_t tu_output_count(const struct evp_count *c, const char *name);

#endif
