// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device counts of status (daemon/vendorwalld/status.c), from a real
 * inventory: computed on every call while the daemon is quiet; under
 * flood (a ring batch ended by its bound, throttle.c) a count of the same
 * segment up to VWD_FLOODED_USEC old is reused instead of a walk of the
 * inventory, and computed again once it is older or the flood is over.
 */
#include "unit.h"

#include <errno.h>
#include <limits.h>

#include "vwd.h"

static void seen(struct daemon *d, uint8_t last, const char *segment)
{
	const uint8_t mac[6] = { 0x00, 0xe0, 0xfc, 0x00, 0x00, last };

	assert_int_equal(vw_inventory_observe(d->inv, mac, "huawei", segment, "restricted",
					      "would-drop", 1000 + last, NULL, NULL), 0);
}

static void flood(struct daemon *d)
{
	vwd_batch_begin(d, 1);
	assert_int_equal(vwd_batch_done(d), -EAGAIN);
	vwd_batch_end(d);
	assert_true(vwd_flooded(d));
}

static void test_counts_reused_only_under_flood(void **unused)
{
	char *dir = tmpdir_new(), path[PATH_MAX];
	struct seg_rt edge = { .name = "edge", .slot = 3 }, lan = { .name = "lan", .slot = 3 };
	struct daemon d = {0};

	snprintf(path, sizeof(path), "%s/inventory.db", dir);
	assert_int_equal(vw_inventory_open(&d.inv, path, NULL), 0);
	seen(&d, 1, "edge");
	assert_int_equal(vwd_status_devices(&d, &edge), 1);
	/* Quiet: every count is computed anew. */
	seen(&d, 2, "edge");
	assert_int_equal(vwd_status_devices(&d, &edge), 2);
	assert_int_equal(vwd_status_devices(&d, NULL), 2);
	/* Flooded: the counts just computed are reused, by segment. */
	flood(&d);
	seen(&d, 3, "edge");
	assert_int_equal(vwd_status_devices(&d, &edge), 2);
	assert_int_equal(vwd_status_devices(&d, NULL), 2);
	/* Another segment in that slot (a reload) is counted, and replaces it. */
	assert_int_equal(vwd_status_devices(&d, &lan), 0);
	assert_int_equal(vwd_status_devices(&d, &edge), 3);
	/* A count as old as the flood window is not reused. */
	d.counts.by_slot[VW_MAX_SEGMENTS].at_usec -= VWD_FLOODED_USEC;
	assert_int_equal(vwd_status_devices(&d, NULL), 3);
	/* The flood is over: not reused either. */
	seen(&d, 4, "edge");
	d.throttle.bounded_usec -= VWD_FLOODED_USEC;
	assert_false(vwd_flooded(&d));
	assert_int_equal(vwd_status_devices(&d, &edge), 4);
	assert_int_equal(vwd_status_devices(&d, NULL), 4);
	/* Without an inventory: 0, nothing reused. */
	vw_inventory_close(d.inv);
	d.inv = NULL;
	assert_int_equal(vwd_status_devices(&d, NULL), 0);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_reused_only_under_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
