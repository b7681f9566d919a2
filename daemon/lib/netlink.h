/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Follows the kernel's interfaces and neighbour table over rtnetlink and
 * reports every change, from the initial dump and from notifications alike,
 * through one set of callbacks.
 *
 * Lifecycle. vw_netlink_open() subscribes to RTNLGRP_LINK and RTNLGRP_NEIGH
 * and only then asks for a dump of links (then neighbours), so no change can
 * fall between dump and subscription. Nothing is delivered before the first
 * vw_netlink_dispatch(): open never calls back. Poll vw_netlink_fd() for
 * POLLIN (level-triggered, e.g. sd_event_add_io with EPOLLIN) and call
 * dispatch on any event, POLLERR included (that is how an overrun shows);
 * dispatch never blocks and reads a bounded number of datagrams per call,
 * so a notification storm cannot starve the event loop (the fd stays
 * readable and the loop comes back).
 *
 * Links. LINK_NEW for a new interface and for every change of an existing
 * one (flags, rename: same ifindex, new name); LINK_DEL when it is gone
 * (deleted or moved to another namespace). Bridge-port messages
 * (AF_BRIDGE) are not interface lifecycle and are not reported.
 *
 * Neighbours. IPv4 (ARP) and IPv6 (NDP) entries only: bridge FDB and proxy
 * entries are not reported. NEIGH_NEW when an entry has a 6-byte link-layer
 * address in a valid state (NUD_REACHABLE, STALE, DELAY, PROBE, PERMANENT,
 * NOARP); NEIGH_DEL when it is deleted or turns INCOMPLETE/FAILED (no
 * usable address any more). A DEL may name an entry never reported as NEW:
 * handle DEL idempotently. mac is all-zero in a DEL without an address.
 * NOARP entries include multicast mappings (01:00:5e:…, 33:33:…); filter
 * on state or on the group bit if they do not matter.
 *
 * Dump cycles and lost events. When the kernel drops notifications (socket
 * overrun, ENOBUFS) or reports an inconsistent dump, everything already
 * queued is discarded and a new full dump starts. The optional dump
 * callback brackets every cycle, the first one included: complete=false
 * when a cycle starts (what was reported earlier may be stale: mark it),
 * complete=true when links and neighbours have both been dumped (drop what
 * was marked and not reported since). A cycle cut short by another loss
 * is not completed: complete=false comes again. The first complete=true
 * after open is the moment the initial state is known (READY=1).
 *
 * Callbacks run inside vw_netlink_dispatch() and must not close the handle.
 * Every function returns 0 or a negative errno. After dispatch fails the
 * handle's view is unknown: close it and open a new one.
 */
#ifndef VW_NETLINK_H
#define VW_NETLINK_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct vw_netlink;

enum vw_nl_event {
	VW_NL_LINK_NEW,
	VW_NL_LINK_DEL,
	VW_NL_NEIGH_NEW,
	VW_NL_NEIGH_DEL,
};

struct vw_nl_link {
	int ifindex;
	char ifname[IF_NAMESIZE];       /* "" when the kernel sent none */
	unsigned flags;                 /* IFF_* */
};

struct vw_nl_neigh {
	int ifindex;
	uint8_t mac[6];                 /* all-zero in a DEL without an address */
	int family;                     /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t state;                 /* NUD_* */
};

struct vw_nl_ops {
	void (*link)(void *ctx, enum vw_nl_event ev, const struct vw_nl_link *l);
	void (*neigh)(void *ctx, enum vw_nl_event ev, const struct vw_nl_neigh *n);
	/* Optional: brackets each dump cycle, see above. */
	void (*dump)(void *ctx, bool complete);
};

/* Subscribes, then requests the dumps; the socket is non-blocking and close-on-exec. ops is copied. */
int vw_netlink_open(struct vw_netlink **out, const struct vw_nl_ops *ops, void *ctx);
int vw_netlink_fd(const struct vw_netlink *nl);
/* Reads what is available (at most a bounded batch) and calls ops; 0 when nothing was pending. */
int vw_netlink_dispatch(struct vw_netlink *nl);
void vw_netlink_close(struct vw_netlink *nl);

#endif
