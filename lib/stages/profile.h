#ifndef EVP_PROFILE_H
#define EVP_PROFILE_H

/*
 * What an event system gives the generic stages and programs: its record
 * columns and the defaults of their options.  Profiles are static data
 * owned by their system's folder; programs borrow them.  Every string is
 * an option value as a user would type it (comma-separated lists).
 */
struct evp_profile {
	const char	*name;
	const char	*columns;	/* the record columns, in order */

	/* collect */
	const char	*paths;		/* request paths that carry records */
	const char	*no_fields;	/* reason for a record where no key names
					 * a column; NULL: not refused */
	int		 flat;		/* JSON values are flat events
					 * (formats/jsonrec.h) */

	/* merge: a user-side key looked up in an index of another side */
	const char	*key;
	const char	*index_key;
	const char	*prefix;	/* of the carried columns */

	/* dedupe */
	const char	*keys;
	const char	*keep;		/* first, last, earliest or latest */
	const char	*time;		/* the timestamp column */
	const char	*id;		/* names the kept record in details */
};

#endif
