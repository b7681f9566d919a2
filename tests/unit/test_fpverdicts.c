// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table that bounds fingerprint verdicts (daemon/vendorwalld/
 * fpverdicts.c): never more than its capacity, the least recently seen
 * key makes room, a refreshed key is young again, keys past an age pop
 * oldest first, and a flood of keys leaves it consistent. A table of the
 * full size costs no memory until verdicts come.
 */
#include "unit.h"

#include "fpverdicts.h"

static void test_lru_eviction(void **unused)
{
	struct vwd_fpv *t;
	uint64_t victim = 0;

	assert_int_equal(vwd_fpv_new(&t, 3), 0);
	assert_int_equal(vwd_fpv_touch(t, 1, 10, &victim), 0);
	assert_int_equal(vwd_fpv_touch(t, 2, 11, &victim), 0);
	assert_int_equal(vwd_fpv_touch(t, 3, 12, &victim), 0);
	assert_int_equal(vwd_fpv_count(t), 3);
	/* 1 is seen again: 2 is now the least recently seen. */
	assert_true(vwd_fpv_refresh(t, 1, 13));
	assert_int_equal(vwd_fpv_touch(t, 4, 14, &victim), 1);
	assert_int_equal(victim, 2);
	assert_int_equal(vwd_fpv_count(t), 3);
	assert_false(vwd_fpv_refresh(t, 2, 15));
	/* Touching a key already there makes no room. */
	assert_int_equal(vwd_fpv_touch(t, 3, 16, &victim), 0);
	assert_int_equal(vwd_fpv_touch(t, 5, 17, &victim), 1);
	assert_int_equal(victim, 1);
	vwd_fpv_free(t);
}

static void test_age_and_forget(void **unused)
{
	struct vwd_fpv *t;
	uint64_t k, v;

	assert_int_equal(vwd_fpv_new(&t, 8), 0);
	for (uint64_t i = 1; i <= 5; i++)
		vwd_fpv_touch(t, i, 100 + i, &v);
	vwd_fpv_forget(t, 2);
	vwd_fpv_forget(t, 42);          /* not there: nothing happens */
	assert_int_equal(vwd_fpv_count(t), 4);
	/* Older than 104: 1 and 3 (2 is gone), oldest first, then none. */
	assert_int_equal(vwd_fpv_pop_older(t, 104, &k), 1);
	assert_int_equal(k, 1);
	assert_int_equal(vwd_fpv_pop_older(t, 104, &k), 1);
	assert_int_equal(k, 3);
	assert_int_equal(vwd_fpv_pop_older(t, 104, &k), 0);
	assert_int_equal(vwd_fpv_count(t), 2);
	vwd_fpv_free(t);
}

/* A million distinct spoofed keys through a small table: bounded, and the
 * survivors are exactly the newest. */
static void test_flood(void **unused)
{
	const size_t cap = 1000;
	struct vwd_fpv *t;
	uint64_t v, k, n = 0;

	assert_int_equal(vwd_fpv_new(&t, cap), 0);
	for (uint64_t i = 0; i < 1000000; i++) {
		vwd_fpv_touch(t, 0x020000000000ull | i, i, &v);
		assert_true(vwd_fpv_count(t) <= cap);
	}
	for (uint64_t i = 1000000 - cap; i < 1000000; i++)
		assert_true(vwd_fpv_refresh(t, 0x020000000000ull | i, 2000000));
	while (vwd_fpv_pop_older(t, UINT64_MAX, &k))
		n++;
	assert_int_equal(n, cap);
	assert_int_equal(vwd_fpv_count(t), 0);
	vwd_fpv_free(t);
}

/* Entries forgotten are taken again before the table evicts anyone. */
static void test_forget_then_fill(void **unused)
{
	struct vwd_fpv *t;
	uint64_t v = 0;

	assert_int_equal(vwd_fpv_new(&t, 4), 0);
	for (uint64_t i = 1; i <= 4; i++)
		assert_int_equal(vwd_fpv_touch(t, i, i, &v), 0);
	vwd_fpv_forget(t, 2);
	vwd_fpv_forget(t, 3);
	assert_int_equal(vwd_fpv_touch(t, 5, 5, &v), 0);
	assert_int_equal(vwd_fpv_touch(t, 6, 6, &v), 0);
	assert_int_equal(vwd_fpv_count(t), 4);
	assert_int_equal(vwd_fpv_touch(t, 7, 7, &v), 1);
	assert_int_equal(v, 1);
	for (uint64_t i = 4; i <= 7; i++)
		assert_true(vwd_fpv_refresh(t, i, 8));
	assert_false(vwd_fpv_refresh(t, 1, 8));
	assert_false(vwd_fpv_refresh(t, 2, 8));
	vwd_fpv_free(t);
}

static long resident_pages(void)
{
	long size = 0, res = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld %ld", &size, &res), 2);
	fclose(f);
	return res;
}

/* The daemon makes one at every start: its 2.5 MiB are not touched then. */
static void test_full_size_costs_nothing(void **unused)
{
	struct vwd_fpv *t;
	uint64_t v;
	long before = resident_pages(), after;

	assert_int_equal(vwd_fpv_new(&t, VW_MAX_FP_VERDICTS), 0);
	after = resident_pages();
	/* (stdio and the test framework take a few pages; the table was 640) */
	assert_in_range(after - before, 0, 64);
	assert_int_equal(vwd_fpv_touch(t, 0x020000000001ull, 1, &v), 0);
	assert_true(vwd_fpv_refresh(t, 0x020000000001ull, 2));
	vwd_fpv_free(t);
}

static void test_bad_size(void **unused)
{
	struct vwd_fpv *t;

	assert_int_equal(vwd_fpv_new(&t, 0), -EINVAL);
	assert_null(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru_eviction),
		cmocka_unit_test(test_age_and_forget),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_forget_then_fill),
		cmocka_unit_test(test_full_size_costs_nothing),
		cmocka_unit_test(test_bad_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
