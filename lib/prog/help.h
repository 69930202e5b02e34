#ifndef EVP_HELP_H
#define EVP_HELP_H

#include "prog/opt.h"

/* The options every program shares (lib/prog/opt.c), a NULL name last. */
extern const struct evp_opt evp_opt_shared[];

/* --help: cmd's usage, its options and the shared ones; exits. */
void	evp_opt_help(const struct evp_run *run, const struct evp_cmd *cmd);

/*
 * --print-options: every option cmd takes, one a line (opt.h says how),
 * for scripts/completions; exits.
 */
void	evp_opt_print(const struct evp_cmd *cmd);

#endif
