// SPDX-License-Identifier: GPL-2.0-only
/* Tests for the generic helpers in daemon/lib/ (mac, strv, timeparse, names): one syntax everywhere. */
#include "unit.h"
#include <stdint.h>
#include "mac.h"
#include "names.h"
#include "strv.h"
#include "timeparse.h"
#include "vendorwall.h"

static void test_mac(void **state)
{
	static const uint8_t want[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x5a };
	static const char *const good[] = { "00:e0:fc:12:34:5a", "00-E0-FC-12-34-5A", "00e0.fc12.345a" };
	static const char *const bad[] = {
		"", "00:e0:fc:12:34", "00:e0-fc:12:34:5a", "00:e0:fc:12:34:5g", "00e0.fc12-345a",
		"00e0fc12345a", "00:e0:fc:12:34:5a:", "0:e0:fc:12:34:5a0",
	};
	uint8_t mac[6];
	char buf[VW_MAC_STRLEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(vw_parse_mac(good[i], mac), 0);
		assert_memory_equal(mac, want, 6);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vw_parse_mac(bad[i], mac), -EINVAL);
	vw_format_mac(want, buf);
	assert_string_equal(buf, "00:e0:fc:12:34:5a");
	assert_int_equal(vw_hex_decode("00e0FC", mac, 3), 0);
	assert_memory_equal(mac, want, 3);
	assert_int_equal(vw_hex_decode("00e0F", mac, 3), -EINVAL);
	assert_int_equal(vw_hex_decode("00e0Fx", mac, 3), -EINVAL);
}

static void test_strv(void **state)
{
	struct vw_strv sv = {0};

	assert_int_equal(vw_strv_push(&sv, "a"), 0);
	assert_int_equal(vw_strv_push(&sv, "b"), 0);
	assert_true(vw_strv_contains(&sv, "b"));
	assert_false(vw_strv_contains(&sv, "c"));
	assert_int_equal(sv.n, 2);
	vw_strv_free(&sv);
	assert_null(sv.v);
	assert_int_equal(sv.n, 0);
}

/* The configuration (AlertInterval=) and the command line (--until) read
 * the same spans: a bare number is seconds, "m" and "min" are minutes. */
static void test_timespan(void **state)
{
	static const struct { const char *s; int64_t secs; } good[] = {
		{ "90", 90 }, { "90s", 90 }, { "90sec", 90 }, { "2m", 120 }, { "2min", 120 },
		{ "1h", 3600 }, { "1hr", 3600 }, { "1d12h", 129600 }, { "1h 30min", 5400 },
		{ "2w", 1209600 }, { " 5 ", 5 },
	};
	static const char *const bad[] = { "", " ", "x", "5x", "1y", "-5", "5 x", "min" };
	int64_t v;
	time_t t;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(vw_parse_timespan(good[i].s, &v), 0);
		assert_int_equal(v, good[i].secs);
		assert_int_equal(vw_parse_time(good[i].s, 1000, 1, &t), 0);
		assert_int_equal(t, 1000 + good[i].secs);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vw_parse_timespan(bad[i], &v), -EINVAL);
	assert_int_equal(vw_parse_timespan("99999999999d", &v), -ERANGE);
	assert_int_equal(vw_parse_timespan("36600d 36600d", &v), -ERANGE);
}

static void test_utc(void **state)
{
	time_t t;
	bool date_only;

	assert_int_equal(vw_parse_utc("2027-03-31", &t, &date_only), 0);
	assert_true(date_only);
	assert_int_equal(t, 1806451200);
	assert_int_equal(vw_parse_utc("2027-03-31T18:00Z", &t, &date_only), 0);
	assert_false(date_only);
	assert_int_equal(t, 1806516000);
	assert_int_equal(vw_parse_utc("2027-03-31 18:00:00+00:00", &t, &date_only), 0);
	assert_int_equal(t, 1806516000);
	assert_int_equal(vw_parse_utc("2027-03-31T18:00+02:00", &t, &date_only), -EINVAL);
	assert_int_equal(vw_parse_utc("2027-02-29", &t, &date_only), -EINVAL);
	assert_int_equal(vw_parse_utc("2027-03-31T18:60", &t, &date_only), -EINVAL);
	assert_int_equal(vw_parse_utc("27-03-31", &t, &date_only), -EINVAL);
}

static void test_mode_names(void **state)
{
	for (uint8_t m = VW_MODE_OFF; m <= VW_MODE_BLOCK; m++)
		assert_int_equal(vw_mode_from_name(vw_mode_name(m)), m);
	assert_string_equal(vw_mode_name(200), "unknown");
	assert_int_equal(vw_mode_from_name("Block"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_strv),
		cmocka_unit_test(test_timespan),
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_mode_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
