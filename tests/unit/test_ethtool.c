// SPDX-License-Identifier: GPL-2.0-only
/* daemon/lib/ethtool.c against the kernel: a veth (whose rx-vlan-hw-parse
 * can be switched) in a network namespace of this test's own, read back
 * independently with ethtool(8); loopback's fixed feature is refused. */
#include "unit.h"
#include <net/if.h>
#include <sched.h>
#include "ethtool.h"

static const char *skip_why;

/* ethtool(8)'s word for the feature: "on", "off" (maybe "[fixed]"). */
static bool ethtool_says_on(const char *ifname)
{
	char cmd[128], line[256];
	bool on = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ethtool -k %s 2>/dev/null", ifname);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p))
		if (!strncmp(line, "rx-vlan-offload: on", 19))
			on = true;
	pclose(p);
	return on;
}

static int setup(void **state)
{
	if (geteuid() != 0)
		skip_why = "needs root";
	else if (unshare(CLONE_NEWNET) < 0)
		skip_why = "cannot make a network namespace";
	else if (system("ip link add vw-eth-a type veth peer name vw-eth-b >/dev/null 2>&1") != 0)
		skip_why = "cannot make a veth pair";
	else if (system("command -v ethtool >/dev/null") != 0)
		skip_why = "ethtool(8) missing";
	if (skip_why)
		print_message("skipping: %s\n", skip_why);
	return 0;
}

static void test_veth_toggle(void **state)
{
	int ifindex = (int)if_nametoindex("vw-eth-a");
	struct vw_vlan_offload o;

	if (skip_why)
		skip();
	assert_true(ifindex > 0);
	assert_int_equal(vw_ethtool_vlan_rx_set(ifindex, true), 0);
	assert_int_equal(vw_ethtool_vlan_rx_get(ifindex, &o), 0);
	assert_true(o.active);
	assert_true(o.changeable);
	assert_true(ethtool_says_on("vw-eth-a"));

	assert_int_equal(vw_ethtool_vlan_rx_set(ifindex, false), 0);
	assert_int_equal(vw_ethtool_vlan_rx_get(ifindex, &o), 0);
	assert_false(o.active);
	assert_true(o.changeable);
	assert_false(ethtool_says_on("vw-eth-a"));

	assert_int_equal(vw_ethtool_vlan_rx_set(ifindex, true), 0);
	assert_true(ethtool_says_on("vw-eth-a"));
}

static void test_fixed_and_missing(void **state)
{
	int lo = (int)if_nametoindex("lo");
	struct vw_vlan_offload o;

	if (skip_why)
		skip();
	/* Loopback has no VLAN parsing and cannot be given one. */
	assert_int_equal(vw_ethtool_vlan_rx_get(lo, &o), 0);
	assert_false(o.active);
	assert_false(o.changeable);
	assert_int_equal(vw_ethtool_vlan_rx_set(lo, true), -EOPNOTSUPP);
	assert_int_equal(vw_ethtool_vlan_rx_get(999999, &o), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_veth_toggle),
		cmocka_unit_test(test_fixed_and_missing),
	};

	return cmocka_run_group_tests_name("ethtool", tests, setup, NULL);
}
