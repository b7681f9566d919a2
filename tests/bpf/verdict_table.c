// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verdict table for the data plane: every row is one frame run through
 * BPF_PROG_TEST_RUN against vw_xdp_ingress or vw_tc_egress on a freshly
 * loaded skeleton, with the verdict, every counter of every slot, the event
 * record and the management sample checked. Output is TAP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vendorwall.h"
#include "vw_mgmt.h"
#include "vendorwall.skel.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_FRAME 512
#define MAX_REC 8
/* test_run refuses user data shorter than an Ethernet header; shorter
 * packets are made by declaring the first bytes XDP metadata. */
#define META_LEN 16
#define ETH_MIN 14

/* ---- Test policy ------------------------------------------------------- */

#define MAC(a, b, c, d, e, f) { 0x##a, 0x##b, 0x##c, 0x##d, 0x##e, 0x##f }

/* OUIs with their table bits; vendor codes are arbitrary but distinct so a
 * wrong lookup shows in the event. */
#define OUI_R24     0x00E0FCu  /* restricted MA-L, fast path */
#define OUI_R24_L   0x02E0FCu  /* same with the U/L bit: must never hit */
#define OUI_R24_M   0x01E0FCu  /* same with the I/G bit: must never hit */
#define OUI_L_SLOW  0x06AABBu  /* locally administered, restricted + slow */
#define OUI_M28     0x04A1B2u  /* holds one restricted MA-M block */
#define OUI_S36     0x08C3D4u  /* holds one restricted MA-S block */
#define OUI_SHADOW  0x10D2E3u  /* restricted /24 with a benign MA-M inside */
#define OUI_R24_DEV 0x00259Eu  /* restricted /24 with exact-device verdicts */
#define OUI_DEV     0x001133u  /* benign /24 with exact-device verdicts */

#define VENDOR_R24     101
#define VENDOR_M28     102
#define VENDOR_S36     103
#define VENDOR_SHADOW  104
#define VENDOR_DEV     105
#define VENDOR_R24_DEV 106
#define VENDOR_WAIVED  107

#define PEER      MAC(00, 11, 22, aa, bb, cc)  /* benign unicast */
#define BENIGN    MAC(00, 11, 22, 33, 44, 55)
#define HIT24     MAC(00, e0, fc, 12, 34, 56)
#define HIT24B    MAC(00, e0, fc, 65, 43, 21)
#define LOCAL24   MAC(02, e0, fc, 12, 34, 56)
#define LOCALSLOW MAC(06, aa, bb, 12, 34, 56)
#define MCAST24   MAC(01, e0, fc, 12, 34, 56)
#define HIT28     MAC(04, a1, b2, 3c, de, f0)
#define NEAR28    MAC(04, a1, b2, 4c, de, f0)
#define HIT36     MAC(08, c3, d4, 56, 7a, bc)
#define NEAR36    MAC(08, c3, d4, 56, 8a, bc)
#define SHADOWED  MAC(10, d2, e3, a1, 23, 45)
#define SHADOWHIT MAC(10, d2, e3, b1, 23, 45)
#define SLOWHIT   MAC(00, 25, 9e, 11, 22, 33)
#define DEVCLEAR  MAC(00, 25, 9e, 00, 00, 0c)
#define DEVWAIVE  MAC(00, 25, 9e, 00, 00, 0a)
#define DEVRESTR  MAC(00, 11, 33, 00, 00, 01)
#define DEVQUAR   MAC(00, 11, 33, 00, 00, 02)
#define LLDP_DST  MAC(01, 80, c2, 00, 00, 0e)
#define ROUTER    MAC(00, 11, 33, 00, 00, 0e)  /* VW_DEV_ROUTER, benign OUI */

#define IFINDEX_LO 1
#define VID_SEG    100   /* the VLAN that gets its own segment */
#define VID_ONLY   10    /* the only segment of setup_vlan_only's interface */
#define MAX_TAGS   (VW_VLAN_TAGS + 2)

/* ---- Frames ------------------------------------------------------------ */

enum frame_kind { FR_UDP = 0, FR_TCP, FR_RAW };

struct frame_spec {
	__u8 dst[6];
	__u8 src[6];
	int ntags;           /* 0..MAX_TAGS */
	bool qinq;           /* outer tag is 802.1ad */
	__u16 vid[MAX_TAGS]; /* outermost first */
	enum frame_kind kind;
	__u16 ethertype;     /* FR_RAW only */
	__u16 sport, dport;
	int payload;         /* L4 (or raw) payload bytes */
	int ipopts;          /* 32-bit words of IPv4 options (NOPs) */
	bool v6;             /* IPv6 instead of IPv4 (no options) */
	bool swap_ip;        /* the TC twin: addresses swapped like the MACs */
};

/* Addresses of every IP frame: the "near" end is the source of a row's
 * frame (the destination of its TC twin). */
