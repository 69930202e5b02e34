#ifndef EVP_BIGMEM_H
#define EVP_BIGMEM_H

#include <stddef.h>

/*
 * Big zeroed blocks, for the tables that hold millions of keys.  From a
 * few MiB up, a block is an anonymous mapping that asks the kernel for
 * huge pages (a lookup at a random place then costs one cache miss
 * instead of a cache miss and a page walk) and grows without a copy
 * where the kernel can move mappings.  Smaller blocks, and every block in
 * a sanitizer build (so that the sanitizer sees them), come from malloc.
 * Like xmalloc, they cannot fail: exhaustion exits.  The caller passes
 * the block's size back, since it decides where the block came from.
 */
void	*evp_big_alloc(size_t n);
void	*evp_big_grow(void *p, size_t old, size_t n);	/* n > old; new bytes zeroed */
void	 evp_big_free(void *p, size_t n);

#endif
