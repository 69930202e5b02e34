#ifndef EVP_WQ_H
#define EVP_WQ_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Writes to one file descriptor, done by a thread of their own: the
 * caller hands over a full buffer and goes on filling another while the
 * kernel copies the first, so that on two cores the copy costs it
 * nothing.  Buffers of EVP_WQ_BUF bytes, at most EVP_WQ_NBUF of them.
 * After a failed write the rest is dropped and the error kept.
 */
#define EVP_WQ_BUF	(256 * 1024)
#define EVP_WQ_NBUF	4

struct evp_wq;

/*
 * Start writing to fd with write_fn (write(2), or a test's).  NULL if no
 * thread can be started: the caller writes itself.
 */
typedef ssize_t (*evp_write_t)(int, const void *, size_t);
struct evp_wq *evp_wq_new(int fd, evp_write_t write_fn);

/*
 * The same with out(arg, p, n) doing the work of each buffer (compress
 * and write it, say): it returns 0, or an errno kept as a failed write's.
 */
typedef int (*evp_wq_out_t)(void *arg, const void *p, size_t n);
struct evp_wq *evp_wq_new_out(evp_wq_out_t out, void *arg);

/* Write all of p[0..n) to fd, retrying on EINTR: 0, or the errno. */
int	 evp_write_all(evp_write_t write_fn, int fd, const void *p, size_t n);

/*
 * Hand over buf[0..len) (a buffer of EVP_WQ_BUF bytes from malloc, now the
 * queue's) and get an empty one back, waiting for one if all are in use.
 */
char	*evp_wq_put(struct evp_wq *q, char *buf, size_t len);

/* The errno of the first failed write so far, or 0. */
int	 evp_wq_error(struct evp_wq *q);

/* Wait until everything handed over is written; then evp_wq_error. */
int	 evp_wq_sync(struct evp_wq *q);

/* Sync, stop the thread and free its buffers. */
void	 evp_wq_free(struct evp_wq *q);

#endif
