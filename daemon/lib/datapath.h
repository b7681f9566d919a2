/* SPDX-License-Identifier: GPL-2.0-only */
/* Owns the BPF object: load, pin, adopt, attach, and every map write. */
#ifndef VW_DATAPATH_H
#define VW_DATAPATH_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "vendorwall.h"
#include "ouiset.h"
#include "pinlayout.h"

struct vw_datapath;
struct ring_buffer;

enum vw_attach_mode { VW_ATTACH_NATIVE = 1, VW_ATTACH_GENERIC = 2 };

struct vw_device_entry {
	uint8_t mac[6];
	uint32_t flags;     /* VW_DEV_* */
	uint16_t vendor;
};

/* Loads the programs, reusing maps pinned under bpf_root (so counters and
 * verdicts survive restarts) and pinning any that are new. Mounts nothing:
 * bpf_root must be on a bpffs. Takes an exclusive lock on bpf_root.
 * Pins of an older layout are migrated (pinlayout.h) with no window: the
 * pinned links and TC filters move to the new programs in place. The
 * programs are pinned too; an earlier run's are taken over instead of
 * loaded when they are this daemon's object on these maps (progpin.h). */
int vw_datapath_open(struct vw_datapath **out, const char *bpf_root);
/* The same, reporting the layout found and what was done with it; on
 * -EPROTO, rep->detail says why the pins were refused and what to do. */
int vw_datapath_open_layout(struct vw_datapath **out, const char *bpf_root,
			    struct vw_layout_report *rep);
/* Closes file descriptors; pinned maps and links stay (enforcement goes on). */
void vw_datapath_close(struct vw_datapath *dp);
/* True when the maps were adopted (or migrated) from an earlier run. */
bool vw_datapath_adopted(const struct vw_datapath *dp);
/* True when the programs too were taken over from their pins, not loaded:
 * the same object on the same maps (progpin.h). */
bool vw_datapath_progs_reused(const struct vw_datapath *dp);

/* Attaches XDP (native, else generic) and TC egress to ifindex. An earlier
 * run's pinned XDP link is updated in place, so there is no window. */
int vw_datapath_attach(struct vw_datapath *dp, int ifindex, enum vw_attach_mode *mode);
/* Detaches both programs from ifindex and removes the link pin. */
int vw_datapath_detach(struct vw_datapath *dp, int ifindex);
/* Removes the pin directory tree (maps and links) after a detach-all stop. */
int vw_datapath_unpin_all(struct vw_datapath *dp);

int vw_datapath_set_config(struct vw_datapath *dp, const struct vw_config *cfg);
int vw_datapath_set_segment(struct vw_datapath *dp, uint32_t slot, const struct vw_segment *seg);
int vw_datapath_set_iface(struct vw_datapath *dp, uint32_t ifindex, const struct vw_iface *ifc);
int vw_datapath_set_vlan(struct vw_datapath *dp, uint32_t row, uint16_t vid, uint16_t slot);
/* Forget which MACs were reported on slot, so the next restricted frame
 * there is a first sighting again (used after a mode change). */
int vw_datapath_reset_alerts(struct vw_datapath *dp, uint32_t slot);

/* A device admitted under the quarantine cap (vw_cap_blocked): jiffies of
 * its admission and of its last report on that segment (vw_alerted; 0 when
 * there is none). mac is the maps' key, not a byte array. */
struct vw_cap_entry {
	uint64_t mac;
	uint32_t slot;
	uint64_t admitted, reported;
};
/* Every admission (*out freed by the caller) and the map's capacity. */
int vw_datapath_cap_list(struct vw_datapath *dp, struct vw_cap_entry **out, size_t *n,
			 size_t *capacity);
/* Removes admissions (v sorted by mac, then slot; other members unused):
 * those devices are decided again under the cap when they next send. Gone
 * already is not an error; on one the others are still removed. */
int vw_datapath_cap_forget(struct vw_datapath *dp, const struct vw_cap_entry *v, size_t n);

/* Makes the OUI bitmap, prefix and vendor maps equal to set (plus the slow
 * bits that the entries in vw_device need), changing only what differs,
 * ordered so that no restricted MAC passes in between. */
