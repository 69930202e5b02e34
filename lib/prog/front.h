#ifndef EVP_FRONT_H
#define EVP_FRONT_H

/*
 * The front command's own commands (evp(1)): evp run, the chain of an
 * event system's profile in one process, and evp validate, the
 * advertising validation in one process.  Each returns the exit status;
 * what it makes belongs to its run.
 */
int	evp_front_run(int argc, char *argv[]);
int	evp_front_validate(int argc, char *argv[]);

#endif
