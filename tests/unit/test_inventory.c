// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/inventory.c: the SQLite device inventory, on real files. */
#include <arpa/inet.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "unit.h"
#include "inventory.h"

static const uint8_t MAC_A[6] = { 0x00, 0xe0, 0xfc, 0x00, 0x00, 0x01 };
static const uint8_t MAC_B[6] = { 0x00, 0xe0, 0xfc, 0x00, 0x00, 0x02 };
static const uint8_t MAC_C[6] = { 0x44, 0x19, 0xb6, 0x00, 0x00, 0x03 };
static const uint8_t MAC_D[6] = { 0x44, 0x19, 0xb6, 0x00, 0x00, 0x04 };

struct fixture {
	char *dir;
	char path[512];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = tmpdir_new();
	snprintf(f->path, sizeof(f->path), "%s/inventory.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rm_rf(f->dir);
	free(f);
	return 0;
}

/* Runs one integer query on the file with a separate connection, as
 * sqlite3(1) or vendorwallctl would. */
static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
					 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

static struct vw_inventory *open_ok(const char *path, const struct vw_inventory_limits *lim)
{
	struct vw_inventory *inv = NULL;

	assert_int_equal(vw_inventory_open(&inv, path, lim), 0);
	assert_non_null(inv);
	return inv;
}

static void observe_ok(struct vw_inventory *inv, const uint8_t mac[6], const char *vendor,
		       const char *seg, int64_t when)
{
	assert_int_equal(vw_inventory_observe(inv, mac, vendor, seg, "restricted", "would-drop",
					      when, NULL, NULL), 0);
}

static void test_schema_created(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	size_t n = 99;

	assert_int_equal(vw_inventory_count(inv, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), VW_INVENTORY_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				 " AND name IN ('device', 'sighting', 'address', 'evidence',"
				 " 'decision')"), 5);
	/* WAL is a property of the file: a second connection sees it. */
	assert_int_equal(raw_int(f->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
			 1);
	vw_inventory_close(inv);
	/* Reopening an up-to-date file migrates nothing and works. */
	inv = open_ok(f->path, NULL);
	vw_inventory_close(inv);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), VW_INVENTORY_SCHEMA_VERSION);
}

/* Owner only, whatever the umask: a new file and its -wal/-shm, and an
 * older world-readable file once it is opened again. */
static void test_file_modes(void **state)
{
	struct fixture *f = *state;
	mode_t old = umask(022);
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct stat sb;
	char side[600];

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	snprintf(side, sizeof(side), "%s-wal", f->path);
	if (stat(side, &sb) == 0)
		assert_int_equal(sb.st_mode & 07777, 0600);
	vw_inventory_close(inv);
	assert_int_equal(chmod(f->path, 0644), 0);
	inv = open_ok(f->path, NULL);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	vw_inventory_close(inv);
	umask(old);
}

/* A frame's OUI verdict ("restricted") does not undo a dispute; an
 * explicit verdict does. */
static void test_disputed_kept(void **state)
{
	static const uint8_t m[6] = { 0x00, 0xe0, 0xfc, 0x0a, 0x0b, 0x0c };
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_inventory_device d;
	bool nd, ns;

	assert_int_equal(vw_inventory_observe(inv, m, "huawei", "lan", "disputed", NULL, 100, &nd, &ns), 0);
	assert_int_equal(vw_inventory_observe(inv, m, "huawei", "lan", "restricted", "dropped", 200, &nd, &ns), 0);
	assert_int_equal(vw_inventory_get(inv, m, &d), 0);
	assert_string_equal(d.verdict, "disputed");
	assert_string_equal(d.outcome, "dropped");
	vw_inventory_device_free(&d);
	assert_int_equal(vw_inventory_set_verdict(inv, m, "restricted", 300), 0);
	assert_int_equal(vw_inventory_get(inv, m, &d), 0);
	assert_string_equal(d.verdict, "restricted");
	vw_inventory_device_free(&d);
	vw_inventory_close(inv);
}

