/*
 * P3, a token bucket refilled every tick.
 */
#include <math.h>

#include "engine/prim.h"

void
bucket_init(struct bucket *b, double rate, double burst)
{
	b->rate = rate;
	b->burst = burst > 0 ? burst : rate;
	b->tokens = b->burst;
}

double
bucket_take(struct bucket *b, double demand)
{
	double	want, got;

	if (b->rate <= 0)
		return (demand);
	b->tokens = fmin(b->burst, b->tokens + b->rate * TICK_S);
	want = demand * TICK_S;
	got = fmin(want, b->tokens);
	b->tokens -= got;
	return (got / TICK_S);
}
