// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life of an IP verdict against the real data plane (a private mount
 * namespace with its own bpffs): evidence writes it to vw_ip, a DHCP ACK
 * for the same client re-confirms it, an ACK giving the address to another
 * client drops it at once (a stale verdict never blocks the next holder),
 * evidence older than its lease or IpVerdictMaxAge= expires and new
 * evidence re-confirms it; routers are learned from the neighbour table
 * and marked VW_DEV_ROUTER.
 */
#include "unit.h"
#include <arpa/inet.h>
#include <sched.h>
#include <sys/mount.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath.h"
#include "ipverdicts.h"
#include "state.h"

#define BPFFS "/run/vw-test-ipv"

static const char *skip_why;
static const uint8_t CAM[6] = { 0x44, 0x19, 0xb6, 0, 0, 0x11 };
static const uint8_t NEXT[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x99 };
static const uint8_t RT[6] = { 0x00, 0x1b, 0x21, 0xaa, 0, 1 };

struct fx {
	struct daemon d;
	struct vw_state st;
	uint8_t ip[16];
};

static int setup_ns(void **state)
{
	if (geteuid() != 0) {
		skip_why = "needs root (bpffs, BPF)";
		print_message("# every test skipped: %s\n", skip_why);
		return 0;
	}
	assert_int_equal(unshare(CLONE_NEWNS), 0);
	assert_int_equal(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	assert_int_equal(mount("vw-ipv-run", "/run", "tmpfs", 0, "mode=0755,size=4m"), 0);
	assert_int_equal(mkdir(BPFFS, 0700), 0);
	assert_int_equal(mount("bpf", BPFFS, "bpf", 0, "mode=0700"), 0);
	return 0;
}

static int setup(void **state)
{
	static int n;
	struct fx *f = calloc(1, sizeof(*f));
	char root[128];

	assert_non_null(f);
	*state = f;
	if (skip_why)
		return 0;
	snprintf(root, sizeof(root), BPFFS "/t%d/vendorwall", ++n);
	assert_int_equal(vw_datapath_open(&f->d.dp, root), 0);
	f->st.conf.ip_verdict_max_age_s = 3600;
	f->st.conf.router_learn_threshold = 3;
	f->d.st = &f->st;
	assert_int_equal(vwd_ipv_init(&f->d), 0);
	assert_int_equal(inet_pton(AF_INET, "10.9.0.11", f->ip), 1);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vwd_ipv_free(&f->d);
	if (f->d.dp) {
		vw_datapath_unpin_all(f->d.dp);
		vw_datapath_close(f->d.dp);
	}
	free(f);
	return 0;
}

#define NEED_ROOT() do { if (skip_why) skip(); } while (0)

/* The flags vw_ip holds for f's address, 0 when there is no entry. */
static uint32_t ip_flags(struct fx *f)
{
	struct vw_ip_key *keys = NULL;
	size_t n = 0;
	bool found = false;

	assert_int_equal(vw_datapath_list_ips(f->d.dp, &keys, &n), 0);
	for (size_t i = 0; i < n; i++)
		found |= keys[i].family == 4 && !memcmp(keys[i].addr, f->ip, 4);
	free(keys);
	return found ? VW_DEV_RESTRICTED : 0;
}

static uint64_t us_ago(time_t s)
{
	return (uint64_t)(time(NULL) - s) * 1000000u;
}

/* Returns 1 when the address has just become restricted, 0 when it
 * already was (vwd_ipv_observe_evidence's contract: said once). */
static int observe(struct fx *f, uint32_t lease_s, uint64_t now_us)
{
	int r;

	struct vwd_ipv_evidence ev = {
		.restricted = true, .vendor = 3, .text = "dhcp option60=HIKVISION",
		.has_mac = true, .lease_s = lease_s, .has_via = true,
	};

	memcpy(ev.mac, CAM, 6);
	memcpy(ev.via, RT, 6);
	r = vwd_ipv_observe_evidence(&f->d, AF_INET, f->ip, &ev, now_us);
	assert_in_range(r, 0, 1);
	return r;
}

static void test_ack_to_same_client_keeps_it(void **state)
{
	struct fx *f = *state;

	NEED_ROOT();
	assert_int_equal(observe(f, 3600, us_ago(0)), 1);
	assert_int_equal(ip_flags(f), VW_DEV_RESTRICTED);
	assert_int_equal(observe(f, 3600, us_ago(0)), 0);    /* re-confirmed, not new */
	assert_int_equal(vwd_ipv_lease(&f->d, AF_INET, f->ip, CAM, 3600, us_ago(0)), 0);
	vwd_ipv_tick(&f->d);
	assert_int_equal(ip_flags(f), VW_DEV_RESTRICTED);
}

static void test_ack_to_next_holder_drops_it(void **state)
{
	struct fx *f = *state;

	NEED_ROOT();
	observe(f, 3600, us_ago(0));
	assert_int_equal(ip_flags(f), VW_DEV_RESTRICTED);
	assert_int_equal(vwd_ipv_lease(&f->d, AF_INET, f->ip, NEXT, 3600, us_ago(0)), 0);
	assert_int_equal(ip_flags(f), 0);
	/* And nothing brings it back but new evidence. */
	vwd_ipv_tick(&f->d);
	assert_int_equal(ip_flags(f), 0);
}

/* A benign report about the address (the next holder's renewal, ciaddr
 * set) before its ACK must not make that client the holder: its ACK
 * would pass for a renewal and keep the stale verdict. */
static void test_benign_report_does_not_take_the_holder(void **state)
{
	struct fx *f = *state;
	struct vwd_ipv_evidence benign = { .restricted = false, .has_mac = true };

	NEED_ROOT();
	observe(f, 3600, us_ago(0));
	memcpy(benign.mac, NEXT, 6);
	assert_int_equal(vwd_ipv_observe_evidence(&f->d, AF_INET, f->ip, &benign, us_ago(0)), 0);
	assert_int_equal(ip_flags(f), VW_DEV_RESTRICTED);
	assert_int_equal(vwd_ipv_lease(&f->d, AF_INET, f->ip, NEXT, 3600, us_ago(0)), 0);
	assert_int_equal(ip_flags(f), 0);
}

static void test_expires_with_lease(void **state)
{
	struct fx *f = *state;

	NEED_ROOT();
	observe(f, 60, us_ago(120));          /* a 60 s lease, 2 minutes ago */
	vwd_ipv_tick(&f->d);
	assert_int_equal(ip_flags(f), 0);
}

static void test_expires_with_max_age_and_is_reconfirmed(void **state)
{
	struct fx *f = *state;

	NEED_ROOT();
	f->st.conf.ip_verdict_max_age_s = 60;
	observe(f, 0, us_ago(120));           /* lease unknown: max age decides */
	vwd_ipv_tick(&f->d);
	assert_int_equal(ip_flags(f), 0);
	/* New evidence after it expired: restricted again, and said again. */
	assert_int_equal(observe(f, 0, us_ago(30)), 1);
	vwd_ipv_tick(&f->d);
	assert_int_equal(ip_flags(f), VW_DEV_RESTRICTED);
	observe(f, 7200, us_ago(90));         /* a long lease does not outlive the max age */
	vwd_ipv_tick(&f->d);
	assert_int_equal(ip_flags(f), 0);
}

static void test_router_learned(void **state)
{
	struct fx *f = *state;
	struct vw_device_entry *devs = NULL;
	size_t n = 0;
	uint32_t flags = 0;
	uint8_t a[4] = { 10, 9, 0, 1 };

	NEED_ROOT();
	for (int i = 0; i < 2; i++) {
		a[3] = (uint8_t)(i + 1);
		vwd_ipv_neigh(&f->d, false, RT, AF_INET, a);
		vwd_ipv_neigh(&f->d, false, RT, AF_INET, a);    /* the same address again */
	}
	assert_false(vwd_is_router(&f->d, RT));
	a[3] = 3;
	vwd_ipv_neigh(&f->d, false, RT, AF_INET, a);
	assert_true(vwd_is_router(&f->d, RT));
	assert_false(vwd_is_router(&f->d, CAM));
	assert_int_equal(vw_datapath_list_devices(f->d.dp, &devs, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (!memcmp(devs[i].mac, RT, 6))
			flags = devs[i].flags;
	free(devs);
	assert_int_equal(flags, VW_DEV_ROUTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ack_to_same_client_keeps_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_benign_report_does_not_take_the_holder, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ack_to_next_holder_drops_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expires_with_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expires_with_max_age_and_is_reconfirmed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_router_learned, setup, teardown),
	};

	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
