#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/diag.h"

static const char *progname = "evp";

void
evp_diag_init(const char *name)
{
	progname = name;
}

const char *
evp_progname(void)
{
	return progname;
}

static void vmsg(const char *, uint64_t, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
vmsg(const char *file, uint64_t line, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	if (file != NULL && line > 0)
		fprintf(stderr, "%s:%llu: ", file, (unsigned long long)line);
	else if (file != NULL)
		fprintf(stderr, "%s: ", file);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
evp_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

int
evp_error(const char *file, uint64_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(file, line, fmt, ap);
	va_end(ap);
	return -1;
}

void
evp_fatal(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
	exit(status);
}
