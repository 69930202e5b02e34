#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "spill.h"
#include "xalloc.h"

#define IOBUF	(1 << 20)

/* A record in the file: this header, then its n fields, packed. */
struct head {
	uint64_t	 size;		/* of the packed fields */
	uint64_t	 line;
	const char	*source;
	uint32_t	 n;
	uint32_t	 tag;
};

void
evp_spill_init(struct evp_spill *s)
{
	memset(s, 0, sizeof(*s));
}

static int
fail(const char *what)
{
	return evp_error(NULL, 0, "cannot %s a temporary file: %s", what,
	    errno ? strerror(errno) : "unexpected end");
}

static int
create(struct evp_spill *s)
{
	const char *dir = getenv("TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	size_t n = strlen(dir) + sizeof("/evp-XXXXXX");
	char *path = xmalloc(n);
	snprintf(path, n, "%s/evp-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	free(path);
	if (fd < 0 || (s->fp = fdopen(fd, "w+")) == NULL) {
		evp_error(dir, 0, "cannot create a temporary file: %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	s->iobuf = xmalloc(IOBUF);
	setvbuf(s->fp, s->iobuf, _IOFBF, IOBUF);
	return 0;
}

int
evp_spill_put(struct evp_spill *s, const struct evp_rec *r, uint32_t tag)
{
	struct head h = { evp_pack_size(r->f, r->n), r->at.line, r->at.source,
	    (uint32_t)r->n, tag };

	if (s->fp == NULL && create(s) < 0)
		return -1;
	evp_buf_reset(&s->rec);
	evp_buf_grow(&s->rec, h.size);
	evp_pack((unsigned char *)s->rec.p, r->f, r->n);
	errno = 0;
	if (fwrite(&h, sizeof(h), 1, s->fp) != 1 ||
	    fwrite(s->rec.p, 1, h.size, s->fp) != h.size)
		return fail("write");
	s->n++;
	return 0;
}

int
evp_spill_rewind(struct evp_spill *s)
{
	errno = 0;
	if (s->fp != NULL &&
	    (fflush(s->fp) != 0 || fseek(s->fp, 0, SEEK_SET) != 0))
		return fail("read");
	return 0;
}

int
evp_spill_get(struct evp_spill *s, struct evp_rec *r, uint32_t *tag)
{
	struct head h;

	if (s->fp == NULL)
		return 0;
	errno = 0;
	if (fread(&h, sizeof(h), 1, s->fp) != 1)
		return ferror(s->fp) ? fail("read") : 0;
	evp_buf_reset(&s->rec);
	evp_buf_grow(&s->rec, h.size);
	if (fread(s->rec.p, 1, h.size, s->fp) != h.size)
		return fail("read");
	if (s->fcap < h.n) {
		s->fcap = h.n;
		s->f = xrealloc(s->f, s->fcap * sizeof(*s->f));
	}
	const unsigned char *p = (const unsigned char *)s->rec.p;
	if (evp_unpack(p, s->f, h.n) != p + h.size) {
		errno = 0;
		return fail("read back");
	}
	*r = (struct evp_rec){ h.n, s->f, { h.source, h.line } };
	if (tag != NULL)
		*tag = h.tag;
	return 1;
}

void
evp_spill_release(struct evp_spill *s)
{
	if (s->fp != NULL)
		fclose(s->fp);
	free(s->iobuf);
	free(s->f);
	evp_buf_release(&s->rec);
	memset(s, 0, sizeof(*s));
}
