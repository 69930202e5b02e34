#ifndef EVP_COUNT_H
#define EVP_COUNT_H

#include <stdint.h>

#include "core/buf.h"

/*
 * Counts of one stage: records in, out, rejected (by reason) and, for a
 * stage that answers a query, filtered (left out, not refused), and the
 * outputs out is made of.  Conservation: in == out + rejected + filtered.
 * A count is a plain value owned by its stage; the name of each reason
 * and output is copied once for the life of the process, so it may come
 * from memory released before the count is printed.
 */

#define EVP_MAX_REASONS	48
#define EVP_MAX_OUTPUTS	4

struct evp_tally {
	const char	*name;
	uint64_t	 n;
};

struct evp_count {
	const char		*stage;
	uint64_t		 in, out, rejected, filtered;
	struct evp_tally	 outputs[EVP_MAX_OUTPUTS];
	size_t			 noutputs;
	struct evp_tally	 reasons[EVP_MAX_REASONS];
	size_t			 nreasons;
};

void	evp_count_init(struct evp_count *c, const char *stage);
void	evp_count_reason(struct evp_count *c, const char *reason);
void	evp_count_reasons(struct evp_count *c, const char *reason, uint64_t n);
void	evp_count_output(struct evp_count *c, const char *name, uint64_t n);

/* "12 in, 9 out (serving 5, user 4), 3 rejected (bad_price 3)" */
void	evp_count_text(const struct evp_count *c, struct evp_buf *b);

/* {"stage":"classify","in":12,...} */
void	evp_count_json(const struct evp_count *c, struct evp_buf *b);

/* The same without the braces and the stage: "in":12,"out":9,... */
void	evp_count_json_fields(const struct evp_count *c, struct evp_buf *b);

/* A JSON string literal of s. */
void	evp_json_str(struct evp_buf *b, const char *s);

#endif
