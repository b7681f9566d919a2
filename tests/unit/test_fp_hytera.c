// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/hytera.c: the IPSC ping/pong heartbeat of policy/fingerprints/CATALOGUE.md §9, its look-alikes and damaged forms. */
#include "fp_unit.h"

/* "ZZZZ" 0A 00 00 00 14 00 00 00 <seq> 5A 59 5A 00 00 00 00 */
static const uint8_t ping[20] = {
	0x5A, 0x5A, 0x5A, 0x5A, 0x0A, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
	0x2A, 0x5A, 0x59, 0x5A, 0x00, 0x00, 0x00, 0x00,
};

static void test_heartbeat(void **state)
{
	uint8_t pong[20];
	struct vw_fp_result r;

	fp_seed("hytera", "ipsc-ping", ping, sizeof(ping));
	assert_int_equal(fp_parse(vw_fp_parse_hytera, ping, sizeof(ping), &r), 0);
	assert_int_equal(r.signal, VW_SIG_HYTERA);
	assert_field(&r, "magic", "ZZZZ");
	assert_int_equal(r.n, 1);
	/* the answer raises the sequence byte: any value matches */
	memcpy(pong, ping, sizeof(pong));
	pong[12] = 0x2B;
	fp_seed("hytera", "ipsc-pong", pong, sizeof(pong));
	assert_int_equal(fp_parse(vw_fp_parse_hytera, pong, sizeof(pong), &r), 0);
	pong[12] = 0xFF;
	assert_int_equal(fp_parse(vw_fp_parse_hytera, pong, sizeof(pong), &r), 0);
}

static void test_not_hytera(void **state)
{
	uint8_t m[20];
	struct vw_fp_result r;

	/* The 1-byte keepalive: a lone zero byte is no evidence. */
	assert_int_equal(fp_parse(vw_fp_parse_hytera, (const uint8_t *)"\x00", 1, &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_hytera, ping, 0, &r), -ENOMSG);
	/* "ZZZZ" followed by anything else is four letters, not IPSC. */
	assert_int_equal(fp_parse(vw_fp_parse_hytera, (const uint8_t *)"ZZZZ is asleep......", 20, &r), -ENOMSG);
	for (size_t i = 0; i < sizeof(m); i++) {
		if (i == 12)
			continue;
		memcpy(m, ping, sizeof(m));
		m[i] ^= 0x01;
		assert_int_equal(fp_parse(vw_fp_parse_hytera, m, sizeof(m), &r), -ENOMSG);
		assert_int_equal(r.n, 0);
	}
}

static void test_truncated_and_long(void **state)
{
	uint8_t big[4096];
	struct vw_fp_result r;

	assert_int_equal(fp_all_prefixes(vw_fp_parse_hytera, ping, sizeof(ping)), 1);
	/* a prefix of the pattern is damage, without a field */
	assert_int_equal(fp_parse(vw_fp_parse_hytera, ping, 10, &r), -EBADMSG);
	assert_int_equal(r.n, 0);
	/* the fixed-size heartbeat with trailing bytes */
	memset(big, 0xEE, sizeof(big));
	memcpy(big, ping, sizeof(ping));
	fp_seed("hytera", "ipsc-trailing", big, 32);
	assert_int_equal(fp_parse(vw_fp_parse_hytera, big, sizeof(big), &r), -EBADMSG);
	assert_field(&r, "magic", "ZZZZ");
	fp_all_prefixes(vw_fp_parse_hytera, big, sizeof(big));
}

static void test_random_frames(void **state)
{
	uint32_t x = 0x5a5a5a5a;
	uint8_t buf[64];
	struct vw_fp_result r;

	for (int i = 0; i < 20000; i++) {
		memcpy(buf, ping, sizeof(ping));
		for (int k = 0; k < 2; k++) {
			x = x * 1103515245 + 12345;
			buf[(x >> 8) % sizeof(buf)] = (uint8_t)(x >> 20);
		}
		x = x * 1103515245 + 12345;
		fp_parse_exact(vw_fp_parse_hytera, buf, (x >> 8) % (sizeof(buf) + 1), &r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_not_hytera),
		cmocka_unit_test(test_truncated_and_long),
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
