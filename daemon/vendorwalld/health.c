// SPDX-License-Identifier: GPL-2.0-only
/* Degraded conditions in the journal and in the manager's set. */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "alert.h"
#include "journal.h"
#include "health.h"
#include "history.h"

void vwd_degraded(struct daemon *d, const char *key, const char *segment, const char *detail)
{
	const struct vwd_degraded_entry *e = vwd_degraded_get(&d->degraded, key);
	char what[64];
	int r;

	/* A repeated condition with the same detail is not news. */
	if (e && !strcmp(e->detail, detail))
		return;
	r = vwd_degraded_set(&d->degraded, key, detail);
	if (r < 0)
		vw_log(LOG_ERR, "Cannot record degraded condition %s: out of memory", key);
	snprintf(what, sizeof(what), "%.*s", (int)strcspn(key, ":"), key);
	vw_alert_degraded(what, segment, detail);
	vwd_history_degraded(d, key, segment, detail);
}

void vwd_recovered(struct daemon *d, const char *key, const char *why)
{
	struct vw_entry e;

	if (vwd_degraded_clear(&d->degraded, key) <= 0)
		return;
	vw_entry_init(&e, NULL, LOG_NOTICE);
	vw_entry_add(&e, "MESSAGE", "No longer degraded: %s (%s)", key, why);
	vw_entry_add(&e, "VW_DEGRADED_CLEARED", "%s", key);
	vw_entry_send(&e);
}
