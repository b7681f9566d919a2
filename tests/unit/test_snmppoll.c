// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/snmppoll.c: the columns a switch poll walks, as an agent answers
 * them (BRIDGE-MIB, Q-BRIDGE-MIB, IF-MIB, IP-MIB, LLDP-MIB), every malformed index, the
 * row and byte limits, and the lookups the daemon's report uses. */
#include <sys/socket.h>
#include "unit.h"
#include "snmppoll.h"

enum { FDB, QFDB, BPORT, IFNAME, NETPHYS, NETMEDIA, LSUB, LCHASSIS, LNAME, LDESC };

static const struct vw_snmp_limits big = { 100000, 1u << 24 };

/* add COL "index as dotted text" value: the column's OID + index. */
static int add(struct vw_snmp_tables *t, size_t col, const char *index, enum vw_snmp_type type,
	       int64_t num, const void *bytes, size_t len)
{
	const struct vw_snmp_column *c = &vw_snmp_columns[col];
	uint32_t oid[VW_SNMP_OID_MAX + 8];
	size_t n = c->oid_len;
	char *copy = strdup(index), *tok, *save = NULL;
	struct vw_snmp_vb vb = { .oid = oid, .type = type, .num = num, .bytes = bytes, .len = len };

	memcpy(oid, c->oid, n * sizeof(uint32_t));
	for (tok = strtok_r(copy, ".", &save); tok && n < VW_SNMP_OID_MAX + 8;
	     tok = strtok_r(NULL, ".", &save))
		oid[n++] = (uint32_t)strtoul(tok, NULL, 10);
	free(copy);
	vb.oid_len = n;
	return vw_snmp_tables_add(t, col, &vb);
}

static int add_int(struct vw_snmp_tables *t, size_t col, const char *index, int64_t v)
{
	return add(t, col, index, VW_SNMP_T_INT, v, NULL, 0);
}

static int add_str(struct vw_snmp_tables *t, size_t col, const char *index, const char *s)
{
	return add(t, col, index, VW_SNMP_T_OCTETS, 0, s, strlen(s));
}

static int add_mac(struct vw_snmp_tables *t, size_t col, const char *index, const uint8_t *mac)
{
	return add(t, col, index, VW_SNMP_T_OCTETS, 0, mac, 6);
}

static const uint8_t HW[6] = { 0x00, 0xe0, 0xfc, 0xaa, 0xbb, 0xcc };
static const uint8_t BN[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };

