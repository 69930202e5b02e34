#ifndef EVP_CSVOUT_H
#define EVP_CSVOUT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/ofile.h"
#include "core/row.h"

/*
 * RFC 4180 output with LF line ends, a field quoted only when it must be:
 * it holds a comma, a quote, CR or LF, starts or ends with a space or a
 * tab, or is the row's only field and empty.  The _d functions write
 * another delimiter (a tab: TSV, quoted as CSV is), quoting a field that
 * holds it instead of a comma.  Writers borrow the ofile or buffer they
 * write to.
 */

int	evp_csv_needs_quotes(const char *p, size_t n, int sole);
int	evp_csv_needs_quotes_d(const char *p, size_t n, int sole, char delim);

/*
 * Spreadsheet safety.  A text field starting with =, +, -, @, a tab or a
 * CR is read as a formula by spreadsheets; numbers such as -1 are not
 * counted.  Every field written is checked: risky counts them, and with
 * safe set they are written with a ' before them (the one opt-in
 * exception to writing fields unchanged).  One setting per process.
 */
struct evp_sheet {
	int		safe;
	uint64_t	risky;
};
extern struct evp_sheet evp_sheet;

/* Would a spreadsheet take p[0..n) for a formula? */
int	evp_csv_risky(const char *p, size_t n);
void	evp_csv_put_field(struct evp_ofile *f, const char *p, size_t n, int sole);
void	evp_csv_put_row(struct evp_ofile *f, const struct evp_str *v, size_t n);
void	evp_csv_put_row_d(struct evp_ofile *f, const struct evp_str *v, size_t n,
	    char delim);

/* The same field, policy and quoting, appended to a buffer. */
void	evp_csv_buf_field(struct evp_buf *b, const char *p, size_t n, int sole);
void	evp_csv_buf_field_d(struct evp_buf *b, const char *p, size_t n, int sole,
	    char delim);

/*
 * Quoting only, for text evpipe writes itself (a reject's stage, reason,
 * detail, source and line): it is not data, so the spreadsheet policy
 * neither counts nor changes it.
 */
void	evp_csv_buf_plain(struct evp_buf *b, const char *p, size_t n, int sole);

/*
 * A sink that writes its header and records to an ofile it does not own,
 * fields separated by delim (evp_csvsink_init sets a comma).
 */
struct evp_csvsink {
	struct evp_sink	 sink;
	struct evp_ofile *f;
	uint64_t	 rows;
	char		 delim;
};

void	evp_csvsink_init(struct evp_csvsink *s, struct evp_ofile *f);

#endif
