#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "core/worker.h"
#include "core/wq.h"
#include "core/xalloc.h"

struct chunk {
	char	*p;
	size_t	 len;
};

struct evp_wq {
	int		 fd;
	evp_write_t	 write_fn;
	evp_wq_out_t	 out;			/* or this, if set */
	void		*arg;
	struct evp_worker w;			/* w.stop: no more will come */
	struct chunk	 q[EVP_WQ_NBUF];	/* handed over, oldest at head */
	size_t		 head, n;
	char		*spare[EVP_WQ_NBUF];	/* written, ready to refill */
	size_t		 nspare;
	size_t		 nbuf;			/* buffers made so far */
	int		 busy;			/* the thread is writing one */
	int		 err;
};

int
evp_write_all(evp_write_t write_fn, int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write_fn(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static void *
drain(void *arg)
{
	struct evp_wq *q = arg;

	pthread_mutex_lock(&q->w.mu);
	for (;;) {
		while (q->n == 0 && !q->w.stop)
			pthread_cond_wait(&q->w.cv, &q->w.mu);
		if (q->n == 0)
			break;
		struct chunk c = q->q[q->head];
		q->head = (q->head + 1) % EVP_WQ_NBUF;
		q->n--;
		q->busy = 1;
		int err = q->err;
		pthread_mutex_unlock(&q->w.mu);
		if (err == 0)
			err = q->out != NULL ? q->out(q->arg, c.p, c.len) :
			    evp_write_all(q->write_fn, q->fd, c.p, c.len);
		pthread_mutex_lock(&q->w.mu);
		if (q->err == 0)
			q->err = err;
		q->spare[q->nspare++] = c.p;
		q->busy = 0;
		pthread_cond_broadcast(&q->w.cv);
	}
	pthread_mutex_unlock(&q->w.mu);
	return NULL;
}

struct evp_wq *
evp_wq_new(int fd, evp_write_t write_fn)
{
	struct evp_wq *q = xcalloc(1, sizeof(*q));

	q->fd = fd;
	q->write_fn = write_fn;
	if (evp_worker_start(&q->w, drain, q) < 0) {
		free(q);
		return NULL;
	}
	return q;
}

struct evp_wq *
evp_wq_new_out(evp_wq_out_t out, void *arg)
{
	struct evp_wq *q = xcalloc(1, sizeof(*q));

	q->out = out;
	q->arg = arg;
	if (evp_worker_start(&q->w, drain, q) < 0) {
		free(q);
		return NULL;
	}
	return q;
}

char *
evp_wq_put(struct evp_wq *q, char *buf, size_t len)
{
	char *next = NULL;

	pthread_mutex_lock(&q->w.mu);
	/* The queue has room: a buffer is either queued, spare or the caller's. */
	q->q[(q->head + q->n) % EVP_WQ_NBUF] = (struct chunk){ buf, len };
	q->n++;
	q->nbuf += q->nbuf == 0;	/* buf, from the caller */
	pthread_cond_broadcast(&q->w.cv);
	if (q->nspare == 0 && q->nbuf < EVP_WQ_NBUF)
		q->nbuf++;		/* one more buffer: made below */
	else {
		while (q->nspare == 0)
			pthread_cond_wait(&q->w.cv, &q->w.mu);
		next = q->spare[--q->nspare];
	}
	pthread_mutex_unlock(&q->w.mu);
	return next ? next : xmalloc(EVP_WQ_BUF);
}

int
evp_wq_error(struct evp_wq *q)
{
	pthread_mutex_lock(&q->w.mu);
	int err = q->err;
	pthread_mutex_unlock(&q->w.mu);
	return err;
}

int
evp_wq_sync(struct evp_wq *q)
{
	pthread_mutex_lock(&q->w.mu);
	while (q->n > 0 || q->busy)
		pthread_cond_wait(&q->w.cv, &q->w.mu);
	int err = q->err;
	pthread_mutex_unlock(&q->w.mu);
	return err;
}

void
evp_wq_free(struct evp_wq *q)
{
	if (q == NULL)
		return;
	evp_worker_stop(&q->w);
	for (size_t i = 0; i < q->nspare; i++)
		free(q->spare[i]);
	free(q);
}
