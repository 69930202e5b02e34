#ifndef EVP_GUNZIP_H
#define EVP_GUNZIP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * gzip decoding on a thread of its own, so that inflating and parsing run
 * side by side.  Several members are read as one stream; a truncated or
 * corrupt member, junk after the last member, or a read error ends the
 * stream with a message.  The decoder owns its thread and buffers;
 * evp_gunzip_free stops and joins the thread.
 */
struct evp_gunzip;

/* Start decoding fd, whose first n bytes (the magic) were read into head. */
struct evp_gunzip *evp_gunzip_start(int fd, const void *head, size_t n);

/*
 * Copy up to cap decoded bytes into buf.  Return how many, 0 at the end,
 * or -1 on damage with *why saying what (and *err the errno of a read
 * error, or 0).  Every byte decoded before the damage is returned first.
 */
ssize_t	evp_gunzip_read(struct evp_gunzip *g, void *buf, size_t cap,
	    const char **why, int *err);

/* Raw bytes read from the file so far. */
uint64_t evp_gunzip_bytes_in(struct evp_gunzip *g);

void	evp_gunzip_free(struct evp_gunzip *g);

#endif
