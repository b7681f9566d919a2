// SPDX-License-Identifier: GPL-2.0-only
/* The manager's life cycle (see manager.h). Order of business (after
 * networkd): build state while the pinned data plane is opened and
 * adopted on a second thread, apply, READY=1, then the event loop. */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <bpf/libbpf.h>
#include <systemd/sd-daemon.h>

#include "vlan_offload.h"
#include "alert.h"
#include "config.h"
#include "alert_ids.h"
#include "apply.h"
#include "fpverdicts.h"
#include "attach.h"
#include "capkeep.h"
#include "control_server.h"
#include "engine.h"
#include "events.h"
#include "handlers.h"
#include "health.h"
#include "ipverdicts.h"
#include "journal.h"
#include "links.h"
#include "manager.h"
#include "mounts.h"
#include "reload.h"
#include "samples.h"
#include "status.h"
#include "store.h"
#include "throttle.h"
#include "switches.h"
#include "waivers.h"

/* Loss not growing for this many ticks (seconds) ends ringbuf-loss. */
#define VWD_LOSS_QUIET_TICKS 60

int vwd_manager_new(struct daemon **out, const char *config_path)
{
	struct daemon *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->config_path = strdup(config_path);
	if (!d->config_path) {
		free(d);
		return -ENOMEM;
	}
	vw_addrbook_init(&d->addrs, 0);
	*out = d;
	return 0;
}

void vwd_manager_free(struct daemon *d)
{
	if (!d)
		return;
	vw_control_close(d->ctl);
	vwd_netlink_close(d);
	vwd_switches_free(d);
	vw_overrides_free(&d->ops);
	ring_buffer__free(d->events);
	ring_buffer__free(d->samples);
	sd_event_source_disable_unref(d->tick);
	sd_event_unref(d->loop);
	vwd_plan_free(d->applied);
	vwd_ipv_free(d);
	vwd_capkeep_free(d);
	vw_datapath_close(d->dp);
	vw_inventory_close(d->inv);
	vw_fp_engine_free(d->fp);
	vwd_fpv_free(d->fpv);
	vw_addrbook_free(&d->addrs);
	vwd_degraded_free(&d->degraded);
	vw_state_free(d->st);
	free(d->config_path);
	free(d);
}

/* Operator decisions of earlier runs. A corrupt file is kept aside for a
 * human and we start without it, loudly: refusing to start would leave
 * the gateway with whatever the pins say, which is worse. */
