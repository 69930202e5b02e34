#ifndef EVP_DECODE_H
#define EVP_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Compressed input decoded on a thread of its own, so that decoding and
 * parsing run side by side, and handed over one member at a time: the
 * bytes of a member (a gzip member, a frame) reach the reader only once
 * the member's own check has passed, because a damaged member cannot say
 * where its damage began.  A member larger than EVP_DECODE_HOLD waits in
 * an unlinked temporary file in TMPDIR.  The decoder owns its thread,
 * its buffers and its temporary files; evp_decode_free stops and joins
 * the thread.
 */

/*
 * Bytes of a decoded member held in memory before the rest goes to a
 * file (at least one block of 4 MiB); tests make it small.
 */
#define EVP_DECODE_HOLD	(64 * 1024 * 1024)
extern size_t evp_decode_hold;

/* What a codec's step did. */
enum evp_dec_rc {
	EVP_DEC_MORE,		/* call again (with more input, if it took all) */
	EVP_DEC_MEMBER,		/* a member ended and its check passed */
	EVP_DEC_END,		/* the input ended cleanly, between members */
	EVP_DEC_DAMAGE,		/* the data is not what it should be (*why) */
	EVP_DEC_JUNK		/* between members, bytes that start none: the
				 * members before are whole (*why) */
};

/* A compression format, as the decoding thread drives it. */
struct evp_codec {
	const char	*name;		/* for messages: "gzip" */
	const char	*truncated;	/* "truncated gzip data" */
	const char	*damaged;	/* a damaged line's detail: "in a gzip
					 * member whose check failed" */
	void		*(*start)(void);
	/*
	 * Decode in[0..*inlen) into out[0..*outlen): both are updated to
	 * what was left unread and what was written.  eof says no input
	 * will follow what is given.
	 */
	enum evp_dec_rc	(*step)(void *st, const unsigned char **in,
			    size_t *inlen, unsigned char *out, size_t *outlen,
			    int eof, const char **why);
	void		(*free)(void *st);
};

struct evp_decode;

/* Start decoding fd with codec; its first n bytes (the magic) are head. */
struct evp_decode *evp_decode_start(const struct evp_codec *codec, int fd,
	    const void *head, size_t n);

/*
 * Copy up to cap decoded bytes into buf.  Return how many, 0 at the end,
 * or -1 when the input is damaged or could not be read, with *why saying
 * what (and *err the errno of a read error, or 0).  *damaged is set for
 * bytes of a member whose check failed: they are handed over so that
 * their lines can be refused, never taken for data; and with the -1 of
 * a damaged member that gave no bytes, for the line the bytes before
 * left open runs into it.  A member cut short by the end of the file
 * (truncation, a read error) is handed over as data, then -1 with *cut
 * set.  Junk after the last member is -1 alone.
 */
ssize_t	evp_decode_read(struct evp_decode *d, void *buf, size_t cap,
	    int *damaged, const char **why, int *err, int *cut);

/* Raw bytes read from the file so far. */
uint64_t evp_decode_bytes_in(struct evp_decode *d);

void	evp_decode_free(struct evp_decode *d);

#endif
