/*
 * The alert engine: rules over metric selectors with a threshold (absolute
 * or a multiple of the warm-up baseline) and a hold time.  An alert goes
 * pending -> firing -> resolved and may be acknowledged while firing; it
 * resolves only after ALERT_CLEAR_S clear seconds, so it does not flap.
 * Evaluated once per sim second; state changes are reported to the caller,
 * which writes them on the timeline.
 */
#ifndef FD_ALERT_H
#define FD_ALERT_H

#include "engine/metric.h"

#define ALERT_CLEAR_S	30

enum alert_sev {
	ALERT_PAGE,
	ALERT_TICKET,
	ALERT_INFO,
};

enum alert_state {
	AL_OK,
	AL_PENDING,
	AL_FIRING,
};

struct alert_rule {
	char		 id[48];
	char		*expr;		/* as written, for display */
	struct selector	 sel;
	int		*ids;		/* resolved series */
	int		 nids;
	char		 op;		/* '>' or '<' */
	double		 value;
	int		 relative;	/* value is a multiple of the baseline */
	int		 for_s;
	enum alert_sev	 sev;
	char		*summary;
	int		 muted;
	int		 noise;		/* background noise, never relevant */

	enum alert_state state;
	long		 pending_since;	/* sim ms */
	long		 fired_at;
	long		 resolved_at;
	long		 clear_since;	/* firing but clear since; -1 */
	int		 acked;
	long		 acked_at;
	int		 fired_count;
	char		 worst[160];	/* series that matched worst */
	double		 worst_value;
};

struct alerts {
	struct alert_rule *v;
	int		 n;
};

enum alert_change {
	AC_NONE,
	AC_FIRED,
	AC_RESOLVED,
};

void	alerts_init(struct alerts *);
void	alerts_fini(struct alerts *);
/*
 * Add a rule.  expr is "selector OP VALUE" or "selector OP Nx" (a multiple
 * of the baseline).  -1 with cause on a bad expression.
 */
int	alerts_add(struct alerts *, const char *id, const char *expr,
	    int for_s, enum alert_sev, const char *summary, char **cause);
int	alerts_find(const struct alerts *, const char *id);
void	alerts_remove(struct alerts *, int i);
/* Resolve selectors once the metrics exist. */
void	alerts_bind(struct alerts *, const struct metrics *);
/* Evaluate rule i at now_ms; returns what changed. */
enum alert_change alerts_eval(struct alerts *, int i,
	    const struct metrics *, long now_ms);
const char *alert_sev_name(enum alert_sev);

#endif
