// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/datapath.c against the real BPF object in this
 * kernel: open (pins, lock, not-bpffs), every map write read back through
 * the pinned maps, the OUI words and prefix maps after a policy load and a
 * smaller reload, device verdict bits, counters and events through
 * BPF_PROG_TEST_RUN of the attached programs, and adoption of an earlier
 * run's maps and XDP link. Runs in its own mount namespace (a private /run
 * with its own bpffs) and network namespace (a veth pair), so nothing is
 * left behind whatever happens. Needs root. */
#include "unit.h"
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "datapath.h"
#include "progpin.h"

#define BPFFS      "/run/vw-test-bpf"
#define IFNAME     "vwdp0"
#define IFINDEX_LO 1
#define TC_HANDLE  0x7677   /* the filter identity datapath.c documents */

static const char *skip_why;   /* every test is skipped when set */
static int veth_ifindex;

static const char *const map_names[] = {
	"vw_oui", "vw_oui_vendor", "vw_prefix", "vw_device", "vw_iface", "vw_iface_big",
	"vw_vlan", "vw_segment", "vw_counters", "vw_if_benign", "vw_config", "vw_alerted", "vw_cap",
	"vw_alert_cache", "vw_sample_rl", "vw_budget", "vw_budget_denied", "vw_cap_blocked",
	"vw_events", "vw_samples", "vw_ip",
};

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	fputs("# ", stderr);
	return vfprintf(stderr, fmt, ap);
}

static int setup_ns(void **state)
{
	if (geteuid() != 0) {
		skip_why = "needs root (bpffs, BPF, network namespace)";
		print_message("# every test skipped: %s\n", skip_why);
		return 0;
	}
	libbpf_set_print(quiet_libbpf);
	/* Our mount and network namespaces only: the bpffs, the pins and the
	 * veth pair go away with this process. */
	assert_int_equal(unshare(CLONE_NEWNS | CLONE_NEWNET), 0);
	assert_int_equal(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	assert_int_equal(mount("vw-dp-run", "/run", "tmpfs", 0, "mode=0755,size=4m"), 0);
	assert_int_equal(mkdir(BPFFS, 0700), 0);
	assert_int_equal(mount("bpf", BPFFS, "bpf", 0, "mode=0700"), 0);
	assert_int_equal(system("ip link add " IFNAME " type veth peer name vwdp1 && "
				"ip link set " IFNAME " up && ip link set vwdp1 up"), 0);
	veth_ifindex = (int)if_nametoindex(IFNAME);
	assert_true(veth_ifindex > 0);
	return 0;
}

/* ---- fixture: one bpf_root per test ------------------------------------- */

struct fx {
	char root[128];
	struct vw_datapath *dp;
	bool attached;       /* to the veth: detach on teardown */
};

static int setup(void **state)
{
	static int n;
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), BPFFS "/t%d/vendorwall", ++n);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[256];

	if (f->dp) {
		if (f->attached)
			vw_datapath_detach(f->dp, veth_ifindex);
		vw_datapath_unpin_all(f->dp);
		vw_datapath_close(f->dp);
	}
	/* whatever a failed test left: bpffs allows unlink and rmdir */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	if (!skip_why && system(cmd) != 0)
		print_error("cannot remove %s\n", f->root);
	free(f);
	return 0;
}

#define NEED_ROOT() do { if (skip_why) skip(); } while (0)

static void open_ok(struct fx *f)
{
	assert_int_equal(vw_datapath_open(&f->dp, f->root), 0);
	assert_non_null(f->dp);
}

/* A pinned map of f's root, as another process would see it. */
static int map_fd(const struct fx *f, const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/maps/%s", f->root, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	return fd;
}

static size_t map_count(const struct fx *f, const char *name, size_t key_size)
{
	int fd = map_fd(f, name);
	char key[16], next[16];
	void *prev = NULL;
	size_t n = 0;

	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(key, next, key_size);
		prev = key;
		n++;
	}
	close(fd);
	return n;
}

static void lookup(const struct fx *f, const char *name, const void *key, void *val)
{
	int fd = map_fd(f, name);

	if (bpf_map_lookup_elem(fd, key, val) < 0)
		fail_msg("%s: lookup: %s", name, strerror(errno));
	close(fd);
}

static bool has_key(const struct fx *f, const char *name, const void *key, void *val)
{
	int fd = map_fd(f, name);
	bool found = bpf_map_lookup_elem(fd, key, val) == 0;

	close(fd);
	return found;
}

/* The two table bits of one OUI, read from the pinned bitmap. */
static unsigned oui_bits(const struct fx *f, uint32_t oui)
{
	uint32_t key = vw_oui_word(oui);
	uint64_t word;

	lookup(f, "vw_oui", &key, &word);
	return vw_oui_bits(word, oui);
}

/* Words of the bitmap that are not zero (a stray bit shows here). */
static size_t oui_nonzero_words(const struct fx *f)
{
	size_t len = (size_t)VW_OUI_WORDS * sizeof(uint64_t), n = 0;
	int fd = map_fd(f, "vw_oui");
	const uint64_t *w = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);

	assert_true(w != MAP_FAILED);
	for (size_t i = 0; i < VW_OUI_WORDS; i++)
		n += w[i] != 0;
	munmap((void *)w, len);
	close(fd);
	return n;
}

/* ---- open, pins, lock ----------------------------------------------------- */

static void test_open(void **state)
{
	struct fx *f = *state;
	struct vw_datapath *other = NULL;
	char path[256];

	NEED_ROOT();
	/* not a bpffs: refused before anything is created */
	assert_int_equal(vw_datapath_open(&other, "/run/vw-not-bpffs/vendorwall"), -ENOTSUP);
	assert_int_equal(access("/run/vw-not-bpffs", F_OK), -1);
	assert_null(other);

	/* a root whose parents do not exist yet */
	open_ok(f);
	assert_false(vw_datapath_adopted(f->dp));
	for (size_t i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++) {
		snprintf(path, sizeof(path), "%s/maps/%s", f->root, map_names[i]);
		if (access(path, F_OK) < 0)
			fail_msg("not pinned: %s", path);
	}
	snprintf(path, sizeof(path), "%s/links", f->root);
	assert_int_equal(access(path, F_OK), 0);

	/* a second owner of the same root is refused while the first lives */
	assert_int_equal(vw_datapath_open(&other, f->root), -EBUSY);
	assert_null(other);
	vw_datapath_close(f->dp);
	f->dp = NULL;

	/* the maps stay pinned; the next open adopts them */
	open_ok(f);
	assert_true(vw_datapath_adopted(f->dp));
	vw_datapath_close(NULL);   /* NULL is fine */
}

