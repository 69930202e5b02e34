#include <stdio.h>
#include <string.h>

#include "stages/sessionize.h"
#include "types/tstamp.h"

const char *const evp_sess_role_name[EVP_SESS_NROLES] = {
	"register", "open", "close", "inside"
};

/*
 * The longest text of an instant: "YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM"
 * (epoch seconds are at most 12 digits and 9 fraction digits).
 */
#define TEXTMAX	36

#define F_REGISTERED	1
#define F_OPEN		2

/* One key's state: its previous accepted event and its open session. */
struct sstate {
	int64_t		 last_sec, start_sec;
	int32_t		 last_nsec, start_nsec;
	uint32_t	 prev, next;	/* open sessions: references + 1 */
	uint8_t		 flags, lastlen, startlen;
	char		 last[TEXTMAX], start[TEXTMAX];
};

int
evp_span_parse(struct evp_span *s, const char *text)
{
	int64_t sec = 0;
	int32_t nsec = 0;
	size_t i = 0, nd;

	for (; text[i] >= '0' && text[i] <= '9'; i++) {
		if (i == 12)
			return -1;
		sec = sec * 10 + (text[i] - '0');
	}
	if (i == 0)
		return -1;
	if (text[i] == '.') {
		for (nd = 0, i++; text[i] >= '0' && text[i] <= '9'; i++, nd++) {
			if (nd == 9)
				return -1;
			nsec = nsec * 10 + (text[i] - '0');
		}
		if (nd == 0)
			return -1;
		for (; nd < 9; nd++)
			nsec *= 10;
	}
	if (text[i] != '\0')
		return -1;
	s->sec = sec;
	s->nsec = nsec;
	return 0;
}

size_t
evp_span_format(char *buf, int64_t asec, int32_t ansec, int64_t bsec,
    int32_t bnsec, struct evp_span *out)
{
	int64_t sec = bsec - asec;
	int32_t nsec = bnsec - ansec;
	int n;

	if (nsec < 0) {
		nsec += 1000000000;
		sec--;
	}
	n = snprintf(buf, 32, "%lld", (long long)sec);
	if (nsec > 0) {
		n += snprintf(buf + n, 32 - (size_t)n, ".%09ld", (long)nsec);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
	}
	if (out != NULL)
		*out = (struct evp_span){ sec, nsec };
	return (size_t)n;
}

const struct evp_str *
evp_sessionize_twice(const struct evp_sessionize_opts *o, int *r1, int *r2)
{
	for (int a = 0; a < EVP_SESS_NROLES; a++) {
		const struct evp_names *la = o->role[a];
		for (size_t i = 0; la != NULL && i < la->n; i++)
			for (int b = a; b < EVP_SESS_NROLES; b++) {
				const struct evp_names *lb = o->role[b];
				if (lb == NULL)
					continue;
				int j = evp_names_find(lb, la->name[i].p,
				    la->name[i].len);
				if (j >= 0 && (b != a || (size_t)j != i)) {
					*r1 = a;
					*r2 = b;
					return &la->name[i];
				}
			}
	}
	return NULL;
}

static int
start(struct evp_sink *sk, const struct evp_header *h)
{
	struct evp_sessionize *s = evp_container_of(sk, struct evp_sessionize,
	    st.sink);
	const char *names[3] = { s->o.key, s->o.time, s->o.type };
	int idx[3];

	if (evp_require_columns(h, names, idx, 3) < 0)
		return -1;
	s->kidx = idx[0];
	s->tidx = idx[1];
	s->yidx = idx[2];
	evp_stage_map(&s->st, h);
	if (s->sessions != NULL && evp_sink_start(s->sessions, &s->sh) < 0)
		return -1;
	return evp_sink_start(s->st.out, h);
}

/* Is s[0..n) shaped as a date alone, YYYY-MM-DD? */
static int
date_shaped(const char *p, size_t n)
{
	if (n != 10 || p[4] != '-' || p[7] != '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9'))
			return 0;
	return 1;
}

/* The time as an instant, or a bad_timestamp verdict. */
static int
instant(const struct evp_sessionize *s, const struct evp_str *v,
    struct evp_tstamp *t, struct evp_verdict *vd)
{
	int ok = evp_tstamp_parse(t, v->p, v->len) == 0;
	const char *what;

