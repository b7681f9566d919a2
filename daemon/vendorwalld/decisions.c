// SPDX-License-Identifier: GPL-2.0-only
/* Operator decisions as one step (see decisions.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "apply.h"
#include "decisions.h"
#include "health.h"
#include "journal.h"

int vwd_decisions_clone(struct vw_overrides *dst, const struct vw_overrides *src)
{
	int err = 0;

	for (size_t i = 0; !err && i < src->n; i++) {
		const struct vw_mode_override *v = &src->v[i];

		err = vw_overrides_set(dst, v->segment, v->mode, v->configured, v->since, v->uid);
	}
	for (size_t i = 0; !err && i < src->n_waivers; i++)
		err = vw_overrides_put(&dst->waivers, &dst->n_waivers, &src->waivers[i]);
	for (size_t i = 0; !err && i < src->n_quarantines; i++)
		err = vw_overrides_put(&dst->quarantines, &dst->n_quarantines, &src->quarantines[i]);
	if (err)
		vw_overrides_free(dst);
	return err;
}

static int save(struct daemon *d, const struct vw_overrides *o)
{
	int err = vw_overrides_save(o, d->ops_path);

	if (!err)
		vwd_recovered(d, "operator-state", "operator decisions saved again");
	return err;
}

/* Room in vw_device is the first thing checked: a decision past it is
 * refused before anything, file or map, is touched. */
static int check_room(struct daemon *d, const struct vw_overrides *next, char **errmsg)
{
	size_t n = vwd_plan_count_decisions(d->st, next, time(NULL));

	if (n <= VWD_MAX_DECISIONS)
		return 0;
	if (errmsg && asprintf(errmsg, "no room: waivers and quarantines together are limited to %u (this would make %zu); release or revoke one first",
			       VWD_MAX_DECISIONS, n) < 0)
		*errmsg = NULL;
	return -ENOSPC;
}

int vwd_decisions_change(struct daemon *d, struct vw_overrides *next, const char *why,
			 char **errmsg)
{
	int err = check_room(d, next, errmsg);

	if (err)
		return err;
	err = save(d, next);
	if (err) {
		/* The new file may be in place with only the directory sync
		 * failed: the previous decisions go back, or a refused
		 * command would take effect at the next start. */
		if (save(d, &d->ops))
			vw_log(LOG_ERR, "Cannot restore operator decisions in %s", d->ops_path);
		if (errmsg && asprintf(errmsg, "cannot save operator decisions in %s (%s); nothing changed",
				       d->ops_path, strerror(-err)) < 0)
			*errmsg = NULL;
		return err;
	}
	err = vwd_apply(d, d->st, next, why);
	if (err) {
		if (save(d, &d->ops))
			vw_log(LOG_ERR, "Cannot restore operator decisions in %s", d->ops_path);
		if (errmsg)
			*errmsg = strdup("the data plane refused the change; nothing changed (see the journal)");
		return err;
	}
	vw_overrides_free(&d->ops);
	d->ops = *next;
	*next = (struct vw_overrides){0};
	return 0;
}

void vwd_decisions_prune(struct daemon *d)
{
	bool dropped = false;

	for (size_t i = 0; i < d->ops.n;) {
		const struct vw_segment_conf *sc = vw_state_segment(d->st, d->ops.v[i].segment);

		if (sc && sc->mode == d->ops.v[i].configured) {
			i++;
			continue;
		}
		vw_overrides_remove(&d->ops, d->ops.v[i].segment);
		dropped = true;
	}
	if (dropped && save(d, &d->ops))
		vw_log(LOG_WARNING, "Cannot save operator decisions to %s", d->ops_path);
}
