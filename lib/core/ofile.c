/* realpath(3) is XSI in glibc. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/ofile.h"
#include "core/wq.h"
#include "core/xalloc.h"
#include "core/zout.h"

#define OBUF	EVP_WQ_BUF
#define MAXTMP	16

ssize_t (*evp_write_fn)(int, const void *, size_t) = write;
int evp_ofile_sync;

/*
 * Temporaries not yet committed, removed by the exit and signal handlers.
 * Plain array of pointers: a signal handler may only call unlink().
 */
static char *volatile pending[MAXTMP];
static int handlers_set;

static void
cleanup(void)
{
	for (int i = 0; i < MAXTMP; i++)
		if (pending[i] != NULL)
			unlink(pending[i]);
}

static void
on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
set_handlers(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE };
	struct sigaction sa;

	if (handlers_set)
		return;
	handlers_set = 1;
	atexit(cleanup);
	/* Past a file size limit, write() fails with EFBIG: an ordinary error. */
	signal(SIGXFSZ, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;	/* keep nohup's choice */
		sigaction(sigs[i], &sa, NULL);
	}
}

static void
track(char *tmp, int add)
{
	for (int i = 0; i < MAXTMP; i++)
		if (add ? pending[i] == NULL : pending[i] == tmp) {
			pending[i] = add ? tmp : NULL;
			return;
		}
}

/*
 * Open path for writing in place: for what exists and is not a regular
 * file (a device such as /dev/null, a FIFO), where a rename would replace
 * the special file itself.
 */
static int
open_in_place(struct evp_ofile *f, const char *path)
{
	f->fd = open(path, O_WRONLY | O_CLOEXEC);
	if (f->fd < 0)
		return evp_error(path, 0, "cannot open: %s", strerror(errno));
	f->name = path;
	f->special = 1;
	return 0;
}

char *
evp_ofile_target(const char *path)
{
	struct stat st;
	char *p = xstrdup(path), *r;

	for (int hops = 0; hops < 40; hops++) {
		if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode))
			return p;
		if ((r = realpath(p, NULL)) != NULL) {
			free(p);
			return r;
		}
		/* Dangling: read the link and go on from where it points. */
		char target[4096];
		ssize_t n = readlink(p, target, sizeof(target) - 1);
		if (n <= 0)
			return p;
		target[n] = '\0';
		const char *slash = strrchr(p, '/');
		size_t dirlen = target[0] == '/' || slash == NULL ? 0 :
		    (size_t)(slash - p) + 1;
		r = xmalloc(dirlen + (size_t)n + 1);
		memcpy(r, p, dirlen);
		memcpy(r + dirlen, target, (size_t)n + 1);
		free(p);
		p = r;
	}
	return p;
}

/* Create the temporary beside path, with the mode the file will have. */
static int
open_temp(struct evp_ofile *f, char *path)
{
	struct stat st;
	size_t n = strlen(path);
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	mode_t mode;

	set_handlers();
	f->path = path;
	f->tmp = xmalloc(n + 16);
	snprintf(f->tmp, n + 16, "%.*s.%s.XXXXXX", (int)dirlen, path,
	    path + dirlen);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		int e = errno;
		free(f->tmp);
		f->tmp = f->path = NULL;
		free(path);
		return e;
	}
	track(f->tmp, 1);
	/* mkstemp makes 0600: a file replaced keeps its mode, a new one
	 * gets an ordinary file's. */
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	fchmod(f->fd, mode);
	f->name = f->path;
	return 0;
}

int
evp_ofile_open(struct evp_ofile *f, const char *path)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->fd = 1;
	f->name = "standard output";
	if (path != NULL && strcmp(path, "-") != 0) {
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			if (open_in_place(f, path) < 0)
				return -1;
		} else {
			int e = open_temp(f, evp_ofile_target(path));
			if (e != 0)
				return evp_error(path, 0, "cannot create: %s",
				    strerror(e));
		}
	}
	f->buf = xmalloc(OBUF);
	f->cap = OBUF;
	f->open = 1;
	return 0;
}

void
evp_ofile_attach(struct evp_ofile *f, int fd, const char *name)
{
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->name = name;
	f->buf = xmalloc(OBUF);
	f->cap = OBUF;
	f->open = 1;
}

