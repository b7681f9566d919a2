/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one contract between the BPF data plane and userspace: map names and
 * sizes, keys, values, reason codes, counters and ring-buffer records.
 * Anything both sides must agree on lives here and nowhere else.
 */
#ifndef VENDORWALL_H
#define VENDORWALL_H

#ifdef __BPF__
#include <linux/types.h>
#else
#include <linux/types.h>
#include <stddef.h>
#endif

/* ---- Sizes ------------------------------------------------------------- */

/* One 64-bit word holds 16 OUIs at 4 bits each: 2^24 / 16 words (8 MiB).
 * vw_oui_word(), vw_oui_bits() and vw_oui_bits_at() below are the only
 * spelling of this layout: the data plane, the daemon, tests and tools use
 * them. The three "look closer" bits say which hash lookups a MAC of the
 * /24 needs, so an MA-S frame does not pay for a vw_device miss nor an
 * exact device for prefix misses (bpf/PERFORMANCE.md §4.5). Layouts before
 * 3 had 2 bits per OUI with one "look closer" bit (pinlayout.c converts). */
#define VW_OUI_WORDS        (1u << 20)
#define VW_OUI_BIT_RESTRICTED 0x1u  /* the /24 belongs to a restricted vendor */
#define VW_OUI_BIT_DEV        0x2u  /* exact verdicts (vw_device) below */
#define VW_OUI_BIT_P28        0x4u  /* MA-M blocks (vw_prefix, /28) below */
#define VW_OUI_BIT_P36        0x8u  /* MA-S/IAB blocks (vw_prefix, /36) below */
/* Any "look closer" bit: the frame leaves the one-load fast path. */
#define VW_OUI_BIT_SLOW       (VW_OUI_BIT_DEV | VW_OUI_BIT_P28 | VW_OUI_BIT_P36)
#define VW_OUI_BITS_MASK      0xfu  /* all bits of one OUI */

/* Interfaces are looked up by ifindex in a flat array; larger ifindexes
 * fall back to a hash (rare: ifindexes are per-namespace and dense). */
#define VW_MAX_IFINDEX      4096u
#define VW_MAX_IFINDEX_BIG  256u
/* Segment slot 0 is "not a managed segment"; slots 1.. are daemon-assigned. */
#define VW_MAX_SEGMENTS     256u
/* Interfaces that carry per-VLAN segments get a 4096-entry row of slots. */
#define VW_MAX_VLAN_IFACES  32u
#define VW_VLAN_IDS         4096u
/* VID 4095 is reserved by 802.1Q (and refused in the configuration). Its
 * entry in an interface's vw_vlan row is the slot of the interface's
 * strictest segment, where a frame whose VLAN cannot be read is judged:
 * more tags than VW_VLAN_TAGS, or cut short inside its tags. */
#define VW_VID_UNKNOWN      4095u
/* Tags the data plane reads per frame, priority tags (VID 0) included. */
#define VW_VLAN_TAGS        8

#define VW_MAX_PREFIXES     65536u
#define VW_MAX_DEVICES      65536u
/* Of vw_device: kept for operator waivers and quarantines; fingerprint
 * verdicts get at most the rest, so frames cannot take an operator's room. */
#define VW_MAX_DECISIONS    4096u
#define VW_MAX_FP_VERDICTS  (VW_MAX_DEVICES - VW_MAX_DECISIONS)
#define VW_MAX_ALERTED      65536u
#define VW_ALERT_CACHE      4096u   /* direct-mapped, power of two */
#define VW_SAMPLE_CACHE     4096u   /* direct-mapped, power of two */

#define VW_EVENTS_RB_BYTES  (256u * 1024u)
#define VW_SAMPLES_RB_BYTES (4u * 1024u * 1024u)
/* Management frames larger than this are truncated in the sample; a power
 * of two so the data plane can bound copies with a mask. */
#define VW_SAMPLE_MAX       2048u

/* Pin layout under the BPF root (default /sys/fs/bpf/vendorwall). */
#define VW_DEFAULT_BPF_ROOT "/sys/fs/bpf/vendorwall"
#define VW_PIN_MAPS_DIR     "maps"
#define VW_PIN_LINKS_DIR    "links"
/* Version of the pinned layout (which maps, their shapes and meaning),
 * recorded in the pinned VW_PIN_META map. Pins without it are layout 1.
 * Bump it when a map's meaning changes without its shape changing; a
 * shape change (size, entries, type) is migrated by shape alone. */
#define VW_LAYOUT_VERSION   3
#define VW_PIN_META         "vw_meta"
/* Where an upgrade assembles the next pin set before it replaces maps/. */
#define VW_PIN_STAGE_DIR    "maps-next"   /* bpffs names may not hold a dot */

/* ---- MAC helpers (shared so both sides compute identical keys) ---------- */

