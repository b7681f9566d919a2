// SPDX-License-Identifier: GPL-2.0-only
/* Records in the inventory what was enforced and which degraded states were
 * raised, so `vendorwallctl report` can show an auditor both for a period;
 * says in the log when an enforced profile restricts nothing. */
#include <stdio.h>
#include <syslog.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "journal.h"

/* The history is a record like the inventory itself: a failed write is
 * not worth a second degraded entry, the next sighting will report it. */
void vwd_history_degraded(struct daemon *d, const char *key, const char *segment,
			  const char *detail)
{
	if (d->inv)
		vw_inventory_add_history(d->inv, "degraded", key, segment, detail, time(NULL));
}

static void note_empty_profiles(const struct vw_state *st)
{
	for (size_t i = 0; i < st->conf.profiles.n; i++) {
		const struct vw_profile *p = vw_policy_profile(&st->policy, st->conf.profiles.v[i]);

		if (p && p->names_none)
			vw_log(LOG_NOTICE, "Profile %s names no vendor and restricts nothing by itself: %s",
			       p->id, p->note ? p->note : "");
	}
}

void vwd_history_state(struct daemon *d, const struct vw_state *st)
{
	const char *version = vwd_policy_version(d);
	char detail[512], date[16] = "unknown";
	time_t now = time(NULL);
	struct tm tm;

	/* Said once per policy, not per operator command. */
	if (strcmp(d->noted_state_version, st->version)) {
		snprintf(d->noted_state_version, sizeof(d->noted_state_version), "%s", st->version);
		note_empty_profiles(st);
	}
	/* Interface events re-apply the same enforcement: one row per change. */
	if (!d->inv || !strcmp(d->history_version, version))
		return;
	snprintf(d->history_version, sizeof(d->history_version), "%s", version);
	if (st->registry.date && gmtime_r(&st->registry.date, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	snprintf(detail, sizeof(detail), "registry=%s profiles=%s", date, d->profiles);
	vw_inventory_add_history(d->inv, "policy", version, NULL, detail, now);
	for (size_t i = 0; i < d->degraded.n; i++)
		vw_inventory_add_history(d->inv, "degraded", d->degraded.v[i].key, NULL,
					 d->degraded.v[i].detail, now);
}
