#include <stdarg.h>
#include <stdio.h>

#include "core/verdict.h"

void
evp_verdict_set(struct evp_verdict *v, const char *reason, const char *fmt, ...)
{
	va_list ap;
	char raw[EVP_DETAIL_MAX];
	size_t o = 0;

	v->reason = reason;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Details quote input text: show its control bytes as \xHH. */
	for (const char *p = raw; *p && o + 5 < sizeof(v->detail); p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7F)
			o += (size_t)snprintf(v->detail + o, 5, "\\x%02x", c);
		else
			v->detail[o++] = (char)c;
	}
	v->detail[o] = '\0';
}
