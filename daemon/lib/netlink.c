// SPDX-License-Identifier: GPL-2.0-only
/* Turns rtnetlink link and neighbour messages, dumped or notified, into vw_nl_ops callbacks. */
#include "netlink.h"    /* first: <net/if.h> must precede the <linux/if.h> that libnl pulls in */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>

/*
 * Headroom for bursts between two dispatches (a mass link flap, an ARP
 * sweep: roughly 10k notifications). Memory is only used while messages
 * are queued; the daemon has CAP_NET_ADMIN and may exceed rmem_max.
 * Beyond that, an overrun costs a re-dump, not correctness.
 */
#define VW_NL_RCVBUF (8 << 20)
/* Datagrams read per dispatch before the event loop gets a turn. */
#define VW_NL_BUDGET 256
/* The kernel's NUD_VALID (include/net/neighbour.h, not UAPI): states that carry a usable lladdr. */
#define VW_NUD_VALID (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY)

enum dump_kind { DUMP_NONE, DUMP_LINKS, DUMP_NEIGHS };

struct vw_netlink {
	struct nl_sock *sk;
	struct nl_cb *cb;
	struct vw_nl_ops ops;
	void *ctx;
	enum dump_kind running;         /* the dump whose replies are arriving */
	uint32_t dump_seq;              /* its request's sequence number */
	enum dump_kind next;            /* the dump to request once none is running */
	bool announce;                  /* a cycle started; ops.dump(false) not yet delivered */
	bool resync;                    /* events were lost: discard the queue, then dump again */
	int err;                        /* -errno from a callback, returned by dispatch */
};

/* libnl reports NLE_* codes; callers of this file speak errno. */
static int nlerr(int e)
{
	switch (e < 0 ? -e : e) {
	case NLE_NOMEM:             return -ENOMEM;
	case NLE_AGAIN:             return -EAGAIN;
	case NLE_BAD_SOCK:          return -EBADF;
	case NLE_INVAL:             return -EINVAL;
	case NLE_PERM:              return -EPERM;
	case NLE_NOACCESS:          return -EACCES;
	case NLE_EXIST:             return -EEXIST;
	case NLE_BUSY:              return -EBUSY;
	case NLE_AF_NOSUPPORT:      return -EAFNOSUPPORT;
	case NLE_PROTO_MISMATCH:    return -EPROTONOSUPPORT;
	case NLE_OPNOTSUPP:         return -EOPNOTSUPP;
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:      return -EBADMSG;
	default:                    return -EIO;
	}
}

static bool is_dump_reply(const struct vw_netlink *nl, const struct nlmsghdr *h)
{
	/* Notifications carry the portid and seq of whoever caused them, so both must match. */
	return nl->running != DUMP_NONE && h->nlmsg_seq == nl->dump_seq &&
	       h->nlmsg_pid == nl_socket_get_local_port(nl->sk);
}

/* Events were dropped or a dump was inconsistent: only a new full dump restores the view. */
static void lost(struct vw_netlink *nl)
{
	nl->resync = true;
	nl->next = DUMP_NONE;
}

static int request_dump(struct vw_netlink *nl, enum dump_kind kind)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct ndmsg ndm = { .ndm_family = AF_UNSPEC };     /* IPv4 and IPv6, not the bridge FDB */
	struct nl_msg *msg;
	int r;

	msg = nlmsg_alloc_simple(kind == DUMP_LINKS ? RTM_GETLINK : RTM_GETNEIGH, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	if (kind == DUMP_LINKS)
		r = nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	else
		r = nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO);
	if (r < 0) {
		r = nlerr(r);
		goto out;
	}
	r = nl_send_auto(nl->sk, msg);
	if (r < 0) {
		r = nlerr(r);
		goto out;
	}
	nl->dump_seq = nlmsg_hdr(msg)->nlmsg_seq;
	nl->running = kind;
	nl->next = DUMP_NONE;
	if (kind == DUMP_LINKS)
		nl->announce = true;
	r = 0;
out:
	nlmsg_free(msg);
	return r;
}

static void report_link(struct vw_netlink *nl, int type, struct rtnl_link *link)
{
	struct vw_nl_link l = { 0 };
	const char *name = rtnl_link_get_name(link);

	if (!nl->ops.link)
		return;
	l.ifindex = rtnl_link_get_ifindex(link);
	if (l.ifindex <= 0)
		return;
	if (name)
		snprintf(l.ifname, sizeof(l.ifname), "%s", name);
	l.flags = rtnl_link_get_flags(link);
	nl->ops.link(nl->ctx, type == RTM_NEWLINK ? VW_NL_LINK_NEW : VW_NL_LINK_DEL, &l);
}

