#include "stages/stage.h"

void
evp_stage_init(struct evp_stage *s, const char *name, struct evp_sink ops,
    struct evp_rejects *rj, struct evp_sink *out)
{
	s->sink = ops;
	s->out = out;
	s->rj = rj;
	s->rjmap = (struct evp_rjmap){ 0, NULL, 0 };
	evp_count_init(&s->count, name);
}

void
evp_stage_map(struct evp_stage *s, const struct evp_header *h)
{
	evp_rjmap_release(&s->rjmap);
	evp_rjmap_init(&s->rjmap, s->rj, h);
}

int
evp_stage_refuse(struct evp_stage *s, const struct evp_rec *r,
    const struct evp_verdict *v)
{
	evp_reject(s->rj, &s->count, v, &r->at, NULL, &s->rjmap, r);
	return 0;
}

int
evp_stage_pass(struct evp_stage *s, const struct evp_rec *r)
{
	s->count.out++;
	return evp_sink_put(s->out, r);
}

void
evp_stage_release(struct evp_stage *s)
{
	evp_rjmap_release(&s->rjmap);
}
