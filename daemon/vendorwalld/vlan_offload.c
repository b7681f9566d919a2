// SPDX-License-Identifier: GPL-2.0-only
/* rx-vlan-hw-parse off on interfaces with VLAN segments (vlan_offload.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "ethtool.h"
#include "health.h"
#include "journal.h"
#include "vlan_offload.h"

/* Interfaces whose offload we switched off (ifindex, 0 = free): ours to
 * restore. Kept in memory: a daemon killed before detaching leaves the
 * feature off, which is the safe side for enforcement. */
static int switched[VW_MAX_SEGMENTS];

static void key_of(char *key, size_t len, const char *ifname)
{
	snprintf(key, len, "vlan-offload:%s", ifname);
}

static void remember(int ifindex)
{
	for (size_t i = 0; i < VW_MAX_SEGMENTS; i++)
		if (switched[i] == ifindex)
			return;
	for (size_t i = 0; i < VW_MAX_SEGMENTS; i++)
		if (!switched[i]) {
			switched[i] = ifindex;
			return;
		}
}

/* What the interface's VLAN segments ask: 0 none, 1 off wanted, -1 kept on. */
static int wanted(const struct vwd_plan *plan, int ifindex)
{
	int w = 0;

	for (size_t i = 0; i < plan->n_segs; i++) {
		const struct seg_rt *rt = &plan->segs[i];

		if (rt->ifindex != ifindex || rt->vlan <= 0)
			continue;
		if (!rt->disable_vlan_offload)
			return -1;
		w = 1;
	}
	return w;
}

void vwd_vlan_offload_attach(struct daemon *d, const struct vwd_plan *plan, int ifindex,
			     const char *ifname)
{
	struct vw_vlan_offload o;
	char key[64], why[160];
	int w = wanted(plan, ifindex), err;

	key_of(key, sizeof(key), ifname);
	if (!w)
		return;
	err = vw_ethtool_vlan_rx_get(ifindex, &o);
	if (err) {
		snprintf(why, sizeof(why), "cannot read receive-VLAN offload (%s): VLAN tags may be hidden from XDP",
			 strerror(-err));
		vwd_degraded(d, key, NULL, why);
		return;
	}
	if (!o.active) {
		vwd_recovered(d, key, "receive-VLAN offload is off");
		return;
	}
	if (w < 0) {
		vwd_degraded(d, key, NULL, "receive-VLAN offload is on (DisableVlanOffload=no): the NIC strips "
			     "VLAN tags before XDP, so frames of VLAN segments are not recognised");
		return;
	}
	err = o.changeable ? vw_ethtool_vlan_rx_set(ifindex, false) : -EOPNOTSUPP;
	if (err) {
		snprintf(why, sizeof(why), "cannot switch receive-VLAN offload off (%s): the NIC strips VLAN "
			 "tags before XDP", err == -EOPNOTSUPP ? "the driver does not allow it" : strerror(-err));
		vwd_degraded(d, key, NULL, why);
		return;
	}
	remember(ifindex);
	vw_log(LOG_INFO, "Switched receive-VLAN offload (%s) off on %s: its VLAN segments need the tags",
	       VW_ETHTOOL_VLAN_RX, ifname);
	vwd_recovered(d, key, "receive-VLAN offload switched off");
}

void vwd_vlan_offload_detach(struct daemon *d, int ifindex, const char *ifname)
{
	char key[64];
	int err;

	key_of(key, sizeof(key), ifname);
	vwd_recovered(d, key, "interface released");
	for (size_t i = 0; i < VW_MAX_SEGMENTS; i++) {
		if (switched[i] != ifindex)
			continue;
		switched[i] = 0;
		err = vw_ethtool_vlan_rx_set(ifindex, true);
		if (err)
			vw_log(LOG_WARNING, "Could not switch receive-VLAN offload back on on %s: %s",
			       ifname, strerror(-err));
		else
			vw_log(LOG_INFO, "Switched receive-VLAN offload back on on %s", ifname);
	}
}