static void report_neigh(struct vw_netlink *nl, int type, struct rtnl_neigh *ne)
{
	struct vw_nl_neigh n = { 0 };
	struct nl_addr *dst = rtnl_neigh_get_dst(ne);
	struct nl_addr *ll = rtnl_neigh_get_lladdr(ne);
	int state = rtnl_neigh_get_state(ne);
	unsigned alen;
	bool has_mac;

	n.family = rtnl_neigh_get_family(ne);
	if (n.family == AF_INET)
		alen = sizeof(n.addr.v4);
	else if (n.family == AF_INET6)
		alen = sizeof(n.addr.v6);
	else
		return;
	if (!nl->ops.neigh)
		return;
	if (!dst || nl_addr_get_family(dst) != n.family || nl_addr_get_len(dst) != alen)
		return;
	memcpy(&n.addr, nl_addr_get_binary_addr(dst), alen);
	n.ifindex = rtnl_neigh_get_ifindex(ne);
	n.state = state < 0 ? 0 : (uint16_t)state;
	/* Other lengths (tunnels, InfiniBand) are not Ethernet stations we could attribute. */
	has_mac = ll && nl_addr_get_len(ll) == sizeof(n.mac);
	if (has_mac)
		memcpy(n.mac, nl_addr_get_binary_addr(ll), sizeof(n.mac));
	if (type == RTM_NEWNEIGH && has_mac && (n.state & VW_NUD_VALID))
		nl->ops.neigh(nl->ctx, VW_NL_NEIGH_NEW, &n);
	else
		nl->ops.neigh(nl->ctx, VW_NL_NEIGH_DEL, &n);
}

struct parse_arg {
	struct vw_netlink *nl;
	int type;
};

static void on_object(struct nl_object *obj, void *arg)
{
	struct parse_arg *pa = arg;

	if (pa->type == RTM_NEWLINK || pa->type == RTM_DELLINK)
		report_link(pa->nl, pa->type, (struct rtnl_link *)obj);
	else
		report_neigh(pa->nl, pa->type, (struct rtnl_neigh *)obj);
}

/*
 * Whether a message is about an interface (family AF_UNSPEC) or an
 * IPv4/IPv6 neighbour. AF_BRIDGE link messages describe bridge ports (a
 * DELLINK there means "left the bridge") and AF_BRIDGE neighbours are the
 * FDB. Only the wire header tells: libnl's link object reports AF_BRIDGE
 * for every bridge device too.
 */
static bool wanted(const struct nlmsghdr *h)
{
	const struct ifinfomsg *ifi = nlmsg_data(h);
	const struct ndmsg *ndm = nlmsg_data(h);

	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return nlmsg_valid_hdr(h, sizeof(*ifi)) && ifi->ifi_family == AF_UNSPEC;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		/* Proxy entries answer for others and have no address of their own. */
		return nlmsg_valid_hdr(h, sizeof(*ndm)) && !(ndm->ndm_flags & NTF_PROXY) &&
		       (ndm->ndm_family == AF_INET || ndm->ndm_family == AF_INET6);
	default:
		return false;
	}
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct vw_netlink *nl = arg;
	struct parse_arg pa = { .nl = nl, .type = nlmsg_hdr(msg)->nlmsg_type };
	int r;

	/* While resyncing, everything queued is older than the dump to come. */
	if (nl->resync || !wanted(nlmsg_hdr(msg)))
		return NL_SKIP;
	r = nl_msg_parse(msg, on_object, &pa);
	/* An event we could not deliver is a lost event; a malformed one would fail again on a re-dump. */
	if (r == -NLE_NOMEM)
		lost(nl);
	return NL_OK;
}

static void dump_failed(struct vw_netlink *nl, int error)
{
	nl->running = DUMP_NONE;
	nl->next = DUMP_NONE;
	if (!nl->err)
		nl->err = error < 0 ? error : -EIO;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct vw_netlink *nl = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	enum dump_kind done = nl->running;

	if (!is_dump_reply(nl, h))
		return NL_OK;
	/* The kernel puts a dump's own failure into NLMSG_DONE's payload. */
	if (nlmsg_datalen(h) >= (int)sizeof(int) && *(int *)nlmsg_data(h) < 0) {
		dump_failed(nl, *(int *)nlmsg_data(h));
		return NL_OK;
	}
	nl->running = DUMP_NONE;
	if (nl->resync)
		return NL_OK;
	if (done == DUMP_LINKS)
		nl->next = DUMP_NEIGHS;         /* one dump at a time per socket, or EBUSY */
	else if (nl->ops.dump)
		nl->ops.dump(nl->ctx, true);
	return NL_OK;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct vw_netlink *nl = arg;

	if (is_dump_reply(nl, &e->msg))
		dump_failed(nl, e->error);
	return NL_SKIP;
}

/* NLM_F_DUMP_INTR: the table changed under the dump, which may have skipped entries. */
static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	lost(arg);
	return NL_OK;   /* NL_SKIP would also skip NLMSG_DONE and leave the dump running forever */
}

static int on_overrun(struct nl_msg *msg, void *arg)
{
	lost(arg);
	return NL_SKIP;
}

