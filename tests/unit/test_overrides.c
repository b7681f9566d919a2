// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/overrides.c: operator mode overrides on disk. */
#include "unit.h"
#include "overrides.h"
#include "vendorwall.h"

static void test_roundtrip(void **state)
{
	struct vw_overrides o = {0}, back;
	char *dir = tmpdir_new();
	char path[512];

	snprintf(path, sizeof(path), "%s/modes.json", dir);
	assert_int_equal(vw_overrides_load(&back, path, NULL), 0);   /* missing = empty */
	assert_int_equal(back.n, 0);
	assert_int_equal(vw_overrides_set(&o, "lan", VW_MODE_BLOCK, VW_MODE_MONITOR, 1700000000, 1000), 0);
	assert_int_equal(vw_overrides_set(&o, "cams", VW_MODE_OFF, VW_MODE_BLOCK, 5, 0), 0);
	assert_int_equal(vw_overrides_set(&o, "lan", VW_MODE_MONITOR, VW_MODE_MONITOR, 6, 0), 0);
	assert_int_equal(o.n, 2);
	assert_int_equal(vw_overrides_save(&o, path), 0);
	assert_int_equal(vw_overrides_load(&back, path, NULL), 0);
	assert_int_equal(back.n, 2);
	assert_int_equal(vw_overrides_get(&back, "lan")->mode, VW_MODE_MONITOR);
	assert_int_equal(vw_overrides_get(&back, "cams")->configured, VW_MODE_BLOCK);
	assert_int_equal(vw_overrides_get(&back, "cams")->since, 5);
	vw_overrides_remove(&back, "cams");
	assert_null(vw_overrides_get(&back, "cams"));
	vw_overrides_free(&o);
	vw_overrides_free(&back);
	rm_rf(dir);
}

/* A save that fails leaves the previous file whole (and no temporary). */
static void test_failed_save_keeps_file(void **state)
{
	struct vw_overrides o = {0}, back;
	char *dir = tmpdir_new();
	char path[512], tmp[600];

	snprintf(path, sizeof(path), "%s/operator.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(vw_overrides_set(&o, "lan", VW_MODE_BLOCK, VW_MODE_MONITOR, 1, 0), 0);
	assert_int_equal(vw_overrides_save(&o, path), 0);
	/* The temporary's name taken by a directory: open() fails. */
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_int_equal(vw_overrides_set(&o, "lan", VW_MODE_OFF, VW_MODE_MONITOR, 2, 0), 0);
	assert_int_equal(vw_overrides_save(&o, path), -EISDIR);
	assert_int_equal(vw_overrides_load(&back, path, NULL), 0);
	assert_int_equal(vw_overrides_get(&back, "lan")->mode, VW_MODE_BLOCK);
	vw_overrides_free(&back);
	vw_overrides_free(&o);
	rm_rf(dir);
}

static void test_decisions(void **state)
{
	struct vw_overrides o = {0}, back;
	struct vw_mac_decision w = { .mac = { 0x00, 0xe0, 0xfc, 1, 2, 3 }, .until = 1800000000,
				     .reason = "legacy PBX", .ticket = "CHG-1", .since = 7, .uid = 1000 };
	struct vw_mac_decision q = { .mac = { 0x02, 0, 0, 0, 0, 9 }, .reason = "rogue" };
	char *dir = tmpdir_new();
	char path[512];

	snprintf(path, sizeof(path), "%s/operator.json", dir);
	assert_int_equal(vw_overrides_put(&o.waivers, &o.n_waivers, &w), 0);
	w.reason = "replaced";
	assert_int_equal(vw_overrides_put(&o.waivers, &o.n_waivers, &w), 0);
	assert_int_equal(o.n_waivers, 1);
	assert_int_equal(vw_overrides_put(&o.quarantines, &o.n_quarantines, &q), 0);
	assert_int_equal(vw_overrides_save(&o, path), 0);
	assert_int_equal(vw_overrides_load(&back, path, NULL), 0);
	assert_int_equal(back.n_waivers, 1);
	assert_string_equal(back.waivers[0].reason, "replaced");
	assert_string_equal(back.waivers[0].ticket, "CHG-1");
	assert_int_equal(back.waivers[0].until, 1800000000);
	assert_int_equal(back.waivers[0].uid, 1000);
	assert_memory_equal(back.quarantines[0].mac, q.mac, 6);
	assert_null(back.quarantines[0].ticket);
	assert_int_equal(vw_overrides_drop(back.quarantines, &back.n_quarantines, q.mac), 0);
	assert_int_equal(vw_overrides_drop(back.quarantines, &back.n_quarantines, q.mac), -ENOENT);
	vw_overrides_free(&o);
	vw_overrides_free(&back);
	rm_rf(dir);
}

static void test_effective(void **state)
{
	struct vw_overrides o = {0};

	assert_int_equal(vw_overrides_effective(&o, "lan", VW_MODE_MONITOR), VW_MODE_MONITOR);
	assert_int_equal(vw_overrides_set(&o, "lan", VW_MODE_BLOCK, VW_MODE_MONITOR, 1, 0), 0);
	/* The override holds while the configuration is unchanged ... */
	assert_int_equal(vw_overrides_effective(&o, "lan", VW_MODE_MONITOR), VW_MODE_BLOCK);
	/* ... and an edited configuration is the newer decision. */
	assert_int_equal(vw_overrides_effective(&o, "lan", VW_MODE_OFF), VW_MODE_OFF);
	vw_overrides_free(&o);
}

static void test_corrupt(void **state)
{
	struct vw_overrides o;
	char *dir = tmpdir_new();
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/modes.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"modes\": {\"lan\": {\"mode\": \"sideways\", \"configured\": \"block\"}}}", f);
	fclose(f);
	assert_int_equal(vw_overrides_load(&o, path, NULL), -EBADMSG);
	f = fopen(path, "w");
	fputs("not json at all", f);
	fclose(f);
	assert_int_equal(vw_overrides_load(&o, path, NULL), -EBADMSG);
	rm_rf(dir);
}

