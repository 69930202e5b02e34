#ifndef EVP_VERDICT_H
#define EVP_VERDICT_H

/*
 * Why a record was refused: a stable snake_case reason (a static string)
 * and a short detail, held in the verdict itself.
 */
#define EVP_DETAIL_MAX 160
struct evp_verdict {
	const char	*reason;
	char		 detail[EVP_DETAIL_MAX];
};

/* Set both; control bytes of the detail are shown as \xHH. */
void	evp_verdict_set(struct evp_verdict *v, const char *reason,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* At most 60 bytes of a field, for "%.*s" in a detail. */
#define EVP_SHOW(x)	(int)((x)->len > 60 ? 60 : (x)->len), (x)->p

#endif
