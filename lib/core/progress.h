#ifndef EVP_PROGRESS_H
#define EVP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Progress on standard error for long runs: bytes read of the inputs'
 * total, lines per second and the time left, redrawn in place at most
 * twice a second, first after a second.  The input layer reports each
 * line and each finished file, with byte counts; nothing here allocates
 * or knows how inputs are read.
 */

enum { EVP_PROGRESS_AUTO = -1, EVP_PROGRESS_OFF = 0, EVP_PROGRESS_ON = 1 };

/*
 * Set up for the inputs files[0..n): auto shows progress only when
 * standard error is a terminal.  The total is the sum of the files'
 * sizes (unknown for standard input and pipes).
 */
void	evp_progress_setup(int mode, char *const *files, size_t n);

/* A line was read: 1 when it is time to evp_progress_draw (cheap). */
int	evp_progress_line(void);

/* Redraw, raw bytes of the current input being read so far. */
void	evp_progress_draw(uint64_t raw);

/* An input is finished: its raw bytes count as done. */
void	evp_progress_file_done(uint64_t raw);

/* Clear the progress line before the summary. */
void	evp_progress_end(void);

#endif
