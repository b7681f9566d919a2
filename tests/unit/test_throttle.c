// SPDX-License-Identifier: GPL-2.0-only
/*
 * The work a ring wakeup may do (daemon/vendorwalld/throttle.c): a batch
 * ends after its count of records or once its time is up, whichever
 * comes first, and outside a batch nothing is bounded. A batch ended by
 * its bound means a backlog (flooded) for VWD_FLOODED_USEC.
 */
#include "unit.h"

#include <errno.h>

#include "vwd.h"

static struct daemon d;

static void test_count_bound(void **unused)
{
	vwd_batch_begin(&d, 3);
	assert_int_equal(vwd_batch_done(&d), 0);
	assert_int_equal(vwd_batch_done(&d), 0);
	assert_int_equal(vwd_batch_done(&d), -EAGAIN);
	vwd_batch_end(&d);
}

static void test_time_bound(void **unused)
{
	vwd_batch_begin(&d, 64);
	assert_int_equal(vwd_batch_done(&d), 0);
	/* The deadline passes with records left: the batch ends at once. */
	d.throttle.batch_end_usec = 1;
	assert_int_equal(vwd_batch_done(&d), -EAGAIN);
	vwd_batch_end(&d);
}

static void test_unbounded_outside_a_batch(void **unused)
{
	vwd_batch_begin(&d, 1);
	assert_int_equal(vwd_batch_done(&d), -EAGAIN);
	/* After the last record (and after the batch), callers are not bounded. */
	assert_int_equal(vwd_batch_done(&d), 0);
	vwd_batch_end(&d);
	d.throttle.batch_end_usec = 1;
	for (int i = 0; i < 100; i++)
		assert_int_equal(vwd_batch_done(&d), 0);
}

static void test_flooded_after_a_bounded_batch(void **unused)
{
	d = (struct daemon){0};
	assert_false(vwd_flooded(&d));
	vwd_batch_begin(&d, 1);
	assert_int_equal(vwd_batch_done(&d), -EAGAIN);
	vwd_batch_end(&d);
	assert_true(vwd_flooded(&d));
	d.throttle.bounded_usec -= VWD_FLOODED_USEC;
	assert_false(vwd_flooded(&d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_bound),
		cmocka_unit_test(test_time_bound),
		cmocka_unit_test(test_unbounded_outside_a_batch),
		cmocka_unit_test(test_flooded_after_a_bounded_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
