/*
 * xoshiro256** seeded through splitmix64; each stream mixes its own constant
 * into the seed so streams never share a sequence.
 */
#include "engine/rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z;

	z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

void
rng_init(struct rng *r, uint64_t seed, enum rng_stream stream)
{
	uint64_t	x;
	int		i;

	x = seed ^ (0xd1b54a32d192ed03ULL * ((uint64_t)stream + 1));
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result, t;

	result = rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return (result);
}

double
rng_double(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) * 0x1.0p-53);
}

int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	uint64_t	span, lim, v;

	span = (uint64_t)hi - (uint64_t)lo + 1;
	if (span == 0)			/* the whole 64-bit range */
		return ((int64_t)rng_next(r));
	lim = UINT64_MAX - UINT64_MAX % span;
	do
		v = rng_next(r);
	while (v >= lim);
	return (lo + (int64_t)(v % span));
}

double
rng_uniform(struct rng *r, double lo, double hi)
{
	return (lo + (hi - lo) * rng_double(r));
}
