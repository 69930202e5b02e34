/*
 * fuzz_sessionize: the sessionize stage over random event sequences,
 * against a reference model of the machine written here.
 *
 * The input's first byte picks the machine: which of the roles register
 * (type "r"), open ("i"), close ("o") and inside ("x") exist (a type
 * without its role is unknown, as "u" and "" always are; open is added
 * when neither register nor open is), --pass-unknown, --min-seconds (1,
 * 0, 0.5 or 2) and whether sessions are written.  Then each event takes
 * three bytes: its key (empty or one of four) and type; a step of the
 * clock (forward by quarter seconds or odd nanoseconds, or back); and the
 * time's text: epoch seconds with or without a fraction (trailing zeros
 * kept or not), ISO 8601 with Z, +01:00 or a space, or text that is no
 * instant (empty, a time of day, a date alone, garbage).
 *
 * Invariants:
 *  - conservation: in = the events given = out + rejected, rejected the
 *    sum of the reasons;
 *  - rejects exactly where the model refuses: the same events, in order,
 *    at their lines, with its reasons; the others passed on, in order;
 *  - the sessions are the model's: key, start and end text, the exact
 *    seconds and counted, closed ones in closing order, then the open
 *    ones in opening order;
 *  - and, read from the outputs alone: every closed session ends at an
 *    accepted close event of its key (the n-th closed session at the
 *    n-th accepted close), the others are open at the end (empty end
 *    and seconds, not counted) and come last; counted iff seconds >=
 *    --min-seconds (the seconds parsed here as a decimal); a key's
 *    sessions do not overlap and at most one of them is open;
 *  - one state per key that had an accepted event, none for the others;
 *    the stage's session counters agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/reject.h"
#include "fuzzutil.h"
#include "stages/sessionize.h"

#define MAXEV	1400
#define NKEY	5			/* key 0 is the empty key */
#define BASE	INT64_C(1273312800)	/* 2010-05-08T10:00:00Z */
#define NS	INT64_C(1000000000)

static const char *const keyname[NKEY] = { "", "k1", "k2", "k3", "k4" };
static const char *const typename[8] = { "r", "i", "o", "x", "u", "", "i",
    "o" };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_capture_init();
	return 0;
}

/* ---- the events ---- */

struct event {
	int	 key, type;	/* type: index into typename */
	int	 bad;		/* the time is not an instant */
	int64_t	 ns;		/* since BASE */
	char	 id[8], t[48];
	/* what the model makes of it */
	const char *want;	/* NULL: accepted */
};

static struct event ev[MAXEV];
static size_t nev;

/* The text of the instant BASE + ns, in form f with fraction style fs. */
static void
time_text(char *buf, size_t size, int64_t ns, int f, int fs)
{
	int64_t sec = BASE + ns / NS;
	long frac = (long)(ns % NS);
	char fr[16] = "";

	if (frac != 0 || fs & 1) {
		snprintf(fr, sizeof(fr), ".%09ld", frac);
		/* Drop some trailing zeros, keeping one digit at least. */
		size_t n = strlen(fr);
		for (int drop = fs >> 1; drop > 0 && n > 2 && fr[n - 1] == '0';
		    drop--)
			fr[--n] = '\0';
	}
	int64_t day = ns / NS / 86400;
	int64_t s = (ns / NS) % 86400 + 10 * 3600;	/* BASE is 10:00 */
	int h = (int)(s / 3600 % 24), m = (int)(s / 60 % 60), sc = (int)(s % 60);
	int d = 8 + (int)day + (int)(s / 86400);
	switch (f) {
	case 0:
		snprintf(buf, size, "%lld%s", (long long)sec, fr);
		break;
	case 1:
		snprintf(buf, size, "2010-05-%02dT%02d:%02d:%02d%sZ", d, h, m, sc,
		    fr);
		break;
	case 2:
		if (h < 23) {
			snprintf(buf, size, "2010-05-%02dT%02d:%02d:%02d%s+01:00",
			    d, h + 1, m, sc, fr);
			break;
		}
		/* FALLTHROUGH */
	default:
		snprintf(buf, size, "2010-05-%02d %02d:%02d:%02d%s", d, h, m, sc,
		    fr);
	}
}

static const char *const notime[8] = { "", "10:05", "2010-05-08", "bogus",
    "2010-05-08T25:00:00Z", "1273312800 ", "1e9", "-5" };

