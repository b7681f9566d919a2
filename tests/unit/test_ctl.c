// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/vendorwallctl/commands.c: vendorwallctl's command line, option placement and conversions. */
#include "unit.h"
#include "control.h"
#include "commands.h"

#define NOW 1800000000

/* Parses a NULL-terminated word list; "vendorwallctl" is prepended. */
static int parse(struct vw_ctl_inv *inv, char **err, ...)
{
	char *argv[32] = { "vendorwallctl" };
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	return vw_ctl_parse(argc, argv, NOW, inv, err);
}

static const char *arg_str(const struct vw_ctl_inv *inv, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(inv->args, key, &v) ? json_object_get_string(v) : NULL;
}

static int64_t arg_int(const struct vw_ctl_inv *inv, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(inv->args, key, &v));
	return json_object_get_int64(v);
}

static void expect_usage_error(char **words, const char *want)
{
	struct vw_ctl_inv inv;
	char *argv[16] = { "vendorwallctl" }, *err = NULL;
	int argc = 1;

	for (; words[argc - 1]; argc++)
		argv[argc] = words[argc - 1];
	assert_int_equal(vw_ctl_parse(argc, argv, NOW, &inv, &err), -EINVAL);
	assert_non_null(err);
	if (strcmp(err, want))
		fail_msg("expected \"%s\", got \"%s\"", want, err);
	free(err);
}

static void test_global_options_anywhere(void **state)
{
	struct vw_ctl_inv inv;
	char *err;

	assert_int_equal(parse(&inv, &err, "-j", "--socket", "/tmp/s", "segments", NULL), 0);
	assert_string_equal(inv.cmd->name, "segments");
	assert_true(inv.json);
	assert_string_equal(inv.socket, "/tmp/s");
	vw_ctl_inv_free(&inv);

	assert_int_equal(parse(&inv, &err, "segments", "--json", "--socket=/tmp/t", "-p", NULL), 0);
	assert_true(inv.json);
	assert_true(inv.pretty);
	assert_string_equal(inv.socket, "/tmp/t");
	vw_ctl_inv_free(&inv);

	assert_int_equal(parse(&inv, &err, "mode", "lan", "-jp", "block", NULL), 0);
	assert_true(inv.json && inv.pretty);
	assert_string_equal(arg_str(&inv, "segment"), "lan");
	assert_string_equal(arg_str(&inv, "mode"), "block");
	vw_ctl_inv_free(&inv);

	assert_int_equal(parse(&inv, &err, "status", NULL), 0);
	assert_false(inv.json);
	assert_string_equal(inv.socket, VW_CONTROL_SOCKET);
	assert_int_equal(json_object_object_length(inv.args), 0);
	vw_ctl_inv_free(&inv);

	assert_int_equal(parse(&inv, &err, "mode", "--help", NULL), 0);
	assert_true(inv.help);
	assert_string_equal(inv.cmd->name, "mode");
	vw_ctl_inv_free(&inv);
	assert_int_equal(parse(&inv, &err, "help", NULL), 0);
	assert_true(inv.help);
	vw_ctl_inv_free(&inv);
}

static void test_allow(void **state)
{
	struct vw_ctl_inv inv;
	char *err;

	/* Options before and after the operand, both value forms. */
	assert_int_equal(parse(&inv, &err, "allow", "--reason", "PBX, replacement ordered",
			       "00E0.FC12.3456", "--until=+8h", "--ticket", "CHG-1", "-j", NULL), 0);
	assert_string_equal(inv.cmd->name, "allow");
	assert_string_equal(arg_str(&inv, "mac"), "00:e0:fc:12:34:56");
	assert_int_equal(arg_int(&inv, "until"), NOW + 8 * 3600);
	assert_string_equal(arg_str(&inv, "reason"), "PBX, replacement ordered");
	assert_string_equal(arg_str(&inv, "ticket"), "CHG-1");
	assert_true(inv.json);
	vw_ctl_inv_free(&inv);

	/* A value may start with a dash. */
	assert_int_equal(parse(&inv, &err, "quarantine", "00:e0:fc:12:34:56", "--reason", "-x-", NULL), 0);
	assert_string_equal(arg_str(&inv, "reason"), "-x-");
	vw_ctl_inv_free(&inv);

	/* A device behind a router is named by its IP address, written canonically. */
	assert_int_equal(parse(&inv, &err, "quarantine", "10.9.0.11", "--reason", "cam", NULL), 0);
	assert_string_equal(arg_str(&inv, "ip"), "10.9.0.11");
	vw_ctl_inv_free(&inv);
	assert_int_equal(parse(&inv, &err, "release", "2001:DB8:0:0::11", NULL), 0);
	assert_string_equal(arg_str(&inv, "ip"), "2001:db8::11");
	vw_ctl_inv_free(&inv);
}

