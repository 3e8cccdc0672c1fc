/*
 * P1, a rate resource: M/M/1 response time below saturation, a growing
 * backlog above it, and abandonment beyond the timeout.
 */
#include <math.h>

#include "engine/prim.h"

void
rate_step(struct rate_res *r, double demand, double timeout_s)
{
	double	c = r->capacity > 0 ? r->capacity : 1e-9;
	double	cap;

	r->rho = demand / c;
	r->overflow = 0;
	if (r->rho < 0.95 && r->backlog <= 0) {
		r->backlog = 0;
		r->response_ms = r->service_ms / (1 - r->rho);
	} else {
		r->backlog += (demand - c) * TICK_S;
		if (r->backlog < 0)
			r->backlog = 0;
		cap = c * timeout_s;
		if (r->backlog > cap) {
			r->overflow = (r->backlog - cap) / TICK_S;
			r->backlog = cap;
		}
		r->response_ms = 20 * r->service_ms + r->backlog / c * 1000;
	}
	/* With work queued the resource is flat out, whatever arrives. */
	r->util_pct = r->backlog > 0 ? 100 : fmin(100, 100 * r->rho);
}

double
rate_factor(const struct rate_res *r)
{
	if (r->service_ms <= 0)
		return (1);
	return (fmax(1, r->response_ms / r->service_ms));
}
