#ifndef EVP_RDBUF_H
#define EVP_RDBUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * A read buffer over a range of a file, read with pread: the spill files
 * and the sort's runs read their records back through one.  The owner
 * sets fd, off and end (EVP_RDBUF_EOF: to the end of the file) and frees
 * buf; unread bytes are buf[pos, len).
 */
#define EVP_RDBUF_EOF	UINT64_MAX

struct evp_rdbuf {
	int		 fd;
	uint64_t	 off, end;	/* what is left to read of the range */
	unsigned char	*buf;
	size_t		 cap, pos, len;
};

/*
 * At least n unread bytes in the buffer (grown if needed): 1; 0 when
 * the range or the file ends first (the bytes short of n stay unread);
 * -1 on a read error (errno says which), or with errno 0 when the file
 * ends before a bounded range does.
 */
int	evp_rdbuf_fill(struct evp_rdbuf *b, size_t n);

#endif
