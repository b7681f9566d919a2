// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/vendorwalld/control_request.c: the control socket's request envelope, as a pure function, with the exact message for each kind of bad input. */
#include "unit.h"
#include "control_request.h"

/* Parses text through an exactly sized buffer plus the one byte the
 * parser may write; returns the result and the message (or NULL). */
static int parse(const char *text, struct json_object **out, char **msg)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 1);
	int r;

	assert_non_null(buf);
	memcpy(buf, text, len);
	*out = NULL;
	*msg = NULL;
	r = vw_control_parse_request(buf, len, out, msg);
	free(buf);
	return r;
}

static void test_good(void **state)
{
	static const char *const good[] = {
		"{\"command\":\"status\"}",
		"{\"command\": \"mode\", \"args\": {\"segment\": \"lan\", \"mode\": \"block\"}}\n",
		"  \t{}\r\n ",
		"{\"command\":\"allow\",\"args\":{\"reason\":\"caf\\u00e9 \xc3\xa9\"}}",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct json_object *req;
		char *msg;

		assert_int_equal(parse(good[i], &req, &msg), 0);
		assert_null(msg);
		assert_true(json_object_is_type(req, json_type_object));
		json_object_put(req);
	}
}

static void test_bad(void **state)
{
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{ "", "request: truncated JSON" },
		{ "{\"command\":\"sta", "request: truncated JSON" },
		{ "{\"command\":\"status\"} {}", "request: trailing data after the JSON value" },
		{ "{\"command\":\"status\"}x", "request: trailing data after the JSON value" },
		{ "42", "request: expected a JSON object" },
		{ "null", "request: expected a JSON object" },
		{ "[{\"command\":\"status\"}]", "request: expected a JSON object" },
		{ "\"status\"", "request: expected a JSON object" },
		{ "{'command':'status'}", "request: not JSON (unexpected character)" },
		{ "{\"command\":\"\xc3\x28\"}", "request: not JSON (invalid utf-8 string)" },
		{ "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		  "request: not JSON (nesting too deep)" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_object *req;
		char *msg;

		assert_int_equal(parse(bad[i].in, &req, &msg), -EINVAL);
		assert_null(req);
		assert_non_null(msg);
		if (strcmp(msg, bad[i].msg))
			fail_msg("input %s: got \"%s\", want \"%s\"", bad[i].in, msg, bad[i].msg);
		free(msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
