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
#include "datapath.h"
#include "journal.h"
#include "vwd.h"

void vwd_format_mac(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

int vwd_on_event(void *ctx, void *data, size_t size)
{
	struct daemon *d = ctx;
	const struct vw_event *ev = data;
	struct vw_device_alert a = {0};
	char ifname[IF_NAMESIZE] = "?";
	struct seg_rt *seg;
	uint16_t vendor;

	if (size < sizeof(*ev) || ev->version != VW_EVENT_VERSION) {
		vw_log(LOG_WARNING, "Ignoring event record of %zu bytes, version %u",
		       size, size ? ev->version : 0);
		return 0;
	}
	vendor = ev->vendor ? ev->vendor : vw_ouiset_lookup(&d->st->set, ev->mac);
	seg = vwd_seg_by_slot(d, ev->slot);
	if (!if_indextoname(ev->ifindex, ifname) && seg)
		snprintf(ifname, sizeof(ifname), "%s", seg->ifname);
	a.ev = ev;
	a.vendor_id = vw_state_vendor_id(d->st, vendor);
	a.vendor_name = vw_state_vendor_name(d->st, vendor);
	a.segment = seg ? seg->name : NULL;
	a.ifname = ifname;
	a.profiles = d->profiles;
	a.policy_version = d->st->version;
	vw_alert_device(&a);
	if (ev->verdict == VW_VERDICT_CAPPED && seg && time(NULL) - seg->cap_reported >= 3600) {
		char mac[18];

		vwd_format_mac(ev->mac, mac, sizeof(mac));
		vw_alert_quarantine_cap(seg->name, ifname, seg->cap, mac);
		seg->cap_reported = time(NULL);
	}
	return 0;
}

int vwd_on_sample(void *ctx, void *data, size_t size)
{
	struct daemon *d = ctx;

	/* The fingerprint engine will consume these; until then we count. */
	d->samples_seen++;
	return 0;
}

int vwd_on_ringbuf(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct ring_buffer *rb = userdata;

	ring_buffer__consume(rb);
	return 0;
}
