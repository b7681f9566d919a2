/* SPDX-License-Identifier: GPL-2.0-only */
/* Bounded under flood: how much the daemon does per ring wakeup, which
 * device alerts go to the journal one by one and which are summed up in
 * one entry, and the data plane's global budgets as degraded states. */
#ifndef VWD_THROTTLE_H
#define VWD_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "vendorwall.h"

/* Records handled per wakeup of a ring before the loop returns to sd-event
 * (control socket, watchdog, timers): enough to keep up with the data
 * plane's global budgets in a few wakeups a second. */
#define VWD_EVENTS_PER_WAKEUP  64
#define VWD_SAMPLES_PER_WAKEUP 16
/* And at most this much time (µs): a control request that arrives while a
 * batch runs waits for it to end, and one record can cost milliseconds on
 * a loaded machine (the inventory, the fingerprint engine). */
#define VWD_BATCH_USEC         2000
/* Device alerts written one by one: a burst, then one a second; the rest
 * of an uncorroborated flood goes into one summary per segment and period. */
#define VWD_ALERT_BURST        60
#define VWD_ALERTS_PER_S       1
#define VWD_SUMMARY_PERIOD_S   10
#define VWD_SUMMARY_MACS       8
/* No refusals by a budget for this many ticks (seconds) ends the state. */
#define VWD_THROTTLE_QUIET_TICKS 60
/* A batch ended by its bound less than this ago: the rings have a backlog
 * (flooded), and counts that walk the inventory are reused this long
 * (status.c). */
#define VWD_FLOODED_USEC       1000000

struct vwd_summary {
	uint64_t devices;          /* alerts summed up since the last summary */
	uint64_t by_verdict[VW_VERDICT_CAPPED + 1];
	uint64_t identified;       /* of them, identified by fingerprint */
	uint8_t macs[VWD_SUMMARY_MACS][6];
	uint32_t n_macs;
};

struct vwd_throttle {
	double tokens;             /* device alerts that may still go one by one */
	uint64_t refilled_usec;    /* CLOCK_MONOTONIC */
	uint64_t last_summary_tick;
	uint64_t denied[VW_BUDGET_MAX];      /* as last read from the data plane */
	uint64_t denied_tick[VW_BUDGET_MAX]; /* tick of the last growth */
	bool denied_read;          /* denied[] holds a reading (pins outlive us) */
	struct vwd_summary seg[VW_MAX_SEGMENTS];
	uint32_t left;             /* records left in this wakeup's batch */
	uint64_t batch_end_usec;   /* CLOCK_MONOTONIC deadline of this batch */
	uint64_t bounded_usec;     /* when a batch last ended by its bound */
};

struct daemon;

/* Whether the alert of ev goes to the journal by itself (true) or into
 * its segment's summary (false, recorded there). A corroborated device
 * (an address in the neighbour table, an exact verdict) always does. */
bool vwd_throttle_alert(struct daemon *d, const struct vw_event *ev, bool corroborated);
/* The same for a fingerprint identification of mac on segment slot. */
bool vwd_throttle_identified(struct daemon *d, uint32_t slot, const uint8_t mac[6],
			     bool corroborated);
/* Once a tick: summaries due, budget refusals as degraded states. */
void vwd_throttle_tick(struct daemon *d);
/* A ring wakeup's batch: at most limit records and VWD_BATCH_USEC. */
/* CLOCK_MONOTONIC in microseconds, the clock of every deadline here. */
uint64_t vwd_now_usec(void);

void vwd_batch_begin(struct daemon *d, uint32_t limit);
void vwd_batch_end(struct daemon *d);
/* For ring callbacks: counts one record of the wakeup's batch; -EAGAIN
 * when it was the last one the batch allows, by count or by time (libbpf
 * then stops consuming and the loop returns to sd-event). */
int vwd_batch_done(struct daemon *d);
/* Whether the rings had more than a batch of work within VWD_FLOODED_USEC. */
bool vwd_flooded(struct daemon *d);
/* Writes every pending summary now (at stop). */
void vwd_throttle_flush(struct daemon *d);

#endif
