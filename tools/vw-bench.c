// SPDX-License-Identifier: GPL-2.0-only
/*
 * vw-bench measures the data plane against references taken in the same
 * run (bpf/PERFORMANCE.md §5): BPF_PROG_TEST_RUN cost per packet of
 * vw_xdp_ingress next to an empty XDP program and Debian's xdp-filter, and
 * the veth drop rate of vw_xdp_ingress next to a no-op XDP_DROP program.
 * The floor programs of tools/vw-floor.bpf.c, on vendorwall's own maps, run
 * in the same rounds: the least a benign or /24-hit frame must cost on this
 * CPU, so a ratio over the empty program is read against its floor.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vendorwall.h"
#include "vendorwall.skel.h"
#include "vw-floor.skel.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define IEEE_DIR      "/usr/share/ieee-data"
#define XDPFILT_OBJ   "/usr/lib/x86_64-linux-gnu/bpf/xdpfilt_dny_eth.o"
#define N_DEVICES     4096
#define FRAME_LEN     60
#define GEN_CHUNK     (1u << 19)   /* frames per live test_run call */
#define IFINDEX_LO    1
/* xdp-filter's filter_ethernet value: flag bits (common_kern_user.h). */
#define XDPF_FLAG_SRC 0x1ull
#define XDPF_FLAG_DST 0x2ull

extern char **environ;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* Only warnings: xdp-filter's object triggers harmless info noise. */
	if (level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double vmin(const double *v, int n)
{
	double m = INFINITY;

	for (int i = 0; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

static int vargmin(const double *v, int n)
{
	int m = 0;

	for (int i = 1; i < n; i++)
		if (v[i] < v[m])
			m = i;
	return m;
}

static double vmax(const double *v, int n)
{
	double m = -INFINITY;

	for (int i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

static double vmedian(const double *v, int n)
{
	double s[n];

	memcpy(s, v, sizeof(s));
	qsort(s, n, sizeof(double), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* ---- Frames ------------------------------------------------------------ */

/* 60-byte Ethernet/IPv4/UDP between TEST-NET-1 addresses, optionally with
 * one 802.1Q tag. */
static void build_frame(__u8 *f, __u64 dst, __u64 src, __u16 vid)
{
	size_t off = 12;
	__u8 *ip;

	memset(f, 0, FRAME_LEN);
	for (int i = 0; i < 6; i++) {
		f[i] = dst >> (40 - 8 * i);
		f[6 + i] = src >> (40 - 8 * i);
	}
	if (vid) {
		f[off] = 0x81;
		f[off + 2] = vid >> 8;
		f[off + 3] = vid & 0xff;
		off += 4;
	}
	f[off] = 0x08;
	off += 2;
	ip = f + off;
	ip[0] = 0x45;
	ip[3] = FRAME_LEN - off;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, (__u8[]){ 192, 0, 2, 1, 192, 0, 2, 2 }, 8);
	ip[20] = 0x9c;  /* UDP 40000 -> 40001: not a management port */
	ip[21] = 0x40;
	ip[22] = 0x9c;
	ip[23] = 0x41;
	ip[25] = FRAME_LEN - off - 20;
}

enum frame_id { F_BENIGN, F_HIT24, F_HIT36, F_EXACT, F_VLAN, F_MAX };

static const char *const frame_name[F_MAX] = {
	"benign", "hit24-src", "hit36-src", "exact-src", "benign-vlan",
};

/* What vw_xdp_ingress must return in block mode: a wrong verdict would
 * make every figure meaningless. */
static const __u32 frame_verdict[F_MAX] = {
	XDP_PASS, XDP_DROP, XDP_DROP, XDP_DROP, XDP_PASS,
};

/* ---- Restricted set from ieee-data ------------------------------------- */

static const char *const vendor_re[] = {
	"huawei", "zte corporation", "hikvision", "zhejiang dahua", "hytera",
};

struct ruleset {
	__u64 *words;          /* local image of vw_oui */
	unsigned n24, n28, n36, ndev;
	__u64 mac_hit24, mac_hit36, mac_exact, mac_benign, mac_peer;
	__u64 devices[N_DEVICES + 1];
	bool synthetic36;
};

static unsigned oui_bits(const struct ruleset *rs, __u32 oui)
{
	return vw_oui_bits(rs->words[vw_oui_word(oui)], oui);
}

static void oui_set(struct ruleset *rs, __u32 oui, unsigned bits)
{
	rs->words[vw_oui_word(oui)] |= vw_oui_bits_at(oui, bits);
}

/* Organization Name is the third CSV field, quoted when it has commas. */
static int csv_org(char *line, char **assign, char **org)
{
	char *p = strchr(line, ','), *q;

	if (!p)
		return -EINVAL;
	*assign = ++p;
	p = strchr(p, ',');
	if (!p)
		return -EINVAL;
	*p++ = 0;
	if (*p == '"') {
		*org = ++p;
		q = strchr(p, '"');
	} else {
		*org = p;
		q = strchr(p, ',');
	}
	if (q)
		*q = 0;
	return 0;
}

static int vendor_of(const char *org)
{
	for (size_t i = 0; i < ARRAY_SIZE(vendor_re); i++)
		if (strcasestr(org, vendor_re[i]))
			return i + 1;
	return 0;
}

struct ieee_cb {
	struct vendorwall_bpf *skel;
	struct ruleset *rs;
	__u64 first_block;     /* first row of the file, for a made-up hit */
};

/* Reads one registry file; hexlen 6/7/9 selects MA-L/MA-M/MA-S. */
static int load_registry(struct ieee_cb *cb, const char *file, int hexlen)
{
	char path[256], *line = NULL, *assign, *org;
	size_t cap = 0;
	int err = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", IEEE_DIR, file);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	cb->first_block = 0;
	while (getline(&line, &cap, f) > 0) {
		__u64 v;
		int vendor;

		if (csv_org(line, &assign, &org) || strlen(assign) != (size_t)hexlen)
			continue;	/* header or malformed row */
		v = strtoull(assign, NULL, 16);
		if (!cb->first_block)
			cb->first_block = v;
		vendor = vendor_of(org);
		if (!vendor)
			continue;
		if (hexlen == 6) {
			__u32 oui = v;
			__u16 vend = vendor;

			oui_set(cb->rs, oui, VW_OUI_BIT_RESTRICTED);
			if (bpf_map_update_elem(bpf_map__fd(cb->skel->maps.vw_oui_vendor),
						&oui, &vend, BPF_ANY)) {
				err = -errno;
				break;
			}
			cb->rs->n24++;
		} else {
			__u32 plen = hexlen * 4;
			__u64 mac = v << (48 - plen);
			__u64 key = vw_prefix_key(mac, plen);
			struct vw_prefix p = { .vendor = vendor, .restricted = 1 };

			oui_set(cb->rs, vw_oui_of_u64(mac),
				plen == 28 ? VW_OUI_BIT_P28 : VW_OUI_BIT_P36);
			if (bpf_map_update_elem(bpf_map__fd(cb->skel->maps.vw_prefix),
						&key, &p, BPF_ANY)) {
				err = -errno;
				break;
			}
			if (plen == 28)
				cb->rs->n28++;
			else
				cb->rs->n36++;
		}
	}
	free(line);
	fclose(f);
	return err;
}

static __u64 xorshift(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The restricted set, 4096 + 1 exact devices, and the test MACs. */
static int load_ruleset(struct vendorwall_bpf *skel, struct ruleset *rs)
{
	struct ieee_cb cb = { .skel = skel, .rs = rs };
	int dev_fd = bpf_map__fd(skel->maps.vw_device);
	__u32 hit_oui = 0, exact_oui = 0;
	__u64 seed = 0x5eed0fbe11c4ull;
	int err;

	err = load_registry(&cb, "oui.csv", 6);
	err = err ?: load_registry(&cb, "mam.csv", 7);
	err = err ?: load_registry(&cb, "oui36.csv", 9);
	if (err)
		return err;
	if (!rs->n36) {
		/* No restricted MA-S in this ieee-data: make the first MA-S
		 * block restricted so the /36 path is measured at all. */
		__u64 mac = cb.first_block << 12;
		__u64 key = vw_prefix_key(mac, 36);
		struct vw_prefix p = { .vendor = 99, .restricted = 1 };

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.vw_prefix), &key,
					&p, BPF_ANY))
			return -errno;
		oui_set(rs, vw_oui_of_u64(mac), VW_OUI_BIT_P36);
		rs->n36 = 1;
		rs->synthetic36 = true;
	}
	if (rs->synthetic36)
		rs->mac_hit36 = (cb.first_block << 12) | 0x123;

	/* Test MACs: a fast-path /24 hit and, in another restricted /24,
	 * the exact-listed device. */
	for (__u32 oui = 0; oui < (1u << 24) && !exact_oui; oui++) {
		if (oui_bits(rs, oui) != VW_OUI_BIT_RESTRICTED || (oui >> 16) & 3)
			continue;
		if (!hit_oui)
			hit_oui = oui;
		else
			exact_oui = oui;
	}
	if (!exact_oui)
		return -ENOENT;
	rs->mac_hit24 = ((__u64)hit_oui << 24) | 0x123456;
	rs->mac_exact = ((__u64)exact_oui << 24) | 0xabcdef;

	/* 4096 random globally administered unicast MACs outside the
	 * restricted set, like an operator's quarantine list. */
	for (unsigned i = 0; i < N_DEVICES;) {
		__u64 mac = xorshift(&seed) & 0xfcffffffffffull;

		if (oui_bits(rs, vw_oui_of_u64(mac)) & VW_OUI_BIT_RESTRICTED)
			continue;
		rs->devices[i++] = mac;
	}
	rs->devices[N_DEVICES] = rs->mac_exact;
	rs->ndev = N_DEVICES + 1;
	for (unsigned i = 0; i < rs->ndev; i++) {
		struct vw_device d = {
			.flags = i < N_DEVICES ? VW_DEV_QUARANTINED : VW_DEV_RESTRICTED,
			.vendor = 1,
		};

		oui_set(rs, vw_oui_of_u64(rs->devices[i]), VW_OUI_BIT_DEV);
		if (bpf_map_update_elem(dev_fd, &rs->devices[i], &d, BPF_ANY))
			return -errno;
	}

	/* Benign endpoints: OUIs with no bit at all, so they stay on the
	 * one-load fast path. */
	do
		rs->mac_benign = xorshift(&seed) & 0xfcffffffffffull;
	while (oui_bits(rs, vw_oui_of_u64(rs->mac_benign)));
	do
		rs->mac_peer = xorshift(&seed) & 0xfcffffffffffull;
	while (oui_bits(rs, vw_oui_of_u64(rs->mac_peer)));

	for (__u32 i = 0; i < VW_OUI_WORDS; i++) {
		if (!rs->words[i])
			continue;
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.vw_oui), &i,
					&rs->words[i], BPF_ANY))
			return -errno;
	}
	return 0;
}

/* A MAC inside some loaded restricted /36 block: walk vw_prefix. */
static int find_hit36(struct vendorwall_bpf *skel, struct ruleset *rs)
{
	int fd = bpf_map__fd(skel->maps.vw_prefix);
	__u64 key, next;
	void *prev = NULL;

	if (rs->mac_hit36)
		return 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if ((next >> 48) == 36) {
			rs->mac_hit36 = (next & 0xffffffffffffull) | 0x123;
			return 0;
		}
		key = next;
		prev = &key;
	}
	return -ENOENT;
}