/* ---- configuration, segments, interfaces, VLANs --------------------------- */

static void test_segments(void **state)
{
	struct fx *f = *state;
	struct vw_config cfg = { .alert_interval_s = 3600, .event_burst = 7, .events_per_s = 9,
				 .sample_interval_ms = 500, .sample_burst = 3, .sample_snaplen = 300 };
	struct vw_segment seg = { .mode = VW_MODE_BLOCK, .action = VW_ACTION_REDIRECT,
				  .redirect_ifindex = 12, .max_new_per_hour = 10 };
	struct vw_iface ifc = { .slot = 5, .vlan_row = 2 }, ifc_back;
	struct vw_config cfg_back;
	struct vw_segment seg_back;
	uint32_t key;
	uint16_t slot;

	NEED_ROOT();
	open_ok(f);
	assert_int_equal(vw_datapath_set_config(f->dp, &cfg), 0);
	key = 0;
	lookup(f, "vw_config", &key, &cfg_back);
	assert_memory_equal(&cfg_back, &cfg, sizeof(cfg));

	assert_int_equal(vw_datapath_set_segment(f->dp, 5, &seg), 0);
	key = 5;
	lookup(f, "vw_segment", &key, &seg_back);
	assert_memory_equal(&seg_back, &seg, sizeof(seg));
	assert_int_equal(vw_datapath_set_segment(f->dp, VW_MAX_SEGMENTS - 1, &seg), 0);
	assert_int_equal(vw_datapath_set_segment(f->dp, VW_MAX_SEGMENTS, &seg), -ERANGE);

	/* small ifindexes in the array, large ones in the hash */
	assert_int_equal(vw_datapath_set_iface(f->dp, 7, &ifc), 0);
	key = 7;
	lookup(f, "vw_iface", &key, &ifc_back);
	assert_memory_equal(&ifc_back, &ifc, sizeof(ifc));
	assert_int_equal(vw_datapath_set_iface(f->dp, VW_MAX_IFINDEX + 904, &ifc), 0);
	key = VW_MAX_IFINDEX + 904;
	assert_true(has_key(f, "vw_iface_big", &key, &ifc_back));
	assert_memory_equal(&ifc_back, &ifc, sizeof(ifc));
	assert_int_equal(map_count(f, "vw_iface_big", sizeof(uint32_t)), 1);

	/* VLAN rows are 1-based, VLAN ids below 4096 */
	assert_int_equal(vw_datapath_set_vlan(f->dp, 2, 100, 5), 0);
	key = (2 - 1) * VW_VLAN_IDS + 100;
	lookup(f, "vw_vlan", &key, &slot);
	assert_int_equal(slot, 5);
	assert_int_equal(vw_datapath_set_vlan(f->dp, 0, 100, 5), -ERANGE);
	assert_int_equal(vw_datapath_set_vlan(f->dp, VW_MAX_VLAN_IFACES + 1, 100, 5), -ERANGE);
	assert_int_equal(vw_datapath_set_vlan(f->dp, 1, VW_VLAN_IDS, 5), -ERANGE);
	assert_int_equal(vw_datapath_set_vlan(f->dp, VW_MAX_VLAN_IFACES, VW_VLAN_IDS - 1, 6), 0);
}

/* ---- the policy: OUI words, vendors, prefixes ------------------------------ */

#define OUI_R24    0x00e0fcu   /* restricted MA-L */
#define OUI_M28    0x04a1b2u   /* holds a restricted MA-M */
#define OUI_S36    0x08c3d4u   /* holds a restricted MA-S */
#define OUI_SHADOW 0x10d2e3u   /* restricted MA-L with a benign MA-M inside */
#define OUI_BENIGN 0x001b21u   /* a benign /24 entry: nothing to write */
#define OUI_DEV    0x001133u   /* no prefix, but an exact-device verdict */

static struct vw_ouiset_entry ent(uint64_t prefix, uint8_t plen, bool restricted, uint16_t vendor)
{
	return (struct vw_ouiset_entry){ .prefix = prefix, .plen = plen,
					 .restricted = restricted, .vendor = vendor };
}

static void assert_prefix(const struct fx *f, uint64_t prefix, uint8_t plen, uint16_t vendor,
			  uint8_t restricted)
{
	uint64_t key = vw_prefix_key(prefix, plen);
	struct vw_prefix v;

	if (!has_key(f, "vw_prefix", &key, &v))
		fail_msg("no vw_prefix entry for %012llx/%u", (unsigned long long)prefix, plen);
	assert_int_equal(v.vendor, vendor);
	assert_int_equal(v.restricted, restricted);
}