/* Decode the events from d[0..n); the clock starts at BASE. */
static void
decode(const uint8_t *d, size_t n)
{
	int64_t clock = 0;

	nev = 0;
	for (size_t i = 0; i + 3 <= n && nev < MAXEV; i += 3) {
		struct event *e = &ev[nev];
		uint8_t a = d[i], b = d[i + 1], c = d[i + 2];
		e->key = a & 7;
		if (e->key >= NKEY)
			e->key -= NKEY - 1;
		e->type = a >> 3 & 7;
		int64_t step = b & 0x3f;
		step = b & 0x40 ? step * 7919 : step * (NS / 4);
		clock += b & 0x80 ? -step : step;
		if (clock < 0)
			clock = 0;
		e->ns = clock;
		e->bad = c >> 5 == 7;
		if (e->bad)
			snprintf(e->t, sizeof(e->t), "%s", notime[c >> 2 & 7]);
		else
			time_text(e->t, sizeof(e->t), clock, c & 3, c >> 2 & 7);
		snprintf(e->id, sizeof(e->id), "%zu", nev);
		nev++;
	}
}

/* ---- the model ---- */

enum { R_REG, R_OPEN, R_CLOSE, R_INSIDE, R_NONE };

struct config {
	int	 has[4];	/* the roles given */
	int	 pass;
	int64_t	 min;		/* in nanoseconds */
	const char *mintext;
	int	 sessions;	/* written or not */
};

struct mkey {
	int	 used, registered, open;
	int64_t	 last, start;
	const char *starttext;
	size_t	 openseq;
};

struct msession {
	int		 key;
	const char	*start, *end;	/* end NULL: open */
	int64_t		 len;
};

static struct msession ms[MAXEV];
static size_t nms, nclosed;

static int
role(const struct config *cf, int type)
{
	const char *t = typename[type];
	static const char *const names[4] = { "r", "i", "o", "x" };

	for (int r = 0; r < 4; r++)
		if (cf->has[r] && strcmp(t, names[r]) == 0)
			return r;
	return R_NONE;
}

static void
model(const struct config *cf)
{
	struct mkey k[NKEY];
	size_t seq = 0;

	memset(k, 0, sizeof(k));
	nms = 0;
	for (size_t i = 0; i < nev; i++) {
		struct event *e = &ev[i];
		struct mkey *m = &k[e->key];
		int r = role(cf, e->type);
		int registered = !cf->has[R_REG] || m->registered;

		e->want = NULL;
		if (e->key == 0)
			e->want = "missing_key";
		else if (e->bad)
			e->want = "bad_timestamp";
		else if (r == R_NONE && !cf->pass)
			e->want = "unknown_event_type";
		else if (m->used && e->ns < m->last)
			e->want = "out_of_order";
		else if (r == R_REG && registered)
			e->want = "already_registered";
		else if (r != R_NONE && r != R_REG && !registered)
			e->want = "not_registered";
		else if (r == R_OPEN && m->open)
			e->want = "already_logged_in";
		else if ((r == R_CLOSE || r == R_INSIDE) && !m->open)
			e->want = "not_logged_in";
		if (e->want != NULL)
			continue;
		m->used = 1;
		m->last = e->ns;
		if (r == R_REG)
			m->registered = 1;
		if (r == R_REG || r == R_OPEN) {
			m->open = 1;
			m->start = e->ns;
			m->starttext = e->t;
			m->openseq = seq++;
		} else if (r == R_CLOSE) {
			m->open = 0;
			ms[nms++] = (struct msession){ e->key, m->starttext, e->t,
			    e->ns - m->start };
		}
	}
	nclosed = nms;
	/* The open ones, by the order they opened in. */
	for (;;) {
		int best = -1;
		for (int j = 1; j < NKEY; j++)
			if (k[j].open && (best < 0 || k[j].openseq <
			    k[best].openseq))
				best = j;
		if (best < 0)
			break;
		ms[nms++] = (struct msession){ best, k[best].starttext, NULL, 0 };
		k[best].open = 0;
	}
}

/* Exact seconds of len nanoseconds: "5", "1.25". */
static void
seconds_text(char *buf, size_t size, int64_t len)
{
	int n = snprintf(buf, size, "%lld", (long long)(len / NS));
	if (len % NS) {
		n += snprintf(buf + n, size - (size_t)n, ".%09lld",
		    (long long)(len % NS));
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
	}
}

