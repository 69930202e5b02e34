#ifndef EVP_OUTDIR_H
#define EVP_OUTDIR_H

/*
 * A directory a run writes its files into: created with its parents if
 * missing, and locked for the whole run.  The caller owns the paths made
 * here (free them).
 */

/* mkdir -p dir; 0, or -1 after reporting why (or that it is no directory). */
int	evp_outdir_make(const char *dir);

/*
 * Hold dir/.evp-run.lock for the rest of the process, so that a second
 * run into the same directory is refused instead of interleaving its
 * files; the kernel drops the lock when the process ends, however it
 * ends.  0, or -1 after reporting why.
 */
int	evp_outdir_lock(const char *dir);

/* "dir/name", allocated. */
char	*evp_outdir_path(const char *dir, const char *name);

#endif
