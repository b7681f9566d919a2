// SPDX-License-Identifier: GPL-2.0-only
/* Attach and detach (see attach.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <syslog.h>

#include "alert.h"
#include "attach.h"
#include "health.h"
#include "journal.h"
#include "vlan_offload.h"

static void generic_key(char *key, size_t len, const char *ifname)
{
	snprintf(key, len, "generic-xdp:%s", ifname);
}

static void attach_segment(struct daemon *d, const struct vwd_plan *plan, struct seg_rt *rt)
{
	char key[64];
	int err;

	generic_key(key, sizeof(key), rt->ifname);
	err = vw_datapath_attach(d->dp, rt->ifindex, &rt->attach);
	if (err) {
		vw_alert_attach_failed(rt->name, rt->ifname, err);
		return;
	}
	if (rt->attach == VW_ATTACH_GENERIC)
		vwd_degraded(d, key, rt->name,
			     "the driver refused native XDP; running in generic (skb) mode, which is slower");
	else
		vwd_recovered(d, key, "attached in native mode");
	vwd_vlan_offload_attach(d, plan, rt->ifindex, rt->ifname);
}

static void detach_unused(struct daemon *d, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	char key[64];

	for (size_t i = 0; prev && i < prev->n_segs; i++) {
		const struct seg_rt *rt = &prev->segs[i];

		if (!rt->ifindex || vwd_plan_has_iface(next, rt->ifindex))
			continue;
		vw_datapath_detach(d->dp, rt->ifindex);
		vwd_vlan_offload_detach(d, rt->ifindex, rt->ifname);
		generic_key(key, sizeof(key), rt->ifname);
		vwd_recovered(d, key, "interface no longer configured");
	}
}

void vwd_attach_plan(struct daemon *d, const struct vwd_plan *prev, struct vwd_plan *next)
{
	detach_unused(d, prev, next);
	for (size_t i = 0; i < next->n_segs; i++) {
		struct seg_rt *rt = &next->segs[i];
		bool done = false;

		if (!rt->ifindex) {
			vw_alert_attach_failed(rt->name, rt->ifname, -ENODEV);
			continue;
		}
		/* One attach per interface is enough; VLAN segments share it. */
		for (size_t j = 0; j < i && !done; j++) {
			if (next->segs[j].ifindex == rt->ifindex) {
				rt->attach = next->segs[j].attach;
				done = true;
			}
		}
		if (!done)
			attach_segment(d, next, rt);
	}
}

void vwd_detach_stale(struct daemon *d)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s", d->st->conf.bpf_root, VW_PIN_LINKS_DIR);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		static const struct vw_iface none;
		int ifindex;

		if (sscanf(de->d_name, "xdp_%d", &ifindex) != 1 || vwd_plan_has_iface(d->applied, ifindex))
			continue;
		vw_datapath_set_iface(d->dp, ifindex, &none);
		vw_datapath_detach(d->dp, ifindex);
		vw_log(LOG_INFO, "Detached from ifindex %d: no longer configured", ifindex);
	}
	closedir(dir);
}
