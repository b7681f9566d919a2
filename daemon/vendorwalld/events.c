// SPDX-License-Identifier: GPL-2.0-only
/* Consumes the ring buffers: events become alerts and inventory rows. */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "alert.h"
#include "alert_ids.h"
#include "confidence.h"
#include "datapath.h"
#include "journal.h"
#include "events.h"
#include "health.h"
#include "ipverdicts.h"
#include "samples.h"
#include "throttle.h"
#include <arpa/inet.h>

static const char *a_vendor_id(struct daemon *d, uint16_t vendor)
{
	return vw_state_vendor_id(d->st, vendor);
}

/* The inventory is a record, not enforcement: a failing database is
 * reported once and closed, and the gateway keeps enforcing. */
static void inventory_failed(struct daemon *d, int err)
{
	char detail[160];

	snprintf(detail, sizeof(detail), "inventory write failed (%s); devices are no longer recorded",
		 strerror(-err));
	vwd_degraded(d, "inventory", NULL, detail);
	vw_inventory_close(d->inv);
	d->inv = NULL;
}

/* The event in the inventory; a device first seen by its OUI gets that
 * as its evidence. */
static void record_event(struct daemon *d, const struct vw_event *ev, const char *segment,
			 uint16_t vendor)
{
	bool new_dev = false, new_seg = false;
	int err;

	if (!d->inv)
		return;
	err = vw_inventory_observe(d->inv, ev->mac, a_vendor_id(d, vendor), segment,
				   vw_verdict_word(vw_verdict_of_reason(ev->reason)),
				   vw_outcome_name(ev->verdict), time(NULL), &new_dev, &new_seg);
	if (!err && new_dev && ev->reason == VW_REASON_OUI) {
		char oui[48];
		struct vw_evidence oe = {
			.signal = "oui", .field = "mac", .value = oui,
			.rule = "ieee-registry", .confidence = vw_conf_percent(VW_CONF_OUI),
		};

		snprintf(oui, sizeof(oui), "%02x:%02x:%02x (IEEE block of %s)",
			 ev->mac[0], ev->mac[1], ev->mac[2], a_vendor_id(d, vendor));
		err = vw_inventory_add_evidence(d->inv, ev->mac, &oe, time(NULL));
	}
	if (err)
		inventory_failed(d, err);
}

int vwd_on_event(void *ctx, void *data, size_t size)
{
	struct daemon *d = ctx;
	const struct vw_event *ev = data;
	struct vw_device_alert a = {0};
	char ifname[IF_NAMESIZE] = "?";
	const struct vw_addrbook_entry *addr;
	char v4[128], v6[256], fp_ev[320], fp_conf[16], profiles[256], basis[1024];
	struct seg_rt *seg;
	uint16_t vendor;

	if (size < sizeof(*ev) || ev->version != VW_EVENT_VERSION) {
		vw_log(LOG_WARNING, "Ignoring event record of %zu bytes, version %u",
		       size, size ? ev->version : 0);
		return vwd_batch_done(d);
	}
	if (vwd_ipv_on_event(d, ev))   /* an IP verdict's event: no MAC to record */
		return vwd_batch_done(d);
	vendor = ev->vendor ? ev->vendor : vw_ouiset_lookup(&d->st->set, ev->mac);
	seg = vwd_plan_seg_by_slot(d->applied, ev->slot);
	if (!if_indextoname(ev->ifindex, ifname) && seg)
		snprintf(ifname, sizeof(ifname), "%s", seg->ifname);
	record_event(d, ev, seg ? seg->name : "", vendor);
	if (ev->reason == VW_REASON_DEVICE &&
	    vwd_fp_describe(d, ev->mac, fp_ev, sizeof(fp_ev), fp_conf, sizeof(fp_conf)) == 0) {
		a.evidence = fp_ev;
		a.confidence = fp_conf;
	}
	a.ev = ev;
	a.vendor_id = vw_state_vendor_id(d->st, vendor);
	a.vendor_name = vw_state_vendor_name(d->st, vendor);
	a.segment = seg ? seg->name : NULL;
	a.ifname = ifname;
	vw_state_basis(d->st, vendor, profiles, sizeof(profiles), basis, sizeof(basis));
	a.profiles = profiles;
	a.basis = basis;
	a.policy_version = vwd_policy_version(d);
	addr = vw_addrbook_get(&d->addrs, ev->mac);
	vw_addrbook_format(addr, AF_INET, v4, sizeof(v4));
	vw_addrbook_format(addr, AF_INET6, v6, sizeof(v6));
	a.ipv4 = v4;
	a.ipv6 = v6;
	if (d->inv && addr) {
		for (size_t i = 0; i < addr->n_v4; i++)
			vw_inventory_add_address(d->inv, ev->mac, AF_INET, &addr->v4[i], time(NULL));
		for (size_t i = 0; i < addr->n_v6; i++)
			vw_inventory_add_address(d->inv, ev->mac, AF_INET6, &addr->v6[i], time(NULL));
	}
	/* Under flood, uncorroborated devices are summed up (throttle.c). */
	if (vwd_throttle_alert(d, ev, addr || ev->reason == VW_REASON_DEVICE ||
				      ev->reason == VW_REASON_QUARANTINE))
		vw_alert_device(&a);
	if (ev->verdict == VW_VERDICT_CAPPED && seg &&
	    time(NULL) - seg->cap_reported >= (seg->seg.cap_window_s ? seg->seg.cap_window_s : 3600)) {
		char mac[VW_MAC_STRLEN];

		vw_format_mac(ev->mac, mac);
		vw_alert_quarantine_cap(seg->name, ifname, seg->cap, mac);
		seg->cap_reported = time(NULL);
	}
	return vwd_batch_done(d);
}

int vwd_on_ringbuf(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	vwd_consume_events(userdata);
	return 0;
}

/* At most `limit` records and VWD_BATCH_USEC, in one inventory
 * transaction; a callback returning < 0 makes libbpf stop (after
 * consuming that record). What is
 * left keeps the ring's fd readable, so sd-event comes back to it after
 * serving the other sources. */
static void consume_batch(struct daemon *d, struct ring_buffer *rb, uint32_t limit)
{
	int in_tx = d->inv && vw_inventory_begin(d->inv) == 0;

	vwd_batch_begin(d, limit);
	ring_buffer__consume(rb);
	vwd_batch_end(d);
	if (in_tx && d->inv) {
		int err = vw_inventory_commit(d->inv);

		if (err)
			inventory_failed(d, err);
	}
}

int vwd_on_samples(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *d = userdata;

	consume_batch(d, d->samples, VWD_SAMPLES_PER_WAKEUP);
	return 0;
}

void vwd_consume_events(struct daemon *d)
{
	consume_batch(d, d->events, VWD_EVENTS_PER_WAKEUP);
}
