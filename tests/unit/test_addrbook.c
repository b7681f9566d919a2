// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/addrbook.c: MAC -> addresses from the neighbour table. */
#include <arpa/inet.h>
#include "unit.h"
#include "addrbook.h"

static const uint8_t mac1[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03 };
static const uint8_t mac2[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };

static void add4(struct vw_addrbook *ab, const uint8_t *mac, const char *s, bool want_added)
{
	struct in_addr a;
	bool added;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	assert_int_equal(vw_addrbook_add(ab, mac, AF_INET, &a, &added), 0);
	assert_int_equal(added, want_added);
}

static void test_add_format_del(void **state)
{
	struct vw_addrbook ab;
	struct in6_addr a6;
	struct in_addr a4;
	char buf[256];
	bool added;

	vw_addrbook_init(&ab, 0);
	add4(&ab, mac1, "192.0.2.5", true);
	add4(&ab, mac1, "192.0.2.5", false);
	add4(&ab, mac1, "192.0.2.6", true);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::5", &a6), 1);
	assert_int_equal(vw_addrbook_add(&ab, mac1, AF_INET6, &a6, &added), 0);
	assert_true(added);
	vw_addrbook_format(vw_addrbook_get(&ab, mac1), AF_INET, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.5,192.0.2.6");
	vw_addrbook_format(vw_addrbook_get(&ab, mac1), AF_INET6, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::5");
	assert_null(vw_addrbook_get(&ab, mac2));
	vw_addrbook_format(NULL, AF_INET, buf, sizeof(buf));
	assert_string_equal(buf, "");
	inet_pton(AF_INET, "192.0.2.5", &a4);
	assert_int_equal(vw_addrbook_del(&ab, mac1, AF_INET, &a4), 0);
	assert_int_equal(vw_addrbook_del(&ab, mac1, AF_INET, &a4), -ENOENT);
	vw_addrbook_format(vw_addrbook_get(&ab, mac1), AF_INET, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.6");
	assert_int_equal(vw_addrbook_add(&ab, mac1, AF_PACKET, &a4, &added), -EAFNOSUPPORT);
	vw_addrbook_free(&ab);
}

static void test_bounds(void **state)
{
	struct vw_addrbook ab;
	uint8_t mac[6] = { 0x00, 0xe0, 0xfc, 0, 0, 0 };
	char buf[256], ip[32];

	vw_addrbook_init(&ab, 3);
	/* Per MAC: the oldest address makes room. */
	for (int i = 1; i <= VW_ADDRBOOK_PER_MAC + 2; i++) {
		snprintf(ip, sizeof(ip), "192.0.2.%d", i);
		add4(&ab, mac1, ip, true);
	}
	vw_addrbook_format(vw_addrbook_get(&ab, mac1), AF_INET, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.3,192.0.2.4,192.0.2.5,192.0.2.6");
	/* Per book: the least recently updated MAC goes. */
	for (int i = 1; i <= 3; i++) {
		mac[5] = i;
		add4(&ab, mac, "198.51.100.1", true);
	}
	assert_int_equal(ab.n, 3);
	assert_null(vw_addrbook_get(&ab, mac1));
	mac[5] = 3;
	assert_non_null(vw_addrbook_get(&ab, mac));
	vw_addrbook_free(&ab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_format_del),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
