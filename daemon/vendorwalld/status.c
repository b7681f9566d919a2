// SPDX-License-Identifier: GPL-2.0-only
/* STATUS= for the service manager. */
#include <stdio.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "names.h"
#include "status.h"
#include "vwd.h"

/* The count of idx and key, when it may be used instead of a new one: the
 * daemon is flooded and it is younger than VWD_FLOODED_USEC. */
static const struct vwd_count *count_cached(struct daemon *d, uint32_t idx, const char *key)
{
	const struct vwd_count *c;

	if (idx > VW_MAX_SEGMENTS || !vwd_flooded(d))
		return NULL;
	c = &d->counts.by_slot[idx];
	if (!c->at_usec || strcmp(c->key, key) || vwd_now_usec() - c->at_usec >= VWD_FLOODED_USEC)
		return NULL;
	return c;
}

static void count_store(struct daemon *d, uint32_t idx, const char *key, size_t n)
{
	struct vwd_count *c;

	if (idx > VW_MAX_SEGMENTS)
		return;
	c = &d->counts.by_slot[idx];
	snprintf(c->key, sizeof(c->key), "%s", key);
	c->n = n;
	c->at_usec = vwd_now_usec();
}

size_t vwd_status_devices(struct daemon *d, const struct seg_rt *rt)
{
	uint32_t idx = rt ? rt->slot : VW_MAX_SEGMENTS;
	const char *key = rt ? rt->name : "";
	const struct vwd_count *c = count_cached(d, idx, key);
	struct vw_inventory_filter f = { .segment = key };
	size_t n = 0;
	int err;

	if (c)
		return c->n;
	if (!d->inv)
		return 0;
	err = rt ? vw_inventory_count_matching(d->inv, &f, &n) : vw_inventory_count(d->inv, &n);
	if (err)
		return 0;
	count_store(d, idx, key, n);
	return n;
}

void vwd_update_status(struct daemon *d)
{
	char buf[512];
	size_t off = 0, devices = vwd_status_devices(d, NULL);

	off += snprintf(buf, sizeof(buf), "STATUS=%zu segment(s):", vwd_n_segs(d));
	for (size_t i = 0; i < vwd_n_segs(d) && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, " %s=%s%s", vwd_seg(d, i)->name,
				vw_mode_name(vwd_seg(d, i)->mode),
				vwd_seg(d, i)->ifindex ? "" : "(absent)");
	if (off < sizeof(buf))
		snprintf(buf + off, sizeof(buf) - off, "; %zu restricted device(s) known", devices);
	sd_notify(0, buf);
}
