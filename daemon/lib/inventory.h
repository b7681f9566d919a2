/* SPDX-License-Identifier: GPL-2.0-only */
/* The persistent inventory of restricted devices (SQLite in StateDirectory):
 * where and when each was seen, its addresses, evidence, verdict and the
 * operator decisions about it. */
#ifndef VW_INVENTORY_H
#define VW_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PRAGMA user_version written by this code; a file with a higher version
 * was written by a newer vendorwall and is refused with -EPROTO. */
#define VW_INVENTORY_SCHEMA_VERSION 3

/* Rows of history kept; older ones are dropped as new ones come. */
#define VW_INVENTORY_HISTORY_MAX 10000

#define VW_INVENTORY_VENDOR_MAX  32   /* policy group id, NUL included */
#define VW_INVENTORY_VERDICT_MAX 24   /* "quarantined", "would-drop", ... (names.h) */

struct vw_inventory;

/* Size bounds and write coalescing; 0 means "unbounded" / "write every time". */
struct vw_inventory_limits {
	size_t max_devices;              /* oldest last_seen evicted with all its rows */
	size_t max_evidence_per_device;  /* oldest last_seen evidence dropped */
	size_t max_addresses_per_device; /* oldest last_seen address dropped */
	unsigned touch_interval_s;       /* min. spacing of last_seen writes for a known row */
	unsigned busy_timeout_ms;        /* 0: 1000 ms */
	/* max_devices applies at vw_inventory_apply_cap, not in open (which
	 * then reads no index): a daemon starts enforcing first. */
	bool cap_after_open;
};

/* One piece of evidence as the fingerprint engine reports it. */
struct vw_evidence {
	const char *signal;   /* "oui", "lldp", "dhcp", ... */
	const char *field;    /* "oui24", "sysDescr", "option60", ... */
	const char *value;
	const char *rule;     /* rule id that matched; NULL: none */
	unsigned confidence;  /* 0..100 */
};

/* One operator decision. mac NULL in vw_inventory_add_decision means a
 * decision about a segment (e.g. kind "mode"), not a device. */
struct vw_decision {
	const char *kind;     /* "waiver", "revoke", "quarantine", "release", "mode" */
	const char *segment;  /* NULL: all segments */
	const char *detail;   /* free text (reason, ticket, new mode); NULL: none */
	const char *comm;     /* the actor's command name; NULL: unknown */
	uint32_t uid;         /* the actor */
	int64_t at;           /* unix seconds */
	int64_t until;        /* expiry in unix seconds; 0: none */
};

struct vw_inventory_segment {
	char *name;
	int64_t first_seen, last_seen;
};

struct vw_inventory_address {
	int family;           /* AF_INET or AF_INET6 */
	char addr[46];        /* INET6_ADDRSTRLEN, canonical text */
	int64_t first_seen, last_seen;
};

/* vw_evidence as read back: the same fields, the strings owned. */
struct vw_evidence_rec {
	char *signal, *field, *value, *rule;
	unsigned confidence;
};

struct vw_inventory_evidence {
	struct vw_evidence_rec e;
	int64_t first_seen, last_seen;
};

/* vw_decision as read back: the same fields, the strings owned. */
struct vw_decision_rec {
	char *kind, *segment, *detail, *comm;
	uint32_t uid;
	int64_t at, until;
};

struct vw_inventory_decision {
	uint8_t mac[6];
	bool has_mac;         /* false for segment-wide decisions */
	struct vw_decision_rec d;
};

/* A device with everything known about it; release with
 * vw_inventory_device_free(). Arrays are ordered oldest first. */
struct vw_inventory_device {
	uint8_t mac[6];
	char vendor[VW_INVENTORY_VENDOR_MAX];
	char verdict[VW_INVENTORY_VERDICT_MAX]; /* vw_verdict_word(); "" until one is set */
	char outcome[VW_INVENTORY_VERDICT_MAX]; /* vw_outcome_name() of the last frame; "" */
	int64_t first_seen, last_seen, verdict_since;
	struct vw_inventory_segment *segments;
	size_t n_segments;
	struct vw_inventory_address *addresses;
	size_t n_addresses;
	struct vw_inventory_evidence *evidence;
	size_t n_evidence;
	struct vw_inventory_decision *decisions;
	size_t n_decisions;
};

/* Which devices vw_inventory_list() reports; NULL or zero members match all.
 * With a segment, since applies to the device's last sighting on that
 * segment, otherwise to its last sighting anywhere. */
struct vw_inventory_filter {
	const char *vendor;
	const char *segment;
	int64_t since;
};

