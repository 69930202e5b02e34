#ifndef EVP_DIAG_H
#define EVP_DIAG_H

#include <stdint.h>

/*
 * Diagnostics in one shape, "prog: file:line: message", and the exit
 * statuses every program shares (documented in evp(1)).  Messages go
 * straight to standard error; nothing here allocates, and the program
 * name is borrowed for the life of the process.
 */

enum evp_exit {
	EVP_EXIT_OK = 0,	/* done; rejects, if any, are in the rejects file */
	EVP_EXIT_REJECTS = 1,	/* done, but more rejects than --max-rejects allows */
	EVP_EXIT_USAGE = 2,	/* bad command line */
	EVP_EXIT_INPUT = 3,	/* an input could not be read or is damaged */
	EVP_EXIT_IO = 4		/* output failed, or out of memory or another resource */
};

/* Set the program name used as the prefix of every message. */
void	evp_diag_init(const char *progname);
const char *evp_progname(void);

/* "prog: message" on stderr. */
void	evp_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * "prog: file:line: message" on stderr; line 0 leaves the line out and a
 * NULL file leaves both out.  Returns -1 so lib/ can `return evp_error(...)`.
 */
int	evp_error(const char *file, uint64_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* "prog: message" and exit with status. */
void	evp_fatal(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif
