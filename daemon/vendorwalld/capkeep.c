// SPDX-License-Identifier: GPL-2.0-only
/* vw_cap_blocked housekeeping. The map's values are jiffies of admission,
 * and the daemon cannot read the kernel's jiffies clock, so ages are kept
 * here on the monotonic clock: an admission is "active" when first seen by
 * a scan and whenever its device is reported again (vw_alerted's last
 * report changed: a device still sending is reminded once per
 * AlertInterval). It is forgotten once inactive for the configured age. A
 * restart makes every admission active again, which only delays. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "capkeep.h"
#include "health.h"
#include "journal.h"
#include "throttle.h"

#define FULL_PERCENT 90
#define SCAN_MAX_USEC (300ULL * 1000000)

struct admission {
	struct vw_cap_entry e;
	uint64_t active_usec;      /* monotonic: first seen or last reported */
};

struct vwd_capkeep {
	struct admission *v;       /* sorted by (mac, slot) */
	size_t n, capacity;
	uint64_t next_scan_usec;
	uint64_t forgotten;
	uint64_t throttled[VW_MAX_SEGMENTS];  /* reports not made, at the last scan */
	bool scanned;
};

static int cmp_key(const void *a, const void *b)
{
	const struct vw_cap_entry *x = a, *y = b;

	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* A device on a segment whose reports were throttled or lost since the
 * last scan may have been reminded without vw_alerted showing it: nothing
 * on that segment counts as quiet this time. */
static void noisy_segments(struct daemon *d, bool noisy[VW_MAX_SEGMENTS])
{
	struct vwd_capkeep *k = d->capkeep;
	uint64_t ctr[VW_CTR_MAX];

	for (size_t i = 0; i < vwd_n_segs(d); i++) {
		uint32_t slot = vwd_seg(d, i)->slot;
		uint64_t t;

		if (slot >= VW_MAX_SEGMENTS || vw_datapath_read_counters(d->dp, slot, ctr))
			continue;
		t = ctr[VW_CTR_EVENT_THROTTLED] + ctr[VW_CTR_EVENT_LOST];
		noisy[slot] = t != k->throttled[slot];
		k->throttled[slot] = t;
	}
}

/* The age after which a quiet admission goes: never below two alert
 * intervals, or a device still sending could look quiet between two of
 * its reminders. */
static uint64_t max_age_usec(const struct daemon *d)
{
	uint64_t age = d->st->conf.cap_blocked_max_age_s, alert = d->st->conf.alert_interval_s;

	return (age > 2 * alert ? age : 2 * alert) * 1000000ULL;
}

/* Carries each admission's activity over from the last scan and removes
 * the quiet ones; cur (sorted) becomes the new table. */
static void sweep(struct daemon *d, struct admission *cur, size_t n, uint64_t now)
{
	struct vwd_capkeep *k = d->capkeep;
	bool noisy[VW_MAX_SEGMENTS] = { false };
	uint64_t age = max_age_usec(d);
	struct vw_cap_entry *gone = calloc(n ? n : 1, sizeof(*gone));
	size_t kept = 0, n_gone = 0;
	int err;

	noisy_segments(d, noisy);
	for (size_t i = 0; i < n; i++) {
		struct admission *a = &cur[i];
		const struct admission *p = bsearch(&a->e, k->v, k->n, sizeof(*k->v), cmp_key);
		bool same = p && p->e.admitted == a->e.admitted && p->e.reported == a->e.reported;

		a->active_usec = same && !(a->e.slot < VW_MAX_SEGMENTS && noisy[a->e.slot]) ?
				 p->active_usec : now;
		/* Without memory for the list, nothing goes this time. */
		if (gone && now - a->active_usec >= age)
			gone[n_gone++] = a->e;
		else
			cur[kept++] = *a;
	}
	err = n_gone ? vw_datapath_cap_forget(d->dp, gone, n_gone) : 0;
	if (err)
		vw_log(LOG_WARNING, "Cannot forget quarantine-cap admissions: %s", strerror(-err));
	else
		k->forgotten += n_gone;
	free(gone);
	free(k->v);
	k->v = cur;
	k->n = kept;
}

static void report_fill(struct daemon *d)
{
	struct vwd_capkeep *k = d->capkeep;
	char detail[192];

	if (k->capacity && k->n * 100 >= k->capacity * FULL_PERCENT) {
		snprintf(detail, sizeof(detail),
			 "vw_cap_blocked holds %zu of %zu admissions under the quarantine cap; "
			 "when full, new devices are blocked without being remembered",
			 k->n, k->capacity);
		vwd_degraded(d, "cap-blocked-full", NULL, detail);
	} else {
		vwd_recovered(d, "cap-blocked-full", "admissions of quiet devices forgotten");
	}
}

static int scan(struct daemon *d, uint64_t now)
{
	struct vwd_capkeep *k = d->capkeep;
	struct vw_cap_entry *list;
	struct admission *cur;
	size_t n;
	int err = vw_datapath_cap_list(d->dp, &list, &n, &k->capacity);

	if (err)
		return err;
	cur = calloc(n ? n : 1, sizeof(*cur));
	if (!cur) {
		free(list);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		cur[i].e = list[i];
	free(list);
	qsort(cur, n, sizeof(*cur), cmp_key);
	sweep(d, cur, n, now);
	k->scanned = true;
	report_fill(d);
	return 0;
}

void vwd_cap_tick(struct daemon *d)
{
	uint64_t now = vwd_now_usec(), every;
	int err;

	if (!d->dp)
		return;
	if (!d->capkeep && !(d->capkeep = calloc(1, sizeof(*d->capkeep)))) {
		vw_log(LOG_ERR, "Cannot keep the quarantine-cap admissions: out of memory");
		return;
	}
	if (now < d->capkeep->next_scan_usec)
		return;
	/* Eight scans per age: an admission goes at most an eighth late. */
	every = max_age_usec(d) / 8;
	every = every < 1000000 ? 1000000 : every > SCAN_MAX_USEC ? SCAN_MAX_USEC : every;
	d->capkeep->next_scan_usec = now + every;
	err = scan(d, now);
	if (err)
		vw_log(LOG_WARNING, "Cannot read the quarantine-cap admissions: %s", strerror(-err));
}

struct json_object *vwd_cap_json(const struct daemon *d)
{
	const struct vwd_capkeep *k = d->capkeep;
	struct json_object *o;

	if (!k || !k->scanned || !(o = json_object_new_object()))
		return NULL;
	json_object_object_add(o, "entries", json_object_new_int64((int64_t)k->n));
	json_object_object_add(o, "capacity", json_object_new_int64((int64_t)k->capacity));
	json_object_object_add(o, "forgotten", json_object_new_int64((int64_t)k->forgotten));
	return o;
}

void vwd_capkeep_free(struct daemon *d)
{
	if (!d->capkeep)
		return;
	free(d->capkeep->v);
	free(d->capkeep);
	d->capkeep = NULL;
}
