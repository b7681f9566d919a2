// SPDX-License-Identifier: GPL-2.0-only
/* Commits a plan to the data plane with rollback (see commit.h). Each step
 * writes values before anything points at them: segments before the
 * interfaces that select them, devices before the bitmap that sends frames
 * to look them up, deletions last. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"

static unsigned fail_nth;
static enum vwd_commit_step fail_step;

void vwd_commit_fail_after(unsigned nth, enum vwd_commit_step step)
{
	fail_nth = nth;
	fail_step = step;
}

static int step_config(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	return vw_datapath_set_config(dp, &next->cfg);
}

static int step_segments(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	for (size_t i = 0; i < next->n_segs; i++) {
		int err = vw_datapath_set_segment(dp, next->segs[i].slot, &next->segs[i].seg);

		if (err)
			return err;
	}
	return 0;
}

static int step_vlans(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	for (size_t i = 0; i < next->n_vlans; i++) {
		const struct vwd_vlan_row *v = &next->vlans[i];
		int err = vw_datapath_set_vlan(dp, v->row, v->vid, v->slot);

		if (err)
			return err;
	}
	return 0;
}

static int step_ifaces(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	for (size_t i = 0; i < next->n_ifaces; i++) {
		int err = vw_datapath_set_iface(dp, next->ifaces[i].ifindex, &next->ifaces[i].ifc);

		if (err)
			return err;
	}
	return 0;
}

static bool vlan_in(const struct vwd_plan *p, const struct vwd_vlan_row *v)
{
	for (size_t i = 0; i < p->n_vlans; i++)
		if (p->vlans[i].row == v->row && p->vlans[i].vid == v->vid)
			return true;
	return false;
}

static bool slot_in(const struct vwd_plan *p, uint32_t slot)
{
	for (size_t i = 0; i < p->n_segs; i++)
		if (p->segs[i].slot == slot)
			return true;
	return false;
}

static bool iface_in(const struct vwd_plan *p, int ifindex)
{
	for (size_t i = 0; i < p->n_ifaces; i++)
		if (p->ifaces[i].ifindex == ifindex)
			return true;
	return false;
}

static int step_unused(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	static const struct vw_iface none;
	static const struct vw_segment off;
	int err = 0;

	for (size_t i = 0; prev && !err && i < prev->n_ifaces; i++)
		if (!iface_in(next, prev->ifaces[i].ifindex))
			err = vw_datapath_set_iface(dp, prev->ifaces[i].ifindex, &none);
	for (size_t i = 0; prev && !err && i < prev->n_vlans; i++)
		if (!vlan_in(next, &prev->vlans[i]))
			err = vw_datapath_set_vlan(dp, prev->vlans[i].row, prev->vlans[i].vid, 0);
	for (size_t i = 0; prev && !err && i < prev->n_segs; i++)
		if (!slot_in(next, prev->segs[i].slot))
			err = vw_datapath_set_segment(dp, prev->segs[i].slot, &off);
	return err;
}

/* The pinned map is reconciled with the plan on every commit, not diffed
 * against the previous plan: it may hold an earlier run's decisions (a
 * waiver that expired or was removed from the file while no daemon ran,
 * an operator.json moved aside) or bits a plan we never made set. Every
 * waiver and quarantine bit the plan lacks goes; a bit already there is
 * not written again (a reload with 4,000 unchanged decisions wrote 4,000
 * entries). */
static int cmp_entry(const void *a, const void *b)
{
	uint64_t x = vw_mac_to_u64(((const struct vw_device_entry *)a)->mac);
	uint64_t y = vw_mac_to_u64(((const struct vw_device_entry *)b)->mac);

	return x < y ? -1 : x > y;
}

/* The flags devs (sorted) holds for mac, 0 when absent. */
static uint32_t flags_of(const struct vw_device_entry *devs, size_t n, const uint8_t mac[6])
{
	struct vw_device_entry k = { 0 };
	const struct vw_device_entry *e;

	memcpy(k.mac, mac, 6);
	e = bsearch(&k, devs, n, sizeof(*devs), cmp_entry);
	return e ? e->flags : 0;
}

