#ifndef EVP_AEP_PROFILE_H
#define EVP_AEP_PROFILE_H

#include "stages/profile.h"

/*
 * The advertising event system (SPEC sections 1-9), evpipe's default
 * profile: its eight columns and every default of its programs.  Static
 * data; callers borrow it.
 */
extern const struct evp_profile evp_aep_profile;

/* The serving columns validate reads: what a merge before it must carry. */
extern const char evp_aep_carry[];

#endif
