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
	assert_int_equal(vw_overrides_load(&back, path), 0);   /* missing = empty */
	assert_int_equal(back.n, 0);
	assert_int_equal(vw_overrides_set(&o, "lan", VW_MODE_BLOCK, VW_MODE_MONITOR, 1700000000, 1000), 0);
	assert_int_equal(vw_overrides_set(&o, "cams", VW_MODE_OFF, VW_MODE_BLOCK, 5, 0), 0);
	assert_int_equal(vw_overrides_set(&o, "lan", VW_MODE_MONITOR, VW_MODE_MONITOR, 6, 0), 0);
	assert_int_equal(o.n, 2);
	assert_int_equal(vw_overrides_save(&o, path), 0);
	assert_int_equal(vw_overrides_load(&back, path), 0);
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
	assert_int_equal(vw_overrides_load(&back, path), 0);
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
	assert_int_equal(vw_overrides_load(&o, path), -EBADMSG);
	f = fopen(path, "w");
	fputs("not json at all", f);
	fclose(f);
	assert_int_equal(vw_overrides_load(&o, path), -EBADMSG);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_effective),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