static void load_operator_decisions(struct daemon *d)
{
	char aside[PATH_MAX + 32], detail[4 * PATH_MAX];
	struct vw_diag diag = {0};
	int err;

	snprintf(d->ops_path, sizeof(d->ops_path), "%s/operator.json", d->st->conf.state_dir);
	err = vw_overrides_load(&d->ops, d->ops_path, &diag);
	/* More than vw_device keeps room for (an edited file): none of it,
	 * rather than an arbitrary part. */
	if (!err && vwd_plan_count_decisions(d->st, &d->ops, time(NULL)) > VWD_MAX_DECISIONS) {
		vw_diag_add(&diag, d->ops_path, 0,
			    "more waivers and quarantines than the %u vendorwall keeps room for",
			    VWD_MAX_DECISIONS);
		vw_overrides_free(&d->ops);
		err = -E2BIG;
	}
	if (!err)
		return;
	snprintf(aside, sizeof(aside), "%s.corrupt-%lld", d->ops_path, (long long)time(NULL));
	rename(d->ops_path, aside);
	/* The loader's message names the file and the entry. */
	if (diag.n)
		snprintf(detail, sizeof(detail),
			 "operator decisions unreadable: %s; moved to %s; modes, waivers and quarantines set with vendorwallctl are lost",
			 diag.msgs[0], aside);
	else
		snprintf(detail, sizeof(detail),
			 "operator decisions in %s unreadable (%s), moved to %s; modes, waivers and quarantines set with vendorwallctl are lost",
			 d->ops_path, strerror(-err), aside);
	vw_diag_free(&diag);
	vwd_degraded(d, "operator-state", NULL, detail);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf warns on stderr; keep only warnings, as debug-level noise
	 * would bury our own journal entries. */
	if (level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void started_entry(struct daemon *d, const struct vw_layout_report *layout)
{
	struct vw_entry e;
	char how[160] = "";

	if (layout->found && (layout->found != layout->running || layout->converted))
		snprintf(how, sizeof(how), ", migrated from layout %u to %u (%u maps "
			 "converted, %u created, %lu entries lost%s)", layout->found,
			 layout->running, layout->converted, layout->created, layout->lost,
			 layout->counters_dropped ? ", counters restarted" : "");
	vw_entry_init(&e, VW_MID_STARTED, LOG_INFO);
	vw_entry_add(&e, "MESSAGE", "vendorwalld starting: data plane %s under %s%s",
		     !vw_datapath_adopted(d->dp) ? "loaded and pinned" :
		     vw_datapath_progs_reused(d->dp) ? "adopted from pins, programs reused" :
		     "adopted from pins, programs loaded", d->st->conf.bpf_root, how);
	vw_entry_add(&e, "VW_ADOPTED", "%d", vw_datapath_adopted(d->dp) ? 1 : 0);
	vw_entry_add(&e, "VW_PROGRAMS", "%s", vw_datapath_progs_reused(d->dp) ? "reused" : "loaded");
	vw_entry_add(&e, "VW_LAYOUT", "%u", layout->running);
	vw_entry_add(&e, "VW_LAYOUT_FOUND", "%u", layout->found);
	vw_entry_send(&e);
}

/* The data plane opened on a second thread while the state is built: the
 * two are independent and each about a third of a start (maps and the
 * verifier; the IEEE registry and the rules). */
struct dp_open {
	char *root;
	pthread_t thread;
	bool started;
	bool mount_failed;       /* logged by vwd_ensure_bpffs */
	struct vw_datapath *dp;
	struct vw_layout_report layout;
	int err;
};

static void *dp_open_run(void *arg)
{
	struct dp_open *o = arg;

	memset(&o->layout, 0, sizeof(o->layout));
	o->err = vwd_ensure_bpffs(o->root);
	o->mount_failed = o->err != 0;
	if (!o->err)
		o->err = vw_datapath_open_layout(&o->dp, o->root, &o->layout);
	return NULL;
}

/* Starts the open under the configuration's BpfRoot. Nothing is started
 * without one (a configuration that did not load). */
static void dp_open_start(struct dp_open *o, const char *bpf_root)
{
	memset(o, 0, sizeof(*o));
	libbpf_set_print(libbpf_quiet);
	if (bpf_root)
		o->root = strdup(bpf_root);
	if (o->root && pthread_create(&o->thread, NULL, dp_open_run, o) == 0)
		o->started = true;
}

/* Waits for the open. The state is built from the same parse of the file
 * whose BpfRoot the open used, so the roots cannot differ. */
static void dp_open_join(struct dp_open *o)
{
	if (o->started)
		pthread_join(o->thread, NULL);
	free(o->root);
	o->root = NULL;
}

static int open_datapath(struct daemon *d, struct dp_open *o)
{
	struct vw_layout_report layout;
	int err;

	if (o->started && o->mount_failed)
		return o->err;
	if (o->started) {
		err = o->err;
		layout = o->layout;
		d->dp = o->dp;
	} else {
		libbpf_set_print(libbpf_quiet);
		err = vwd_ensure_bpffs(d->st->conf.bpf_root);
		if (err)
			return err;
		err = vw_datapath_open_layout(&d->dp, d->st->conf.bpf_root, &layout);
	}
	if (err) {
		vw_log(LOG_ERR, "Cannot load the data plane under %s: %s%s%s%s",
		       d->st->conf.bpf_root, strerror(-err),
		       err == -ENOTSUP ? " (not on a bpffs mount)" :
		       err == -EBUSY ? " (another vendorwalld holds it)" : "",
		       layout.detail[0] ? ": " : "", layout.detail);
		return err;
	}
	started_entry(d, &layout);
	return 0;
}

/* Enforce, then follow interfaces: subscribed before the apply (in
 * open_event_loop), so none appears unseen between the apply and the dump. */
static void enforce(struct daemon *d)
{
	int err = vwd_apply(d, d->st, &d->ops, NULL);

	if (err)
		vw_log(LOG_WARNING, "Nothing is enforced by this run yet: %s", strerror(-err));
	err = vwd_ipv_init(d);
	if (err)
		vw_log(LOG_WARNING, "IP verdicts of an earlier run could not be cleared: %s",
		       strerror(-err));
	vwd_ipv_tick(d);
	vwd_detach_stale(d);
	err = vwd_netlink_sync(d, 2000);
	if (err)
		vw_log(LOG_WARNING, "Netlink dump incomplete: %s", strerror(-err));
	if (d->reapply) {
		d->reapply = false;
		vwd_apply_links(d);
	}
}

static int open_event_loop(struct daemon *d)
{
	int err = sd_event_default(&d->loop);

	if (err < 0) {
		vw_log(LOG_ERR, "Cannot create the event loop: %s", strerror(-err));
		return err;
	}
	err = vwd_netlink_open(d);
	if (err)
		vw_log(LOG_ERR, "Netlink unavailable (%s): interface hot-plug is not followed", strerror(-err));
	return 0;
}

static void check_ringbuf_loss(struct daemon *d)
{
	uint64_t ctr[VW_CTR_MAX];

	d->ticks++;
	for (size_t i = 0; i < vwd_n_segs(d); i++) {
		const struct seg_rt *rt = vwd_seg(d, i);
		char key[96], detail[128];
		uint64_t lost;

		if (vw_datapath_read_counters(d->dp, rt->slot, ctr))
			continue;
		lost = ctr[VW_CTR_EVENT_LOST] + ctr[VW_CTR_SAMPLE_LOST];
		snprintf(key, sizeof(key), "ringbuf-loss:%s", rt->name);
		if (lost > d->lost_reported[rt->slot]) {
			snprintf(detail, sizeof(detail), "%llu ring-buffer record(s) lost so far",
				 (unsigned long long)lost);
			vwd_degraded(d, key, rt->name, detail);
			d->lost_reported[rt->slot] = lost;
			d->lost_at[rt->slot] = d->ticks;
		} else if (d->ticks - d->lost_at[rt->slot] >= VWD_LOSS_QUIET_TICKS) {
			vwd_recovered(d, key, "no records lost for a minute");
		}
	}
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *d = userdata;

	check_ringbuf_loss(d);
	vwd_throttle_tick(d);
	vwd_expire_waivers(d);
	vwd_fp_verdicts_tick(d);
	vwd_ipv_tick(d);
	vwd_cap_tick(d);
	vwd_update_status(d);
	sd_event_source_set_time(s, usec + 1000000);
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

/* The rings yield to every other source (control socket, signals, the
 * tick): under flood they always have work, the others must not wait. */
static int add_ring(struct daemon *d, struct ring_buffer *rb, sd_event_io_handler_t fn)
{
	sd_event_source *src;
	int err = sd_event_add_io(d->loop, &src, ring_buffer__epoll_fd(rb), EPOLLIN, fn, d);

	if (err < 0)
		return err;
	err = sd_event_source_set_priority(src, SD_EVENT_PRIORITY_IDLE);
	/* Floating: the loop owns it and frees it with itself. */
	if (err >= 0)
		err = sd_event_source_set_floating(src, 1);
	sd_event_source_unref(src);
	return err;
}

static int add_sources(struct daemon *d)
{
	sigset_t mask;
	uint64_t now;
	int err;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	err = sd_event_add_signal(d->loop, NULL, SIGTERM, on_exit_signal, d);
	err = err < 0 ? err : sd_event_add_signal(d->loop, NULL, SIGINT, on_exit_signal, d);
	err = err < 0 ? err : sd_event_add_signal(d->loop, NULL, SIGHUP, on_reload, d);
	err = err < 0 ? err : add_ring(d, d->events, vwd_on_ringbuf);
	err = err < 0 ? err : add_ring(d, d->samples, vwd_on_samples);
	err = err < 0 ? err : sd_event_now(d->loop, CLOCK_MONOTONIC, &now);
	err = err < 0 ? err : sd_event_add_time(d->loop, &d->tick, CLOCK_MONOTONIC, now + 1000000, 0,
						on_tick, d);
	err = err < 0 ? err : sd_event_source_set_enabled(d->tick, SD_EVENT_ON);
	if (err < 0)
		vw_log(LOG_ERR, "Cannot set up the event loop: %s", strerror(-err));
	return err < 0 ? err : 0;
}

static int open_rings(struct daemon *d)
{
	int err = vw_datapath_events(d->dp, vwd_on_event, d, &d->events);

	if (!err)
		err = vw_datapath_samples(d->dp, vwd_on_sample, d, &d->samples);
	if (err)
		vw_log(LOG_ERR, "Cannot open the ring buffers: %s", strerror(-err));
	return err;
}

static void open_control(struct daemon *d)
{
	int err = vwd_control_open(d);

	if (err)
		vw_log(LOG_ERR, "Cannot open the control socket in %s: %s",
		       d->st->conf.runtime_dir, strerror(-err));
}

/* Everything the start needs that does not need the data plane, done
 * while the second thread still opens it (on a first start that thread is
 * the longer: maps and the verifier). */
static int prepare(struct daemon *d)
{
	int err;

	vwd_state_adopted(d);
	vwd_store_open(d, true);
	load_operator_decisions(d);
	err = open_event_loop(d);
	if (!err)
		open_control(d);
	return err;
}

int vwd_manager_start(struct daemon *d)
{
	struct vw_daemon_conf conf = {0};
	struct dp_open o;
	int err, prep_err = 0;

	err = vwd_config_read(d->config_path, &conf);
	dp_open_start(&o, err ? NULL : conf.bpf_root);
	if (!err)
		err = vwd_state_load(d->config_path, &conf, NULL, &d->st, NULL);
	if (!err)
		prep_err = prepare(d);
	dp_open_join(&o);
	if (err) {
		/* A start that fails before enforcing leaves no pins behind
		 * that it created itself (a first start with a broken file). */
		if (o.dp && !vw_datapath_adopted(o.dp))
			vw_datapath_unpin_all(o.dp);
		vw_datapath_close(o.dp);
		return err;
	}
	err = open_datapath(d, &o);
	if (err)
		return err;
	if (prep_err)
		return prep_err;
	enforce(d);
	err = vwd_fp_verdicts_sync(d);
	if (err)
		vw_log(LOG_WARNING, "Fingerprint verdicts are not bounded in this run: %s",
		       strerror(-err));
	err = open_rings(d);
	if (!err)
		err = add_sources(d);
	if (err)
		return err;
	vwd_switches_apply(d);
	/* Events queued while no daemon ran are reported now. */
	vwd_consume_events(d);
	return 0;
}

/* An interface is released only if none of its segments keeps. */
static bool detach_on_stop(struct daemon *d, int ifindex)
{
	for (size_t j = 0; j < vwd_n_segs(d); j++) {
		const struct vw_segment_conf *o = vw_state_segment(d->st, vwd_seg(d, j)->name);

		if (vwd_seg(d, j)->ifindex == ifindex && (!o || o->on_stop != VW_ON_STOP_DETACH))
			return false;
	}
	return true;
}

static void stopped_entry(bool all_detach)
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

static void stop(struct daemon *d)
{
	bool all_detach = vwd_n_segs(d) > 0;

	sd_notify(0, "STOPPING=1");
	for (size_t i = 0; i < vwd_n_segs(d); i++) {
		const struct seg_rt *rt = vwd_seg(d, i);
		const struct vw_segment_conf *sc = vw_state_segment(d->st, rt->name);
		bool detach = sc && sc->on_stop == VW_ON_STOP_DETACH;

		all_detach &= detach;
		if (detach && rt->ifindex && detach_on_stop(d, rt->ifindex)) {
			vw_datapath_detach(d->dp, rt->ifindex);
			vwd_vlan_offload_detach(d, rt->ifindex, rt->ifname);
		}
	}
	if (all_detach) {
		int err = vw_datapath_unpin_all(d->dp);

		if (err)
			vw_log(LOG_WARNING, "Could not remove all pins under %s: %s",
			       d->st->conf.bpf_root, strerror(-err));
	}
	stopped_entry(all_detach);
}

int vwd_manager_run(struct daemon *d)
{
	int err;

	vw_alert_policy_loaded(d->profiles, vwd_policy_version(d), d->st->set.n, vwd_n_segs(d), 0);
	sd_notify(0, "READY=1");
	/* Not enforcement: what READY promises is in place already. */
	vwd_store_apply_cap(d);
	vwd_update_status(d);
	/* Building the state and the first commit free megabytes of registry
	 * rows, bitmap images and map reads that the heap would keep. */
	malloc_trim(0);
	/* Watchdog pings start once we are ready: before that, systemd's
	 * start timeout is what guards us. */
	err = sd_event_set_watchdog(d->loop, 1);
	if (err < 0)
		vw_log(LOG_WARNING, "Cannot enable the watchdog: %s", strerror(-err));
	err = sd_event_loop(d->loop);
	vwd_consume_events(d);
	vwd_throttle_flush(d);
	stop(d);
	return err < 0 ? err : 0;
}
