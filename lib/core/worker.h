#ifndef EVP_WORKER_H
#define EVP_WORKER_H

#include <pthread.h>

/*
 * A thread that works beside its owner, with the lock and the condition
 * the two share and a flag that tells the thread to stop.  The owner
 * embeds the worker and owns the thread: evp_worker_stop joins it.
 */
struct evp_worker {
	pthread_t	 tid;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 stop;		/* set by evp_worker_stop, under mu */
};

/* Start fn(arg): 0, or -1 if no thread could be started (nothing to stop). */
int	evp_worker_start(struct evp_worker *w, void *(*fn)(void *), void *arg);

/* Set stop, wake the thread, wait for it to end, release the lock. */
void	evp_worker_stop(struct evp_worker *w);

#endif
