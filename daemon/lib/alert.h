/* SPDX-License-Identifier: GPL-2.0-only */
/* Turns data-plane events and daemon decisions into journal alerts. */
#ifndef VW_ALERT_H
#define VW_ALERT_H

#include <stdint.h>
#include "vendorwall.h"

/* Everything an alert about one device on one segment says. */
struct vw_device_alert {
	const struct vw_event *ev;
	const char *vendor_id;     /* policy group id, "unknown" if none */
	const char *vendor_name;
	const char *segment;       /* segment name, NULL if unmanaged */
	const char *ifname;
	const char *profiles;      /* space-separated: the profiles naming the vendor */
	const char *basis;         /* their legal bases; "" or NULL: none */
	const char *policy_version;
	const char *evidence;      /* fingerprint evidence text; NULL: from reason */
	const char *confidence;
	const char *ipv4;          /* comma-separated, "" when unknown */
	const char *ipv6;
};

int vw_alert_device(const struct vw_device_alert *a);
int vw_alert_mode_changed(const char *segment, const char *ifname, uint8_t old_mode,
			  uint8_t new_mode, const char *why);
int vw_alert_policy_loaded(const char *profiles, const char *version, size_t prefixes,
			   size_t segments, int reload);
int vw_alert_reload_rejected(const char *path, const char *const *msgs, size_t n);
int vw_alert_attach_failed(const char *segment, const char *ifname, int err);
int vw_alert_quarantine_cap(const char *segment, const char *ifname, uint32_t cap,
			    const char *mac);
int vw_alert_degraded(const char *what, const char *segment, const char *detail);

#endif
