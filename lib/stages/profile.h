#ifndef EVP_PROFILE_H
#define EVP_PROFILE_H

#include <stddef.h>

#include "core/arena.h"
#include "formats/json.h"

/*
 * An event system as the generic stages and programs see it: its record
 * columns, the defaults of their options, and, for a system described by
 * a profile file (evp-profile(5)), the chain that runs it and that
 * chain's settings.  Every string is a value as a user would type it
 * (comma-separated lists).  A built-in profile is static data owned by
 * its system's folder; a loaded one owns its strings (evp_profile_free).
 */

/* One check of a record, in the order the profile lists them. */
struct evp_check_spec {
	const char	*kind;		/* schema, future, window, member */
	const char	*column;	/* the time column, the member column */
	const char	*file;		/* the schema or the list, resolved */
	const char	*option;	/* the option that gives the file */
	const char	*help;		/* that option's --help text */
	const char	*reason;	/* member: the reason when not listed */
	const char	*since, *until;	/* window: its bounds unless the
					 * options give them */
};

struct evp_profile {
	const char	*name;
	const char	*columns;	/* the record columns, NAME or NAME=PATH */

	/* collect */
	const char	*paths;		/* request paths that carry records */
	const char	*methods;	/* the request methods accepted; NULL:
					 * GET */
	const char	*log_time;	/* how a log's @time is written: iso
					 * (NULL) or utc */
	const char	*no_fields;	/* reason for a record where no key names
					 * a column; NULL: not refused */
	int		 flat;		/* JSON values are flat events
					 * (formats/jsonrec.h) */
	const char	*formats;	/* those --format auto chooses among;
					 * NULL: all */

	/* merge: a user-side key looked up in an index of another side */
	const char	*key;
	const char	*index_key;
	const char	*prefix;	/* of the carried columns */

	/* dedupe */
	const char	*keys;
	const char	*keep;		/* first, last, earliest or latest */
	const char	*time;		/* the timestamp column */
	const char	*id;		/* names the kept record in details */

	/* a loaded profile's chain and its settings */
	const char	*chain;		/* the chain that runs the system */
	const char	*file;		/* where it was read; NULL: built in */
	const char	*optional;	/* columns left out of the output when
					 * no input record had them */
	const char	*sort;		/* the output's sort keys */
	const char	*output;	/* the output file's name */
	const char	*tally;		/* columns whose values are counted in
					 * the summary (kept records) */
	const struct evp_check_spec *checks;
	size_t		 nchecks;

	/* a loaded profile's own */
	char		*dir;		/* the file's directory */
	char		*text;
	struct evp_jdoc	 doc;
	struct evp_arena mem;
};

/*
 * Load a profile: a FILE (a path holding '/' or ending in .json), or the
 * NAME of a built-in one, found as NAME.json in $EVP_PROFILE_PATH (a
 * colon-separated list of folders), the installation's share/evpipe/,
 * share/evpipe/ beside the program's bin/, or the source tree's
 * lib/NAME/ when the program runs from it.  fallback is returned for its
 * own name when no file is found.  Return the profile, or NULL after
 * reporting why (no such profile, bad JSON, a setting of the wrong type).
 */
struct evp_profile *evp_profile_load(const char *spec,
	    const struct evp_profile *fallback);

/* Free a loaded profile; a built-in one is left alone. */
void	evp_profile_free(struct evp_profile *p);

/*
 * A string setting at a dotted path of the profile file ("dashboard.by"),
 * or NULL (also for a built-in profile).  The string is the profile's.
 */
const char *evp_profile_str(struct evp_profile *p, const char *path);

/* A file the profile names, found beside the profile file (its own). */
const char *evp_profile_file(struct evp_profile *p, const char *name);

#endif