/* Opens or creates the database and migrates it forward. -EPROTO for a
 * schema newer than this code, -EBADMSG for a file that is not a (sane)
 * inventory. lim may be NULL: unbounded, no coalescing. One writer (the
 * daemon) per file; readers may share it. */
int vw_inventory_open(struct vw_inventory **out, const char *path,
		      const struct vw_inventory_limits *lim);
void vw_inventory_close(struct vw_inventory *inv);
/* Evicts the devices beyond max_devices, oldest last_seen first, as open
 * does without cap_after_open: a count of the device index (~15 ms at
 * 100,000 devices). Until then a new device's sighting applies it. */
int vw_inventory_apply_cap(struct vw_inventory *inv);

/* Batches the writes that follow into one transaction (one WAL commit),
 * for a burst of events. Not nestable: -EBUSY while one is open.
 * Without begin every call is its own transaction. A failed call inside a
 * batch is undone alone; the batch stays open. */
int vw_inventory_begin(struct vw_inventory *inv);
int vw_inventory_commit(struct vw_inventory *inv);
int vw_inventory_rollback(struct vw_inventory *inv);

/* Records a sighting of mac on segment at when. verdict is a
 * vw_verdict_word() ("restricted"), outcome a vw_outcome_name() of the
 * frame ("would-drop"); any other word is -EINVAL, NULL keeps the current
 * one. new_device / new_on_segment (each may be NULL) tell whether the
 * device, or the device on this segment, was unknown. A known device on a
 * known segment has its last_seen written at most once per
 * touch_interval_s unless vendor, verdict or outcome changed. */
int vw_inventory_observe(struct vw_inventory *inv, const uint8_t mac[6], const char *vendor,
			 const char *segment, const char *verdict, const char *outcome,
			 int64_t when, bool *new_device, bool *new_on_segment);
/* addr is a struct in_addr / in6_addr as the neighbour table gives it.
 * Known devices only: -ENOENT otherwise. */
int vw_inventory_add_address(struct vw_inventory *inv, const uint8_t mac[6], int family,
			     const void *addr, int64_t when);
/* The same (signal, field, value) seen again updates confidence, rule and
 * last_seen; known devices only: -ENOENT otherwise. */
int vw_inventory_add_evidence(struct vw_inventory *inv, const uint8_t mac[6],
			      const struct vw_evidence *ev, int64_t when);
/* verdict: a vw_verdict_word(), else -EINVAL; -ENOENT for an unknown device. */
int vw_inventory_set_verdict(struct vw_inventory *inv, const uint8_t mac[6], const char *verdict,
			     int64_t when);
/* Decisions are kept even for devices not (yet) seen, so a waiver can
 * precede the device; they go with the device when it is evicted. */
int vw_inventory_add_decision(struct vw_inventory *inv, const uint8_t mac[6] /* NULL: segment */,
			      const struct vw_decision *d);

/* Records what the daemon enforced (kind "policy", what = policy version)
 * or a degraded state it raised (kind "degraded", what = its name), for
 * reports over a period. Only the last VW_INVENTORY_HISTORY_MAX are kept. */
int vw_inventory_add_history(struct vw_inventory *inv, const char *kind, const char *what,
			     const char *segment, const char *detail, int64_t at);

/* -ENOENT for an unknown device. */
int vw_inventory_get(struct vw_inventory *inv, const uint8_t mac[6],
		     struct vw_inventory_device *out);
void vw_inventory_device_free(struct vw_inventory_device *d);
/* Calls cb for each matching device, most recently seen first; a non-zero
 * return from cb stops the walk and is returned. cb must not write to the
 * inventory. */
int vw_inventory_list(struct vw_inventory *inv, const struct vw_inventory_filter *f,
		      int (*cb)(void *ctx, const struct vw_inventory_device *d), void *ctx);
/* One page of the same devices in MAC order: at most limit of them with a
 * MAC above after (NULL: from the first). A device seen again while pages
 * are read keeps its place, so a listing in pages has each device once. */
int vw_inventory_list_page(struct vw_inventory *inv, const struct vw_inventory_filter *f,
			   const uint8_t after[6], size_t limit,
			   int (*cb)(void *ctx, const struct vw_inventory_device *d), void *ctx);
/* Decisions (mac NULL: all, including segment-wide ones) at or after since,
 * oldest first. */
int vw_inventory_list_decisions(struct vw_inventory *inv, const uint8_t mac[6], int64_t since,
				int (*cb)(void *ctx, const struct vw_inventory_decision *d),
				void *ctx);
int vw_inventory_count(struct vw_inventory *inv, size_t *n);
/* How many devices vw_inventory_list would report, without loading them. */
int vw_inventory_count_matching(struct vw_inventory *inv, const struct vw_inventory_filter *f,
				size_t *n);

#endif
