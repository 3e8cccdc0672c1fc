/*
 * A Bloom filter over 64-bit keys.  Each key is mixed twice with the
 * splitmix64 finalizer and the k bit positions come from double hashing,
 * (h1 + i * h2) mod m, with h2 forced odd.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/bloom.h"
#include "util/xmalloc.h"

#define BLOOM_LN2	0.69314718055994530942

/* splitmix64's finalizer: a bijective 64-bit mix with good avalanche. */
static uint64_t
bloom_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

/* The two base hashes, both already reduced modulo m. */
static void
bloom_hashes(const struct bloom *b, uint64_t key, uint64_t *h1, uint64_t *h2)
{
	uint64_t	a, c;

	a = bloom_mix(key);
	c = bloom_mix(a ^ 0x6a09e667f3bcc909ULL) | 1;
	*h1 = a % b->m;
	*h2 = c % b->m;
	if (*h2 == 0)
		*h2 = 1;
}

void
bloom_init(struct bloom *b, uint64_t n, double bits_per_key)
{
	double		bits, kk;
	uint64_t	m;

	memset(b, 0, sizeof *b);
	if (!(bits_per_key > 0))
		bits_per_key = 0;

	bits = ceil((double)n * bits_per_key);
	if (bits < 64)
		m = 64;
	else
		m = (uint64_t)bits;
	m = (m + 63) / 64 * 64;

	kk = floor(bits_per_key * BLOOM_LN2 + 0.5);
	if (kk < 1)
		kk = 1;

	b->m = m;
	b->k = (int)kk;
	b->n = 0;
	b->bits = xcalloc(m / 64, sizeof *b->bits);
}

void
bloom_fini(struct bloom *b)
{
	free(b->bits);
	memset(b, 0, sizeof *b);
}

void
bloom_add(struct bloom *b, uint64_t key)
{
	uint64_t	h1, h2, idx;
	int		i;

	if (b->bits == NULL || b->m == 0)
		return;
	bloom_hashes(b, key, &h1, &h2);
	idx = h1;
	for (i = 0; i < b->k; i++) {
		b->bits[idx / 64] |= (uint64_t)1 << (idx % 64);
		idx += h2;
		if (idx >= b->m)
			idx -= b->m;
	}
	b->n++;
}

int
bloom_maybe(const struct bloom *b, uint64_t key)
{
	uint64_t	h1, h2, idx;
	int		i;

	if (b->bits == NULL || b->m == 0)
		return (0);
	bloom_hashes(b, key, &h1, &h2);
	idx = h1;
	for (i = 0; i < b->k; i++) {
		if ((b->bits[idx / 64] & ((uint64_t)1 << (idx % 64))) == 0)
			return (0);
		idx += h2;
		if (idx >= b->m)
			idx -= b->m;
	}
	return (1);
}

double
bloom_fp_theory(const struct bloom *b)
{
	if (b->m == 0 || b->k <= 0)
		return (0);
	return (pow(1 - exp(-(double)b->k * (double)b->n / (double)b->m),
	    b->k));
}

size_t
bloom_bytes(const struct bloom *b)
{
	return ((size_t)(b->m / 8));
}