static void test_observe_flags(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_inventory_device d;
	bool nd = false, ns = false;

	assert_int_equal(vw_inventory_observe(inv, MAC_A, "huawei", "lan", "restricted", "would-drop",
					      100, &nd, &ns), 0);
	assert_true(nd);
	assert_true(ns);
	assert_int_equal(vw_inventory_observe(inv, MAC_A, "huawei", "lan", NULL, NULL, 110, &nd, &ns),
			 0);
	assert_false(nd);
	assert_false(ns);
	assert_int_equal(vw_inventory_observe(inv, MAC_A, "huawei", "cams", NULL, NULL, 120, &nd, &ns),
			 0);
	assert_false(nd);
	assert_true(ns);

	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_memory_equal(d.mac, MAC_A, 6);
	assert_string_equal(d.vendor, "huawei");
	assert_string_equal(d.verdict, "restricted"); /* NULL kept it */
	assert_string_equal(d.outcome, "would-drop");
	assert_int_equal(d.verdict_since, 100);
	assert_int_equal(d.first_seen, 100);
	assert_int_equal(d.last_seen, 120);
	assert_int_equal(d.n_segments, 2);
	assert_string_equal(d.segments[0].name, "lan");
	assert_int_equal(d.segments[0].first_seen, 100);
	assert_int_equal(d.segments[0].last_seen, 110);
	assert_string_equal(d.segments[1].name, "cams");
	assert_int_equal(d.segments[1].first_seen, 120);
	vw_inventory_device_free(&d);

	assert_int_equal(vw_inventory_get(inv, MAC_B, &d), -ENOENT);
	assert_int_equal(vw_inventory_observe(inv, MAC_B, NULL, "lan", NULL, NULL, 1, NULL, NULL),
			 -EINVAL);
	assert_int_equal(vw_inventory_observe(inv, MAC_B, "a-vendor-name-far-too-long-to-keep",
					      "lan", NULL, NULL, 1, NULL, NULL), -EINVAL);
	/* Only the words of names.h: no second vocabulary in the file. */
	assert_int_equal(vw_inventory_observe(inv, MAC_B, "huawei", "lan", "drop", NULL, 1,
					      NULL, NULL), -EINVAL);
	assert_int_equal(vw_inventory_observe(inv, MAC_B, "huawei", "lan", NULL, "drop", 1,
					      NULL, NULL), -EINVAL);
	assert_int_equal(vw_inventory_set_verdict(inv, MAC_A, "would-drop", 130), -EINVAL);

	/* The verdict is the daemon's current view; verdict_since moves with it. */
	assert_int_equal(vw_inventory_set_verdict(inv, MAC_A, "quarantined", 130), 0);
	assert_int_equal(vw_inventory_set_verdict(inv, MAC_A, "quarantined", 140), 0);
	assert_int_equal(vw_inventory_set_verdict(inv, MAC_B, "quarantined", 140), -ENOENT);
	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_string_equal(d.verdict, "quarantined");
	assert_int_equal(d.verdict_since, 130);
	vw_inventory_device_free(&d);
	vw_inventory_close(inv);
}

static void test_coalescing(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory_limits lim = { .touch_interval_s = 60 };
	struct vw_inventory *inv = open_ok(f->path, &lim);
	struct vw_inventory_device d;
	char wal[600];
	struct in_addr ip = { htonl(0x0a000005) };
	off_t before;
	bool nd, ns;

	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	/* A first sighting is written at once: visible to another reader. */
	observe_ok(inv, MAC_A, "huawei", "lan", 1000);
	assert_int_equal(raw_int(f->path, "SELECT last_seen FROM device"), 1000);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET, &ip, 1000), 0);

	/* Inside the window: nothing reaches the file at all. */
	before = file_size(wal);
	assert_true(before > 0);
	assert_int_equal(vw_inventory_observe(inv, MAC_A, "huawei", "lan", "restricted", "would-drop",
					      1030, &nd, &ns), 0);
	assert_false(nd);
	assert_false(ns);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET, &ip, 1059), 0);
	assert_int_equal(file_size(wal), before);
	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_int_equal(d.last_seen, 1000);
	assert_int_equal(d.segments[0].last_seen, 1000);
	assert_int_equal(d.addresses[0].last_seen, 1000);
	vw_inventory_device_free(&d);

	/* A new segment is a first sighting too, whatever the window. */
	observe_ok(inv, MAC_A, "huawei", "cams", 1031);
	/* A changed outcome is news, not a touch. */
	observe_ok(inv, MAC_A, "huawei", "lan", 1032);
	assert_int_equal(vw_inventory_observe(inv, MAC_A, "huawei", "lan", "restricted", "dropped",
					      1033, NULL, NULL), 0);
	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_string_equal(d.outcome, "dropped");
	assert_int_equal(d.n_segments, 2);
	assert_int_equal(d.segments[0].last_seen, 1033);
	vw_inventory_device_free(&d);

	/* Past the window the touch is written. */
	observe_ok(inv, MAC_A, "huawei", "cams", 1091);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET, &ip, 1060), 0);
	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_int_equal(d.last_seen, 1091);
	assert_int_equal(d.segments[1].last_seen, 1091);
	assert_int_equal(d.addresses[0].last_seen, 1060);
	vw_inventory_device_free(&d);
	vw_inventory_close(inv);
}

