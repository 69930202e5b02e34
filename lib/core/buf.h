#ifndef EVP_BUF_H
#define EVP_BUF_H

#include <stddef.h>

/*
 * A growable byte buffer.  The buffer owns p; evp_buf_release frees it.
 * p is always NUL-terminated after len bytes (the NUL is not counted).
 */
struct evp_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

#define EVP_BUF_INIT { NULL, 0, 0 }

void	evp_buf_init(struct evp_buf *b);
void	evp_buf_release(struct evp_buf *b);
void	evp_buf_grow(struct evp_buf *b, size_t extra);	/* room for extra more bytes */
void	evp_buf_add(struct evp_buf *b, const void *p, size_t n);
void	evp_buf_addc(struct evp_buf *b, int c);
void	evp_buf_adds(struct evp_buf *b, const char *s);
void	evp_buf_printf(struct evp_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	evp_buf_reset(struct evp_buf *b);		/* len = 0, keeps memory */

#endif