static const __u8 IP4_NEAR[4] = { 192, 0, 2, 1 }, IP4_FAR[4] = { 192, 0, 2, 2 };
static const __u8 IP6_NEAR[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const __u8 IP6_FAR[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static __u16 ip_csum(const __u8 *p, size_t len)
{
	__u32 sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Builds the frame and returns its length, padded to the 60-byte minimum
 * so every row looks like something a NIC would deliver. */
static size_t build_frame(__u8 *buf, const struct frame_spec *fs)
{
	size_t off = 12, l4len, iplen, len;
	__u16 sport = fs->sport ? fs->sport : 40000;
	__u16 dport = fs->dport ? fs->dport : 40001;

	memset(buf, 0, MAX_FRAME);
	memcpy(buf, fs->dst, 6);
	memcpy(buf + 6, fs->src, 6);
	for (int i = 0; i < fs->ntags; i++) {
		put16(buf + off, (i == 0 && fs->qinq) ? 0x88A8 : 0x8100);
		put16(buf + off + 2, fs->vid[i] & 0x0fff);
		off += 4;
	}
	if (fs->kind == FR_RAW) {
		put16(buf + off, fs->ethertype);
		off += 2;
		for (int i = 0; i < fs->payload; i++)
			buf[off + i] = (__u8)(0x40 + i);
		len = off + fs->payload;
		return len < 60 ? 60 : len;
	}
	put16(buf + off, fs->v6 ? 0x86DD : 0x0800);
	off += 2;
	l4len = (fs->kind == FR_TCP ? 20 : 8) + fs->payload;
	if (fs->v6) {
		buf[off] = 0x60;
		put16(buf + off + 4, l4len);
		buf[off + 6] = fs->kind == FR_TCP ? 6 : 17;
		buf[off + 7] = 64;
		memcpy(buf + off + 8, fs->swap_ip ? IP6_FAR : IP6_NEAR, 16);
		memcpy(buf + off + 24, fs->swap_ip ? IP6_NEAR : IP6_FAR, 16);
		off += 40;
		goto l4;
	}
	iplen = 20 + 4 * fs->ipopts + l4len;
	buf[off] = 0x45 + fs->ipopts;
	put16(buf + off + 2, iplen);
	buf[off + 8] = 64;
	buf[off + 9] = fs->kind == FR_TCP ? 6 : 17;
	memcpy(buf + off + 12, fs->swap_ip ? IP4_FAR : IP4_NEAR, 4);
	memcpy(buf + off + 16, fs->swap_ip ? IP4_NEAR : IP4_FAR, 4);
	memset(buf + off + 20, 1, 4 * fs->ipopts);   /* NOP options */
	put16(buf + off + 10, ip_csum(buf + off, 20 + 4 * fs->ipopts));
	off += 20 + 4 * fs->ipopts;
l4:
	put16(buf + off, sport);
	put16(buf + off + 2, dport);
	if (fs->kind == FR_TCP) {
		buf[off + 12] = 5 << 4;     /* doff */
		buf[off + 13] = 0x18;       /* PSH|ACK */
		put16(buf + off + 14, 65535);
		off += 20;
	} else {
		put16(buf + off + 4, l4len);
		off += 8;
	}
	for (int i = 0; i < fs->payload; i++)
		buf[off + i] = (__u8)('A' + i % 26);
	len = off + fs->payload;
	return len < 60 ? 60 : len;
}

/* ---- Rows -------------------------------------------------------------- */

enum prog { P_XDP, P_TC };

struct env;

struct row {
	const char *desc;
	enum prog prog;
	bool both;            /* also run on TC with src/dst swapped */
	int (*setup)(struct env *);
	struct frame_spec fs;
	const struct frame_spec *pre;  /* run first, outside the measured delta */
	int npre;
	int trunc;            /* >0: frame cut to trunc-1 bytes */
	int split;            /* >0: linear area only, frame is split bytes */
	int retval;           /* XDP action; mapped for the TC twin */
	__u16 slot;           /* slot whose counters move */
	int ctr[VW_CTR_MAX];  /* expected deltas of that slot */
	bool event;
	__u8 ev_kind, ev_reason, ev_verdict;
	__u16 ev_vendor;
	/* The event's vlan and ethertype, when not the outer tag's VID and
	 * the frame's L3 EtherType (priority tags, unread or cut tags). */
	bool ev_hdr;
	__u16 ev_vlan, ev_etype;
	bool ev_iptag;        /* event names the near address's tag, not a MAC */
	bool sample;
};

/* ---- Environment: a fresh skeleton per row ---------------------------- */

struct sample_rec {
	struct vw_sample_hdr h;
	__u8 data[VW_SAMPLE_MAX];
	size_t size;
};

struct env {
	struct vendorwall_bpf *skel;
	struct ring_buffer *ev_rb;
	struct ring_buffer *smp_rb;
	int ncpus;
	__u64 *pcpu;
	__u64 *before;
	__u64 *after;
	struct vw_event evs[MAX_REC];
	int nev;
	struct sample_rec *smp;
	int nsmp;
	char diag[1024];
	const char *skip;
};

static void diag(struct env *e, const char *fmt, ...)
{
	size_t used = strlen(e->diag);
	va_list ap;

	if (used >= sizeof(e->diag) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(e->diag + used, sizeof(e->diag) - used, fmt, ap);
	va_end(ap);
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct env *e = ctx;

	if (e->nev < MAX_REC && size >= sizeof(struct vw_event))
		memcpy(&e->evs[e->nev], data, sizeof(struct vw_event));
	e->nev++;
	return 0;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct env *e = ctx;

	if (e->nsmp < MAX_REC) {
		struct sample_rec *r = &e->smp[e->nsmp];

		r->size = size;
		memcpy(&r->h, data, size < sizeof(*r) - sizeof(r->size) ?
		       size : sizeof(*r) - sizeof(r->size));
	}
	e->nsmp++;
	return 0;
}

static int map_set(struct bpf_map *m, const void *key, const void *val)
{
	return bpf_map_update_elem(bpf_map__fd(m), key, val, BPF_ANY) ? -errno : 0;
}

static int map_get(struct bpf_map *m, const void *key, void *val)
{
	return bpf_map_lookup_elem(bpf_map__fd(m), key, val) ? -errno : 0;
}

static int set_oui_bits(struct env *e, __u32 oui, __u32 bits)
{
	__u32 idx = vw_oui_word(oui);
	__u64 w;
	int err;

	err = map_get(e->skel->maps.vw_oui, &idx, &w);
	if (err)
		return err;
	w = (w & ~vw_oui_bits_at(oui, VW_OUI_BITS_MASK)) | vw_oui_bits_at(oui, bits);
	return map_set(e->skel->maps.vw_oui, &idx, &w);
}

static __u64 mac_u64(const __u8 m[6])
{
	return vw_mac_to_u64(m);
}

static int set_prefix(struct env *e, const __u8 m[6], __u32 plen, __u16 vendor,
		      __u8 restricted)
{
	__u64 key = vw_prefix_key(mac_u64(m), plen);
	struct vw_prefix p = { .vendor = vendor, .restricted = restricted };

	return map_set(e->skel->maps.vw_prefix, &key, &p);
}

static int set_device(struct env *e, const __u8 m[6], __u32 flags, __u16 vendor)
{
	__u64 key = mac_u64(m);
	struct vw_device d = { .flags = flags, .vendor = vendor };

	return map_set(e->skel->maps.vw_device, &key, &d);
}

static int set_oui_vendor(struct env *e, __u32 oui, __u16 vendor)
{
	return map_set(e->skel->maps.vw_oui_vendor, &oui, &vendor);
}

static int get_config(struct env *e, struct vw_config *c)
{
	__u32 zero = 0;

	return map_get(e->skel->maps.vw_config, &zero, c);
}

static int put_config(struct env *e, const struct vw_config *c)
{
	__u32 zero = 0;

	return map_set(e->skel->maps.vw_config, &zero, c);
}

static int put_segment(struct env *e, __u32 slot, __u8 mode, __u8 action,
		       __u32 redirect)
{
	struct vw_segment s = { .mode = mode, .action = action,
				.redirect_ifindex = redirect };

	return map_set(e->skel->maps.vw_segment, &slot, &s);
}

static int put_iface(struct env *e, __u32 ifindex, __u16 slot, __u16 vlan_row)
{
	struct vw_iface i = { .slot = slot, .vlan_row = vlan_row };

	return map_set(e->skel->maps.vw_iface, &ifindex, &i);
}

/* The policy every row starts from; rows change only what they test. */
static int base_policy(struct env *e)
{
	static const __u8 m28[6] = HIT28, s36[6] = HIT36, sh[6] = SHADOWED;
	static const __u8 dclear[6] = DEVCLEAR, dwaive[6] = DEVWAIVE;
	static const __u8 drestr[6] = DEVRESTR, dquar[6] = DEVQUAR;
	struct vw_config cfg = {
		.alert_interval_s = 60,
		.event_burst = 5,
		.events_per_s = 10,
		.sample_interval_ms = 1000,
		.sample_burst = 2,
		.sample_snaplen = 256,
		.samples_per_s = 1000,
		.sample_global_burst = 1000,
	};
	int err = 0;

	err = err ?: put_config(e, &cfg);
	err = err ?: put_iface(e, IFINDEX_LO, 1, 0);
	err = err ?: put_segment(e, 1, VW_MODE_BLOCK, VW_ACTION_DROP, 0);
	err = err ?: set_oui_bits(e, OUI_R24, VW_OUI_BIT_RESTRICTED);
	err = err ?: set_oui_bits(e, OUI_R24_L, VW_OUI_BIT_RESTRICTED);
	err = err ?: set_oui_bits(e, OUI_R24_M, VW_OUI_BIT_RESTRICTED);
	/* every kind of lookup, as a bitmap converted from layout 2 has */
	err = err ?: set_oui_bits(e, OUI_L_SLOW, VW_OUI_BIT_RESTRICTED | VW_OUI_BIT_SLOW);
	err = err ?: set_oui_bits(e, OUI_M28, VW_OUI_BIT_P28);
	err = err ?: set_oui_bits(e, OUI_S36, VW_OUI_BIT_P36);
	err = err ?: set_oui_bits(e, OUI_SHADOW, VW_OUI_BIT_RESTRICTED | VW_OUI_BIT_P28);
	err = err ?: set_oui_bits(e, OUI_R24_DEV, VW_OUI_BIT_RESTRICTED | VW_OUI_BIT_DEV);
	err = err ?: set_oui_bits(e, OUI_DEV, VW_OUI_BIT_DEV);
	err = err ?: set_oui_vendor(e, OUI_R24, VENDOR_R24);
	err = err ?: set_oui_vendor(e, OUI_SHADOW, VENDOR_SHADOW);
	err = err ?: set_oui_vendor(e, OUI_R24_DEV, VENDOR_R24_DEV);
	err = err ?: set_prefix(e, m28, 28, VENDOR_M28, 1);
	err = err ?: set_prefix(e, s36, 36, VENDOR_S36, 1);
	err = err ?: set_prefix(e, sh, 28, 0, 0);
	err = err ?: set_device(e, dclear, VW_DEV_CLEARED, VENDOR_R24_DEV);
	err = err ?: set_device(e, dwaive, VW_DEV_WAIVED | VW_DEV_QUARANTINED,
				VENDOR_WAIVED);
	err = err ?: set_device(e, drestr, VW_DEV_RESTRICTED, VENDOR_DEV);
	err = err ?: set_device(e, dquar, VW_DEV_QUARANTINED, 0);
	err = err ?: set_device(e, (const __u8[6])ROUTER, VW_DEV_ROUTER, 0);
	return err;
}

#define VENDOR_IP 108

static int set_ip(struct env *e, bool v6, bool near, __u32 flags)
{
	struct vw_ip_key k = { .family = v6 ? 6 : 4 };
	struct vw_device d = { .flags = flags, .vendor = VENDOR_IP };

	memcpy(k.addr, v6 ? (near ? IP6_NEAR : IP6_FAR) : (near ? IP4_NEAR : IP4_FAR),
	       v6 ? 16 : 4);
	return map_set(e->skel->maps.vw_ip, &k, &d);
}

/* IP verdicts on the near address (a row's source, its twin's dest). */
static int setup_ip4_quar(struct env *e) { return set_ip(e, false, true, VW_DEV_QUARANTINED); }
static int setup_ip6_restr(struct env *e) { return set_ip(e, true, true, VW_DEV_RESTRICTED); }
static int setup_ip4_waived(struct env *e)
{
	return set_ip(e, false, true, VW_DEV_WAIVED | VW_DEV_QUARANTINED);
}
static int setup_ip4_far_quar(struct env *e) { return set_ip(e, false, false, VW_DEV_QUARANTINED); }
static int setup_ip4_quar_monitor(struct env *e)
{
	return setup_ip4_quar(e) ?: put_segment(e, 1, VW_MODE_MONITOR, VW_ACTION_DROP, 0);
}
/* The router is also quarantined by MAC: its own verdict wins. */
static int setup_ip4_router_quar(struct env *e)
{
	return set_device(e, (const __u8[6])ROUTER, VW_DEV_ROUTER | VW_DEV_QUARANTINED, 0);
}

static int setup_off(struct env *e)
{
	return put_segment(e, 1, VW_MODE_OFF, VW_ACTION_DROP, 0);
}

static int setup_monitor(struct env *e)
{
	return put_segment(e, 1, VW_MODE_MONITOR, VW_ACTION_DROP, 0);
}

static int setup_redirect(struct env *e)
{
	return put_segment(e, 1, VW_MODE_BLOCK, VW_ACTION_REDIRECT, IFINDEX_LO);
}

static int setup_redirect_none(struct env *e)
{
	return put_segment(e, 1, VW_MODE_BLOCK, VW_ACTION_REDIRECT, 0);
}

static int vlan_segment(struct env *e, __u8 mode)
{
	__u32 k = 0 * VW_VLAN_IDS + VID_SEG;
	__u16 slot = 2;
	int err;

	err = put_iface(e, IFINDEX_LO, 1, 1);
	err = err ?: map_set(e->skel->maps.vw_vlan, &k, &slot);
	return err ?: put_segment(e, 2, mode, VW_ACTION_DROP, 0);
}

static int setup_vlan_monitor(struct env *e)
{
	return vlan_segment(e, VW_MODE_MONITOR);
}

static int setup_vlan_block(struct env *e)
{
	return vlan_segment(e, VW_MODE_BLOCK);
}

/* Block mode with a quarantine cap of one new device per hour. */
static int setup_cap1(struct env *e)
{
	struct vw_segment s = { .mode = VW_MODE_BLOCK, .action = VW_ACTION_DROP,
				.max_new_per_hour = 1 };
	__u32 slot = 1;

	return map_set(e->skel->maps.vw_segment, &slot, &s);
}

/* An interface whose only segment is VLAN VID_ONLY (slot 2) in block
 * mode, with that slot published as its strictest (VW_VID_UNKNOWN), as
 * the daemon's plan does: frames whose VLAN cannot be read meet it. */
static int setup_vlan_only(struct env *e)
{
	__u32 k = 0 * VW_VLAN_IDS + VID_ONLY, ku = 0 * VW_VLAN_IDS + VW_VID_UNKNOWN;
	__u16 slot = 2;
	int err;

	err = put_iface(e, IFINDEX_LO, 0, 1);
	err = err ?: map_set(e->skel->maps.vw_vlan, &k, &slot);
	err = err ?: map_set(e->skel->maps.vw_vlan, &ku, &slot);
	err = err ?: put_segment(e, 1, VW_MODE_OFF, VW_ACTION_DROP, 0);
	return err ?: put_segment(e, 2, VW_MODE_BLOCK, VW_ACTION_DROP, 0);
}

static int setup_unmanaged(struct env *e)
{
	return put_iface(e, IFINDEX_LO, 0, 0);
}

static int setup_cfg(struct env *e, void (*edit)(struct vw_config *))
{
	struct vw_config c;
	int err = get_config(e, &c);

	if (err)
		return err;
	edit(&c);
	return put_config(e, &c);
}

static void cfg_remind(struct vw_config *c) { c->alert_interval_s = 0; }
static void cfg_budget(struct vw_config *c) { c->events_per_s = 1; c->event_burst = 1; }
static void cfg_snap64(struct vw_config *c) { c->sample_snaplen = 64; }
static void cfg_sburst1(struct vw_config *c) { c->sample_burst = 1; }
static void cfg_sglobal1(struct vw_config *c)
{
	c->samples_per_s = 1;
	c->sample_global_burst = 1;
}

/* alert_interval_s = 0 makes every later sighting a due reminder. */
static int setup_remind(struct env *e) { return setup_cfg(e, cfg_remind); }
/* One token, refilled at 1/s: the second MAC within the second is throttled. */
static int setup_budget(struct env *e) { return setup_cfg(e, cfg_budget); }
static int setup_snap64(struct env *e) { return setup_cfg(e, cfg_snap64); }
static int setup_sburst1(struct env *e) { return setup_cfg(e, cfg_sburst1); }
/* One global sample token: another MAC's frame takes it. */
static int setup_sglobal1(struct env *e) { return setup_cfg(e, cfg_sglobal1); }

/* Frames used as "pre" (run before the measured frame). */
static const struct frame_spec pre_hit24 = { .dst = PEER, .src = HIT24 };
/* Another MAC in the same restricted /24: uses up a cap of one. */
static const struct frame_spec pre_other24 = { .dst = PEER,
					       .src = MAC(00, e0, fc, 65, 43, 21) };
static const struct frame_spec pre_hit24b = { .dst = PEER, .src = HIT24B };
/* A DNS query from BENIGN: the chattiest sampled row. */
static const struct frame_spec pre_dns = {
	.dst = PEER, .src = BENIGN, .sport = 40000, .dport = 53, .payload = 40
};
static const struct frame_spec pre_lldp = {
	.dst = LLDP_DST, .src = BENIGN, .kind = FR_RAW, .ethertype = 0x88CC,
	.payload = 40,
};
/* LLDP from another MAC (a spoofed one, with fresh per-MAC tokens). */
static const struct frame_spec pre_lldp_other = {
	.dst = LLDP_DST, .src = MAC(00, 1b, 21, 0a, 0b, 0d), .kind = FR_RAW,
	.ethertype = 0x88CC, .payload = 40,
};

#define C(x) [x] = 1
#define HIT_DROP { C(VW_REASON_OUI), C(VW_CTR_DROP), C(VW_CTR_EVENT) }
#define EV(k, r, v, vend) .event = true, .ev_kind = (k), .ev_reason = (r), \
	.ev_verdict = (v), .ev_vendor = (vend)

#define IP_DROP { C(VW_REASON_BENIGN), C(VW_CTR_DROP), C(VW_CTR_EVENT) }

static const struct row rows[] = {
	{ "router MAC, quarantined IPv4 source: dropped, event names the IP", P_XDP, true,
	  setup_ip4_quar, { .dst = PEER, .src = ROUTER }, .retval = XDP_DROP, .slot = 1,
	  .ctr = IP_DROP, .ev_iptag = true,
	  EV(VW_EVENT_FIRST, VW_REASON_QUARANTINE, VW_VERDICT_DROP, VENDOR_IP) },
	{ "router MAC, restricted IPv6 source: dropped", P_XDP, true,
	  setup_ip6_restr, { .dst = PEER, .src = ROUTER, .v6 = true }, .retval = XDP_DROP,
	  .slot = 1, .ctr = IP_DROP, .ev_iptag = true,
	  EV(VW_EVENT_FIRST, VW_REASON_DEVICE, VW_VERDICT_DROP, VENDOR_IP) },
	{ "router MAC, 802.1Q tagged, quarantined IPv4 source: dropped", P_XDP, true,
	  setup_ip4_quar, { .dst = PEER, .src = ROUTER, .ntags = 1, .vid = { 10 } },
	  .retval = XDP_DROP, .slot = 1, .ctr = IP_DROP, .ev_iptag = true,
	  EV(VW_EVENT_FIRST, VW_REASON_QUARANTINE, VW_VERDICT_DROP, VENDOR_IP) },
	{ "router MAC, QinQ tagged IPv6, restricted source: dropped", P_XDP, true,
	  setup_ip6_restr, { .dst = PEER, .src = ROUTER, .ntags = 2, .qinq = true,
			     .vid = { 200, 300 }, .v6 = true },
	  .retval = XDP_DROP, .slot = 1, .ctr = IP_DROP, .ev_iptag = true,
	  EV(VW_EVENT_FIRST, VW_REASON_DEVICE, VW_VERDICT_DROP, VENDOR_IP) },
	{ "router MAC, IP waiver beats its quarantine: passes", P_XDP, true,
	  setup_ip4_waived, { .dst = PEER, .src = ROUTER }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "router MAC, IP without a verdict: passes", P_XDP, true, NULL,
	  { .dst = PEER, .src = ROUTER }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "router MAC, non-IP frame (ARP): passes", P_XDP, true, setup_ip4_quar,
	  { .dst = PEER, .src = ROUTER, .kind = FR_RAW, .ethertype = 0x0806, .payload = 28 },
	  .retval = XDP_PASS, .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
	{ "ingress judges the source IP only: quarantined destination passes", P_XDP, false,
	  setup_ip4_far_quar, { .dst = PEER, .src = ROUTER }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "egress judges the destination IP only: quarantined source passes", P_TC, false,
	  setup_ip4_quar, { .dst = ROUTER, .src = PEER }, .retval = TC_ACT_OK, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "non-router MAC with a quarantined source IP: IP not consulted", P_XDP, true,
	  setup_ip4_quar, { .dst = PEER, .src = BENIGN }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "router MAC, quarantined IP, monitor mode: WOULD_DROP event", P_XDP, true,
	  setup_ip4_quar_monitor, { .dst = PEER, .src = ROUTER }, .retval = XDP_PASS,
	  .slot = 1, .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_WOULD_DROP), C(VW_CTR_EVENT) },
	  .ev_iptag = true,
	  EV(VW_EVENT_FIRST, VW_REASON_QUARANTINE, VW_VERDICT_WOULD_DROP, VENDOR_IP) },
	{ "router MAC quarantined itself: its own verdict applies", P_XDP, true,
	  setup_ip4_router_quar, { .dst = PEER, .src = ROUTER }, .retval = XDP_DROP,
	  .slot = 1, .ctr = { C(VW_REASON_QUARANTINE), C(VW_CTR_DROP), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_QUARANTINE, VW_VERDICT_DROP, 0) },
	{ "benign MAC passes", P_XDP, true, NULL,
	  { .dst = PEER, .src = BENIGN }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "MA-L /24 hit is dropped in block mode", P_XDP, true, NULL,
	  { .dst = PEER, .src = HIT24 }, .retval = XDP_DROP, .slot = 1,
	  .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "MA-M /28 hit is dropped", P_XDP, true, NULL,
	  { .dst = PEER, .src = HIT28 }, .retval = XDP_DROP, .slot = 1,
	  .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_M28) },
	{ "MA-M neighbour in the same /24 passes", P_XDP, true, NULL,
	  { .dst = PEER, .src = NEAR28 }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "MA-S /36 hit is dropped", P_XDP, true, NULL,
	  { .dst = PEER, .src = HIT36 }, .retval = XDP_DROP, .slot = 1,
	  .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_S36) },
	{ "MA-S neighbour in the same /28 passes", P_XDP, true, NULL,
	  { .dst = PEER, .src = NEAR36 }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "benign MA-M shadowing a restricted /24 passes", P_XDP, true, NULL,
	  { .dst = PEER, .src = SHADOWED }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "restricted /24 outside its benign MA-M is dropped", P_XDP, true, NULL,
	  { .dst = PEER, .src = SHADOWHIT }, .retval = XDP_DROP, .slot = 1,
	  .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_SHADOW) },
	{ "restricted /24 on the slow path (no finer entry) is dropped", P_XDP,
	  true, NULL, { .dst = PEER, .src = SLOWHIT }, .retval = XDP_DROP,
	  .slot = 1, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24_DEV) },
	{ "locally administered MAC in a restricted OUI is not hit", P_XDP, true,
	  NULL, { .dst = PEER, .src = LOCAL24 }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_NO_OUI) } },
	{ "locally administered MAC under a restricted slow OUI is not hit",
	  P_XDP, true, NULL, { .dst = PEER, .src = LOCALSLOW },
	  .retval = XDP_PASS, .slot = 1, .ctr = { C(VW_REASON_NO_OUI) } },
	{ "multicast MAC in a restricted OUI is not classified", P_XDP, true,
	  NULL, { .dst = PEER, .src = MCAST24 }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_NO_OUI) } },
	{ "802.1Q benign frame passes", P_XDP, true, NULL,
	  { .dst = PEER, .src = BENIGN, .ntags = 1, .vid = { 10 } },
	  .retval = XDP_PASS, .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
	{ "802.1Q restricted frame is dropped, event carries the VLAN", P_XDP,
	  true, NULL, { .dst = PEER, .src = HIT24, .ntags = 1, .vid = { 10 } },
	  .retval = XDP_DROP, .slot = 1, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "802.1ad+802.1Q restricted frame is dropped, outer VLAN reported",
	  P_XDP, true, NULL,
	  { .dst = PEER, .src = HIT24, .ntags = 2, .qinq = true,
	    .vid = { 200, 300 } },
	  .retval = XDP_DROP, .slot = 1, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "VLAN segment in monitor mode (vw_vlan) passes with WOULD_DROP",
	  P_XDP, true, setup_vlan_monitor,
	  { .dst = PEER, .src = HIT24, .ntags = 1, .vid = { VID_SEG } },
	  .retval = XDP_PASS, .slot = 2,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_WOULD_DROP), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_WOULD_DROP, VENDOR_R24) },
	{ "VLAN segment selected by the outer tag of a QinQ frame", P_XDP, true,
	  setup_vlan_monitor,
	  { .dst = PEER, .src = HIT24, .ntags = 2, .qinq = true,
	    .vid = { VID_SEG, 7 } },
	  .retval = XDP_PASS, .slot = 2,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_WOULD_DROP), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_WOULD_DROP, VENDOR_R24) },
	{ "other VLAN on a VLAN-segmented iface uses the iface segment", P_XDP,
	  true, setup_vlan_monitor,
	  { .dst = PEER, .src = HIT24, .ntags = 1, .vid = { VID_SEG + 1 } },
	  .retval = XDP_DROP, .slot = 1, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "[VID 0]x3 [VID 10] restricted frame meets VLAN 10's block segment",
	  P_XDP, true, setup_vlan_only,
	  { .dst = PEER, .src = HIT24, .ntags = 4, .vid = { 0, 0, 0, VID_ONLY } },
	  .retval = XDP_DROP, .slot = 2, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	  .ev_hdr = true, .ev_vlan = VID_ONLY, .ev_etype = 0x0800 },
	{ "[VID 0]x7 [VID 10]: the last tag the parser reads still counts",
	  P_XDP, true, setup_vlan_only,
	  { .dst = PEER, .src = HIT24, .ntags = VW_VLAN_TAGS,
	    .vid = { [VW_VLAN_TAGS - 1] = VID_ONLY } },
	  .retval = XDP_DROP, .slot = 2, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	  .ev_hdr = true, .ev_vlan = VID_ONLY, .ev_etype = 0x0800 },
	{ "[VID 0]x8 [VID 10]: more tags than read, strictest segment drops",
	  P_XDP, true, setup_vlan_only,
	  { .dst = PEER, .src = HIT24, .ntags = VW_VLAN_TAGS + 1,
	    .vid = { [VW_VLAN_TAGS] = VID_ONLY } },
	  .retval = XDP_DROP, .slot = 2, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	  .ev_hdr = true, .ev_vlan = VW_VID_UNKNOWN, .ev_etype = 0x8100 },
	{ "[VID 0]x10: more tags than read, benign MAC passes, counted there",
	  P_XDP, true, setup_vlan_only,
	  { .dst = PEER, .src = BENIGN, .ntags = MAX_TAGS },
	  .retval = XDP_PASS, .slot = 2, .ctr = { C(VW_REASON_BENIGN) } },
	{ "[VID 0] then a cut tag: strictest segment drops the restricted MAC",
	  P_XDP, true, setup_vlan_only,
	  { .dst = PEER, .src = HIT24, .ntags = 2, .vid = { 0, VID_ONLY } },
	  .trunc = 14 + 4 + 2 + 1, .retval = XDP_DROP, .slot = 2,
	  .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	  .ev_hdr = true, .ev_vlan = VW_VID_UNKNOWN, .ev_etype = 0x8100 },
	{ "cut after the Ethernet header (TPID only): strictest segment drops",
	  P_XDP, true, setup_vlan_only,
	  { .dst = PEER, .src = HIT24, .ntags = 1, .vid = { VID_ONLY } },
	  .trunc = 14 + 1, .retval = XDP_DROP, .slot = 2, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	  .ev_hdr = true, .ev_vlan = VW_VID_UNKNOWN, .ev_etype = 0x8100 },
	{ "[VID 0] [VID 11] on the VLAN-10-only interface: unmanaged, passes",
	  P_XDP, true, setup_vlan_only,
	  { .dst = PEER, .src = HIT24, .ntags = 2, .vid = { 0, VID_ONLY + 1 } },
	  .retval = XDP_PASS, .slot = 0,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_OFF) } },
	{ "exact device RESTRICTED on a benign OUI is dropped", P_XDP, true,
	  NULL, { .dst = PEER, .src = DEVRESTR }, .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_DEVICE), C(VW_CTR_DROP), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_DEVICE, VW_VERDICT_DROP, VENDOR_DEV) },
	{ "exact device CLEARED on a restricted OUI passes", P_XDP, true, NULL,
	  { .dst = PEER, .src = DEVCLEAR }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_DEVICE_CLEAR) } },
	{ "waiver beats quarantine and a restricted OUI", P_XDP, true, NULL,
	  { .dst = PEER, .src = DEVWAIVE }, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_WAIVER) } },
	{ "quarantined device on a benign OUI is dropped", P_XDP, true, NULL,
	  { .dst = PEER, .src = DEVQUAR }, .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_QUARANTINE), C(VW_CTR_DROP), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_QUARANTINE, VW_VERDICT_DROP, 0) },
	{ "mode off: restricted frame passes, counts OFF, no event", P_XDP,
	  true, setup_off, { .dst = PEER, .src = HIT24 }, .retval = XDP_PASS,
	  .slot = 1, .ctr = { C(VW_REASON_OUI), C(VW_CTR_OFF) } },
	{ "mode monitor: restricted frame passes with a WOULD_DROP event",
	  P_XDP, true, setup_monitor, { .dst = PEER, .src = HIT24 },
	  .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_WOULD_DROP), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_WOULD_DROP, VENDOR_R24) },
	{ "mode block with redirect action redirects", P_XDP, true,
	  setup_redirect, { .dst = PEER, .src = HIT24 },
	  .retval = XDP_REDIRECT, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_REDIRECT), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_REDIRECT, VENDOR_R24) },
	{ "redirect without a target fails closed (drop)", P_XDP, true,
	  setup_redirect_none, { .dst = PEER, .src = HIT24 },
	  .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_REDIRECT_FAIL), C(VW_CTR_DROP),
		   C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "unmanaged interface (slot 0, mode off) passes", P_XDP, true,
	  setup_unmanaged, { .dst = PEER, .src = HIT24 }, .retval = XDP_PASS,
	  .slot = 0, .ctr = { C(VW_REASON_OUI), C(VW_CTR_OFF) } },
	{ "ingress classifies the source only: restricted dst passes", P_XDP,
	  false, NULL, { .dst = HIT24, .src = BENIGN }, .retval = XDP_PASS,
	  .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
	{ "egress: restricted src with benign dst passes", P_TC, false, NULL,
	  { .dst = BENIGN, .src = HIT24 }, .retval = TC_ACT_OK, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN) } },
	{ "egress: multicast dst is not classified (restricted src)", P_TC,
	  false, NULL, { .dst = LLDP_DST, .src = HIT24 }, .retval = TC_ACT_OK,
	  .slot = 1, .ctr = { C(VW_REASON_NO_OUI) } },
	{ "quarantine cap not reached: the first new device is dropped", P_XDP,
	  true, setup_cap1, { .dst = PEER, .src = HIT24 }, .retval = XDP_DROP,
	  .slot = 1, .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "quarantine cap reached: the next new device passes, monitored",
	  P_XDP, true, setup_cap1, { .dst = PEER, .src = HIT24 },
	  .pre = &pre_other24, .npre = 1, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_CAPPED), C(VW_CTR_WOULD_DROP),
		   C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_CAPPED, VENDOR_R24) },
	{ "quarantine cap: the admitted device stays dropped", P_XDP, true,
	  setup_cap1, { .dst = PEER, .src = HIT24 }, .pre = &pre_hit24,
	  .npre = 1, .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_DROP) } },
	{ "quarantine cap does not apply to operator quarantine", P_XDP, true,
	  setup_cap1, { .dst = PEER, .src = DEVQUAR }, .pre = &pre_other24,
	  .npre = 1, .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_QUARANTINE), C(VW_CTR_DROP), C(VW_CTR_EVENT) },
	  EV(VW_EVENT_FIRST, VW_REASON_QUARANTINE, VW_VERDICT_DROP, 0) },
	{ "rate limit: second identical frame emits no event", P_XDP, true,
	  NULL, { .dst = PEER, .src = HIT24 }, .pre = &pre_hit24, .npre = 1,
	  .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_DROP) } },
	{ "same MAC on a different segment is a new FIRST event", P_XDP, true,
	  setup_vlan_block,
	  { .dst = PEER, .src = HIT24, .ntags = 1, .vid = { VID_SEG } },
	  .pre = &pre_hit24, .npre = 1, .retval = XDP_DROP, .slot = 2,
	  .ctr = HIT_DROP,
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "alert interval elapsed: REMINDER event", P_XDP, true, setup_remind,
	  { .dst = PEER, .src = HIT24 }, .pre = &pre_hit24, .npre = 1,
	  .retval = XDP_DROP, .slot = 1, .ctr = HIT_DROP,
	  EV(VW_EVENT_REMINDER, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24) },
	{ "global event budget exhausted: EVENT_THROTTLED", P_XDP, true,
	  setup_budget, { .dst = PEER, .src = HIT24 }, .pre = &pre_hit24b,
	  .npre = 1, .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_DROP), C(VW_CTR_EVENT_THROTTLED) } },
	{ "sample: LLDP frame", P_XDP, false, NULL,
	  { .dst = LLDP_DST, .src = BENIGN, .kind = FR_RAW, .ethertype = 0x88CC,
	    .payload = 40 },
	  .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE) }, .sample = true },
	{ "sample: DHCP (UDP 67) frame", P_XDP, false, NULL,
	  { .dst = PEER, .src = BENIGN, .sport = 68, .dport = 67, .payload = 240 },
	  .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE) }, .sample = true },
	{ "sample: TCP payload from port 22 (banner)", P_XDP, false, NULL,
	  { .dst = PEER, .src = BENIGN, .kind = FR_TCP, .sport = 22,
	    .dport = 50000, .payload = 21 },
	  .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE) }, .sample = true },
	{ "no sample: TCP payload to port 22", P_XDP, false, NULL,
	  { .dst = PEER, .src = BENIGN, .kind = FR_TCP, .sport = 50000,
	    .dport = 22, .payload = 21 },
	  .retval = XDP_PASS, .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
	{ "no sample: TCP from port 22 without payload", P_XDP, false, NULL,
	  { .dst = PEER, .src = BENIGN, .kind = FR_TCP, .sport = 22,
	    .dport = 50000 },
	  .retval = XDP_PASS, .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
	{ "sample: blocked device's LLDP is sampled and dropped", P_XDP, false,
	  NULL,
	  { .dst = LLDP_DST, .src = HIT24, .kind = FR_RAW, .ethertype = 0x88CC,
	    .payload = 40 },
	  .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_DROP), C(VW_CTR_EVENT),
		   C(VW_CTR_SAMPLE) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	  .sample = true },
	{ "sample: LLDP on 802.1Q carries the VLAN", P_XDP, false, NULL,
	  { .dst = LLDP_DST, .src = BENIGN, .ntags = 1, .vid = { 10 },
	    .kind = FR_RAW, .ethertype = 0x88CC, .payload = 40 },
	  .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE) }, .sample = true },
	{ "sample: snaplen truncates and flags the record", P_XDP, false,
	  setup_snap64,
	  { .dst = LLDP_DST, .src = BENIGN, .kind = FR_RAW, .ethertype = 0x88CC,
	    .payload = 100 },
	  .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE) }, .sample = true },
	{ "sample: per-MAC budget exhausted: SAMPLE_THROTTLED", P_XDP, false,
	  setup_sburst1,
	  { .dst = LLDP_DST, .src = BENIGN, .kind = FR_RAW, .ethertype = 0x88CC,
	    .payload = 40 },
	  .pre = &pre_lldp, .npre = 1, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE_THROTTLED) } },
	{ "sample: DNS queries spend the per-MAC budget: SAMPLE_THROTTLED", P_XDP,
	  false, setup_sburst1,
	  { .dst = PEER, .src = BENIGN, .sport = 40002, .dport = 53, .payload = 40 },
	  .pre = &pre_dns, .npre = 1, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE_THROTTLED) } },
	{ "sample: a DNS query under the global budget: SAMPLE_THROTTLED", P_XDP,
	  false, setup_sglobal1,
	  { .dst = PEER, .src = BENIGN, .sport = 40002, .dport = 53, .payload = 40 },
	  .pre = &pre_lldp_other, .npre = 1, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE_THROTTLED) } },
	{ "sample: global budget taken by another MAC: SAMPLE_THROTTLED", P_XDP, false,
	  setup_sglobal1,
	  { .dst = LLDP_DST, .src = BENIGN, .kind = FR_RAW, .ethertype = 0x88CC,
	    .payload = 40 },
	  .pre = &pre_lldp_other, .npre = 1, .retval = XDP_PASS, .slot = 1,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE_THROTTLED) } },
	{ "no sample in mode off", P_XDP, false, setup_off,
	  { .dst = LLDP_DST, .src = BENIGN, .kind = FR_RAW, .ethertype = 0x88CC,
	    .payload = 40 },
	  .retval = XDP_PASS, .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
	/* A DHCP server beyond the gateway answers a relay on the LAN side:
	 * its ACK, giving a routed client its address, only leaves. */
	{ "TC egress samples a DHCP server's reply to a relay (UDP 67 -> 67)", P_TC, false, NULL,
	  { .dst = BENIGN, .src = PEER, .sport = 67, .dport = 67, .payload = 240 },
	  .retval = TC_ACT_OK, .slot = 1, .sample = true,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE) } },
	{ "TC egress samples a DHCP server's reply to a client (UDP 67 -> 68)", P_TC, false, NULL,
	  { .dst = BENIGN, .src = PEER, .sport = 67, .dport = 68, .payload = 240 },
	  .retval = TC_ACT_OK, .slot = 1, .sample = true,
	  .ctr = { C(VW_REASON_BENIGN), C(VW_CTR_SAMPLE) } },
	{ "TC egress: a DHCP client's request (UDP 68 -> 67) is not sampled", P_TC, false, NULL,
	  { .dst = BENIGN, .src = PEER, .sport = 68, .dport = 67, .payload = 240 },
	  .retval = TC_ACT_OK, .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
	{ "TC egress never samples (LLDP to a benign dst)", P_TC, false, NULL,
	  { .dst = BENIGN, .src = PEER, .kind = FR_RAW, .ethertype = 0x88CC,
	    .payload = 40 },
	  .retval = TC_ACT_OK, .slot = 1, .ctr = { C(VW_REASON_BENIGN) } },
};