/* Type confusion in a damaged operator.json: an error naming the file and
 * the entry, never a crash and never a half-loaded set. */
static int dir_setup(void **state)
{
	*state = tmpdir_new();
	return 0;
}

/* Runs after a failed assertion too: nothing is left in /tmp. */
static int dir_teardown(void **state)
{
	rm_rf(*state);
	return 0;
}

static void test_types(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "{\"modes\": {}, \"waivers\": [{\"mac\": null}]}",
		  "waivers[0].mac: expected a string, got null" },
		{ "{\"modes\": {}, \"quarantines\": [{\"mac\": \"02:00:00:00:00:01\"}, {\"mac\": 7}]}",
		  "quarantines[1].mac: expected a string, got int" },
		{ "{\"modes\": {}, \"waivers\": [{\"reason\": \"x\"}]}",
		  "waivers[0].mac: required" },
		{ "{\"modes\": {}, \"waivers\": [{\"mac\": \"00:e0:fc:zz:00:01\"}]}",
		  "waivers[0].mac: \"00:e0:fc:zz:00:01\" is not a MAC address" },
		{ "{\"modes\": {}, \"waivers\": [null]}",
		  "waivers[0]: expected an object, got null" },
		{ "{\"modes\": {}, \"waivers\": {\"mac\": \"00:e0:fc:00:00:01\"}}",
		  "waivers: expected an array, got object" },
		{ "{\"modes\": {}, \"waivers\": [{\"mac\": \"00:e0:fc:00:00:01\", \"until\": \"soon\"}]}",
		  "waivers[0].until: expected an integer, got string" },
		{ "{\"modes\": {}, \"waivers\": [{\"mac\": \"00:e0:fc:00:00:01\", \"uid\": -1}]}",
		  "waivers[0].uid: -1 out of range" },
		{ "{\"modes\": {}, \"waivers\": [{\"mac\": \"00:e0:fc:00:00:01\", \"reason\": 5}]}",
		  "waivers[0].reason: expected a string, got int" },
		{ "{\"modes\": {}, \"quarantines\": [{\"mac\": \"00:e0:fc:00:00:01\", \"ticket\": null}]}",
		  "quarantines[0].ticket: expected a string, got null" },
		{ "{\"modes\": {\"lan\": null}}", "modes.lan: expected an object, got null" },
		{ "{\"modes\": {\"lan\": {\"mode\": null, \"configured\": \"block\"}}}",
		  "modes.lan.mode: expected a string, got null" },
		{ "{\"modes\": {\"lan\": {\"mode\": \"block\"}}}", "modes.lan.configured: required" },
		{ "{\"modes\": {\"lan\": {\"mode\": \"block\", \"configured\": \"x\"}}}",
		  "modes.lan.configured: \"x\" is not off, monitor or block" },
		{ "{\"modes\": {\"lan\": {\"mode\": \"off\", \"configured\": \"block\", \"since\": 1.5}}}",
		  "modes.lan.since: expected an integer, got double" },
		{ "{\"modes\": []}", "modes: expected an object, got array" },
		{ "{\"waivers\": []}", "modes: required" },
		{ "[]", "top level: expected an object, got array" },
		{ "null", "top level: expected an object, got null" },
		{ "{\"modes\": {}} {}", "not a JSON document (trailing data after the value)" },
		{ "{\"modes\": {", "not a JSON document (unexpected end of data)" },
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		  "not a JSON document (nesting too deep)" },
	};
	const char *dir = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vw_diag diag = {0};
		struct vw_overrides o;
		char *path = write_file(dir, "operator.json", cases[i].json);

		assert_int_equal(vw_overrides_load(&o, path, &diag), -EBADMSG);
		assert_diag_has(&diag, "%s: %s", path, cases[i].msg);
		assert_int_equal(diag.n, 1);
		/* nothing half-loaded */
		assert_int_equal(o.n + o.n_waivers + o.n_quarantines, 0);
		assert_null(o.v);
		assert_null(o.waivers);
		assert_null(o.quarantines);
		vw_diag_free(&diag);
		/* and without a diag, the same refusal */
		assert_int_equal(vw_overrides_parse(&o, cases[i].json, strlen(cases[i].json), NULL, NULL),
				 -EBADMSG);
		free(path);
	}
}

