// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/config.c: values, drop-in order, and one exact message per kind of mistake. */
#include <limits.h>
#include <sys/stat.h>
#include "unit.h"
#include "config.h"
#include "paths.h"
#include "vendorwall.h"

/* The checkout a binary was built in is found from the binary's path; an
 * installed binary gets the installed policy. */
static void test_policy_dir_default(void **state)
{
	char *dir = tmpdir_new(), exe[PATH_MAX], want[PATH_MAX], got[PATH_MAX];

	snprintf(exe, sizeof(exe), "%s/policy", dir);
	assert_int_equal(mkdir(exe, 0755), 0);
	/* a policy/ without daemon sources is not a checkout */
	snprintf(exe, sizeof(exe), "%s/build/vendorwalld", dir);
	assert_int_equal(vw_policy_dir_for(exe, got, sizeof(got)), 0);
	assert_string_equal(got, VW_POLICY_DIR);
	snprintf(exe, sizeof(exe), "%s/daemon", dir);
	assert_int_equal(mkdir(exe, 0755), 0);
	snprintf(exe, sizeof(exe), "%s/daemon/lib", dir);
	assert_int_equal(mkdir(exe, 0755), 0);
	snprintf(want, sizeof(want), "%s/policy", dir);
	snprintf(exe, sizeof(exe), "%s/build/vendorwalld", dir);
	assert_int_equal(vw_policy_dir_for(exe, got, sizeof(got)), 0);
	assert_string_equal(got, want);
	snprintf(exe, sizeof(exe), "%s/build/asan/tests/unit/test_x", dir);
	assert_int_equal(vw_policy_dir_for(exe, got, sizeof(got)), 0);
	assert_string_equal(got, want);
	assert_int_equal(vw_policy_dir_for("/usr/sbin/vendorwalld", got, sizeof(got)), 0);
	assert_string_equal(got, VW_POLICY_DIR);
	rm_rf(dir);
}