/* The management table (include/vw_mgmt.h), row by row: a frame matching
 * a sampled row is sampled, one matching a parse-only row is not. A row's
 * "any" port is build_frame's default (40000 -> 40001), in no row. */
#define MGMT_CTR(s) { C(VW_REASON_BENIGN), [VW_CTR_SAMPLE] = (s) }
#define MGMT_DESC(s, what) ((s) ? "table: sampled: " what : \
			    "table: not sampled: " what)
#define MGMT_ETYPE_ROW(t, id, s) \
	{ MGMT_DESC(s, "EtherType " #t " (" #id ")"), P_XDP, false, NULL, \
	  { .dst = PEER, .src = BENIGN, .kind = FR_RAW, .ethertype = (t), \
	    .payload = 40 }, \
	  .retval = XDP_PASS, .slot = 1, .ctr = MGMT_CTR(s), .sample = (s) },
#define MGMT_L4_ROW(fk, sp, dp, id, s) \
	{ MGMT_DESC(s, #fk " " #sp " -> " #dp " (" #id ")"), P_XDP, false, \
	  NULL, { .dst = PEER, .src = BENIGN, .kind = fk, .sport = (sp), \
		  .dport = (dp), .payload = 40 }, \
	  .retval = XDP_PASS, .slot = 1, .ctr = MGMT_CTR(s), .sample = (s) },
#define MGMT_UDP_ROW(sp, dp, id, s) MGMT_L4_ROW(FR_UDP, sp, dp, id, s)
#define MGMT_TCP_ROW(sp, dp, id, s) MGMT_L4_ROW(FR_TCP, sp, dp, id, s)

static const struct row mgmt_rows[] = {
	VW_MGMT_ETHERTYPES(MGMT_ETYPE_ROW)
	VW_MGMT_UDP(MGMT_UDP_ROW)
	VW_MGMT_TCP(MGMT_TCP_ROW)
	{ "table: not sampled: an mDNS query from an ephemeral port", P_XDP,
	  false, NULL,
	  { .dst = PEER, .src = BENIGN, .sport = 40000, .dport = 5353,
	    .payload = 40 },
	  .retval = XDP_PASS, .slot = 1, .ctr = MGMT_CTR(0) },
	{ "table: not sampled: a DNS answer (UDP 53 -> 40001)", P_XDP,
	  false, NULL,
	  { .dst = PEER, .src = BENIGN, .sport = 53, .dport = 40001,
	    .payload = 40 },
	  .retval = XDP_PASS, .slot = 1, .ctr = MGMT_CTR(0) },
	{ "table: not sampled: a DHCPv6 server's reply (UDP 547 -> 546)", P_XDP,
	  false, NULL,
	  { .dst = PEER, .src = BENIGN, .sport = 547, .dport = 546,
	    .payload = 240 },
	  .retval = XDP_PASS, .slot = 1, .ctr = MGMT_CTR(0) },
	{ "table: sampled: DHCP behind IPv4 options", P_XDP, false, NULL,
	  { .dst = PEER, .src = BENIGN, .sport = 68, .dport = 67,
	    .payload = 240, .ipopts = 2 },
	  .retval = XDP_PASS, .slot = 1, .ctr = MGMT_CTR(1), .sample = true },
	{ "table: sampled: restricted DHCP over 802.1Q, dropped", P_XDP, false,
	  NULL,
	  { .dst = PEER, .src = HIT24, .ntags = 1, .vid = { 10 }, .sport = 68,
	    .dport = 67, .payload = 240 },
	  .retval = XDP_DROP, .slot = 1,
	  .ctr = { C(VW_REASON_OUI), C(VW_CTR_DROP), C(VW_CTR_EVENT),
		   C(VW_CTR_SAMPLE) },
	  EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	  .sample = true },
};

/* Truncations of a restricted double-tagged frame: lengths 0..21 cut into
 * the Ethernet header or one of the two tags. Without a whole Ethernet
 * header the frame passes as MALFORMED; with one it is judged by its MAC,
 * in the segment of its VLAN when the outer tag was read, else in the
 * interface's strictest segment (here the interface-wide one). */
#define TRUNC_LEN 22
#define TRUNC_FRAME { .dst = HIT24, .src = HIT24, .ntags = 2, .qinq = true, \
		      .vid = { 5, 6 } }
static const struct row trunc_row = {
	"passes as MALFORMED", P_XDP, false, NULL, TRUNC_FRAME,
	.retval = XDP_PASS, .slot = 1, .ctr = { C(VW_REASON_MALFORMED) },
};
static const struct row trunc_tpid_row = {
	"VLAN unread, dropped by MAC", P_XDP, false, NULL, TRUNC_FRAME,
	.retval = XDP_DROP, .slot = 1, .ctr = HIT_DROP,
	EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	.ev_hdr = true, .ev_vlan = VW_VID_UNKNOWN, .ev_etype = 0x88A8,
};
static const struct row trunc_tag_row = {
	"outer VLAN read, dropped by MAC", P_XDP, false, NULL, TRUNC_FRAME,
	.retval = XDP_DROP, .slot = 1, .ctr = HIT_DROP,
	EV(VW_EVENT_FIRST, VW_REASON_OUI, VW_VERDICT_DROP, VENDOR_R24),
	.ev_hdr = true, .ev_vlan = 5, .ev_etype = 0x8100,
};

static const struct row *trunc_row_for(int len)
{
	if (len < ETH_MIN)
		return &trunc_row;
	return len < ETH_MIN + 4 ? &trunc_tpid_row : &trunc_tag_row;
}

/* ---- Running ----------------------------------------------------------- */

static int tc_retval(int xdp)
{
	switch (xdp) {
	case XDP_DROP: return TC_ACT_SHOT;
	case XDP_REDIRECT: return TC_ACT_REDIRECT;
	default: return TC_ACT_OK;
	}
}

/* Runs one frame; -EOPNOTSUPP (reason in e->skip) when test_run cannot
 * express it. split > 0 puts only the first len bytes in the linear area
 * and the rest of a split-byte frame in a fragment. */
static int run_frame(struct env *e, enum prog p, const __u8 *pkt, size_t len,
		     size_t split, __u32 *retval)
{
	struct bpf_program *prog = p == P_XDP ? e->skel->progs.vw_xdp_ingress :
						e->skel->progs.vw_tc_egress;
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	__u8 buf[META_LEN + MAX_FRAME];
	/* ingress_ifindex stays 0: the kernel then uses loopback's queue as
	 * without a ctx; naming lo (1) is refused as lo has no registered
	 * XDP rx queue. */
	struct xdp_md xctx = {};
	struct __sk_buff sctx = { .ifindex = IFINDEX_LO };

	if (p == P_XDP && split) {
		xctx.data_end = len;
		opts.data_in = pkt;
		opts.data_size_in = split;
		opts.ctx_in = &xctx;
		opts.ctx_size_in = sizeof(xctx);
	} else if (p == P_XDP && len < ETH_MIN) {
		/* Older kernels check only the whole buffer against ETH_HLEN,
		 * so metadata in front makes a shorter packet possible. */
		memset(buf, 0, META_LEN);
		memcpy(buf + META_LEN, pkt, len);
		xctx.data = META_LEN;
		xctx.data_end = META_LEN + len;
		opts.data_in = buf;
		opts.data_size_in = META_LEN + len;
		opts.ctx_in = &xctx;
		opts.ctx_size_in = sizeof(xctx);
	} else if (len < ETH_MIN) {
		e->skip = "skb test_run needs at least 14 bytes and has no "
			  "metadata area";
		return -EOPNOTSUPP;
	} else {
		opts.data_in = pkt;
		opts.data_size_in = len;
		if (p == P_TC) {
			opts.ctx_in = &sctx;
			opts.ctx_size_in = sizeof(sctx);
		}
	}
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
		if (errno == EINVAL && p == P_XDP && !split && len < ETH_MIN) {
			e->skip = "this kernel refuses fewer than 14 bytes after "
				  "the XDP metadata (EINVAL); see the linear-area "
				  "rows";
			return -EOPNOTSUPP;
		}
		return -errno;
	}
	*retval = opts.retval;
	return 0;
}

