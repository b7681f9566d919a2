// SPDX-License-Identifier: GPL-2.0-only
/* Start-up and reload of the state (see reload.h). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "alert.h"
#include "apply.h"
#include "compile_aside.h"
#include "control_server.h"
#include "decisions.h"
#include "engine.h"
#include "fpverdicts.h"
#include "health.h"
#include "journal.h"
#include "reload.h"
#include "samples.h"
#include "status.h"
#include "store.h"
#include "switches.h"

/* A configuration or state that did not load: the journal gets every
 * problem, *errmsg (may be NULL) the first. */
static int rejected(const char *config_path, struct vw_diag *diag, int err, char **errmsg)
{
	vw_alert_reload_rejected(config_path, (const char *const *)diag->msgs, diag->n);
	for (size_t i = 0; i < diag->n; i++)
		vw_log(LOG_ERR, "%s", diag->msgs[i]);
	if (errmsg)
		*errmsg = strdup(diag->n ? diag->msgs[0] : strerror(-err));
	return -EINVAL;
}

int vwd_config_read(const char *config_path, struct vw_daemon_conf *conf)
{
	struct vw_diag diag = {0};
	int err = vw_config_load(conf, config_path, &diag);

	if (err)
		err = rejected(config_path, &diag, err, NULL);
	vw_diag_free(&diag);
	return err;
}

int vwd_state_load(const char *config_path, struct vw_daemon_conf *conf,
		   const struct vw_state *prev, struct vw_state **out, char **errmsg)
{
	struct vw_state_opts opts = { .prev = prev, .compile_aside = vwd_compile_aside,
				      .conf = conf };
	struct vw_diag diag = {0};
	int err = vw_state_rebuild(out, config_path, &opts, &diag);

	if (err)
		err = rejected(config_path, &diag, err, errmsg);
	vw_diag_free(&diag);
	return err;
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

static void check_registry_age(struct daemon *d)
{
	const struct vw_state *st = d->st;
	char date[32] = "unknown", detail[PATH_MAX + 160];
	struct tm tm;

	if (st->registry.date && gmtime_r(&st->registry.date, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	vw_log(LOG_INFO, "IEEE registry: %s of %s", st->registry_path, date);
	for (size_t i = 0; i < st->set.n_stats; i++) {
		const struct vw_ouiset_stats *s = &st->set.stats[i];

		vw_log(LOG_INFO, "Vendor group %s: %zu MA-L, %zu MA-M, %zu MA-S blocks (registry of %s)",
		       vw_state_vendor_id(st, s->vendor), s->mal, s->mam, s->mas, date);
	}
	if (!st->registry.date ||
	    time(NULL) - st->registry.date <= (time_t)st->conf.registry_max_age_days * 86400) {
		vwd_recovered(d, "stale-registry", "the registry is recent enough");
		return;
	}
	snprintf(detail, sizeof(detail),
		 "IEEE registry in %s dates from %s, older than %u days; newer blocks of restricted vendors are missing",
		 st->registry_path, date, st->conf.registry_max_age_days);
	vwd_degraded(d, "stale-registry", NULL, detail);
}

void vwd_state_adopted(struct daemon *d)
{
	struct vw_fp_engine *fp = NULL;
	int err;

	/* The engine points into the state's rules: a new state, a new engine.
	 * Devices re-identify on their next announcement; their verdicts stay
	 * in the data plane meanwhile. */
	err = vwd_fp_start(d, d->st, &fp);
	if (err)
		vw_log(LOG_ERR, "Fingerprint engine unavailable: %s; only OUIs are enforced",
		       strerror(-err));
	vw_fp_engine_free(d->fp);
	d->fp = fp;
	join_profiles(d);
	check_registry_age(d);
}

int vwd_reload(struct daemon *d, char **errmsg)
{
	struct vw_state *st = NULL, *old;
	int err;

	sd_notify(0, "RELOADING=1");
	err = vwd_state_load(d->config_path, NULL, d->st, &st, errmsg);
	/* Configured waivers and the operator's decisions share one room. */
	if (!err && vwd_plan_count_decisions(st, &d->ops, time(NULL)) > VWD_MAX_DECISIONS) {
		vw_log(LOG_ERR, "Reload refused: its waivers with the operator's waivers and quarantines exceed %u",
		       VWD_MAX_DECISIONS);
		if (errmsg && asprintf(errmsg, "the configured waivers with the operator's waivers and quarantines exceed %u; the previous policy stays in force",
				       VWD_MAX_DECISIONS) < 0)
			*errmsg = NULL;
		vw_state_free(st);
		err = -ENOSPC;
	} else if (!err) {
		err = vwd_apply(d, st, &d->ops, "configuration reloaded");
		if (err && errmsg)
			*errmsg = strdup("the data plane refused the new policy; the previous one stays in force (see the journal)");
		if (err)
			vw_state_free(st);
	}
	if (err) {
		sd_notify(0, "READY=1");
		return err;
	}
	old = d->st;
	d->st = st;
	vwd_decisions_prune(d);
	vwd_state_adopted(d);
	vwd_switches_apply(d);
	if (vwd_fp_verdicts_sync(d))
		vw_log(LOG_WARNING, "Cannot resize the fingerprint verdicts; the previous limit stays");
	vwd_store_open(d, false);   /* a broken inventory gets another chance */
	if (d->ctl)
		vw_control_set_group(d->ctl, st->conf.control_group);
	vw_alert_policy_loaded(d->profiles, vwd_policy_version(d), st->set.n, vwd_n_segs(d), 1);
	vw_state_free(old);
	vwd_update_status(d);
	sd_notify(0, "READY=1");
	/* The old state's registry rows and prefixes go back to the system. */
	malloc_trim(0);
	return 0;
}