static void test_ouiset(void **state)
{
	struct fx *f = *state;
	struct vw_ouiset_entry a[] = {
		ent((uint64_t)OUI_BENIGN << 24, 24, false, 0),
		ent((uint64_t)OUI_R24 << 24, 24, true, 1),
		ent((uint64_t)OUI_SHADOW << 24, 24, true, 4),
		ent(0x04a1b2300000ull, 28, true, 2),
		ent(0x10d2e3a00000ull, 28, false, 0),
		ent(0x08c3d4567000ull, 36, true, 3),
	};
	struct vw_ouiset_entry b[] = {
		ent((uint64_t)OUI_R24 << 24, 24, true, 1),
		ent(0x04a1b2500000ull, 28, true, 2),
	};
	struct vw_ouiset set = { .v = a, .n = sizeof(a) / sizeof(a[0]) };
	struct vw_device_entry dev = { .mac = { 0x00, 0x11, 0x33, 0, 0, 1 },
				       .flags = VW_DEV_RESTRICTED, .vendor = 9 };
	uint32_t oui;
	uint16_t vendor;

	NEED_ROOT();
	open_ok(f);
	assert_int_equal(oui_nonzero_words(f), 0);
	/* a device verdict from before the load keeps its device bit */
	assert_int_equal(vw_datapath_set_device(f->dp, &dev), 0);
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);

	assert_int_equal(oui_bits(f, OUI_R24), VW_OUI_BIT_RESTRICTED);
	assert_int_equal(oui_bits(f, OUI_M28), VW_OUI_BIT_P28);
	assert_int_equal(oui_bits(f, OUI_S36), VW_OUI_BIT_P36);
	assert_int_equal(oui_bits(f, OUI_SHADOW), VW_OUI_BIT_RESTRICTED | VW_OUI_BIT_P28);
	assert_int_equal(oui_bits(f, OUI_DEV), VW_OUI_BIT_DEV);
	assert_int_equal(oui_bits(f, OUI_BENIGN), 0);
	assert_int_equal(oui_bits(f, OUI_R24 + 1), 0);   /* the neighbour in the same word */
	assert_int_equal(oui_nonzero_words(f), 5);       /* six OUIs, R24 and DEV share none */
	oui = OUI_R24;
	lookup(f, "vw_oui_vendor", &oui, &vendor);
	assert_int_equal(vendor, 1);
	oui = OUI_SHADOW;
	lookup(f, "vw_oui_vendor", &oui, &vendor);
	assert_int_equal(vendor, 4);
	assert_int_equal(map_count(f, "vw_oui_vendor", sizeof(uint32_t)), 2);
	assert_prefix(f, 0x04a1b2300000ull, 28, 2, 1);
	assert_prefix(f, 0x10d2e3a00000ull, 28, 0, 0);
	assert_prefix(f, 0x08c3d4567000ull, 36, 3, 1);
	assert_int_equal(map_count(f, "vw_prefix", sizeof(uint64_t)), 3);

	/* a smaller policy: what left is gone, bits and all */
	set.v = b;
	set.n = sizeof(b) / sizeof(b[0]);
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(oui_bits(f, OUI_R24), VW_OUI_BIT_RESTRICTED);
	assert_int_equal(oui_bits(f, OUI_M28), VW_OUI_BIT_P28);
	assert_int_equal(oui_bits(f, OUI_S36), 0);
	assert_int_equal(oui_bits(f, OUI_SHADOW), 0);
	assert_int_equal(oui_bits(f, OUI_DEV), VW_OUI_BIT_DEV);
	assert_int_equal(oui_nonzero_words(f), 3);
	assert_int_equal(map_count(f, "vw_oui_vendor", sizeof(uint32_t)), 1);
	assert_int_equal(map_count(f, "vw_prefix", sizeof(uint64_t)), 1);
	assert_prefix(f, 0x04a1b2500000ull, 28, 2, 1);

	/* and an empty one leaves only the device's bit */
	set.n = 0;
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(oui_nonzero_words(f), 1);
	assert_int_equal(map_count(f, "vw_prefix", sizeof(uint64_t)), 0);
	assert_int_equal(map_count(f, "vw_oui_vendor", sizeof(uint32_t)), 0);
}

/* A load writes only the words that differ from what the daemon
 * recorded: what it wrote itself, what a restore put back, or (pins of an
 * earlier run) what one read of the adopted bitmap found. A word set by
 * the previous run and not wanted now is cleared all the same. */
static void test_ouiset_sparse(void **state)
{
	struct fx *f = *state;
	struct vw_ouiset_entry a[] = {
		ent((uint64_t)OUI_R24 << 24, 24, true, 1),
		ent(0x08c3d4567000ull, 36, true, 3),
	};
	struct vw_ouiset_entry b[] = {
		ent((uint64_t)OUI_SHADOW << 24, 24, true, 4),
	};
	struct vw_ouiset set = { .v = a, .n = 2 };
	struct vw_datapath_snapshot *snap = NULL;
	uint32_t stray = vw_oui_word(OUI_BENIGN);
	uint64_t bits = vw_oui_bits_at(OUI_BENIGN, VW_OUI_BIT_RESTRICTED);
	int fd;

	NEED_ROOT();
	open_ok(f);
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(oui_nonzero_words(f), 2);
	/* the next run adopts the pins; meanwhile a word it never wrote is set */
	vw_datapath_close(f->dp);
	f->dp = NULL;
	fd = map_fd(f, "vw_oui");
	assert_int_equal(bpf_map_update_elem(fd, &stray, &bits, BPF_ANY), 0);
	close(fd);
	open_ok(f);
	assert_true(vw_datapath_adopted(f->dp));
	set.v = b;
	set.n = 1;
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(oui_bits(f, OUI_BENIGN), 0);
	assert_int_equal(oui_bits(f, OUI_R24), 0);
	assert_int_equal(oui_bits(f, OUI_S36), 0);
	assert_int_equal(oui_bits(f, OUI_SHADOW), VW_OUI_BIT_RESTRICTED);
	assert_int_equal(oui_nonzero_words(f), 1);

	/* a rolled-back load puts its words back, and the next load still
	 * knows to clear them */
	assert_int_equal(vw_datapath_snapshot(f->dp, VW_SNAP_ALL & ~VW_SNAP_OUI, &snap), 0);
	set.v = a;
	set.n = 2;
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(oui_bits(f, OUI_SHADOW), 0);
	assert_int_equal(vw_datapath_restore(f->dp, snap), 0);
	vw_datapath_snapshot_free(snap);
	assert_int_equal(oui_bits(f, OUI_SHADOW), VW_OUI_BIT_RESTRICTED);
	assert_int_equal(oui_bits(f, OUI_R24), 0);
	set.n = 0;
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(oui_nonzero_words(f), 0);
}

/* Pins of layout 1/2 hold a 2-bit bitmap (32 OUIs a word, one "look
 * closer" bit): the next open converts it, the restricted bit kept and the
 * old bit becoming every kind of lookup, so no frame skips a hash it
 * needed before the policy load sets the exact bits. */
static void test_oui_from_2bit(void **state)
{
	struct fx *f = *state;
	char path[256];
	/* 2 bits at (oui & 31) * 2 of word oui >> 5: R24 restricted, M28
	 * "look closer", SHADOW both */
	const uint32_t ouis[] = { OUI_R24, OUI_M28, OUI_SHADOW };
	const uint64_t old_bits[] = { 1, 2, 3 };
	int fd;

	NEED_ROOT();
	snprintf(path, sizeof(path), "mkdir -p '%s/maps'", f->root);
	assert_int_equal(system(path), 0);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "vw_oui", 4, 8, VW_OUI_WORDS / 2, NULL);
	assert_true(fd >= 0);
	for (size_t i = 0; i < 3; i++) {
		uint32_t k = ouis[i] >> 5;
		uint64_t w = old_bits[i] << ((ouis[i] & 31) * 2);

		assert_int_equal(bpf_map_update_elem(fd, &k, &w, BPF_ANY), 0);
	}
	snprintf(path, sizeof(path), "%s/maps/vw_oui", f->root);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	close(fd);

	open_ok(f);
	assert_int_equal(oui_bits(f, OUI_R24), VW_OUI_BIT_RESTRICTED);
	assert_int_equal(oui_bits(f, OUI_M28), VW_OUI_BIT_SLOW);
	assert_int_equal(oui_bits(f, OUI_SHADOW), VW_OUI_BIT_RESTRICTED | VW_OUI_BIT_SLOW);
	assert_int_equal(oui_bits(f, OUI_R24 + 1), 0);
	assert_int_equal(oui_bits(f, OUI_R24 - 1), 0);
	assert_int_equal(oui_nonzero_words(f), 3);
}