static void test_defaults(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new();
	char *path = write_file(dir, "vendorwall.conf", "# nothing set\n");

	assert_int_equal(vw_config_load(&conf, path, &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(conf.profiles.n, 0);
	/* this test binary lives in a checkout's build tree */
	assert_non_null(strstr(conf.policy_dir, "/policy"));
	assert_string_not_equal(conf.policy_dir, VW_POLICY_DIR);
	assert_string_equal(conf.registry_dir, "/usr/share/ieee-data");
	assert_string_equal(conf.state_dir, "/var/lib/vendorwall");
	assert_string_equal(conf.runtime_dir, "/run/vendorwall");
	assert_string_equal(conf.bpf_root, "/sys/fs/bpf/vendorwall");
	assert_int_equal(conf.alert_interval_s, 3600);
	assert_int_equal(conf.registry_max_age_days, 365);
	assert_int_equal(conf.n_segments, 0);
	assert_int_equal(conf.n_waivers, 0);
	/* Fingerprint verdicts: the data plane's devices less the room kept
	 * for operator decisions; a week without a frame. */
	assert_int_equal(conf.fp_max_verdicts, VW_MAX_DEVICES - VW_MAX_DECISIONS);
	assert_int_equal(conf.fp_verdict_max_age_s, 7 * 86400);
	vw_config_free(&conf);
	free(path);
	rm_rf(dir);
}

/* A look-alike clears only where a segment says so; the fingerprint
 * bounds are read and kept within the data plane's. */
static void test_lookalike_and_verdict_bounds(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new();
	char *path = write_file(dir, "vendorwall.conf",
				"[Daemon]\nMaxFingerprintVerdicts=3\nFingerprintVerdictMaxAge=2h\n"
				"[Segment a]\nInterface=eth0\n"
				"[Segment b]\nInterface=eth1\nLookAlikeClears=yes\n");

	assert_int_equal(vw_config_load(&conf, path, &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(conf.fp_max_verdicts, 3);
	assert_int_equal(conf.fp_verdict_max_age_s, 7200);
	assert_int_equal(conf.n_segments, 2);
	assert_false(conf.segments[0].lookalike_clears);
	assert_true(conf.segments[1].lookalike_clears);
	vw_config_free(&conf);
	free(path);
	rm_rf(dir);
}

/* Configured waivers count against the room kept for decisions. */
static void test_too_many_waivers(void **state)
{
	size_t cap = (VW_MAX_DECISIONS + 1) * 64, off = 0;
	char *text = malloc(cap), *dir = tmpdir_new(), *path, want[160];
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };

	assert_non_null(text);
	for (unsigned i = 0; i <= VW_MAX_DECISIONS; i++)
		off += snprintf(text + off, cap - off, "[Waiver 02:00:00:00:%02x:%02x]\nReason=r\n",
				i >> 8, i & 0xff);
	path = write_file(dir, "vendorwall.conf", text);
	assert_int_equal(vw_config_load(&conf, path, &diag), -EINVAL);
	/* Named at the first section past the room (two lines each). */
	snprintf(want, sizeof(want), "%%s:%u: more than %u [Waiver] sections (waivers and quarantines share that room)",
		 2 * VW_MAX_DECISIONS + 1, VW_MAX_DECISIONS);
	assert_diag_has(&diag, want, path);
	vw_diag_free(&diag);
	free(path);
	free(text);
	rm_rf(dir);
}

static void test_good_with_dropins(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new();
	char *path = write_file(dir, "vendorwall.conf",
		"[Daemon]\n"
		"Profile=us-ndaa-889 uk-telecoms-2020\n"
		"Profile=au-5g-2018\n"
		"PolicyDirectory=/etc/vendorwall/policy\n"
		"AlertInterval=30min\n"
		"RegistryMaxAge=90\n"
		"\n"
		"[Segment lan]\n"
		"Interface=eth0\n"
		"Mode=block\n"
		"\n"
		"[Segment cams]\n"
		"Interface=eth0\n"
		"VLAN=20\n"
		"Action=redirect\n"
		"QuarantineInterface=quar0\n"
		"OnStop=detach\n"
		"MaxNewQuarantinesPerHour=10\n"
		"QuarantineCapWindow=90s\n"
		"\n"
		"[Waiver 00:e0:fc:12:34:56]\n"
		"Until=2027-01-31\n"
		"Reason=lab switch\n"
		"Ticket=CHG-1\n");

	/* Applied in byte order: 10-... before 20-..., and both after the main file. */
	free(write_file(dir, "vendorwall.conf.d/20-late.conf",
		"[Daemon]\nAlertInterval=2h\n"
		"[Segment lan]\nMode=off\n"));
	free(write_file(dir, "vendorwall.conf.d/10-early.conf",
		"[Daemon]\nAlertInterval=1d\nProfile=\nProfile=jp-govt-procurement-2018\n"
		"[Segment lan]\nMode=monitor\nVLAN=5\n"
		"[Segment wifi]\nInterface=wlan0\n"
		"[Waiver 00E0.FC12.3456]\nUntil=2027-01-31T12:00:00Z\n"
		"[Waiver 64-F8-1C-00-00-01]\nReason=spare\n"));
	free(write_file(dir, "vendorwall.conf.d/30-ignored.conf~", "garbage\n"));

	assert_int_equal(vw_config_load(&conf, path, &diag), 0);
	assert_diag_empty(&diag);

	assert_int_equal(conf.profiles.n, 1);
	assert_string_equal(conf.profiles.v[0], "jp-govt-procurement-2018");
	assert_string_equal(conf.policy_dir, "/etc/vendorwall/policy");
	assert_int_equal(conf.alert_interval_s, 7200);
	assert_int_equal(conf.registry_max_age_days, 90);

	assert_int_equal(conf.n_segments, 3);
	assert_string_equal(conf.segments[0].name, "lan");
	assert_string_equal(conf.segments[0].ifname, "eth0");
	assert_int_equal(conf.segments[0].vlan, 5);
	assert_int_equal(conf.segments[0].mode, VW_MODE_OFF);
	assert_int_equal(conf.segments[0].action, VW_ACTION_DROP);
	assert_int_equal(conf.segments[0].on_stop, VW_ON_STOP_KEEP);
	assert_string_equal(conf.segments[0].file, path);
	assert_int_equal(conf.segments[0].line, 8);

	assert_string_equal(conf.segments[1].name, "cams");
	assert_int_equal(conf.segments[1].vlan, 20);
	assert_int_equal(conf.segments[1].mode, VW_MODE_MONITOR);
	assert_int_equal(conf.segments[1].action, VW_ACTION_REDIRECT);
	assert_string_equal(conf.segments[1].quarantine_if, "quar0");
	assert_int_equal(conf.segments[1].on_stop, VW_ON_STOP_DETACH);
	assert_int_equal(conf.segments[1].max_new_per_hour, 10);
	assert_int_equal(conf.segments[1].cap_window_s, 90);

	assert_string_equal(conf.segments[2].name, "wifi");
	assert_int_equal(conf.segments[2].vlan, -1);
	assert_int_equal(conf.segments[2].max_new_per_hour, 0);
	assert_int_equal(conf.segments[2].cap_window_s, 0);

	assert_int_equal(conf.n_waivers, 2);
	assert_memory_equal(conf.waivers[0].mac, "\x00\xe0\xfc\x12\x34\x56", 6);
	assert_int_equal(conf.waivers[0].until, 1801396800);   /* 2027-01-31T12:00:00Z */
	assert_string_equal(conf.waivers[0].reason, "lab switch");
	assert_string_equal(conf.waivers[0].ticket, "CHG-1");
	assert_memory_equal(conf.waivers[1].mac, "\x64\xf8\x1c\x00\x00\x01", 6);
	assert_int_equal(conf.waivers[1].until, 0);
	assert_null(conf.waivers[1].ticket);

	vw_config_free(&conf);
	free(path);
	rm_rf(dir);
}

static void test_until_date_covers_day(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new();
	char *path = write_file(dir, "c.conf",
		"[Waiver aa:bb:cc:dd:ee:f0]\nUntil=2027-01-31\nReason=r\n"
		"[Waiver aa:bb:cc:dd:ee:f2]\nUntil=2027-01-31 08:30+00:00\nReason=r\n");

	assert_int_equal(vw_config_load(&conf, path, &diag), 0);
	assert_int_equal(conf.waivers[0].until, 1801440000);   /* 2027-02-01T00:00:00Z */
	assert_int_equal(conf.waivers[1].until, 1801384200);   /* 2027-01-31T08:30:00Z */
	vw_config_free(&conf);
	free(path);
	rm_rf(dir);
}

static void test_parse_mac(void **state)
{
	static const char *const good[] = {
		"00:e0:fc:12:34:56", "00-E0-FC-12-34-56", "00e0.fc12.3456", "00:E0:fc:12:34:56",
	};
	static const char *const bad[] = {
		"00:e0:fc:12:34", "00:e0-fc:12:34:56", "00e0.fc12.345", "00e0fc123456",
		"g0:e0:fc:12:34:56", "00e0:fc12:3456", "00:e0:fc:12:34:56:", "",
	};
	uint8_t mac[6];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(mac, 0, sizeof(mac));
		assert_int_equal(vw_parse_mac(good[i], mac), 0);
		assert_memory_equal(mac, "\x00\xe0\xfc\x12\x34\x56", 6);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vw_parse_mac(bad[i], mac) != -EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
}

static void test_mode_names(void **state)
{
	assert_int_equal(vw_mode_from_name("off"), VW_MODE_OFF);
	assert_int_equal(vw_mode_from_name("monitor"), VW_MODE_MONITOR);
	assert_int_equal(vw_mode_from_name("block"), VW_MODE_BLOCK);
	assert_int_equal(vw_mode_from_name("Block"), -EINVAL);
	assert_string_equal(vw_mode_name(VW_MODE_BLOCK), "block");
	assert_string_equal(vw_mode_name(VW_MODE_OFF), "off");
	assert_string_equal(vw_mode_name(200), "unknown");
}

/* One bad file per case; %s in the expectation is the file's path. */
static const struct bad_case {
	const char *conf;
	const char *msg;
	const char *also;  /* a second diagnostic the mistake implies */
} bad_cases[] = {
	{ "[Foo]\n", "%s:1: unknown section [Foo]", NULL },
	{ "Profile=x\n", "%s:1: Profile= outside of a section", NULL },
	{ "[Daemon\n", "%s:1: syntax error: missing ']'", NULL },
	{ "[Daemon]\nthis is not a key\n", "%s:2: syntax error: expected Key=Value", NULL },
	{ "[Daemon]\nBogus=1\n", "%s:2: unknown key Bogus= in [Daemon]", NULL },
	{ "[Daemon]\nProfile=us-ndaa-889 US_NDAA\n",
	  "%s:2: invalid Profile=US_NDAA (profile names are a-z 0-9 -)", NULL },
	{ "[Daemon]\nPolicyDirectory=policy\n",
	  "%s:2: invalid PolicyDirectory=policy (expected an absolute path)", NULL },
	{ "[Daemon]\nBpfRoot=\n", "%s:2: invalid BpfRoot= (expected an absolute path)", NULL },
	{ "[Daemon]\nAlertInterval=5x\n",
	  "%s:2: invalid AlertInterval=5x (expected a time span > 0 (90, 90s, 2min, 1h, 1d))", NULL },
	{ "[Daemon]\nAlertInterval=0\n",
	  "%s:2: invalid AlertInterval=0 (expected a time span > 0 (90, 90s, 2min, 1h, 1d))", NULL },
	{ "[Daemon]\nAlertInterval=100000d\n",
	  "%s:2: invalid AlertInterval=100000d (expected a time span > 0 (90, 90s, 2min, 1h, 1d))", NULL },
	{ "[Daemon]\nRegistryMaxAge=-1\n",
	  "%s:2: invalid RegistryMaxAge=-1 (expected a number of days)", NULL },
	{ "[Segment bad name!]\n",
	  "%s:1: invalid segment name \"bad name!\" (1-64 of A-Z a-z 0-9 - _ .)", NULL },
	{ "[Segment lan]\nInterface=eth0\nColour=red\n", "%s:3: unknown key Colour= in [Segment lan]", NULL },
	{ "[Segment lan]\nInterface=an-interface-name\n",
	  "%s:2: invalid Interface=an-interface-name (not a valid interface name)",
	  "%s:1: [Segment lan] lacks Interface=" },
	{ "[Segment lan]\nInterface=eth0/1\n",
	  "%s:2: invalid Interface=eth0/1 (not a valid interface name)",
	  "%s:1: [Segment lan] lacks Interface=" },
	{ "[Segment lan]\nInterface=eth0\nVLAN=4095\n", "%s:3: invalid VLAN=4095 (expected 1..4094)", NULL },
	{ "[Segment lan]\nInterface=eth0\nVLAN=0\n", "%s:3: invalid VLAN=0 (expected 1..4094)", NULL },
	{ "[Segment lan]\nInterface=eth0\nMode=enforce\n",
	  "%s:3: invalid Mode=enforce (expected one of off, monitor, block)", NULL },
	{ "[Segment lan]\nInterface=eth0\nAction=reject\n",
	  "%s:3: invalid Action=reject (expected drop or redirect)", NULL },
	{ "[Segment lan]\nInterface=eth0\nOnStop=never\n",
	  "%s:3: invalid OnStop=never (expected keep or detach)", NULL },
	{ "[Segment lan]\nInterface=eth0\nMaxNewQuarantinesPerHour=many\n",
	  "%s:3: invalid MaxNewQuarantinesPerHour=many (expected a number, 0 = unlimited)", NULL },
	{ "[Segment lan]\nInterface=eth0\nLookAlikeClears=maybe\n",
	  "%s:3: invalid LookAlikeClears=maybe (expected no or yes)", NULL },
	{ "[Daemon]\nMaxFingerprintVerdicts=61441\n",
	  "%s:2: invalid MaxFingerprintVerdicts=61441 (expected 1..61440 (the data plane keeps the rest for operator decisions))", NULL },
	{ "[Daemon]\nMaxFingerprintVerdicts=0\n",
	  "%s:2: invalid MaxFingerprintVerdicts=0 (expected 1..61440 (the data plane keeps the rest for operator decisions))", NULL },
	{ "[Daemon]\nFingerprintVerdictMaxAge=0\n",
	  "%s:2: invalid FingerprintVerdictMaxAge=0 (expected a time span > 0, e.g. 7d)", NULL },
	{ "[Segment lan]\nInterface=eth0\nQuarantineCapWindow=0\n",
	  "%s:3: invalid QuarantineCapWindow=0 (expected a time span > 0 (90, 90s, 2min, 1h))", NULL },
	{ "[Segment lan]\nInterface=eth0\nRouter=01:00:5e:00:00:01\n",
	  "%s:3: invalid Router=01:00:5e:00:00:01 (expected a unicast MAC address)", NULL },
	{ "[Daemon]\nRouterLearnThreshold=1\n",
	  "%s:2: invalid RouterLearnThreshold=1 (expected 0 (never learn) or 2..64 addresses behind one MAC)",
	  NULL },
	{ "[Daemon]\nIpVerdictMaxAge=0\n",
	  "%s:2: invalid IpVerdictMaxAge=0 (expected a time span > 0 (90, 90s, 2min, 1h, 1d))", NULL },
	{ "[Segment lan]\nMode=block\n", "%s:1: [Segment lan] lacks Interface=", NULL },
	{ "# x\n[Segment lan]\nInterface=eth0\nAction=redirect\n",
	  "%s:2: [Segment lan] has Action=redirect but no QuarantineInterface=", NULL },
	{ "[Segment lan]\nInterface=eth0\nQuarantineInterface=q0\n",
	  "%s:1: [Segment lan] has QuarantineInterface= but Action=drop", NULL },
	{ "[Segment lan]\nInterface=eth0\n[Segment lan]\nMode=off\n",
	  "%s:3: section [Segment lan] appears twice in this file", NULL },
	{ "[Segment a]\nInterface=eth0\nVLAN=10\n[Segment b]\nInterface=eth0\nVLAN=10\n",
	  "%s:4: [Segment b] uses interface eth0 VLAN 10 like [Segment a] at %s:1", NULL },
	{ "[Segment a]\nInterface=eth0\n[Segment b]\nInterface=eth0\n",
	  "%s:3: [Segment b] uses interface eth0 like [Segment a] at %s:1", NULL },
	{ "[Waiver 00:e0:fc:12:34]\nReason=r\n", "%s:1: invalid MAC address in [Waiver 00:e0:fc:12:34]", NULL },
	{ "[Waiver 01:00:5e:00:00:01]\nReason=r\n",
	  "%s:1: [Waiver 01:00:5e:00:00:01]: multicast address cannot be waived", NULL },
	{ "[Waiver 00:e0:fc:12:34:56]\nTicket=T-1\n", "%s:1: [Waiver 00:e0:fc:12:34:56] lacks Reason=", NULL },
	{ "[Waiver 00:e0:fc:12:34:56]\nReason=r\nUntil=2027-02-30\n",
	  "%s:3: invalid Until=2027-02-30 (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC)", NULL },
	{ "[Waiver 00:e0:fc:12:34:56]\nReason=r\nUntil=2027-01-31T12:00:00+02:00\n",
	  "%s:3: invalid Until=2027-01-31T12:00:00+02:00 (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC)", NULL },
	{ "[Waiver 00:e0:fc:12:34:56]\nReason=\n", "%s:2: invalid Reason= (must not be empty)",
	  "%s:1: [Waiver 00:e0:fc:12:34:56] lacks Reason=" },
	{ "[Waiver 00:e0:fc:12:34:56]\nReason=r\nOwner=me\n",
	  "%s:3: unknown key Owner= in [Waiver 00:e0:fc:12:34:56]", NULL },
	/* One MAC in two notations is one waiver. */
	{ "[Waiver 00:e0:fc:12:34:56]\nReason=r\n[Waiver 00e0.fc12.3456]\nReason=s\n",
	  "%s:3: section [Waiver 00:e0:fc:12:34:56] appears twice in this file", NULL },
};

static void test_bad_inputs(void **state)
{
	char *dir = tmpdir_new();

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct vw_daemon_conf conf;
		struct vw_diag diag = { 0 };
		char name[32];
		char *path;

		snprintf(name, sizeof(name), "case%zu.conf", i);
		path = write_file(dir, name, bad_cases[i].conf);
		assert_int_equal(vw_config_load(&conf, path, &diag), -EINVAL);
		assert_int_equal(conf.n_segments, 0);
		assert_null(conf.policy_dir);
		assert_diag_has(&diag, bad_cases[i].msg, path, path);
		if (bad_cases[i].also)
			assert_diag_has(&diag, bad_cases[i].also, path);
		if (diag.n != (bad_cases[i].also ? 2u : 1u))
			fail_msg("case %zu: %zu diagnostics, first: %s", i, diag.n, diag.msgs[0]);
		vw_diag_free(&diag);
		free(path);
	}
	rm_rf(dir);
}

static void test_dropin_errors(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new();
	char *path = write_file(dir, "vendorwall.conf",
		"[Segment lan]\nInterface=eth0\n"
		"[Segment cams]\nInterface=eth1\nAction=redirect\nQuarantineInterface=q0\n");
	char *d1 = write_file(dir, "vendorwall.conf.d/50-a.conf", "[Segment lan]\nVLAN=9999\n");
	char *d2 = write_file(dir, "vendorwall.conf.d/60-b.conf",
			      "[Segment cams]\nQuarantineInterface=\n[Segment x]\nInterface=eth0\n");

	assert_int_equal(vw_config_load(&conf, path, &diag), -EINVAL);
	assert_diag_has(&diag, "%s:2: invalid VLAN=9999 (expected 1..4094)", d1);
	/* Merged results are checked at the section's first definition. */
	assert_diag_has(&diag, "%s:3: [Segment cams] has Action=redirect but no QuarantineInterface=", path);
	assert_diag_has(&diag, "%s:3: [Segment x] uses interface eth0 like [Segment lan] at %s:1", d2, path);
	assert_int_equal(diag.n, 3);
	vw_diag_free(&diag);
	free(path);
	free(d1);
	free(d2);
	rm_rf(dir);
}

static void test_long_line(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new(), *path, content[400];

	/* inih would silently split it; it must be reported instead. */
	snprintf(content, sizeof(content), "[Daemon]\nPolicyDirectory=/%0250d\nRegistryMaxAge=1\n", 0);
	path = write_file(dir, "c.conf", content);
	assert_int_equal(vw_config_load(&conf, path, &diag), -EINVAL);
	assert_diag_has(&diag, "%s:2: line too long (max 198 characters)", path);
	assert_int_equal(diag.n, 1);
	vw_diag_free(&diag);
	free(path);
	rm_rf(dir);
}

static void test_missing_file(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };

	assert_int_equal(vw_config_load(&conf, "/nonexistent/vendorwall.conf", &diag), -ENOENT);
	assert_diag_has(&diag, "/nonexistent/vendorwall.conf: cannot open: No such file or directory");
	vw_diag_free(&diag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_lookalike_and_verdict_bounds),
		cmocka_unit_test(test_too_many_waivers),
		cmocka_unit_test(test_good_with_dropins),
		cmocka_unit_test(test_until_date_covers_day),
		cmocka_unit_test(test_parse_mac),
		cmocka_unit_test(test_mode_names),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_dropin_errors),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_policy_dir_default),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
