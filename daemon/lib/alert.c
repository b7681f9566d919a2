// SPDX-License-Identifier: GPL-2.0-only
/* Turns data-plane events and daemon decisions into journal alerts. */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "alert.h"
#include "alert_ids.h"
#include "confidence.h"
#include "config.h"
#include "journal.h"
#include "names.h"

#define VW_ALERT_ID_ROW(name, id) { #name, id },
const struct vw_alert_id vw_alert_ids[] = { VW_ALERT_IDS(VW_ALERT_ID_ROW) };
const size_t vw_n_alert_ids = sizeof(vw_alert_ids) / sizeof(vw_alert_ids[0]);
#undef VW_ALERT_ID_ROW

int vw_alert_device(const struct vw_device_alert *a)
{
	const struct vw_event *ev = a->ev;
	const uint8_t *m = ev->mac;
	const char *mid, *what;
	struct vw_entry e;
	char mac[VW_MAC_STRLEN], conf[VW_CONF_STRLEN];
	int prio;

	vw_format_mac(m, mac);
	if (ev->kind == VW_EVENT_REMINDER) {
		mid = VW_MID_REMINDER;
		prio = LOG_NOTICE;
		what = "still present";
	} else if (ev->verdict == VW_VERDICT_DROP || ev->verdict == VW_VERDICT_REDIRECT) {
		mid = VW_MID_BLOCKED;
		prio = LOG_WARNING;
		what = "blocked";
	} else {
		mid = VW_MID_DETECTED;
		prio = LOG_WARNING;
		what = "detected";
	}
	vw_entry_init(&e, mid, prio);
	/* The evidence is what the device said about itself: the reader of the
	 * MESSAGE sees it escaped (journal.c), shortened; VW_EVIDENCE has it whole. */
	vw_entry_add(&e, "MESSAGE", "Restricted device %s (%s) %s on segment %s (%s%s%.0u), %s mode: %s%s%.160s",
		     mac, a->vendor_name, what, a->segment ? a->segment : "-",
		     a->ifname, ev->vlan ? " VLAN " : "", ev->vlan ? ev->vlan : 0,
		     vw_mode_name(ev->mode), vw_outcome_name(ev->verdict),
		     a->evidence ? "; evidence " : "", a->evidence ? a->evidence : "");
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	vw_entry_add(&e, "VW_VENDOR", "%s", a->vendor_id);
	vw_entry_add(&e, "VW_VENDOR_NAME", "%s", a->vendor_name);
	vw_entry_add(&e, "VW_OUI", "%02x:%02x:%02x", m[0], m[1], m[2]);
	if (a->evidence) {
		vw_entry_add(&e, "VW_EVIDENCE", "%s", a->evidence);
		vw_entry_add(&e, "VW_CONFIDENCE", "%s", a->confidence ? a->confidence : "");
	} else {
		vw_entry_add(&e, "VW_EVIDENCE", "%s", ev->reason == VW_REASON_OUI ? "oui" :
			     ev->reason == VW_REASON_QUARANTINE ? "operator-quarantine" :
			     "device-verdict");
		vw_entry_add(&e, "VW_CONFIDENCE", "%s", ev->reason == VW_REASON_OUI ?
			     vw_conf_format(VW_CONF_OUI, conf) : "operator");
	}
	vw_entry_add(&e, "VW_REASON", "%s", vw_reason_name(ev->reason));
	vw_entry_add(&e, "VW_VERDICT", "%s", vw_verdict_word(vw_verdict_of_reason(ev->reason)));
	vw_entry_add(&e, "VW_SEGMENT", "%s", a->segment ? a->segment : "");
	vw_entry_add(&e, "VW_INTERFACE", "%s", a->ifname);
	vw_entry_add(&e, "VW_IFINDEX", "%u", ev->ifindex);
	vw_entry_add(&e, "VW_VLAN", "%u", ev->vlan);
	vw_entry_add(&e, "VW_DIRECTION", "%s", ev->direction == VW_DIR_EGRESS ? "egress" : "ingress");
	vw_entry_add(&e, "VW_ETHERTYPE", "0x%04x", ev->ethertype);
	vw_entry_add(&e, "VW_ACTION", "%s", vw_outcome_name(ev->verdict));
	vw_entry_add(&e, "VW_MODE", "%s", vw_mode_name(ev->mode));
	if (a->ipv4 && *a->ipv4)
		vw_entry_add(&e, "VW_IPV4", "%s", a->ipv4);
	if (a->ipv6 && *a->ipv6)
		vw_entry_add(&e, "VW_IPV6", "%s", a->ipv6);
	vw_entry_add(&e, "VW_PROFILE", "%s", a->profiles);
	if (a->basis && *a->basis)
		vw_entry_add(&e, "VW_LEGAL_BASIS", "%s", a->basis);
	vw_entry_add(&e, "VW_POLICY_VERSION", "%s", a->policy_version);
	return vw_entry_send(&e);
}

