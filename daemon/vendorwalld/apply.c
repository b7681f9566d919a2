// SPDX-License-Identifier: GPL-2.0-only
/* Plan, commit, then what follows a committed change (see apply.h). */
#include <errno.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert.h"
#include "alert_ids.h"
#include "apply.h"
#include "history.h"
#include "attach.h"
#include "commit.h"
#include "journal.h"
#include "mac.h"

static const char *const step_names[] = {
	[VWD_STEP_CONFIG] = "runtime settings", [VWD_STEP_SEGMENTS] = "segments",
	[VWD_STEP_VLANS] = "VLAN rows", [VWD_STEP_IFACES] = "interfaces",
	[VWD_STEP_UNUSED] = "unused entries", [VWD_STEP_DEVICES] = "waivers and quarantines",
	[VWD_STEP_PREFIXES] = "restricted prefixes",
};

static void waiver_added_entry(const struct vw_waiver_conf *w)
{
	struct vw_entry e;
	char mac[VW_MAC_STRLEN];

	vw_format_mac(w->mac, mac);
	vw_entry_init(&e, VW_MID_WAIVER_ADDED, LOG_NOTICE);
	vw_entry_add(&e, "MESSAGE", "Waiver for %s active%s (configuration): %s", mac,
		     w->until ? " until the given time" : " without expiry",
		     w->reason ? w->reason : "");
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	vw_entry_add(&e, "VW_WAIVER_UNTIL", "%lld", (long long)w->until);
	vw_entry_add(&e, "VW_WAIVER_REASON", "%s", w->reason ? w->reason : "");
	vw_entry_add(&e, "VW_WAIVER_TICKET", "%s", w->ticket ? w->ticket : "");
	vw_entry_add(&e, "VW_WAIVER_SOURCE", "configuration");
	vw_entry_send(&e);
}

/* Journal entries for configuration waivers in next that prev lacked
 * (operator waivers are announced by their command, with its caller). */
static void announce_waivers(const struct vwd_plan *prev, const struct vwd_plan *next,
			     const struct vw_state *st)
{
	for (size_t i = 0; i < next->n_waivers; i++) {
		const struct vwd_waiver *w = &next->waivers[i];

		if (w->operator || (prev && vwd_plan_waived(prev, w->mac)))
			continue;
		for (size_t j = 0; j < st->conf.n_waivers; j++) {
			if (!memcmp(st->conf.waivers[j].mac, w->mac, 6)) {
				waiver_added_entry(&st->conf.waivers[j]);
				break;
			}
		}
	}
}

/* A new mode is a new story: each device is reported again. */
static void announce_modes(struct daemon *d, const struct vwd_plan *prev, struct vwd_plan *next,
			   const char *why)
{
	for (size_t i = 0; prev && i < next->n_segs; i++) {
		const struct seg_rt *rt = &next->segs[i];
		const struct seg_rt *old = vwd_plan_seg(d->applied, rt->name);

		if (!old || old->mode == rt->mode)
			continue;
		vw_datapath_reset_alerts(d->dp, rt->slot);
		if (why)
			vw_alert_mode_changed(rt->name, rt->ifname, old->mode, rt->mode, why);
	}
}

/* One entry per failed commit, with the step and whether the previous
 * contents are back (VW_ROLLBACK), so a SOC can tell "nothing changed"
 * from "enforcement is mixed". */
static void commit_failed_entry(int err, const struct vwd_commit_result *r)
{
	struct vw_entry e;

	vw_entry_init(&e, NULL, r->rollback_err ? LOG_CRIT : LOG_ERR);
	if (r->rollback_err)
		vw_entry_add(&e, "MESSAGE", "Writing %s failed (%s) and restoring the previous maps failed too (%s): enforcement is mixed",
			     step_names[r->step], strerror(-err), strerror(-r->rollback_err));
	else
		vw_entry_add(&e, "MESSAGE", "Writing %s failed (%s); the previous enforcement was restored",
			     step_names[r->step], strerror(-err));
	vw_entry_add(&e, "VW_COMMIT_STEP", "%s", step_names[r->step]);
	vw_entry_add(&e, "VW_ROLLBACK", "%s", r->rollback_err ? "failed" : "ok");
	vw_entry_send(&e);
}

static int commit_plan(struct daemon *d, struct vwd_plan *next)
{
	struct vwd_commit_result r;
	int err = vwd_commit(d->dp, d->applied, next, &r);

	if (!err)
		return 0;
	if (!r.step)
		vw_log(LOG_ERR, "Cannot copy the data plane aside before a change (%s); nothing changed",
		       strerror(-err));
	else
		commit_failed_entry(err, &r);
	return err;
}

int vwd_apply(struct daemon *d, const struct vw_state *st, const struct vw_overrides *ops,
	      const char *why)
{
	struct vwd_plan *next = NULL, *prev = d->applied;
	int err;

	err = vwd_plan_build(&next, st, ops, prev, time(NULL));
	if (err) {
		vw_log(LOG_ERR, "Cannot plan the data plane: %s%s", strerror(-err),
		       err == -ENOSPC ? " (more segments or VLAN interfaces than the data plane holds)" : "");
		return err;
	}
	err = commit_plan(d, next);
	if (err) {
		vwd_plan_free(next);
		return err;
	}
	announce_modes(d, prev, next, why);
	announce_waivers(prev, next, st);
	vwd_attach_plan(d, prev, next);
	d->applied = next;
	vwd_plan_free(prev);
	vwd_history_state(d, st);
	return 0;
}

int vwd_apply_links(struct daemon *d)
{
	return vwd_apply(d, d->st, &d->ops, NULL);
}
