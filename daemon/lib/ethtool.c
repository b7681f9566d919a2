// SPDX-License-Identifier: GPL-2.0-only
/* rx-vlan-hw-parse over ethtool netlink with libmnl (ethtool.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>

#include "ethtool.h"

struct gnl {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	uint16_t family;
};

static struct nlmsghdr *gnl_msg(char *buf, uint16_t type, uint8_t cmd, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = ETHTOOL_GENL_VERSION;
	return nlh;
}

/* Sends nlh and runs cb over the replies up to the ACK or DONE. */
static int gnl_talk(struct gnl *g, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	/* A features reply names every feature in three bitsets: larger than
	 * MNL_SOCKET_BUFFER_SIZE, and a truncated message is lost. */
	const size_t size = 64 * 1024;
	char *buf;
	ssize_t n;
	int r;

	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	do {
		n = mnl_socket_recvfrom(g->nl, buf, size);
		if (n < 0) {
			r = -errno;
			break;
		}
		r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, g->portid, cb, data);
		if (r < 0)
			r = -errno;
	} while (r == MNL_CB_OK);
	free(buf);
	return r < 0 ? r : 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID && mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int gnl_open(struct gnl *g)
{
	char buf[256];
	struct nlmsghdr *nlh;
	int r;

	*g = (struct gnl){ .seq = (uint32_t)time(NULL) };
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl)
		return -errno;
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto fail;
	}
	g->portid = mnl_socket_get_portid(g->nl);
	nlh = gnl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK, ++g->seq);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
	r = gnl_talk(g, nlh, family_cb, &g->family);
	if (r == -ENOENT || (!r && !g->family))
		r = -EOPNOTSUPP;   /* a kernel without ethtool netlink (< 5.6) */
	if (r)
		goto fail;
	return 0;
fail:
	mnl_socket_close(g->nl);
	g->nl = NULL;
	return r;
}

/* Whether the feature's bit is set in a verbose bitset: in list form
 * (ETHTOOL_A_BITSET_NOMASK) a bit is set when it is listed, otherwise when
 * its entry has ETHTOOL_A_BITSET_BIT_VALUE. */
static bool bitset_has(const struct nlattr *set)
{
	const struct nlattr *bits, *bit, *a;
	bool list = false;

	mnl_attr_for_each_nested(a, set)
		if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_NOMASK)
			list = true;
	mnl_attr_for_each_nested(bits, set) {
		if (mnl_attr_get_type(bits) != ETHTOOL_A_BITSET_BITS)
			continue;
		mnl_attr_for_each_nested(bit, bits) {
			bool named = false, value = false;

			mnl_attr_for_each_nested(a, bit) {
				if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_BIT_NAME &&
				    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
					named = !strcmp(mnl_attr_get_str(a), VW_ETHTOOL_VLAN_RX);
				else if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_BIT_VALUE)
					value = true;
			}
			if (named)
				return list || value;
		}
	}
	return false;
}

struct features {
	bool active, hw, nochange, seen;
};

static int features_cb(const struct nlmsghdr *nlh, void *data)
{
	struct features *f = data;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case ETHTOOL_A_FEATURES_ACTIVE: f->active = bitset_has(a); f->seen = true; break;
		case ETHTOOL_A_FEATURES_HW: f->hw = bitset_has(a); break;
		case ETHTOOL_A_FEATURES_NOCHANGE: f->nochange = bitset_has(a); break;
		}
	}
	return MNL_CB_OK;
}

static void put_header(struct nlmsghdr *nlh, int ifindex)
{
	struct nlattr *h = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_HEADER);

	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, (uint32_t)ifindex);
	mnl_attr_nest_end(nlh, h);
}

static int features_get(struct gnl *g, int ifindex, struct vw_vlan_offload *out)
{
	char buf[256];
	struct nlmsghdr *nlh = gnl_msg(buf, g->family, ETHTOOL_MSG_FEATURES_GET, NLM_F_ACK, ++g->seq);
	struct features f = {0};
	int r;

	/* List-form bitsets (no ETHTOOL_FLAG_COMPACT_BITSETS): bits by name,
	 * the set ones marked, so no index of ours can drift from the kernel's. */
	put_header(nlh, ifindex);
	r = gnl_talk(g, nlh, features_cb, &f);
	if (r)
		return r;
	if (!f.seen)
		return -EBADMSG;
	out->active = f.active;
	out->changeable = f.hw && !f.nochange;
	return 0;
}

int vw_ethtool_vlan_rx_get(int ifindex, struct vw_vlan_offload *out)
{
	struct gnl g;
	int r = gnl_open(&g);

	if (r)
		return r;
	r = features_get(&g, ifindex, out);
	mnl_socket_close(g.nl);
	return r;
}

int vw_ethtool_vlan_rx_set(int ifindex, bool on)
{
	char buf[512];
	struct vw_vlan_offload now;
	struct nlmsghdr *nlh;
	struct nlattr *set, *bits, *bit;
	struct gnl g;
	int r = gnl_open(&g);

	if (r)
		return r;
	nlh = gnl_msg(buf, g.family, ETHTOOL_MSG_FEATURES_SET, NLM_F_ACK, ++g.seq);
	put_header(nlh, ifindex);
	/* A bitset with a mask of one bit: only this feature changes. */
	set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_WANTED);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
	mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, VW_ETHTOOL_VLAN_RX);
	if (on)
		mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
	mnl_attr_nest_end(nlh, bit);
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, set);
	r = gnl_talk(&g, nlh, NULL, NULL);
	/* The kernel accepts a request it cannot honour (a fixed feature) and
	 * says so only in the reply's bitsets: read it back. */
	if (!r)
		r = features_get(&g, ifindex, &now);
	if (!r && now.active != on)
		r = -EOPNOTSUPP;
	mnl_socket_close(g.nl);
	return r;
}
