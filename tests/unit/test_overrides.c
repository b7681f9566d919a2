// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/overrides.c: operator mode overrides on disk. */
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
		cmocka_unit_test(test_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
