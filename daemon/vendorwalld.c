// SPDX-License-Identifier: GPL-2.0-only
/*
 * vendorwalld: builds the policy, drives the data plane and reports what
 * it sees. Order of business (after networkd): build state, open and adopt
 * the pinned data plane, apply, READY=1, then the event loop.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
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
#include "state.h"

#define VW_DEFAULT_CONFIG "/etc/vendorwall/vendorwall.conf"

/* What the daemon applied for one configured segment. */
struct seg_rt {
	char name[64];
	char ifname[IF_NAMESIZE];
	uint32_t slot;
	int ifindex;            /* 0 when the interface is absent */
	int vlan;
	uint8_t mode;
	uint32_t cap;
	time_t cap_reported;    /* last quarantine-cap entry, one per hour */
	enum vw_attach_mode attach;
};

struct daemon {
	const char *config_path;
	struct vw_state *st;
	struct vw_datapath *dp;
	struct ring_buffer *events;
	struct ring_buffer *samples;
	sd_event *loop;
	struct seg_rt segs[VW_MAX_SEGMENTS];
	size_t n_segs;
	/* VLAN slots written, so a reload can clear those it no longer uses. */
	struct { uint32_t row; uint16_t vid; } vlans[VW_MAX_SEGMENTS];
	size_t n_vlans;
	uint64_t samples_seen;
	/* Waivers written to vw_device, to expire and to drop on reload. */
	struct waiver_rt { uint8_t mac[6]; time_t until; } waivers[VW_MAX_SEGMENTS];
	size_t n_waivers;
	uint64_t lost_reported[VW_MAX_SEGMENTS];
	char profiles[256];
};

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf warns on stderr; keep only warnings, as debug-level noise
	 * would bury our own journal entries. */
	if (level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void join_profiles(struct daemon *d)
{
	size_t off = 0;

	d->profiles[0] = '\0';
	for (size_t i = 0; i < d->st->conf.profiles.n; i++) {
		int n = snprintf(d->profiles + off, sizeof(d->profiles) - off, "%s%s",
				 i ? " " : "", d->st->conf.profiles.v[i]);
		if (n < 0 || (size_t)n >= sizeof(d->profiles) - off)
			break;
		off += n;
	}
}

static struct seg_rt *seg_by_slot(struct daemon *d, uint32_t slot)
{
	for (size_t i = 0; i < d->n_segs; i++)
		if (d->segs[i].slot == slot)
			return &d->segs[i];
	return NULL;
}

static struct seg_rt *seg_by_name(struct seg_rt *segs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(segs[i].name, name))
			return &segs[i];
	return NULL;
}

static void format_mac(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int on_event(void *ctx, void *data, size_t size)
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
	seg = seg_by_slot(d, ev->slot);
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

		format_mac(ev->mac, mac, sizeof(mac));
		vw_alert_quarantine_cap(seg->name, ifname, seg->cap, mac);
		seg->cap_reported = time(NULL);
	}
	return 0;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct daemon *d = ctx;

	/* The fingerprint engine will consume these; until then we count. */
	d->samples_seen++;
	return 0;
}

static int on_ringbuf(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct ring_buffer *rb = userdata;

	ring_buffer__consume(rb);
	return 0;
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
		vw_alert_degraded("generic-xdp", rt->name,
				  "the driver refused native XDP; running in generic (skb) mode, which is slower");
	return 0;
}

/* Configured waivers become VW_DEV_WAIVED bits; expired ones are left out
 * so a restart after expiry enforces at once. */
