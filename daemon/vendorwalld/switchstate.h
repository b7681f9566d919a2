/* SPDX-License-Identifier: GPL-2.0-only */
/* The switch pollers' shared state, between switches.c (workers, mailbox)
 * and switchreport.c (what the event loop makes of a poll). */
#ifndef VWD_SWITCHSTATE_H
#define VWD_SWITCHSTATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include <systemd/sd-event.h>

#include "snmppoll.h"
#include "switchconf.h"
#include "vwd.h"

/* One poll, made by the worker, read by the loop. */
struct vwd_switch_result {
	struct vw_snmp_tables t;
	int err;                      /* vwd_snmp_walk() */
	char detail[256];
	time_t at;
	uint64_t took_ms;
};

/* A device reported from this switch, so the next poll only says what is
 * new: a device that appeared or moved to another port. */
struct vwd_switch_seen {
	uint8_t mac[6];
	char port[64];
};

enum vwd_switch_state { VWD_SW_NEVER = 0, VWD_SW_OK, VWD_SW_DOWN };

struct vwd_switch {
	struct vw_switch_conf *conf;          /* the worker's own copy */
	pthread_t thread;
	pthread_mutex_t lock;                 /* pending, stop + cond */
	pthread_cond_t cond;
	atomic_bool stop;
	int efd;                              /* the mailbox's eventfd (not owned) */
	struct vwd_switch_result *pending;    /* one slot */
	/* The event loop's view; only the loop touches these. */
	enum vwd_switch_state state;
	time_t last_poll, last_ok;
	size_t rows, found;
	bool truncated;
	uint64_t took_ms;
	char detail[256];
	struct vwd_switch_seen *seen;  size_t n_seen;
};

struct vwd_switches {
	struct vwd_switch **v;        size_t n;
	struct vwd_switch **retired;  size_t n_retired;  /* stopping, not yet joined */
	int efd;
	sd_event_source *src;
};

void vwd_switch_report(struct daemon *d, struct vwd_switch *sw, const struct vwd_switch_result *res);
/* A switch no longer configured: its degraded entries go. */
void vwd_switch_forget(struct daemon *d, struct vwd_switch *sw);

#endif