static void test_addresses_evidence_decisions(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_inventory_device d;
	struct in_addr v4;
	struct in6_addr v6;
	struct vw_evidence oui = { "oui", "oui24", "00:e0:fc", NULL, 60 };
	struct vw_evidence lldp = { "lldp", "sysDescr", "Huawei Versatile Routing Platform",
				    "lldp-huawei-vrp", 95 };
	struct vw_decision waiver = { "waiver", "lan", "ticket 42", "vendorwallctl", 1000,
				      500, 9000 };
	struct vw_decision mode = { "mode", "cams", "block", "vendorwallctl", 0, 600, 0 };

	assert_int_equal(inet_pton(AF_INET, "192.0.2.7", &v4), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:0:0::7", &v6), 1);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET, &v4, 100), -ENOENT);
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_A, &oui, 100), -ENOENT);

	observe_ok(inv, MAC_A, "huawei", "lan", 100);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET, &v4, 101), 0);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET6, &v6, 102), 0);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET, &v4, 150), 0);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_PACKET, &v4, 150), -EAFNOSUPPORT);
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_A, &oui, 100), 0);
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_A, &lldp, 103), 0);
	/* The same evidence again is one row with a newer time and confidence. */
	oui.confidence = 70;
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_A, &oui, 160), 0);
	oui.confidence = 101;
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_A, &oui, 160), -EINVAL);
	assert_int_equal(vw_inventory_add_decision(inv, MAC_A, &waiver), 0);
	assert_int_equal(vw_inventory_add_decision(inv, NULL, &mode), 0);
	/* A waiver may come before its device. */
	assert_int_equal(vw_inventory_add_decision(inv, MAC_B, &waiver), 0);

	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_int_equal(d.n_addresses, 2);
	assert_int_equal(d.addresses[0].family, AF_INET);
	assert_string_equal(d.addresses[0].addr, "192.0.2.7");
	assert_int_equal(d.addresses[0].first_seen, 101);
	assert_int_equal(d.addresses[0].last_seen, 150);
	assert_int_equal(d.addresses[1].family, AF_INET6);
	assert_string_equal(d.addresses[1].addr, "2001:db8::7");
	assert_int_equal(d.n_evidence, 2);
	assert_string_equal(d.evidence[0].e.signal, "oui");
	assert_string_equal(d.evidence[0].e.field, "oui24");
	assert_string_equal(d.evidence[0].e.value, "00:e0:fc");
	assert_null(d.evidence[0].e.rule);
	assert_int_equal(d.evidence[0].e.confidence, 70);
	assert_int_equal(d.evidence[0].first_seen, 100);
	assert_int_equal(d.evidence[0].last_seen, 160);
	assert_string_equal(d.evidence[1].e.value, "Huawei Versatile Routing Platform");
	assert_string_equal(d.evidence[1].e.rule, "lldp-huawei-vrp");
	assert_int_equal(d.evidence[1].e.confidence, 95);
	assert_int_equal(d.n_decisions, 1);
	assert_true(d.decisions[0].has_mac);
	assert_memory_equal(d.decisions[0].mac, MAC_A, 6);
	assert_string_equal(d.decisions[0].d.kind, "waiver");
	assert_string_equal(d.decisions[0].d.segment, "lan");
	assert_string_equal(d.decisions[0].d.detail, "ticket 42");
	assert_string_equal(d.decisions[0].d.comm, "vendorwallctl");
	assert_int_equal(d.decisions[0].d.uid, 1000);
	assert_int_equal(d.decisions[0].d.at, 500);
	assert_int_equal(d.decisions[0].d.until, 9000);
	vw_inventory_device_free(&d);
	vw_inventory_close(inv);
}

