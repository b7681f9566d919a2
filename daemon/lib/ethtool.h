/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Receive-VLAN offload over ethtool netlink (genetlink family "ethtool",
 * libmnl). A NIC that parses VLAN tags in hardware (rx-vlan-hw-parse,
 * NETIF_F_HW_VLAN_CTAG_RX) strips them before XDP sees the frame, so a
 * VLAN segment would not be recognised; the daemon switches the feature
 * off on interfaces with VLAN segments and puts it back on detach.
 */
#ifndef VW_ETHTOOL_H
#define VW_ETHTOOL_H

#include <stdbool.h>

#define VW_ETHTOOL_VLAN_RX "rx-vlan-hw-parse"

struct vw_vlan_offload {
	bool active;       /* tags are stripped now */
	bool changeable;   /* the driver lets it be switched */
};

/* Reads the feature of ifindex (in the caller's network namespace).
 * -EOPNOTSUPP when the kernel has no ethtool netlink, -ENODEV. */
int vw_ethtool_vlan_rx_get(int ifindex, struct vw_vlan_offload *out);
/* Switches it; reads it back: -EOPNOTSUPP when the driver kept it as it
 * was (fixed), -EPERM without CAP_NET_ADMIN. */
int vw_ethtool_vlan_rx_set(int ifindex, bool on);

#endif
