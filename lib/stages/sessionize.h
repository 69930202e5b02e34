#ifndef EVP_SESSIONIZE_H
#define EVP_SESSIONIZE_H

#include <stddef.h>
#include <stdint.h>

#include "core/map.h"
#include "stages/stage.h"

/*
 * sessionize: per key (a user), walk the events in time order through a
 * state machine given by the values of a type column, and write the
 * sessions it finds (SPEC section 10; SPEC section 13 is its first user).
 *
 * The types of each role:
 *   register  once per key, before any other event of it; opens a session
 *             (without register types, keys need no registration);
 *   open      opens a session;
 *   close     closes the open session;
 *   inside    allowed only while a session is open.
 * Checks, in order, the first that fails naming the reason: the key is
 * empty (missing_key); the time is not an instant (bad_timestamp); the
 * type is none of the roles' (unknown_event_type, unless pass_unknown,
 * when such an event passes outside the machine); the time is before the
 * key's previous accepted event (out_of_order); then the machine:
 * not_registered, already_registered, already_logged_in, not_logged_in.
 * A refused event changes nothing.
 *
 * Accepted events go on unchanged, in input order.  Sessions go to a
 * second sink (KEY,start,end,seconds,counted; start and end the time
 * column's text), each when it closes, and the sessions still open at the
 * end after them, in the order they opened.  Memory holds one state per
 * key (a map) and nothing per event.  The stage owns its map; it borrows
 * the options, the rejects and both sinks.
 */

enum evp_sess_role {
	EVP_SESS_REGISTER, EVP_SESS_OPEN, EVP_SESS_CLOSE, EVP_SESS_INSIDE,
	EVP_SESS_NROLES
};

/* A length of time, at least 0: whole seconds and nanoseconds. */
struct evp_span {
	int64_t	 sec;
	int32_t	 nsec;
};

struct evp_sessionize_opts {
	const char		*key, *time, *type;	/* column names */
	const struct evp_names	*role[EVP_SESS_NROLES];	/* NULL: none */
	int			 pass_unknown;
	struct evp_span		 min;	/* a session counts from this long */
};

struct evp_sessionize {
	struct evp_stage	 st;
	struct evp_sessionize_opts o;
	struct evp_sink		*sessions;	/* NULL: not written */
	int			 kidx, tidx, yidx;
	struct evp_map		 keys;		/* key -> its state */
	uint32_t		 head, tail;	/* open sessions, oldest first:
						 * map references + 1, 0 none */
	struct evp_str		 shname[5];
	struct evp_header	 sh;		/* the sessions' header */
	uint64_t		 closed, counted, open;	/* sessions written */
};

/* The role names, as options say them: "register", "open", ... */
extern const char *const evp_sess_role_name[EVP_SESS_NROLES];

/*
 * Parse a --min-seconds value: digits (at most 12), optionally a point
 * and 1 to 9 digits.  Return 0 and fill *s, or -1.
 */
int	evp_span_parse(struct evp_span *s, const char *text);

/*
 * Write the length of [a, b] (b not before a) into buf (at least 32
 * bytes) as an exact decimal: "5", "1.25", "0".  Return its length.
 */
size_t	evp_span_format(char *buf, int64_t asec, int32_t ansec, int64_t bsec,
	    int32_t bnsec, struct evp_span *out);

/*
 * A type given to two roles, or twice to one: return it and set *r1 and
 * *r2 to the roles; NULL when every type has one role.
 */
const struct evp_str *evp_sessionize_twice(const struct evp_sessionize_opts *o,
	    int *r1, int *r2);

void	evp_sessionize_init(struct evp_sessionize *s,
	    const struct evp_sessionize_opts *o, struct evp_rejects *rj,
	    struct evp_sink *out, struct evp_sink *sessions);
void	evp_sessionize_release(struct evp_sessionize *s);

#endif