/* Untagged benign frames the program counted by interface (vw_if_benign),
 * each added to the benign counter of the segment vw_iface gives that
 * interface now: the case under test does not move interfaces, so the
 * deltas are those of a per-segment count (the daemon's split of counts
 * across moves is test_datapath's). */
static int add_if_benign(struct env *e, __u64 *out)
{
	int fd = bpf_map__fd(e->skel->maps.vw_if_benign);
	int ifd = bpf_map__fd(e->skel->maps.vw_iface);

	for (__u32 i = 0; i < VW_MAX_IFINDEX; i++) {
		struct vw_iface ifc;
		__u64 sum = 0;

		if (bpf_map_lookup_elem(fd, &i, e->pcpu))
			return -errno;
		for (int c = 0; c < e->ncpus; c++)
			sum += e->pcpu[c];
		if (!sum)
			continue;
		if (bpf_map_lookup_elem(ifd, &i, &ifc))
			return -errno;
		out[VW_COUNTER_INDEX(ifc.slot < VW_MAX_SEGMENTS ? ifc.slot : 0,
				     VW_REASON_BENIGN)] += sum;
	}
	return 0;
}

static int read_counters(struct env *e, __u64 *out)
{
	int fd = bpf_map__fd(e->skel->maps.vw_counters);

	for (__u32 k = 0; k < VW_COUNTERS_LEN; k++) {
		__u64 sum = 0;

		if (bpf_map_lookup_elem(fd, &k, e->pcpu))
			return -errno;
		for (int c = 0; c < e->ncpus; c++)
			sum += e->pcpu[c];
		out[k] = sum;
	}
	return add_if_benign(e, out);
}