static int apply_waivers(struct daemon *d, const struct vw_state *st)
{
	struct waiver_rt next[VW_MAX_SEGMENTS];
	time_t now = time(NULL);
	size_t n = 0;
	int err;

	for (size_t i = 0; i < st->conf.n_waivers && n < VW_MAX_SEGMENTS; i++) {
		const struct vw_waiver_conf *w = &st->conf.waivers[i];
		char mac[18];
		int known = 0;

		if (w->until && w->until <= now)
			continue;
		err = vw_datapath_device_flags(d->dp, w->mac, VW_DEV_WAIVED, 0);
		if (err)
			return err;
		memcpy(next[n].mac, w->mac, 6);
		next[n].until = w->until;
		n++;
		for (size_t j = 0; j < d->n_waivers; j++)
			known |= !memcmp(d->waivers[j].mac, w->mac, 6);
		if (!known) {
			struct vw_entry e;

			format_mac(w->mac, mac, sizeof(mac));
			vw_entry_init(&e, VW_MID_WAIVER_ADDED, LOG_NOTICE);
			vw_entry_add(&e, "MESSAGE", "Waiver for %s active%s: %s", mac,
				     w->until ? " until the configured time" : " without expiry",
				     w->reason ? w->reason : "");
			vw_entry_add(&e, "VW_MAC", "%s", mac);
			vw_entry_add(&e, "VW_WAIVER_UNTIL", "%lld", (long long)w->until);
			vw_entry_add(&e, "VW_WAIVER_REASON", "%s", w->reason ? w->reason : "");
			vw_entry_add(&e, "VW_WAIVER_TICKET", "%s", w->ticket ? w->ticket : "");
			vw_entry_send(&e);
		}
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
	return 0;
}

static void expire_waivers(struct daemon *d)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < d->n_waivers;) {
		struct waiver_rt *w = &d->waivers[i];
		struct vw_entry e;
		char mac[18];

		if (!w->until || w->until > now) {
			i++;
			continue;
		}
		vw_datapath_device_flags(d->dp, w->mac, 0, VW_DEV_WAIVED);
		format_mac(w->mac, mac, sizeof(mac));
		vw_entry_init(&e, VW_MID_WAIVER_EXPIRED, LOG_WARNING);
		vw_entry_add(&e, "MESSAGE", "Waiver for %s expired; the device is enforced again", mac);
		vw_entry_add(&e, "VW_MAC", "%s", mac);
		vw_entry_send(&e);
		*w = d->waivers[--d->n_waivers];
	}
}

static int iface_in(const struct seg_rt *segs, size_t n, int ifindex)
{
	for (size_t i = 0; i < n; i++)
		if (segs[i].ifindex == ifindex)
			return 1;
	return 0;
}

/* Applies st to the data plane. Segment values are written before the
 * interface points at them, and attach comes last, so a frame never sees
 * a half-configured segment. */
