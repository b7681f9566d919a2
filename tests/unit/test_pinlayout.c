// SPDX-License-Identifier: GPL-2.0-only
/* The layout record of a pin set (daemon/lib/pinlayout.c): what a later
 * daemon accepts as a description of older pins, and what it refuses. */
#include "unit.h"
#include "pinlayout.h"
#include "vendorwall.h"

static void record(struct vw_layout_meta *m, __u32 version, const char *names, size_t len,
		   __u32 n)
{
	memset(m, 0, sizeof(*m));
	m->magic = VW_LAYOUT_MAGIC;
	m->version = version;
	m->n_counters = n;
	memcpy(m->counters, names, len);
}

static void test_meta_good(void **state)
{
	static const char names[] = "benign\0drop\0capped";
	struct vw_layout_meta m;
	const char *got[8];
	unsigned int n = 0;

	record(&m, 2, names, sizeof(names), 3);
	assert_int_equal(vw_layout_meta_parse(&m, sizeof(m), got, 8, &n), 2);
	assert_int_equal(n, 3);
	assert_string_equal(got[0], "benign");
	assert_string_equal(got[1], "drop");
	assert_string_equal(got[2], "capped");
	/* A later layout may have a larger record: its head is all we read. */
	record(&m, 7, names, sizeof(names), 2);
	assert_int_equal(vw_layout_meta_parse(&m, sizeof(m), got, 8, &n), 7);
	assert_int_equal(n, 2);
}

static void test_meta_bad(void **state)
{
	static const char names[] = "benign\0drop";
	struct vw_layout_meta m;
	const char *got[8];
	unsigned int n = 0;

	record(&m, 2, names, sizeof(names), 2);
	m.magic ^= 1;
	assert_int_equal(vw_layout_meta_parse(&m, sizeof(m), got, 8, &n), -EPROTO);
	record(&m, 1, names, sizeof(names), 2);   /* layout 1 never had a record */
	assert_int_equal(vw_layout_meta_parse(&m, sizeof(m), got, 8, &n), -EPROTO);
	record(&m, 2, names, sizeof(names), 3);   /* more names promised than given */
	assert_int_equal(vw_layout_meta_parse(&m, sizeof(m), got, 8, &n), -EPROTO);
	record(&m, 2, names, sizeof(names), 2);   /* more names than the caller can hold */
	assert_int_equal(vw_layout_meta_parse(&m, sizeof(m), got, 1, &n), -EPROTO);
	record(&m, 2, names, sizeof(names), 2);   /* cut inside the header */
	assert_int_equal(vw_layout_meta_parse(&m, 8, got, 8, &n), -EPROTO);
	memset(m.counters, 'x', sizeof(m.counters));   /* no terminator anywhere */
	assert_int_equal(vw_layout_meta_parse(&m, sizeof(m), got, 8, &n), -EPROTO);
}

static void test_meta_names_fit(void **state)
{
	size_t len = 0;

	/* This layout's names must fit its own record. */
	for (unsigned int i = 0; i < VW_CTR_MAX; i++)
		len += strlen(vw_counter_name(i)) + 1;
	assert_true(len <= VW_LAYOUT_NAMES_BYTES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta_good),
		cmocka_unit_test(test_meta_bad),
		cmocka_unit_test(test_meta_names_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