int vw_datapath_load_ouiset(struct vw_datapath *dp, const struct vw_ouiset *set);
int vw_datapath_set_device(struct vw_datapath *dp, const struct vw_device_entry *dev);
int vw_datapath_del_device(struct vw_datapath *dp, const uint8_t mac[6]);
/* Sets and clears VW_DEV_* bits of one MAC, keeping the other owners' bits;
 * the entry goes away when no bit is left. */
int vw_datapath_device_flags(struct vw_datapath *dp, const uint8_t mac[6],
			     uint32_t set, uint32_t clear);
/* The same, also recording the vendor code (0 keeps the current one). */
int vw_datapath_device_verdict(struct vw_datapath *dp, const uint8_t mac[6],
			       uint32_t set, uint32_t clear, uint16_t vendor);

/* Sums the per-CPU counters of one slot into out[VW_CTR_MAX]. */
int vw_datapath_read_counters(struct vw_datapath *dp, uint32_t slot, uint64_t *out);
/* Records refused so far by each global budget (VW_BUDGET_*), all CPUs. */
int vw_datapath_budget_denied(struct vw_datapath *dp, uint64_t out[VW_BUDGET_MAX]);

typedef int (*vw_record_fn)(void *ctx, void *data, size_t size);
/* Ring-buffer consumers; poll their epoll fds from the event loop. */
int vw_datapath_events(struct vw_datapath *dp, vw_record_fn fn, void *ctx, struct ring_buffer **rb);
int vw_datapath_samples(struct vw_datapath *dp, vw_record_fn fn, void *ctx, struct ring_buffer **rb);

/* Everything a reload writes (the bitmap, config, segments, interfaces,
 * VLAN rows, devices, prefixes, vendors), copied aside so that a failed
 * reload can put back exactly what was there. */
struct vw_datapath_snapshot;
/* Maps a snapshot may hold (bits of its mask). */
enum vw_snapshot_map {
	VW_SNAP_CONFIG = 1u << 0,
	VW_SNAP_SEGMENT = 1u << 1,
	VW_SNAP_IFACE = 1u << 2,     /* vw_iface and vw_iface_big */
	VW_SNAP_IFACE_BIG = 1u << 3,
	VW_SNAP_VLAN = 1u << 4,      /* 128 Ki entries: ~50 ms to read, skip when unused */
	VW_SNAP_DEVICE = 1u << 5,
	VW_SNAP_PREFIX = 1u << 6,
	VW_SNAP_OUI_VENDOR = 1u << 7,
	/* The 4 MiB bitmap, copied whole. Without it, the words that
	 * vw_datapath_set_device and vw_datapath_load_ouiset change while
	 * the snapshot is open are logged instead (a few thousand at most),
	 * and a restore puts them back. */
	VW_SNAP_OUI = 1u << 8,
	VW_SNAP_ALL = 0x1ffu,
};
int vw_datapath_snapshot(struct vw_datapath *dp, unsigned maps_mask,
			 struct vw_datapath_snapshot **out);
/* Writes back what differs from the snapshot; keeps going past a failed
 * write and returns the first error. */
int vw_datapath_restore(struct vw_datapath *dp, const struct vw_datapath_snapshot *s);
/* Same maps in both, with the same contents. */
bool vw_datapath_snapshot_equal(const struct vw_datapath_snapshot *a,
				const struct vw_datapath_snapshot *b);
void vw_datapath_snapshot_free(struct vw_datapath_snapshot *s);

/* vw_ip: an IP verdict (VW_DEV_* bits; 0 deletes it), and every key. */
int vw_datapath_set_ip(struct vw_datapath *dp, const struct vw_ip_key *k, uint32_t flags,
		       uint16_t vendor);
int vw_datapath_list_ips(struct vw_datapath *dp, struct vw_ip_key **out, size_t *n);

/* Every vw_device entry (*out is the caller's to free). */
int vw_datapath_list_devices(struct vw_datapath *dp, struct vw_device_entry **out, size_t *n);

#endif