/* What the loader accepts besides its own output: absent optional members,
 * other MAC spellings, whitespace around the document. */
static void test_lenient(void **state)
{
	static const char json[] =
		"\n {\"modes\": {\"lan\": {\"mode\": \"block\", \"configured\": \"monitor\"}},\n"
		"  \"waivers\": [{\"mac\": \"00-E0-FC-01-02-03\", \"uid\": 4294967295}],\n"
		"  \"quarantines\": [{\"mac\": \"0200.0000.0009\", \"reason\": \"rogue\"}]}\n\n";
	static const uint8_t w[6] = { 0x00, 0xe0, 0xfc, 1, 2, 3 }, q[6] = { 2, 0, 0, 0, 0, 9 };
	struct vw_diag diag = {0};
	struct vw_overrides o;

	assert_int_equal(vw_overrides_parse(&o, json, strlen(json), "mem", &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(vw_overrides_get(&o, "lan")->mode, VW_MODE_BLOCK);
	assert_int_equal(vw_overrides_get(&o, "lan")->since, 0);
	assert_int_equal(o.n_waivers, 1);
	assert_memory_equal(o.waivers[0].mac, w, 6);
	assert_int_equal(o.waivers[0].uid, UINT32_MAX);
	assert_null(o.waivers[0].reason);
	assert_memory_equal(o.quarantines[0].mac, q, 6);
	assert_string_equal(o.quarantines[0].reason, "rogue");
	vw_overrides_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_failed_save_keeps_file),
		cmocka_unit_test(test_effective),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test_setup_teardown(test_types, dir_setup, dir_teardown),
		cmocka_unit_test(test_lenient),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