static void env_unload(struct env *e)
{
	ring_buffer__free(e->ev_rb);
	ring_buffer__free(e->smp_rb);
	vendorwall_bpf__destroy(e->skel);
	e->ev_rb = e->smp_rb = NULL;
	e->skel = NULL;
}

static int env_load(struct env *e)
{
	int err;

	e->skel = vendorwall_bpf__open_and_load();
	if (!e->skel)
		return -errno;
	e->ev_rb = ring_buffer__new(bpf_map__fd(e->skel->maps.vw_events),
				    on_event, e, NULL);
	if (!e->ev_rb)
		return -errno;
	e->smp_rb = ring_buffer__new(bpf_map__fd(e->skel->maps.vw_samples),
				     on_sample, e, NULL);
	if (!e->smp_rb)
		return -errno;
	err = base_policy(e);
	return err;
}

static int drain(struct env *e)
{
	int err;

	e->nev = e->nsmp = 0;
	err = ring_buffer__consume(e->ev_rb);
	if (err < 0)
		return err;
	err = ring_buffer__consume(e->smp_rb);
	return err < 0 ? err : 0;
}

static void check_event(struct env *e, const struct row *r, enum prog p,
			const __u8 *frame, bool *ok)
{
	const struct vw_event *ev = &e->evs[0];
	const __u8 *mac = p == P_XDP ? frame + 6 : frame;
	__u16 vlan = r->ev_hdr ? r->ev_vlan : r->fs.ntags ? r->fs.vid[0] : 0;
	__u16 etype = r->ev_hdr ? r->ev_etype :
		      r->fs.kind == FR_RAW ? r->fs.ethertype : r->fs.v6 ? 0x86DD : 0x0800;
	struct vw_ip_key near = { .family = r->fs.v6 ? 6 : 4 };
	__u8 tag[6];

	if (r->ev_iptag) {
		memcpy(near.addr, r->fs.v6 ? IP6_NEAR : IP4_NEAR, r->fs.v6 ? 16 : 4);
		vw_ip_tag(&near, tag);
		mac = tag;
	}
	struct vw_segment seg = {};
	__u32 slot = r->slot;

	map_get(e->skel->maps.vw_segment, &slot, &seg);
#define EXPECT(field, want) do { \
		if ((long long)(field) != (long long)(want)) { \
			diag(e, "#   " #field " = %lld, want %lld\n", \
			     (long long)(field), (long long)(want)); \
			*ok = false; \
		} \
	} while (0)
	EXPECT(ev->version, VW_EVENT_VERSION);
	EXPECT(ev->kind, r->ev_kind);
	EXPECT(ev->reason, r->ev_reason);
	EXPECT(ev->verdict, r->ev_verdict);
	EXPECT(ev->vendor, r->ev_vendor);
	EXPECT(ev->direction, p == P_XDP ? VW_DIR_INGRESS : VW_DIR_EGRESS);
	EXPECT(ev->vlan, vlan);
	EXPECT(ev->ifindex, IFINDEX_LO);
	EXPECT(ev->slot, r->slot);
	EXPECT(ev->mode, seg.mode);
	EXPECT(ev->ethertype, etype);
	if (memcmp(ev->mac, mac, 6)) {
		diag(e, "#   event.mac = %02x:%02x:%02x:%02x:%02x:%02x, want "
		     "%02x:%02x:%02x:%02x:%02x:%02x\n", ev->mac[0], ev->mac[1],
		     ev->mac[2], ev->mac[3], ev->mac[4], ev->mac[5], mac[0],
		     mac[1], mac[2], mac[3], mac[4], mac[5]);
		*ok = false;
	}
}