struct collect {
	size_t n;
	uint8_t macs[8][6];
	char kinds[8][16];
	bool has_mac[8];
	int stop_after;
};

static int collect_dev(void *ctx, const struct vw_inventory_device *d)
{
	struct collect *c = ctx;

	assert_true(c->n < 8);
	memcpy(c->macs[c->n++], d->mac, 6);
	return c->stop_after && (int)c->n == c->stop_after ? 7 : 0;
}

static int collect_dec(void *ctx, const struct vw_inventory_decision *x)
{
	struct collect *c = ctx;

	assert_true(c->n < 8);
	memcpy(c->macs[c->n], x->mac, 6);
	c->has_mac[c->n] = x->has_mac;
	snprintf(c->kinds[c->n++], sizeof(c->kinds[0]), "%s", x->d.kind);
	return 0;
}

static void test_list_decisions(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_decision q = { "quarantine", NULL, NULL, NULL, 0, 10, 0 };
	struct vw_decision m = { "mode", "lan", "block", "vendorwallctl", 0, 20, 0 };
	struct vw_decision r = { "release", NULL, NULL, NULL, 0, 30, 0 };
	struct collect c = {0};

	assert_int_equal(vw_inventory_add_decision(inv, MAC_A, &q), 0);
	assert_int_equal(vw_inventory_add_decision(inv, NULL, &m), 0);
	assert_int_equal(vw_inventory_add_decision(inv, MAC_A, &r), 0);
	assert_int_equal(vw_inventory_list_decisions(inv, NULL, 0, collect_dec, &c), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.kinds[0], "quarantine");
	assert_true(c.has_mac[0]);
	assert_string_equal(c.kinds[1], "mode");
	assert_false(c.has_mac[1]);
	assert_string_equal(c.kinds[2], "release");
	memset(&c, 0, sizeof(c));
	assert_int_equal(vw_inventory_list_decisions(inv, MAC_A, 15, collect_dec, &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.kinds[0], "release");
	vw_inventory_close(inv);
}

static int64_t raw_count_for(const char *path, const char *table, const uint8_t mac[6])
{
	char sql[256];
	int64_t key = 0;

	for (int i = 0; i < 6; i++)
		key = key << 8 | mac[i];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE mac = %lld", table,
		 (long long)key);
	return raw_int(path, sql);
}

