// SPDX-License-Identifier: GPL-2.0-only
/* Applies a built state to the data plane: slots, segments, interfaces,
 * VLAN rows, waivers, attach and detach. */
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

struct seg_rt *vwd_seg_by_slot(struct daemon *d, uint32_t slot)
{
	for (size_t i = 0; i < d->n_segs; i++)
		if (d->segs[i].slot == slot)
			return &d->segs[i];
	return NULL;
}

struct seg_rt *vwd_seg_by_name(struct seg_rt *segs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(segs[i].name, name))
			return &segs[i];
	return NULL;
}
/* A segment keeps its slot across reloads so its counters keep their
 * meaning; new segments take the lowest slot nobody holds. A fresh start
 * assigns in configuration order, so the same config gets the same slots. */
static uint32_t assign_slot(const struct seg_rt *old, size_t n_old, const char *name,
			    uint8_t *used)
{
	for (size_t i = 0; i < n_old; i++) {
		if (!strcmp(old[i].name, name) && !used[old[i].slot]) {
			used[old[i].slot] = 1;
			return old[i].slot;
		}
	}
	for (uint32_t s = 1; s < VW_MAX_SEGMENTS; s++) {
		int held = 0;

		for (size_t i = 0; i < n_old; i++)
			held |= old[i].slot == s;
		if (!used[s] && !held) {
			used[s] = 1;
			return s;
		}
	}
	return 0;
}

static void fill_config(const struct vw_state *st, struct vw_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->alert_interval_s = st->conf.alert_interval_s;
	cfg->events_per_s = 1000;
	cfg->event_burst = 100;
	cfg->sample_interval_ms = 1000;
	cfg->sample_burst = 8;
	cfg->sample_snaplen = VW_SAMPLE_MAX;
}

static int attach_segment(struct daemon *d, struct seg_rt *rt)
{
	int err;

	err = vw_datapath_attach(d->dp, rt->ifindex, &rt->attach);
	if (err) {
		vw_alert_attach_failed(rt->name, rt->ifname, err);
		return err;
	}
	if (rt->attach == VW_ATTACH_GENERIC)
		vwd_degraded(d, "generic-xdp", rt->name,
				  "the driver refused native XDP; running in generic (skb) mode, which is slower");
	return 0;
}

static void waiver_added_entry(const uint8_t *m, time_t until, const char *reason,
			       const char *ticket, const char *source)
{
	struct vw_entry e;
	char mac[VW_MAC_STRLEN];

	vw_format_mac(m, mac);
	vw_entry_init(&e, VW_MID_WAIVER_ADDED, LOG_NOTICE);
	vw_entry_add(&e, "MESSAGE", "Waiver for %s active%s (%s): %s", mac,
		     until ? " until the given time" : " without expiry", source,
		     reason ? reason : "");
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	vw_entry_add(&e, "VW_WAIVER_UNTIL", "%lld", (long long)until);
	vw_entry_add(&e, "VW_WAIVER_REASON", "%s", reason ? reason : "");
	vw_entry_add(&e, "VW_WAIVER_TICKET", "%s", ticket ? ticket : "");
	vw_entry_add(&e, "VW_WAIVER_SOURCE", "%s", source);
	vw_entry_send(&e);
}

void vwd_degraded(struct daemon *d, const char *what, const char *segment, const char *detail)
{
	char line[200];

	vw_alert_degraded(what, segment, detail);
	vwd_history_degraded(d, what, segment, detail);
	snprintf(line, sizeof(line), "%s%s%s: %s", what, segment ? " on " : "",
		 segment ? segment : "", detail);
	for (size_t i = 0; i < d->n_degraded; i++) {
		if (!strncmp(d->degraded[i], line, strcspn(line, ":"))) {
			snprintf(d->degraded[i], sizeof(d->degraded[i]), "%s", line);
			return;
		}
	}
	if (d->n_degraded < sizeof(d->degraded) / sizeof(d->degraded[0]))
		snprintf(d->degraded[d->n_degraded++], sizeof(d->degraded[0]), "%s", line);
}

int vwd_save_ops(struct daemon *d)
{
	return vw_overrides_save(&d->ops, d->ops_path);
}

/* Configured and operator waivers become VW_DEV_WAIVED bits, operator
 * quarantines VW_DEV_QUARANTINED; expired waivers are left out so a
 * restart after expiry enforces at once. */
