#ifndef EVP_NORDEUS_SIDE_H
#define EVP_NORDEUS_SIDE_H

#include "core/ofile.h"
#include "stages/check.h"
#include "stages/collect.h"
#include "stages/dedupe.h"
#include "stages/merge.h"
#include "stages/run.h"

/* The index side: its file read whole, strictly, into the merge. */
struct evp_ls_side {
	struct evp_collect	 collect;
	struct evp_check	 check;
	struct evp_dedupe	 dedupe;
	struct evp_check_spec	 spec;
	struct evp_names	 cols, keys;
	struct evp_header	 h;
	struct evp_ofile	 rjfile;
	struct evp_rejects	 rj;
	int			 fd;
};

/*
 * Read the lookup's index file (the profile's lookup.columns, JSON lines,
 * lookup.schema, one record per index key) into m's index: 0, or -1 when
 * it is unusable (the first line refused named, exit 3) or unreadable,
 * the failure reported.  s is zeroed by the caller; s->fd > 0 once its
 * stages are set up (evp_ls_side_release then frees them).
 */
int	evp_ls_side_read(struct evp_ls_side *s, struct evp_merge *m,
	    struct evp_run *run, struct evp_profile *p,
	    const struct evp_collect_opts *co, char *file);
void	evp_ls_side_release(struct evp_ls_side *s);

#endif