/* A small switch as an agent answers a walk of each column. */
static void test_switch(void **state)
{
	struct vw_snmp_tables t;
	char port[64];
	uint8_t addr[16];
	uint32_t bp;
	int fam;

	vw_snmp_tables_init(&t, &big);
	assert_int_equal(add_int(&t, FDB, "0.27.33.10.11.12", 1), 0);
	assert_int_equal(add_int(&t, FDB, "0.224.252.170.187.204", 3), 0);
	assert_int_equal(add_int(&t, FDB, "0.224.252.1.2.3", 0), 0);   /* port unknown: skipped */
	assert_int_equal(add_int(&t, QFDB, "10.0.224.252.170.187.204", 3), 0);
	assert_int_equal(add_int(&t, BPORT, "1", 11), 0);
	assert_int_equal(add_int(&t, BPORT, "3", 13), 0);
	assert_int_equal(add_int(&t, BPORT, "4", 14), 0);
	assert_int_equal(add_str(&t, IFNAME, "11", "Gi0/1"), 0);
	assert_int_equal(add_str(&t, IFNAME, "13", "Gi0/3\x01"), 0);
	/* ipNetToPhysicalTable: an IPv6 row first in walk order of another ifIndex */
	assert_int_equal(add_mac(&t, NETPHYS, "12.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.51", HW), 0);
	assert_int_equal(add_mac(&t, NETPHYS, "13.1.4.10.9.0.33", HW), 0);
	assert_int_equal(add_mac(&t, NETPHYS, "13.3.8.1.2.3.4.0.0.0.1", BN), 0);  /* ipv4z: ignored */
	assert_int_equal(add_mac(&t, NETMEDIA, "13.10.9.0.34", BN), 0);
	assert_int_equal(t.malformed, 0);
	assert_int_equal(t.n_fdb, 3);
	assert_int_equal(t.n_arp, 3);
	vw_snmp_tables_finish(&t);

	assert_int_equal(vw_snmp_port_of(&t, HW, &bp), 0);
	assert_int_equal(bp, 3);
	vw_snmp_port_name(&t, bp, port, sizeof(port));
	assert_string_equal(port, "Gi0/3?");       /* control bytes never reach the journal */
	vw_snmp_port_name(&t, 1, port, sizeof(port));
	assert_string_equal(port, "Gi0/1");
	vw_snmp_port_name(&t, 4, port, sizeof(port));
	assert_string_equal(port, "ifIndex 14");   /* no ifName */
	vw_snmp_port_name(&t, 9, port, sizeof(port));
	assert_string_equal(port, "bridge-port 9"); /* no dot1dBasePortIfIndex */
	/* IPv4 before IPv6, whatever the walk order */
	assert_int_equal(vw_snmp_addr_of(&t, HW, &fam, addr), 0);
	assert_int_equal(fam, AF_INET);
	assert_memory_equal(addr, "\x0a\x09\x00\x21", 4);
	assert_int_equal(vw_snmp_addr_of(&t, BN, &fam, addr), 0);
	assert_memory_equal(addr, "\x0a\x09\x00\x22", 4);
	assert_int_equal(vw_snmp_addr_of(&t, (const uint8_t *)"\0\0\0\0\0\1", &fam, addr), -ENOENT);
	assert_int_equal(vw_snmp_port_of(&t, (const uint8_t *)"\0\0\0\0\0\1", &bp), -ENOENT);
	vw_snmp_tables_free(&t);
}