int vwd_sync_decisions(struct daemon *d, const struct vw_state *st)
{
	static struct waiver_rt next[VWD_MAX_DECISIONS];
	static struct quarantine_rt nextq[VWD_MAX_DECISIONS];
	time_t now = time(NULL);
	size_t n = 0, nq = 0;
	int err;

	for (size_t i = 0; i < st->conf.n_waivers + d->ops.n_waivers && n < VWD_MAX_DECISIONS; i++) {
		bool op = i >= st->conf.n_waivers;
		const struct vw_waiver_conf *w = op ? NULL : &st->conf.waivers[i];
		const struct vw_mac_decision *o = op ? &d->ops.waivers[i - st->conf.n_waivers] : NULL;
		const uint8_t *mac = op ? o->mac : w->mac;
		time_t until = op ? o->until : w->until;
		int known = 0;

		if (until && until <= now)
			continue;
		for (size_t j = 0; j < n; j++)
			known |= !memcmp(next[j].mac, mac, 6);
		if (known)
			continue;
		err = vw_datapath_device_flags(d->dp, mac, VW_DEV_WAIVED, 0);
		if (err)
			return err;
		memcpy(next[n].mac, mac, 6);
		next[n].until = until;
		next[n].operator = op;
		n++;
		for (size_t j = 0; j < d->n_waivers; j++)
			known |= !memcmp(d->waivers[j].mac, mac, 6);
		/* Operator waivers are announced by the command with its caller. */
		if (!known && !op)
			waiver_added_entry(mac, until, w->reason, w->ticket, "configuration");
	}
	for (size_t j = 0; j < d->n_waivers; j++) {
		int keep = 0;

		for (size_t i = 0; i < n; i++)
			keep |= !memcmp(d->waivers[j].mac, next[i].mac, 6);
		if (!keep)
			vw_datapath_device_flags(d->dp, d->waivers[j].mac, 0, VW_DEV_WAIVED);
	}
	memcpy(d->waivers, next, n * sizeof(next[0]));
	d->n_waivers = n;

	for (size_t i = 0; i < d->ops.n_quarantines && nq < VWD_MAX_DECISIONS; i++) {
		err = vw_datapath_device_flags(d->dp, d->ops.quarantines[i].mac, VW_DEV_QUARANTINED, 0);
		if (err)
			return err;
		memcpy(nextq[nq++].mac, d->ops.quarantines[i].mac, 6);
	}
	for (size_t j = 0; j < d->n_quarantined; j++) {
		int keep = 0;

		for (size_t i = 0; i < nq; i++)
			keep |= !memcmp(d->quarantined[j].mac, nextq[i].mac, 6);
		if (!keep)
			vw_datapath_device_flags(d->dp, d->quarantined[j].mac, 0, VW_DEV_QUARANTINED);
	}
	memcpy(d->quarantined, nextq, nq * sizeof(nextq[0]));
	d->n_quarantined = nq;
	return 0;
}

void vwd_expire_waivers(struct daemon *d)
{
	time_t now = time(NULL);
	int expired = 0, ops_changed = 0;

	for (size_t i = 0; i < d->n_waivers; i++) {
		struct waiver_rt *w = &d->waivers[i];
		struct vw_entry e;
		char mac[VW_MAC_STRLEN];

		if (!w->until || w->until > now)
			continue;
		vw_format_mac(w->mac, mac);
		vw_entry_init(&e, VW_MID_WAIVER_EXPIRED, LOG_WARNING);
		vw_entry_add(&e, "MESSAGE", "Waiver for %s expired; the device is enforced again", mac);
		vw_entry_add(&e, "VW_MAC", "%s", mac);
		vw_entry_send(&e);
		if (w->operator && vw_overrides_drop(d->ops.waivers, &d->ops.n_waivers, w->mac) == 0)
			ops_changed = 1;
		expired = 1;
	}
	if (ops_changed && vwd_save_ops(d))
		vw_log(LOG_WARNING, "Cannot save operator decisions to %s", d->ops_path);
	if (expired && vwd_sync_decisions(d, d->st))
		vw_log(LOG_ERR, "Cannot update waivers in the data plane");
}

