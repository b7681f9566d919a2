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
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "alert.h"
#include "alert_ids.h"
#include "datapath.h"
#include "journal.h"
#include "state.h"
#include "control_server.h"
#include "engine.h"
#include "mounts.h"
#include "vwd.h"

#define VW_DEFAULT_CONFIG "/etc/vendorwall/vendorwall.conf"

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

/* A missing or broken inventory must not stop enforcement: say so, go on. */
static void open_inventory(struct daemon *d)
{
	struct vw_inventory_limits lim = {
		.max_devices = d->st->conf.inventory_max_devices,
		.max_evidence_per_device = 64,
		.max_addresses_per_device = 16,
		.touch_interval_s = 60,
	};
	char path[PATH_MAX], detail[PATH_MAX + 64];
	int err;

	if (mkdir(d->st->conf.state_dir, 0750) < 0 && errno != EEXIST) {
		err = -errno;
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/inventory.db", d->st->conf.state_dir);
	err = vw_inventory_open(&d->inv, path, &lim);
	if (!err)
		return;
fail:
	d->inv = NULL;
	snprintf(detail, sizeof(detail), "inventory %s/inventory.db unusable (%s); devices are not recorded",
		 d->st->conf.state_dir, strerror(-err));
	vwd_degraded(d, "inventory", NULL, detail);
}

/* Operator decisions of earlier runs. A corrupt file is kept aside for a
 * human and we start without it, loudly: refusing to start would leave
 * the gateway with whatever the pins say, which is worse. */
static void load_operator_decisions(struct daemon *d)
{
	char aside[PATH_MAX + 32], detail[3 * PATH_MAX];
	int err;

	snprintf(d->ops_path, sizeof(d->ops_path), "%s/operator.json", d->st->conf.state_dir);
	err = vw_overrides_load(&d->ops, d->ops_path);
	if (!err)
		return;
	snprintf(aside, sizeof(aside), "%s.corrupt-%lld", d->ops_path, (long long)time(NULL));
	rename(d->ops_path, aside);
	snprintf(detail, sizeof(detail),
		 "operator decisions in %s unreadable (%s), moved to %s; modes, waivers and quarantines set with vendorwallctl are lost",
		 d->ops_path, strerror(-err), aside);
	vwd_degraded(d, "operator-state", NULL, detail);
}

static void log_diag(const struct vw_diag *diag, int prio)
{
	for (size_t i = 0; i < diag->n; i++)
		vw_log(prio, "%s", diag->msgs[i]);
}

static void log_policy_summary(struct daemon *d, const struct vw_state *st, int max_age_days)
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
		vwd_degraded(d, "stale-registry", NULL, detail);
	}
}

static void update_status(struct daemon *d)
{
	char buf[512];
	size_t off = 0, devices = 0;

	if (d->inv)
		vw_inventory_count(d->inv, &devices);
	off += snprintf(buf, sizeof(buf), "STATUS=%zu segment(s):", d->n_segs);
	for (size_t i = 0; i < d->n_segs && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, " %s=%s%s", d->segs[i].name,
				vw_mode_name(d->segs[i].mode),
				d->segs[i].ifindex ? "" : "(absent)");
	if (off < sizeof(buf))
		snprintf(buf + off, sizeof(buf) - off, "; %zu restricted device(s) known", devices);
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
			vwd_degraded(d, "ringbuf-loss", d->segs[i].name, detail);
			d->lost_reported[slot] = lost;
		}
	}
	vwd_expire_waivers(d);
	update_status(d);
	sd_event_source_set_time(s, usec + 1000000);
	return 0;
}

/* Builds the new state aside and swaps it in; a broken file changes
 * nothing. *errmsg (may be NULL) gets the first problem for the caller. */
int vwd_reload(struct daemon *d, char **errmsg)
{
	struct vw_diag diag = {0};
	struct vw_state *st = NULL, *old;
	struct vw_fp_engine *fp;
	int err;

	sd_notify(0, "RELOADING=1");
	err = vw_state_build(&st, d->config_path, &diag);
	if (err) {
		vw_alert_reload_rejected(d->config_path, (const char *const *)diag.msgs, diag.n);
		log_diag(&diag, LOG_ERR);
		if (errmsg)
			*errmsg = strdup(diag.n ? diag.msgs[0] : strerror(-err));
		vw_diag_free(&diag);
		sd_notify(0, "READY=1");
		return -EINVAL;
	}
	vw_diag_free(&diag);
	/* The engine points into the state's rules: a new state, a new engine.
	 * Devices re-identify on their next announcement; their verdicts stay
	 * in the data plane meanwhile. */
	err = vwd_fp_start(d, st, &fp);
	if (err) {
		vw_log(LOG_ERR, "Reload: fingerprint engine unavailable: %s", strerror(-err));
		fp = NULL;
	}
	vw_fp_engine_free(d->fp);
	d->fp = fp;
	old = d->st;
	d->st = st;
	join_profiles(d);
	err = vwd_apply_state(d, st);
	if (err)
		vw_log(LOG_ERR, "Reload applied with errors: %s", strerror(-err));
	if (d->ctl)
		vw_control_set_group(d->ctl, st->conf.control_group);
	vw_alert_policy_loaded(d->profiles, st->version, st->set.n, d->n_segs, 1);
	vw_state_free(old);
	update_status(d);
	sd_notify(0, "READY=1");
	return 0;
}

