// SPDX-License-Identifier: GPL-2.0-only
/* Switch polling workers and their mailbox (see switches.h); what is found
 * is reported by switchreport.c. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-event.h>

#include "journal.h"
#include "snmpwalk.h"
#include "switches.h"
#include "switchstate.h"

/* How long the daemon's exit waits for pollers in the middle of a request. */
#define VWD_SWITCH_EXIT_WAIT_S 3

static bool streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Same switch, same credentials, same bounds: the worker can stay. */
static bool conf_equal(const struct vw_switch_conf *a, const struct vw_switch_conf *b)
{
	return streq(a->name, b->name) && streq(a->address, b->address) && a->port == b->port &&
	       a->version == b->version && streq(a->community, b->community) &&
	       streq(a->user, b->user) && a->auth_proto == b->auth_proto &&
	       streq(a->auth_password, b->auth_password) && a->priv_proto == b->priv_proto &&
	       streq(a->priv_password, b->priv_password) && a->interval_s == b->interval_s &&
	       a->timeout_ms == b->timeout_ms && a->retries == b->retries &&
	       a->max_rows == b->max_rows && a->max_bytes == b->max_bytes;
}

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	return src && !(*dst = strdup(src)) ? -ENOMEM : 0;
}

static int conf_copy(struct vw_switch_conf *dst, const struct vw_switch_conf *src)
{
	int r = 0;

	*dst = *src;
	r |= dup_str(&dst->name, src->name);
	r |= dup_str(&dst->address, src->address);
	r |= dup_str(&dst->community, src->community);
	r |= dup_str(&dst->user, src->user);
	r |= dup_str(&dst->auth_password, src->auth_password);
	r |= dup_str(&dst->priv_password, src->priv_password);
	r |= dup_str(&dst->file, src->file);
	return r ? -ENOMEM : 0;
}

static void result_free(struct vwd_switch_result *res)
{
	if (!res)
		return;
	vw_snmp_tables_free(&res->t);
	free(res);
}

static void switch_free(struct vwd_switch *sw)
{
	if (!sw)
		return;
	result_free(sw->pending);
	vw_switchconf_free(sw->conf, 1);
	free(sw->seen);
	pthread_mutex_destroy(&sw->lock);
	pthread_cond_destroy(&sw->cond);
	free(sw);
}

/* Waits for the next poll; false when told to stop. */
static bool sleep_interval(struct vwd_switch *sw)
{
	struct timespec until;
	bool stop;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += sw->conf->interval_s;
	pthread_mutex_lock(&sw->lock);
	while (!atomic_load(&sw->stop) &&
	       pthread_cond_timedwait(&sw->cond, &sw->lock, &until) != ETIMEDOUT)
		;
	stop = atomic_load(&sw->stop);
	pthread_mutex_unlock(&sw->lock);
	return !stop;
}

static void *worker(void *arg)
{
	struct vwd_switch *sw = arg;
	struct vw_snmp_limits lim = { sw->conf->max_rows, sw->conf->max_bytes };
	struct vwd_switch_result *res, *old;
	uint64_t one = 1;
	struct timespec t0, t1;

	do {
		res = calloc(1, sizeof(*res));
		if (!res)
			continue;   /* try again next interval */
		vw_snmp_tables_init(&res->t, &lim);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res->err = vwd_snmp_walk(sw->conf, &res->t, &sw->stop, res->detail,
					 sizeof(res->detail));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		res->took_ms = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
			       (uint64_t)(t1.tv_nsec / 1000000) - (uint64_t)(t0.tv_nsec / 1000000);
		res->at = time(NULL);
		if (res->err == -ECANCELED) {
			result_free(res);
			break;
		}
		/* The mailbox holds one result: an unread older one is
		 * superseded, so a stalled loop costs one table per switch. */
		pthread_mutex_lock(&sw->lock);
		old = sw->pending;
		sw->pending = res;
		pthread_mutex_unlock(&sw->lock);
		result_free(old);
		/* A failed write is a saturated counter: still readable. */
		(void)!write(sw->efd, &one, sizeof(one));
	} while (sleep_interval(sw));
	return NULL;
}

static int switch_start(struct vwd_switches *s, const struct vw_switch_conf *c,
			struct vwd_switch **out)
{
	struct vwd_switch *sw = calloc(1, sizeof(*sw));
	pthread_condattr_t ca;
	int err;

	if (!sw)
		return -ENOMEM;
	pthread_mutex_init(&sw->lock, NULL);
	/* Intervals are measured on the monotonic clock, as the loop's are. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sw->cond, &ca);
	pthread_condattr_destroy(&ca);
	sw->efd = s->efd;
	sw->conf = calloc(1, sizeof(*sw->conf));
	err = sw->conf ? conf_copy(sw->conf, c) : -ENOMEM;
	if (!err)
		err = -pthread_create(&sw->thread, NULL, worker, sw);
	if (err) {
		switch_free(sw);
		return err;
	}
	*out = sw;
	return 0;
}

static void switch_signal_stop(struct vwd_switch *sw)
{
	pthread_mutex_lock(&sw->lock);
	atomic_store(&sw->stop, true);
	pthread_cond_broadcast(&sw->cond);
	pthread_mutex_unlock(&sw->lock);
}

/* Retired workers end on their own (within one request's timeout); they
 * are joined here without waiting, from the event loop, or at exit until
 * deadline. Returns how many are still running. */
static size_t reap_retired(struct vwd_switches *s, const struct timespec *deadline)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n_retired; i++) {
		struct vwd_switch *sw = s->retired[i];

		if (deadline ? pthread_timedjoin_np(sw->thread, NULL, deadline)
			     : pthread_tryjoin_np(sw->thread, NULL))
			s->retired[k++] = sw;
		else
			switch_free(sw);
	}
	s->n_retired = k;
	return k;
}

