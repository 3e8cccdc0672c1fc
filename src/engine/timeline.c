/*
 * The timeline's storage and the names of its event kinds, which the store
 * and the JSON output use as they are.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/fnv.h"
#include "engine/timeline.h"
#include "util/xmalloc.h"

static const char *kind_names[EV__COUNT] = {
	"start", "fault", "alert_fired", "alert_resolved", "alert_acked",
	"command", "action_done", "phase", "hint", "note", "diagnosis",
	"declare", "deploy", "probe", "info", "end", "impact", "damage",
};

void
timeline_init(struct timeline *tl)
{
	memset(tl, 0, sizeof *tl);
	tl->hash = FNV_OFFSET;
}

void
timeline_fini(struct timeline *tl)
{
	int	i;

	for (i = 0; i < tl->n; i++) {
		free(tl->v[i].actor);
		free(tl->v[i].text);
		free(tl->v[i].detail);
		free(tl->v[i].result);
	}
	free(tl->v);
	timeline_init(tl);
}

struct event *
timeline_add(struct timeline *tl, long t_ms, enum ev_kind kind,
    const char *actor, const char *text, const char *detail, int arg,
    double val)
{
	struct event	*e;

	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? tl->cap * 2 : 64;
		tl->v = xreallocarray(tl->v, tl->cap, sizeof *tl->v);
	}
	e = &tl->v[tl->n++];
	e->t_ms = t_ms;
	e->kind = kind;
	e->arg = arg;
	e->val = val;
	e->actor = xstrdup(actor != NULL ? actor : "system");
	e->text = xstrdup(text != NULL ? text : "");
	e->detail = detail != NULL ? xstrdup(detail) : NULL;
	e->result = NULL;
	fnv_add(&tl->hash, &e->t_ms, sizeof e->t_ms);
	fnv_add(&tl->hash, &e->kind, sizeof e->kind);
	fnv_add(&tl->hash, &e->arg, sizeof e->arg);
	fnv_add_str(&tl->hash, e->text);
	return (e);
}

void
timeline_set_result(struct event *e, const char *text)
{
	size_t	n = strcspn(text, "\n");

	if (n > 200) {
		n = 200;
		/* Never cut a UTF-8 sequence: back up to its lead byte. */
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	free(e->result);
	e->result = xstrndup(text, n);
}

const char *
ev_kind_name(enum ev_kind k)
{
	if ((int)k < 0 || k >= EV__COUNT)
		return ("unknown");
	return (kind_names[k]);
}

int
ev_kind_from_name(const char *s)
{
	int	i;

	for (i = 0; i < EV__COUNT; i++)
		if (strcmp(kind_names[i], s) == 0)
			return (i);
	return (-1);
}

const char *
harm_name(enum harm h)
{
	switch (h) {
	case HARM_USELESS:
		return ("useless");
	case HARM_MINOR:
		return ("minor");
	case HARM_MAJOR:
		return ("major");
	case HARM_CRITICAL:
		return ("critical");
	default:
		return ("none");
	}
}

void
pm_add(struct pm_answers *pm, const char *part, const char *key,
    const char *text, const char *owner, const char *deadline)
{
	struct pm_row	*r;

	pm->v = xreallocarray(pm->v, pm->n + 1, sizeof *pm->v);
	r = &pm->v[pm->n++];
	r->part = xstrdup(part);
	r->key = key != NULL ? xstrdup(key) : NULL;
	r->text = text != NULL ? xstrdup(text) : NULL;
	r->owner = owner != NULL ? xstrdup(owner) : NULL;
	r->deadline = deadline != NULL ? xstrdup(deadline) : NULL;
}

void
pm_free(struct pm_answers *pm)
{
	int	i;

	for (i = 0; i < pm->n; i++) {
		free(pm->v[i].part);
		free(pm->v[i].key);
		free(pm->v[i].text);
		free(pm->v[i].owner);
		free(pm->v[i].deadline);
	}
	free(pm->v);
	memset(pm, 0, sizeof *pm);
}
