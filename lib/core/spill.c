#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/pack.h"
#include "core/spill.h"
#include "core/xalloc.h"

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
	s->fd = -1;
}

static int
fail(const char *what, int err)
{
	return evp_error(NULL, 0, "cannot %s a temporary file: %s", what,
	    err ? strerror(err) : "unexpected end");
}

int
evp_spill_tmpfd(void)
{
	const char *dir = getenv("TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	size_t n = strlen(dir) + sizeof("/evp-XXXXXX");
	char *path = xmalloc(n);
	snprintf(path, n, "%s/evp-XXXXXX", dir);
	int fd = mkstemp(path);
	int err = errno;
	if (fd >= 0)
		unlink(path);
	free(path);
	if (fd < 0) {
		evp_error(dir, 0, "cannot create a temporary file: %s",
		    strerror(err));
		errno = err;
	}
	return fd;
}

static int
create(struct evp_spill *s)
{
	if ((s->fd = evp_spill_tmpfd()) < 0)
		return -1;
	evp_ofile_attach(&s->out, s->fd, "a temporary file");
	return 0;
}

int
evp_spill_put(struct evp_spill *s, const struct evp_rec *r, uint32_t tag)
{
	struct evp_ofile *o = &s->out;
	struct head h = { evp_pack_size(r->f, r->n), r->at.line, r->at.source,
	    (uint32_t)r->n, tag };

	if (s->fd < 0 && create(s) < 0)
		return -1;
	if (!o->open)		/* failed before, and said so */
		return -1;
	evp_ofile_write(o, &h, sizeof(h));
	if (h.size <= o->cap - o->len) {	/* packed in the buffer */
		evp_pack((unsigned char *)o->buf + o->len, r->f, r->n);
		o->len += h.size;
	} else {
		unsigned char *t = xmalloc(h.size ? h.size : 1);
		evp_pack(t, r->f, r->n);
		evp_ofile_write(o, t, h.size);
		free(t);
	}
	if (o->err) {
		evp_ofile_abort(o);	/* says why */
		return -1;
	}
	s->n++;
	return 0;
}

int
evp_spill_rewind(struct evp_spill *s)
{
	if (s->fd < 0)
		return 0;
	if (s->out.open && evp_ofile_commit(&s->out) < 0)
		return -1;
	if (s->in.buf == NULL) {
		s->in.cap = 1 << 20;
		s->in.buf = xmalloc(s->in.cap);
	}
	s->in.fd = s->fd;
	s->in.off = 0;
	s->in.end = EVP_RDBUF_EOF;
	s->in.len = s->in.pos = 0;
	return 0;
}

int
evp_spill_get(struct evp_spill *s, struct evp_rec *r, uint32_t *tag)
{
	struct head h;
	int rc;

	if (s->fd < 0)
		return 0;
	if ((rc = evp_rdbuf_fill(&s->in, sizeof(h))) <= 0) {
		if (rc < 0)
			return fail("read", errno);
		if (s->in.len > s->in.pos)
			return fail("read back", 0);
		return 0;
	}
	memcpy(&h, s->in.buf + s->in.pos, sizeof(h));
	s->in.pos += sizeof(h);
	if ((rc = evp_rdbuf_fill(&s->in, h.size)) <= 0)
		return fail(rc < 0 ? "read" : "read back", rc < 0 ? errno : 0);
	if (s->fcap < h.n) {
		s->fcap = h.n;
		s->f = xrealloc(s->f, s->fcap * sizeof(*s->f));
	}
	const unsigned char *p = s->in.buf + s->in.pos;
	if (evp_unpack(p, s->f, h.n) != p + h.size)
		return fail("read back", 0);
	s->in.pos += h.size;
	*r = (struct evp_rec){ h.n, s->f, { h.source, h.line }, { NULL, 0 } };
	if (tag != NULL)
		*tag = h.tag;
	return 1;
}

void
evp_spill_release(struct evp_spill *s)
{
	if (s->out.open) {
		s->out.len = 0;		/* nothing more to write */
		evp_ofile_abort(&s->out);
	}
	if (s->fd >= 0)
		close(s->fd);
	free(s->in.buf);
	free(s->f);
	evp_spill_init(s);
}
