// SPDX-License-Identifier: GPL-2.0-only
/* Disputed devices (see disputes.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert_ids.h"
#include "confidence.h"
#include "disputes.h"
#include "journal.h"
#include "mac.h"

bool vwd_dispute_clears(const struct daemon *d, const char *segment)
{
	const struct vw_segment_conf *sc = vw_state_segment(d->st, segment);

	return sc && sc->lookalike_clears;
}

void vwd_dispute_bits(const struct daemon *d, const char *segment, uint32_t *set,
		      uint32_t *clear)
{
	/* Not cleared: the OUI verdict (the /24 bit) decides, as before the
	 * claim. A fingerprint verdict of its own is gone with the dispute. */
	*set = vwd_dispute_clears(d, segment) ? VW_DEV_CLEARED : 0;
	*clear = VW_DEV_RESTRICTED | (*set ? 0 : VW_DEV_CLEARED);
}

/* The strongest evidence for a look-alike class (want_class) or for a
 * vendor, as "signal:field=value". NULL when there is none. */
static const struct vw_fp_evidence *strongest_of(const struct vw_fp_report *r, bool want_class)
{
	const struct vw_fp_evidence *best = NULL;

	for (size_t i = 0; i < r->n_evidence; i++) {
		const struct vw_fp_evidence *e = &r->evidence[i];

		if (e->ident->is_class != want_class)
			continue;
		if (!best || e->confidence > best->confidence)
			best = e;
	}
	return best;
}

static void ev_text(const struct vw_fp_evidence *e, char *buf, size_t len)
{
	if (!e)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s:%s=%s", vw_fp_evidence_signal(e), e->field, e->value);
}

static void dispute_entry(struct daemon *d, const struct vw_fp_report *r, const char *vendor,
			  const char *segment, const char *ifname, bool cleared)
{
	char mac[VW_MAC_STRLEN], la[320], oui[320], cs[VW_CONF_STRLEN];
	struct vw_entry e;

	vw_format_mac(r->mac, mac);
	ev_text(strongest_of(r, true), la, sizeof(la));
	ev_text(strongest_of(r, false), oui, sizeof(oui));
	vw_entry_init(&e, VW_MID_DISPUTED, LOG_WARNING);
	vw_entry_add(&e, "MESSAGE", "Device %s with a %s OUI claims to be %s on segment %s (%s): %s; %s",
		     mac, vendor, r->ident->id, segment, ifname, la,
		     cleared ? "cleared (LookAlikeClears=yes)" :
			       "the OUI verdict stays until an operator decides");
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	vw_entry_add(&e, "VW_OUI", "%02x:%02x:%02x", r->mac[0], r->mac[1], r->mac[2]);
	vw_entry_add(&e, "VW_VENDOR", "%s", vendor);
	vw_entry_add(&e, "VW_LOOKALIKE", "%s", r->ident->id);
	vw_entry_add(&e, "VW_LOOKALIKE_NAME", "%s", r->ident->name ? r->ident->name : r->ident->id);
	vw_entry_add(&e, "VW_EVIDENCE", "%s", la);
	vw_entry_add(&e, "VW_OUI_EVIDENCE", "%s", oui);
	vw_entry_add(&e, "VW_CONFIDENCE", "%s", vw_conf_format(r->confidence, cs));
	vw_entry_add(&e, "VW_VERDICT", "%s",
		     vw_verdict_word(cleared ? VW_V_CLEARED : VW_V_DISPUTED));
	vw_entry_add(&e, "VW_ACTION", "%s", cleared ? "cleared" : "verdict-kept");
	vw_entry_add(&e, "VW_SEGMENT", "%s", segment);
	vw_entry_add(&e, "VW_INTERFACE", "%s", ifname);
	vw_entry_add(&e, "VW_POLICY_VERSION", "%s", vwd_policy_version(d));
	vw_entry_send(&e);
}

/* The device under its restricted vendor, with every piece of evidence. */
static void dispute_record(struct daemon *d, const struct vw_fp_report *r, const char *vendor,
			   const char *segment, bool cleared)
{
	const char *verdict = vw_verdict_word(cleared ? VW_V_CLEARED : VW_V_DISPUTED);
	time_t now = time(NULL);
	bool nd, ns;

	if (!d->inv ||
	    vw_inventory_observe(d->inv, r->mac, vendor, segment, verdict, NULL, now, &nd, &ns))
		return;
	for (size_t i = 0; i < r->n_evidence; i++) {
		const struct vw_fp_evidence *x = &r->evidence[i];
		struct vw_evidence ev = {
			.signal = vw_fp_evidence_signal(x),
			.field = x->field,
			.value = x->value,
			.rule = x->rule ? x->rule->id : "registry",
			.confidence = vw_conf_percent(x->confidence),
		};

		vw_inventory_add_evidence(d->inv, r->mac, &ev, now);
	}
}

void vwd_dispute_report(struct daemon *d, const struct vw_fp_change *c, const char *segment,
			const char *ifname)
{
	const struct vw_fp_report *r = &c->dev;
	const struct vw_fp_evidence *oui = strongest_of(r, false);
	const char *vendor = oui ? oui->ident->id : "?";
	bool cleared = vwd_dispute_clears(d, segment);

	if (!(c->what & (VW_FP_CHG_STATE | VW_FP_CHG_VENDOR)))
		return;
	dispute_entry(d, r, vendor, segment, ifname, cleared);
	dispute_record(d, r, vendor, segment, cleared);
}
