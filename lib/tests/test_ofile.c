/*
 * Unit tests for lib/ofile: output that appears complete or not at all
 * (SPEC section 7).  Each test works in a fresh directory made with
 * mkdtemp, so it can check that no temporary is left beside the output.
 * Write failures are injected through evp_write_fn.  Compressed outputs
 * (gzip, zstd) are read back with zlib and libzstd.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/ofile.h"
#include "core/zout.h"
#include "stages/run.h"

static char dir[4096];
static char out[4200];
static struct evp_buf got = EVP_BUF_INIT;
static struct evp_buf data = EVP_BUF_INIT;
static ssize_t (*real_write)(int, const void *, size_t);

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	if (t == NULL || *t == '\0')
		t = "/tmp";
	snprintf(dir, sizeof(dir), "%s/evp-test-ofile-XXXXXX", t);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(out, sizeof(out), "%s/out.csv", dir);
	real_write = evp_write_fn;
	return 0;
}

/* Remove everything in dir, then dir. */
static int
teardown(void **state)
{
	DIR *d;
	struct dirent *e;
	char p[8400];

	(void)state;
	evp_write_fn = real_write;
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
	evp_buf_release(&got);
	evp_buf_release(&data);
	return 0;
}

/* The names in dir, sorted, joined with spaces. */
static void
list_dir(struct evp_buf *b)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n >= 0);
	evp_buf_reset(b);
	evp_buf_adds(b, "");
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 &&
		    strcmp(names[i]->d_name, "..") != 0) {
			if (b->len > 0)
				evp_buf_addc(b, ' ');
			evp_buf_adds(b, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
}

static void
expect_dir(const char *want)
{
	struct evp_buf b = EVP_BUF_INIT;

	list_dir(&b);
	if (strcmp(b.p, want) != 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "folder holds '%s', want '%s'", b.p, want);
		evp_buf_release(&b);
		fail_msg("%s", msg);
	}
	evp_buf_release(&b);
}

/* The contents of path into got; -1 if it cannot be opened. */
static int
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char b[65536];
	size_t n;

	evp_buf_reset(&got);
	evp_buf_adds(&got, "");
	if (fp == NULL)
		return -1;
	while ((n = fread(b, 1, sizeof(b), fp)) > 0)
		evp_buf_add(&got, b, n);
	fclose(fp);
	return 0;
}

static void
put_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fputs(s, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void
expect_content(const char *path, const void *want, size_t n)
{
	if (slurp(path) < 0)
		fail_msg("%s does not exist", path);
	if (got.len != n)
		fail_msg("%s holds %zu bytes, want %zu", path, got.len, n);
	if (n > 0 && memcmp(got.p, want, n) != 0)
		for (size_t i = 0; i < n; i++)
			if (got.p[i] != ((const char *)want)[i])
				fail_msg("%s differs at byte %zu", path, i);
}

/* ---- the write functions injected ---- */

static size_t fail_after;	/* bytes accepted before the failure */
static size_t written;
static int fail_errno;
static size_t short_max;	/* most bytes one call takes, 0 no limit */
static int eintr_every;		/* every n-th call fails with EINTR */
static int calls;

static ssize_t
fake_write(int fd, const void *p, size_t n)
{
	calls++;
	if (eintr_every > 0 && calls % eintr_every == 0) {
		errno = EINTR;
		return -1;
	}
	if (fail_errno != 0 && written >= fail_after) {
		errno = fail_errno;
		return -1;
	}
	if (fail_errno != 0 && n > fail_after - written)
		n = fail_after - written;
	if (short_max > 0 && n > short_max)
		n = short_max;
	ssize_t w = real_write(fd, p, n);
	if (w > 0)
		written += (size_t)w;
	return w;
}

static void
inject(size_t after, int err, size_t shortmax, int eintr)
{
	fail_after = after;
	fail_errno = err;
	short_max = shortmax;
	eintr_every = eintr;
	written = 0;
	calls = 0;
	evp_write_fn = fake_write;
}

/* Pseudo-random bytes into data. */
static void
make_data(size_t n)
{
	uint32_t x = 2463534242u;

	evp_buf_reset(&data);
	evp_buf_grow(&data, n);
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data.p[i] = (char)(x >> 24);
	}
	data.len = n;
}