int vwd_set_mode(struct daemon *d, struct seg_rt *rt, uint8_t mode)
{
	const struct vw_segment_conf *sc = vw_state_segment(d->st, rt->name);
	struct vw_segment seg = {
		.mode = mode,
		.action = sc ? sc->action : VW_ACTION_DROP,
		.max_new_per_hour = rt->cap,
	};
	int err;

	if (sc && sc->quarantine_if[0])
		seg.redirect_ifindex = if_nametoindex(sc->quarantine_if);
	err = vw_datapath_set_segment(d->dp, rt->slot, &seg);
	if (err)
		return err;
	/* A new mode is a new story: report each device again. */
	vw_datapath_reset_alerts(d->dp, rt->slot);
	rt->mode = mode;
	return 0;
}

static int iface_in(const struct seg_rt *segs, size_t n, int ifindex)
{
	for (size_t i = 0; i < n; i++)
		if (segs[i].ifindex == ifindex)
			return 1;
	return 0;
}

/* What every reload changes in the kernel: runtime knobs, the prefix
 * set and the per-device decisions. Interface events do not touch these. */
static int apply_policy(struct daemon *d, struct vw_state *st)
{
	struct vw_config cfg;
	int err;

	fill_config(st, &cfg);
	err = vw_datapath_set_config(d->dp, &cfg);
	if (err)
		return err;
	err = vw_datapath_load_ouiset(d->dp, &st->set);
	if (err)
		return err;

	/* An override lasts while the configuration still says what it said
	 * when the operator overrode it; an edited file is the newer word. */
	for (size_t i = 0; i < d->ops.n;) {
		const struct vw_segment_conf *sc = vw_state_segment(st, d->ops.v[i].segment);

		if (sc && sc->mode == d->ops.v[i].configured) {
			i++;
			continue;
		}
		vw_overrides_remove(&d->ops, d->ops.v[i].segment);
		if (vwd_save_ops(d))
			vw_log(LOG_WARNING, "Cannot save operator decisions to %s", d->ops_path);
	}
	return vwd_sync_decisions(d, st);
}

/* Segments onto interfaces: slots, modes, VLAN rows, attach and detach.
 * Segment values are written before the interface points at them, and
 * attach comes last, so a frame never sees a half-configured segment. */