static int vw_base_config(struct vendorwall_bpf *skel)
{
	/* An alert interval longer than any run: floor_hit's flood test
	 * needs the alert cache entry of the hit reported before the rounds
	 * to stay valid whichever program a round runs first. */
	struct vw_config cfg = {
		.alert_interval_s = 86400,
		.event_burst = 100,
		.events_per_s = 1000,
		.sample_interval_ms = 1000,
		.sample_burst = 5,
		.sample_snaplen = 256,
	};
	struct vw_segment seg = { .mode = VW_MODE_BLOCK, .action = VW_ACTION_DROP };
	struct vw_iface ifc = { .slot = 1 };
	__u32 zero = 0, slot = 1, lo = IFINDEX_LO;

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.vw_config), &zero, &cfg, 0) ||
	    bpf_map_update_elem(bpf_map__fd(skel->maps.vw_segment), &slot, &seg, 0) ||
	    bpf_map_update_elem(bpf_map__fd(skel->maps.vw_iface), &lo, &ifc, 0))
		return -errno;
	return 0;
}

/* ---- Reference programs ------------------------------------------------ */

static int load_raw(const char *name, const struct bpf_insn *insns, size_t n)
{
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, name, "GPL", insns, n, NULL);

	return fd < 0 ? -errno : fd;
}

static int load_return(const char *name, int action)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = action },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return load_raw(name, insns, ARRAY_SIZE(insns));
}

/* Context for veth: reads one byte of the source MAC and drops. The
 * no-op never touches the frame, so its rate has no cost of bringing the
 * frame's data into the cache, which every classifier pays; on veth that
 * data was written by another stage of the pipeline (page-pool pages in
 * turn), not reused as test_run reuses its one buffer. */
static int load_touch(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_1,
		  .off = offsetof(struct xdp_md, data) },
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = BPF_REG_3, .src_reg = BPF_REG_1,
		  .off = offsetof(struct xdp_md, data_end) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_4, .src_reg = BPF_REG_2 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_4, .imm = 14 },
		{ .code = BPF_JMP | BPF_JGT | BPF_X, .dst_reg = BPF_REG_4, .src_reg = BPF_REG_3,
		  .off = 1 },
		{ .code = BPF_LDX | BPF_B | BPF_MEM, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_2,
		  .off = 6 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_DROP },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return load_raw("vwb_touch_drop", insns, ARRAY_SIZE(insns));
}

/* Context for veth: one inlined array lookup (vw_segment's entry 1, one
 * cache line the frame does not bring) and a drop, to set the cost of a
 * map line in the live pipeline against its cost in test_run. */