/* Write data in pieces of varied sizes, some far over any buffer. */
static void
write_pieces(struct evp_ofile *f)
{
	static const size_t sizes[] = { 1, 7, 4096, 0, 100000, 3, 300000, 1,
	    65536, 700000, 2, 262144, 262143, 262145, 13, 1048576 };
	size_t off = 0, k = 0;

	while (off < data.len) {
		size_t n = sizes[k++ % (sizeof(sizes) / sizeof(sizes[0]))];
		if (n > data.len - off)
			n = data.len - off;
		if (n == 1)
			evp_ofile_putc(f, data.p[off]);
		else
			evp_ofile_write(f, data.p + off, n);
		off += n;
	}
}

/* ---- the tests ---- */

static void
test_commit(void **state)
{
	struct evp_ofile f;

	(void)state;
	assert_int_equal(evp_ofile_open(&f, out), 0);
	evp_ofile_write(&f, "a,b\n", 4);
	evp_ofile_putc(&f, '1');
	evp_ofile_write(&f, ",2\n", 3);
	/* Not there before the commit. */
	assert_int_equal(access(out, F_OK), -1);
	assert_int_equal(evp_ofile_commit(&f), 0);
	expect_content(out, "a,b\n1,2\n", 8);
	expect_dir("out.csv");
}

static void
test_commit_empty(void **state)
{
	struct evp_ofile f;

	(void)state;
	assert_int_equal(evp_ofile_open(&f, out), 0);
	assert_int_equal(evp_ofile_commit(&f), 0);
	expect_content(out, "", 0);
	expect_dir("out.csv");
}

static void
test_commit_replaces(void **state)
{
	struct evp_ofile f;

	(void)state;
	put_file(out, "old content, longer than the new\n");
	assert_int_equal(evp_ofile_open(&f, out), 0);
	evp_ofile_write(&f, "new\n", 4);
	expect_content(out, "old content, longer than the new\n", 33);
	assert_int_equal(evp_ofile_commit(&f), 0);
	expect_content(out, "new\n", 4);
	expect_dir("out.csv");
}

/* A relative name: the temporary goes beside it, in the same folder. */
static void
test_relative_path(void **state)
{
	struct evp_ofile f;
	char cwd[4096];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	int rc = evp_ofile_open(&f, "rel.csv");
	if (rc == 0) {
		evp_ofile_write(&f, "x\n", 2);
		list_dir(&got);
		rc = evp_ofile_commit(&f);
	}
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	/* While open, the one file in the folder was the temporary. */
	assert_non_null(strstr(got.p, "rel.csv"));
	assert_null(strchr(got.p, ' '));
	expect_dir("rel.csv");
}

static void
test_abort(void **state)
{
	struct evp_ofile f;

	(void)state;
	assert_int_equal(evp_ofile_open(&f, out), 0);
	evp_ofile_write(&f, "partial\n", 8);
	evp_ofile_abort(&f);
	assert_int_equal(access(out, F_OK), -1);
	expect_dir("");

	/* An earlier file of that name is left untouched. */
	put_file(out, "earlier\n");
	assert_int_equal(evp_ofile_open(&f, out), 0);
	make_data(600000);
	write_pieces(&f);
	evp_ofile_abort(&f);
	expect_content(out, "earlier\n", 8);
	expect_dir("out.csv");

	/* A second abort does nothing. */
	evp_ofile_abort(&f);
	expect_content(out, "earlier\n", 8);
	expect_dir("out.csv");
}