/* Notifications carry other senders' sequence numbers: libnl's strict ordering check does not apply. */
static int seq_any(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/*
 * 1 when a datagram is queued, 0 when none, -ENOBUFS after an overrun.
 * The kernel reports a pending socket error before queued data, which is
 * how an overrun is told apart from libnl's NLE_NOMEM (its ENOBUFS too).
 */
static int pending(struct vw_netlink *nl)
{
	char c;

	for (;;) {
		if (recv(nl_socket_get_fd(nl->sk), &c, sizeof(c), MSG_PEEK | MSG_DONTWAIT) >= 0)
			return 1;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int vw_netlink_dispatch(struct vw_netlink *nl)
{
	int reads = 0, r;

	if (!nl)
		return -EINVAL;
	for (;;) {
		/* A follow-up request is sent whatever comes next: a quiet fd would never bring us back. */
		if (nl->running == DUMP_NONE && nl->next != DUMP_NONE) {
			r = request_dump(nl, nl->next);
			if (r < 0)
				goto out;
		}
		if (nl->announce) {
			nl->announce = false;
			if (nl->ops.dump)
				nl->ops.dump(nl->ctx, false);
		}
		r = pending(nl);
		if (r == -ENOBUFS) {
			lost(nl);
			continue;
		}
		if (r < 0)
			goto out;
		if (r == 0) {
			/* Queue drained and no dump running: what comes next is newer than the loss. */
			if (nl->resync && nl->running == DUMP_NONE) {
				nl->resync = false;
				nl->next = DUMP_LINKS;
				continue;
			}
			break;
		}
		/* Only with data pending: the fd stays readable and brings the loop back. */
		if (reads++ == VW_NL_BUDGET)
			break;
		r = nl_recvmsgs_report(nl->sk, nl->cb);
		if (nl->err) {
			r = nl->err;
			nl->err = 0;
			goto out;
		}
		/* ENOBUFS while libnl reads on through a multipart reply arrives as NLE_NOMEM. */
		if (r == -NLE_NOMEM)
			lost(nl);
		else if (r < 0 && r != -NLE_AGAIN) {
			r = nlerr(r);
			goto out;
		}
	}
	r = 0;
out:
	return r;
}

static int set_rcvbuf(int fd)
{
	int size = VW_NL_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) == 0)
		return 0;
	/* Without CAP_NET_ADMIN: as much as net.core.rmem_max allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) == 0)
		return 0;
	return -errno;
}

int vw_netlink_open(struct vw_netlink **out, const struct vw_nl_ops *ops, void *ctx)
{
	struct vw_netlink *nl = NULL;
	int r;

	if (out)
		*out = NULL;
	if (!out || !ops)
		return -EINVAL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->ops = *ops;
	nl->ctx = ctx;
	nl->sk = nl_socket_alloc();
	nl->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->sk || !nl->cb) {
		r = -ENOMEM;
		goto out;
	}
	/* Dumps end in NLMSG_DONE and errors are sent anyway; ACKs would only add traffic. */
	nl_socket_disable_auto_ack(nl->sk);
	/* Size the read buffer by peeking, so a large dump datagram is never truncated. */
	nl_socket_enable_msg_peek(nl->sk);
	nl_cb_set(nl->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);
	nl_cb_set(nl->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, nl);
	/* Not libnl's default NL_STOP, which would drop the rest of the datagram. */
	nl_cb_set(nl->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, nl);
	nl_cb_set(nl->cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, nl);
	nl_cb_set(nl->cb, NL_CB_OVERRUN, NL_CB_CUSTOM, on_overrun, nl);
	nl_cb_err(nl->cb, NL_CB_CUSTOM, on_error, nl);

	r = nl_connect(nl->sk, NETLINK_ROUTE);
	if (r < 0) {
		r = nlerr(r);
		goto out;
	}
	r = set_rcvbuf(nl_socket_get_fd(nl->sk));
	if (r < 0)
		goto out;
	r = nl_socket_set_nonblocking(nl->sk);
	if (r < 0) {
		r = nlerr(r);
		goto out;
	}
	/* Subscribe before dumping: a change during the dump then shows up as a notification. */
	r = nl_socket_add_memberships(nl->sk, RTNLGRP_LINK, RTNLGRP_NEIGH, 0);
	if (r < 0) {
		r = nlerr(r);
		goto out;
	}
	r = request_dump(nl, DUMP_LINKS);
	if (r < 0)
		goto out;
	*out = nl;
	nl = NULL;
	r = 0;
out:
	vw_netlink_close(nl);
	return r;
}

int vw_netlink_fd(const struct vw_netlink *nl)
{
	return nl ? nl_socket_get_fd(nl->sk) : -EINVAL;
}

void vw_netlink_close(struct vw_netlink *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);         /* closes the fd */
	nl_cb_put(nl->cb);
	free(nl);
}