static int load_lookup(int map_fd)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = BPF_REG_10, .off = -4, .imm = 1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_2, .imm = -4 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd },
		{ 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = BPF_REG_0, .off = 1 },
		{ .code = BPF_LDX | BPF_B | BPF_MEM, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_DROP },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return load_raw("vwb_lookup_drop", insns, ARRAY_SIZE(insns));
}

/* The traffic generator: every live frame is sent out of ifindex. */
static int load_redirect(int ifindex)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1,
		  .imm = ifindex },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return load_raw("vwb_gen", insns, ARRAY_SIZE(insns));
}

/* Debian's xdp-filter, Ethernet feature only, with the same exact MACs. */
static int load_xdpfilter(struct bpf_object **objp, const struct ruleset *rs,
			  int ncpus)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *m, *fe;
	__u64 val[ncpus];
	int err;

	obj = bpf_object__open_file(XDPFILT_OBJ, NULL);
	if (!obj)
		return -errno;
	*objp = obj;
	/* Its maps are pinned by name for libxdp; the bench leaves nothing
	 * behind in /sys/fs/bpf. */
	bpf_object__for_each_map(m, obj)
		bpf_map__set_pin_path(m, NULL);
	err = bpf_object__load(obj);
	if (err)
		return err;
	fe = bpf_object__find_map_by_name(obj, "filter_ethernet");
	prog = bpf_object__next_program(obj, NULL);
	if (!fe || !prog)
		return -ENOENT;
	/* Layout per its BTF: PERCPU_HASH, key struct ethaddr (6 bytes),
	 * value u64 flags | counter << 6. */
	if (bpf_map__type(fe) != BPF_MAP_TYPE_PERCPU_HASH ||
	    bpf_map__key_size(fe) != 6 || bpf_map__value_size(fe) != 8)
		return -EPROTO;
	for (int c = 0; c < ncpus; c++)
		val[c] = XDPF_FLAG_SRC | XDPF_FLAG_DST;
	for (unsigned i = 0; i < rs->ndev; i++) {
		__u8 key[6];

		for (int b = 0; b < 6; b++)
			key[b] = rs->devices[i] >> (40 - 8 * b);
		if (bpf_map_update_elem(bpf_map__fd(fe), key, val, BPF_ANY))
			return -errno;
	}
	return bpf_program__fd(prog);
}

/* ---- test_run ---------------------------------------------------------- */

/* The programs before T_COLS run on every frame (the table's columns);
 * the floors only on the frame they are built for (floor_of). */
enum tr_prog {
	T_EMPTY, T_XDPF, T_VW, T_ALT, T_COLS,
	T_FL_PB = T_COLS, T_FL_BENIGN, T_FL_MGMT, T_FL_HIT, T_MAX
};

static const char *const tr_name[T_MAX] = {
	"empty XDP_PASS", "xdp-filter eth", "vendorwall", "--compare object",
	"floor parse+bitmap", "floor benign", "floor benign+mgmt", "floor hit",
};

/* Each floor's program in tools/vw-floor.bpf.c, its frame and the verdict
 * it gives that frame on the path it measures. */
static const struct {
	const char *prog;
	enum frame_id frame;
	__u32 verdict;
} floor_of[T_MAX - T_COLS] = {
	{ "floor_parse_bitmap", F_BENIGN, XDP_PASS },
	{ "floor_benign", F_BENIGN, XDP_PASS },
	{ "floor_benign_mgmt", F_BENIGN, XDP_PASS },
	{ "floor_hit", F_HIT24, XDP_DROP },
};

static bool runs_on(int p, int f)
{
	return p < T_COLS || floor_of[p - T_COLS].frame == (enum frame_id)f;
}

/* What program p must return for frame f, or -1 when it is not checked. */
static long want_verdict(int p, int f)
{
	if (p == T_VW || p == T_ALT)
		return frame_verdict[f];
	return p >= T_COLS ? (long)floor_of[p - T_COLS].verdict : -1;
}

/* The clock of the test_run figures: the thread's CPU time, or with
 * --monotonic the wall clock (see test_run). */
static clockid_t g_tr_clock = CLOCK_THREAD_CPUTIME_ID;

/* Involuntary context switches of this thread so far. */
static long preemptions(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? 0 : ru.ru_nivcsw;
}

/* ns of g_tr_clock spent in one BPF_PROG_TEST_RUN call of repeat frames. */
static int tr_call(int fd, const __u8 *frame, unsigned repeat, double *ns,
		   __u32 *kns, __u32 *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
		    .data_size_in = FRAME_LEN, .repeat = repeat);
	struct timespec t0, t1;

	clock_gettime(g_tr_clock, &t0);
	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	clock_gettime(g_tr_clock, &t1);
	*ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	*kns = o.duration;
	*retval = o.retval;
	return 0;
}

/* ns per packet from a clock read around the syscall, as a double, with the
 * kernel's own figure as context. The kernel divides its total by the
 * repeat count in integer arithmetic, so its figure is truncated to whole
 * ns: a 4.9 ns program reads 4, and a ratio of two 4-20 ns figures moves by
 * up to 25 % on truncation alone.
 * The call costs more than the frames, outside the kernel's clock: with
 * repeat > 1 the kernel puts the program into the XDP dispatcher and takes
 * it out again, image updates that also wait for RCU grace periods
 * (measured: a repeat-2 call takes 0.3-1.2 ms of wall clock on the
 * development machine, i.e. up to 1.2 ns per frame at 1 M repeats, and
 * varies from call to call by as much). So:
 * - a call of repeat 2, which pays the same fixed costs, is subtracted
 *   (the fastest of TR_FIXED_CALLS);
 * - the clock is the thread's CPU time, which neither the grace periods
 *   (the thread sleeps) nor other tasks preempting the thread advance: the
 *   wall clock (CLOCK_MONOTONIC, --monotonic) put the minimum of 1 M
 *   repeats 1-2 ns above the kernel's figure on a shared machine, and with
 *   the subtraction its noise made minima fall below it;
 * - with the wall clock, a pair of calls during which the thread was
 *   preempted is run again (up to TR_TRIES pairs; *preempted says every
 *   try was), since the other task's time would be in the figure. */
#define TR_TRIES 8
#define TR_FIXED_CALLS 3
static int test_run(int fd, const __u8 *frame, unsigned repeat, double *ns,
		    double *kns, __u32 *retval, bool *preempted)
{
	bool wall = g_tr_clock == CLOCK_MONOTONIC;

	*preempted = true;
	for (int i = 0; i < TR_TRIES && *preempted; i++) {
		long sw = preemptions();
		double fixed, total = 0;
		__u32 k = 0, k2 = 0, r2 = 0;
		int err = 0;

		/* The fixed cost's outliers are high (an interrupt, a slow
		 * image update) and would make a figure too low: its minimum
		 * over a few calls is subtracted. */
		fixed = INFINITY;
		for (int j = 0; j < TR_FIXED_CALLS && !err; j++) {
			double one = 0;

			err = tr_call(fd, frame, 2, &one, &k2, &r2);
			fixed = one < fixed ? one : fixed;
		}
		err = err ?: tr_call(fd, frame, repeat, &total, &k, retval);
		if (err)
			return err;
		*preempted = wall && preemptions() != sw;
		if (i == 0 || !*preempted || (total - fixed) / (repeat - 2) < *ns) {
			*ns = (total - fixed) / (repeat - 2);
			*kns = k;
		}
	}
	return 0;
}