static int apply_segments(struct daemon *d, struct vw_state *st)
{
	struct seg_rt next[VW_MAX_SEGMENTS];
	uint8_t used[VW_MAX_SEGMENTS] = {0};
	size_t n = 0, n_vlans = 0;
	int err, first = 0;
	struct { uint32_t row; uint16_t vid; } vlans[VW_MAX_SEGMENTS];
	struct { int ifindex; uint32_t row; uint32_t slot; } ifs[VW_MAX_SEGMENTS];
	size_t n_ifs = 0;
	uint32_t rows = 0;

	memset(next, 0, sizeof(next));
	for (size_t i = 0; i < st->conf.n_segments && n < VW_MAX_SEGMENTS - 1; i++) {
		const struct vw_segment_conf *sc = &st->conf.segments[i];
		struct seg_rt *rt = &next[n++];
		uint8_t mode = vw_overrides_effective(&d->ops, sc->name, sc->mode);
		struct vw_segment seg = {
			.mode = mode,
			.action = sc->action,
			.max_new_per_hour = sc->max_new_per_hour,
		};
		struct seg_rt *old = vwd_seg_by_name(d->segs, d->n_segs, sc->name);

		snprintf(rt->name, sizeof(rt->name), "%s", sc->name);
		snprintf(rt->ifname, sizeof(rt->ifname), "%s", sc->ifname);
		rt->vlan = sc->vlan;
		rt->mode = mode;
		rt->configured_mode = sc->mode;
		rt->cap = sc->max_new_per_hour;
		if (old)
			rt->cap_reported = old->cap_reported;
		rt->slot = assign_slot(d->segs, d->n_segs, sc->name, used);
		snprintf(rt->conf_ifname, sizeof(rt->conf_ifname), "%s", sc->ifname);
		rt->ifindex = (int)if_nametoindex(sc->ifname);
		/* A renamed interface is followed by ifindex, as long as the
		 * configuration still names what it named and the index lives. */
		if (old && old->ifindex && !strcmp(old->conf_ifname, sc->ifname) &&
		    if_indextoname(old->ifindex, rt->ifname))
			rt->ifindex = old->ifindex;
		if (sc->quarantine_if[0])
			seg.redirect_ifindex = if_nametoindex(sc->quarantine_if);
		if (!rt->slot)
			return -ENOSPC;
		err = vw_datapath_set_segment(d->dp, rt->slot, &seg);
		if (err)
			return err;
		if (old && old->mode != rt->mode) {
			/* A new mode is a new story: report each device again. */
			vw_datapath_reset_alerts(d->dp, rt->slot);
			vw_alert_mode_changed(rt->name, rt->ifname, old->mode, rt->mode,
					      "configuration reloaded");
		}
	}

	/* Per interface: the default slot and, if it has VLAN segments, a row. */
	for (size_t i = 0; i < n; i++) {
		struct seg_rt *rt = &next[i];
		size_t k;

		if (!rt->ifindex)
			continue;
		for (k = 0; k < n_ifs && ifs[k].ifindex != rt->ifindex; k++)
			;
		if (k == n_ifs) {
			ifs[k].ifindex = rt->ifindex;
			ifs[k].row = 0;
			ifs[k].slot = 0;
			n_ifs++;
		}
		if (rt->vlan < 0) {
			ifs[k].slot = rt->slot;
			continue;
		}
		if (!ifs[k].row) {
			if (rows >= VW_MAX_VLAN_IFACES)
				return -ENOSPC;
			ifs[k].row = ++rows;
		}
		err = vw_datapath_set_vlan(d->dp, ifs[k].row, rt->vlan, rt->slot);
		if (err)
			return err;
		vlans[n_vlans].row = ifs[k].row;
		vlans[n_vlans].vid = rt->vlan;
		n_vlans++;
	}
	for (size_t k = 0; k < n_ifs; k++) {
		struct vw_iface ifc = { .slot = ifs[k].slot, .vlan_row = ifs[k].row };

		err = vw_datapath_set_iface(d->dp, ifs[k].ifindex, &ifc);
		if (err)
			return err;
	}
	/* Clear what the previous state wrote and this one does not. */
	for (size_t i = 0; i < d->n_vlans; i++) {
		int keep = 0;

		for (size_t j = 0; j < n_vlans; j++)
			keep |= vlans[j].row == d->vlans[i].row && vlans[j].vid == d->vlans[i].vid;
		if (!keep)
			vw_datapath_set_vlan(d->dp, d->vlans[i].row, d->vlans[i].vid, 0);
	}
	for (size_t i = 0; i < d->n_segs; i++) {
		struct vw_iface none = {0};
		struct vw_segment off = {0};

		if (!used[d->segs[i].slot])
			vw_datapath_set_segment(d->dp, d->segs[i].slot, &off);
		if (d->segs[i].ifindex && !iface_in(next, n, d->segs[i].ifindex)) {
			vw_datapath_set_iface(d->dp, d->segs[i].ifindex, &none);
			vw_datapath_detach(d->dp, d->segs[i].ifindex);
		}
	}

	for (size_t i = 0; i < n; i++) {
		struct seg_rt *rt = &next[i];

		if (!rt->ifindex) {
			vw_alert_attach_failed(rt->name, rt->ifname, -ENODEV);
			continue;
		}
		/* One attach per interface is enough; VLAN segments share it. */
		for (size_t j = 0; j < i; j++) {
			if (next[j].ifindex == rt->ifindex) {
				rt->attach = next[j].attach;
				goto next_seg;
			}
		}
		err = attach_segment(d, rt);
		if (err && !first)
			first = err;
next_seg:;
	}

	memcpy(d->segs, next, sizeof(next));
	d->n_segs = n;
	memcpy(d->vlans, vlans, sizeof(vlans));
	d->n_vlans = n_vlans;
	return first;
}

int vwd_apply_state(struct daemon *d, struct vw_state *st)
{
	int err = apply_policy(d, st);

	vwd_history_state(d, st);
	return err ? err : apply_segments(d, st);
}

int vwd_apply_links(struct daemon *d)
{
	return apply_segments(d, d->st);
}

/* Drops links pinned by an earlier run for interfaces no longer configured
 * (a link outlives its daemon by design). */
void vwd_detach_stale(struct daemon *d, const char *bpf_root)
{
	char path[512];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s", bpf_root, VW_PIN_LINKS_DIR);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int ifindex;

		if (sscanf(de->d_name, "xdp_%d", &ifindex) != 1)
			continue;
		if (!iface_in(d->segs, d->n_segs, ifindex)) {
			struct vw_iface none = {0};

			vw_datapath_set_iface(d->dp, ifindex, &none);
			vw_datapath_detach(d->dp, ifindex);
			vw_log(LOG_INFO, "Detached from ifindex %d: no longer configured", ifindex);
		}
	}
	closedir(dir);
}
