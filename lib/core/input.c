#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/decode.h"
#include "core/bunzip2.h"
#include "core/gunzip.h"
#include "core/input.h"
#include "core/progress.h"
#include "core/unxz.h"
#include "core/unzstd.h"
#include "core/xalloc.h"

#define RAWBUF	(256 * 1024)

static ssize_t
read_full(int fd, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static const struct {
	const char	*magic;
	size_t		 len;
	const char	*what, *verb, *hint;
} refused[] = {
	{ "\x50\x4B\x03\x04", 4, "zip-compressed", "decompress", "unzip -p" },
	/* UTF-16's NUL bytes would make every field unreadable. */
	{ "\xFF\xFE", 2, "UTF-16", "convert", "iconv -f UTF-16 -t UTF-8" },
	{ "\xFE\xFF", 2, "UTF-16", "convert", "iconv -f UTF-16 -t UTF-8" },
};

/* The compression format the first bytes say, or NULL for plain text. */
static const struct evp_codec *
codec_of(const unsigned char *h, size_t n)
{
	static const unsigned char xz[6] = { 0xFD, '7', 'z', 'X', 'Z', 0 };

	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return &evp_gzip_codec;
	if (n >= 4 && evp_zstd_magic(h, 4))
		return &evp_zstd_codec;
	if (n >= 6 && memcmp(h, xz, 6) == 0)
		return &evp_xz_codec;
	if (n >= 4 && evp_bzip2_magic(h, 4))
		return &evp_bzip2_codec;
	return NULL;
}

int
evp_input_open(struct evp_input *in, const char *name, size_t maxline)
{
	memset(in, 0, sizeof(*in));
	in->name = name;
	in->maxline = maxline ? maxline : EVP_MAXLINE_DEFAULT;
	in->first = 1;
	in->dmg = SIZE_MAX;
	if (strcmp(name, "-") == 0)
		in->fd = 0;
	else {
		in->fd = open(name, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return evp_error(name, 0, "%s", strerror(errno));
		in->ownfd = 1;
	}
	/* The buffer holds a whole line at the limit plus one read. */
	in->cap = in->maxline + RAWBUF + 2;
	in->buf = xmalloc(in->cap);

	unsigned char head[6];
	ssize_t n = read_full(in->fd, head, sizeof(head));
	if (n < 0) {
		evp_error(name, 0, "%s", strerror(errno));
		evp_input_close(in);
		return -1;
	}
	in->bytes_in = (uint64_t)n;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if ((size_t)n >= refused[i].len &&
		    memcmp(head, refused[i].magic, refused[i].len) == 0) {
			evp_error(name, 0, "%s input is not read; "
			    "%s it first (%s FILE | %s -)", refused[i].what,
			    refused[i].verb, refused[i].hint, evp_progname());
			evp_input_close(in);
			return -1;
		}
	const struct evp_codec *codec = codec_of(head, (size_t)n);
	if (codec != NULL) {
		in->z = evp_decode_start(codec, in->fd, head, (size_t)n);
		in->damage = codec->damaged;
	} else {
		memcpy(in->buf, head, (size_t)n);
		in->end = (size_t)n;
		if (n < (ssize_t)sizeof(head))
			in->eof = 1;
	}
	return 0;
}

/*
 * Decoded bytes into buf[end..cap).  Bytes of a damaged member come last
 * (damage ends the stream): dmg marks where they begin.  The damage is
 * reported at the end, when it is known which lines it took.
 */
static ssize_t
fill_decoded(struct evp_input *in)
{
	int damaged = 0;
	ssize_t r = evp_decode_read(in->z, in->buf + in->end, in->cap - in->end,
	    &damaged, &in->why, &in->err, &in->cut);

	if (r > 0) {
		if (damaged && in->dmg == SIZE_MAX)
			in->dmg = in->end;
		in->end += (size_t)r;
	} else {
		/* A damaged member with no bytes: the damage starts here. */
		if (r < 0 && damaged && in->dmg == SIZE_MAX)
			in->dmg = in->end;
		in->failed = r < 0;
		in->eof = 1;
	}
	return r;
}

/* Say how the input failed, once, now that its last line was read. */
static void
report(struct evp_input *in)
{
	unsigned long long a = in->first_bad, b = in->lineno;
	char lines[64];

	if (in->reported || in->why == NULL)
		return;
	in->reported = 1;
	if (in->err)
		evp_error(in->name, 0, "%s: %s", in->why, strerror(in->err));
	else if (a == 0)
		evp_error(in->name, 0, "%s (after line %llu)", in->why, b);
	else {
		if (a < b)
			snprintf(lines, sizeof(lines), "lines %llu-%llu", a, b);
		else
			snprintf(lines, sizeof(lines), "line %llu", a);
		evp_error(in->name, 0, "%s: %s refused (%s)", in->why, lines,
		    in->dmg != SIZE_MAX ? "corrupt_member" : "truncated_line");
	}
}

/* Read more bytes into buf[end..).  Return bytes added, 0 at end, -1 on error. */
static ssize_t
fill(struct evp_input *in)
{
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		if (in->dmg != SIZE_MAX)
			in->dmg = in->dmg > in->start ? in->dmg - in->start : 0;
		in->start = 0;
	}
	if (in->z != NULL)
		return in->failed ? -1 : in->eof ? 0 : fill_decoded(in);
	if (in->eof)
		return 0;
	ssize_t r;
	do
		r = read(in->fd, in->buf + in->end, in->cap - in->end);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		in->failed = in->cut = 1;
		return evp_error(in->name, 0, "%s", strerror(errno));
	}
	if (r == 0)
		in->eof = 1;
	in->bytes_in += (uint64_t)r;
	in->end += (size_t)r;
	return r;
}