/* ---- exact-device verdicts -------------------------------------------------- */

static void assert_device(const struct fx *f, const uint8_t mac[6], uint32_t flags, uint16_t vendor)
{
	uint64_t key = vw_mac_to_u64(mac);
	struct vw_device v;

	if (!has_key(f, "vw_device", &key, &v))
		fail_msg("no vw_device entry for %012llx", (unsigned long long)key);
	assert_int_equal(v.flags, flags);
	assert_int_equal(v.vendor, vendor);
}

/* The daemon-only hash maps as pins before they were BPF_F_NO_PREALLOC
 * (flags 0): replaces the pin of name by a preallocated copy. */
static void pin_preallocated(const struct fx *f, const char *name)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	char path[256], key[64], val[64];
	void *prev = NULL;
	int fd = map_fd(f, name), nfd;

	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	assert_int_equal(info.map_flags, BPF_F_NO_PREALLOC);
	nfd = bpf_map_create(info.type, name, info.key_size, info.value_size,
			     info.max_entries, NULL);
	assert_true(nfd >= 0);
	while (bpf_map_get_next_key(fd, prev, key) == 0) {
		assert_int_equal(bpf_map_lookup_elem(fd, key, val), 0);
		assert_int_equal(bpf_map_update_elem(nfd, key, val, BPF_NOEXIST), 0);
		prev = key;
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/maps/%s", f->root, name);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(bpf_obj_pin(nfd, path), 0);
	close(nfd);
}

static __u32 pinned_flags(const struct fx *f, const char *name)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = map_fd(f, name);

	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	close(fd);
	return info.map_flags;
}

/* Pins of the same layout whose daemon-only hashes are preallocated (the
 * daemons before BPF_F_NO_PREALLOC) are carried over with every entry. */
static void test_prealloc_pins(void **state)
{
	static const char *const maps[] = {
		"vw_oui_vendor", "vw_prefix", "vw_device", "vw_iface_big", "vw_ip",
		"vw_cap_blocked",
	};
	struct { uint64_t mac; uint32_t slot, pad; } cap = { 0x001133000002ull, 2, 0 };
	uint64_t cap_at = 12345, got_at = 0;
	struct fx *f = *state;
	struct vw_ouiset_entry e[] = {
		ent((uint64_t)OUI_R24 << 24, 24, true, 1),
		ent(0x08c3d4567000ull, 36, true, 3),
	};
	struct vw_ouiset set = { .v = e, .n = 2 };
	struct vw_device_entry dev = { .mac = { 0x00, 0x11, 0x33, 0, 0, 1 },
				       .flags = VW_DEV_RESTRICTED, .vendor = 9 };
	struct vw_ip_key ip = { .family = 4, .addr = { 192, 0, 2, 7 } };
	struct vw_iface ifc = { .slot = 3 }, got_ifc;
	struct vw_layout_report rep;
	struct vw_device got_ip;
	uint32_t oui = OUI_R24, big = VW_MAX_IFINDEX + 5;
	uint16_t vendor;

	NEED_ROOT();
	open_ok(f);
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(vw_datapath_set_device(f->dp, &dev), 0);
	assert_int_equal(vw_datapath_set_ip(f->dp, &ip, VW_DEV_RESTRICTED, 5), 0);
	assert_int_equal(vw_datapath_set_iface(f->dp, big, &ifc), 0);
	{	/* an admission under the cap, as a frame writes it */
		int fd = map_fd(f, "vw_cap_blocked");

		assert_int_equal(bpf_map_update_elem(fd, &cap, &cap_at, BPF_NOEXIST), 0);
		close(fd);
	}
	vw_datapath_close(f->dp);
	f->dp = NULL;
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		pin_preallocated(f, maps[i]);

	assert_int_equal(vw_datapath_open_layout(&f->dp, f->root, &rep), 0);
	assert_int_equal(rep.found, VW_LAYOUT_VERSION);
	assert_int_equal(rep.converted, sizeof(maps) / sizeof(maps[0]));
	assert_int_equal(rep.lost, 0);
	/* the pinned programs ran on the maps just replaced */
	assert_false(vw_datapath_progs_reused(f->dp));
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		assert_int_equal(pinned_flags(f, maps[i]), BPF_F_NO_PREALLOC);
	lookup(f, "vw_oui_vendor", &oui, &vendor);
	assert_int_equal(vendor, 1);
	assert_prefix(f, 0x08c3d4567000ull, 36, 3, 1);
	assert_device(f, dev.mac, VW_DEV_RESTRICTED, 9);
	lookup(f, "vw_ip", &ip, &got_ip);
	assert_int_equal(got_ip.flags, VW_DEV_RESTRICTED);
	assert_int_equal(got_ip.vendor, 5);
	lookup(f, "vw_iface_big", &big, &got_ifc);
	assert_int_equal(got_ifc.slot, 3);
	lookup(f, "vw_cap_blocked", &cap, &got_at);
	assert_int_equal(got_at, cap_at);
	assert_int_equal(oui_bits(f, OUI_DEV), VW_OUI_BIT_DEV);

	/* and the next run adopts them as they are */
	vw_datapath_close(f->dp);
	f->dp = NULL;
	assert_int_equal(vw_datapath_open_layout(&f->dp, f->root, &rep), 0);
	assert_int_equal(rep.converted, 0);
	assert_int_equal(rep.created, 0);
	assert_true(vw_datapath_progs_reused(f->dp));
}

/* A policy of more prefixes and /24s than one chunk of a batch (4096):
 * written whole, and a smaller one after it leaves exactly its own. */
static void test_ouiset_chunks(void **state)
{
	const size_t n = 4096 + 700, keep = 300;
	struct fx *f = *state;
	struct vw_ouiset_entry *e = calloc(n, sizeof(*e));
	struct vw_ouiset set = { .v = e, .n = n };

	NEED_ROOT();
	assert_non_null(e);
	for (size_t i = 0; i < n; i++) {
		uint64_t oui = 0x0c0000 + i;

		/* an MA-S block under every other OUI, a restricted /24 otherwise */
		e[i] = i % 2 ? ent(oui << 24 | 0x123000, 36, true, 3) : ent(oui << 24, 24, true, 2);
	}
	open_ok(f);
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(map_count(f, "vw_prefix", 8), n / 2);
	assert_int_equal(map_count(f, "vw_oui_vendor", 4), n / 2);
	assert_prefix(f, (uint64_t)(0x0c0000 + n - 1) << 24 | 0x123000, 36, 3, 1);
	set.n = keep;
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
	assert_int_equal(map_count(f, "vw_prefix", 8), keep / 2);
	assert_int_equal(map_count(f, "vw_oui_vendor", 4), keep / 2);
	assert_int_equal(oui_bits(f, 0x0c0000 + keep - 2), VW_OUI_BIT_RESTRICTED);
	assert_int_equal(oui_bits(f, 0x0c0000 + keep), 0);
	assert_int_equal(oui_nonzero_words(f), (keep + 15) / 16);
	free(e);
}