static int retire(struct vwd_switches *s, struct vwd_switch *sw)
{
	struct vwd_switch **v = realloc(s->retired, (s->n_retired + 1) * sizeof(*v));

	switch_signal_stop(sw);
	if (!v) {
		/* No room to keep it for later: wait for it now (bounded). */
		pthread_join(sw->thread, NULL);
		switch_free(sw);
		return -ENOMEM;
	}
	s->retired = v;
	s->retired[s->n_retired++] = sw;
	return 0;
}

static int on_mailbox(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct daemon *d = userdata;
	struct vwd_switches *s = d->switches;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return 0;
	reap_retired(s, NULL);
	for (size_t i = 0; i < s->n; i++) {
		struct vwd_switch *sw = s->v[i];
		struct vwd_switch_result *res;

		pthread_mutex_lock(&sw->lock);
		res = sw->pending;
		sw->pending = NULL;
		pthread_mutex_unlock(&sw->lock);
		if (res)
			vwd_switch_report(d, sw, res);
		result_free(res);
	}
	return 0;
}

static int switches_open(struct daemon *d)
{
	char dir[PATH_MAX];
	struct vwd_switches *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->efd < 0) {
		err = -errno;
		free(s);
		return err;
	}
	err = sd_event_add_io(d->loop, &s->src, s->efd, EPOLLIN, on_mailbox, d);
	if (err < 0) {
		close(s->efd);
		free(s);
		return err;
	}
	snprintf(dir, sizeof(dir), "%s/snmp", d->st->conf.runtime_dir);
	err = vwd_snmp_global_init(dir);
	if (err) {
		sd_event_source_disable_unref(s->src);
		close(s->efd);
		free(s);
		return err == -ENOENT ? -ELIBACC : -ELIBBAD;
	}
	d->switches = s;
	return 0;
}

/* The worker for c: the running one when its configuration is the same. */
static struct vwd_switch *take_same(struct vwd_switches *s, const struct vw_switch_conf *c)
{
	for (size_t i = 0; i < s->n; i++) {
		struct vwd_switch *sw = s->v[i];

		if (sw && conf_equal(sw->conf, c)) {
			s->v[i] = NULL;
			return sw;
		}
	}
	return NULL;
}

int vwd_switches_apply(struct daemon *d)
{
	const struct vw_daemon_conf *conf = &d->st->conf;
	struct vwd_switches *s;
	struct vwd_switch **next;
	size_t n = 0;
	int err = 0, e;

	if (!d->switches && !conf->n_switches)
		return 0;
	if (!d->switches && (err = switches_open(d)) < 0) {
		vw_log(LOG_ERR, "Cannot start switch polling: %s", strerror(-err));
		return err;
	}
	s = d->switches;
	next = calloc(conf->n_switches ? conf->n_switches : 1, sizeof(*next));
	if (!next)
		return -ENOMEM;
	for (size_t i = 0; i < conf->n_switches; i++) {
		const struct vw_switch_conf *c = &conf->switches[i];

		next[n] = take_same(s, c);
		if (!next[n] && (e = switch_start(s, c, &next[n])) < 0) {
			vw_log(LOG_ERR, "Cannot start polling switch %s: %s", c->name, strerror(-e));
			err = err ?: e;
			continue;
		}
		n++;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i])
			continue;
		vwd_switch_forget(d, s->v[i]);
		retire(s, s->v[i]);
	}
	free(s->v);
	s->v = next;
	s->n = n;
	return err;
}

void vwd_switches_free(struct daemon *d)
{
	struct vwd_switches *s = d->switches;
	struct timespec deadline;
	size_t left;

	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		switch_signal_stop(s->v[i]);
	/* Everyone is retired now; a worker in the middle of a request ends
	 * within Timeout= x (Retries= + 1), which may be long: the wait is
	 * capped, and one still running is left to the process's exit (with
	 * its memory and the eventfd it may still write to). */
	for (size_t i = 0; i < s->n; i++)
		retire(s, s->v[i]);
	s->n = 0;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += VWD_SWITCH_EXIT_WAIT_S;
	left = reap_retired(s, &deadline);
	if (left) {
		vw_log(LOG_WARNING, "%zu switch poller(s) still waiting for an answer at exit: not waited for",
		       left);
		d->switches = NULL;
		return;
	}
	free(s->retired);
	free(s->v);
	sd_event_source_disable_unref(s->src);
	close(s->efd);
	free(s);
	d->switches = NULL;
}