static void check_sample(struct env *e, const struct row *r,
			 const __u8 *frame, size_t len, bool *ok)
{
	const struct sample_rec *s = &e->smp[0];
	struct vw_config cfg = {};
	size_t caplen;

	get_config(e, &cfg);
	caplen = len < cfg.sample_snaplen ? len : cfg.sample_snaplen;
	EXPECT(s->h.version, VW_SAMPLE_VERSION);
	EXPECT(s->h.flags, (caplen < len ? VW_SAMPLE_TRUNCATED : 0) |
			   (r->prog == P_TC ? VW_SAMPLE_EGRESS : 0));
	EXPECT(s->h.vlan, r->fs.ntags ? r->fs.vid[0] : 0);
	EXPECT(s->h.ifindex, IFINDEX_LO);
	EXPECT(s->h.slot, r->slot);
	EXPECT(s->h.caplen, caplen);
	EXPECT(s->h.len, len);
	if (s->size < sizeof(s->h) + caplen) {
		diag(e, "#   sample record is %zu bytes, caplen %zu\n", s->size,
		     caplen);
		*ok = false;
	} else if (memcmp(s->data, frame, caplen)) {
		diag(e, "#   sample bytes differ from the frame\n");
		*ok = false;
	}
#undef EXPECT
}


/* Loads a fresh skeleton, applies the row, runs it and checks everything.
 * Returns 1 pass, 0 fail, -EOPNOTSUPP skip; diagnostics go to e->diag. */