static void test_limits(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory_limits lim = {
		.max_devices = 3, .max_evidence_per_device = 2, .max_addresses_per_device = 2,
	};
	struct vw_inventory *inv = open_ok(f->path, &lim);
	struct vw_inventory_device d;
	struct vw_evidence ev[3] = {
		{ "oui", "oui24", "44:19:b6", NULL, 60 },
		{ "dhcp", "vendor-class", "HIKVISION", "dhcp-hik", 90 },
		{ "sadp", "model", "DS-2CD2143", "sadp-hik", 99 },
	};
	struct vw_decision w = { "waiver", NULL, NULL, NULL, 0, 5, 0 };
	struct in_addr ip[3];
	size_t n;
	bool nd;

	for (int i = 0; i < 3; i++)
		ip[i].s_addr = htonl(0xc0000201 + i);
	/* A is the oldest and carries rows in every table. */
	observe_ok(inv, MAC_A, "huawei", "lan", 10);
	assert_int_equal(vw_inventory_add_address(inv, MAC_A, AF_INET, &ip[0], 10), 0);
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_A, &ev[0], 10), 0);
	assert_int_equal(vw_inventory_add_decision(inv, MAC_A, &w), 0);
	observe_ok(inv, MAC_B, "huawei", "lan", 20);
	/* A seen again is no longer the oldest: B goes first. */
	observe_ok(inv, MAC_A, "huawei", "lan", 40);
	observe_ok(inv, MAC_C, "hikvision", "cams", 45);
	assert_int_equal(vw_inventory_observe(inv, MAC_D, "hikvision", "cams", NULL, NULL, 50, &nd,
					      NULL),
			 0);
	assert_true(nd);
	assert_int_equal(vw_inventory_count(inv, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(vw_inventory_get(inv, MAC_B, &d), -ENOENT);
	assert_int_equal(raw_count_for(f->path, "sighting", MAC_B), 0);

	/* Now A is the oldest: it goes with its sightings, addresses,
	 * evidence and decisions. */
	observe_ok(inv, MAC_B, "huawei", "lan", 60);
	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), -ENOENT);
	assert_int_equal(raw_count_for(f->path, "sighting", MAC_A), 0);
	assert_int_equal(raw_count_for(f->path, "address", MAC_A), 0);
	assert_int_equal(raw_count_for(f->path, "evidence", MAC_A), 0);
	assert_int_equal(raw_count_for(f->path, "decision", MAC_A), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM device"), 3);

	/* Evidence and address caps drop the oldest. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(vw_inventory_add_evidence(inv, MAC_C, &ev[i], 100 + i), 0);
		assert_int_equal(vw_inventory_add_address(inv, MAC_C, AF_INET, &ip[i], 100 + i), 0);
	}
	assert_int_equal(vw_inventory_get(inv, MAC_C, &d), 0);
	assert_int_equal(d.n_evidence, 2);
	assert_string_equal(d.evidence[0].e.signal, "dhcp");
	assert_string_equal(d.evidence[1].e.signal, "sadp");
	assert_int_equal(d.n_addresses, 2);
	assert_string_equal(d.addresses[0].addr, "192.0.2.2");
	assert_string_equal(d.addresses[1].addr, "192.0.2.3");
	vw_inventory_device_free(&d);
	/* Dropped evidence seen again comes back as the newest; the oldest
	 * remaining row makes room. */
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_C, &ev[0], 200), 0);
	assert_int_equal(vw_inventory_get(inv, MAC_C, &d), 0);
	assert_int_equal(d.n_evidence, 2);
	assert_string_equal(d.evidence[0].e.signal, "sadp");
	assert_string_equal(d.evidence[1].e.signal, "oui");
	vw_inventory_device_free(&d);
	vw_inventory_close(inv);

	/* A daemon's start opens without counting: the bound applies when it
	 * asks (once it enforces), not before. */
	lim.max_devices = 2;
	lim.cap_after_open = true;
	inv = open_ok(f->path, &lim);
	assert_int_equal(vw_inventory_count(inv, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(vw_inventory_apply_cap(inv), 0);
	assert_int_equal(vw_inventory_count(inv, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vw_inventory_get(inv, MAC_B, &d), 0);
	vw_inventory_device_free(&d);
	vw_inventory_close(inv);

	/* A smaller bound in the configuration applies at the next open. */
	lim.max_devices = 1;
	lim.cap_after_open = false;
	inv = open_ok(f->path, &lim);
	assert_int_equal(vw_inventory_count(inv, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vw_inventory_get(inv, MAC_B, &d), 0);
	vw_inventory_device_free(&d);
	/* A device just seen is never its own victim, even when a skewed
	 * clock makes it look older than everything else. */
	observe_ok(inv, MAC_D, "hikvision", "cams", 1);
	assert_int_equal(vw_inventory_get(inv, MAC_D, &d), 0);
	vw_inventory_device_free(&d);
	assert_int_equal(vw_inventory_get(inv, MAC_B, &d), -ENOENT);
	vw_inventory_close(inv);
}

static void test_reopen(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_evidence ev = { "lldp", "chassis", "HUAWEI", "r1", 80 };
	struct vw_inventory_device d;
	bool nd, ns;

	observe_ok(inv, MAC_A, "huawei", "lan", 100);
	assert_int_equal(vw_inventory_add_evidence(inv, MAC_A, &ev, 100), 0);
	vw_inventory_close(inv);

	inv = open_ok(f->path, NULL);
	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_string_equal(d.vendor, "huawei");
	assert_int_equal(d.n_evidence, 1);
	assert_string_equal(d.evidence[0].e.value, "HUAWEI");
	vw_inventory_device_free(&d);
	/* Known across restarts: not reported as new again. */
	assert_int_equal(vw_inventory_observe(inv, MAC_A, "huawei", "lan", NULL, NULL, 200, &nd, &ns),
			 0);
	assert_false(nd);
	assert_false(ns);
	vw_inventory_close(inv);
}

static void test_crash(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv;
	struct vw_inventory_device d;
	int status;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct vw_evidence ev = { "oui", "oui24", "00:e0:fc", NULL, 60 };

		/* Autocommit writes, then a batch that never commits: the
		 * process dies without closing anything. */
		if (vw_inventory_open(&inv, f->path, NULL) ||
		    vw_inventory_observe(inv, MAC_A, "huawei", "lan", "restricted", "dropped", 100,
					 NULL, NULL) ||
		    vw_inventory_add_evidence(inv, MAC_A, &ev, 100) ||
		    vw_inventory_begin(inv) ||
		    vw_inventory_observe(inv, MAC_B, "huawei", "lan", "restricted", "dropped", 101,
					 NULL, NULL))
			_exit(1);
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);

	inv = open_ok(f->path, NULL);
	assert_int_equal(vw_inventory_get(inv, MAC_A, &d), 0);
	assert_string_equal(d.verdict, "restricted");
	assert_string_equal(d.outcome, "dropped");
	assert_int_equal(d.n_evidence, 1);
	vw_inventory_device_free(&d);
	/* The uncommitted batch is gone as a whole. */
	assert_int_equal(vw_inventory_get(inv, MAC_B, &d), -ENOENT);
	vw_inventory_close(inv);
}

static void test_batch(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_inventory_device d;
	struct in_addr ip = { htonl(0x0a000001) };
	size_t n;

	assert_int_equal(vw_inventory_commit(inv), -EINVAL);
	assert_int_equal(vw_inventory_begin(inv), 0);
	assert_int_equal(vw_inventory_begin(inv), -EBUSY);
	observe_ok(inv, MAC_A, "huawei", "lan", 1);
	/* Not visible to other readers until commit. */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM device"), 0);
	/* A failing call inside the batch leaves the rest of it intact. */
	assert_int_equal(vw_inventory_add_address(inv, MAC_B, AF_INET, &ip, 2), -ENOENT);
	observe_ok(inv, MAC_B, "huawei", "lan", 3);
	assert_int_equal(vw_inventory_commit(inv), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM device"), 2);

	assert_int_equal(vw_inventory_begin(inv), 0);
	observe_ok(inv, MAC_C, "hikvision", "cams", 4);
	assert_int_equal(vw_inventory_rollback(inv), 0);
	assert_int_equal(vw_inventory_get(inv, MAC_C, &d), -ENOENT);
	assert_int_equal(vw_inventory_count(inv, &n), 0);
	assert_int_equal(n, 2);
	vw_inventory_close(inv);
}

/* A schema 1 file (verdict held the frame's outcome in other words) is
 * read with the words of names.h after the 1 -> 2 step. */
static void test_migrate_v1_words(void **state)
{
	static const struct {
		uint8_t last;
		const char *old, *verdict, *outcome;
	} rows[] = {
		{ 1, "would-drop", "restricted", "would-drop" },
		{ 2, "drop", "restricted", "dropped" },
		{ 3, "redirect", "restricted", "redirected" },
		{ 4, "capped", "restricted", "capped" },
		{ 5, "fingerprint", "restricted", "" },
		{ 6, "fingerprint-report", "restricted", "" },
		{ 7, "", "", "" },
	};
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_inventory_device d;
	char sql[256];

	vw_inventory_close(inv);
	/* Back to schema 1 by hand: no outcome column, the old view, no history. */
	raw_exec(f->path, "DROP TABLE history; DROP VIEW devices; ALTER TABLE device DROP COLUMN outcome;"
			  "CREATE VIEW devices AS SELECT mac, vendor, verdict FROM device;"
			  "PRAGMA user_version = 1");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO device (mac, vendor, first_seen, last_seen,"
			 " verdict, verdict_since) VALUES (%llu, 'huawei', 1, 1, '%s', 1)",
			 0xe0fc000000ull + rows[i].last, rows[i].old);
		raw_exec(f->path, sql);
	}
	inv = open_ok(f->path, NULL);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), VW_INVENTORY_SCHEMA_VERSION);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t mac[6] = { 0x00, 0xe0, 0xfc, 0x00, 0x00, rows[i].last };

		assert_int_equal(vw_inventory_get(inv, mac, &d), 0);
		assert_string_equal(d.verdict, rows[i].verdict);
		assert_string_equal(d.outcome, rows[i].outcome);
		vw_inventory_device_free(&d);
	}
	/* The view for sqlite3(1) shows the new column. */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM devices WHERE outcome = 'dropped'"), 1);
	vw_inventory_close(inv);
}

