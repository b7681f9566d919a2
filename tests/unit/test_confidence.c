// SPDX-License-Identifier: GPL-2.0-only
/* daemon/lib/confidence.c: one OUI confidence, one way to write it, and
 * the inventory's whole percent agreeing with the text. */
#include "unit.h"
#include "confidence.h"
#include "config.h"
#include "engine.h"

static void test_format(void **state)
{
	char b[VW_CONF_STRLEN];

	assert_string_equal(vw_conf_format(VW_CONF_OUI, b), "0.90");
	assert_string_equal(vw_conf_format(VW_CONF_MEDIUM, b), "0.70");
	assert_string_equal(vw_conf_format(VW_CONF_LOW, b), "0.30");
	/* Two medium signals: 1 - 0.3 * 0.3, not 0.9099999. */
	assert_string_equal(vw_conf_format(1 - (1 - VW_CONF_MEDIUM) * (1 - VW_CONF_MEDIUM), b),
			    "0.91");
	assert_string_equal(vw_conf_format(0.973, b), "0.97");
	/* Combined evidence is never shown as certainty. */
	assert_string_equal(vw_conf_format(0.999, b), "0.99");
	assert_string_equal(vw_conf_format(1.0, b), "1.00");
	assert_string_equal(vw_conf_format(0.0, b), "0.00");
	assert_string_equal(vw_conf_format(-1.0, b), "0.00");
	assert_string_equal(vw_conf_format(7.0, b), "1.00");
	assert_string_equal(vw_conf_format(0.0 / 0.0, b), "0.00");
}

static void test_percent(void **state)
{
	char a[VW_CONF_STRLEN], b[VW_CONF_STRLEN];

	assert_int_equal(vw_conf_percent(VW_CONF_OUI), 90);
	assert_int_equal(vw_conf_percent(0.999), 99);
	assert_int_equal(vw_conf_percent(1.0), 100);
	assert_true(vw_conf_from_percent(90) == 0.9);
	assert_true(vw_conf_from_percent(250) == 1.0);
	/* Stored and read back, the text is the same. */
	for (unsigned p = 0; p <= 100; p++)
		assert_string_equal(vw_conf_format(vw_conf_from_percent(p), a),
				    vw_conf_format(p / 100.0, b));
	for (double c = 0; c <= 1.0; c += 0.0037)
		assert_string_equal(vw_conf_format(vw_conf_from_percent(vw_conf_percent(c)), a),
				    vw_conf_format(c, b));
}

/* The engine and the configuration start from the same constants. */
static void test_defaults(void **state)
{
	struct vw_fp_engine_conf c;

	vw_fp_engine_conf_default(&c);
	assert_true(c.conf_oui == VW_CONF_OUI);
	assert_true(c.conf_high == VW_CONF_HIGH);
	assert_true(c.conf_medium == VW_CONF_MEDIUM);
	assert_true(c.conf_low == VW_CONF_LOW);
	assert_true(c.threshold_block == VW_CONF_HIGH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_defaults),
	};

	return cmocka_run_group_tests_name("confidence", tests, NULL, NULL);
}