/* Snapshots and listings read hashes in chunks of 4096 entries: a map of
 * more than one chunk comes back whole, and a restore from it is exact. */
static void test_many_devices(void **state)
{
	struct fx *f = *state;
	struct vw_datapath_snapshot *snap = NULL, *again = NULL;
	struct vw_device_entry dev = { .mac = { 0x02, 0x00, 0x5e }, .flags = VW_DEV_WAIVED };
	struct vw_device_entry *list = NULL;
	const size_t n = 4096 + 905;
	size_t got = 0;
	char *seen;

	NEED_ROOT();
	open_ok(f);
	for (size_t i = 0; i < n; i++) {
		dev.mac[4] = (uint8_t)(i >> 8);
		dev.mac[5] = (uint8_t)i;
		dev.vendor = (uint16_t)(i % 7);
		assert_int_equal(vw_datapath_set_device(f->dp, &dev), 0);
	}
	assert_int_equal(vw_datapath_list_devices(f->dp, &list, &got), 0);
	assert_int_equal(got, n);
	seen = calloc(n, 1);
	assert_non_null(seen);
	for (size_t i = 0; i < got; i++) {   /* each device once, as written */
		size_t k = (size_t)list[i].mac[4] << 8 | list[i].mac[5];

		assert_true(k < n && !seen[k]);
		seen[k] = 1;
		assert_int_equal(list[i].vendor, k % 7);
		assert_int_equal(list[i].flags, VW_DEV_WAIVED);
	}
	free(seen);
	free(list);

	assert_int_equal(vw_datapath_snapshot(f->dp, VW_SNAP_DEVICE, &snap), 0);
	dev.mac[4] = dev.mac[5] = 0;
	assert_int_equal(vw_datapath_del_device(f->dp, dev.mac), 0);
	dev.mac[5] = 1;
	dev.flags = VW_DEV_QUARANTINED;
	assert_int_equal(vw_datapath_set_device(f->dp, &dev), 0);
	assert_int_equal(vw_datapath_restore(f->dp, snap), 0);
	assert_int_equal(vw_datapath_snapshot(f->dp, VW_SNAP_DEVICE, &again), 0);
	assert_true(vw_datapath_snapshot_equal(snap, again));
	vw_datapath_snapshot_free(snap);
	vw_datapath_snapshot_free(again);
}

static void test_devices(void **state)
{
	struct fx *f = *state;
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct vw_device_entry d = { .mac = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 },
				     .flags = VW_DEV_RESTRICTED, .vendor = 1 };
	uint64_t key = vw_mac_to_u64(mac);
	struct vw_device v;

	NEED_ROOT();
	open_ok(f);
	assert_int_equal(vw_datapath_set_device(f->dp, &d), 0);
	assert_device(f, mac, VW_DEV_RESTRICTED, 1);
	assert_int_equal(oui_bits(f, 0x021122), VW_OUI_BIT_DEV);
	/* the operator's bit next to the engine's, vendor kept */
	assert_int_equal(vw_datapath_device_flags(f->dp, mac, VW_DEV_QUARANTINED, 0), 0);
	assert_device(f, mac, VW_DEV_RESTRICTED | VW_DEV_QUARANTINED, 1);
	/* a verdict with a vendor replaces it; 0 keeps it */
	assert_int_equal(vw_datapath_device_verdict(f->dp, mac, VW_DEV_WAIVED, VW_DEV_RESTRICTED, 5), 0);
	assert_device(f, mac, VW_DEV_QUARANTINED | VW_DEV_WAIVED, 5);
	assert_int_equal(vw_datapath_device_verdict(f->dp, mac, 0, VW_DEV_WAIVED, 0), 0);
	assert_device(f, mac, VW_DEV_QUARANTINED, 5);
	/* the last bit cleared removes the entry */
	assert_int_equal(vw_datapath_device_flags(f->dp, mac, 0, VW_DEV_QUARANTINED), 0);
	assert_false(has_key(f, "vw_device", &key, &v));
	/* clearing what is not there is not an error, and creates nothing */
	assert_int_equal(vw_datapath_device_flags(f->dp, mac, 0, VW_DEV_CLEARED), 0);
	assert_false(has_key(f, "vw_device", &key, &v));
	assert_int_equal(vw_datapath_del_device(f->dp, mac), 0);
	/* setting on nothing creates it */
	assert_int_equal(vw_datapath_device_flags(f->dp, mac, VW_DEV_CLEARED, 0), 0);
	assert_device(f, mac, VW_DEV_CLEARED, 0);
	assert_int_equal(vw_datapath_del_device(f->dp, mac), 0);
	assert_false(has_key(f, "vw_device", &key, &v));
	assert_int_equal(map_count(f, "vw_device", sizeof(uint64_t)), 0);
}

/* ---- the attached programs, run with BPF_PROG_TEST_RUN ---------------------- */

/* The XDP program behind the pinned link and the TC filter on the veth. */
static void attached_progs(const struct fx *f, int *xdp_fd, int *tc_fd, uint32_t *link_id)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = veth_ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE, .priority = TC_HANDLE);
	struct bpf_link_info info = { 0 };
	uint32_t len = sizeof(info);
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/links/xdp_%d", f->root, veth_ifindex);
	fd = bpf_obj_get(path);
	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	close(fd);
	assert_int_equal(info.type, BPF_LINK_TYPE_XDP);
	assert_int_equal(info.xdp.ifindex, veth_ifindex);
	*link_id = info.id;
	*xdp_fd = bpf_prog_get_fd_by_id(info.prog_id);
	assert_true(*xdp_fd >= 0);
	assert_int_equal(bpf_tc_query(&hook, &opts), 0);
	*tc_fd = bpf_prog_get_fd_by_id(opts.prog_id);
	assert_true(*tc_fd >= 0);
}