static void test_newer_version_refused(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);

	observe_ok(inv, MAC_A, "huawei", "lan", 1);
	vw_inventory_close(inv);
	raw_exec(f->path, "PRAGMA user_version = 99");
	inv = (struct vw_inventory *)1;
	assert_int_equal(vw_inventory_open(&inv, f->path, NULL), -EPROTO);
	assert_null(inv);
	/* Left as the newer daemon wrote it. */
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 99);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM device"), 1);
}

static void test_bad_files(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = NULL;
	char buf[4096], path[600];
	FILE *fp;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 13);
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, sizeof(buf), fp), sizeof(buf));
	fclose(fp);
	assert_int_equal(vw_inventory_open(&inv, f->path, NULL), -EBADMSG);
	assert_null(inv);

	/* A valid SQLite file that is not ours. */
	snprintf(path, sizeof(path), "%s/other.db", f->dir);
	raw_exec(path, "CREATE TABLE t (x)");
	assert_int_equal(vw_inventory_open(&inv, path, NULL), -EBADMSG);
	assert_null(inv);

	snprintf(path, sizeof(path), "%s/no/such/dir/inventory.db", f->dir);
	assert_int_equal(vw_inventory_open(&inv, path, NULL), -ENOENT);
	assert_null(inv);
}

/* count_matching counts what list reports, without loading devices. */
static void assert_count(struct vw_inventory *inv, const struct vw_inventory_filter *f, size_t want)
{
	size_t n = 99;

	assert_int_equal(vw_inventory_count_matching(inv, f, &n), 0);
	assert_int_equal(n, want);
}