static int apply_state(struct daemon *d, struct vw_state *st, int reload)
{
	struct seg_rt next[VW_MAX_SEGMENTS];
	uint8_t used[VW_MAX_SEGMENTS] = {0};
	struct vw_config cfg;
	size_t n = 0, n_vlans = 0;
	int err, first = 0;
	struct { uint32_t row; uint16_t vid; } vlans[VW_MAX_SEGMENTS];
	struct { int ifindex; uint32_t row; uint32_t slot; } ifs[VW_MAX_SEGMENTS];
	size_t n_ifs = 0;
	uint32_t rows = 0;

	fill_config(st, &cfg);
	err = vw_datapath_set_config(d->dp, &cfg);
	if (err)
		return err;
	err = vw_datapath_load_ouiset(d->dp, &st->set);
	if (err)
		return err;

	err = apply_waivers(d, st);
	if (err)
		return err;

	memset(next, 0, sizeof(next));
	for (size_t i = 0; i < st->conf.n_segments && n < VW_MAX_SEGMENTS - 1; i++) {
		const struct vw_segment_conf *sc = &st->conf.segments[i];
		struct seg_rt *rt = &next[n++];
		struct vw_segment seg = {
			.mode = sc->mode,
			.action = sc->action,
			.max_new_per_hour = sc->max_new_per_hour,
		};
		struct seg_rt *old = seg_by_name(d->segs, d->n_segs, sc->name);

		snprintf(rt->name, sizeof(rt->name), "%s", sc->name);
		snprintf(rt->ifname, sizeof(rt->ifname), "%s", sc->ifname);
		rt->vlan = sc->vlan;
		rt->mode = sc->mode;
		rt->cap = sc->max_new_per_hour;
		if (old)
			rt->cap_reported = old->cap_reported;
		rt->slot = assign_slot(d->segs, d->n_segs, sc->name, used);
		rt->ifindex = (int)if_nametoindex(sc->ifname);
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
	(void)reload;
	return first;
}

/* Drops links pinned by an earlier run for interfaces no longer configured
 * (a link outlives its daemon by design). */
static void detach_stale(struct daemon *d, const char *bpf_root)
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

static void log_diag(const struct vw_diag *diag, int prio)
{
	for (size_t i = 0; i < diag->n; i++)
		vw_log(prio, "%s", diag->msgs[i]);
}

static void log_policy_summary(const struct vw_state *st, int max_age_days)
{
	char date[32] = "unknown";
	struct tm tm;

	if (st->registry.date && gmtime_r(&st->registry.date, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	for (size_t i = 0; i < st->set.n_stats; i++) {
		const struct vw_ouiset_stats *s = &st->set.stats[i];

		vw_log(LOG_INFO, "Vendor group %s: %zu MA-L, %zu MA-M, %zu MA-S blocks (registry of %s)",
		       vw_state_vendor_id(st, s->vendor), s->mal, s->mam, s->mas, date);
	}
	if (st->registry.date &&
	    time(NULL) - st->registry.date > (time_t)max_age_days * 86400) {
		char detail[160];

		snprintf(detail, sizeof(detail),
			 "IEEE registry in %s dates from %s, older than %d days; newer blocks of restricted vendors are missing",
			 st->conf.registry_dir, date, max_age_days);
		vw_alert_degraded("stale-registry", NULL, detail);
	}
}

static void update_status(struct daemon *d)
{
	char buf[512];
	size_t off = 0;

	off += snprintf(buf, sizeof(buf), "STATUS=%zu segment(s):", d->n_segs);
	for (size_t i = 0; i < d->n_segs && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, " %s=%s%s", d->segs[i].name,
				vw_mode_name(d->segs[i].mode),
				d->segs[i].ifindex ? "" : "(absent)");
	sd_notify(0, buf);
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *d = userdata;
	uint64_t ctr[VW_CTR_MAX];

	for (size_t i = 0; i < d->n_segs; i++) {
		uint32_t slot = d->segs[i].slot;
		uint64_t lost;

		if (vw_datapath_read_counters(d->dp, slot, ctr))
			continue;
		lost = ctr[VW_CTR_EVENT_LOST] + ctr[VW_CTR_SAMPLE_LOST];
		if (lost > d->lost_reported[slot]) {
			char detail[128];

			snprintf(detail, sizeof(detail), "%llu ring-buffer record(s) lost so far",
				 (unsigned long long)lost);
			vw_alert_degraded("ringbuf-loss", d->segs[i].name, detail);
			d->lost_reported[slot] = lost;
		}
	}
	expire_waivers(d);
	update_status(d);
	sd_event_source_set_time(s, usec + 1000000);
	return 0;
}

static int on_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct daemon *d = userdata;
	struct vw_diag diag = {0};
	struct vw_state *st = NULL, *old;
	int err;

	sd_notify(0, "RELOADING=1");
	err = vw_state_build(&st, d->config_path, &diag);
	if (err) {
		vw_alert_reload_rejected(d->config_path, (const char *const *)diag.msgs, diag.n);
		log_diag(&diag, LOG_ERR);
		vw_diag_free(&diag);
		sd_notify(0, "READY=1");
		return 0;
	}
	vw_diag_free(&diag);
	old = d->st;
	d->st = st;
	join_profiles(d);
	err = apply_state(d, st, 1);
	if (err)
		vw_log(LOG_ERR, "Reload applied with errors: %s", strerror(-err));
	vw_alert_policy_loaded(d->profiles, st->version, st->set.n, d->n_segs, 1);
	vw_state_free(old);
	update_status(d);
	sd_notify(0, "READY=1");
	return 0;
}

static int on_exit_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

static void stop(struct daemon *d)
{
	int all_detach = d->n_segs > 0;

	sd_notify(0, "STOPPING=1");
	for (size_t i = 0; i < d->n_segs; i++) {
		const struct vw_segment_conf *sc = vw_state_segment(d->st, d->segs[i].name);
		int detach = sc && sc->on_stop == VW_ON_STOP_DETACH;
		int shared_keep = 0;

		all_detach &= detach;
		if (!detach || !d->segs[i].ifindex)
			continue;
		/* An interface is released only if none of its segments keeps. */
		for (size_t j = 0; j < d->n_segs; j++) {
			const struct vw_segment_conf *o = vw_state_segment(d->st, d->segs[j].name);

			if (d->segs[j].ifindex == d->segs[i].ifindex && o &&
			    o->on_stop != VW_ON_STOP_DETACH)
				shared_keep = 1;
		}
		if (!shared_keep)
			vw_datapath_detach(d->dp, d->segs[i].ifindex);
	}
	if (all_detach) {
		int err = vw_datapath_unpin_all(d->dp);

		if (err)
			vw_log(LOG_WARNING, "Could not remove all pins under %s: %s",
			       d->st->conf.bpf_root, strerror(-err));
	}
	vw_log(LOG_INFO, "Stopped; enforcement %s", all_detach ? "removed" : "left in place");
}

static int check_config(const char *path)
{
	struct vw_diag diag = {0};
	struct vw_state *st = NULL;
	int err;

	err = vw_state_build(&st, path, &diag);
	for (size_t i = 0; i < diag.n; i++)
		fprintf(stderr, "%s\n", diag.msgs[i]);
	vw_diag_free(&diag);
	if (err)
		return 1;
	printf("%s: OK (%zu segment(s), %zu prefixes, policy version %s)\n",
	       path, st->conf.n_segments, st->set.n, st->version);
	vw_state_free(st);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: vendorwalld [--config FILE] [--check-config]\n"
		   "  -c, --config FILE    configuration (default " VW_DEFAULT_CONFIG ")\n"
		   "      --check-config   validate configuration and policy, then exit\n"
		   "  -h, --help           this text\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct daemon d = { .config_path = VW_DEFAULT_CONFIG };
	struct vw_diag diag = {0};
	sd_event_source *src;
	sigset_t mask;
	int c, err, do_check = 0, ret = 1;
	uint64_t now;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': d.config_path = optarg; break;
		case 'C': do_check = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (do_check)
		return check_config(d.config_path);

	libbpf_set_print(libbpf_quiet);
	err = vw_state_build(&d.st, d.config_path, &diag);
	if (err) {
		vw_alert_reload_rejected(d.config_path, (const char *const *)diag.msgs, diag.n);
		log_diag(&diag, LOG_ERR);
		vw_diag_free(&diag);
		return 1;
	}
	vw_diag_free(&diag);
	join_profiles(&d);
	log_policy_summary(d.st, d.st->conf.registry_max_age_days);

	err = vw_datapath_open(&d.dp, d.st->conf.bpf_root);
	if (err) {
		vw_log(LOG_ERR, "Cannot load the data plane under %s: %s%s",
		       d.st->conf.bpf_root, strerror(-err),
		       err == -ENOTSUP ? " (not on a bpffs mount)" :
		       err == -EBUSY ? " (another vendorwalld holds it)" : "");
		goto out;
	}
	vw_log(LOG_INFO, "Data plane %s under %s",
	       vw_datapath_adopted(d.dp) ? "adopted from pins" : "loaded and pinned",
	       d.st->conf.bpf_root);

	err = apply_state(&d, d.st, 0);
	if (err)
		vw_log(LOG_WARNING, "Not every segment is enforced: %s", strerror(-err));
	detach_stale(&d, d.st->conf.bpf_root);

	err = vw_datapath_events(d.dp, on_event, &d, &d.events);
	if (!err)
		err = vw_datapath_samples(d.dp, on_sample, &d, &d.samples);
	if (err) {
		vw_log(LOG_ERR, "Cannot open the ring buffers: %s", strerror(-err));
		goto out;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	err = sd_event_default(&d.loop);
	if (err >= 0)
		err = sd_event_add_signal(d.loop, NULL, SIGTERM, on_exit_signal, &d);
	if (err >= 0)
		err = sd_event_add_signal(d.loop, NULL, SIGINT, on_exit_signal, &d);
	if (err >= 0)
		err = sd_event_add_signal(d.loop, NULL, SIGHUP, on_reload, &d);
	if (err >= 0)
		err = sd_event_add_io(d.loop, NULL, ring_buffer__epoll_fd(d.events),
				      EPOLLIN, on_ringbuf, d.events);
	if (err >= 0)
		err = sd_event_add_io(d.loop, NULL, ring_buffer__epoll_fd(d.samples),
				      EPOLLIN, on_ringbuf, d.samples);
	if (err >= 0)
		err = sd_event_now(d.loop, CLOCK_MONOTONIC, &now);
	if (err >= 0)
		err = sd_event_add_time(d.loop, &src, CLOCK_MONOTONIC, now + 1000000, 0,
					on_tick, &d);
	if (err >= 0)
		err = sd_event_source_set_enabled(src, SD_EVENT_ON);
	if (err < 0) {
		vw_log(LOG_ERR, "Cannot set up the event loop: %s", strerror(-err));
		goto out;
	}
	/* Events queued while no daemon ran are reported now. */
	ring_buffer__consume(d.events);

	vw_alert_policy_loaded(d.profiles, d.st->version, d.st->set.n, d.n_segs, 0);
	sd_notify(0, "READY=1");
	update_status(&d);
	/* Watchdog pings start once we are ready: before that, systemd's
	 * start timeout is what guards us. */
	err = sd_event_set_watchdog(d.loop, 1);
	if (err < 0)
		vw_log(LOG_WARNING, "Cannot enable the watchdog: %s", strerror(-err));

	err = sd_event_loop(d.loop);
	ring_buffer__consume(d.events);
	stop(&d);
	ret = err < 0 ? 1 : 0;
out:
	ring_buffer__free(d.events);
	ring_buffer__free(d.samples);
	sd_event_unref(d.loop);
	vw_datapath_close(d.dp);
	vw_state_free(d.st);
	return ret;
}
