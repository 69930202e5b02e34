#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

char *
tu_mkstemp(const char *tag, int *fd)
{
	const char *dir = getenv("TMPDIR");
	size_t n;
	char *path;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	n = strlen(dir) + strlen(tag) + sizeof("/evp-test--XXXXXX");
	path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/evp-test-%s-XXXXXX", dir, tag);
	*fd = mkstemp(path);
	if (*fd < 0)
		fail_msg("mkstemp %s: %s", path, strerror(errno));
	return path;
}

void
tu_escape(struct evp_buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\n')
			evp_buf_adds(b, "\\n");
		else if (c == '\r')
			evp_buf_adds(b, "\\r");
		else if (c == '\0')
			evp_buf_adds(b, "\\0");
		else if (c == '\\')
			evp_buf_adds(b, "\\\\");
		else if (c < 0x20 || c >= 0x7F)
			evp_buf_printf(b, "\\x%02x", c);
		else
			evp_buf_addc(b, c);
	}
}

uint64_t
tu_rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}