/* Writes fail with ENOSPC: commit fails, the earlier file stays. */
static void
test_write_failure(void **state)
{
	static const size_t afters[] = { 0, 5, 4096, 300000, 1000000 };
	struct evp_ofile f;

	(void)state;
	make_data(1500000);
	for (size_t i = 0; i < sizeof(afters) / sizeof(afters[0]); i++) {
		put_file(out, "earlier\n");
		assert_int_equal(evp_ofile_open(&f, out), 0);
		inject(afters[i], ENOSPC, 0, 0);
		write_pieces(&f);
		if (evp_ofile_commit(&f) != -1)
			fail_msg("commit succeeded, failing after %zu bytes", afters[i]);
		evp_write_fn = real_write;
		expect_content(out, "earlier\n", 8);
		expect_dir("out.csv");
	}

	/* No earlier file: none appears. */
	unlink(out);
	assert_int_equal(evp_ofile_open(&f, out), 0);
	inject(0, ENOSPC, 0, 0);
	evp_ofile_write(&f, "a\n", 2);
	assert_int_equal(evp_ofile_commit(&f), -1);
	evp_write_fn = real_write;
	expect_dir("");
}

/* The first error is kept, and flush says so. */
static void
test_flush_reports(void **state)
{
	struct evp_ofile f;

	(void)state;
	assert_int_equal(evp_ofile_open(&f, out), 0);
	evp_ofile_write(&f, "a\n", 2);
	assert_int_equal(evp_ofile_flush(&f), 0);
	inject(0, EIO, 0, 0);
	evp_ofile_write(&f, "b\n", 2);
	assert_int_equal(evp_ofile_flush(&f), -1);
	assert_int_equal(f.err, EIO);
	inject(0, ENOSPC, 0, 0);
	evp_ofile_write(&f, "c\n", 2);
	assert_int_equal(evp_ofile_flush(&f), -1);
	assert_int_equal(f.err, EIO);
	evp_write_fn = real_write;
	assert_int_equal(evp_ofile_commit(&f), -1);
	expect_dir("");
}

/* Short writes and EINTR are retried, not errors. */
static void
test_short_writes(void **state)
{
	struct evp_ofile f;

	(void)state;
	make_data(2000000);
	assert_int_equal(evp_ofile_open(&f, out), 0);
	inject(0, 0, 4093, 3);
	write_pieces(&f);
	assert_int_equal(evp_ofile_commit(&f), 0);
	evp_write_fn = real_write;
	expect_content(out, data.p, data.len);
	expect_dir("out.csv");
}

/* Writes larger than the buffer, mixed with small ones, come out intact. */
static void
test_large_writes(void **state)
{
	struct evp_ofile f;

	(void)state;
	make_data(5000000);
	assert_int_equal(evp_ofile_open(&f, out), 0);
	write_pieces(&f);
	assert_int_equal(evp_ofile_commit(&f), 0);
	expect_content(out, data.p, data.len);

	/* One byte at a time through putc, past several buffers. */
	assert_int_equal(evp_ofile_open(&f, out), 0);
	for (size_t i = 0; i < 1000000; i++)
		evp_ofile_putc(&f, data.p[i]);
	assert_int_equal(evp_ofile_commit(&f), 0);
	expect_content(out, data.p, 1000000);
	expect_dir("out.csv");
}

/* The output is an ordinary file: 0666 less the umask. */
static void
test_mode(void **state)
{
	struct evp_ofile f;
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	int rc = evp_ofile_open(&f, out);
	if (rc == 0)
		rc = evp_ofile_commit(&f);
	umask(old);
	assert_int_equal(rc, 0);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
}

static void
test_open_failure(void **state)
{
	struct evp_ofile f;
	char p[4300];

	(void)state;
	snprintf(p, sizeof(p), "%s/no/such/dir/out.csv", dir);
	assert_int_equal(evp_ofile_open(&f, p), -1);
	expect_dir("");
}