static int run_row(struct env *e, const struct row *r, enum prog p)
{
	__u8 frame[MAX_FRAME], pre[MAX_FRAME];
	size_t len, plen;
	__u32 ret = 0, pret;
	struct frame_spec fs = r->fs;
	int want_ret = p == P_XDP ? r->retval : tc_retval(r->retval);
	bool ok = true;
	int err;

	if (p == P_TC && r->prog == P_XDP) {
		/* The twin classifies the destination: swap the MACs. */
		memcpy(fs.src, r->fs.dst, 6);
		memcpy(fs.dst, r->fs.src, 6);
		fs.swap_ip = true;
	}
	len = build_frame(frame, &fs);
	if (r->trunc)
		len = r->trunc - 1;
	if (p == P_TC && len < ETH_MIN) {
		e->skip = "skb test_run needs at least 14 bytes and has no "
			  "metadata area";
		return -EOPNOTSUPP;
	}

	err = env_load(e);
	if (err) {
		diag(e, "# loading the skeleton or policy: %s\n", strerror(-err));
		goto out;
	}
	if (r->setup) {
		err = r->setup(e);
		if (err) {
			diag(e, "# row setup: %s\n", strerror(-err));
			goto out;
		}
	}
	for (int i = 0; i < r->npre; i++) {
		struct frame_spec pf = *r->pre;

		if (p == P_TC) {
			memcpy(pf.src, r->pre->dst, 6);
			memcpy(pf.dst, r->pre->src, 6);
		}
		plen = build_frame(pre, &pf);
		err = run_frame(e, p, pre, plen, 0, &pret);
		if (err) {
			diag(e, "# pre-frame test_run: %s\n", strerror(-err));
			goto out;
		}
	}
	err = drain(e);
	err = err ?: read_counters(e, e->before);
	if (err) {
		diag(e, "# reading state before the run: %s\n", strerror(-err));
		goto out;
	}
	err = run_frame(e, p, frame, len, r->split, &ret);
	if (err == -EOPNOTSUPP)
		goto out;
	if (err) {
		diag(e, "# test_run (%zu bytes): %s\n", len, strerror(-err));
		goto out;
	}
	err = drain(e);
	err = err ?: read_counters(e, e->after);
	if (err) {
		diag(e, "# reading state after the run: %s\n", strerror(-err));
		goto out;
	}

	if ((int)ret != want_ret) {
		diag(e, "#   retval %u, want %d\n", ret, want_ret);
		ok = false;
	}
	for (__u32 s = 0; s < VW_MAX_SEGMENTS; s++) {
		for (int c = 0; c < VW_CTR_MAX; c++) {
			__u32 k = VW_COUNTER_INDEX(s, c);
			long long d = e->after[k] - e->before[k];
			long long want = s == r->slot ? r->ctr[c] : 0;

			if (d != want) {
				diag(e, "#   slot %u counter %s delta %lld, want %lld\n",
				     s, vw_counter_name(c), d, want);
				ok = false;
			}
		}
	}
	if (e->nev != (r->event ? 1 : 0)) {
		diag(e, "#   %d event(s), want %d\n", e->nev, r->event ? 1 : 0);
		ok = false;
	} else if (r->event) {
		check_event(e, r, p, frame, &ok);
	}
	/* TC never samples: rows expecting a sample are XDP-only. */
	if (e->nsmp != (r->sample ? 1 : 0)) {
		diag(e, "#   %d sample(s), want %d\n", e->nsmp, r->sample ? 1 : 0);
		ok = false;
	} else if (r->sample) {
		check_sample(e, r, frame, len, &ok);
	}
	err = ok ? 1 : 0;
out:
	env_unload(e);
	if (err == -EOPNOTSUPP)
		return err;
	return err < 0 ? 0 : err;
}

