// SPDX-License-Identifier: GPL-2.0-only
/* Bounded under flood (see throttle.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert_ids.h"
#include "health.h"
#include "journal.h"
#include "mac.h"
#include "names.h"
#include "throttle.h"
#include "vwd.h"

uint64_t vwd_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static bool take_alert_token(struct vwd_throttle *t)
{
	uint64_t now = vwd_now_usec();

	if (!t->refilled_usec)
		t->tokens = VWD_ALERT_BURST;
	else
		t->tokens += (double)(now - t->refilled_usec) * VWD_ALERTS_PER_S / 1e6;
	if (t->tokens > VWD_ALERT_BURST)
		t->tokens = VWD_ALERT_BURST;
	t->refilled_usec = now;
	if (t->tokens < 1)
		return false;
	t->tokens -= 1;
	return true;
}

/* Spends a token either way, so a flood of uncorroborated devices cannot
 * hide behind a trickle of corroborated ones. NULL: alert by itself. */
static struct vwd_summary *summed_up(struct daemon *d, uint32_t slot, const uint8_t mac[6],
				     bool corroborated)
{
	struct vwd_summary *s;

	if (take_alert_token(&d->throttle) || corroborated || slot >= VW_MAX_SEGMENTS)
		return NULL;
	s = &d->throttle.seg[slot];
	s->devices++;
	if (s->n_macs < VWD_SUMMARY_MACS)
		memcpy(s->macs[s->n_macs++], mac, 6);
	return s;
}

bool vwd_throttle_alert(struct daemon *d, const struct vw_event *ev, bool corroborated)
{
	struct vwd_summary *s = summed_up(d, ev->slot, ev->mac, corroborated);

	if (s && ev->verdict <= VW_VERDICT_CAPPED)
		s->by_verdict[ev->verdict]++;
	return !s;
}

bool vwd_throttle_identified(struct daemon *d, uint32_t slot, const uint8_t mac[6],
			     bool corroborated)
{
	struct vwd_summary *s = summed_up(d, slot, mac, corroborated);

	if (s)
		s->identified++;
	return !s;
}

/* "dropped 12, would-drop 3" for the outcomes seen. */
static void format_outcomes(const struct vwd_summary *s, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int v = 0; v <= VW_VERDICT_CAPPED && n < len; v++) {
		if (!s->by_verdict[v])
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s %llu", n ? ", " : "",
				      vw_outcome_name(v), (unsigned long long)s->by_verdict[v]);
	}
	if (s->identified && n < len)
		snprintf(buf + n, len - n, "%sidentified by fingerprint %llu", n ? ", " : "",
			 (unsigned long long)s->identified);
}

static void summary_entry(struct daemon *d, uint32_t slot, const struct vwd_summary *s,
			  uint64_t period_s)
{
	struct seg_rt *seg = vwd_plan_seg_by_slot(d->applied, slot);
	const char *name = seg ? seg->name : "unmanaged";
	char macs[VWD_SUMMARY_MACS * (VW_MAC_STRLEN + 1)] = "", outcomes[160];
	struct vw_entry e;
	size_t n = 0;

	for (uint32_t i = 0; i < s->n_macs; i++) {
		if (i)
			macs[n++] = ' ';
		vw_format_mac(s->macs[i], macs + n);
		n += strlen(macs + n);
	}
	format_outcomes(s, outcomes, sizeof(outcomes));
	vw_entry_init(&e, VW_MID_ALERTS_SUMMARY, LOG_WARNING);
	vw_entry_add(&e, "MESSAGE", "%llu more restricted device(s) on segment %s in the last %llu s, alerts summed up under flood (%s): %s%s; every one is in the inventory",
		     (unsigned long long)s->devices, name, (unsigned long long)period_s, outcomes,
		     macs, s->devices > s->n_macs ? " ..." : "");
	vw_entry_add(&e, "VW_SEGMENT", "%s", name);
	vw_entry_add(&e, "VW_DEVICES", "%llu", (unsigned long long)s->devices);
	vw_entry_add(&e, "VW_MACS", "%s", macs);
	vw_entry_add(&e, "VW_PERIOD", "%llu", (unsigned long long)period_s);
	vw_entry_add(&e, "VW_POLICY_VERSION", "%s", vwd_policy_version(d));
	vw_entry_send(&e);
}

void vwd_throttle_flush(struct daemon *d)
{
	struct vwd_throttle *t = &d->throttle;
	uint64_t period = d->ticks - t->last_summary_tick;

	for (uint32_t slot = 0; slot < VW_MAX_SEGMENTS; slot++) {
		if (!t->seg[slot].devices)
			continue;
		summary_entry(d, slot, &t->seg[slot], period ? period : 1);
		t->seg[slot] = (struct vwd_summary){0};
	}
	t->last_summary_tick = d->ticks;
}

static const char *const budget_key[VW_BUDGET_MAX] = {
	[VW_BUDGET_EVENTS] = "throttled:events",
	[VW_BUDGET_SAMPLES] = "throttled:samples",
};

static void budget_detail(struct daemon *d, unsigned int id, char *buf, size_t len)
{
	const struct vw_config *cfg = &d->applied->cfg;

	if (id == VW_BUDGET_EVENTS)
		snprintf(buf, len, "more restricted devices than the global alert budget of %u/s; the others are counted (event_throttled) and reported when the budget allows",
			 cfg->events_per_s);
	else
		snprintf(buf, len, "more management frames than the global sample budget of %u/s; the others are not fingerprinted",
			 cfg->samples_per_s);
}

/* A budget refusing records is a degraded state until it has been quiet. */
static void check_budgets(struct daemon *d)
{
	struct vwd_throttle *t = &d->throttle;
	uint64_t denied[VW_BUDGET_MAX];
	char detail[256];

	if (!d->dp || !d->applied || vw_datapath_budget_denied(d->dp, denied))
		return;
	for (unsigned int id = 0; id < VW_BUDGET_MAX; id++) {
		if (t->denied_read && denied[id] > t->denied[id]) {
			budget_detail(d, id, detail, sizeof(detail));
			vwd_degraded(d, budget_key[id], NULL, detail);
			t->denied_tick[id] = d->ticks;
		} else if (d->ticks - t->denied_tick[id] >= VWD_THROTTLE_QUIET_TICKS) {
			vwd_recovered(d, budget_key[id], "no records refused for a minute");
		}
		t->denied[id] = denied[id];
	}
	t->denied_read = true;
}

void vwd_throttle_tick(struct daemon *d)
{
	check_budgets(d);
	if (d->ticks - d->throttle.last_summary_tick >= VWD_SUMMARY_PERIOD_S)
		vwd_throttle_flush(d);
}

void vwd_batch_begin(struct daemon *d, uint32_t limit)
{
	d->throttle.left = limit;
	d->throttle.batch_end_usec = vwd_now_usec() + VWD_BATCH_USEC;
}

void vwd_batch_end(struct daemon *d)
{
	d->throttle.left = 0;
}

int vwd_batch_done(struct daemon *d)
{
	struct vwd_throttle *t = &d->throttle;

	/* 0 = unbounded (a caller outside a ring wakeup). */
	if (!t->left)
		return 0;
	if (--t->left && vwd_now_usec() < t->batch_end_usec)
		return 0;
	t->left = 0;
	t->bounded_usec = vwd_now_usec();
	return -EAGAIN;
}

bool vwd_flooded(struct daemon *d)
{
	uint64_t at = d->throttle.bounded_usec;

	return at && vwd_now_usec() - at < VWD_FLOODED_USEC;
}
