// SPDX-License-Identifier: GPL-2.0-only
/* Follows interfaces (hot-plug, delete, rename) and the neighbour table:
 * segments are attached when their interface appears and the addresses of
 * devices are kept for alerts and the inventory. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <systemd/sd-event.h>

#include "ipverdicts.h"
#include "journal.h"
#include "netlink.h"
#include "apply.h"
#include "links.h"

/* Does this link event concern a segment: its interface (by ifindex, or a
 * new one with the configured name) or its quarantine port? */
static bool concerns_segment(struct daemon *d, enum vw_nl_event ev, const struct vw_nl_link *l)
{
	for (size_t i = 0; i < vwd_n_segs(d); i++) {
		struct seg_rt *rt = vwd_seg(d, i);
		const struct vw_segment_conf *sc = vw_state_segment(d->st, rt->name);

		if (rt->ifindex == l->ifindex) {
			/* Gone, or renamed: either way the segment must know. */
			if (ev == VW_NL_LINK_DEL || strcmp(rt->ifname, l->ifname))
				return true;
			continue;
		}
		if (ev == VW_NL_LINK_NEW && !strcmp(rt->conf_ifname, l->ifname))
			return true;
		/* The redirect target's ifindex is resolved when applying. */
		if (sc && sc->quarantine_if[0] && !strcmp(sc->quarantine_if, l->ifname))
			return true;
	}
	return false;
}

static void on_link(void *ctx, enum vw_nl_event ev, const struct vw_nl_link *l)
{
	struct daemon *d = ctx;

	if (!concerns_segment(d, ev, l))
		return;
	if (ev == VW_NL_LINK_DEL) {
		for (size_t i = 0; i < vwd_n_segs(d); i++) {
			struct seg_rt *rt = vwd_seg(d, i);
			struct vw_iface none = {0};

			if (rt->ifindex != l->ifindex)
				continue;
			vw_log(LOG_WARNING, "Interface %s of segment %s is gone; it is attached again when it returns",
			       rt->ifname, rt->name);
			vw_datapath_set_iface(d->dp, rt->ifindex, &none);
			/* The link died with its interface; drop the pin. */
			vw_datapath_detach(d->dp, rt->ifindex);
			rt->ifindex = 0;
		}
	} else {
		for (size_t i = 0; i < vwd_n_segs(d); i++) {
			struct seg_rt *rt = vwd_seg(d, i);

			if (rt->ifindex == l->ifindex && strcmp(rt->ifname, l->ifname)) {
				vw_log(LOG_NOTICE, "Interface %s of segment %s is now called %s; still enforcing",
				       rt->ifname, rt->name, l->ifname);
				snprintf(rt->ifname, sizeof(rt->ifname), "%s", l->ifname);
			}
		}
	}
	/* Re-applying the segments is idempotent and touches only what
	 * differs; doing it after the batch keeps a burst to one pass. */
	d->reapply = true;
}

static void on_neigh(void *ctx, enum vw_nl_event ev, const struct vw_nl_neigh *n)
{
	struct daemon *d = ctx;
	const void *addr = n->family == AF_INET ? (const void *)&n->addr.v4 : (const void *)&n->addr.v6;
	bool added = false;

	if (n->mac[0] & 0x01)   /* multicast neighbours are no devices */
		return;
	vwd_ipv_neigh(d, ev == VW_NL_NEIGH_DEL, n->mac, n->family, addr);
	if (ev == VW_NL_NEIGH_DEL) {
		vw_addrbook_del(&d->addrs, n->mac, n->family, addr);
		return;
	}
	if (vw_addrbook_add(&d->addrs, n->mac, n->family, addr, &added) || !added || !d->inv)
		return;
	/* Only known devices get addresses: -ENOENT for the rest is expected. */
	vw_inventory_add_address(d->inv, n->mac, n->family, addr, time(NULL));
}

static void on_dump(void *ctx, bool complete)
{
	struct daemon *d = ctx;

	if (complete)
		d->nl_synced = true;
}

static const struct vw_nl_ops ops = {
	.link = on_link,
	.neigh = on_neigh,
	.dump = on_dump,
};

static int on_readable(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *d = userdata;
	int err = vw_netlink_dispatch(d->nl);

	if (err) {
		/* The contract: a failed handle is replaced, with a fresh dump. */
		vw_log(LOG_WARNING, "Netlink: %s; reopening", strerror(-err));
		sd_event_source_unref(d->nl_src);
		d->nl_src = NULL;
		vw_netlink_close(d->nl);
		d->nl = NULL;
		if (vwd_netlink_open(d))
			vw_log(LOG_ERR, "Netlink unavailable: interface changes are no longer followed");
		return 0;
	}
	if (d->reapply) {
		d->reapply = false;
		err = vwd_apply_links(d);
		if (err)
			vw_log(LOG_WARNING, "Not every segment is enforced: %s", strerror(-err));
	}
	return 0;
}

int vwd_netlink_open(struct daemon *d)
{
	int err;

	err = vw_netlink_open(&d->nl, &ops, d);
	if (err)
		return err;
	err = sd_event_add_io(d->loop, &d->nl_src, vw_netlink_fd(d->nl), EPOLLIN, on_readable, d);
	if (err < 0) {
		vw_netlink_close(d->nl);
		d->nl = NULL;
		return err;
	}
	return 0;
}

/* Reads the initial dump before READY=1 (subscribe, dump, READY), so
 * addresses are known and no interface appeared unseen. Bounded. */
int vwd_netlink_sync(struct daemon *d, int timeout_ms)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (d->nl && !d->nl_synced) {
		struct pollfd p = { .fd = vw_netlink_fd(d->nl), .events = POLLIN };
		int err;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 > timeout_ms)
			return -ETIMEDOUT;
		if (poll(&p, 1, 50) < 0 && errno != EINTR)
			return -errno;
		err = vw_netlink_dispatch(d->nl);
		if (err)
			return err;
	}
	return 0;
}

void vwd_netlink_close(struct daemon *d)
{
	sd_event_source_unref(d->nl_src);
	d->nl_src = NULL;
	vw_netlink_close(d->nl);
	d->nl = NULL;
}