struct plan_item {
	const struct row *row;
	enum prog prog;
	int trunc;
	int split;
};

int main(void)
{
	struct plan_item plan[2 * ARRAY_SIZE(rows) + ARRAY_SIZE(mgmt_rows) +
			      2 * TRUNC_LEN + ETH_MIN];
	struct env env = {};
	int n = 0, passed = 0, failed = 0, skipped = 0, err = 1;

	/* Keep test_run output free of libbpf's chatter; failures are
	 * reported per row. */
	libbpf_set_print(NULL);
	env.ncpus = libbpf_num_possible_cpus();
	if (env.ncpus <= 0) {
		fprintf(stderr, "Error: cannot count CPUs\n");
		return 1;
	}
	env.pcpu = calloc(env.ncpus, sizeof(__u64));
	env.before = calloc(VW_COUNTERS_LEN, sizeof(__u64));
	env.after = calloc(VW_COUNTERS_LEN, sizeof(__u64));
	env.smp = calloc(MAX_REC, sizeof(*env.smp));
	if (!env.pcpu || !env.before || !env.after || !env.smp) {
		fprintf(stderr, "Error: out of memory\n");
		goto out;
	}

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		plan[n++] = (struct plan_item){ &rows[i], rows[i].prog, 0, 0 };
		if (rows[i].both)
			plan[n++] = (struct plan_item){ &rows[i], P_TC, 0, 0 };
	}
	for (size_t i = 0; i < ARRAY_SIZE(mgmt_rows); i++)
		plan[n++] = (struct plan_item){ &mgmt_rows[i], P_XDP, 0, 0 };
	for (int p = P_XDP; p <= P_TC; p++)
		for (int l = 0; l < TRUNC_LEN; l++)
			plan[n++] = (struct plan_item){ trunc_row_for(l), p, l + 1, 0 };
	/* What the parser sees of a frame whose headers are not all in the
	 * linear area: possible on every kernel, unlike a frame that short. */
	for (int l = 0; l < ETH_MIN; l++)
		plan[n++] = (struct plan_item){ &trunc_row, P_XDP, l + 1, ETH_MIN };

	printf("1..%d\n", n);
	for (int i = 0; i < n; i++) {
		struct row r = *plan[i].row;
		const char *pn = plan[i].prog == P_XDP ? "xdp" : "tc";
		char desc[160];
		int res;

		if (plan[i].trunc)
			r.trunc = plan[i].trunc;
		r.split = plan[i].split;
		if (r.split)
			snprintf(desc, sizeof(desc),
				 "%s: %d header bytes in the linear area, %d-byte "
				 "frame, passes as MALFORMED", pn, r.trunc - 1,
				 r.split);
		else if (plan[i].trunc)
			snprintf(desc, sizeof(desc),
				 "%s: frame truncated to %d bytes: %s",
				 pn, r.trunc - 1, r.desc);
		else
			snprintf(desc, sizeof(desc), "%s: %s", pn, r.desc);
		env.diag[0] = 0;
		env.skip = NULL;
		res = run_row(&env, &r, plan[i].prog);
		if (res == -EOPNOTSUPP) {
			printf("ok %d - %s # SKIP %s\n", i + 1, desc, env.skip);
			skipped++;
		} else if (res == 1) {
			printf("ok %d - %s\n", i + 1, desc);
			passed++;
		} else {
			printf("not ok %d - %s\n%s", i + 1, desc, env.diag);
			failed++;
		}
		fflush(stdout);
	}
	printf("verdict_table: %d passed, %d failed, %d skipped\n", passed,
	       failed, skipped);
	err = failed ? 1 : 0;
out:
	free(env.pcpu);
	free(env.before);
	free(env.after);
	free(env.smp);
	return err;
}