/* A MAC as a 48-bit big-endian integer in the low bits of a u64. */
static inline __attribute__((always_inline)) __u64 vw_mac_to_u64(const __u8 m[6])
{
	return ((__u64)m[0] << 40) | ((__u64)m[1] << 32) | ((__u64)m[2] << 24) |
	       ((__u64)m[3] << 16) | ((__u64)m[4] << 8) | (__u64)m[5];
}

/* Prefix-map key: prefix length in bits 48..55, masked MAC below. */
static inline __attribute__((always_inline)) __u64 vw_prefix_key(__u64 mac, __u32 plen)
{
	__u64 mask = ((1ull << plen) - 1) << (48 - plen);

	return ((__u64)plen << 48) | (mac & mask);
}

/* ---- The vw_oui bitmap ------------------------------------------------- */

/* The 24-bit OUI of a MAC, and of a vw_mac_to_u64() value. */
static inline __attribute__((always_inline)) __u32 vw_oui_of(const __u8 m[6])
{
	return ((__u32)m[0] << 16) | ((__u32)m[1] << 8) | m[2];
}

static inline __attribute__((always_inline)) __u32 vw_oui_of_u64(__u64 mac)
{
	return (__u32)(mac >> 24) & 0xffffffu;
}

/* The vw_oui index (word) holding an OUI's bits. */
static inline __attribute__((always_inline)) __u32 vw_oui_word(__u32 oui)
{
	return oui >> 4;
}

static inline __attribute__((always_inline)) __u32 vw_oui_shift(__u32 oui)
{
	return (oui & 15) * 4;
}

/* An OUI's VW_OUI_BIT_* in its word. */
static inline __attribute__((always_inline)) __u32 vw_oui_bits(__u64 word, __u32 oui)
{
	return (__u32)(word >> vw_oui_shift(oui)) & VW_OUI_BITS_MASK;
}

/* VW_OUI_BIT_* of an OUI placed in its word: OR it in to set, AND the
 * complement of vw_oui_bits_at(oui, VW_OUI_BITS_MASK) to clear. */
static inline __attribute__((always_inline)) __u64 vw_oui_bits_at(__u32 oui, __u32 bits)
{
	return (__u64)(bits & VW_OUI_BITS_MASK) << vw_oui_shift(oui);
}

#define VW_MAC_IS_MULTICAST(m0) ((m0) & 0x01)
#define VW_MAC_IS_LOCAL(m0)     ((m0) & 0x02)

/* ---- Reason codes: stable, documented, used by counters/events/CLI ----- */

enum vw_reason {
	VW_REASON_BENIGN = 0,      /* no verdict source matched */
	VW_REASON_MALFORMED = 1,   /* truncated/unparsable header; passed */
	VW_REASON_NO_OUI = 2,      /* multicast or locally administered MAC */
	VW_REASON_WAIVER = 3,      /* operator allow (waiver) */
	VW_REASON_QUARANTINE = 4,  /* operator quarantine */
	VW_REASON_DEVICE = 5,      /* per-device restricted verdict */
	VW_REASON_DEVICE_CLEAR = 6,/* per-device verdict overriding an OUI hit */
	VW_REASON_OUI = 7,         /* restricted vendor's IEEE block */
	VW_REASON_MAX
};

/* Verdict a frame would get if its segment were in block mode. */
static inline int vw_reason_restricts(__u32 r)
{
	return r == VW_REASON_QUARANTINE || r == VW_REASON_DEVICE ||
	       r == VW_REASON_OUI;
}

/* Per-segment counters: the reason counters first, then outcomes. */
enum vw_counter {
	VW_CTR_DROP = VW_REASON_MAX,   /* restricted frame dropped (block) */
	VW_CTR_REDIRECT,               /* restricted frame redirected (block) */
	VW_CTR_REDIRECT_FAIL,          /* redirect target unusable: dropped */
	VW_CTR_WOULD_DROP,             /* restricted frame passed (monitor) */
	VW_CTR_OFF,                    /* restricted frame, segment mode off */
	VW_CTR_EVENT,                  /* event record submitted */
	VW_CTR_EVENT_LOST,             /* events ring full: record lost */
	VW_CTR_EVENT_THROTTLED,        /* global event budget exhausted */
	VW_CTR_SAMPLE,                 /* management sample submitted */
	VW_CTR_SAMPLE_LOST,            /* samples ring full */
	VW_CTR_SAMPLE_THROTTLED,       /* per-MAC sample rate limit */
	VW_CTR_CAPPED,                 /* restricted frame passed: quarantine cap */
	VW_CTR_MAX
};

#ifndef __BPF__
/* The one spelling of each reason and counter: stats, JSON, alerts, docs.
 * An outcome's counter is named by the outcome's key (daemon/lib/names.c,
 * checked by test_names). */
