/*
 * The game's seeded PRNG: xoshiro256** with independent streams derived
 * from one seed by splitmix64.  The outcome stream decides anything that
 * can change the simulation; the cosmetic stream only varies texts (log ids,
 * pids) so that flavour never perturbs outcomes.  No wall clock, ever.
 */
#ifndef FD_RNG_H
#define FD_RNG_H

#include <stdint.h>

enum rng_stream {
	RNG_OUTCOME,
	RNG_COSMETIC,
};

struct rng {
	uint64_t	s[4];
};

void		rng_init(struct rng *, uint64_t seed, enum rng_stream);
uint64_t	rng_next(struct rng *);
/* Uniform double in [0, 1) from 53 bits. */
double		rng_double(struct rng *);
/* Uniform integer in [lo, hi], without modulo bias.  lo <= hi. */
int64_t		rng_range(struct rng *, int64_t lo, int64_t hi);
/* Uniform double in [lo, hi). */
double		rng_uniform(struct rng *, double lo, double hi);

#endif
