/* SPDX-License-Identifier: GPL-2.0-only */
/* Map definitions of the data plane; the daemon pins each one by name.
 * Hash maps only the daemon writes are BPF_F_NO_PREALLOC: a preallocated
 * map fills its free list of max_entries elements at creation, most of a
 * cold start's map creation, for entries a policy mostly never uses.
 * Lookups walk the same buckets. vw_alerted, which the programs write for
 * every new restricted MAC, stays preallocated: no allocation under a
 * flood. vw_cap_blocked is written only below its segment's quarantine cap
 * (a few devices an hour), so it allocates as it grows. */
#ifndef VW_MAPS_H
#define VW_MAPS_H

/* 4 bits per OUI, indexed directly by vw_oui_word(): an inlined array load is
 * the whole cost of a benign MAC (bpf/PERFORMANCE.md §5.1). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	/* mmapable: a policy load rewrites single words in place, atomically. */
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, VW_OUI_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} vw_oui SEC(".maps");

/* Vendor of each restricted /24, read only when an event is emitted. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, VW_MAX_PREFIXES);
	__type(key, __u32);
	__type(value, __u16);
} vw_oui_vendor SEC(".maps");

/* MA-M/MA-S/IAB blocks keyed by vw_prefix_key(); only under a slow /24. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, VW_MAX_PREFIXES);
	__type(key, __u64);
	__type(value, struct vw_prefix);
} vw_prefix SEC(".maps");

/* Exact per-device verdicts (operator and fingerprint engine). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, VW_MAX_DEVICES);
	__type(key, __u64);
	__type(value, struct vw_device);
} vw_device SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VW_MAX_IFINDEX);
	__type(key, __u32);
	__type(value, struct vw_iface);
} vw_iface SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, VW_MAX_IFINDEX_BIG);
	__type(key, __u32);
	__type(value, struct vw_iface);
} vw_iface_big SEC(".maps");

/* Row r (1-based) covers VLAN ids of one interface: (r-1)*4096 + vid. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VW_MAX_VLAN_IFACES * VW_VLAN_IDS);
	__type(key, __u32);
	__type(value, __u16);
} vw_vlan SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VW_MAX_SEGMENTS);
	__type(key, __u32);
	__type(value, struct vw_segment);
} vw_segment SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VW_COUNTERS_LEN);
	__type(key, __u32);
	__type(value, __u64);
} vw_counters SEC(".maps");

/* Untagged benign frames per receiving ifindex, and the daemon's
 * bookkeeping of them (VW_IFB_*, include/vendorwall.h): the daemon adds an
 * interface's count to its untagged segment's VW_REASON_BENIGN. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VW_IFB_LEN);
	__type(key, __u32);
	__type(value, __u64);
} vw_if_benign SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vw_config);
} vw_config SEC(".maps");

/* Per-(MAC, segment) time of the last event: the authority for "first
 * sighting" and reminders. */
struct vw_alert_key {
	__u64 mac;
	__u32 slot;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VW_MAX_ALERTED);
	__type(key, struct vw_alert_key);
	__type(value, struct vw_alert_state);
} vw_alerted SEC(".maps");

/* Per-segment window of the quarantine cap (vw_segment.cap_window_s). */
struct vw_cap_window {
	__u64 start;     /* jiffies */
	__u32 count;     /* devices newly blocked in this window */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VW_MAX_SEGMENTS);
	__type(key, __u32);
	__type(value, struct vw_cap_window);
} vw_cap SEC(".maps");

/* Direct-mapped front of vw_alerted so a flood from one restricted MAC is
 * suppressed with an inlined array load instead of a hash lookup. A
 * collision only costs a vw_alerted lookup, never an extra event. */
struct vw_alert_cache_ent {
	__u64 mac;
	__u32 slot;
	__u32 flags;     /* copy of vw_alert_state.flags */
	/* Jiffies until which the flood check suppresses this (MAC, slot):
	 * the report's time plus the alert interval, so the per-frame check
	 * needs no configuration. Earlier releases kept the report's time
	 * here, which reads as a deadline already past: nothing is
	 * suppressed that vw_report would not suppress. The daemon clears
	 * the cache when the interval changes (vw_datapath_set_config). */
	__u64 until;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VW_ALERT_CACHE);
	__type(key, __u32);
	__type(value, struct vw_alert_cache_ent);
} vw_alert_cache SEC(".maps");

/* Per-MAC sample budget, direct-mapped: a collision resets the budget of
 * the evicted MAC, which at worst lets one more sample through. */
struct vw_sample_ent {
	__u64 mac;
	__u64 last;
	__u32 tokens;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VW_SAMPLE_CACHE);
	__type(key, __u32);
	__type(value, struct vw_sample_ent);
} vw_sample_rl SEC(".maps");

/* Global event and sample budgets, one bucket each shared by every CPU
 * (per-CPU buckets multiplied the budget by the number of CPUs). Under a
 * flood the bucket is empty and a frame only reads it; a token is taken
 * with one atomic add. */
struct vw_bucket {
	__u64 last;      /* jiffies of the last refill */
	__s64 tokens;    /* may dip below zero by a few racing CPUs */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VW_BUDGET_MAX);
	__type(key, __u32);
	__type(value, struct vw_bucket);
} vw_budget SEC(".maps");

/* Records refused by each budget, per CPU so the flood path writes no
 * shared cache line; the daemon reports growth as a degraded state. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VW_BUDGET_MAX);
	__type(key, __u32);
	__type(value, __u64);
} vw_budget_denied SEC(".maps");

/* Devices admitted under the quarantine cap, (MAC, segment) -> jiffies.
 * A hash, not an LRU: frames can never evict a blocked device and turn it
 * into a new, capped one. Only the daemon deletes (on a mode change). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, VW_MAX_ALERTED);
	__type(key, struct vw_alert_key);
	__type(value, __u64);
} vw_cap_blocked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, VW_EVENTS_RB_BYTES);
} vw_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, VW_SAMPLES_RB_BYTES);
} vw_samples SEC(".maps");

/* Exact IP verdicts, read only for frames of router MACs (vw_ipverdict.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, VW_MAX_IP_VERDICTS);
	__type(key, struct vw_ip_key);
	__type(value, struct vw_device);
} vw_ip SEC(".maps");

#endif