static inline const char *vw_counter_name(unsigned int i)
{
	static const char *const names[VW_CTR_MAX] = {
		"benign", "malformed", "no_oui", "waiver", "quarantine", "device",
		"device_clear", "oui", "dropped", "redirected", "redirect_fail",
		"would_drop", "off", "event", "event_lost", "event_throttled",
		"sample", "sample_lost", "sample_throttled", "capped",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == VW_CTR_MAX,
		       "a name for every counter");

	return i < VW_CTR_MAX ? names[i] : "unknown";
}
#endif

#define VW_COUNTER_INDEX(slot, ctr) ((slot) * VW_CTR_MAX + (ctr))
#define VW_COUNTERS_LEN (VW_MAX_SEGMENTS * VW_CTR_MAX)

/* vw_if_benign, per CPU: the data plane counts an untagged benign frame
 * received on ifindex < VW_MAX_IFINDEX at [ifindex] (it needs no segment,
 * so it skips the segment lookup); only the daemon writes the rest:
 * [VW_IFB_BASE + ifindex] is the part of [ifindex] already given to a
 * segment, [VW_IFB_CARRY + slot] what segment slot was given when an
 * interface left it (daemon/lib/ifbenign.c). */
#define VW_IFB_BASE  VW_MAX_IFINDEX
#define VW_IFB_CARRY (2 * VW_MAX_IFINDEX)
#define VW_IFB_LEN   (2 * VW_MAX_IFINDEX + VW_MAX_SEGMENTS)

/* ---- Segments ---------------------------------------------------------- */

enum vw_mode {
	VW_MODE_OFF = 0,
	VW_MODE_MONITOR = 1,
	VW_MODE_BLOCK = 2,
};

enum vw_action {
	VW_ACTION_DROP = 0,
	VW_ACTION_REDIRECT = 1,
};

/* vw_iface[ifindex] (and vw_iface_big{ifindex}): how to find the segment. */
struct vw_iface {
	__u16 slot;      /* interface-wide default segment; 0 = unmanaged */
	__u16 vlan_row;  /* 1-based row in vw_vlan when the iface has VLAN segments */
};

/* vw_segment[slot]: what a restricted verdict does there. */
struct vw_segment {
	__u8 mode;       /* enum vw_mode */
	__u8 action;     /* enum vw_action */
	__u16 pad;
	__u32 redirect_ifindex;
	/* Block mode cuts off at most this many new devices per hour; later
	 * ones are only monitored, so a bad policy cannot cut off a site.
	 * 0 = no cap. Operator quarantines are exempt. */
	__u32 max_new_per_hour;
	/* Length of the cap's window in seconds; 0 = one hour (pins of
	 * earlier releases hold 0 here). */
	__u32 cap_window_s;
};

/* vw_alerted{(MAC, slot)}: last report and the quarantine-cap decision. */
/* In vw_alert_cache only: the device is in vw_cap_blocked (admitted under
 * the cap). Capped decisions are never stored: they end with the window. */
#define VW_ALERT_DECIDED 0x1u
#define VW_ALERT_CAPPED  0x2u   /* unused since the cap moved to vw_cap_blocked */

struct vw_alert_state {
	__u64 last;      /* jiffies of the last event, 0 = never reported */
	__u32 flags;     /* VW_ALERT_* */
	__u32 pad;
};

/* ---- Per-device verdicts (exact MAC) ----------------------------------- */

/* Independent bits so each owner (operator, fingerprint engine) sets its
 * own; the data plane applies the precedence. */
#define VW_DEV_WAIVED      0x01u  /* operator allow: pass everywhere */
#define VW_DEV_QUARANTINED 0x02u  /* operator quarantine: restrict */
#define VW_DEV_RESTRICTED  0x04u  /* fingerprint: restricted vendor */
#define VW_DEV_CLEARED     0x08u  /* fingerprint: not restricted despite OUI */
/* A router (named or learned): its frames are judged by IP address against
 * vw_ip. Set on the router's own vw_device entry, so only frames whose MAC
 * already takes the slow path can reach the IP lookup. */
#define VW_DEV_ROUTER      0x10u

struct vw_device {
	__u32 flags;
	__u16 vendor;
	__u16 pad;
};

/* vw_ip{family, address}: exact IP verdicts for devices behind routers.
 * The value is a struct vw_device (same bits, same precedence, no ROUTER).
 * IPv4 uses addr[0..3], the rest zero. */
#define VW_MAX_IP_VERDICTS 16384u
struct vw_ip_key {
	__u8 family;      /* 4 or 6 */
	__u8 pad[3];
	__u8 addr[16];
};

/* Events of IP verdicts carry, instead of the router's MAC, a tag made
 * from the address: multicast bit set (no frame is classified by a
 * multicast MAC, so a tag never meets a real device's alert state), the
 * family, 32 bits of FNV-1a of the address. The daemon maps tags back to
 * the IP verdicts it wrote (include/vendorwall.h is the one spelling). */