/* ---- veth ------------------------------------------------------------- */

struct veth {
	char ns_tx[32], ns_rx[32];
	bool have_tx, have_rx;
	int self_fd, tx_fd, rx_fd;   /* netns fds */
	int ifindex_a, ifindex_b;    /* a in ns_tx sends, b in ns_rx receives */
	int sock;                    /* ethtool socket in ns_rx */
	int attached;                /* prog fd on b, or -1 */
};

static int run_cmd(const char *const argv[])
{
	pid_t pid;
	int st, err;

	err = posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
	if (err)
		return -err;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -ECHILD;
}

static int enter_ns(int fd)
{
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

static int open_ns(const char *name)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void veth_init(struct veth *v)
{
	memset(v, 0, sizeof(*v));
	v->self_fd = v->tx_fd = v->rx_fd = v->sock = v->attached = -1;
}

static int veth_setup(struct veth *v)
{
	int err;

	snprintf(v->ns_tx, sizeof(v->ns_tx), "vwbench-tx-%d", (int)getpid());
	snprintf(v->ns_rx, sizeof(v->ns_rx), "vwbench-rx-%d", (int)getpid());
	v->self_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (v->self_fd < 0)
		return -errno;
	err = run_cmd((const char *const[]){ "ip", "netns", "add", v->ns_tx, NULL });
	if (err)
		return err;
	v->have_tx = true;
	err = run_cmd((const char *const[]){ "ip", "netns", "add", v->ns_rx, NULL });
	if (err)
		return err;
	v->have_rx = true;
	err = run_cmd((const char *const[]){ "ip", "-n", v->ns_tx, "link", "add",
		"vwbA", "type", "veth", "peer", "name", "vwbB", "netns",
		v->ns_rx, NULL });
	err = err ?: run_cmd((const char *const[]){ "ip", "-n", v->ns_tx, "link",
		"set", "vwbA", "up", NULL });
	err = err ?: run_cmd((const char *const[]){ "ip", "-n", v->ns_rx, "link",
		"set", "vwbB", "up", NULL });
	if (err)
		return err;
	v->tx_fd = open_ns(v->ns_tx);
	if (v->tx_fd < 0)
		return v->tx_fd;
	v->rx_fd = open_ns(v->ns_rx);
	if (v->rx_fd < 0)
		return v->rx_fd;
	err = enter_ns(v->tx_fd);
	if (err)
		return err;
	v->ifindex_a = if_nametoindex("vwbA");
	err = enter_ns(v->rx_fd);
	if (err)
		return err;
	v->ifindex_b = if_nametoindex("vwbB");
	/* The socket stays in ns_rx whatever namespace we are in later. */
	v->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (v->sock < 0)
		return -errno;
	if (!v->ifindex_a || !v->ifindex_b)
		return -ENODEV;
	return enter_ns(v->self_fd);
}

/* Deleting the namespaces deletes the veth pair and with it every XDP
 * attachment; the detach first keeps the order obvious. */
static void veth_teardown(struct veth *v)
{
	if (v->attached >= 0 && v->rx_fd >= 0 && !enter_ns(v->rx_fd))
		bpf_xdp_detach(v->ifindex_b, XDP_FLAGS_DRV_MODE, NULL);
	if (v->self_fd >= 0)
		enter_ns(v->self_fd);
	if (v->sock >= 0)
		close(v->sock);
	if (v->tx_fd >= 0)
		close(v->tx_fd);
	if (v->rx_fd >= 0)
		close(v->rx_fd);
	if (v->have_tx)
		run_cmd((const char *const[]){ "ip", "netns", "del", v->ns_tx, NULL });
	if (v->have_rx)
		run_cmd((const char *const[]){ "ip", "netns", "del", v->ns_rx, NULL });
	if (v->self_fd >= 0)
		close(v->self_fd);
	veth_init(v);
}

static int veth_attach(struct veth *v, int prog_fd)
{
	int err = enter_ns(v->rx_fd);

	if (err)
		return err;
	err = bpf_xdp_attach(v->ifindex_b, prog_fd, XDP_FLAGS_DRV_MODE, NULL);
	if (!err)
		v->attached = prog_fd;
	return err ?: enter_ns(v->self_fd);
}

/* Frames that reached vwbB's XDP program, whatever it returned. */
static int veth_rx_frames(struct veth *v, __u64 *out)
{
	struct ethtool_sset_info *ss;
	struct ethtool_gstrings *gs = NULL;
	struct ethtool_stats *st = NULL;
	struct ifreq ifr = {};
	__u32 n;
	int err = 0;

	ss = calloc(1, sizeof(*ss) + sizeof(__u32));
	if (!ss)
		return -ENOMEM;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "vwbB");
	ss->cmd = ETHTOOL_GSSET_INFO;
	ss->sset_mask = 1ull << ETH_SS_STATS;
	ifr.ifr_data = (void *)ss;
	if (ioctl(v->sock, SIOCETHTOOL, &ifr)) {
		err = -errno;
		goto out;
	}
	n = ss->data[0];
	gs = calloc(1, sizeof(*gs) + (size_t)n * ETH_GSTRING_LEN);
	st = calloc(1, sizeof(*st) + (size_t)n * sizeof(__u64));
	if (!gs || !st) {
		err = -ENOMEM;
		goto out;
	}
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = n;
	ifr.ifr_data = (void *)gs;
	if (ioctl(v->sock, SIOCETHTOOL, &ifr)) {
		err = -errno;
		goto out;
	}
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	ifr.ifr_data = (void *)st;
	if (ioctl(v->sock, SIOCETHTOOL, &ifr)) {
		err = -errno;
		goto out;
	}
	*out = 0;
	for (__u32 i = 0; i < n; i++) {
		const char *name = (const char *)gs->data + i * ETH_GSTRING_LEN;
		unsigned q;
		char tail[ETH_GSTRING_LEN];

		if (sscanf(name, "rx_queue_%u_%31s", &q, tail) == 2 &&
		    !strcmp(tail, "xdp_packets"))
			*out += st->data[i];
	}
out:
	free(ss);
	free(gs);
	free(st);
	return err;
}

/* Generates frame for secs seconds from ns_tx; returns the rate at which
 * frames reached the receiving XDP program. */
static int veth_measure(struct veth *v, int gen_fd, const __u8 *frame,
			double secs, double *mpps)
{
	__u64 before, after;
	double t0, t;
	int err;

	err = veth_rx_frames(v, &before);
	err = err ?: enter_ns(v->tx_fd);
	if (err)
		return err;
	t0 = now_s();
	do {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
			    .data_size_in = FRAME_LEN, .repeat = GEN_CHUNK,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

		if (bpf_prog_test_run_opts(gen_fd, &o)) {
			err = -errno;
			break;
		}
		t = now_s();
	} while (t - t0 < secs && !g_stop);
	t = now_s();
	err = err ?: enter_ns(v->self_fd);
	err = err ?: veth_rx_frames(v, &after);
	if (err)
		return err;
	*mpps = (after - before) / (t - t0) / 1e6;
	return 0;
}

