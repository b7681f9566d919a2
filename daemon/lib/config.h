/* SPDX-License-Identifier: GPL-2.0-only */
/* vendorwall.conf and its drop-ins, parsed with libinih. */
#ifndef VW_CONFIG_H
#define VW_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "diag.h"
#include "mac.h"
#include "names.h"
#include "policy.h"
#include "switchconf.h"

/* Most addresses RouterLearnThreshold= may ask for. */
#define VW_ROUTER_LEARN_MAX 64

enum vw_on_stop { VW_ON_STOP_KEEP = 0, VW_ON_STOP_DETACH = 1 };

struct vw_segment_conf {
	char *name;
	char ifname[IF_NAMESIZE];
	int vlan;                  /* -1 = interface-wide */
	uint8_t mode;              /* enum vw_mode */
	uint8_t action;            /* enum vw_action */
	char quarantine_if[IF_NAMESIZE];
	uint8_t on_stop;           /* enum vw_on_stop */
	uint32_t max_new_per_hour; /* 0 = unlimited */
	uint32_t cap_window_s;     /* window of that cap; 0 = one hour */
	/* A look-alike (H3C, Honor...) a device claims to be lifts the verdict
	 * of its restricted OUI only when this says so; default: disputed. */
	bool lookalike_clears;
	uint8_t (*routers)[6];     /* Router=: frames of these MACs are judged by IP */
	size_t n_routers;
	bool disable_vlan_offload; /* DisableVlanOffload= (default yes): see ethtool.h */
	char *file;  int line;     /* where the section starts */
};

struct vw_waiver_conf {
	uint8_t mac[6];
	time_t until;              /* first second it no longer applies; 0 = no
	                            * expiry. A bare date covers that whole day. */
	char *reason;
	char *ticket;
	char *file;  int line;
};

struct vw_daemon_conf {
	struct vw_strv profiles;
	char *policy_dir;          /* default VW_POLICY_DIR */
	char *registry_dir;        /* default /usr/share/ieee-data */
	char *state_dir;           /* default /var/lib/vendorwall */
	char *runtime_dir;         /* default /run/vendorwall */
	char *bpf_root;            /* default /sys/fs/bpf/vendorwall */
	uint32_t alert_interval_s; /* default 3600 */
	uint32_t registry_max_age_days; /* default 365 */
	uint32_t inventory_max_devices; /* default 100000 */
	/* Combined fingerprint confidence needed to report (monitor) and to
	 * enforce (block); 0.9 = one high-confidence signal or two medium. */
	double fp_threshold_monitor, fp_threshold_block;
	/* Fingerprint verdicts kept in the data plane (least recently seen
	 * dropped first) and how long one lasts without a frame from its
	 * device. */
	uint32_t fp_max_verdicts;  /* default and at most VW_MAX_FP_VERDICTS */
	uint32_t fp_verdict_max_age_s; /* default 7 days */
	char *control_group;       /* default "vendorwall"; missing group = root only */
	uint32_t ip_verdict_max_age_s; /* IpVerdictMaxAge=, default 1 day */
	uint32_t cap_blocked_max_age_s; /* CapBlockedMaxAge=, default 1 day */
	uint32_t router_learn_threshold; /* RouterLearnThreshold=, 0 = never learn */
	struct vw_segment_conf *segments; size_t n_segments;
	struct vw_waiver_conf *waivers;   size_t n_waivers;
	struct vw_switch_conf *switches;  size_t n_switches;  /* polled with SNMP */
};

/* Reads path, then every <path>.d/ *.conf in byte order; later files
 * override single values and extend sections of the same name. Every
 * problem is added to diag as "file:line: message"; returns 0 only when
 * there were none (on failure conf is left empty). */
int vw_config_load(struct vw_daemon_conf *conf, const char *path, struct vw_diag *diag);
void vw_config_free(struct vw_daemon_conf *conf);

#endif
