#include <stdlib.h>

#include "core/str.h"
#include "core/xalloc.h"

int
evp_names_parse(struct evp_names *nl, const char *s)
{
	size_t n = 1;

	for (const char *p = s; *p; p++)
		n += *p == ',';
	nl->name = xcalloc(n, sizeof(*nl->name));
	nl->mem = xstrdup(s);
	nl->n = 0;
	for (char *p = nl->mem;; ) {
		char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0) {
			evp_names_free(nl);
			return -1;
		}
		if (e != NULL)
			*e = '\0';
		nl->name[nl->n++] = (struct evp_str){ p, len };
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

void
evp_names_free(struct evp_names *nl)
{
	free(nl->name);
	free(nl->mem);
	nl->name = NULL;
	nl->mem = NULL;
	nl->n = 0;
}

int
evp_names_find(const struct evp_names *nl, const char *p, size_t len)
{
	for (size_t i = 0; i < nl->n; i++)
		if (evp_str_eq(nl->name[i], p, len))
			return (int)i;
	return -1;
}

int
evp_names_repeated(const struct evp_names *nl)
{
	for (size_t i = 1; i < nl->n; i++)
		if (evp_names_find(nl, nl->name[i].p, nl->name[i].len) < (int)i)
			return (int)i;
	return -1;
}
