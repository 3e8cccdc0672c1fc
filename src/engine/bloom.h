/*
 * A real Bloom filter over 64-bit keys: m bits, k hash functions derived by
 * double hashing from one 64-bit mix.  The cache model feeds it the key
 * stream (existing ids at build time, then lookups), so its false-positive
 * rate is measured, not assumed.
 */
#ifndef FD_BLOOM_H
#define FD_BLOOM_H

#include <stddef.h>
#include <stdint.h>

struct bloom {
	uint64_t	*bits;
	uint64_t	 m;	/* bits */
	int		 k;	/* hash functions */
	uint64_t	 n;	/* keys added */
};

/*
 * Size for n keys at bits_per_key bits each with the optimal k
 * (round(bits_per_key * ln 2), at least 1).  bits_per_key 10 gives k 7.
 */
void		bloom_init(struct bloom *, uint64_t n, double bits_per_key);
void		bloom_fini(struct bloom *);
void		bloom_add(struct bloom *, uint64_t key);
/* 1 if the key may be present, 0 if it is certainly absent. */
int		bloom_maybe(const struct bloom *, uint64_t key);
/* The theoretical false-positive rate (1 - e^(-kn/m))^k. */
double		bloom_fp_theory(const struct bloom *);
/* Memory the bit array takes, in bytes. */
size_t		bloom_bytes(const struct bloom *);

#endif
