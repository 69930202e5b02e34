#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "nordeus/side.h"

/* One CSV field at *pp, unquoted in place; *pp moves past it. */
static char *
field(char **pp)
{
	char *p = *pp, *start, *w;

	if (p == NULL)
		return "";
	if (*p == '"') {
		start = w = ++p;
		while (*p != '\0') {
			if (*p == '"' && p[1] != '"') {
				p++;
				break;
			}
			p += *p == '"';
			*w++ = *p++;
		}
	} else {
		start = p;
		p += strcspn(p, ",\n");
		w = p;
	}
	*pp = *p == ',' ? p + 1 : NULL;
	*w = '\0';
	return start;
}

/*
 * The first reject the index side wrote, as an error naming its file and
 * line: the rejects file's second line, "stage,reason,detail,source,line".
 */
static void
side_error(struct evp_ls_side *s)
{
	char buf[4096], *f[5];
	ssize_t n = pread(s->fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	char *p = strchr(buf, '\n');
	p = p ? p + 1 : NULL;
	for (int i = 0; i < 5; i++)
		f[i] = field(&p);
	evp_error(f[3], strtoull(f[4], NULL, 10), "%s: %s (the file is "
	    "unusable)", f[1], f[2]);
}

/* Read the index file into the merge: -1 when it is unusable. */
int
evp_ls_side_read(struct evp_ls_side *s, struct evp_merge *m,
    struct evp_run *run, struct evp_profile *p,
    const struct evp_collect_opts *co, char *file)
{
	const char *cols = evp_profile_str(p, "lookup.columns");
	const char *schema = evp_profile_str(p, "lookup.schema");
	struct evp_collect_opts o = *co;
	char tmp[4096];
	const char *dir = getenv("TMPDIR");

	if (cols == NULL || evp_names_parse(&s->cols, cols) < 0 ||
	    evp_names_parse(&s->keys, m->o.index_key) < 0)
		return evp_error(p->file, 0, "lookup.columns: a list of names");
	snprintf(tmp, sizeof(tmp), "%s/evp-index-XXXXXX", dir && *dir ? dir :
	    "/tmp");
	if ((s->fd = mkstemp(tmp)) < 0) {
		s->fd = 0;
		evp_error(NULL, 0, "%s: cannot make a temporary file", tmp);
		evp_run_fail(run, EVP_EXIT_IO, 1);
		return -1;
	}
	unlink(tmp);
	s->h = (struct evp_header){ s->cols.n, s->cols.name, { NULL, 0 }, 0,
	    NULL };
	evp_ofile_attach(&s->rjfile, s->fd, "the index's rejects");
	evp_rejects_init(&s->rj, &s->rjfile, &s->h, 0);
	o.cols = &s->h;
	o.from = NULL;
	o.format = EVP_FMT_JSONL;
	o.formats = 0;
	struct evp_dedupe_opts d = { &s->keys, EVP_KEEP_FIRST, "", "" };
	evp_dedupe_init(&s->dedupe, &d, &s->rj, &m->index);
	s->spec = (struct evp_check_spec){ "schema", NULL,
	    schema ? evp_profile_file(p, schema) : NULL, NULL, NULL, NULL,
	    NULL, NULL };
	struct evp_check_opts ck;
	memset(&ck, 0, sizeof(ck));
	ck.specs = &s->spec;
	ck.n = 1;
	if (evp_check_init(&s->check, &ck, &s->rj, &s->dedupe.st.sink) < 0) {
		evp_run_fail(run, EVP_EXIT_USAGE, 1);
		return -1;
	}
	evp_collect_init(&s->collect, &o, &s->rj, &s->check.st.sink);
	if (evp_collect_run(&s->collect, run, &file, 1) < 0 || run->status != 0)
		return -1;
	evp_ofile_flush(&s->rjfile);
	if (s->rj.rows > 0) {
		side_error(s);
		evp_run_fail(run, EVP_EXIT_INPUT, 1);
		return -1;
	}
	return 0;
}

void
evp_ls_side_release(struct evp_ls_side *s)
{
	if (s->fd > 0) {
		evp_dedupe_release(&s->dedupe);
		evp_check_release(&s->check);
		evp_collect_release(&s->collect);
		evp_rejects_release(&s->rj);
		evp_ofile_abort(&s->rjfile);
		close(s->fd);
	}
	evp_names_free(&s->cols);
	evp_names_free(&s->keys);
}