/* ---- main -------------------------------------------------------------- */

struct opts {
	unsigned repeat;
	unsigned rounds;
	double veth_s;
	const char *compare;	/* another build's vendorwall.bpf.o, or NULL */
};

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "repeat", required_argument, NULL, 'r' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "veth-seconds", required_argument, NULL, 's' },
		{ "monotonic", no_argument, NULL, 'm' },
		{ "compare", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "r:n:s:mc:h", lo, NULL)) != -1) {
		char *end = "";

		errno = 0;
		switch (c) {
		case 'r':
			o->repeat = strtoul(optarg, &end, 10);
			break;
		case 'n':
			o->rounds = strtoul(optarg, &end, 10);
			break;
		case 's':
			o->veth_s = strtod(optarg, &end);
			break;
		case 'm':
			g_tr_clock = CLOCK_MONOTONIC;
			continue;
		case 'c':
			o->compare = optarg;
			continue;
		default:
			return -EINVAL;
		}
		if (errno || *end || end == optarg)
			return -EINVAL;
	}
	if (optind != argc || o->repeat < 1000 || o->rounds < 1 || o->rounds > 1000 ||
	    !(o->veth_s >= 0) || o->veth_s > 600)
		return -EINVAL;
	return 0;
}

/* Gives obj's maps the fds of skel's maps of the same name (internal
 * ones aside), so its programs read the same rule set and write the same
 * counters. A map skel lacks is created empty, or refused (-ENOENT) when
 * every one must be shared. */
static int share_maps(struct bpf_object *obj, const struct vendorwall_bpf *skel,
		      bool all)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		struct bpf_map *own;

		if (bpf_map__is_internal(m))
			continue;
		own = bpf_object__find_map_by_name(skel->obj, bpf_map__name(m));
		if (!own && all)
			return -ENOENT;
		if (own && bpf_map__reuse_fd(m, bpf_map__fd(own)))
			return -errno;
	}
	return 0;
}

/* Another build of the data plane (--compare), its maps those of skel
 * wherever a map of the same name exists, so both programs judge the
 * frames by the same rule set and an A/B of two builds runs interleaved
 * in one process. A map only the other build has is created empty. */
static int load_compare(const char *path, const struct vendorwall_bpf *skel,
			struct bpf_object **objp)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	int err;

	if (!obj)
		return -errno;
	*objp = obj;
	err = share_maps(obj, skel, false);
	if (err)
		return err;
	prog = bpf_object__find_program_by_name(obj, "vw_xdp_ingress");
	if (!prog)
		return -ENOENT;
	err = bpf_object__load(obj);
	if (err)
		return err;
	return bpf_program__fd(prog);
}

/* The floor programs (tools/vw-floor.bpf.c, embedded), every map of theirs
 * replaced by vendorwall's map of the same name as load_compare does, so
 * they read the same bitmap words, segment entries and alert cache and
 * write the same counters as vw_xdp_ingress. fds[T_FL_*] on success. */
static int load_floor(struct vw_floor_bpf **flp, const struct vendorwall_bpf *skel,
		      int *fds)
{
	struct vw_floor_bpf *fl = vw_floor_bpf__open();
	int err;

	if (!fl)
		return -errno;
	*flp = fl;
	/* Both objects include bpf/vw_maps.h: every map has its twin. */
	err = share_maps(fl->obj, skel, true);
	if (!err)
		err = vw_floor_bpf__load(fl);
	if (err)
		return err;
	for (int p = T_COLS; p < T_MAX; p++) {
		struct bpf_program *prog =
			bpf_object__find_program_by_name(fl->obj, floor_of[p - T_COLS].prog);

		if (!prog)
			return -ENOENT;
		fds[p] = bpf_program__fd(prog);
	}
	return 0;
}

/* Instructions the verifier processed loading the program (not its
 * length): what a start of the daemon waits for (PERFORMANCE.md §4.8). */
static long verified_insns(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	return info.verified_insns;
}

/* Pins to one CPU: the live generator, the veth NAPI poll and the receiving
 * program then share it, as in bpf/PERFORMANCE.md §4.2. */
