#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzzutil.h"

static struct evp_str colnames[FUZZ_NCOL] = {
	EVP_STR("eventId"), EVP_STR("eventTimestamp"), EVP_STR("eventType"),
	EVP_STR("parentEventId"), EVP_STR("userId"), EVP_STR("advertiserId"),
	EVP_STR("deviceId"), EVP_STR("price")
};
const struct evp_header fuzz_cols = { FUZZ_NCOL, colnames, { NULL, 0 }, 0, NULL };

static struct evp_str pathnames[] = {
	EVP_STR("/event"), EVP_STR("/event_collector")
};
const struct evp_names fuzz_paths = { 2, pathnames, NULL };

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	/* Standard output: scripts/fuzz closes stderr (the library's noise). */
	fputs("FUZZ INVARIANT BROKEN: ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	abort();
}

static const char *tmps[8];
static size_t ntmp;

static void
remove_tmps(void)
{
	for (size_t i = 0; i < ntmp; i++)
		unlink(tmps[i]);
}

const char *
fuzz_file_put(struct fuzz_file *f, const void *p, size_t n)
{
	if (!f->open) {
		f->fd = memfd_create("evp-fuzz", MFD_CLOEXEC);
		if (f->fd >= 0 && access("/proc/self/fd", X_OK) == 0)
			snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
		else {
			/* No memfd or no /proc: a temporary file, removed at exit. */
			if (f->fd >= 0)
				close(f->fd);
			const char *dir = getenv("TMPDIR");
			snprintf(f->path, sizeof(f->path), "%s/evp-fuzz-XXXXXX",
			    dir && *dir ? dir : "/tmp");
			f->fd = mkstemp(f->path);
			if (f->fd < 0) {
				perror("fuzz: mkstemp");
				exit(2);
			}
			if (ntmp < sizeof(tmps) / sizeof(tmps[0])) {
				tmps[ntmp++] = f->path;
				if (ntmp == 1)
					atexit(remove_tmps);
			}
		}
		f->open = 1;
	}
	if (ftruncate(f->fd, 0) < 0) {
		perror("fuzz: ftruncate");
		exit(2);
	}
	for (size_t off = 0; off < n; ) {
		ssize_t w = pwrite(f->fd, (const char *)p + off, n - off, (off_t)off);
		if (w <= 0) {
			perror("fuzz: pwrite");
			exit(2);
		}
		off += (size_t)w;
	}
	return f->path;
}

struct evp_buf fuzz_out = EVP_BUF_INIT;
struct evp_ofile fuzz_ofile;

static ssize_t
capture(int fd, const void *p, size_t n)
{
	(void)fd;
	evp_buf_add(&fuzz_out, p, n);
	return (ssize_t)n;
}

void
fuzz_capture_init(void)
{
	evp_write_fn = capture;
	if (evp_ofile_open(&fuzz_ofile, "-") < 0)
		exit(2);
}

/*
 * Decode one code point at a time and compare it with the smallest value
 * of its length, rather than checking byte ranges as lib/text.c does.
 */