	if (ok && t->kind == EVP_TS_INSTANT && v->len <= TEXTMAX)
		return 0;
	if (ok && t->kind == EVP_TS_INSTANT)
		what = "longer than any instant";
	else if (ok)
		what = "a time of day is not an instant";
	else if (date_shaped(v->p, v->len))
		what = "a date alone is not an instant";
	else
		what = "not a timestamp";
	evp_verdict_set(vd, "bad_timestamp", "%s: %s: '%.*s'", s->o.time, what,
	    EVP_SHOW(v));
	return -1;
}

/* The role of a type value, or -1. */
static int
role_of(const struct evp_sessionize *s, const struct evp_str *v)
{
	for (int r = 0; r < EVP_SESS_NROLES; r++)
		if (s->o.role[r] != NULL &&
		    evp_names_find(s->o.role[r], v->p, v->len) >= 0)
			return r;
	return -1;
}

static struct sstate *
at(const struct evp_sessionize *s, uint32_t link)
{
	return evp_map_at(&s->keys, link - 1);
}

/* Open a session of st at t (its text v), the newest open one. */
static void
open_session(struct evp_sessionize *s, struct sstate *st,
    const struct evp_tstamp *t, const struct evp_str *v)
{
	uint32_t self = evp_map_ref(&s->keys, st) + 1;

	st->flags |= F_OPEN;
	st->start_sec = t->sec;
	st->start_nsec = t->nsec;
	st->startlen = (uint8_t)v->len;
	memcpy(st->start, v->p, v->len);
	st->prev = s->tail;
	st->next = 0;
	if (s->tail != 0)
		at(s, s->tail)->next = self;
	else
		s->head = self;
	s->tail = self;
}

/* Close st's session and write it, ended at t (its text v). */
static int
close_session(struct evp_sessionize *s, struct sstate *st,
    const struct evp_rec *r, const struct evp_tstamp *t)
{
	struct evp_span len;
	char secs[32];
	size_t n;

	st->flags &= (uint8_t)~F_OPEN;
	if (st->prev != 0)
		at(s, st->prev)->next = st->next;
	else
		s->head = st->next;
	if (st->next != 0)
		at(s, st->next)->prev = st->prev;
	else
		s->tail = st->prev;
	n = evp_span_format(secs, st->start_sec, st->start_nsec, t->sec, t->nsec,
	    &len);
	int counted = len.sec > s->o.min.sec ||
	    (len.sec == s->o.min.sec && len.nsec >= s->o.min.nsec);
	s->closed++;
	s->counted += (uint64_t)counted;
	if (s->sessions == NULL)
		return 0;
	struct evp_str f[5] = { r->f[s->kidx], { st->start, st->startlen },
	    r->f[s->tidx], { secs, n },
	    counted ? EVP_STR("true") : EVP_STR("false") };
	struct evp_rec sr = { .n = 5, .f = f, .at = r->at };
	return evp_sink_put(s->sessions, &sr);
}

/*
 * Run the machine on an event of a known key state st (NULL: a key not
 * seen yet) and role; 0 if it accepts, else -1 and the verdict.
 */
static int
machine(const struct evp_sessionize *s, const struct sstate *st, int role,
    const struct evp_str *type, struct evp_verdict *v)
{
	int registered = s->o.role[EVP_SESS_REGISTER] == NULL ||
	    (st != NULL && (st->flags & F_REGISTERED));
	int open = st != NULL && (st->flags & F_OPEN);

	if (role == EVP_SESS_REGISTER) {
		if (!registered)
			return 0;
		evp_verdict_set(v, "already_registered", "'%.*s' of a key "
		    "already registered", EVP_SHOW(type));
		return -1;
	}
	if (!registered) {
		evp_verdict_set(v, "not_registered", "'%.*s' of a key not "
		    "registered", EVP_SHOW(type));
		return -1;
	}
	if (role == EVP_SESS_OPEN && open) {
		evp_verdict_set(v, "already_logged_in", "'%.*s' while logged in "
		    "since %.*s", EVP_SHOW(type), (int)st->startlen, st->start);
		return -1;
	}
	if ((role == EVP_SESS_CLOSE || role == EVP_SESS_INSIDE) && !open) {
		evp_verdict_set(v, "not_logged_in", "'%.*s' while logged out",
		    EVP_SHOW(type));
		return -1;
	}
	return 0;
}

