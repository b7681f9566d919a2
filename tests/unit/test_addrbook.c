// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/addrbook.c: MAC -> addresses from the neighbour table. */
#include <arpa/inet.h>
#include "unit.h"
#include <time.h>
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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void mac_of(uint32_t i, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	mac[2] = i >> 24;
	mac[3] = i >> 16;
	mac[4] = i >> 8;
	mac[5] = i;
}

/* Inserts, evictions and deletions in any order: every MAC the book should
 * hold is found with its address, every evicted one is gone, and the
 * eviction order is the update order. */
static void test_index_consistent(void **state)
{
	enum { MAX = 1000, N = 20000 };
	struct vw_addrbook ab;
	uint8_t mac[6];
	struct in_addr a;
	bool added;

	assert_int_equal(vw_addrbook_init(&ab, MAX), 0);
	for (uint32_t i = 0; i < N; i++) {
		/* Touch an older MAC now and then so update order != insert order. */
		uint32_t m = i % 7 == 3 && i > 500 ? i - 400 : i;

		mac_of(m, mac);
		a.s_addr = htonl(0x0a000000 | m);
		assert_int_equal(vw_addrbook_add(&ab, mac, AF_INET, &a, &added), 0);
	}
	assert_int_equal(ab.n, MAX);
	/* Exactly the MAX most recently updated MACs are there. */
	static bool want[N];
	size_t distinct = 0, found = 0;

	memset(want, 0, sizeof(want));
	for (uint32_t i = N; i-- > 0 && distinct < MAX;) {
		uint32_t m = i % 7 == 3 && i > 500 ? i - 400 : i;

		distinct += !want[m];
		want[m] = true;
	}
	for (uint32_t m = 0; m < N; m++) {
		const struct vw_addrbook_entry *e;

		mac_of(m, mac);
		e = vw_addrbook_get(&ab, mac);
		assert_int_equal(e != NULL, want[m]);
		if (!e)
			continue;
		found++;
		assert_memory_equal(e->mac, mac, 6);
		assert_int_equal(ntohl(e->v4[0].s_addr), 0x0a000000 | m);
	}
	assert_int_equal(found, MAX);
	mac_of(0, mac);
	assert_null(vw_addrbook_get(&ab, mac));
	vw_addrbook_free(&ab);
}

/* The index is kept up per insert, not rebuilt: an insert into a book of
 * 16k MACs costs about what one into a book of 1k costs (it was 268 us at
 * 16k, a rebuild per new MAC). */
static void test_insert_cost(void **state)
{
	enum { BATCH = 1000 };
	struct vw_addrbook ab;
	uint8_t mac[6];
	struct in_addr a = { htonl(0x0a000001) };
	uint64_t t_small = 0, t_large = 0, t0;
	bool added;

	assert_int_equal(vw_addrbook_init(&ab, 65536), 0);
	/* Batches between two doublings (the array grows at 1024, 2048, ...,
	 * 16384): what one insert costs, not the amortised growth. */
	for (uint32_t i = 0; i < 16384; i++) {
		mac_of(i, mac);
		t0 = now_ns();
		assert_int_equal(vw_addrbook_add(&ab, mac, AF_INET, &a, &added), 0);
		if (i >= 1024 && i < 1024 + BATCH)
			t_small += now_ns() - t0;
		else if (i >= 16384 - BATCH)
			t_large += now_ns() - t0;
	}
	/* And a full book: each insert evicts. */
	vw_addrbook_free(&ab);
	assert_int_equal(vw_addrbook_init(&ab, 16384), 0);
	for (uint32_t i = 0; i < 16384; i++) {
		mac_of(i, mac);
		assert_int_equal(vw_addrbook_add(&ab, mac, AF_INET, &a, &added), 0);
	}
	uint64_t t_full = now_ns();

	for (uint32_t i = 16384; i < 16384 + BATCH; i++) {
		mac_of(i, mac);
		assert_int_equal(vw_addrbook_add(&ab, mac, AF_INET, &a, &added), 0);
	}
	t_full = now_ns() - t_full;
	print_message("addrbook insert: %.2f us at 1k MACs, %.2f us at 15-16k, %.2f us at 16k full (evicting)\n",
		      t_small / 1000.0 / BATCH, t_large / 1000.0 / BATCH, t_full / 1000.0 / BATCH);
	/* Generous for a loaded machine; a rebuild per insert is 16x. */
	assert_true(t_large < 6 * t_small + 2000000);
	assert_true(t_full / BATCH < 20000);   /* < 20 us each (was 268 us) */
	vw_addrbook_free(&ab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_format_del),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_index_consistent),
		cmocka_unit_test(test_insert_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