int
fuzz_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n; ) {
		unsigned c = p[i], len;
		unsigned long u, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, u = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, u = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, u = c & 0x07, min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (unsigned k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			u = u << 6 | (p[i + k] & 0x3F);
		}
		if (u < min || u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

int
fuzz_has_ctl(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7F)
			return 1;
	return 0;
}

int
fuzz_in_set(const char *s, const char *const *set)
{
	if (s == NULL)
		return 0;
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

const char *
fuzz_show(const char *p, size_t n)
{
	static char buf[4][512];
	static int which;
	char *b = buf[which++ & 3];
	size_t k = 0;

	if (p == NULL)
		return "(null)";
	for (size_t i = 0; i < n && k + 8 < sizeof(buf[0]); i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7F && c != '\\')
			b[k++] = (char)c;
		else
			k += (size_t)snprintf(b + k, sizeof(buf[0]) - k, "\\x%02x", c);
	}
	if (k + 8 >= sizeof(buf[0]))
		memcpy(b + k, "...", 4);
	else
		b[k] = '\0';
	return b;
}

size_t
fuzz_line_model(const char *d, size_t n, size_t maxline, struct fuzz_line **out)
{
	size_t cap = 16, k = 0, i = 0;
	struct fuzz_line *v = malloc(cap * sizeof(*v));

	if (maxline == 0)
		maxline = 1024 * 1024;
	while (i < n) {
		const char *nl = memchr(d + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - d) : n;
		struct fuzz_line l = { d + i, e - i, 0, e - (nl == NULL), 0,
		    nl == NULL, 0 };
		if (l.len > 0 && l.p[l.len - 1] == '\r') {
			l.len--;
			l.crlf = 1;
		}
		if (k == 0 && l.len >= 3 && memcmp(l.p, "\xEF\xBB\xBF", 3) == 0) {
			l.p += 3;
			l.len -= 3;
		}
		l.full = l.len;
		if (l.len > maxline) {
			l.len = maxline;
			l.toolong = 1;
		}
		if (k == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
		}
		v[k++] = l;
		i = e + (nl != NULL);
	}
	*out = v;
	return k;
}

enum fuzz_kind
fuzz_kind(const uint8_t *d, size_t n)
{
	static const struct { const char *m; size_t len; } refused[] = {
		{ "\x50\x4B\x03\x04", 4 }, { "\xFF\xFE", 2 }, { "\xFE\xFF", 2 },
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (n >= refused[i].len && memcmp(d, refused[i].m, refused[i].len) == 0)
			return FUZZ_REFUSED;
	if (n >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return FUZZ_GZIP;
	/* zstd: a frame, or a skippable frame (0x184D2A50 to 5F). */
	if (n >= 4 && ((d[0] == 0x28 && d[1] == 0xB5 && d[2] == 0x2F &&
	    d[3] == 0xFD) || ((d[0] & 0xF0) == 0x50 && d[1] == 0x2A &&
	    d[2] == 0x4D && d[3] == 0x18)))
		return FUZZ_ZSTD;
	if (n >= 6 && memcmp(d, "\xFD" "7zXZ\0", 6) == 0)
		return FUZZ_XZ;
	if (n >= 4 && memcmp(d, "BZh", 3) == 0 && d[3] >= '1' && d[3] <= '9')
		return FUZZ_BZIP2;
	return FUZZ_PLAIN;
}

int
fuzz_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

uint32_t
fuzz_hash(const void *d, size_t n)
{
	const unsigned char *p = d;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static struct {
	const char	*d;
	size_t		 n, maxchunk;
	uint32_t	 seed;
	int		 wfd, saved0;
	pthread_t	 thread;
} feed;

static void *
feeder(void *arg)
{
	uint32_t x = feed.seed | 1;
	size_t off = 0;

	(void)arg;
	while (off < feed.n) {
		size_t k;
		if (off < 6)
			k = 6 - off;
		else {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			k = 1 + x % feed.maxchunk;
		}
		if (k > feed.n - off)
			k = feed.n - off;
		ssize_t w = send(feed.wfd, feed.d + off, k, MSG_NOSIGNAL);
		if (w < 0)
			break;		/* the reader went away */
		off += (size_t)w;
	}
	close(feed.wfd);
	return NULL;
}

void
fuzz_stdin_start(const void *d, size_t n, uint32_t seed, size_t maxchunk)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
		perror("fuzz: socketpair");
		exit(2);
	}
	feed.d = d;
	feed.n = n;
	feed.seed = seed;
	feed.maxchunk = maxchunk ? maxchunk : 1;
	feed.wfd = sv[1];
	feed.saved0 = dup(0);		/* -1 if standard input was closed */
	if (dup2(sv[0], 0) < 0) {
		perror("fuzz: dup2");
		exit(2);
	}
	close(sv[0]);
	if (pthread_create(&feed.thread, NULL, feeder, NULL) != 0) {
		perror("fuzz: pthread_create");
		exit(2);
	}
}

void
fuzz_stdin_end(void)
{
	char buf[4096];

	/* Let the feeder finish: read what is left, then wait for it. */
	while (read(0, buf, sizeof(buf)) > 0)
		continue;
	pthread_join(feed.thread, NULL);
	if (feed.saved0 >= 0) {
		dup2(feed.saved0, 0);
		close(feed.saved0);
	} else
		close(0);
}