static void test_devices_since(void **state)
{
	struct vw_ctl_inv inv;
	char *err;

	assert_int_equal(parse(&inv, &err, "devices", "--since", "7d", "--vendor", "huawei", NULL), 0);
	assert_int_equal(arg_int(&inv, "since"), NOW - 7 * 86400);
	assert_string_equal(arg_str(&inv, "vendor"), "huawei");
	assert_null(arg_str(&inv, "segment"));
	vw_ctl_inv_free(&inv);
}

static void test_policy_check(void **state)
{
	struct vw_ctl_inv inv;
	char *err;

	assert_int_equal(parse(&inv, &err, "policy", "check", "a.conf", "-j", "b.conf", NULL), 0);
	assert_true(inv.cmd->local);
	assert_int_equal(inv.n_files, 2);
	assert_string_equal(inv.files[0], "a.conf");
	assert_string_equal(inv.files[1], "b.conf");
	vw_ctl_inv_free(&inv);
	assert_int_equal(parse(&inv, &err, "policy", "check", NULL), 0);
	assert_int_equal(inv.n_files, 0);
	vw_ctl_inv_free(&inv);
	/* "--" lets a file name start with a dash. */
	assert_int_equal(parse(&inv, &err, "policy", "check", "--", "-odd.conf", NULL), 0);
	assert_int_equal(inv.n_files, 1);
	assert_string_equal(inv.files[0], "-odd.conf");
	vw_ctl_inv_free(&inv);
}

static void test_usage_errors(void **state)
{
	expect_usage_error((char *[]){ NULL }, "missing command");
	expect_usage_error((char *[]){ "frob", NULL }, "unknown command \"frob\"");
	expect_usage_error((char *[]){ "policy", NULL }, "policy: missing sub-command");
	expect_usage_error((char *[]){ "policy", "lint", NULL }, "policy: unknown sub-command \"lint\"");
	expect_usage_error((char *[]){ "mode", "lan", NULL },
			   "mode: missing arguments (usage: mode SEGMENT off|monitor|block)");
	expect_usage_error((char *[]){ "mode", "lan", "block", "now", NULL },
			   "mode: too many arguments (usage: mode SEGMENT off|monitor|block)");
	expect_usage_error((char *[]){ "mode", "lan", "sideways", NULL },
			   "MODE: invalid mode \"sideways\" (expected one of off, monitor, block)");
	expect_usage_error((char *[]){ "device", "00:e0:fc", NULL },
			   "MAC: invalid MAC address \"00:e0:fc\" (expected e.g. 00:e0:fc:12:34:56, "
			   "or the IP address of a device behind a router)");
	expect_usage_error((char *[]){ "allow", "00:e0:fc:12:34:56", "--reason", "x", NULL },
			   "allow: --until is required (usage: allow MAC|IP --until TIME --reason TEXT [--ticket ID])");
	expect_usage_error((char *[]){ "allow", "00:e0:fc:12:34:56", "--until", "-1h", "--reason", "x", NULL },
			   "--until: \"-1h\" is in the past");
	expect_usage_error((char *[]){ "allow", "00:e0:fc:12:34:56", "--until", "soon", NULL },
			   "--until: invalid time \"soon\" (expected e.g. 2027-03-31, 2027-03-31T18:00, +8h, 7d or @1700000000)");
	expect_usage_error((char *[]){ "quarantine", "00:e0:fc:12:34:56", "--reason", "a", "--reason", "b", NULL },
			   "--reason given twice");
	expect_usage_error((char *[]){ "quarantine", "00:e0:fc:12:34:56", "--reason", NULL },
			   "--reason needs a value");
	expect_usage_error((char *[]){ "quarantine", "00:e0:fc:12:34:56", "--reason=", NULL },
			   "--reason must not be empty");
	expect_usage_error((char *[]){ "status", "--until", "1h", NULL }, "status: unknown option --until");
	expect_usage_error((char *[]){ "--until", "1h", "status", NULL }, "unknown option --until");
	expect_usage_error((char *[]){ "-x", "status", NULL }, "unknown option -x");
	expect_usage_error((char *[]){ "status", "--socket", NULL }, "--socket needs a path");
	expect_usage_error((char *[]){ "status", "--json=yes", NULL }, "--json takes no value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_options_anywhere),
		cmocka_unit_test(test_allow),
		cmocka_unit_test(test_devices_since),
		cmocka_unit_test(test_policy_check),
		cmocka_unit_test(test_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
