/*
 * P5, a call under a timeout/retry policy with a total budget, evaluated in
 * expectation: attempt i starts after i failures and their backoffs; the
 * caller gives up at the budget, whatever the attempt in flight.
 */
#include <math.h>

#include "engine/prim.h"

static double
backoff(const struct retry_policy *p, int i)
{
	if (p->nbackoff <= 0)
		return (0);
	if (i >= p->nbackoff)
		i = p->nbackoff - 1;
	return (p->backoff_ms[i]);
}

void
retry_eval(const struct retry_policy *p, double ok_ms, double fail_ms,
    double fail_p, struct retry_out *out)
{
	double	budget = p->budget_ms > 0 ? p->budget_ms : INFINITY;
	double	reach = 1, start = 0, end = 0, lat = 0, ok = 0;
	double	attempts = 0, failures = 0;
	int	i, n = p->retries + 1;

	fail_p = fmin(1, fmax(0, fail_p));
	for (i = 0; i < n && reach > 0 && start < budget; i++) {
		attempts += reach;
		if (start + ok_ms <= budget) {
			lat += reach * (1 - fail_p) * (start + ok_ms);
			ok += reach * (1 - fail_p);
		} else
			lat += reach * (1 - fail_p) * budget;
		end = start + fail_ms;
		if (end >= budget) {
			lat += reach * fail_p * budget;
			failures += reach * fail_p;
			reach = 0;
			break;
		}
		failures += reach * fail_p;
		reach *= fail_p;
		start = end + backoff(p, i);
	}
	/* Every attempt failed inside the budget: the caller stops there. */
	lat += reach * end;
	out->latency_ms = lat;
	out->fail_p = 1 - ok;
	out->attempts = attempts;
	out->failures = failures;
}