static int pin_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(n > 1 ? n - 1 : 0, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

enum vp { V_NOP, V_VW_HIT, V_VW_EXACT, V_XDPF_EXACT, V_TOUCH, V_LOOKUP, V_MAX };

static const char *const vp_name[V_MAX] = {
	"nop XDP_DROP        (hit24-src)",
	"vendorwall block    (hit24-src)",
	"vendorwall block    (exact-src)",
	"xdp-filter eth      (exact-src)",
	"reads MAC, XDP_DROP (hit24-src)",
	"1 array lookup, XDP_DROP (hit24)",
};

static const char *verdict(double r, double limit, bool le)
{
	if (isnan(r))
		return "n/a";
	return (le ? r <= limit : r >= limit) ? "met" : "MISSED";
}

static void fmt_ratio(char *buf, size_t len, double r)
{
	if (isnan(r))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.2f", r);
}

/* The CPU and the mitigations that set the price of a call or return in
 * JIT code, so figures from different machines are read side by side. */
static void print_cpu(void)
{
	static const char *const vuln[] = {
		"spectre_v2", "retbleed", "spec_rstack_overflow",
		"indirect_target_selection",
	};
	char line[512], model[256] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && v) {
			snprintf(model, sizeof(model), "%s", v + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	printf("bench-cpu: %s", model);
	for (size_t i = 0; i < ARRAY_SIZE(vuln); i++) {
		char path[128];

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/vulnerabilities/%s", vuln[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			/* spectre_v2 goes on with STIBP/RSB details: the first
			 * clause says what a call costs. */
			line[strcspn(line, ";\n")] = 0;
			printf("; %s: %s", vuln[i], line);
		}
		fclose(f);
	}
	printf("\n");
}

/* The table of figures, the kernel's integer figure beside each as
 * context, and whether the two agree: the minimum should lie within
 * [kernel, kernel + 1) ns of the kernel's figure of the same call,
 * since the kernel truncates (0.25 ns allowed either side for what the
 * subtraction leaves); further apart means one clock caught
 * something the other did not (preemption, a slow RCU grace period in the
 * subtracted call) and the figures are suspect. */
static void print_test_run(const double *tr, const double *trk, const int *fds,
			   unsigned rounds, unsigned n_preempted)
{
	double lo = INFINITY, hi = -INFINITY;
	unsigned n_measured = 0;

	for (int p = 0; p < T_MAX; p++)
		for (int f = 0; f < F_MAX; f++)
			n_measured += fds[p] >= 0 && runs_on(p, f);

	printf("\nBPF_PROG_TEST_RUN, ns per packet from the %s (a repeat-2 call "
	       "subtracted): min [median], the kernel's integer figure of that call as kN; "
	       "vendorwall's min over the empty program's\n",
	       g_tr_clock == CLOCK_MONOTONIC ? "wall clock" : "thread's CPU time");
	printf("%-13s", "frame");
	for (int p = 0; p < T_COLS; p++)
		printf(" %24s", tr_name[p]);
	printf(" %9s\n", "vw-empty");
	for (int f = 0; f < F_MAX; f++) {
		double wmin[T_MAX] = { 0 };

		printf("%-13s", frame_name[f]);
		for (int p = 0; p < T_COLS; p++) {
			size_t at = ((size_t)p * F_MAX + f) * rounds;
			double w = vmin(&tr[at], rounds), k = vmin(&trk[at], rounds);
			double d = w - trk[at + vargmin(&tr[at], rounds)];

			if (fds[p] < 0) {
				printf(" %24s", "-");
				continue;
			}
			printf("    %6.2f [%6.2f] k%-3.0f", w, vmedian(&tr[at], rounds), k);
			wmin[p] = w;
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		printf(" %+9.2f\n", wmin[T_VW] - wmin[T_EMPTY]);
	}
	printf("floors (tools/vw-floor.bpf.c on vendorwall's maps, same rounds): min "
	       "[median] kN, minus the empty program's min, over it, vendorwall's min "
	       "over the floor's\n");
	for (int p = T_COLS; p < T_MAX; p++) {
		int f = floor_of[p - T_COLS].frame;
		size_t at = ((size_t)p * F_MAX + f) * rounds;
		size_t ae = ((size_t)T_EMPTY * F_MAX + f) * rounds;
		size_t av = ((size_t)T_VW * F_MAX + f) * rounds;
		double w = vmin(&tr[at], rounds), e = vmin(&tr[ae], rounds);
		double d = w - trk[at + vargmin(&tr[at], rounds)];

		if (fds[p] < 0)
			continue;
		printf("%-19s %-11s %6.2f [%6.2f] k%-3.0f %+6.2f ns  x%.2f  vendorwall x%.2f\n",
		       tr_name[p], frame_name[f], w, vmedian(&tr[at], rounds),
		       vmin(&trk[at], rounds), w - e, w / e, vmin(&tr[av], rounds) / w);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	printf("clock check: min minus the kernel's figure of the same call, %+.2f to "
	       "%+.2f ns: %s", lo, hi, (lo > -0.25 && hi < 1.25) ?
	       "agree (the kernel's figure is truncated to whole ns; 0.25 ns allowed either side)" :
	       "DISAGREE by more than the kernel's truncation (rerun on a quieter machine)");
	if (g_tr_clock == CLOCK_MONOTONIC)
		printf("; %u of %u measurements preempted in all %d tries",
		       n_preempted, rounds * n_measured, TR_TRIES);
	printf("\n");
}

/* ns each program adds per frame over the no-op on veth (median over
 * rounds of 1000/rate - 1000/nop rate of the same round), beside what
 * test_run says vendorwall adds over the empty program: the difference is
 * what the live pipeline costs a program beyond its instructions. */
static void print_veth_added(const double *vr, const int *vfd, unsigned rounds,
			     double tr_hit, double tr_exact)
{
	double d[1000];

	printf("veth, ns per frame over the nop: median over rounds\n");
	for (int p = 1; p < V_MAX; p++) {
		if (vfd[p] < 0)
			continue;
		for (unsigned r = 0; r < rounds; r++)
			d[r] = 1000.0 / vr[(size_t)p * rounds + r] -
			       1000.0 / vr[(size_t)V_NOP * rounds + r];
		printf("  %-34s %+7.1f\n", vp_name[p], vmedian(d, rounds));
	}
	printf("  (test_run: vendorwall over the empty program, hit24-src %+.1f, "
	       "exact-src %+.1f)\n", tr_hit, tr_exact);
}

struct target {
	const char *name;    /* also the key on the bench: line */
	double value, limit;
	bool le;             /* value must be <= limit (else >=) */
	double floor;        /* the floor program's same ratio, 0 = none */
	double floor_mgmt;   /* the same with the management test, 0 = none */
};

int main(int argc, char **argv)
{
	struct opts o = { .repeat = 1000000, .rounds = 5, .veth_s = 3 };
	struct vendorwall_bpf *skel = NULL;
	struct vw_floor_bpf *fl_skel = NULL;
	struct bpf_object *xdpf_obj = NULL, *alt_obj = NULL;
	struct ruleset *rs = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct veth v;
	__u8 frames[F_MAX][FRAME_LEN];
	double *tr = NULL, *trk = NULL, *vr = NULL;
	int fds[T_MAX] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	int vfd[V_MAX] = { -1, -1, -1, -1, -1, -1 };
	int nop_fd = -1, gen_fd = -1, touch_fd = -1, lookup_fd = -1, ncpus, err = 0;
	unsigned n_preempted = 0;
	bool have_xdpf;
	double r_benign, r_hit, r_xdpf, r_veth, r_exact, r_mas, d_empty[F_MAX];
	double fl_pb, fl_benign, fl_mgmt, fl_hit;
	char buf[16];

	veth_init(&v);
	if (parse_args(argc, argv, &o)) {
		fprintf(stderr, "Usage: %s [--repeat N] [--rounds N] "
			"[--veth-seconds S (0: no veth)] [--monotonic] "
			"[--compare OTHER.bpf.o]\n", argv[0]);
		return 2;
	}
	/* No SA_RESTART: a signal must end a long test_run with EINTR so the
	 * single cleanup path below runs. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	libbpf_set_print(libbpf_quiet);

	ncpus = libbpf_num_possible_cpus();
	rs = calloc(1, sizeof(*rs));
	tr = calloc((size_t)T_MAX * F_MAX * o.rounds, sizeof(double));
	trk = calloc((size_t)T_MAX * F_MAX * o.rounds, sizeof(double));
	vr = calloc((size_t)V_MAX * o.rounds, sizeof(double));
	if (ncpus <= 0 || !rs || !tr || !trk || !vr ||
	    !(rs->words = calloc(VW_OUI_WORDS, sizeof(__u64)))) {
		err = -ENOMEM;
		fprintf(stderr, "Error: out of memory\n");
		goto out;
	}
	err = pin_cpu();
	if (err) {
		fprintf(stderr, "Error: pinning to a CPU: %s\n", strerror(-err));
		goto out;
	}

	skel = vendorwall_bpf__open_and_load();
	if (!skel) {
		err = -errno;
		fprintf(stderr, "Error: loading vendorwall: %s\n", strerror(-err));
		goto out;
	}
	err = vw_base_config(skel);
	err = err ?: load_ruleset(skel, rs);
	err = err ?: find_hit36(skel, rs);
	if (err) {
		fprintf(stderr, "Error: loading the restricted set from %s: %s\n",
			IEEE_DIR, strerror(-err));
		goto out;
	}
	fds[T_VW] = bpf_program__fd(skel->progs.vw_xdp_ingress);

	build_frame(frames[F_BENIGN], rs->mac_peer, rs->mac_benign, 0);
	build_frame(frames[F_HIT24], rs->mac_peer, rs->mac_hit24, 0);
	build_frame(frames[F_HIT36], rs->mac_peer, rs->mac_hit36, 0);
	build_frame(frames[F_EXACT], rs->mac_peer, rs->mac_exact, 0);
	build_frame(frames[F_VLAN], rs->mac_peer, rs->mac_benign, 10);

	fds[T_EMPTY] = load_return("vwb_empty", XDP_PASS);
	nop_fd = load_return("vwb_nop_drop", XDP_DROP);
	if (fds[T_EMPTY] < 0 || nop_fd < 0) {
		err = fds[T_EMPTY] < 0 ? fds[T_EMPTY] : nop_fd;
		fprintf(stderr, "Error: loading reference programs: %s\n",
			strerror(-err));
		goto out;
	}
	have_xdpf = access(XDPFILT_OBJ, R_OK) == 0;
	if (have_xdpf) {
		fds[T_XDPF] = load_xdpfilter(&xdpf_obj, rs, ncpus);
		if (fds[T_XDPF] < 0) {
			err = fds[T_XDPF];
			fprintf(stderr, "Error: loading %s: %s\n", XDPFILT_OBJ,
				strerror(-err));
			goto out;
		}
	}

	if (o.compare) {
		fds[T_ALT] = load_compare(o.compare, skel, &alt_obj);
		if (fds[T_ALT] < 0) {
			err = fds[T_ALT];
			fprintf(stderr, "Error: loading %s: %s\n", o.compare,
				strerror(-err));
			goto out;
		}
	}

	err = load_floor(&fl_skel, skel, fds);
	if (err) {
		fprintf(stderr, "Error: loading the floor programs (tools/vw-floor.bpf.c): %s\n",
			strerror(-err));
		goto out;
	}
	/* One hit reported before the rounds, so the floor's flood test finds
	 * the alert cache entry that vendorwall's hit frames find after their
	 * first frame (floor_hit returns XDP_TX without it). */
	{
		double ns = 0, kns = 0;
		__u32 ret = 0;
		bool pre = false;

		err = test_run(fds[T_VW], frames[F_HIT24], 3, &ns, &kns, &ret, &pre);
		if (err) {
			fprintf(stderr, "Error: test_run vendorwall/%s: %s\n",
				frame_name[F_HIT24], strerror(-err));
			goto out;
		}
		err = test_run(fds[T_FL_HIT], frames[F_HIT24], 1, &ns, &kns, &ret, &pre);
		if (!err && ret != XDP_DROP)
			err = -EPROTO;
		if (err) {
			fprintf(stderr, "Error: floor_hit after one reported hit: %s (verdict %u): "
				"the alert cache holds no entry for it\n", strerror(-err), ret);
			goto out;
		}
	}

	printf("vw-bench: kernel test_run, %u rounds x %u repeats; veth %u rounds "
	       "x %.1f s\n", o.rounds, o.repeat, o.rounds, o.veth_s);
	printf("rule set: %u MA-L /24, %u MA-M /28, %u MA-S /36%s, %u exact MACs "
	       "(ieee-data match: huawei|zte corporation|hikvision|zhejiang dahua|"
	       "hytera)\n", rs->n24, rs->n28, rs->n36,
	       rs->synthetic36 ? " (made up: no vendor match)" : "", rs->ndev);

	/* test_run: programs alternate inside each round so drift in host
	 * state hits them alike. */
	for (unsigned r = 0; r < o.rounds && !g_stop; r++) {
		for (int f = 0; f < F_MAX && !g_stop; f++) {
			for (int k = 0; k < T_MAX; k++) {
				int p = (k + r + f) % T_MAX;
				__u32 ret = 0;
				double ns = 0, kns = 0;
				bool pre = false;

				if (fds[p] < 0 || !runs_on(p, f))
					continue;
				err = test_run(fds[p], frames[f], o.repeat, &ns, &kns,
					       &ret, &pre);
				n_preempted += pre;
				if (err == -EINTR && g_stop)
					break;
				if (err) {
					fprintf(stderr, "Error: test_run %s/%s: %s\n",
						tr_name[p], frame_name[f],
						strerror(-err));
					goto out;
				}
				if (want_verdict(p, f) >= 0 && ret != want_verdict(p, f)) {
					err = -EPROTO;
					fprintf(stderr, "Error: %s returned %u for "
						"%s, want %ld\n", tr_name[p], ret, frame_name[f],
						want_verdict(p, f));
					goto out;
				}
				tr[((size_t)p * F_MAX + f) * o.rounds + r] = ns;
				trk[((size_t)p * F_MAX + f) * o.rounds + r] = kns;
			}
		}
	}
	if (g_stop)
		goto interrupted;

#define TMIN(p, f) vmin(&tr[((size_t)(p) * F_MAX + (f)) * o.rounds], o.rounds)
	print_test_run(tr, trk, fds, o.rounds, n_preempted);
	for (int f = 0; f < F_MAX; f++)
		d_empty[f] = TMIN(T_VW, f) - TMIN(T_EMPTY, f);
	r_benign = TMIN(T_VW, F_BENIGN) / TMIN(T_EMPTY, F_BENIGN);
	r_hit = TMIN(T_VW, F_HIT24) / TMIN(T_EMPTY, F_HIT24);
	r_xdpf = have_xdpf ? TMIN(T_VW, F_BENIGN) / TMIN(T_XDPF, F_BENIGN) : NAN;
	/* The slow paths against xdp-filter's one hash lookup of the same
	 * exact-listed MAC. */
	r_exact = have_xdpf ? TMIN(T_VW, F_EXACT) / TMIN(T_XDPF, F_EXACT) : NAN;
	r_mas = have_xdpf ? TMIN(T_VW, F_HIT36) / TMIN(T_XDPF, F_EXACT) : NAN;
	/* The floors over the empty program, same frames, same method. */
	fl_pb = TMIN(T_FL_PB, F_BENIGN) / TMIN(T_EMPTY, F_BENIGN);
	fl_benign = TMIN(T_FL_BENIGN, F_BENIGN) / TMIN(T_EMPTY, F_BENIGN);
	fl_mgmt = TMIN(T_FL_MGMT, F_BENIGN) / TMIN(T_EMPTY, F_BENIGN);
	fl_hit = TMIN(T_FL_HIT, F_HIT24) / TMIN(T_EMPTY, F_HIT24);

	r_veth = NAN;
	if (!o.veth_s)
		goto report;	/* --veth-seconds 0: test_run figures only */

	/* veth: the receiving program must drop, like the nop, or the stack
	 * cost would swamp the comparison; a restricted source in block mode
	 * is that case for vendorwall. */
	err = veth_setup(&v);
	if (err) {
		fprintf(stderr, "Error: creating the veth namespaces: %s\n",
			strerror(-err));
		goto out;
	}
	{
		__u32 b = v.ifindex_b;
		struct vw_iface ifc = { .slot = 1 };

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.vw_iface), &b, &ifc, 0)) {
			err = -errno;
			fprintf(stderr, "Error: vw_iface: %s\n", strerror(-err));
			goto out;
		}
	}
	gen_fd = load_redirect(v.ifindex_a);
	if (gen_fd < 0) {
		err = gen_fd;
		fprintf(stderr, "Error: loading the generator: %s\n", strerror(-err));
		goto out;
	}
	touch_fd = load_touch();
	lookup_fd = load_lookup(bpf_map__fd(skel->maps.vw_segment));
	if (touch_fd < 0 || lookup_fd < 0) {
		err = touch_fd < 0 ? touch_fd : lookup_fd;
		fprintf(stderr, "Error: loading the veth references: %s\n",
			strerror(-err));
		goto out;
	}
	vfd[V_NOP] = nop_fd;
	vfd[V_TOUCH] = touch_fd;
	vfd[V_LOOKUP] = lookup_fd;
	vfd[V_VW_HIT] = fds[T_VW];
	vfd[V_VW_EXACT] = fds[T_VW];
	vfd[V_XDPF_EXACT] = fds[T_XDPF];
	for (unsigned r = 0; r < o.rounds && !g_stop; r++) {
		for (int k = 0; k < V_MAX && !g_stop; k++) {
			int p = (k + r) % V_MAX;
			const __u8 *fr = (p == V_NOP || p == V_VW_HIT || p == V_TOUCH ||
					  p == V_LOOKUP) ?
					 frames[F_HIT24] : frames[F_EXACT];

			if (vfd[p] < 0)
				continue;
			err = veth_attach(&v, vfd[p]);
			err = err ?: veth_measure(&v, gen_fd, fr, o.veth_s,
						  &vr[(size_t)p * o.rounds + r]);
			if (err == -EINTR && g_stop)
				break;
			if (err) {
				fprintf(stderr, "Error: veth round %u (%s): %s\n", r,
					vp_name[p], strerror(-err));
				goto out;
			}
		}
	}
	if (g_stop)
		goto interrupted;

	printf("\nveth, one CPU, 60-byte frames, Mpps: median [min-max]\n");
	for (int p = 0; p < V_MAX; p++) {
		const double *s = &vr[(size_t)p * o.rounds];

		if (vfd[p] < 0)
			continue;
		printf("%-34s %6.2f [%.2f-%.2f]\n", vp_name[p],
		       vmedian(s, o.rounds), vmin(s, o.rounds), vmax(s, o.rounds));
	}
	r_veth = vmedian(&vr[(size_t)V_VW_HIT * o.rounds], o.rounds) /
		 vmedian(&vr[(size_t)V_NOP * o.rounds], o.rounds);
	print_veth_added(vr, vfd, o.rounds, d_empty[F_HIT24], d_empty[F_EXACT]);

report:
	{
		const struct target tg[] = {
			{ "benign/empty", r_benign, 1.5, true, fl_benign, fl_mgmt },
			{ "hit/empty", r_hit, 1.8, true, fl_hit, 0 },
			{ "benign/xdp-filter", r_xdpf, 0.5, true, 0, 0 },
			{ "veth/noop", r_veth, 0.9, false, 0, 0 },
			{ "exact/xdp-filter", r_exact, 1.0, true, 0, 0 },
			{ "mas/xdp-filter", r_mas, 1.0, true, 0, 0 },
		};

		printf("\ntargets (test_run ratios of minimums, veth ratio of "
		       "medians; xdp-filter's exact-src frame for exact and "
		       "MA-S):\n");
		for (size_t i = 0; i < ARRAY_SIZE(tg); i++) {
			fmt_ratio(buf, sizeof(buf), tg[i].value);
			printf("  %-18s %5s  %s %.2f  %s", tg[i].name, buf,
			       tg[i].le ? "<=" : ">=", tg[i].limit,
			       verdict(tg[i].value, tg[i].limit, tg[i].le));
			if (tg[i].floor_mgmt > 0)
				printf(" (floor on this CPU: %.2f, with the management "
				       "test %.2f)", tg[i].floor, tg[i].floor_mgmt);
			else if (tg[i].floor > 0)
				printf(" (floor on this CPU: %.2f)", tg[i].floor);
			printf("\n");
		}
		if (o.veth_s && vfd[V_XDPF_EXACT] >= 0) {
			double rx = vmedian(&vr[(size_t)V_VW_EXACT * o.rounds], o.rounds) /
				    vmedian(&vr[(size_t)V_XDPF_EXACT * o.rounds], o.rounds);

			printf("  (context) veth vendorwall/xdp-filter, exact-src: "
			       "%.2f (bpf/PERFORMANCE.md G6 asks >= 1.15)\n", rx);
		}
		if (fds[T_ALT] >= 0) {
			printf("compare: --compare object's min over this build's "
			       "(same rounds, same maps):");
			for (int f = 0; f < F_MAX; f++)
				printf(" %s=%.3f", frame_name[f],
				       TMIN(T_ALT, f) / TMIN(T_VW, f));
			if (have_xdpf)
				printf("; its benign/xdp-filter=%.3f",
				       TMIN(T_ALT, F_BENIGN) / TMIN(T_XDPF, F_BENIGN));
			printf("\n");
		}
		print_cpu();
		printf("bench-ns: vendorwall minus empty, ns:");
		for (int f = 0; f < F_MAX; f++)
			printf(" %s=%+.1f", frame_name[f], d_empty[f]);
		printf("\nbench:");
		for (size_t i = 0; i < ARRAY_SIZE(tg); i++) {
			fmt_ratio(buf, sizeof(buf), tg[i].value);
			printf(" %s=%s", tg[i].name, buf);
		}
		printf("\n");
		printf("bench-floor: parse+bitmap/empty=%.2f benign-floor/empty=%.2f "
		       "hit-floor/empty=%.2f vendorwall-benign/benign-floor=%.2f "
		       "vendorwall-hit/hit-floor=%.2f benign+mgmt-floor/empty=%.2f "
		       "vendorwall-benign/benign+mgmt-floor=%.2f\n",
		       fl_pb, fl_benign, fl_hit,
		       TMIN(T_VW, F_BENIGN) / TMIN(T_FL_BENIGN, F_BENIGN),
		       TMIN(T_VW, F_HIT24) / TMIN(T_FL_HIT, F_HIT24), fl_mgmt,
		       TMIN(T_VW, F_BENIGN) / TMIN(T_FL_MGMT, F_BENIGN));
		printf("bench-verify: xdp=%ld tc=%ld insns\n",
		       verified_insns(fds[T_VW]),
		       verified_insns(bpf_program__fd(skel->progs.vw_tc_egress)));
	}
	err = 0;
	goto out;

interrupted:
	fprintf(stderr, "vw-bench: interrupted, cleaning up\n");
	err = -EINTR;
out:
	veth_teardown(&v);
	if (gen_fd >= 0)
		close(gen_fd);
	if (nop_fd >= 0)
		close(nop_fd);
	if (touch_fd >= 0)
		close(touch_fd);
	if (lookup_fd >= 0)
		close(lookup_fd);
	if (fds[T_EMPTY] >= 0)
		close(fds[T_EMPTY]);
	bpf_object__close(xdpf_obj);
	bpf_object__close(alt_obj);
	vw_floor_bpf__destroy(fl_skel);
	vendorwall_bpf__destroy(skel);
	if (rs)
		free(rs->words);
	free(rs);
	free(tr);
	free(trk);
	free(vr);
	return err ? 1 : 0;
}
