/*
 * The timeline: every fact of a session as an event in sim time.  Scoring,
 * the debrief, the store and replay only ever read it.  Events own their
 * strings.
 */
#ifndef FD_TIMELINE_H
#define FD_TIMELINE_H

#include <stdint.h>

enum ev_kind {
	EV_START,
	EV_FAULT,		/* the script injected a cause */
	EV_ALERT_FIRED,
	EV_ALERT_RESOLVED,
	EV_ALERT_ACKED,		/* arg: 1 if the alert is in the relevant set */
	EV_COMMAND,		/* arg: harm class, val: 1 if it "works" */
	EV_ACTION_DONE,		/* a delayed action took effect */
	EV_PHASE,		/* arg: phase index */
	EV_HINT,		/* arg: tier */
	EV_NOTE,
	EV_DIAGNOSIS,		/* arg: DIAG_* */
	EV_DECLARE,		/* arg: 1 if before any alert and relevant */
	EV_DEPLOY,		/* rollout progress, auto-rollback */
	EV_PROBE,		/* arg: 0 start, 1 passed, 2 failed */
	EV_INFO,
	EV_END,			/* val: error budget burned, %; arg: failed
				   requests; text: outcome */
	EV_IMPACT,		/* t0: user impact begins (phase clocks start) */
	EV_DAMAGE,		/* val: bad records at the end; text: what */
	EV__COUNT
};

enum harm {
	HARM_NONE,
	HARM_USELESS,
	HARM_MINOR,
	HARM_MAJOR,
	HARM_CRITICAL,
};

/* A harmful command's detail starts with this when it is a security violation. */
#define HARM_SECURITY_TAG	"security violation: "

enum diag {
	DIAG_WRONG,
	DIAG_CORRECT,
	DIAG_NEAR_MISS,
};

struct event {
	long		 t_ms;
	enum ev_kind	 kind;
	int		 arg;
	double		 val;
	char		*actor;
	char		*text;
	char		*detail;	/* why a command was harmful, etc. */
	char		*result;	/* a command's answer, first line */
};

struct timeline {
	struct event	*v;
	int		 n;
	int		 cap;
	uint64_t	 hash;		/* FNV-1a of every event added */
};

/*
 * The post-mortem form's answers, one row per choice (catalog D.4):
 * part "root_cause" (key: systemic|symptom|wrong|blame), "action" (key:
 * prevention|distractor; owner, deadline), "monitor" (text), "annotation"
 * (key: detect|triage|mitigate|fix), "skipped" (key: the step skipped).
 * Strings are owned.
 */
struct pm_row {
	char	*part;
	char	*key;
	char	*text;
	char	*owner;
	char	*deadline;
};

struct pm_answers {
	struct pm_row	*v;
	int		 n;
	int		 filled;	/* the form was opened and finished */
};

void	pm_add(struct pm_answers *, const char *part, const char *key,
	    const char *text, const char *owner, const char *deadline);
void	pm_free(struct pm_answers *);

void		 timeline_init(struct timeline *);
void		 timeline_fini(struct timeline *);
/* Append; strings are copied; detail may be NULL.  Returns the event. */
struct event	*timeline_add(struct timeline *, long t_ms, enum ev_kind,
		    const char *actor, const char *text, const char *detail,
		    int arg, double val);
/* Attach a command's result (first line, at most 200 bytes). */
void		 timeline_set_result(struct event *, const char *);
const char	*ev_kind_name(enum ev_kind);
int		 ev_kind_from_name(const char *);
const char	*harm_name(enum harm);

#endif
