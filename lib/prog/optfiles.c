#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/ofile.h"
#include "core/xalloc.h"
#include "core/zout.h"
#include "prog/opt.h"

/*
 * evp_opt_files: the files a program names, checked against each other
 * and against their compression before anything is read or written.
 */

/* What identifies a file: its device and inode, or the path it would have. */
struct ident {
	int	 exists;
	dev_t	 dev;
	ino_t	 ino;
	int	 device;		/* a character or block device */
	char	*name;			/* when it does not exist */
};

static void
identify(const struct evp_path *p, struct ident *id)
{
	struct stat st;
	int std = strcmp(p->path, "-") == 0;
	/* "-" is standard output (--summary's: standard error), or input. */
	int fd = !std ? -1 : !p->output ? 0 :
	    strcmp(p->what, "--summary") == 0 ? 2 : 1;

	memset(id, 0, sizeof(*id));
	if (std ? fstat(fd, &st) == 0 : stat(p->path, &st) == 0) {
		id->exists = 1;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->device = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode);
	} else if (!std)
		id->name = evp_ofile_target(p->path);
}

static int
same(const struct ident *a, const struct ident *b)
{
	if (a->exists != b->exists)
		return 0;
	if (a->exists)
		return a->dev == b->dev && a->ino == b->ino && !a->device;
	return a->name != NULL && b->name != NULL && strcmp(a->name, b->name) == 0;
}

/*
 * An output's name against its compression: never a plain file under a
 * compressed name, nor one name for another compression.  --compress
 * speaks for the outputs of records and rejects, not for --summary's
 * JSON, which only its name compresses.
 */
static void
check_compression(struct evp_run *run, const struct evp_path *p)
{
	enum evp_zkind k;
	const char *what = NULL;
	int data = strcmp(p->what, "--summary") != 0;
	int std = strcmp(p->path, "-") == 0;

	if (!std && evp_zkind_of_name(p->path, &k, &what) < 0)
		evp_usage_error(run, "%s %s: %s is read but not written; name it "
		    ".gz or .zst, or pipe through %s", p->what, p->path, what,
		    what);
	if (std || !data || run->compress < 0 || (int)k == run->compress ||
	    k == EVP_Z_NONE)
		return;
	if (run->compress == EVP_Z_NONE)
		evp_usage_error(run, "%s %s: --compress none would write plain "
		    "text under a %s name", p->what, p->path, evp_zkind_name(k));
	evp_usage_error(run, "%s %s: the name says %s, --compress says %s",
	    p->what, p->path, evp_zkind_name(k),
	    evp_zkind_name((enum evp_zkind)run->compress));
}

/* Does the name of output p say another compression than the options? */
static int
compression_clash(const struct evp_run *run, const struct evp_path *p)
{
	enum evp_zkind k;
	const char *what = NULL;
	int data = strcmp(p->what, "--summary") != 0;

	if (strcmp(p->path, "-") == 0)
		return 0;
	if (evp_zkind_of_name(p->path, &k, &what) < 0)
		return 1;
	return data && run->compress >= 0 && (int)k != run->compress &&
	    k != EVP_Z_NONE;
}

void
evp_opt_files(struct evp_run *run, const struct evp_path *extra, size_t nextra,
    char *const *files, size_t n)
{
	size_t np = 0, max = 3 + nextra + n;
	struct evp_path *p = xcalloc(max, sizeof(*p));
	struct ident *id = xcalloc(max, sizeof(*id));
	struct evp_path a, b;		/* the files of a usage error */
	int clash = 0, same_file = 0;

	if (run->output != NULL)
		p[np++] = (struct evp_path){ "-o", run->output, 1 };
	if (run->rejects_path != NULL)
		p[np++] = (struct evp_path){ "--rejects", run->rejects_path, 1 };
	if (run->summary_path != NULL)
		p[np++] = (struct evp_path){ "--summary", run->summary_path, 1 };
	for (size_t i = 0; i < nextra; i++)
		p[np++] = extra[i];
	for (size_t i = 0; i < n; i++)
		p[np++] = (struct evp_path){ "the input", files[i], 0 };
	for (size_t i = 0; i < np && !clash; i++)
		if (p[i].output && compression_clash(run, &p[i])) {
			a = p[i];
			clash = 1;
		}
	for (size_t i = 0; i < np && !clash; i++)
		identify(&p[i], &id[i]);
	for (size_t i = 0; i < np && !clash && !same_file; i++)
		for (size_t j = i + 1; j < np && !same_file; j++)
			if ((p[i].output || p[j].output) && same(&id[i], &id[j])) {
				a = p[i];
				b = p[j];
				same_file = 1;
			}
	/* Freed first: a usage error exits, and what it names is not ours. */
	for (size_t i = 0; i < np; i++)
		free(id[i].name);
	free(id);
	free(p);
	if (clash)
		check_compression(run, &a);
	if (same_file && a.output && b.output)
		evp_usage_error(run, "%s %s and %s %s are the same file", a.what,
		    a.path, b.what, b.path);
	if (same_file) {
		const struct evp_path *o = a.output ? &a : &b;
		const struct evp_path *in = a.output ? &b : &a;
		evp_usage_error(run, "%s %s is also an input (%s): it would be "
		    "overwritten", o->what, o->path, in->path);
	}
}
