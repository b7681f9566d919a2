// SPDX-License-Identifier: GPL-2.0-only
/* Feeds management-frame samples to the fingerprint engine and turns its
 * decisions into per-device verdicts, inventory evidence and alerts. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert.h"
#include "alert_ids.h"
#include "confidence.h"
#include "disputes.h"
#include "engine.h"
#include "fpverdicts.h"
#include "ipverdicts.h"
#include "journal.h"
#include "samples.h"
#include "throttle.h"

int vwd_fp_start(struct daemon *d, const struct vw_state *st, struct vw_fp_engine **out)
{
	struct vw_fp_engine_conf conf;
	int err;

	vw_fp_engine_conf_default(&conf);
	conf.threshold_monitor = st->conf.fp_threshold_monitor;
	conf.threshold_block = st->conf.fp_threshold_block;
	/* Frames from the daemon's routers (named or learned) speak for the
	 * devices behind them, by IP (issue 11). */
	conf.is_router = vwd_is_router;
	conf.router_ctx = d;
	err = vw_fp_engine_new(out, &conf, st->rules, &st->set, &st->policy);
	if (!err)
		vw_fp_engine_set_lease_cb(*out, vwd_ipv_on_lease, d);
	return err;
}

/* The strongest piece of evidence, as "signal:field=value". */
static void strongest(const struct vw_fp_report *r, char *buf, size_t len, char *conf, size_t clen)
{
	const struct vw_fp_evidence *best = NULL;
	char cs[VW_CONF_STRLEN];

	for (size_t i = 0; i < r->n_evidence; i++)
		if (!best || r->evidence[i].confidence > best->confidence)
			best = &r->evidence[i];
	if (!best) {
		snprintf(buf, len, "none");
	} else {
		snprintf(buf, len, "%s:%s=%s%s%s", vw_fp_evidence_signal(best), best->field,
			 best->value, best->rule ? " rule " : "",
			 best->rule ? best->rule->id : "");
	}
	snprintf(conf, clen, "%s", vw_conf_format(r->confidence, cs));
}

int vwd_fp_describe(struct daemon *d, const uint8_t mac[6], char *evidence, size_t elen,
		    char *confidence, size_t clen)
{
	struct vw_fp_report r;

	if (!d->fp || vw_fp_engine_get(d->fp, mac, &r) || !r.n_evidence)
		return -ENOENT;
	strongest(&r, evidence, elen, confidence, clen);
	return 0;
}

static void record(struct daemon *d, const struct vw_fp_report *r, const char *segment,
		   const char *verdict)
{
	time_t now = time(NULL);
	bool nd, ns;

	if (!d->inv || !r->ident)
		return;
	if (vw_inventory_observe(d->inv, r->mac, r->ident->id, segment, verdict, NULL, now, &nd, &ns))
		return;
	for (size_t i = 0; i < r->n_evidence; i++) {
		const struct vw_fp_evidence *e = &r->evidence[i];
		struct vw_evidence ev = {
			.signal = vw_fp_evidence_signal(e),
			.field = e->field,
			.value = e->value,
			.rule = e->rule ? e->rule->id : "registry",
			.confidence = vw_conf_percent(e->confidence),
		};

		vw_inventory_add_evidence(d->inv, r->mac, &ev, now);
	}
	for (size_t i = 0; i < r->n_ipv4; i++)
		vw_inventory_add_address(d->inv, r->mac, AF_INET, r->ipv4[i], now);
	for (size_t i = 0; i < r->n_ipv6; i++)
		vw_inventory_add_address(d->inv, r->mac, AF_INET6, r->ipv6[i], now);
}

struct sample_ctx {
	struct daemon *d;
	const struct vw_sample_hdr *hdr;
};

/* The fields every fingerprint identification carries, then sends e. */
static void send_identified(struct daemon *d, struct vw_entry *e, const struct vw_fp_report *r,
			    const char *ev, const char *conf, const char *segment,
			    const char *ifname, const char *action)
{
	const struct vw_vendor *vendor = vw_policy_vendor(&d->st->policy, r->ident->id);
	char prof[256], basis[1024];

	vw_entry_add(e, "VW_VENDOR", "%s", r->ident->id);
	vw_entry_add(e, "VW_EVIDENCE", "%s", ev);
	vw_entry_add(e, "VW_CONFIDENCE", "%s", conf);
	vw_entry_add(e, "VW_REASON", "device");
	vw_entry_add(e, "VW_VERDICT", "%s", vw_verdict_word(VW_V_RESTRICTED));
	vw_entry_add(e, "VW_SEGMENT", "%s", segment);
	vw_entry_add(e, "VW_INTERFACE", "%s", ifname);
	vw_entry_add(e, "VW_ACTION", "%s", action);
	vw_state_basis(d->st, vendor ? vendor->code : 0, prof, sizeof(prof), basis, sizeof(basis));
	vw_entry_add(e, "VW_PROFILE", "%s", prof);
	if (*basis)
		vw_entry_add(e, "VW_LEGAL_BASIS", "%s", basis);
	vw_entry_add(e, "VW_POLICY_VERSION", "%s", vwd_policy_version(d));
	vw_entry_send(e);
}