#define VW_IP_TAG0 0x03u
static inline __attribute__((always_inline)) void vw_ip_tag(const struct vw_ip_key *k,
							     __u8 tag[6])
{
	__u32 h = 2166136261u;

	for (int i = 0; i < 16; i++)
		h = (h ^ k->addr[i]) * 16777619u;
	tag[0] = VW_IP_TAG0;
	tag[1] = k->family;
	tag[2] = h >> 24;
	tag[3] = h >> 16;
	tag[4] = h >> 8;
	tag[5] = h;
}

/* vw_prefix{vw_prefix_key(mac, plen)} for plen 28 and 36. */
struct vw_prefix {
	__u16 vendor;     /* 0 = benign owner (shadows a restricted /24) */
	__u8 restricted;
	__u8 pad;
};

/* ---- Runtime configuration (vw_config[0]) ------------------------------ */

struct vw_config {
	__u32 alert_interval_s;   /* reminder period per MAC and segment */
	__u32 event_burst;        /* global per-CPU token bucket */
	__u32 events_per_s;
	__u32 sample_interval_ms; /* per-MAC spacing of management samples */
	__u32 sample_burst;
	__u32 sample_snaplen;     /* <= VW_SAMPLE_MAX */
	/* One budget for the samples of every MAC and CPU: a flood of
	 * spoofed MACs, each with fresh per-MAC tokens, stops here. */
	__u32 samples_per_s;
	__u32 sample_global_burst;
};

/* vw_budget[VW_BUDGET_*]: global token buckets shared by every CPU. */
enum vw_budget_id {
	VW_BUDGET_EVENTS = 0,
	VW_BUDGET_SAMPLES = 1,
	VW_BUDGET_MAX
};

/* ---- Ring-buffer records ----------------------------------------------- */

#define VW_EVENT_VERSION 1
#define VW_SAMPLE_VERSION 1

enum vw_event_kind {
	VW_EVENT_FIRST = 1,      /* first sighting of a MAC on a segment */
	VW_EVENT_REMINDER = 2,   /* still there after the alert interval */
};

enum vw_direction {
	VW_DIR_INGRESS = 0,      /* XDP, source MAC classified */
	VW_DIR_EGRESS = 1,       /* TC, destination MAC classified */
};

enum vw_verdict {
	VW_VERDICT_PASS = 0,
	VW_VERDICT_WOULD_DROP = 1,
	VW_VERDICT_DROP = 2,
	VW_VERDICT_REDIRECT = 3,
	VW_VERDICT_CAPPED = 4,   /* would be blocked, passed: quarantine cap */
};

struct vw_event {
	__u8 version;      /* VW_EVENT_VERSION */
	__u8 kind;         /* enum vw_event_kind */
	__u8 direction;    /* enum vw_direction */
	__u8 reason;       /* enum vw_reason */
	__u8 verdict;      /* enum vw_verdict */
	__u8 mode;         /* enum vw_mode at the time */
	__u16 vendor;      /* policy vendor code, 0 = unknown */
	__u8 mac[6];       /* the classified MAC */
	__u16 vlan;        /* outer VLAN id, 0 = untagged, VW_VID_UNKNOWN */
	__u32 ifindex;
	__u16 slot;        /* segment slot */
	__u16 ethertype;   /* innermost EtherType, host order */
	__u64 jiffies;
};

enum vw_sample_flags {
	VW_SAMPLE_TRUNCATED = 0x1,
	VW_SAMPLE_EGRESS = 0x2,    /* sent through the port (TC), not received */
};

struct vw_sample_hdr {
	__u8 version;      /* VW_SAMPLE_VERSION */
	__u8 flags;
	__u16 vlan;
	__u32 ifindex;
	__u16 slot;
	__u16 caplen;      /* bytes of frame following this header */
	__u32 len;         /* original frame length */
	__u8 data[];       /* the frame from its Ethernet header */
};

#ifndef __BPF__
_Static_assert(sizeof(struct vw_iface) == 4, "vw_iface layout");
_Static_assert(sizeof(struct vw_segment) == 16, "vw_segment layout");
_Static_assert(sizeof(struct vw_alert_state) == 16, "vw_alert_state layout");
_Static_assert(sizeof(struct vw_device) == 8, "vw_device layout");
_Static_assert(sizeof(struct vw_prefix) == 4, "vw_prefix layout");
_Static_assert(sizeof(struct vw_ip_key) == 20, "vw_ip_key layout");
_Static_assert(sizeof(struct vw_event) == 32, "vw_event layout");
_Static_assert(sizeof(struct vw_sample_hdr) == 16, "vw_sample_hdr layout");
#endif

#endif /* VENDORWALL_H */