/* evp_write_fn as it is when the write is done (tests replace it). */
static ssize_t
write_now(int fd, const void *p, size_t n)
{
	return evp_write_fn(fd, p, n);
}

void
evp_ofile_compress(struct evp_ofile *f, int kind)
{
	if (kind != EVP_Z_NONE && f->z == NULL)
		f->z = evp_zout_new((enum evp_zkind)kind, write_now, f->fd);
}

static int
zout_put(void *z, const void *p, size_t n)
{
	return evp_zout_write(z, p, n);
}

/* Write p[0..n) here, compressed if it is to be: 0, or an errno. */
static int
put(struct evp_ofile *f, const void *p, size_t n)
{
	return f->z != NULL ? evp_zout_write(f->z, p, n) :
	    evp_write_all(evp_write_fn, f->fd, p, n);
}

void
evp_ofile_full(struct evp_ofile *f)
{
	if (f->wq == NULL && f->err == 0)
		f->wq = f->z != NULL ? evp_wq_new_out(zout_put, f->z) :
		    evp_wq_new(f->fd, evp_write_fn);
	if (f->wq == NULL) {		/* no thread: write here */
		if (f->err == 0)
			f->err = put(f, f->buf, f->len);
	} else {
		f->buf = evp_wq_put(f->wq, f->buf, f->len);
		if (f->err == 0)
			f->err = evp_wq_error(f->wq);
	}
	f->len = 0;
}

int
evp_ofile_flush(struct evp_ofile *f)
{
	if (f->wq == NULL) {
		if (f->err == 0 && f->len > 0)
			f->err = put(f, f->buf, f->len);
		f->len = 0;
	} else {
		if (f->len > 0)
			evp_ofile_full(f);
		int err = evp_wq_sync(f->wq);
		if (f->err == 0)
			f->err = err;
	}
	return f->err ? -1 : 0;
}

void
evp_ofile_write(struct evp_ofile *f, const void *p, size_t n)
{
	const char *c = p;

	while (n > f->cap - f->len) {
		size_t room = f->cap - f->len;
		memcpy(f->buf + f->len, c, room);
		f->len += room;
		c += room;
		n -= room;
		evp_ofile_full(f);
	}
	memcpy(f->buf + f->len, c, n);
	f->len += n;
}

static void
release(struct evp_ofile *f)
{
	evp_wq_free(f->wq);
	f->wq = NULL;
	evp_zout_free(f->z);
	f->z = NULL;
	if (f->tmp != NULL)
		track(f->tmp, 0);
	free(f->tmp);
	free(f->path);
	free(f->buf);
	f->tmp = f->path = f->buf = NULL;
	f->open = 0;
}

int
evp_ofile_commit(struct evp_ofile *f)
{
	if (!f->open)
		return 0;
	evp_ofile_flush(f);
	/* The writing thread is idle after the flush: end the unit here. */
	if (f->z != NULL && f->err == 0)
		f->err = evp_zout_finish(f->z);
	if (f->path == NULL) {
		int err = f->err;
		const char *name = f->name;
		if (f->special && close(f->fd) < 0 && err == 0)
			err = errno;
		if (err)
			evp_error(NULL, 0, "write error on %s: %s", name, strerror(err));
		release(f);
		return err ? -1 : 0;
	}
	if (f->err == 0 && evp_ofile_sync && fsync(f->fd) < 0)
		f->err = errno;
	if (close(f->fd) < 0 && f->err == 0)
		f->err = errno;
	f->fd = -1;
	if (f->err == 0 && rename(f->tmp, f->path) < 0)
		f->err = errno;
	if (f->err) {
		int err = f->err;
		unlink(f->tmp);
		evp_error(f->path, 0, "cannot write: %s", strerror(err));
		release(f);
		return -1;
	}
	release(f);
	return 0;
}

void
evp_ofile_abort(struct evp_ofile *f)
{
	if (!f->open)
		return;
	if (f->path != NULL) {
		/* The thread must be done with fd before it is closed. */
		evp_wq_free(f->wq);
		f->wq = NULL;
		close(f->fd);
		unlink(f->tmp);
	} else {
		evp_ofile_flush(f);
		if (f->special)
			close(f->fd);
	}
	/* A write that failed is why the run stops: say so. */
	if (f->err)
		evp_error(NULL, 0, "write error on %s: %s", f->name,
		    strerror(f->err));
	release(f);
}
