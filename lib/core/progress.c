#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/progress.h"

static struct {
	int		on;
	int		shown;
	uint64_t	total;		/* 0: unknown */
	uint64_t	base;		/* raw bytes of the finished inputs */
	uint64_t	lines;
	double		start, last;
} P;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
evp_progress_setup(int mode, char *const *files, size_t n)
{
	memset(&P, 0, sizeof(P));
	P.on = mode == EVP_PROGRESS_AUTO ? isatty(2) : mode;
	if (!P.on)
		return;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(files[i], "-") == 0 || stat(files[i], &st) < 0 ||
		    !S_ISREG(st.st_mode)) {
			P.total = 0;
			break;
		}
		P.total += (uint64_t)st.st_size;
	}
	P.start = P.last = now();
}

static void
human(char *buf, size_t n, double bytes)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	int u = 0;

	while (bytes >= 1000 && u < 4) {
		bytes /= 1000;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
}

void
evp_progress_draw(uint64_t raw)
{
	double t = now(), el = t - P.start;
	char done[32], total[32], left[32] = "";

	if (el < 1 || t - P.last < 0.5)
		return;
	P.last = t;
	double bytes = (double)(P.base + raw);
	human(done, sizeof(done), bytes);
	if (P.total > 0 && bytes > 0) {
		double rest = el * ((double)P.total / bytes - 1);
		human(total, sizeof(total), (double)P.total);
		snprintf(left, sizeof(left), ", %d:%02d left", (int)rest / 60,
		    (int)rest % 60);
		fprintf(stderr, "\r%s: %3.0f%% of %s, %.0fk lines/s%s  ",
		    evp_progname(), 100 * bytes / (double)P.total, total,
		    P.lines / el / 1000, left);
	} else
		fprintf(stderr, "\r%s: %s read, %.0fk lines/s  ", evp_progname(),
		    done, P.lines / el / 1000);
	P.shown = 1;
}

int
evp_progress_line(void)
{
	return P.on && (++P.lines & 8191) == 0;
}

void
evp_progress_file_done(uint64_t raw)
{
	if (P.on)
		P.base += raw;
}

void
evp_progress_end(void)
{
	if (P.shown)
		fputs("\r\033[K", stderr);
	P.on = P.shown = 0;
}