static void identified_entry(struct daemon *d, const struct vw_fp_change *c, const char *segment,
			     const char *ifname)
{
	const struct vw_fp_report *r = &c->dev;
	char mac[VW_MAC_STRLEN], ev[320], conf[16];
	bool changed = (c->what & VW_FP_CHG_VENDOR) && c->old_ident && r->ident;
	struct vw_entry e;

	vw_format_mac(r->mac, mac);
	strongest(r, ev, sizeof(ev), conf, sizeof(conf));
	vw_entry_init(&e, changed ? VW_MID_VENDOR_CHANGED : VW_MID_DETECTED, LOG_WARNING);
	if (changed)
		vw_entry_add(&e, "MESSAGE", "Device %s re-identified as %s (was %s) by fingerprint on segment %s: %s",
			     mac, r->ident->id, c->old_ident->id, segment, ev);
	else
		vw_entry_add(&e, "MESSAGE", "Restricted device %s (%s) identified by fingerprint on segment %s (%s): %s, confidence %s%s",
			     mac, r->ident->name ? r->ident->name : r->ident->id, segment, ifname, ev, conf,
			     r->block ? "" : " (below the block threshold: reported only)");
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	if (c->old_ident)
		vw_entry_add(&e, "VW_OLD_VENDOR", "%s", c->old_ident->id);
	vw_entry_add(&e, "VW_OUI", "%02x:%02x:%02x", r->mac[0], r->mac[1], r->mac[2]);
	send_identified(d, &e, r, ev, conf, segment, ifname,
			r->block ? "device-verdict" : "report-only");
}

static void log_cleared(const struct vw_fp_report *r)
{
	char mac[VW_MAC_STRLEN];

	vw_format_mac(r->mac, mac);
	vw_log(LOG_NOTICE, "Device %s identified as %s, not restricted: its restricted-looking OUI is explained by that",
	       mac, r->ident ? r->ident->id : "?");
}

static void ip_identified_entry(struct daemon *d, const struct vw_fp_report *r,
				const char *segment, const char *ifname)
{
	char ip[INET6_ADDRSTRLEN] = "?", via[VW_MAC_STRLEN] = "-", mac[VW_MAC_STRLEN];
	char ev[320], conf[16];
	struct vw_entry e;

	inet_ntop(r->family, r->ip, ip, sizeof(ip));
	if (r->has_via)
		vw_format_mac(r->via_mac, via);
	strongest(r, ev, sizeof(ev), conf, sizeof(conf));
	vw_entry_init(&e, VW_MID_DETECTED, LOG_WARNING);
	vw_entry_add(&e, "MESSAGE", "Restricted device at %s (%s) behind router %s identified by fingerprint on segment %s (%s): %s, confidence %s%s",
		     ip, r->ident->name ? r->ident->name : r->ident->id, via, segment, ifname, ev,
		     conf, r->block ? "" : " (below the block threshold: reported only)");
	vw_entry_add(&e, r->family == AF_INET ? "VW_IPV4" : "VW_IPV6", "%s", ip);
	if (r->has_via)
		vw_entry_add(&e, "VW_ROUTER", "%s", via);
	if (r->has_mac) {
		/* The device's own MAC (relayed DHCP's chaddr), never the router's. */
		vw_format_mac(r->mac, mac);
		vw_entry_add(&e, "VW_MAC", "%s", mac);
	}
	send_identified(d, &e, r, ev, conf, segment, ifname,
			r->block ? "ip-verdict" : "report-only");
}

/*
 * A device behind a router: its evidence becomes (or re-confirms, or no
 * longer supports) the IP verdict of its address. Until its address is
 * known (a relayed DHCPREQUEST before the server's ACK) there is nothing
 * to enforce; the ACK's report brings it. Said in the journal when the
 * address becomes restricted, or, below the block threshold, when the
 * identification changes.
 */
