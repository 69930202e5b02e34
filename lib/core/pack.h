#ifndef EVP_PACK_H
#define EVP_PACK_H

#include <stddef.h>

#include "core/str.h"

/*
 * Fields packed into one block the caller owns, for a stage that keeps
 * records: the fields' lengths as varints, then their bytes (a few bytes
 * of overhead a field, where struct evp_str takes sixteen).
 * evp_pack_size is the bytes f[0..n) need; evp_pack packs them at m and
 * evp_unpack unpacks n fields from m into f, pointing into the block;
 * both return the end.
 */
size_t	evp_pack_size(const struct evp_str *f, size_t n);
unsigned char *evp_pack(unsigned char *m, const struct evp_str *f, size_t n);
const unsigned char *evp_unpack(const unsigned char *m, struct evp_str *f,
	    size_t n);

#endif
