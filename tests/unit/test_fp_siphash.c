/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests for daemon/lib/fp/siphash.c: the test vector of the SipHash paper (appendix A), every message length around the 8-byte words, and random keys. */
#include "unit.h"
#include "siphash.h"

/* Key 00 01 .. 0f, message 00 01 .. 0e (15 bytes): a129ca6149be45e5. */
static void test_paper_vector(void **state)
{
	struct vw_siphash_key k = { .k0 = 0x0706050403020100ull, .k1 = 0x0f0e0d0c0b0a0908ull };
	uint8_t msg[15];

	(void)state;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	assert_true(vw_siphash24(&k, msg, sizeof(msg)) == 0xa129ca6149be45e5ull);
}

/* The length is part of the input: a message and the same message with a
 * trailing zero byte differ, at every length across two words. */
static void test_length_counts(void **state)
{
	struct vw_siphash_key k = { .k0 = 1, .k1 = 2 };
	uint8_t zeros[17] = { 0 };

	(void)state;
	for (size_t n = 0; n < 16; n++)
		assert_true(vw_siphash24(&k, zeros, n) != vw_siphash24(&k, zeros, n + 1));
}

static void test_random_keys_differ(void **state)
{
	struct vw_siphash_key a, b;
	uint64_t mac = 0x021122334455ull;

	(void)state;
	assert_int_equal(vw_siphash_key_random(&a), 0);
	assert_int_equal(vw_siphash_key_random(&b), 0);
	assert_true(a.k0 != b.k0 || a.k1 != b.k1);
	assert_true(vw_siphash24(&a, &mac, 8) != vw_siphash24(&b, &mac, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paper_vector),
		cmocka_unit_test(test_length_counts),
		cmocka_unit_test(test_random_keys_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