/* The LLDP columns are walked one after another and fill the same rows. */
static void test_lldp(void **state)
{
	static const uint8_t la[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	struct vw_snmp_tables t;

	vw_snmp_tables_init(&t, &big);
	assert_int_equal(add_int(&t, LSUB, "0.5.1", 4), 0);
	assert_int_equal(add_int(&t, LSUB, "0.7.2", 7), 0);
	assert_int_equal(add_int(&t, LSUB, "100.2.9", 4), 0);   /* later time mark, lower port */
	assert_int_equal(add_mac(&t, LCHASSIS, "0.5.1", la), 0);
	assert_int_equal(add_str(&t, LCHASSIS, "0.7.2", "Gi1/0/7"), 0);
	assert_int_equal(add_mac(&t, LCHASSIS, "100.2.9", BN), 0);
	assert_int_equal(add_str(&t, LNAME, "0.5.1", "core-sw-2"), 0);
	assert_int_equal(add_str(&t, LDESC, "0.5.1", "Huawei Versatile Routing Platform\nVRP"), 0);
	assert_int_equal(add_str(&t, LDESC, "100.2.9", "Linux"), 0);
	assert_int_equal(t.n_lldp, 3);
	assert_int_equal(t.rows, 3);
	assert_true(t.lldp_unsorted);
	assert_int_equal(t.lldp[0].chassis_subtype, 4);
	assert_int_equal(t.lldp[0].local_port, 5);
	assert_int_equal(t.lldp[0].chassis_len, 6);
	assert_memory_equal(t.lldp[0].chassis, la, 6);
	assert_string_equal(t.lldp[0].sys_name, "core-sw-2");
	assert_string_equal(t.lldp[0].sys_desc, "Huawei Versatile Routing Platform\nVRP");
	assert_int_equal(t.lldp[1].chassis_subtype, 7);
	assert_int_equal(t.lldp[2].local_port, 2);
	assert_memory_equal(t.lldp[2].chassis, BN, 6);
	assert_string_equal(t.lldp[2].sys_desc, "Linux");
	vw_snmp_tables_free(&t);
}

/* Every malformed answer is counted and skipped; the walk goes on. */
static void test_malformed(void **state)
{
	uint8_t five[5] = { 0 };
	struct vw_snmp_tables t;

	vw_snmp_tables_init(&t, &big);
	assert_int_equal(add_int(&t, FDB, "0.27.33.10.11", 1), 0);          /* 5-octet index */
	assert_int_equal(add_int(&t, FDB, "0.27.33.10.11.300", 1), 0);      /* octet > 255 */
	assert_int_equal(add_str(&t, FDB, "0.27.33.10.11.12", "x"), 0);     /* not an integer */
	assert_int_equal(add_int(&t, FDB, "0.27.33.10.11.12", -1), 0);      /* negative port */
	assert_int_equal(add_int(&t, QFDB, "", 1), -ENOMSG);                /* no index: the column itself */
	assert_int_equal(add_int(&t, BPORT, "1.2", 1), 0);                  /* two-part index */
	assert_int_equal(add_int(&t, IFNAME, "1", 5), 0);                   /* name as a number */
	assert_int_equal(add(&t, NETPHYS, "13.1.4.10.9.0.33", VW_SNMP_T_OCTETS, 0, five, 5), 0);
	assert_int_equal(add_mac(&t, NETPHYS, "13.1.16.10.9.0.33", HW), 0);  /* length lies */
	assert_int_equal(add_mac(&t, NETPHYS, "13.1", HW), 0);               /* truncated */
	assert_int_equal(add_mac(&t, NETMEDIA, "13.10.9.0", HW), 0);
	assert_int_equal(add_mac(&t, NETMEDIA, "13.10.9.0.256", HW), 0);
	assert_int_equal(add_int(&t, LSUB, "0.5", 4), 0);
	assert_int_equal(add_str(&t, LSUB, "0.5.1", "4"), 0);
	assert_int_equal(t.malformed, 13);
	assert_int_equal(t.n_fdb + t.n_bport + t.n_ifname + t.n_arp + t.n_lldp, 0);
	/* an OID of another column ends this column's walk */
	assert_int_equal(add_int(&t, FDB, "", 1), -ENOMSG);
	{
		uint32_t other[] = { 1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 3, 0, 1, 2, 3, 4, 5 };
		struct vw_snmp_vb vb = { .oid = other, .oid_len = 17, .type = VW_SNMP_T_INT, .num = 3 };

		assert_int_equal(vw_snmp_tables_add(&t, FDB, &vb), -ENOMSG);
		assert_int_equal(vw_snmp_tables_add(&t, 99, &vb), -EINVAL);
	}
	vw_snmp_tables_free(&t);
}

/* A huge table stops at MaxRows=, or at MaxBytes=, and says so. */
static void test_limits(void **state)
{
	struct vw_snmp_limits rows = { 100, 1u << 24 }, bytes = { 100000, 4096 };
	struct vw_snmp_tables t;
	char idx[64];
	int r = 0, i;

	vw_snmp_tables_init(&t, &rows);
	for (i = 0; i < 100000 && r == 0; i++) {
		snprintf(idx, sizeof(idx), "0.27.33.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
		r = add_int(&t, FDB, idx, 1 + i % 48);
	}
	assert_int_equal(r, -ENOSPC);
	assert_int_equal(i, 101);
	assert_true(t.truncated);
	assert_int_equal(t.n_fdb, 100);
	assert_int_equal(t.rows, 100);
	/* once truncated, nothing more is taken from any column */
	assert_int_equal(add_int(&t, BPORT, "1", 1), -ENOSPC);
	vw_snmp_tables_free(&t);

	vw_snmp_tables_init(&t, &bytes);
	r = 0;
	for (i = 0; i < 100000 && r == 0; i++)
		r = add_str(&t, IFNAME, "1", "a long interface description of sixty-four bytes.....");
	assert_int_equal(r, -ENOSPC);
	assert_true(t.truncated);
	assert_true(t.bytes > 4096);
	assert_true(t.n_ifname < 100);
	vw_snmp_tables_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switch),
		cmocka_unit_test(test_lldp),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("snmppoll", tests, NULL, NULL);
}