/* Raw bytes read from the file so far, for progress. */
static uint64_t
raw_bytes(const struct evp_input *in)
{
	return in->z != NULL ? evp_decode_bytes_in(in->z) : in->bytes_in;
}

/*
 * Return s[0..len) as the next line.  nl says a line end followed it; a
 * line over the limit (toolong) keeps its first maxline bytes.  The line
 * ran to buf[last] (its line end, or its last byte): past dmg, it holds
 * bytes of a damaged member.
 */
static void
emit(struct evp_input *in, struct evp_line *l, char *s, size_t len, int nl,
    int toolong, size_t last)
{
	memset(l, 0, sizeof(*l));
	l->noeol = !nl;
	/* A last line with no line end runs into damage right after it. */
	l->damaged = in->dmg != SIZE_MAX && (last >= in->dmg ||
	    (!nl && last + 1 >= in->dmg));
	/* The last line of an input cut short was cut short too. */
	l->truncated = !nl && in->cut && !l->damaged;
	/* A CR ends a line as CRLF does, also the last one with no LF after. */
	if (!toolong && len > 0 && s[len - 1] == '\r') {
		len--;
		l->crlf = 1;
	}
	if (in->first) {
		in->first = 0;
		if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
	}
	if (toolong || len > in->maxline) {
		len = len < in->maxline ? len : in->maxline;
		l->toolong = 1;
	}
	l->p = s;
	l->len = len;
	l->no = ++in->lineno;
	if ((l->damaged || l->truncated) && in->first_bad == 0)
		in->first_bad = l->no;
	in->last = *l;
	if (evp_progress_line())
		evp_progress_draw(raw_bytes(in));
}

/* The first non-blank lines, up to n, that the buffer holds whole. */
static size_t
peek_lines(struct evp_input *in, struct evp_str *lines, size_t n)
{
	size_t k = 0;
	const char *p = in->buf + in->start, *end = in->buf + in->end;
	if (in->first && end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (k < n && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL && !in->eof)
			break;		/* a line the buffer does not hold whole */
		const char *e = nl ? nl : end;
		size_t len = (size_t)(e - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		size_t i = 0;
		while (i < len && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < len)
			lines[k++] = (struct evp_str){ p, len };
		p = nl ? nl + 1 : end;
	}
	return k;
}

size_t
evp_input_peek(struct evp_input *in, struct evp_str *lines, size_t n)
{
	size_t k;

	/* Read more, keeping every byte, until n lines, the end or a full buffer. */
	while ((k = peek_lines(in, lines, n)) < n && in->start == 0 &&
	    in->end < in->cap && !in->eof)
		if (fill(in) <= 0)
			break;
	return peek_lines(in, lines, n);
}

void
evp_input_unread(struct evp_input *in)
{
	in->replay = 1;
}

int
evp_input_line(struct evp_input *in, struct evp_line *l)
{
	size_t scanned = 0;
	int at_end = 0;

	if (in->replay) {
		in->replay = 0;
		*l = in->last;
		return 1;
	}
	for (;;) {
		char *s = in->buf + in->start;
		size_t avail = in->end - in->start;
		char *nl = memchr(s + scanned, '\n', avail - scanned);

		if (in->skipping) {
			/*
			 * The rest of a line over the limit: drop it up to its
			 * end, then return its kept first bytes.
			 */
			if (nl != NULL || at_end) {
				size_t last = nl ? in->start + (size_t)(nl - s) :
				    in->end - 1;
				in->start = last + 1;
				in->skipping = 0;
				emit(in, l, in->head.p, in->head.len, nl != NULL, 1,
				    last);
				return 1;
			}
			in->start = in->end;
			scanned = 0;
		} else if (nl != NULL) {
			size_t len = (size_t)(nl - s), last = in->start + len;
			in->start += len + 1;
			emit(in, l, s, len, 1, 0, last);
			return 1;
		} else if (avail > in->maxline + 1 + (in->first ? 3 : 0)) {
			/* Past the limit even without a CR (and a first BOM). */
			evp_buf_reset(&in->head);
			evp_buf_add(&in->head, s, in->maxline + 1 + (in->first ? 3 : 0));
			in->start = in->end;
			in->skipping = 1;
			scanned = 0;
			continue;
		} else if (at_end && avail > 0) {
			in->start = in->end;
			emit(in, l, s, avail, 0, 0, in->end - 1);
			return 1;
		} else
			scanned = avail;
		if (at_end) {
			report(in);
			return in->failed ? -1 : 0;
		}
		/* On failure, what was read still comes out, line by line. */
		if (fill(in) <= 0)
			at_end = 1;
	}
}

void
evp_input_close(struct evp_input *in)
{
	if (in->buf != NULL)
		evp_progress_file_done(raw_bytes(in));
	evp_decode_free(in->z);
	in->z = NULL;
	if (in->ownfd && in->fd >= 0)
		close(in->fd);
	in->fd = -1;
	free(in->buf);
	in->buf = NULL;
	evp_buf_release(&in->head);
}

int
evp_line_blank(const struct evp_line *l)
{
	if (l->toolong)
		return 0;	/* what was kept of it may be blank, the rest not */
	for (size_t i = 0; i < l->len; i++)
		if (l->p[i] != ' ' && l->p[i] != '\t')
			return 0;
	return 1;
}
