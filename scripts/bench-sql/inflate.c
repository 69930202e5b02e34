/*
 * inflate.c: zlib alone inflating a gzip file, for scripts/bench (the floor
 * under evp-collect on a .gz log).  Reads FILE in 256 KiB blocks, inflates
 * every gzip member into a 256 KiB buffer that is thrown away, and prints
 * the compressed and inflated byte counts and the zlib version.  Compiled
 * by scripts/bench into its scratch folder:  cc -O2 inflate.c -lz
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define BLOCK (256 * 1024)

static unsigned char in[BLOCK], out[BLOCK];

int
main(int argc, char **argv)
{
	z_stream z;
	unsigned long long nin = 0, nout = 0;
	ssize_t n;
	int fd, r = Z_OK;

	if (argc != 2) {
		fprintf(stderr, "usage: inflate FILE.gz\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		fprintf(stderr, "inflate: %s: %s\n", argv[1], strerror(errno));
		return 3;
	}
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK)	/* gzip wrapper only */
		return 4;
	while ((n = read(fd, in, sizeof in)) > 0) {
		nin += (unsigned long long)n;
		z.next_in = in;
		z.avail_in = (uInt)n;
		for (;;) {
			z.next_out = out;
			z.avail_out = sizeof out;
			r = inflate(&z, Z_NO_FLUSH);
			nout += sizeof out - z.avail_out;
			if (r == Z_STREAM_END) {
				/* The next gzip member, if any. */
				if (inflateReset(&z) != Z_OK)
					return 4;
				if (z.avail_in == 0)
					break;
			} else if (r != Z_OK && r != Z_BUF_ERROR) {
				fprintf(stderr, "inflate: %s: %s\n", argv[1],
				    z.msg ? z.msg : "corrupt data");
				return 3;
			} else if (z.avail_in == 0 && z.avail_out != 0) {
				break;	/* all input used, no output pending */
			}
		}
	}
	if (n < 0) {
		fprintf(stderr, "inflate: %s: %s\n", argv[1], strerror(errno));
		return 3;
	}
	if (r != Z_STREAM_END && nin > 0) {
		fprintf(stderr, "inflate: %s: truncated\n", argv[1]);
		return 3;
	}
	inflateEnd(&z);
	close(fd);
	printf("%llu %llu %s\n", nin, nout, zlibVersion());
	return 0;
}
