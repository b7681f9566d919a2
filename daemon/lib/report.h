/* SPDX-License-Identifier: GPL-2.0-only */
/* The compliance report's model: what the inventory recorded in a period,
 * per profile and segment, with each device's enforcement status and the
 * report's own reliability (policy versions, degraded states). Reading the
 * inventory file and building the model are separate, so the model is a
 * pure function of its inputs. Formatters live in vendorwallctl. */
#ifndef VW_REPORT_H
#define VW_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "policy.h"

/* One device on one segment, as the inventory has it. */
struct vw_report_row {
	uint8_t mac[6];
	char *vendor, *verdict, *segment;
	int64_t first_seen, last_seen;   /* on this segment */
	int64_t device_first_seen;       /* anywhere */
	char *addresses;                 /* "192.0.2.11 2001:db8::11", "" */
	char *evidence;                  /* "oui mac=00:e0:fc (...) 0.90; lldp ..." */
};

/* One row of the daemon's history (inventory schema 2). */
struct vw_report_event {
	int64_t at;
	char *kind;                      /* "policy" or "degraded" */
	char *what, *segment, *detail;   /* segment, detail may be NULL */
};

struct vw_report_data {
	struct vw_report_row *rows;     size_t n_rows;
	struct vw_report_event *events; size_t n_events;
	bool has_history;                /* false: an inventory older than schema 2 */
};

/* Reads every sighting that overlaps [since, until] and the history of the
 * period, opening path read-only (the daemon may be running or not).
 * -ENOENT no file, -EPROTO newer schema, -EBADMSG not an inventory. */
int vw_report_read(const char *path, int64_t since, int64_t until, struct vw_report_data *out);
void vw_report_data_free(struct vw_report_data *d);

enum vw_report_status {
	VW_RS_BLOCKED,       /* the segment blocks it */
	VW_RS_QUARANTINED,   /* quarantined by the operator, segment blocks */
	VW_RS_WAIVED,        /* a waiver lets it through */
	VW_RS_MONITORED,     /* reported, not stopped */
	VW_RS_OFF,           /* segment off or no longer configured */
	VW_RS_MAX
};
const char *vw_report_status_name(enum vw_report_status s);

struct vw_report_waiver {
	uint8_t mac[6];
	int64_t since, until;            /* until 0: no expiry */
	const char *by;                  /* "uid 0" or "config file:line" */
	const char *reason, *ticket;     /* ticket may be NULL */
};

struct vw_report_segmode {
	const char *segment;
	uint8_t mode;                    /* enum vw_mode in force */
};

/* Everything beside the inventory that the report states. */
struct vw_report_input {
	const struct vw_policy *policy;
	const char *const *profiles; size_t n_profiles;   /* sections, in this order */
	const char *const *active;   size_t n_active;     /* profiles enforced */
	const struct vw_report_segmode *modes; size_t n_modes;
	const struct vw_report_waiver *waivers; size_t n_waivers;   /* in force now */
	const uint8_t (*quarantined)[6]; size_t n_quarantined;
	const char *policy_version;
	int64_t registry_date;           /* 0: unknown */
	int64_t since, until, generated;
};

struct vw_report_device {
	const struct vw_report_row *row;
	enum vw_report_status status;
	const struct vw_report_waiver *waiver;   /* when status is VW_RS_WAIVED */
};

struct vw_report_segment {
	const char *name;
	int mode;                        /* enum vw_mode, -1 not configured */
	struct vw_report_device *dev;    size_t n_dev;
	size_t count[VW_RS_MAX];
};

struct vw_report_section {
	const struct vw_profile *profile;
	bool active;                     /* enforced by the configuration */
	struct vw_report_segment *seg;   size_t n_seg;
	size_t n_devices;                /* distinct MACs */
	size_t count[VW_RS_MAX];         /* over (device, segment) pairs */
};

/* First sightings of one vendor group's devices, sorted, for the timeline. */
struct vw_report_series {
	const char *vendor;
	int64_t *first;                  size_t n;
};

struct vw_report {
	const struct vw_report_input *in;
	const struct vw_report_data *data;
	struct vw_report_section *sec;   size_t n_sec;
	struct vw_report_series *series; size_t n_series;
	/* history of the period, by kind, oldest first */
	const struct vw_report_event **policies; size_t n_policies;
	const struct vw_report_event **degraded; size_t n_degraded;
};

/* Builds the model; it points into data and in, which must outlive it.
 * -ENOENT when a profile of in->profiles is not in the policy. */
int vw_report_build(struct vw_report *r, const struct vw_report_data *data,
		    const struct vw_report_input *in);
void vw_report_free(struct vw_report *r);

#endif
