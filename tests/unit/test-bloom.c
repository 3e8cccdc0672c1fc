/*
 * Unit tests for the Bloom filter: no false negatives, the catalog's
 * "10 bits/elem, k = 7 -> FP 0.82%" row measured over a million absent
 * keys, the 52M-key sizing, determinism, and the empty and zeroed cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/bloom.h"

#define NADD	100000
#define NPROBE	1000000

/* A bijection on uint64_t, so distinct i give distinct keys. */
static uint64_t
key_of(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ULL);
}

static void
fill(struct bloom *b, uint64_t n)
{
	uint64_t	i;

	for (i = 0; i < n; i++)
		bloom_add(b, key_of(i));
}

static void
test_bloom_no_false_negatives(void **state)
{
	struct bloom	b;
	uint64_t	i, miss = 0;

	(void)state;
	bloom_init(&b, NADD, 10);
	fill(&b, NADD);
	assert_int_equal(b.n, NADD);
	for (i = 0; i < NADD; i++) {
		if (!bloom_maybe(&b, key_of(i)))
			miss++;
	}
	assert_int_equal(miss, 0);
	bloom_fini(&b);
}

static void
test_bloom_sizing_and_k(void **state)
{
	struct bloom	b;

	(void)state;
	bloom_init(&b, NADD, 10);
	assert_int_equal(b.k, 7);
	assert_int_equal(b.m, (1000000 + 63) / 64 * 64);
	assert_int_equal(b.m, 1000000);
	assert_int_equal(b.m % 64, 0);
	assert_int_equal(bloom_bytes(&b), b.m / 8);
	bloom_fini(&b);

	/* At least 64 bits, always a multiple of 64. */
	bloom_init(&b, 0, 10);
	assert_int_equal(b.m, 64);
	bloom_fini(&b);
	bloom_init(&b, 7, 10);
	assert_int_equal(b.m, 128);
	bloom_fini(&b);

	/* k = round(bits_per_key * ln 2), never below 1. */
	bloom_init(&b, 100, 0.5);
	assert_int_equal(b.k, 1);
	bloom_fini(&b);
	bloom_init(&b, 100, 1);
	assert_int_equal(b.k, 1);
	bloom_fini(&b);
	bloom_init(&b, 100, 5);
	assert_int_equal(b.k, 3);
	bloom_fini(&b);
	bloom_init(&b, 100, 20);
	assert_int_equal(b.k, 14);
	bloom_fini(&b);
}

static void
test_bloom_fp_rate_matches_catalog(void **state)
{
	struct bloom	b;
	uint64_t	i, fp = 0;
	double		measured, theory;

	(void)state;
	bloom_init(&b, NADD, 10);
	fill(&b, NADD);
	theory = bloom_fp_theory(&b);
	assert_true(fabs(theory - 0.0082) <= 0.0005);

	for (i = NADD; i < NADD + NPROBE; i++)
		fp += (uint64_t)bloom_maybe(&b, key_of(i));
	measured = (double)fp / NPROBE;
	print_message("bloom: measured FP %.4f%%, theory %.4f%%\n",
	    measured * 100, theory * 100);
	assert_true(measured >= 0.006);
	assert_true(measured <= 0.0105);
	assert_true(fabs(measured - theory) <= 0.15 * theory);
	bloom_fini(&b);
}

static void
test_bloom_fp_theory_grows_with_fill(void **state)
{
	struct bloom	b;
	double		empty, half, full;

	(void)state;
	bloom_init(&b, 1000, 10);
	empty = bloom_fp_theory(&b);
	fill(&b, 500);
	half = bloom_fp_theory(&b);
	fill(&b, 500);
	full = bloom_fp_theory(&b);
	assert_true(empty == 0);
	assert_true(half > 0 && half < full);
	bloom_fini(&b);
}

static void
test_bloom_52m_keys_is_65mb(void **state)
{
	struct bloom	b;
	size_t		bytes;

	(void)state;
	/* calloc of this size maps zero pages; nothing is touched. */
	bloom_init(&b, 52000000, 10);
	bytes = bloom_bytes(&b);
	assert_true(bytes >= 64900000 && bytes <= 65100000);
	assert_int_equal(b.k, 7);
	bloom_fini(&b);
}

static void
test_bloom_deterministic(void **state)
{
	struct bloom	a, b;

	(void)state;
	bloom_init(&a, 5000, 10);
	bloom_init(&b, 5000, 10);
	fill(&a, 5000);
	fill(&b, 5000);
	assert_int_equal(a.m, b.m);
	assert_int_equal(a.k, b.k);
	assert_memory_equal(a.bits, b.bits, bloom_bytes(&a));
	assert_true(bloom_fp_theory(&a) == bloom_fp_theory(&b));

	/* Different keys set different bits. */
	bloom_fini(&b);
	bloom_init(&b, 5000, 10);
	bloom_add(&b, key_of(999999));
	assert_memory_not_equal(a.bits, b.bits, bloom_bytes(&a));
	bloom_fini(&a);
	bloom_fini(&b);
}

static void
test_bloom_empty_says_no(void **state)
{
	struct bloom	b;
	uint64_t	i, yes = 0, w;

	(void)state;
	bloom_init(&b, 1000, 10);
	for (i = 0; i < b.m / 64; i++)
		assert_int_equal(b.bits[i], 0);
	for (i = 0; i < 100000; i++)
		yes += (uint64_t)bloom_maybe(&b, key_of(i));
	yes += (uint64_t)bloom_maybe(&b, 0);
	yes += (uint64_t)bloom_maybe(&b, UINT64_MAX);
	assert_int_equal(yes, 0);
	assert_int_equal(b.n, 0);
	assert_true(bloom_fp_theory(&b) == 0);

	/* One key sets at most k bits. */
	bloom_add(&b, 42);
	assert_true(bloom_maybe(&b, 42));
	yes = 0;
	for (i = 0; i < b.m / 64; i++) {
		for (w = b.bits[i]; w != 0; w &= w - 1)
			yes++;
	}
	assert_true(yes >= 1 && yes <= (uint64_t)b.k);
	bloom_fini(&b);
}

static void
test_bloom_fini_zeroed_is_safe(void **state)
{
	struct bloom	b;

	(void)state;
	memset(&b, 0, sizeof b);
	bloom_fini(&b);
	bloom_fini(&b);
	assert_null(b.bits);
	assert_int_equal(b.m, 0);

	/* And fini leaves the struct zeroed, so a second fini is fine. */
	bloom_init(&b, 100, 10);
	bloom_add(&b, 1);
	bloom_fini(&b);
	assert_null(b.bits);
	assert_int_equal(b.m, 0);
	assert_int_equal(b.k, 0);
	assert_int_equal(b.n, 0);
	assert_false(bloom_maybe(&b, 1));
	bloom_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bloom_no_false_negatives),
		cmocka_unit_test(test_bloom_sizing_and_k),
		cmocka_unit_test(test_bloom_fp_rate_matches_catalog),
		cmocka_unit_test(test_bloom_fp_theory_grows_with_fill),
		cmocka_unit_test(test_bloom_52m_keys_is_65mb),
		cmocka_unit_test(test_bloom_deterministic),
		cmocka_unit_test(test_bloom_empty_says_no),
		cmocka_unit_test(test_bloom_fini_zeroed_is_safe),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