static uint32_t run(int prog_fd, bool tc, const uint8_t dst[6], const uint8_t src[6])
{
	uint8_t frame[60] = { 0 };
	struct __sk_buff sctx = { .ifindex = IFINDEX_LO };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = sizeof(frame));

	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	frame[12] = 0x88;      /* a local experimental EtherType: no sampling */
	frame[13] = 0xb5;
	if (tc) {
		opts.ctx_in = &sctx;
		opts.ctx_size_in = sizeof(sctx);
	}
	/* XDP: ingress_ifindex 0 runs on loopback's queue, ifindex 1 */
	if (bpf_prog_test_run_opts(prog_fd, &opts) < 0)
		fail_msg("test_run: %s", strerror(errno));
	return opts.retval;
}

struct events {
	struct vw_event ev[8];
	size_t n;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct events *e = ctx;

	assert_int_equal(size, sizeof(struct vw_event));
	if (e->n < 8)
		memcpy(&e->ev[e->n], data, sizeof(struct vw_event));
	e->n++;
	return 0;
}

static const uint8_t huawei[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 };
static const uint8_t intel[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };

/* The policy the run tests use: loopback is segment 1, block mode. */
static void block_policy(struct fx *f)
{
	struct vw_config cfg = { .alert_interval_s = 3600, .event_burst = 10, .events_per_s = 10,
				 .sample_interval_ms = 1000, .sample_burst = 1, .sample_snaplen = 256 };
	struct vw_segment seg = { .mode = VW_MODE_BLOCK, .action = VW_ACTION_DROP };
	struct vw_iface ifc = { .slot = 1 };
	struct vw_ouiset_entry e = ent((uint64_t)OUI_R24 << 24, 24, true, 1);
	struct vw_ouiset set = { .v = &e, .n = 1 };

	assert_int_equal(vw_datapath_set_config(f->dp, &cfg), 0);
	assert_int_equal(vw_datapath_set_segment(f->dp, 1, &seg), 0);
	assert_int_equal(vw_datapath_set_iface(f->dp, IFINDEX_LO, &ifc), 0);
	assert_int_equal(vw_datapath_load_ouiset(f->dp, &set), 0);
}

static void test_run_counters_events(void **state)
{
	struct fx *f = *state;
	uint64_t ctr[VW_CTR_MAX], before[VW_CTR_MAX];
	enum vw_attach_mode mode = 0;
	struct events evs = { 0 };
	struct ring_buffer *rb = NULL;
	int xdp, tc;
	uint32_t link_id;

	NEED_ROOT();
	open_ok(f);
	block_policy(f);
	f->attached = true;
	assert_int_equal(vw_datapath_attach(f->dp, veth_ifindex, &mode), 0);
	assert_true(mode == VW_ATTACH_NATIVE || mode == VW_ATTACH_GENERIC);
	attached_progs(f, &xdp, &tc, &link_id);
	assert_int_equal(vw_datapath_events(f->dp, on_event, &evs, &rb), 0);
	assert_int_equal(vw_datapath_read_counters(f->dp, 1, before), 0);

	assert_int_equal(run(xdp, false, intel, intel), XDP_PASS);
	assert_int_equal(run(xdp, false, intel, huawei), XDP_DROP);
	assert_int_equal(run(tc, true, huawei, intel), TC_ACT_SHOT);
	assert_int_equal(run(tc, true, intel, intel), TC_ACT_OK);

	assert_int_equal(vw_datapath_read_counters(f->dp, 1, ctr), 0);
	assert_int_equal(ctr[VW_REASON_BENIGN] - before[VW_REASON_BENIGN], 2);
	assert_int_equal(ctr[VW_REASON_OUI] - before[VW_REASON_OUI], 2);
	assert_int_equal(ctr[VW_CTR_DROP] - before[VW_CTR_DROP], 2);
	assert_int_equal(vw_datapath_read_counters(f->dp, VW_MAX_SEGMENTS, ctr), -ERANGE);

	/* one event: the ingress drop is the first sighting of the MAC on the
	 * segment; the egress frame to it is the same (MAC, segment) */
	assert_true(ring_buffer__consume(rb) >= 0);
	assert_int_equal(evs.n, 1);
	assert_int_equal(evs.ev[0].kind, VW_EVENT_FIRST);
	assert_memory_equal(evs.ev[0].mac, huawei, 6);
	assert_int_equal(evs.ev[0].slot, 1);
	assert_int_equal(evs.ev[0].ifindex, IFINDEX_LO);
	assert_int_equal(evs.ev[0].reason, VW_REASON_OUI);
	assert_int_equal(evs.ev[0].verdict, VW_VERDICT_DROP);
	assert_int_equal(evs.ev[0].vendor, 1);
	assert_int_equal(evs.ev[0].direction, VW_DIR_INGRESS);

	/* reported once, then quiet until the alert interval ... */
	assert_int_equal(run(xdp, false, intel, huawei), XDP_DROP);
	assert_true(ring_buffer__consume(rb) >= 0);
	assert_int_equal(evs.n, 1);
	/* ... unless the segment's reported set is reset (a mode change) */
	assert_int_equal(vw_datapath_reset_alerts(f->dp, 2), 0);   /* another slot: no effect */
	assert_int_equal(run(xdp, false, intel, huawei), XDP_DROP);
	assert_true(ring_buffer__consume(rb) >= 0);
	assert_int_equal(evs.n, 1);
	assert_int_equal(vw_datapath_reset_alerts(f->dp, 1), 0);
	assert_int_equal(run(xdp, false, intel, huawei), XDP_DROP);
	assert_true(ring_buffer__consume(rb) >= 0);
	assert_int_equal(evs.n, 2);
	assert_int_equal(evs.ev[1].kind, VW_EVENT_FIRST);

	/* A shorter alert interval applies at once to a MAC reported under
	 * the longer one: the flood check caches the jiffy its suppression
	 * ends, computed with the interval of the report, and a changed
	 * interval empties that cache. 0 = remind on every frame. */
	{
		struct vw_config cfg = { .alert_interval_s = 0, .event_burst = 10,
					 .events_per_s = 10, .sample_interval_ms = 1000,
					 .sample_burst = 1, .sample_snaplen = 256 };

		assert_int_equal(vw_datapath_set_config(f->dp, &cfg), 0);
		assert_int_equal(run(xdp, false, intel, huawei), XDP_DROP);
		assert_true(ring_buffer__consume(rb) >= 0);
		assert_int_equal(evs.n, 3);
		assert_int_equal(evs.ev[2].kind, VW_EVENT_REMINDER);
		cfg.alert_interval_s = 3600;
		assert_int_equal(vw_datapath_set_config(f->dp, &cfg), 0);
	}

	/* the device verdicts take effect in the running program */
	assert_int_equal(vw_datapath_device_flags(f->dp, huawei, VW_DEV_WAIVED, 0), 0);
	assert_int_equal(run(xdp, false, intel, huawei), XDP_PASS);
	assert_int_equal(vw_datapath_device_flags(f->dp, intel, VW_DEV_QUARANTINED, 0), 0);
	assert_int_equal(run(xdp, false, huawei, intel), XDP_DROP);

	ring_buffer__free(rb);
	close(xdp);
	close(tc);
}