/* Pages in MAC order: each device once, however they are cut, filters
 * kept, and a device seen again between pages keeps its place. */
static void test_pages(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_inventory_filter flt = { .vendor = "hikvision" };
	struct collect c;

	observe_ok(inv, MAC_C, "hikvision", "cams", 300);
	observe_ok(inv, MAC_A, "huawei", "lan", 100);
	observe_ok(inv, MAC_D, "hikvision", "lan", 50);
	observe_ok(inv, MAC_B, "huawei", "lan", 200);

	memset(&c, 0, sizeof(c));
	assert_int_equal(vw_inventory_list_page(inv, NULL, NULL, 2, collect_dev, &c), 0);
	assert_int_equal(c.n, 2);
	assert_memory_equal(c.macs[0], MAC_A, 6);
	assert_memory_equal(c.macs[1], MAC_B, 6);
	observe_ok(inv, MAC_A, "huawei", "lan", 900);   /* seen again: not listed twice */
	assert_int_equal(vw_inventory_list_page(inv, NULL, MAC_B, 2, collect_dev, &c), 0);
	assert_int_equal(c.n, 4);
	assert_memory_equal(c.macs[2], MAC_C, 6);
	assert_memory_equal(c.macs[3], MAC_D, 6);
	assert_int_equal(vw_inventory_list_page(inv, NULL, MAC_D, 2, collect_dev, &c), 0);
	assert_int_equal(c.n, 4);   /* past the end: an empty page */

	memset(&c, 0, sizeof(c));
	assert_int_equal(vw_inventory_list_page(inv, &flt, MAC_C, 10, collect_dev, &c), 0);
	assert_int_equal(c.n, 1);
	assert_memory_equal(c.macs[0], MAC_D, 6);
	assert_int_equal(vw_inventory_list_page(inv, NULL, NULL, 0, collect_dev, &c), -EINVAL);
	vw_inventory_close(inv);
}

