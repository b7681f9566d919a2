/* SPDX-License-Identifier: GPL-2.0-only */
/* The fingerprint decision: per-device evidence (OUI + rule matches) combined into a confidence per vendor or look-alike class, thresholds per mode, no flapping, and per-frame change reports for the daemon. */
#ifndef VW_FP_ENGINE_H
#define VW_FP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp.h"
#include "ouiset.h"
#include "policy.h"
#include "rules.h"

/*
 * Confidence model. Each piece of evidence has the confidence of its level
 * (rule Confidence=, or conf_oui for a restricted OUI). Evidence for the
 * same identity from distinct (signal, field) pairs is independent and
 * combines as 1 - prod(1 - c); the same (signal, field) seen again, or
 * matched by a second rule, counts once (the strongest). All OUI evidence
 * (source MAC, LLDP chassis MAC, DHCP chaddr, SADP MAC...) is one fact.
 * Defaults: high 0.9, medium 0.7, low 0.3; threshold 0.9 in both modes,
 * so one high signal, or two independent medium ones (0.91), identify a
 * device; medium + low (0.79) or low alone never do.
 */
struct vw_fp_engine_conf {
	double conf_high, conf_medium, conf_low, conf_oui;
	double threshold_monitor;   /* restricted for alerting */
	double threshold_block;     /* restricted for enforcement (>= monitor usually) */
	size_t max_devices;         /* LRU beyond this */
	size_t max_evidence;        /* per device */
	/* Is mac a router's (configured or learnt by the daemon)? May be
	 * NULL: then only a frame's own hints say it was routed (a relayed
	 * DHCP's giaddr, a TTL/hop limit that is not an initial value). */
	bool (*is_router)(void *ctx, const uint8_t mac[6]);
	void *router_ctx;
};

void vw_fp_engine_conf_default(struct vw_fp_engine_conf *c);

enum vw_fp_state {
	VW_FP_STATE_NONE = 0,       /* nothing decided: no vw_device bit */
	VW_FP_STATE_RESTRICTED,     /* a restricted vendor: VW_DEV_RESTRICTED */
	VW_FP_STATE_CLEARED,        /* a look-alike class: VW_DEV_CLEARED */
	/* A look-alike class that explains evidence for a restricted vendor
	 * (its OUI): a claim the device makes about itself, so the caller
	 * decides whether it lifts that verdict (default: it does not). */
	VW_FP_STATE_DISPUTED,
};
const char *vw_fp_state_name(enum vw_fp_state s);

#define VW_FP_EV_VALUE 128      /* evidence values are truncated to this (with NUL) */

/* 64 bytes: every frame compares a device's items on signal, ident and
 * field, so they sit in consecutive cache lines; the value text, written
 * only when an item changes, is kept apart. */
struct vw_fp_evidence {
	uint16_t signal;            /* enum vw_fp_signal, or VW_FP_SIG_OUI */
	enum vw_fp_level level;
	const struct vw_fp_ident *ident;  /* what it points to */
	const char *field;          /* static or owned by the rules */
	double confidence;
	uint64_t first_us, last_us;
	const struct vw_fp_rule *rule;    /* NULL for OUI evidence */
	const char *value;          /* owned by the engine, < VW_FP_EV_VALUE bytes */
};
const char *vw_fp_evidence_signal(const struct vw_fp_evidence *ev);   /* "lldp", "oui" */

/*
 * A device as the engine sees it; pointers are valid until the next call
 * into the engine. Evidence has a subject (README "Evidence subjects"):
 * a device on the segment is known by its MAC (by_ip false, mac is the
 * frame source that spoke for itself); a device behind a router is known
 * by its IP (by_ip true, family/ip, 0 when not known yet) and, when a
 * relayed DHCP named it, by its own MAC too (has_mac, mac = chaddr), with
 * the router whose MAC carried its frames in via_mac. A by_ip report is
 * never a verdict about mac or via_mac on the segment.
 */
struct vw_fp_report {
	uint8_t mac[6];
	bool by_ip;
	int family;                       /* AF_INET, AF_INET6, 0 (by_ip, IP not known yet) */
	uint8_t ip[16];
	bool has_mac;                     /* mac is the device's own */
	uint8_t via_mac[6];
	bool has_via;
	uint32_t lease_s;                 /* DHCP lease of ip, 0 = unknown */
	enum vw_fp_state state;
	const struct vw_fp_ident *ident;  /* current vendor or class; NULL: none */
	uint16_t vendor_code;             /* policy code when state is RESTRICTED */
	double confidence;                /* combined, for ident */
	bool monitor, block;              /* confidence reaches that mode's threshold */
	const struct vw_fp_evidence *evidence;
	size_t n_evidence;
	const uint8_t (*ipv4)[4];  size_t n_ipv4;   /* source addresses seen */
	const uint8_t (*ipv6)[16]; size_t n_ipv6;
	uint64_t first_us, last_us;
};