/* The benign frames of slot, over what it had at the start. */
static uint64_t benign_of(struct fx *f, uint32_t slot, const uint64_t start[3])
{
	uint64_t ctr[VW_CTR_MAX];

	assert_int_equal(vw_datapath_read_counters(f->dp, slot, ctr), 0);
	return ctr[VW_REASON_BENIGN] - start[slot];
}

static void benign_frames(int xdp, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(run(xdp, false, intel, intel), XDP_PASS);
}

/* The data plane counts untagged benign frames by interface; read per
 * segment, each counts where its interface was when it arrived, however
 * the interface moves afterwards (policy commit, detach, rollback), as
 * when the data plane counted them by segment. */
static void test_benign_moves(void **state)
{
	struct fx *f = *state;
	struct vw_datapath_snapshot *snap = NULL;
	struct vw_iface one = { .slot = 1 }, two = { .slot = 2 }, none = { 0 };
	enum vw_attach_mode mode = 0;
	uint64_t start[3], ctr[VW_CTR_MAX];
	int xdp, tc;
	uint32_t link_id;

	NEED_ROOT();
	open_ok(f);
	block_policy(f);   /* loopback in slot 1 */
	f->attached = true;
	assert_int_equal(vw_datapath_attach(f->dp, veth_ifindex, &mode), 0);
	attached_progs(f, &xdp, &tc, &link_id);
	for (uint32_t s = 0; s < 3; s++) {
		assert_int_equal(vw_datapath_read_counters(f->dp, s, ctr), 0);
		start[s] = ctr[VW_REASON_BENIGN];
	}

	benign_frames(xdp, 3);
	assert_int_equal(benign_of(f, 1, start), 3);
	assert_int_equal(benign_of(f, 2, start), 0);
	/* a commit moves loopback to slot 2: slot 1 keeps its 3 */
	assert_int_equal(vw_datapath_set_iface(f->dp, IFINDEX_LO, &two), 0);
	benign_frames(xdp, 2);
	assert_int_equal(benign_of(f, 1, start), 3);
	assert_int_equal(benign_of(f, 2, start), 2);
	/* writing the same segment again splits nothing */
	assert_int_equal(vw_datapath_set_iface(f->dp, IFINDEX_LO, &two), 0);
	benign_frames(xdp, 1);
	assert_int_equal(benign_of(f, 2, start), 3);
	/* back to slot 1: each keeps what it counted */
	assert_int_equal(vw_datapath_set_iface(f->dp, IFINDEX_LO, &one), 0);
	benign_frames(xdp, 4);
	assert_int_equal(benign_of(f, 1, start), 7);
	assert_int_equal(benign_of(f, 2, start), 3);
	/* a rollback moves it too: snapshot in slot 1, move to 2, restore */
	assert_int_equal(vw_datapath_snapshot(f->dp, VW_SNAP_IFACE, &snap), 0);
	assert_int_equal(vw_datapath_set_iface(f->dp, IFINDEX_LO, &two), 0);
	benign_frames(xdp, 5);
	assert_int_equal(vw_datapath_restore(f->dp, snap), 0);
	vw_datapath_snapshot_free(snap);
	benign_frames(xdp, 1);
	assert_int_equal(benign_of(f, 1, start), 8);
	assert_int_equal(benign_of(f, 2, start), 8);
	/* detached (no segment): later frames count in neither */
	assert_int_equal(vw_datapath_set_iface(f->dp, IFINDEX_LO, &none), 0);
	benign_frames(xdp, 2);
	assert_int_equal(benign_of(f, 1, start), 8);
	assert_int_equal(benign_of(f, 2, start), 8);
	assert_int_equal(benign_of(f, 0, start), 2);
	close(xdp);
	close(tc);
}

/* ---- a restart: adopt the maps and the XDP link, then detach and unpin ------ */

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);

	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	return info.id;
}

static int pinned_prog(const struct fx *f, enum vw_prog p)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/" VW_PIN_PROGS_DIR "/%s", f->root, vw_prog_name(p));
	fd = bpf_obj_get(path);
	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	return fd;
}

static uint32_t pinned_prog_id(const struct fx *f, enum vw_prog p)
{
	int fd = pinned_prog(f, p);
	uint32_t id = prog_id(fd);

	close(fd);
	return id;
}

/* Rewrites f's program record as another build of the object (an older
 * package, a tampered record) would have written it. */
static void pin_as_other_build(const struct fx *f)
{
	static const char other[] = "not the object this daemon embeds";
	uint8_t ident[VW_PROG_IDENT_LEN];
	int fds[VW_PROG_N];

	vw_prog_ident(other, sizeof(other), ident);
	for (int p = 0; p < VW_PROG_N; p++)
		fds[p] = pinned_prog(f, p);
	assert_int_equal(vw_progpin_save(f->root, ident, fds), 0);
	for (int p = 0; p < VW_PROG_N; p++)
		close(fds[p]);
}

/* Attaches the open datapath to the veth again and checks it went onto the
 * same link and still drops the Huawei frame, counted as the drops-th drop
 * of slot 1. Returns the id of the XDP program the link runs. */
static uint32_t attach_again(struct fx *f, uint32_t link, uint64_t drops)
{
	enum vw_attach_mode mode;
	uint64_t ctr[VW_CTR_MAX];
	uint32_t link2, id;
	int xdp, tc;

	assert_int_equal(vw_datapath_attach(f->dp, veth_ifindex, &mode), 0);
	attached_progs(f, &xdp, &tc, &link2);
	assert_int_equal(link2, link);
	id = prog_id(xdp);
	assert_int_equal(run(xdp, false, intel, huawei), XDP_DROP);
	assert_int_equal(vw_datapath_read_counters(f->dp, 1, ctr), 0);
	assert_int_equal(ctr[VW_CTR_DROP], drops);
	close(xdp);
	close(tc);
	return id;
}

