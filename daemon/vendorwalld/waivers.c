// SPDX-License-Identifier: GPL-2.0-only
/* Waiver expiry (see waivers.h). */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert_ids.h"
#include "decisions.h"
#include "journal.h"
#include "mac.h"
#include "waivers.h"

static void expired_entry(const uint8_t *m)
{
	struct vw_entry e;
	char mac[VW_MAC_STRLEN];

	vw_format_mac(m, mac);
	vw_entry_init(&e, VW_MID_WAIVER_EXPIRED, LOG_WARNING);
	vw_entry_add(&e, "MESSAGE", "Waiver for %s expired; the device is enforced again", mac);
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	vw_entry_send(&e);
}

/* The expired waivers of the plan in force into gone[] (room for all). */
static size_t find_expired(const struct vwd_plan *p, time_t now, struct vwd_waiver *gone)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_waivers; i++)
		if (p->waivers[i].until && p->waivers[i].until <= now)
			gone[n++] = p->waivers[i];
	return n;
}

void vwd_expire_waivers(struct daemon *d)
{
	struct vw_overrides next = {0};
	struct vwd_waiver *gone;
	size_t n;
	int err;

	if (!d->applied || !d->applied->n_waivers)
		return;
	gone = calloc(d->applied->n_waivers, sizeof(*gone));
	if (!gone)
		return;
	n = find_expired(d->applied, time(NULL), gone);
	err = n ? vwd_decisions_clone(&next, &d->ops) : 0;
	for (size_t i = 0; !err && i < n; i++)
		if (gone[i].operator)
			vw_overrides_drop(next.waivers, &next.n_waivers, gone[i].mac);
	/* A configured waiver simply drops out of the next plan. */
	if (!err && n)
		err = vwd_decisions_change(d, &next, NULL, NULL);
	if (err)
		vw_log(LOG_ERR, "Cannot end expired waivers: %s; retrying", strerror(-err));
	/* Announced once enforced: the device is cut off again from here. */
	for (size_t i = 0; !err && i < n; i++)
		expired_entry(gone[i].mac);
	vw_overrides_free(&next);
	free(gone);
}