static int on_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	vwd_reload(userdata, NULL);
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
	{
		struct vw_entry e;

		/* The SOC must see whether the gateway failed open or closed. */
		vw_entry_init(&e, VW_MID_STOPPED, all_detach ? LOG_WARNING : LOG_NOTICE);
		vw_entry_add(&e, "MESSAGE", "vendorwalld stopped; enforcement %s",
			     all_detach ? "removed (OnStop=detach: traffic is no longer filtered)" :
			     "left in place from pinned state");
		vw_entry_add(&e, "VW_ENFORCEMENT", "%s", all_detach ? "removed" : "kept");
		vw_entry_send(&e);
	}
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
	log_policy_summary(&d, d.st, d.st->conf.registry_max_age_days);

	if (vwd_ensure_bpffs(d.st->conf.bpf_root))
		goto out;
	err = vw_datapath_open(&d.dp, d.st->conf.bpf_root);
	if (err) {
		vw_log(LOG_ERR, "Cannot load the data plane under %s: %s%s",
		       d.st->conf.bpf_root, strerror(-err),
		       err == -ENOTSUP ? " (not on a bpffs mount)" :
		       err == -EBUSY ? " (another vendorwalld holds it)" : "");
		goto out;
	}
	{
		struct vw_entry e;

		vw_entry_init(&e, VW_MID_STARTED, LOG_INFO);
		vw_entry_add(&e, "MESSAGE", "vendorwalld starting: data plane %s under %s",
			     vw_datapath_adopted(d.dp) ? "adopted from pins" : "loaded and pinned",
			     d.st->conf.bpf_root);
		vw_entry_add(&e, "VW_ADOPTED", "%d", vw_datapath_adopted(d.dp) ? 1 : 0);
		vw_entry_send(&e);
	}

	open_inventory(&d);
	vw_addrbook_init(&d.addrs, 0);
	err = vwd_fp_start(&d, d.st, &d.fp);
	if (err)
		vw_log(LOG_ERR, "Fingerprint engine unavailable: %s; only OUIs are enforced", strerror(-err));
	load_operator_decisions(&d);

	/* Subscribe to links and neighbours before looking at interfaces, so
	 * none appears unseen between the apply below and the dump. */
	err = sd_event_default(&d.loop);
	if (err < 0) {
		vw_log(LOG_ERR, "Cannot create the event loop: %s", strerror(-err));
		goto out;
	}
	err = vwd_netlink_open(&d);
	if (err)
		vw_log(LOG_ERR, "Netlink unavailable (%s): interface hot-plug is not followed", strerror(-err));

	err = vwd_apply_state(&d, d.st);
	if (err)
		vw_log(LOG_WARNING, "Not every segment is enforced: %s", strerror(-err));
	vwd_detach_stale(&d, d.st->conf.bpf_root);
	err = vwd_netlink_sync(&d, 2000);
	if (err)
		vw_log(LOG_WARNING, "Netlink dump incomplete: %s", strerror(-err));
	if (d.reapply) {
		d.reapply = false;
		vwd_apply_links(&d);
	}

	err = vw_datapath_events(d.dp, vwd_on_event, &d, &d.events);
	if (!err)
		err = vw_datapath_samples(d.dp, vwd_on_sample, &d, &d.samples);
	if (err) {
		vw_log(LOG_ERR, "Cannot open the ring buffers: %s", strerror(-err));
		goto out;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	err = sd_event_add_signal(d.loop, NULL, SIGTERM, on_exit_signal, &d);
	if (err >= 0)
		err = sd_event_add_signal(d.loop, NULL, SIGINT, on_exit_signal, &d);
	if (err >= 0)
		err = sd_event_add_signal(d.loop, NULL, SIGHUP, on_reload, &d);
	if (err >= 0)
		err = sd_event_add_io(d.loop, NULL, ring_buffer__epoll_fd(d.events),
				      EPOLLIN, vwd_on_ringbuf, &d);
	if (err >= 0)
		err = sd_event_add_io(d.loop, NULL, ring_buffer__epoll_fd(d.samples),
				      EPOLLIN, vwd_on_samples, &d);
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
	err = vwd_control_open(&d);
	if (err)
		vw_log(LOG_ERR, "Cannot open the control socket in %s: %s",
		       d.st->conf.runtime_dir, strerror(-err));
	/* Events queued while no daemon ran are reported now. */
	vwd_consume_events(&d);

	vw_alert_policy_loaded(d.profiles, d.st->version, d.st->set.n, d.n_segs, 0);
	sd_notify(0, "READY=1");
	update_status(&d);
	/* Watchdog pings start once we are ready: before that, systemd's
	 * start timeout is what guards us. */
	err = sd_event_set_watchdog(d.loop, 1);
	if (err < 0)
		vw_log(LOG_WARNING, "Cannot enable the watchdog: %s", strerror(-err));

	err = sd_event_loop(d.loop);
	vwd_consume_events(&d);
	stop(&d);
	ret = err < 0 ? 1 : 0;
out:
	vw_control_close(d.ctl);
	vwd_netlink_close(&d);
	vw_overrides_free(&d.ops);
	ring_buffer__free(d.events);
	ring_buffer__free(d.samples);
	sd_event_unref(d.loop);
	vw_datapath_close(d.dp);
	vw_inventory_close(d.inv);
	vw_fp_engine_free(d.fp);
	vw_addrbook_free(&d.addrs);
	vw_state_free(d.st);
	return ret;
}