static int step_devices(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	struct vw_device_entry *devs = NULL;
	size_t n = 0;
	int err = vw_datapath_list_devices(dp, &devs, &n);

	if (err)
		return err;
	qsort(devs, n, sizeof(*devs), cmp_entry);
	for (size_t i = 0; !err && i < next->n_waivers; i++)
		if (!(flags_of(devs, n, next->waivers[i].mac) & VW_DEV_WAIVED))
			err = vw_datapath_device_flags(dp, next->waivers[i].mac, VW_DEV_WAIVED, 0);
	for (size_t i = 0; !err && i < next->n_quarantined; i++)
		if (!(flags_of(devs, n, next->quarantined[i].mac) & VW_DEV_QUARANTINED))
			err = vw_datapath_device_flags(dp, next->quarantined[i].mac, VW_DEV_QUARANTINED, 0);
	/* The entries as read before the writes above, which only set bits
	 * of planned MACs: none of those is cleared here. */
	for (size_t i = 0; !err && i < n; i++) {
		uint32_t clear = 0;

		if ((devs[i].flags & VW_DEV_WAIVED) && !vwd_plan_waived(next, devs[i].mac))
			clear |= VW_DEV_WAIVED;
		if ((devs[i].flags & VW_DEV_QUARANTINED) && !vwd_plan_quarantined(next, devs[i].mac))
			clear |= VW_DEV_QUARANTINED;
		if (clear)
			err = vw_datapath_device_flags(dp, devs[i].mac, 0, clear);
	}
	free(devs);
	return err;
}

/* The same prefix set as before (an operator change, a link event, a
 * reload that changed no vendor, profile or registry row) is already in
 * the maps: new devices set their own slow bits. Compared by content, as
 * a reload builds an equal set anew: loading it again rewrote the 4 MiB
 * bitmap and every prefix, the largest part of a reload. */
static bool same_prefixes(const struct vwd_plan *prev, const struct vwd_plan *next)
{
	const struct vw_ouiset *a, *b;

	if (!prev)
		return false;
	a = prev->set;
	b = next->set;
	if (a == b)
		return true;
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].prefix != b->v[i].prefix || a->v[i].plen != b->v[i].plen ||
		    a->v[i].restricted != b->v[i].restricted || a->v[i].vendor != b->v[i].vendor)
			return false;
	return true;
}

static int step_prefixes(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next)
{
	return same_prefixes(prev, next) ? 0 : vw_datapath_load_ouiset(dp, next->set);
}

/* What a commit may write, so the copy aside is no bigger than needed: the
 * VLAN table is large and only VLAN segments use it; the bitmap's changed
 * words are logged, never the 4 MiB copied (the largest part of a start). */
static unsigned touched_maps(const struct vwd_plan *prev, const struct vwd_plan *next)
{
	unsigned mask = VW_SNAP_ALL & ~VW_SNAP_OUI;

	if (!(prev && prev->n_vlans) && !next->n_vlans)
		mask &= ~VW_SNAP_VLAN;
	if (same_prefixes(prev, next))
		mask &= ~(VW_SNAP_PREFIX | VW_SNAP_OUI_VENDOR);
	return mask;
}

typedef int (*step_fn)(struct vw_datapath *, const struct vwd_plan *, const struct vwd_plan *);

static const step_fn steps[VWD_STEP_COUNT] = {
	step_config, step_segments, step_vlans, step_ifaces, step_unused, step_devices,
	step_prefixes,
};

static bool injected(enum vwd_commit_step step)
{
	return fail_nth == 1 && fail_step == step;
}

int vwd_commit(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next,
	       struct vwd_commit_result *r)
{
	struct vw_datapath_snapshot *snap;
	int err;

	*r = (struct vwd_commit_result){0};
	err = vw_datapath_snapshot(dp, touched_maps(prev, next), &snap);
	if (err)
		return err;
	for (int i = 0; i < VWD_STEP_COUNT && !err; i++) {
		err = steps[i](dp, prev, next);
		if (!err && injected(i + 1))
			err = -EIO;
		if (err)
			r->step = i + 1;
	}
	if (fail_nth)
		fail_nth--;
	if (err)
		r->rollback_err = vw_datapath_restore(dp, snap);
	vw_datapath_snapshot_free(snap);
	return err;
}