static void by_ip_change(struct daemon *d, const struct vw_fp_change *c, const char *segment,
			 const char *ifname)
{
	const struct vw_fp_report *r = &c->dev;
	struct timespec ts;
	int res;

	if (r->family != AF_INET && r->family != AF_INET6)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	res = vwd_ipv_observe(d, r->family, r->ip, r,
			      (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	if (res < 0) {
		vw_log(LOG_ERR, "Cannot write the IP verdict of a device behind a router: %s",
		       strerror(-res));
		return;
	}
	if (r->state != VW_FP_STATE_RESTRICTED || !r->monitor || !r->ident)
		return;
	if (res == 1 || (!r->block && (c->what & (VW_FP_CHG_STATE | VW_FP_CHG_VENDOR | VW_FP_CHG_MODE))))
		ip_identified_entry(d, r, segment, ifname);
}

static void on_change(void *ctx, const struct vw_fp_change *c)
{
	struct sample_ctx *sc = ctx;
	struct daemon *d = sc->d;
	const struct vw_fp_report *r = &c->dev;
	struct seg_rt *seg = vwd_plan_seg_by_slot(d->applied, sc->hdr->slot);
	const char *segment = seg ? seg->name : "";
	char ifname[IF_NAMESIZE] = "?";
	uint32_t set = 0, clear = 0;
	int err;

	if (!if_indextoname(sc->hdr->ifindex, ifname) && seg)
		snprintf(ifname, sizeof(ifname), "%s", seg->ifname);
	/* A device known by IP (behind a router) is no verdict about any MAC
	 * on the segment, neither its router's nor (relayed DHCP) its own:
	 * it is an IP verdict (ipverdicts.c). */
	if (r->by_ip) {
		by_ip_change(d, c, segment, ifname);
		return;
	}
	switch (r->state) {
	case VW_FP_STATE_RESTRICTED:
		/* Enforcement needs the block threshold; below it we only say. */
		if (r->block)
			set = VW_DEV_RESTRICTED;
		else
			clear = VW_DEV_RESTRICTED;
		clear |= VW_DEV_CLEARED;
		break;
	case VW_FP_STATE_CLEARED:
		set = VW_DEV_CLEARED;
		clear = VW_DEV_RESTRICTED;
		break;
	case VW_FP_STATE_DISPUTED:
		vwd_dispute_bits(d, segment, &set, &clear);
		break;
	default:
		clear = VW_DEV_RESTRICTED | VW_DEV_CLEARED;
		break;
	}
	err = vwd_fp_verdict(d, r->mac, set, clear, r->vendor_code);
	if (err)
		vw_log(LOG_ERR, "Cannot write the fingerprint verdict for a device: %s", strerror(-err));

	/* Under flood, uncorroborated identifications are summed up. */
	if (r->state == VW_FP_STATE_RESTRICTED && r->monitor &&
	    (c->what & (VW_FP_CHG_STATE | VW_FP_CHG_VENDOR | VW_FP_CHG_MODE)) &&
	    vwd_throttle_identified(d, sc->hdr->slot, r->mac,
				    vw_addrbook_get(&d->addrs, r->mac) != NULL))
		identified_entry(d, c, segment, ifname);
	else if (r->state == VW_FP_STATE_CLEARED && (c->what & VW_FP_CHG_STATE))
		log_cleared(r);
	else if (r->state == VW_FP_STATE_DISPUTED)
		vwd_dispute_report(d, c, segment, ifname);
	if (r->state == VW_FP_STATE_RESTRICTED && r->monitor)
		record(d, r, segment, vw_verdict_word(VW_V_RESTRICTED));
	/* The inventory keeps "disputed" against OUI events: stronger
	 * evidence of the restricted vendor ends the dispute. */
	if (c->old_state == VW_FP_STATE_DISPUTED && r->state == VW_FP_STATE_RESTRICTED && d->inv)
		vw_inventory_set_verdict(d->inv, r->mac, vw_verdict_word(VW_V_RESTRICTED), time(NULL));
}

int vwd_on_sample(void *ctx, void *data, size_t size)
{
	struct daemon *d = ctx;
	const struct vw_sample_hdr *hdr = data;
	struct sample_ctx sc = { .d = d, .hdr = hdr };
	struct timespec ts;

	d->samples_seen++;
	if (size < sizeof(*hdr) || hdr->version != VW_SAMPLE_VERSION ||
	    hdr->caplen > size - sizeof(*hdr) || !d->fp)
		return vwd_batch_done(d);
	if (hdr->caplen >= 12)
		vwd_fp_verdict_seen(d, hdr->data + 6);   /* the frame's source */
	clock_gettime(CLOCK_REALTIME, &ts);
	/* A frame the engine cannot use is its own business (counted there). */
	vw_fp_engine_frame(d->fp, hdr->data, hdr->caplen,
			   (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, on_change, &sc);
	return vwd_batch_done(d);
}