/* Several outputs open at once, committed and aborted in any order. */
static void
test_several(void **state)
{
	struct evp_ofile f[3];
	char p[3][4300];

	(void)state;
	for (int i = 0; i < 3; i++) {
		snprintf(p[i], sizeof(p[i]), "%s/f%d.csv", dir, i);
		assert_int_equal(evp_ofile_open(&f[i], p[i]), 0);
		evp_ofile_write(&f[i], "row\n", 4);
	}
	assert_int_equal(evp_ofile_commit(&f[1]), 0);
	evp_ofile_abort(&f[0]);
	assert_int_equal(evp_ofile_commit(&f[2]), 0);
	expect_dir("f1.csv f2.csv");
}

/*
 * A program that exits without committing, or dies on SIGTERM, leaves
 * no temporary behind and an earlier file untouched.  The child writes
 * more than a buffer first, so the temporary exists on disk.
 */
static void
run_child(int how)
{
	pid_t pid;
	int status;

	put_file(out, "earlier\n");
	make_data(600000);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct evp_ofile f;
		if (evp_ofile_open(&f, out) != 0)
			_exit(9);
		write_pieces(&f);
		if (how == 0)
			exit(3);
		raise(SIGTERM);
		_exit(8);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (how == 0) {
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 3);
	} else {
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGTERM);
	}
	expect_content(out, "earlier\n", 8);
	expect_dir("out.csv");
}

static void
test_exit_without_commit(void **state)
{
	(void)state;
	run_child(0);
}

static void
test_killed(void **state)
{
	(void)state;
	run_child(1);
}

/* With evp_ofile_sync set, the file is synced before the rename. */
static void
test_sync(void **state)
{
	struct evp_ofile f;

	(void)state;
	evp_ofile_sync = 1;
	int rc = evp_ofile_open(&f, out);
	if (rc == 0) {
		evp_ofile_write(&f, "synced\n", 7);
		rc = evp_ofile_commit(&f);
	}
	evp_ofile_sync = 0;
	assert_int_equal(rc, 0);
	expect_content(out, "synced\n", 7);
	expect_dir("out.csv");
}

