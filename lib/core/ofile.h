#ifndef EVP_OFILE_H
#define EVP_OFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Buffered output that appears complete or not at all.  A named file is
 * written to a temporary beside it and renamed into place by
 * evp_ofile_commit; evp_ofile_abort (or the program dying on a signal or
 * an exit without commit) removes the temporary and leaves an earlier
 * file of that name untouched.  "-" or NULL is standard output; a path
 * that resolves to something that is not a regular file (/dev/null, a
 * FIFO, /dev/stdout on a pipe) is written in place.  A symbolic link to
 * a file, or to none yet, has its target replaced (keeping an existing
 * file's mode); the link itself stays.  The ofile owns its buffer and
 * names.
 */
struct evp_wq;
struct evp_zout;
struct evp_ofile {
	char	*path;		/* final name, NULL for standard output */
	char	*tmp;		/* temporary beside it */
	const char *name;	/* for messages */
	int	 fd;
	char	*buf;
	size_t	 len, cap;
	int	 err;		/* errno of the first failed write, or 0 */
	int	 open;
	int	 special;	/* written in place, not renamed */
	struct evp_wq *wq;	/* the writing thread, from the first full buffer */
	struct evp_zout *z;	/* compressing what is written, or NULL */
};

/*
 * Writes are buffered; from the first full buffer on, a thread of the
 * output's own does the write(2)s (lib/wq.h), and a failed write shows in
 * err a buffer or so later.  evp_ofile_flush writes everything and waits
 * for it: 0, or -1 with err set.
 */
int	evp_ofile_open(struct evp_ofile *f, const char *path);

/*
 * Write to fd, open and owned by the caller, in place (as standard
 * output is: commit flushes but neither closes nor renames); name is for
 * messages.
 */
void	evp_ofile_attach(struct evp_ofile *f, int fd, const char *name);

/*
 * Write f compressed as kind (core/zout.h), from the next byte on: call
 * it before writing.  The compression is done where the writes are (on
 * the output's thread, once it has one); commit ends the compressed
 * unit, so that an output renamed into place is whole.
 */
void	evp_ofile_compress(struct evp_ofile *f, int kind);
void	evp_ofile_write(struct evp_ofile *f, const void *p, size_t n);
void	evp_ofile_full(struct evp_ofile *f);	/* the buffer is full: pass it on */
int	evp_ofile_flush(struct evp_ofile *f);

static inline void
evp_ofile_putc(struct evp_ofile *f, char c)
{
	if (f->len == f->cap)
		evp_ofile_full(f);
	f->buf[f->len++] = c;
}

/*
 * Flush, check, sync, close and rename into place.  Return 0, or -1 after
 * reporting the failure (the temporary is removed).
 */
int	evp_ofile_commit(struct evp_ofile *f);

/*
 * The file path names, following symbolic links: the link's target, also
 * when it does not exist yet (a dangling link), so that the target is
 * written and the link stays a link.  Allocated (the caller frees it); a
 * path that is no link comes back as it is.
 */
char	*evp_ofile_target(const char *path);

/* Discard (a named file's temporary is removed); reports a failed write. */
void	evp_ofile_abort(struct evp_ofile *f);

/*
 * Set: fsync each file before renaming it into place, so it survives a
 * power loss too (without it, a commit is atomic against the program
 * dying, which is what the rename guarantees).
 */
extern int evp_ofile_sync;

/* The write(2) used for every output; tests may replace it to inject faults. */
extern ssize_t (*evp_write_fn)(int, const void *, size_t);

#endif