static void test_filters(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv = open_ok(f->path, NULL);
	struct vw_inventory_filter flt;
	struct collect c;

	observe_ok(inv, MAC_A, "huawei", "lan", 100);
	observe_ok(inv, MAC_A, "huawei", "wan", 400);
	observe_ok(inv, MAC_B, "huawei", "lan", 200);
	observe_ok(inv, MAC_C, "hikvision", "cams", 300);
	observe_ok(inv, MAC_D, "hikvision", "lan", 50);

	memset(&c, 0, sizeof(c));
	assert_int_equal(vw_inventory_list(inv, NULL, collect_dev, &c), 0);
	assert_int_equal(c.n, 4);
	assert_count(inv, NULL, 4);
	/* Most recently seen first. */
	assert_memory_equal(c.macs[0], MAC_A, 6);
	assert_memory_equal(c.macs[1], MAC_C, 6);
	assert_memory_equal(c.macs[2], MAC_B, 6);
	assert_memory_equal(c.macs[3], MAC_D, 6);

	memset(&c, 0, sizeof(c));
	flt = (struct vw_inventory_filter){ .vendor = "hikvision" };
	assert_int_equal(vw_inventory_list(inv, &flt, collect_dev, &c), 0);
	assert_int_equal(c.n, 2);
	assert_count(inv, &flt, 2);
	assert_memory_equal(c.macs[0], MAC_C, 6);
	assert_memory_equal(c.macs[1], MAC_D, 6);

	memset(&c, 0, sizeof(c));
	flt = (struct vw_inventory_filter){ .segment = "lan" };
	assert_int_equal(vw_inventory_list(inv, &flt, collect_dev, &c), 0);
	assert_int_equal(c.n, 3);
	assert_count(inv, &flt, 3);

	memset(&c, 0, sizeof(c));
	flt = (struct vw_inventory_filter){ .since = 200 };
	assert_int_equal(vw_inventory_list(inv, &flt, collect_dev, &c), 0);
	assert_int_equal(c.n, 3);
	assert_count(inv, &flt, 3);

	/* With a segment, since is about that segment: A was last on lan at
	 * 100 even though it was seen elsewhere at 400. */
	memset(&c, 0, sizeof(c));
	flt = (struct vw_inventory_filter){ .segment = "lan", .since = 150 };
	assert_int_equal(vw_inventory_list(inv, &flt, collect_dev, &c), 0);
	assert_int_equal(c.n, 1);
	assert_count(inv, &flt, 1);
	assert_memory_equal(c.macs[0], MAC_B, 6);

	memset(&c, 0, sizeof(c));
	flt = (struct vw_inventory_filter){ .vendor = "huawei", .segment = "cams" };
	assert_int_equal(vw_inventory_list(inv, &flt, collect_dev, &c), 0);
	assert_int_equal(c.n, 0);
	assert_count(inv, &flt, 0);

	/* The callback's non-zero return stops the walk and comes back. */
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	assert_int_equal(vw_inventory_list(inv, NULL, collect_dev, &c), 7);
	assert_int_equal(c.n, 2);
	vw_inventory_close(inv);
}

/* Counting 100,000 devices (the cap at open, the status line) reads a
 * whole index; its pages are not kept in the connection's cache after. */
static void test_count_keeps_no_cache(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory_limits lim = { .max_devices = 200000 };
	struct vw_inventory *inv = open_ok(f->path, NULL);
	size_t n = 0;

	vw_inventory_close(inv);
	raw_exec(f->path,
		 "WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 100000)"
		 " INSERT INTO device(mac, vendor, first_seen, last_seen) SELECT x, 'huawei', x, x FROM i");
	inv = open_ok(f->path, &lim);
	assert_in_range(sqlite3_memory_used(), 0, 512 * 1024);
	assert_int_equal(vw_inventory_count(inv, &n), 0);
	assert_int_equal(n, 100000);
	assert_in_range(sqlite3_memory_used(), 0, 512 * 1024);
	assert_int_equal(vw_inventory_count_matching(inv, &(struct vw_inventory_filter){
		.vendor = "huawei" }, &n), 0);
	assert_int_equal(n, 100000);
	assert_in_range(sqlite3_memory_used(), 0, 512 * 1024);
	vw_inventory_close(inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disputed_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_observe_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coalescing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses_evidence_decisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_decisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v1_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_keeps_no_cache, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
