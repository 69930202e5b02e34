#ifndef EVP_CMDS_H
#define EVP_CMDS_H

/* Each program is a function; evp dispatches to them (evp collect ...). */
int	cmd_collect(int argc, char *argv[]);
int	cmd_classify(int argc, char *argv[]);
int	cmd_merge(int argc, char *argv[]);
int	cmd_validate(int argc, char *argv[]);
int	cmd_dedupe(int argc, char *argv[]);
int	cmd_sort(int argc, char *argv[]);
int	cmd_filter(int argc, char *argv[]);
int	cmd_sessionize(int argc, char *argv[]);
int	cmd_summarize(int argc, char *argv[]);

#endif