#define VW_FP_CHG_STATE     0x1u   /* state differs from old_state */
#define VW_FP_CHG_VENDOR    0x2u   /* ident differs from old_ident ("vendor-changed" when both set) */
#define VW_FP_CHG_MODE      0x4u   /* monitor/block flags changed */
#define VW_FP_CHG_EVIDENCE  0x8u   /* new or stronger evidence */

struct vw_fp_change {
	unsigned what;
	enum vw_fp_state old_state;
	const struct vw_fp_ident *old_ident;
	double old_confidence;
	struct vw_fp_report dev;
};
/* "vendor-changed", "restricted", "cleared", "disputed", "unrestricted", "threshold" or "evidence". */
const char *vw_fp_change_event(const struct vw_fp_change *c);

typedef void (*vw_fp_change_cb)(void *ctx, const struct vw_fp_change *c);

struct vw_fp_engine_stats {
	uint64_t frames, bad_frames, results, matches, evictions, evidence_dropped;
	size_t devices;
};

struct vw_fp_engine;

/*
 * rules, set and pol must outlive the engine (evidence points into the
 * rules); set may be NULL (no OUI evidence, every policy vendor counts as
 * restricted), otherwise the vendors of set->stats are the restricted
 * ones. After a policy reload, build a new engine: devices re-identify on
 * their next announcement while the data plane keeps its verdicts.
 * Returns 0, -EINVAL (bad conf), -ENOMEM, or -errno when no random key
 * for the device table could be drawn.
 */
int vw_fp_engine_new(struct vw_fp_engine **e, const struct vw_fp_engine_conf *conf,
		     const struct vw_fp_rules *rules, const struct vw_ouiset *set,
		     const struct vw_policy *pol);
void vw_fp_engine_free(struct vw_fp_engine *e);

/* One received frame (from the Ethernet header). cb (may be NULL) gets
 * every change it caused: at most one for the frame's source and one for
 * the subject its payload names (a relayed DHCP client, an IP behind a
 * router, a MAC named inside). Returns the number of changes, 0, or
 * -EBADMSG when not even an Ethernet header was there. */
int vw_fp_engine_frame(struct vw_fp_engine *e, const uint8_t *data, size_t len,
		       uint64_t now_us, vw_fp_change_cb cb, void *ctx);

/* The same for a result already parsed (tests, other capture paths):
 * attributes r to mac and applies the OUI of mac. */
int vw_fp_engine_result(struct vw_fp_engine *e, const uint8_t mac[6],
			const struct vw_fp_result *r, uint64_t now_us,
			vw_fp_change_cb cb, void *ctx);

/* Called for every DHCPACK seen (server to client, relayed or not) that
 * gives an Ethernet client (mac = chaddr) an IPv4 address (yiaddr), with
 * its lease time (0 = not stated). */
typedef void (*vw_fp_lease_cb)(void *ctx, int family, const uint8_t ip[16], const uint8_t mac[6],
			       uint32_t lease_s);
void vw_fp_engine_set_lease_cb(struct vw_fp_engine *e, vw_fp_lease_cb cb, void *ctx);

/* The device known by mac on the segment (not a by_ip one): 0 and *out
 * filled, or -ENOENT. */
int vw_fp_engine_get(struct vw_fp_engine *e, const uint8_t mac[6], struct vw_fp_report *out);
/* The device known by IP (family AF_INET or AF_INET6): 0 or -ENOENT. */
int vw_fp_engine_get_ip(struct vw_fp_engine *e, int family, const uint8_t *ip, struct vw_fp_report *out);
/* Every device (by MAC and by IP), most recently seen first. */
void vw_fp_engine_foreach(struct vw_fp_engine *e,
			  void (*fn)(void *ctx, const struct vw_fp_report *r), void *ctx);
void vw_fp_engine_stats(const struct vw_fp_engine *e, struct vw_fp_engine_stats *st);

/* For tests and diagnostics of the device table (keyed per engine, see
 * engine.c): the bucket a MAC falls in, and the longest hash chain. */
uint32_t vw_fp_engine_bucket(const struct vw_fp_engine *e, const uint8_t mac[6]);
size_t vw_fp_engine_longest_chain(const struct vw_fp_engine *e);

#endif
