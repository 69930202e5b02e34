#ifndef EVP_NORDEUS_DAILY_H
#define EVP_NORDEUS_DAILY_H

#include "stages/daily.h"
#include "stages/project.h"
#include "stages/run.h"

/*
 * The lookup-sessions chain's statistics, when the profile has "daily":
 * the accepted events through a projection (daily.columns) into the
 * daily stage (stages/daily.h), with the sessions; its two tables go to
 * daily.key_output and daily.group_output.
 */
struct evp_ls_daily {
	struct evp_project	 project;
	struct evp_daily	 daily;
	struct evp_names	 first, count, attrs, knames, gnames;
	int			 on;
};

/* The outputs' names into names: how many (0 without "daily"). */
size_t	evp_ls_daily_outputs(struct evp_profile *p, const char **names);

/*
 * Set it up: 0 (x->on says whether the profile has it), or -1 after
 * reporting a bad setting.  Events go into x->project.st.sink, sessions
 * into x->daily.sessions.
 */
int	evp_ls_daily_init(struct evp_ls_daily *x, struct evp_run *run,
	    struct evp_profile *p, const char *outdir);
void	evp_ls_daily_release(struct evp_ls_daily *x);

#endif