/* ---- capturing what the stage writes ---- */

struct rows {
	struct evp_sink	 sink;
	size_t		 n;
	char		 (*row)[160];	/* fields joined with '|' */
};

static int
r_start(struct evp_sink *s, const struct evp_header *h)
{
	(void)s;
	(void)h;
	return 0;
}

static int
r_put(struct evp_sink *s, const struct evp_rec *r)
{
	struct rows *w = evp_container_of(s, struct rows, sink);
	size_t off = 0;

	FUZZ_CHECK(w->n < MAXEV, "more rows than events");
	for (size_t i = 0; i < r->n; i++)
		off += (size_t)snprintf(w->row[w->n] + off, 160 - off, "%s%.*s",
		    i ? "|" : "", (int)r->f[i].len, r->f[i].p);
	w->n++;
	return 0;
}

static int
r_end(struct evp_sink *s)
{
	(void)s;
	return 0;
}

static char outrows[MAXEV][160], sesrows[MAXEV][160];

/*
 * The fields of the CSV record at *pp (RFC 4180, LF line ends), into
 * f[0..max) as NUL-terminated copies of at most 63 bytes; the count.
 */
static size_t
csv_record(const char **pp, const char *end, char f[][64], size_t max)
{
	const char *p = *pp;
	size_t nf = 0, len = 0;
	int q = 0;

	for (; p < end; p++) {
		if (q) {
			if (*p == '"' && p + 1 < end && p[1] == '"')
				p++;
			else if (*p == '"') {
				q = 0;
				continue;
			}
		} else if (*p == '"') {
			q = 1;
			continue;
		} else if (*p == ',' || *p == '\n') {
			if (nf < max)
				f[nf][len < 63 ? len : 63] = '\0';
			nf++;
			len = 0;
			if (*p == '\n') {
				p++;
				break;
			}
			continue;
		}
		if (nf < max && len < 63)
			f[nf][len] = *p;
		len++;
	}
	*pp = p;
	return nf;
}

/* ---- the run ---- */

/* The instant of a time text some event has (equal texts, equal instants). */
static int64_t
instant_of(const char *t)
{
	for (size_t i = 0; i < nev; i++)
		if (!ev[i].bad && strcmp(ev[i].t, t) == 0)
			return ev[i].ns;
	fuzz_fail("time '%s' is no event's", t);
}