static int
put(struct evp_sink *sk, const struct evp_rec *r)
{
	struct evp_sessionize *s = evp_container_of(sk, struct evp_sessionize,
	    st.sink);
	const struct evp_str *key = &r->f[s->kidx], *tv = &r->f[s->tidx];
	const struct evp_str *type = &r->f[s->yidx];
	struct evp_tstamp t;
	struct evp_verdict v;
	struct sstate *st;
	int role, created;

	s->st.count.in++;
	if (key->len == 0) {
		evp_verdict_set(&v, "missing_key", "%s: empty", s->o.key);
		return evp_stage_refuse(&s->st, r, &v);
	}
	if (instant(s, tv, &t, &v) < 0)
		return evp_stage_refuse(&s->st, r, &v);
	if ((role = role_of(s, type)) < 0 && !s->o.pass_unknown) {
		evp_verdict_set(&v, "unknown_event_type", "%s: '%.*s' is none of "
		    "the types given", s->o.type, EVP_SHOW(type));
		return evp_stage_refuse(&s->st, r, &v);
	}
	st = evp_map_get(&s->keys, key->p, key->len);
	if (st != NULL && (t.sec < st->last_sec ||
	    (t.sec == st->last_sec && t.nsec < st->last_nsec))) {
		evp_verdict_set(&v, "out_of_order", "at %.*s, before the key's "
		    "previous event at %.*s", EVP_SHOW(tv), (int)st->lastlen,
		    st->last);
		return evp_stage_refuse(&s->st, r, &v);
	}
	if (role >= 0 && machine(s, st, role, type, &v) < 0)
		return evp_stage_refuse(&s->st, r, &v);

	if (st == NULL)
		st = evp_map_put(&s->keys, key->p, key->len, sizeof(*st),
		    &created);
	st->last_sec = t.sec;
	st->last_nsec = t.nsec;
	st->lastlen = (uint8_t)tv->len;
	memcpy(st->last, tv->p, tv->len);
	if (role == EVP_SESS_REGISTER) {
		st->flags |= F_REGISTERED;
		open_session(s, st, &t, tv);
	} else if (role == EVP_SESS_OPEN)
		open_session(s, st, &t, tv);
	else if (role == EVP_SESS_CLOSE && close_session(s, st, r, &t) < 0)
		return -1;
	return evp_stage_pass(&s->st, r);
}

/* Write the sessions still open, oldest first. */
static int
write_open(struct evp_sessionize *s)
{
	for (uint32_t l = s->head; l != 0; l = at(s, l)->next) {
		struct sstate *st = at(s, l);
		size_t klen;
		const char *k = evp_map_key(st, &klen);
		s->open++;
		if (s->sessions == NULL)
			continue;
		struct evp_str f[5] = { { k, klen }, { st->start, st->startlen },
		    EVP_STR(""), EVP_STR(""), EVP_STR("false") };
		struct evp_rec sr = { .n = 5, .f = f };
		if (evp_sink_put(s->sessions, &sr) < 0)
			return -1;
	}
	return 0;
}

static int
end(struct evp_sink *sk)
{
	struct evp_sessionize *s = evp_container_of(sk, struct evp_sessionize,
	    st.sink);

	if (write_open(s) < 0)
		return -1;
	if (s->sessions != NULL && evp_sink_end(s->sessions) < 0)
		return -1;
	return evp_sink_end(s->st.out);
}

void
evp_sessionize_init(struct evp_sessionize *s,
    const struct evp_sessionize_opts *o, struct evp_rejects *rj,
    struct evp_sink *out, struct evp_sink *sessions)
{
	static const char *const cols[] = { "start", "end", "seconds",
	    "counted" };

	memset(s, 0, sizeof(*s));
	evp_stage_init(&s->st, "sessionize", (struct evp_sink){ start, put, end },
	    rj, out);
	s->o = *o;
	for (int r = 0; r < EVP_SESS_NROLES; r++)
		if (s->o.role[r] != NULL && s->o.role[r]->n == 0)
			s->o.role[r] = NULL;
	s->sessions = sessions;
	s->kidx = s->tidx = s->yidx = -1;
	evp_map_init(&s->keys);
	s->shname[0] = (struct evp_str){ o->key, strlen(o->key) };
	for (size_t i = 0; i < 4; i++)
		s->shname[i + 1] = (struct evp_str){ cols[i], strlen(cols[i]) };
	s->sh = (struct evp_header){ 5, s->shname, { NULL, 0 }, 0, NULL };
}

void
evp_sessionize_release(struct evp_sessionize *s)
{
	evp_map_release(&s->keys);
	evp_stage_release(&s->st);
}