int vw_alert_mode_changed(const char *segment, const char *ifname, uint8_t old_mode,
			  uint8_t new_mode, const char *why)
{
	struct vw_entry e;

	vw_entry_init(&e, VW_MID_MODE_CHANGED, LOG_NOTICE);
	vw_entry_add(&e, "MESSAGE", "Segment %s (%s) mode changed from %s to %s (%s)",
		     segment, ifname, vw_mode_name(old_mode), vw_mode_name(new_mode), why);
	vw_entry_add(&e, "VW_SEGMENT", "%s", segment);
	vw_entry_add(&e, "VW_INTERFACE", "%s", ifname);
	vw_entry_add(&e, "VW_MODE", "%s", vw_mode_name(new_mode));
	vw_entry_add(&e, "VW_OLD_MODE", "%s", vw_mode_name(old_mode));
	return vw_entry_send(&e);
}

int vw_alert_policy_loaded(const char *profiles, const char *version, size_t prefixes,
			   size_t segments, int reload)
{
	struct vw_entry e;

	vw_entry_init(&e, VW_MID_POLICY_LOADED, LOG_INFO);
	vw_entry_add(&e, "MESSAGE", "Policy %s: profile(s) %s, %zu prefixes, %zu segment(s), version %s",
		     reload ? "reloaded" : "loaded", profiles, prefixes, segments, version);
	vw_entry_add(&e, "VW_PROFILE", "%s", profiles);
	vw_entry_add(&e, "VW_POLICY_VERSION", "%s", version);
	vw_entry_add(&e, "VW_PREFIXES", "%zu", prefixes);
	return vw_entry_send(&e);
}

int vw_alert_reload_rejected(const char *path, const char *const *msgs, size_t n)
{
	struct vw_entry e;

	vw_entry_init(&e, VW_MID_RELOAD_REJECTED, LOG_ERR);
	vw_entry_add(&e, "MESSAGE", "Configuration or policy rejected, running state kept: %s%s",
		     n ? msgs[0] : path, n > 1 ? " (and more)" : "");
	for (size_t i = 0; i < n && i < 20; i++)
		vw_entry_add(&e, "VW_ERROR", "%s", msgs[i]);
	return vw_entry_send(&e);
}

int vw_alert_attach_failed(const char *segment, const char *ifname, int err)
{
	struct vw_entry e;

	vw_entry_init(&e, VW_MID_ATTACH_FAILED, LOG_ERR);
	vw_entry_add(&e, "MESSAGE", "Cannot attach to %s for segment %s: %s",
		     ifname, segment, strerror(-err));
	vw_entry_add(&e, "VW_SEGMENT", "%s", segment);
	vw_entry_add(&e, "VW_INTERFACE", "%s", ifname);
	vw_entry_add(&e, "ERRNO", "%d", -err);
	return vw_entry_send(&e);
}

int vw_alert_quarantine_cap(const char *segment, const char *ifname, uint32_t cap,
			    const char *mac)
{
	struct vw_entry e;

	vw_entry_init(&e, VW_MID_QUARANTINE_CAP, LOG_ERR);
	vw_entry_add(&e, "MESSAGE", "Quarantine cap of %u new device(s) per hour reached on segment %s (%s): %s and later new devices are only monitored",
		     cap, segment, ifname, mac);
	vw_entry_add(&e, "VW_SEGMENT", "%s", segment);
	vw_entry_add(&e, "VW_INTERFACE", "%s", ifname);
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	vw_entry_add(&e, "VW_CAP", "%u", cap);
	vw_entry_add(&e, "VW_ACTION", "%s", vw_outcome_name(VW_VERDICT_CAPPED));
	return vw_entry_send(&e);
}

int vw_alert_degraded(const char *what, const char *segment, const char *detail)
{
	struct vw_entry e;

	vw_entry_init(&e, VW_MID_DEGRADED, LOG_WARNING);
	vw_entry_add(&e, "MESSAGE", "Degraded: %s%s%s: %s", what,
		     segment ? " on segment " : "", segment ? segment : "", detail);
	vw_entry_add(&e, "VW_DEGRADED", "%s", what);
	if (segment)
		vw_entry_add(&e, "VW_SEGMENT", "%s", segment);
	return vw_entry_send(&e);
}