static void
check_sessions_alone(const struct config *cf, const struct rows *out,
    const struct rows *ses)
{
	char f[5][64];
	int open[NKEY] = { 0 }, seenopen = 0;
	int64_t lastend[NKEY];
	size_t oi = 0;

	for (int k = 0; k < NKEY; k++)
		lastend[k] = -1;
	for (size_t i = 0; i < ses->n; i++) {
		const char *p = ses->row[i], *e = p + strlen(p);
		size_t nf = 0;
		/* '|' joins the fields: none of them holds one. */
		for (size_t len = 0; p <= e && nf < 5; p++) {
			if (p == e || *p == '|') {
				f[nf++][len] = '\0';
				len = 0;
			} else if (len < 63)
				f[nf][len++] = *p;
		}
		FUZZ_CHECK(nf == 5, "session %zu: %zu fields", i, nf);
		int key = f[0][1] - '0';
		FUZZ_CHECK(f[0][0] == 'k' && key >= 1 && key < NKEY,
		    "session %zu: key '%s'", i, f[0]);
		/* A key's sessions do not overlap. */
		int64_t start = instant_of(f[1]);
		FUZZ_CHECK(start >= lastend[key], "session %zu of k%d starts "
		    "at %s, before the end of its previous one", i, key, f[1]);
		if (f[2][0] == '\0') {
			FUZZ_CHECK(f[3][0] == '\0' && strcmp(f[4], "false") == 0,
			    "open session %zu: seconds '%s', counted %s", i,
			    f[3], f[4]);
			FUZZ_CHECK(!open[key], "two open sessions of k%d", key);
			open[key] = 1;
			seenopen = 1;
			continue;
		}
		FUZZ_CHECK(!seenopen, "closed session %zu after an open one", i);
		/* It ends at the next accepted close event. */
		for (; oi < out->n; oi++)
			if (role(cf, ev[atoi(out->row[oi])].type) == R_CLOSE)
				break;
		FUZZ_CHECK(oi < out->n, "session %zu closed by no event", i);
		size_t id = (size_t)atoi(out->row[oi++]);
		FUZZ_CHECK(ev[id].key == key && strcmp(ev[id].t, f[2]) == 0,
		    "session %zu ends at %s of k%d, not at event %zu", i, f[2],
		    key, id);
		lastend[key] = ev[id].ns;
		FUZZ_CHECK(lastend[key] >= start, "session %zu ends before it "
		    "starts", i);
		/* counted iff seconds >= min, the seconds read as a decimal. */
		int64_t sec = 0, fr = 0, scale = NS;
		const char *c = f[3];
		for (; *c >= '0' && *c <= '9'; c++)
			sec = sec * 10 + (*c - '0');
		if (*c == '.')
			for (c++; *c >= '0' && *c <= '9' && scale > 1; c++) {
				scale /= 10;
				fr += (*c - '0') * scale;
			}
		FUZZ_CHECK(*c == '\0' && f[3][0] != '\0', "seconds '%s'", f[3]);
		int counted = sec * NS + fr >= cf->min;
		FUZZ_CHECK(strcmp(f[4], counted ? "true" : "false") == 0,
		    "session %zu: %s seconds, min %s, counted %s", i, f[3],
		    cf->mintext, f[4]);
	}
	/* Every accepted close event closed a session. */
	for (; oi < out->n; oi++)
		FUZZ_CHECK(role(cf, ev[atoi(out->row[oi])].type) != R_CLOSE,
		    "event %s closed no session written", out->row[oi]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const mins[4] = { "1", "0", "0.5", "2" };
	static const int64_t minns[4] = { NS, 0, NS / 2, 2 * NS };
	static struct evp_str colname[4] = { EVP_STR("id"), EVP_STR("key"),
	    EVP_STR("t"), EVP_STR("type") };
	static const struct evp_header h = { 4, colname, { "fuzz", 1 }, 0, NULL };
	struct config cf;
	struct evp_names lists[4];
	struct evp_sessionize_opts o;
	struct evp_sessionize s;
	struct evp_rejects rj;
	struct rows out = { { r_start, r_put, r_end }, 0, outrows };
	struct rows ses = { { r_start, r_put, r_end }, 0, sesrows };

	if (size < 1)
		return 0;
	memset(&cf, 0, sizeof(cf));
	for (int r = 0; r < 4; r++)
		cf.has[r] = data[0] >> r & 1;
	if (!cf.has[R_REG] && !cf.has[R_OPEN])
		cf.has[R_OPEN] = 1;
	cf.pass = data[0] >> 4 & 1;
	cf.min = minns[data[0] >> 5 & 3];
	cf.mintext = mins[data[0] >> 5 & 3];
	cf.sessions = !(data[0] >> 7 & 1);
	decode(data + 1, size - 1);
	model(&cf);

	memset(&o, 0, sizeof(o));
	memset(lists, 0, sizeof(lists));
	o.key = "key";
	o.time = "t";
	o.type = "type";
	static const char *const rolenames[4] = { "r", "i", "o", "x" };
	for (int r = 0; r < 4; r++)
		if (cf.has[r]) {
			FUZZ_CHECK(evp_names_parse(&lists[r], rolenames[r]) == 0,
			    "names");
			o.role[r] = &lists[r];
		}
	o.pass_unknown = cf.pass;
	FUZZ_CHECK(evp_span_parse(&o.min, cf.mintext) == 0, "min");

	fuzz_out.len = 0;
	evp_rejects_init(&rj, &fuzz_ofile, &h, 0);
	evp_sessionize_init(&s, &o, &rj, &out.sink, cf.sessions ? &ses.sink :
	    NULL);
	FUZZ_CHECK(evp_sink_start(&s.st.sink, &h) == 0, "start failed");
	for (size_t i = 0; i < nev; i++) {
		const char *tn = typename[ev[i].type];
		struct evp_str f[4] = { { ev[i].id, strlen(ev[i].id) },
		    { keyname[ev[i].key], strlen(keyname[ev[i].key]) },
		    { ev[i].t, strlen(ev[i].t) }, { tn, strlen(tn) } };
		struct evp_rec r = { .n = 4, .f = f, .at = { "fuzz", i + 2 } };
		FUZZ_CHECK(evp_sink_put(&s.st.sink, &r) == 0, "put failed");
	}
	FUZZ_CHECK(evp_sink_end(&s.st.sink) == 0, "end failed");
	evp_ofile_flush(&fuzz_ofile);

	/* Conservation. */
	const struct evp_count *c = &s.st.count;
	uint64_t sum = 0;
	for (size_t i = 0; i < c->nreasons; i++)
		sum += c->reasons[i].n;
	FUZZ_CHECK(c->in == nev && c->in == c->out + c->rejected &&
	    sum == c->rejected && c->out == out.n, "counts: %zu events, in %llu,"
	    " out %llu (%zu rows), rejected %llu (reasons %llu)", nev,
	    (unsigned long long)c->in, (unsigned long long)c->out, out.n,
	    (unsigned long long)c->rejected, (unsigned long long)sum);

	/* Passed on and refused exactly as the model says. */
	const char *p = fuzz_out.p, *end = fuzz_out.p + fuzz_out.len;
	char f[10][64];
	size_t nf = csv_record(&p, end, f, 10), oi = 0;
	FUZZ_CHECK(nf == 10 && strcmp(f[1], "reason") == 0, "rejects header");
	for (size_t i = 0; i < nev; i++) {
		if (ev[i].want == NULL) {
			FUZZ_CHECK(oi < out.n && (size_t)atoi(out.row[oi]) == i &&
			    strchr(out.row[oi], '|') - out.row[oi] ==
			    (long)strlen(ev[i].id),
			    "event %zu (%s %s %s) not passed on", i,
			    keyname[ev[i].key], ev[i].t, typename[ev[i].type]);
			oi++;
			continue;
		}
		FUZZ_CHECK(p < end, "event %zu: no reject, want %s", i,
		    ev[i].want);
		nf = csv_record(&p, end, f, 10);
		FUZZ_CHECK(nf == 10 && strcmp(f[0], "sessionize") == 0 &&
		    (size_t)atoll(f[4]) == i + 2 && strcmp(f[6], ev[i].id) == 0,
		    "event %zu: reject of line %s (id %s)", i, f[4], f[6]);
		FUZZ_CHECK(strcmp(f[1], ev[i].want) == 0,
		    "event %zu (%s '%s' %s): %s (%s), the model says %s", i,
		    keyname[ev[i].key], ev[i].t, typename[ev[i].type], f[1],
		    f[2], ev[i].want);
	}
	FUZZ_CHECK(p == end && oi == out.n, "more rejects or events than the "
	    "model's");

	/* The sessions. */
	FUZZ_CHECK(s.closed == nclosed && s.open == nms - nclosed,
	    "counters: %llu closed, %llu open; the model %zu, %zu",
	    (unsigned long long)s.closed, (unsigned long long)s.open, nclosed,
	    nms - nclosed);
	if (cf.sessions) {
		FUZZ_CHECK(ses.n == nms, "%zu sessions, the model %zu", ses.n,
		    nms);
		for (size_t i = 0; i < nms; i++) {
			char want[160], secs[32] = "";
			if (ms[i].end != NULL)
				seconds_text(secs, sizeof(secs), ms[i].len);
			snprintf(want, sizeof(want), "%s|%s|%s|%s|%s",
			    keyname[ms[i].key], ms[i].start,
			    ms[i].end ? ms[i].end : "", secs,
			    ms[i].end && ms[i].len >= cf.min ? "true" : "false");
			FUZZ_CHECK(strcmp(ses.row[i], want) == 0,
			    "session %zu: %s, the model %s", i, ses.row[i], want);
		}
		check_sessions_alone(&cf, &out, &ses);
	}

	/* One state per key with an accepted event. */
	int used[NKEY] = { 0 };
	size_t nused = 0;
	for (size_t i = 0; i < nev; i++)
		if (ev[i].want == NULL && !used[ev[i].key]) {
			used[ev[i].key] = 1;
			nused++;
		}
	FUZZ_CHECK(s.keys.n == nused, "%zu keys held, %zu had events",
	    s.keys.n, nused);

	evp_sessionize_release(&s);
	evp_rejects_release(&rj);
	for (int r = 0; r < 4; r++)
		evp_names_free(&lists[r]);
	return 0;
}
