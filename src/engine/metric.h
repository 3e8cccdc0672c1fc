/*
 * Metric series in Prometheus style, name{label="v",…}, each with its current
 * value, the value at the end of warm-up (the "7-day baseline") and a ring
 * of one-second samples covering two hours.  Series are registered once
 * when the world is built; the model then sets values by id every tick.
 */
#ifndef FD_METRIC_H
#define FD_METRIC_H

#define METRIC_HIST_S	7200
#define METRIC_MAXLBL	4

struct label {
	char	*key;
	char	*val;
};

struct series {
	char		*name;
	char		*full;		/* name{k="v",…} or bare name */
	struct label	 lbl[METRIC_MAXLBL];
	int		 nlbl;
	double		 value;
	double		 baseline;
	float		*ring;
	long		 nsamples;	/* samples ever pushed */
	int		 retired;	/* no longer updated (a pool was split) */
};

struct metrics {
	struct series	*v;
	int		 n;
	int		 cap;
};

void	metrics_init(struct metrics *);
void	metrics_fini(struct metrics *);
/*
 * Register a series; labels alternate key, value and end with NULL (at
 * most METRIC_MAXLBL pairs: asserted).  Registering the same full name
 * twice returns the existing id.
 */
int	metrics_add(struct metrics *, const char *name, ...);
int	metrics_find(const struct metrics *, const char *full);
void	metrics_set(struct metrics *, int id, double);
double	metrics_get(const struct metrics *, int id);
/* Push every current value into its ring (called once per sim second). */
void	metrics_sample(struct metrics *);
/* Copy current values into the baselines (end of warm-up). */
void	metrics_mark_baseline(struct metrics *);
/* Sample `ago` seconds back (0 = newest); NaN when not held. */
double	metrics_history(const struct metrics *, int id, long ago);
/* Borrowed value of a label, or NULL. */
const char *series_label(const struct series *, const char *key);

/* A selector: a name and label matchers, key="v" or key!="v". */
#define SEL_MAXM 6
struct selector {
	char	name[96];
	int	nm;
	struct {
		char	key[32];
		char	val[96];
		int	neg;
	} m[SEL_MAXM];
};

/* Parse `name{k="v",k!=v}`; quotes optional.  -1 with cause on error. */
int	selector_parse(struct selector *, const char *, char **cause);
int	selector_match(const struct selector *, const struct series *);
/*
 * Ids of all series the selector matches, in registration order; the
 * array is the caller's.  Returns the count.
 */
int	selector_resolve(const struct selector *, const struct metrics *,
	    int **ids);

#endif
