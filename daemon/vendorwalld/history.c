// SPDX-License-Identifier: GPL-2.0-only
/* Records in the inventory what was enforced and which degraded states were
 * raised, so `vendorwallctl report` can show an auditor both for a period;
 * says in the log when an enforced profile restricts nothing. */
#include <stdio.h>
#include <syslog.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "vwd.h"

/* The history is a record like the inventory itself: a failed write is
 * not worth a second degraded entry, the next sighting will report it. */
void vwd_history_degraded(struct daemon *d, const char *what, const char *segment,
			  const char *detail)
{
	if (d->inv)
		vw_inventory_add_history(d->inv, "degraded", what, segment, detail, time(NULL));
}

/* One "policy" row per applied state, then the degraded states still in
 * force, so a period that starts after they were raised still shows them. */
void vwd_history_state(struct daemon *d, const struct vw_state *st)
{
	char detail[512], date[16] = "unknown";
	time_t now = time(NULL);
	struct tm tm;

	for (size_t i = 0; i < st->conf.profiles.n; i++) {
		const struct vw_profile *p = vw_policy_profile(&st->policy, st->conf.profiles.v[i]);

		if (p && p->names_none)
			vw_log(LOG_NOTICE, "Profile %s names no vendor and restricts nothing by itself: %s",
			       p->id, p->note ? p->note : "");
	}
	if (!d->inv)
		return;
	if (st->registry.date && gmtime_r(&st->registry.date, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	snprintf(detail, sizeof(detail), "registry=%s profiles=%s", date, d->profiles);
	vw_inventory_add_history(d->inv, "policy", st->version, NULL, detail, now);
	for (size_t i = 0; i < d->n_degraded; i++) {
		char name[200];
		const char *colon = strstr(d->degraded[i], ": ");
		size_t n = colon ? (size_t)(colon - d->degraded[i]) : strlen(d->degraded[i]);

		snprintf(name, sizeof(name), "%.*s", (int)n, d->degraded[i]);
		vw_inventory_add_history(d->inv, "degraded", name, NULL,
					 colon ? colon + 2 : "", now);
	}
}
