#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/count.h"

void
evp_count_init(struct evp_count *c, const char *stage)
{
	memset(c, 0, sizeof(*c));
	c->stage = stage;
}

/*
 * A reason or output name may come from a profile's schema, whose memory
 * is released before the summary is written: the first time a count meets
 * a name it keeps a copy for the life of the process.  Names are few (a
 * profile's reasons), so the copies are never freed.
 */
static const char *
intern(const char *name)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct kept { struct kept *next; char s[]; } *kept;
	const char *r = NULL;

	pthread_mutex_lock(&lock);
	for (struct kept *k = kept; k != NULL; k = k->next)
		if (strcmp(k->s, name) == 0) {
			r = k->s;
			break;
		}
	if (r == NULL) {
		size_t len = strlen(name) + 1;
		struct kept *k = malloc(sizeof(*k) + len);
		if (k == NULL)
			evp_fatal(EVP_EXIT_IO, "out of memory");
		memcpy(k->s, name, len);
		k->next = kept;
		kept = k;
		r = k->s;
	}
	pthread_mutex_unlock(&lock);
	return r;
}

static void
tally(struct evp_tally *t, size_t *n, size_t max, const char *name, uint64_t k)
{
	for (size_t i = 0; i < *n; i++)
		if (t[i].name == name || strcmp(t[i].name, name) == 0) {
			t[i].n += k;
			return;
		}
	if (*n == max)
		evp_fatal(EVP_EXIT_IO, "internal error: too many reasons");
	t[*n].name = intern(name);
	t[*n].n = k;
	(*n)++;
}

void
evp_count_reason(struct evp_count *c, const char *reason)
{
	c->rejected++;
	tally(c->reasons, &c->nreasons, EVP_MAX_REASONS, reason, 1);
}

void
evp_count_reasons(struct evp_count *c, const char *reason, uint64_t n)
{
	c->rejected += n;
	tally(c->reasons, &c->nreasons, EVP_MAX_REASONS, reason, n);
}

void
evp_count_output(struct evp_count *c, const char *name, uint64_t n)
{
	tally(c->outputs, &c->noutputs, EVP_MAX_OUTPUTS, name, n);
}

static void
tallies_text(struct evp_buf *b, const struct evp_tally *t, size_t n)
{
	if (n == 0)
		return;
	evp_buf_adds(b, " (");
	for (size_t i = 0; i < n; i++)
		evp_buf_printf(b, "%s%s %llu", i ? ", " : "", t[i].name,
		    (unsigned long long)t[i].n);
	evp_buf_adds(b, ")");
}

void
evp_count_text(const struct evp_count *c, struct evp_buf *b)
{
	evp_buf_printf(b, "%llu in, %llu out", (unsigned long long)c->in,
	    (unsigned long long)c->out);
	tallies_text(b, c->outputs, c->noutputs);
	evp_buf_printf(b, ", %llu rejected", (unsigned long long)c->rejected);
	tallies_text(b, c->reasons, c->nreasons);
	if (c->filtered > 0)
		evp_buf_printf(b, ", %llu filtered", (unsigned long long)c->filtered);
}

void
evp_json_str(struct evp_buf *b, const char *s)
{
	evp_buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			evp_buf_addc(b, '\\');
			evp_buf_addc(b, ch);
		} else if (ch < 0x20)
			evp_buf_printf(b, "\\u%04x", ch);
		else
			evp_buf_addc(b, ch);
	}
	evp_buf_addc(b, '"');
}

static void
tallies_json(struct evp_buf *b, const struct evp_tally *t, size_t n)
{
	evp_buf_addc(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			evp_buf_addc(b, ',');
		evp_json_str(b, t[i].name);
		evp_buf_printf(b, ":%llu", (unsigned long long)t[i].n);
	}
	evp_buf_addc(b, '}');
}

void
evp_count_json(const struct evp_count *c, struct evp_buf *b)
{
	evp_buf_adds(b, "{\"stage\":");
	evp_json_str(b, c->stage);
	evp_buf_addc(b, ',');
	evp_count_json_fields(c, b);
	evp_buf_addc(b, '}');
}

void
evp_count_json_fields(const struct evp_count *c, struct evp_buf *b)
{
	evp_buf_printf(b, "\"in\":%llu,\"out\":%llu,\"rejected\":%llu",
	    (unsigned long long)c->in, (unsigned long long)c->out,
	    (unsigned long long)c->rejected);
	if (c->noutputs > 0) {
		evp_buf_adds(b, ",\"outputs\":");
		tallies_json(b, c->outputs, c->noutputs);
	}
	evp_buf_adds(b, ",\"reasons\":");
	tallies_json(b, c->reasons, c->nreasons);
	if (c->filtered > 0)
		evp_buf_printf(b, ",\"filtered\":%llu",
		    (unsigned long long)c->filtered);
}
