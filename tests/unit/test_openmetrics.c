// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/vendorwallctl/openmetrics.c: the exact text of the
 * OpenMetrics exposition, label escaping and refusal of malformed stats. */
#include "unit.h"
#include "openmetrics.h"

static char *render(const char *json, int *rc)
{
	struct json_object *o = json_tokener_parse(json);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(o);
	assert_non_null(f);
	*rc = vw_openmetrics_write(f, o);
	fclose(f);
	json_object_put(o);
	return buf;
}

static void test_two_segments(void **state)
{
	int rc;
	char *out = render("{\"segments\":["
			   "{\"name\":\"lan\",\"counters\":{\"benign\":5,\"oui\":2,\"drop\":2,"
			   "\"event\":1,\"event_lost\":0,\"sample\":7}},"
			   "{\"name\":\"guest\",\"counters\":{\"benign\":0,\"would_drop\":3}}]}", &rc);
	const char *want =
		"# TYPE vendorwall_frames counter\n"
		"# HELP vendorwall_frames Frames classified by the data plane, by verdict reason.\n"
		"vendorwall_frames_total{segment=\"lan\",reason=\"benign\"} 5\n"
		"vendorwall_frames_total{segment=\"lan\",reason=\"oui\"} 2\n"
		"vendorwall_frames_total{segment=\"guest\",reason=\"benign\"} 0\n"
		"# TYPE vendorwall_restricted_frames counter\n"
		"# HELP vendorwall_restricted_frames Frames of restricted devices, by what was done with them.\n"
		"vendorwall_restricted_frames_total{segment=\"lan\",outcome=\"drop\"} 2\n"
		"vendorwall_restricted_frames_total{segment=\"guest\",outcome=\"would_drop\"} 3\n"
		"# TYPE vendorwall_events counter\n"
		"# HELP vendorwall_events Event records for the daemon, by what became of them.\n"
		"vendorwall_events_total{segment=\"lan\",result=\"submitted\"} 1\n"
		"vendorwall_events_total{segment=\"lan\",result=\"lost\"} 0\n"
		"# TYPE vendorwall_samples counter\n"
		"# HELP vendorwall_samples Management frame samples for fingerprinting, by what became of them.\n"
		"vendorwall_samples_total{segment=\"lan\",result=\"submitted\"} 7\n"
		"# EOF\n";

	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
	free(out);
}

/* Segment names come from the configuration: quote, backslash and line
 * feed must not break the exposition; unknown counters are kept. */
static void test_escaping_and_unknown(void **state)
{
	int rc;
	char *out = render("{\"segments\":[{\"name\":\"a\\\"b\\\\c\\nd\","
			   "\"counters\":{\"future_thing\":9}}]}", &rc);

	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "vendorwall_other_total{segment=\"a\\\"b\\\\c\\nd\","
				    "counter=\"future_thing\"} 9\n"));
	assert_non_null(strstr(out, "# TYPE vendorwall_other counter\n"));
	assert_string_equal(out + strlen(out) - 6, "# EOF\n");
	free(out);
}

static void test_no_segments(void **state)
{
	int rc;
	char *out = render("{\"segments\":[]}", &rc);

	assert_int_equal(rc, 0);
	/* Families without samples still declare themselves; no catch-all. */
	assert_non_null(strstr(out, "# TYPE vendorwall_frames counter\n"));
	assert_null(strstr(out, "vendorwall_other"));
	assert_null(strstr(out, "_total{"));
	free(out);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"{}",
		"{\"segments\":{}}",
		"{\"segments\":[{\"counters\":{}}]}",
		"{\"segments\":[{\"name\":1,\"counters\":{}}]}",
		"{\"segments\":[{\"name\":\"lan\",\"counters\":{\"benign\":\"5\"}}]}",
		"{\"segments\":[{\"name\":\"lan\",\"counters\":{\"benign\":-1}}]}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;
		char *out = render(bad[i], &rc);

		if (rc != -EBADMSG)
			fail_msg("accepted %s", bad[i]);
		assert_string_equal(out, "");
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_segments),
		cmocka_unit_test(test_escaping_and_unknown),
		cmocka_unit_test(test_no_segments),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