static void test_adopt_detach(void **state)
{
	struct fx *f = *state;
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = veth_ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE, .priority = TC_HANDLE);
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct vw_device_entry d = { .mac = { 0x02, 0, 0, 0, 0, 9 }, .flags = VW_DEV_QUARANTINED };
	enum vw_attach_mode mode;
	uint64_t ctr[VW_CTR_MAX];
	uint32_t link1, prog1, prog2;
	struct bpf_prog_info pinfo = { 0 };
	uint32_t plen = sizeof(pinfo);
	int xdp, tc;
	char path[256];

	NEED_ROOT();
	open_ok(f);
	block_policy(f);
	assert_int_equal(vw_datapath_set_device(f->dp, &d), 0);
	f->attached = true;
	assert_int_equal(vw_datapath_attach(f->dp, veth_ifindex, &mode), 0);
	attached_progs(f, &xdp, &tc, &link1);
	assert_int_equal(run(xdp, false, intel, huawei), XDP_DROP);
	assert_int_equal(bpf_obj_get_info_by_fd(xdp, &pinfo, &plen), 0);
	prog1 = pinfo.id;
	assert_int_equal(pinned_prog_id(f, VW_PROG_XDP), prog1);
	close(xdp);
	close(tc);

	/* the daemon goes away: enforcement stays */
	vw_datapath_close(f->dp);
	f->dp = NULL;
	assert_int_equal(bpf_xdp_query(veth_ifindex, 0, &q), 0);
	assert_int_equal(q.prog_id, prog1);
	assert_int_equal(bpf_tc_query(&hook, &opts), 0);

	/* the next run adopts the maps with what they held ... */
	open_ok(f);
	assert_true(vw_datapath_adopted(f->dp));
	assert_device(f, d.mac, VW_DEV_QUARANTINED, 0);
	assert_int_equal(oui_bits(f, OUI_R24), VW_OUI_BIT_RESTRICTED);
	assert_int_equal(vw_datapath_read_counters(f->dp, 1, ctr), 0);
	assert_int_equal(ctr[VW_CTR_DROP], 1);
	/* ... and, the pinned programs being this very object on these very
	 * maps, takes them over: same link, same program, nothing verified */
	assert_true(vw_datapath_progs_reused(f->dp));
	assert_int_equal(attach_again(f, link1, 2), prog1);
	vw_datapath_close(f->dp);
	f->dp = NULL;

	/* an upgrade: the pins say another build made them, so the next run
	 * loads its own object and updates the pinned link in place: same
	 * link, new program */
	pin_as_other_build(f);
	open_ok(f);
	assert_true(vw_datapath_adopted(f->dp));
	assert_false(vw_datapath_progs_reused(f->dp));
	/* the new program counts into the adopted counters */
	prog2 = attach_again(f, link1, 3);
	assert_int_not_equal(prog2, prog1);
	assert_int_equal(bpf_xdp_query(veth_ifindex, 0, &q), 0);
	assert_int_equal(q.prog_id, prog2);
	assert_int_equal(pinned_prog_id(f, VW_PROG_XDP), prog2);
	vw_datapath_close(f->dp);
	f->dp = NULL;

	/* ... whose programs the run after it takes over in turn */
	open_ok(f);
	assert_true(vw_datapath_progs_reused(f->dp));
	assert_int_equal(attach_again(f, link1, 4), prog2);

	/* detach: no XDP, no TC filter, no link pin; twice is harmless */
	assert_int_equal(vw_datapath_detach(f->dp, veth_ifindex), 0);
	f->attached = false;
	assert_int_equal(bpf_xdp_query(veth_ifindex, 0, &q), 0);
	assert_int_equal(q.prog_id, 0);
	assert_true(bpf_tc_query(&hook, &opts) < 0);   /* no such filter (chain) */
	snprintf(path, sizeof(path), "%s/links/xdp_%d", f->root, veth_ifindex);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(vw_datapath_detach(f->dp, veth_ifindex), 0);

	/* unpin: the whole root goes, programs too */
	assert_int_equal(vw_datapath_unpin_all(f->dp), 0);
	assert_int_equal(access(f->root, F_OK), -1);
	assert_int_equal(errno, ENOENT);
	vw_datapath_close(f->dp);
	f->dp = NULL;
}

/* ---- programs on other maps are never taken over ------------------------- */

/* Pins name of root `from` at root `to` too (the same kernel object). */
static void pin_across(const char *from, const char *to, const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/" VW_PIN_PROGS_DIR "/%s", from, name);
	fd = bpf_obj_get(path);
	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "%s/" VW_PIN_PROGS_DIR "/%s", to, name);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	close(fd);
}

/* Programs of this very object, recorded as such, but loaded on another
 * root's maps: taking them over would enforce from maps the daemon does
 * not write. The open loads its own programs instead. */
static void test_progs_foreign_maps(void **state)
{
	struct fx *f = *state;
	struct vw_datapath *other = NULL;
	char root2[160], cmd[200];
	uint32_t foreign, oui_id;
	struct bpf_prog_info info = { 0 };
	struct bpf_map_info minfo = { 0 };
	uint32_t len = sizeof(info), mlen = sizeof(minfo), ids[64];
	bool found = false;
	int fd;

	NEED_ROOT();
	snprintf(root2, sizeof(root2), "%s-other", f->root);
	open_ok(f);
	assert_int_equal(vw_datapath_open(&other, root2), 0);
	vw_datapath_close(other);
	vw_datapath_close(f->dp);
	f->dp = NULL;
	pin_across(root2, f->root, vw_prog_name(VW_PROG_XDP));
	pin_across(root2, f->root, vw_prog_name(VW_PROG_TC));
	pin_across(root2, f->root, VW_PIN_PROG_RECORD);
	foreign = pinned_prog_id(f, VW_PROG_XDP);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root2);
	assert_int_equal(system(cmd), 0);

	open_ok(f);
	assert_true(vw_datapath_adopted(f->dp));
	assert_false(vw_datapath_progs_reused(f->dp));
	/* the programs pinned now are new, and run on f's own vw_oui */
	fd = pinned_prog(f, VW_PROG_XDP);
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(uintptr_t)ids;
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	close(fd);
	assert_int_not_equal(info.id, foreign);
	fd = map_fd(f, "vw_oui");
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &minfo, &mlen), 0);
	close(fd);
	oui_id = minfo.id;
	for (uint32_t i = 0; i < info.nr_map_ids && i < 64; i++)
		found |= ids[i] == oui_id;
	assert_true(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ouiset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ouiset_sparse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oui_from_2bit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prealloc_pins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ouiset_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_counters_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_benign_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_detach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progs_foreign_maps, setup, teardown),
	};

	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
