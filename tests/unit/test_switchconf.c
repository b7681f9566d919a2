// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for [Switch] sections (daemon/lib/switchconf.c through vw_config_load): values,
 * defaults, drop-in extension, secrets only from files others cannot read, one exact message
 * per kind of mistake. */
#include <sys/stat.h>
#include "unit.h"
#include "config.h"

/* A config file of mode 0640, as credentials need. */
static char *write_conf(const char *dir, const char *rel, const char *content, mode_t mode)
{
	char *path = write_file(dir, rel, content);

	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void test_values_and_defaults(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new(), *path;

	path = write_conf(dir, "vendorwall.conf",
			  "[Switch core-1]\nAddress=192.0.2.10\nCommunity=public-ro\n"
			  "[Switch dist.2]\nAddress=2001:db8::2\nPort=1161\nVersion=3\nUser=vw\n"
			  "AuthProtocol=SHA-256\nAuthPassword=authpass1\nPrivProtocol=aes\n"
			  "PrivPassword=privpass1\nInterval=1min\nTimeout=500ms\nRetries=3\n"
			  "MaxRows=1000\nMaxBytes=65536\n", 0640);
	assert_int_equal(vw_config_load(&conf, path, &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(conf.n_switches, 2);
	assert_string_equal(conf.switches[0].name, "core-1");
	assert_string_equal(conf.switches[0].address, "192.0.2.10");
	assert_int_equal(conf.switches[0].port, 161);
	assert_int_equal(conf.switches[0].version, VW_SNMP_V2C);
	assert_string_equal(conf.switches[0].community, "public-ro");
	assert_int_equal(conf.switches[0].interval_s, 300);
	assert_int_equal(conf.switches[0].timeout_ms, 2000);
	assert_int_equal(conf.switches[0].retries, 1);
	assert_int_equal(conf.switches[0].max_rows, 50000);
	assert_int_equal(conf.switches[0].max_bytes, 16u << 20);
	assert_string_equal(conf.switches[1].address, "2001:db8::2");
	assert_int_equal(conf.switches[1].port, 1161);
	assert_int_equal(conf.switches[1].version, VW_SNMP_V3);
	assert_string_equal(conf.switches[1].user, "vw");
	assert_int_equal(conf.switches[1].auth_proto, VW_SNMP_AUTH_SHA256);
	assert_string_equal(conf.switches[1].auth_password, "authpass1");
	assert_int_equal(conf.switches[1].priv_proto, VW_SNMP_PRIV_AES);
	assert_string_equal(conf.switches[1].priv_password, "privpass1");
	assert_int_equal(conf.switches[1].interval_s, 60);
	assert_int_equal(conf.switches[1].timeout_ms, 500);
	assert_int_equal(conf.switches[1].retries, 3);
	assert_int_equal(conf.switches[1].max_rows, 1000);
	assert_int_equal(conf.switches[1].max_bytes, 65536);
	vw_config_free(&conf);
	free(path);
	rm_rf(dir);
}

/* The shipped vendorwall.conf is world-readable: the switch goes there, its
 * community into a drop-in only root and the group can read. */
static void test_dropin_holds_secret(void **state)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new(), *path, *d;

	path = write_conf(dir, "vendorwall.conf", "[Switch sw]\nAddress=sw.example\nTimeout=3s\n", 0644);
	d = write_conf(dir, "vendorwall.conf.d/10-secret.conf", "[Switch sw]\nCommunity=c0mm\n", 0600);
	assert_int_equal(vw_config_load(&conf, path, &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(conf.n_switches, 1);
	assert_string_equal(conf.switches[0].address, "sw.example");
	assert_string_equal(conf.switches[0].community, "c0mm");
	assert_int_equal(conf.switches[0].timeout_ms, 3000);
	vw_config_free(&conf);
	free(d);
	free(path);
	rm_rf(dir);
}

static void expect_error(const char *content, mode_t mode, const char *msg)
{
	struct vw_daemon_conf conf;
	struct vw_diag diag = { 0 };
	char *dir = tmpdir_new(), *path = write_conf(dir, "vendorwall.conf", content, mode);

	assert_int_equal(vw_config_load(&conf, path, &diag), -EINVAL);
	assert_diag_has(&diag, "%s:%s", path, msg);
	assert_int_equal(conf.n_switches, 0);   /* nothing half-loaded */
	vw_diag_free(&diag);
	free(path);
	rm_rf(dir);
}

static void test_errors(void **state)
{
	expect_error("[Switch sw]\nAddress=10.0.0.1\nCommunity=secret1\n", 0644,
		     "3: Community= is a secret but this file is readable by every user (mode 0644): "
		     "chmod o-r it, or put the [Switch] section in a drop-in of mode 0640");
	expect_error("[Switch sw]\nAddress=10.0.0.1\nVersion=3\nUser=u\nAuthPassword=x\n", 0600,
		     "5: AuthPassword= is shorter than 8 characters (RFC 3414)");
	expect_error("[Switch a/b]\n", 0600,
		     "1: invalid switch name \"a/b\" (1-64 of A-Z a-z 0-9 - _ .)");
	expect_error("[Switch sw]\nAddress=10.0.0.1:161\n", 0600,
		     "2: invalid Address=10.0.0.1:161 (expected an IPv4 or IPv6 address or a host name, without port)");
	expect_error("[Switch sw]\nAddress=udp:x\n", 0600,
		     "2: invalid Address=udp:x (expected an IPv4 or IPv6 address or a host name, without port)");
	expect_error("[Switch sw]\nPort=0\n", 0600, "2: invalid Port=0 (expected 1..65535)");
	expect_error("[Switch sw]\nVersion=1\n", 0600, "2: invalid Version=1 (expected 2c or 3)");
	expect_error("[Switch sw]\nAuthProtocol=SHA1\n", 0600,
		     "2: invalid AuthProtocol=SHA1 (expected SHA, SHA-256, SHA-512 or MD5)");
	expect_error("[Switch sw]\nPrivProtocol=3DES\n", 0600,
		     "2: invalid PrivProtocol=3DES (expected AES or DES)");
	expect_error("[Switch sw]\nInterval=0\n", 0600,
		     "2: invalid Interval=0 (expected a time span 1s..7d (30s, 5min, 1h))");
	expect_error("[Switch sw]\nTimeout=0ms\n", 0600, "2: invalid Timeout=0ms (expected 1ms..10min)");
	expect_error("[Switch sw]\nRetries=11\n", 0600, "2: invalid Retries=11 (expected a number 0..10)");
	expect_error("[Switch sw]\nMaxRows=0\n", 0600,
		     "2: invalid MaxRows=0 (expected a number 1..10000000)");
	expect_error("[Switch sw]\nMaxBytes=10\n", 0600,
		     "2: invalid MaxBytes=10 (expected a number 1024..1073741824)");
	expect_error("[Switch sw]\nColour=red\n", 0600, "2: unknown key Colour= in [Switch sw]");
	expect_error("[Switch sw]\n[Switch sw]\n", 0600, "2: section [Switch sw] appears twice in this file");
	expect_error("[Switch sw]\nCommunity=c\n", 0600, "1: [Switch sw] lacks Address=");
	expect_error("[Switch sw]\nAddress=h\n", 0600, "1: [Switch sw] lacks Community= (Version=2c)");
	expect_error("[Switch sw]\nAddress=h\nVersion=3\n", 0600, "1: [Switch sw] lacks User= (Version=3)");
	expect_error("[Switch sw]\nAddress=h\nVersion=3\nUser=u\n", 0600,
		     "1: [Switch sw] lacks AuthPassword= (Version=3 polls with authentication at least)");
	expect_error("[Switch sw]\nAddress=h\nVersion=3\nUser=u\nAuthPassword=12345678\nCommunity=c\n",
		     0600, "1: [Switch sw] has Community= but Version=3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_defaults),
		cmocka_unit_test(test_dropin_holds_secret),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("switchconf", tests, NULL, NULL);
}
