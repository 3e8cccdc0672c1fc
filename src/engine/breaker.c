/*
 * P4, a circuit breaker per call edge: CLOSED until the failures in the
 * window reach the threshold, OPEN for open_s, then HALF_OPEN with one
 * probe whose answer decides.  A manual pin freezes the automaton.
 */
#include <string.h>

#include "engine/prim.h"

void
breaker_init(struct breaker *b)
{
	memset(b, 0, sizeof *b);
	b->fails_threshold = 5;
	b->window_s = 10;
	b->open_s = 30;
	b->state = BREAKER_CLOSED;
	b->pin = PIN_NONE;
}

enum breaker_state
breaker_effective(const struct breaker *b)
{
	if (b->pin == PIN_OPEN)
		return (BREAKER_OPEN);
	if (b->pin == PIN_CLOSED)
		return (BREAKER_CLOSED);
	return (b->state);
}

static void
clear_window(struct breaker *b)
{
	memset(b->window, 0, sizeof b->window);
	b->wsum = 0;
}

int
breaker_step(struct breaker *b, long tick, double fails, double probe_fail_p,
    double probe_ms, double u)
{
	enum breaker_state	 before = b->state;
	int			 len = b->window_s * TICKS_PER_S;

	if (len > BREAKER_WINDOW)
		len = BREAKER_WINDOW;
	if (b->pin != PIN_NONE || !b->auto_on) {
		clear_window(b);
		if (!b->auto_on)
			b->state = BREAKER_CLOSED;
		return (b->state != before);
	}
	switch (b->state) {
	case BREAKER_CLOSED:
		b->wpos = (b->wpos + 1) % len;
		b->wsum -= b->window[b->wpos];
		b->window[b->wpos] = fails;
		b->wsum += fails;
		/* Fluid masses: allow for rounding just under the threshold. */
		if (b->wsum >= b->fails_threshold - 1e-9) {
			b->state = BREAKER_OPEN;
			b->opened_tick = tick;
			clear_window(b);
		}
		break;
	case BREAKER_OPEN:
		if (tick - b->opened_tick >= (long)b->open_s * TICKS_PER_S) {
			b->state = BREAKER_HALF_OPEN;
			b->probe_ok = u >= probe_fail_p;
			b->probe_done_tick = tick + (long)(probe_ms / TICK_MS) + 1;
		}
		break;
	case BREAKER_HALF_OPEN:
		if (tick >= b->probe_done_tick) {
			if (b->probe_ok) {
				b->state = BREAKER_CLOSED;
				clear_window(b);
			} else {
				b->state = BREAKER_OPEN;
				b->opened_tick = tick;
			}
		}
		break;
	}
	if (b->state != before)
		b->transitions++;
	return (b->state != before);
}
