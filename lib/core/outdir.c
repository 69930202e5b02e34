#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/outdir.h"
#include "core/xalloc.h"

int
evp_outdir_make(const char *dir)
{
	char *p;
	int rc = 0;

	if (*dir == '\0')
		return evp_error(NULL, 0, "an empty directory name");
	p = xstrdup(dir);
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			rc = evp_error(p, 0, "cannot create directory: %s",
			    strerror(errno));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	struct stat st;
	if (rc == 0 && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = evp_error(dir, 0, "not a directory");
	free(p);
	return rc;
}

int
evp_outdir_lock(const char *dir)
{
	char *p = evp_outdir_path(dir, ".evp-run.lock");
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0)
		evp_error(p, 0, "cannot create lock: %s", strerror(errno));
	else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			evp_error(dir, 0, "another evp run is writing here");
		else
			evp_error(p, 0, "cannot lock: %s", strerror(errno));
		close(fd);
		fd = -1;
	}
	free(p);
	return fd < 0 ? -1 : 0;
}

char *
evp_outdir_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}