/* /dev/null is written in place, not replaced by a regular file. */
static void
test_dev_null(void **state)
{
	struct evp_ofile f;
	struct stat st;

	(void)state;
	make_data(700000);
	assert_int_equal(evp_ofile_open(&f, "/dev/null"), 0);
	write_pieces(&f);
	assert_int_equal(evp_ofile_commit(&f), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

/* A FIFO is written in place: the reader gets every byte. */
static void
test_fifo(void **state)
{
	struct evp_ofile f;
	char fifo[4300], copy[4300];
	pid_t pid;
	int status;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(copy, sizeof(copy), "%s/copy", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	make_data(600000);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *in = fopen(fifo, "rb"), *o = fopen(copy, "wb");
		char b[8192];
		size_t n;
		if (in == NULL || o == NULL)
			_exit(1);
		while ((n = fread(b, 1, sizeof(b), in)) > 0)
			if (fwrite(b, 1, n, o) != n)
				_exit(1);
		_exit(fclose(o) == 0 ? 0 : 1);
	}
	int rc = evp_ofile_open(&f, fifo);
	if (rc == 0) {
		write_pieces(&f);
		rc = evp_ofile_commit(&f);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(rc, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	expect_content(copy, data.p, data.len);
	expect_dir("copy fifo");
}

/* ---- compressed outputs ---- */

/* Decompress got (a whole gzip member or zstd frame, nothing after) in place. */
static void
decompress_got(enum evp_zkind k)
{
	struct evp_buf plain = EVP_BUF_INIT;

	if (k == EVP_Z_GZIP) {
		z_stream zs;
		unsigned char chunk[65536];
		memset(&zs, 0, sizeof(zs));
		assert_int_equal(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);
		zs.next_in = (Bytef *)got.p;
		zs.avail_in = (uInt)got.len;
		int rc;
		do {
			zs.next_out = chunk;
			zs.avail_out = sizeof(chunk);
			rc = inflate(&zs, Z_NO_FLUSH);
			evp_buf_add(&plain, chunk, sizeof(chunk) - zs.avail_out);
		} while (rc == Z_OK);
		if (rc != Z_STREAM_END || zs.avail_in != 0)
			fail_msg("not one whole gzip member (rc %d, %u left)", rc,
			    zs.avail_in);
		inflateEnd(&zs);
	} else {
		assert_int_equal(ZSTD_findFrameCompressedSize(got.p, got.len),
		    got.len);
		assert_true(got.len > 5 && (got.p[4] & 4));	/* a checksum */
		evp_buf_grow(&plain, 8000000);
		size_t r = ZSTD_decompress(plain.p, 8000000, got.p, got.len);
		if (ZSTD_isError(r))
			fail_msg("zstd: %s", ZSTD_getErrorName(r));
		plain.len = r;
	}
	evp_buf_reset(&got);
	evp_buf_add(&got, plain.p ? plain.p : "", plain.len);
	evp_buf_release(&plain);
}

static void
expect_compressed(const char *path, enum evp_zkind k, const char *want,
    size_t n)
{
	assert_int_equal(slurp(path), 0);
	decompress_got(k);
	if (got.len != n || (n > 0 && memcmp(got.p, want, n) != 0))
		fail_msg("%s: %zu bytes decompressed, want %zu", path, got.len, n);
}

/* gzip and zstd: what is written comes back, small or past the buffers. */
static void
test_compressed(void **state)
{
	static const enum evp_zkind kinds[] = { EVP_Z_GZIP, EVP_Z_ZSTD };
	struct evp_ofile f;

	(void)state;
	make_data(1500000);
	for (size_t i = 0; i < 2; i++) {
		/* Past the buffer: compressed on the output's thread. */
		assert_int_equal(evp_ofile_open(&f, out), 0);
		evp_ofile_compress(&f, kinds[i]);
		write_pieces(&f);
		assert_int_equal(evp_ofile_commit(&f), 0);
		expect_compressed(out, kinds[i], data.p, data.len);

		/* Small: never a thread; and empty: a valid empty unit. */
		assert_int_equal(evp_ofile_open(&f, out), 0);
		evp_ofile_compress(&f, kinds[i]);
		evp_ofile_write(&f, "a,b\n", 4);
		assert_int_equal(evp_ofile_flush(&f), 0);
		evp_ofile_write(&f, "1,2\n", 4);
		assert_int_equal(evp_ofile_commit(&f), 0);
		expect_compressed(out, kinds[i], "a,b\n1,2\n", 8);
		assert_int_equal(evp_ofile_open(&f, out), 0);
		evp_ofile_compress(&f, kinds[i]);
		assert_int_equal(evp_ofile_commit(&f), 0);
		expect_compressed(out, kinds[i], "", 0);
		expect_dir("out.csv");
	}
}

/* A compressed output whose writes fail: commit fails, the earlier stays. */
static void
test_compressed_failure(void **state)
{
	static const size_t afters[] = { 0, 10, 300000 };
	struct evp_ofile f;

	(void)state;
	make_data(1500000);
	for (int k = EVP_Z_GZIP; k <= EVP_Z_ZSTD; k++)
		for (size_t i = 0; i < sizeof(afters) / sizeof(afters[0]); i++) {
			put_file(out, "earlier\n");
			assert_int_equal(evp_ofile_open(&f, out), 0);
			evp_ofile_compress(&f, k);
			inject(afters[i], ENOSPC, 0, 0);
			write_pieces(&f);
			if (evp_ofile_commit(&f) != -1)
				fail_msg("%s: commit succeeded, failing after %zu "
				    "bytes", evp_zkind_name(k), afters[i]);
			evp_write_fn = real_write;
			expect_content(out, "earlier\n", 8);
			expect_dir("out.csv");
		}
}

/* Names: .gz and .zst are written compressed, other formats not at all. */
static void
test_zkind_of_name(void **state)
{
	enum evp_zkind k;
	const char *what = NULL;

	(void)state;
	assert_int_equal(evp_zkind_of_name("a.csv.gz", &k, &what), 0);
	assert_int_equal(k, EVP_Z_GZIP);
	assert_int_equal(evp_zkind_of_name("dir.gz/a.zst", &k, &what), 0);
	assert_int_equal(k, EVP_Z_ZSTD);
	assert_int_equal(evp_zkind_of_name("a.csv", &k, &what), 0);
	assert_int_equal(k, EVP_Z_NONE);
	assert_int_equal(evp_zkind_of_name(".gz", &k, &what), 0);
	assert_int_equal(k, EVP_Z_NONE);
	assert_int_equal(evp_zkind_of_name("a.csv.xz", &k, &what), -1);
	assert_string_equal(what, "xz");
	assert_int_equal(evp_zkind_of_name("a.bz2", &k, &what), -1);
	assert_string_equal(what, "bzip2");
	assert_int_equal(evp_zsuffix_strip("a.tsv.zst"), 5);
	assert_int_equal(evp_zsuffix_strip("a.tsv"), 5);
	assert_int_equal(evp_zkind_parse("zstd", &k), 0);
	assert_int_equal(k, EVP_Z_ZSTD);
	assert_int_equal(evp_zkind_parse("xz", &k), -1);
}

/* The names evp run gives its files, as -t and --compress make them. */
static void
check_name(const struct evp_run *run, const char *name, int kind,
    const char *want)
{
	char *p = evp_run_file(run, "d", name, kind);

	assert_string_equal(p, want);
	free(p);
}

static void
test_run_file(void **state)
{
	struct evp_run run;

	(void)state;
	memset(&run, 0, sizeof(run));
	run.compress = -1;
	check_name(&run, "events.csv", EVP_RUN_DATA, "d/events.csv");
	check_name(&run, "summary.json", EVP_RUN_JSON, "d/summary.json");
	run.delim = '\t';
	check_name(&run, "events.csv", EVP_RUN_DATA, "d/events.tsv");
	check_name(&run, "rejects.csv", EVP_RUN_REJECTS, "d/rejects.csv");
	check_name(&run, "out.txt", EVP_RUN_DATA, "d/out.txt");
	run.compress = EVP_Z_ZSTD;
	check_name(&run, "events.csv", EVP_RUN_DATA, "d/events.tsv.zst");
	check_name(&run, "rejects.csv", EVP_RUN_REJECTS, "d/rejects.csv.zst");
	check_name(&run, "summary.json", EVP_RUN_JSON, "d/summary.json");
	/* A name that says its compression keeps it, the options judge it. */
	check_name(&run, "events.csv.gz", EVP_RUN_DATA, "d/events.csv.gz");
	run.delim = ',';
	run.compress = EVP_Z_GZIP;
	check_name(&run, "events.csv", EVP_RUN_DATA, "d/events.csv.gz");
	run.compress = EVP_Z_NONE;
	check_name(&run, "events.csv", EVP_RUN_DATA, "d/events.csv");
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_commit),
		T(test_commit_empty),
		T(test_commit_replaces),
		T(test_relative_path),
		T(test_abort),
		T(test_write_failure),
		T(test_flush_reports),
		T(test_short_writes),
		T(test_large_writes),
		T(test_mode),
		T(test_open_failure),
		T(test_several),
		T(test_exit_without_commit),
		T(test_killed),
		T(test_sync),
		T(test_dev_null),
		T(test_fifo),
		T(test_compressed),
		T(test_compressed_failure),
		T(test_zkind_of_name),
		T(test_run_file),
	};

	evp_diag_init("test_ofile");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
