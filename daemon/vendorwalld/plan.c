// SPDX-License-Identifier: GPL-2.0-only
/* Computes a plan (see plan.h). Pure except for interface-name lookups. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "vendorwall.h"

/* Samples per second from every MAC together: what the fingerprint engine
 * and the inventory handle in a fraction of a CPU (tools/bench.sh). */
#define VW_SAMPLES_PER_S 500

struct seg_rt *vwd_plan_seg(struct vwd_plan *p, const char *name)
{
	for (size_t i = 0; p && i < p->n_segs; i++)
		if (!strcmp(p->segs[i].name, name))
			return &p->segs[i];
	return NULL;
}

struct seg_rt *vwd_plan_seg_by_slot(struct vwd_plan *p, uint32_t slot)
{
	for (size_t i = 0; p && i < p->n_segs; i++)
		if (p->segs[i].slot == slot)
			return &p->segs[i];
	return NULL;
}

bool vwd_plan_has_iface(const struct vwd_plan *p, int ifindex)
{
	for (size_t i = 0; p && i < p->n_segs; i++)
		if (p->segs[i].ifindex == ifindex)
			return true;
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool key_in(const uint64_t *keys, size_t n, const uint8_t mac[6])
{
	uint64_t k = vw_mac_to_u64(mac);

	return n && bsearch(&k, keys, n, sizeof(k), cmp_u64);
}

bool vwd_plan_waived(const struct vwd_plan *p, const uint8_t mac[6])
{
	return key_in(p->waiver_keys, p->n_waivers, mac);
}

bool vwd_plan_quarantined(const struct vwd_plan *p, const uint8_t mac[6])
{
	return key_in(p->quarantine_keys, p->n_quarantined, mac);
}

struct keyed {
	uint64_t mac;
	size_t at;
};

static int by_mac_then_at(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

/* Keeps the first of each MAC among the n entries of arr (stride bytes,
 * the MAC first), in their order; *keys = the MACs left, sorted. Returns
 * how many are left, or 0 with *keys NULL when out of memory. */
static size_t first_of_each(void *arr, size_t n, size_t stride, uint64_t **keys)
{
	struct keyed *k = calloc(n + 1, sizeof(*k));
	bool *drop = calloc(n + 1, sizeof(*drop));
	size_t left = 0, u = 0;

	*keys = calloc(n + 1, sizeof(**keys));
	if (!k || !drop || !*keys) {
		free(*keys);
		*keys = NULL;
		n = 0;
	}
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){ vw_mac_to_u64((const uint8_t *)arr + i * stride), i };
	qsort(k, n, sizeof(*k), by_mac_then_at);
	for (size_t i = 0; i < n; i++) {
		if (i && k[i].mac == k[i - 1].mac)
			drop[k[i].at] = true;
		else
			(*keys)[u++] = k[i].mac;
	}
	for (size_t i = 0; i < n; i++)
		if (!drop[i])
			memmove((char *)arr + left++ * stride, (char *)arr + i * stride, stride);
	free(k);
	free(drop);
	return left;
}

/* A segment keeps its slot across reloads so its counters keep their
 * meaning; new segments take the lowest slot nobody holds. A fresh start
 * assigns in configuration order, so the same config gets the same slots. */
static uint32_t assign_slot(const struct vwd_plan *prev, const char *name, uint8_t *used)
{
	size_t n_old = prev ? prev->n_segs : 0;

	for (size_t i = 0; i < n_old; i++) {
		if (!strcmp(prev->segs[i].name, name) && !used[prev->segs[i].slot]) {
			used[prev->segs[i].slot] = 1;
			return prev->segs[i].slot;
		}
	}
	for (uint32_t s = 1; s < VW_MAX_SEGMENTS; s++) {
		bool held = false;

		for (size_t i = 0; i < n_old; i++)
			held |= prev->segs[i].slot == s;
		if (!used[s] && !held) {
			used[s] = 1;
			return s;
		}
	}
	return 0;
}

static const struct seg_rt *prev_seg(const struct vwd_plan *prev, const char *name)
{
	for (size_t i = 0; prev && i < prev->n_segs; i++)
		if (!strcmp(prev->segs[i].name, name))
			return &prev->segs[i];
	return NULL;
}

static void plan_segment(struct seg_rt *rt, const struct vw_segment_conf *sc, uint8_t mode,
			 const struct seg_rt *old)
{
	snprintf(rt->name, sizeof(rt->name), "%s", sc->name);
	snprintf(rt->ifname, sizeof(rt->ifname), "%s", sc->ifname);
	snprintf(rt->conf_ifname, sizeof(rt->conf_ifname), "%s", sc->ifname);
	rt->vlan = sc->vlan;
	rt->disable_vlan_offload = sc->disable_vlan_offload;
	rt->mode = mode;
	rt->configured_mode = sc->mode;
	rt->cap = sc->max_new_per_hour;
	rt->ifindex = (int)if_nametoindex(sc->ifname);
	if (old) {
		rt->cap_reported = old->cap_reported;
		rt->attach = old->attach;
	}
	/* A renamed interface is followed by ifindex, as long as the
	 * configuration still names what it named and the index lives. */
	if (old && old->ifindex && !strcmp(old->conf_ifname, sc->ifname) &&
	    if_indextoname(old->ifindex, rt->ifname))
		rt->ifindex = old->ifindex;
	rt->seg = (struct vw_segment){
		.mode = mode,
		.action = sc->action,
		.max_new_per_hour = sc->max_new_per_hour,
		.cap_window_s = sc->cap_window_s,
	};
	if (sc->quarantine_if[0])
		rt->seg.redirect_ifindex = if_nametoindex(sc->quarantine_if);
}

static int plan_segments(struct vwd_plan *p, const struct vw_state *st,
			 const struct vw_overrides *ops, const struct vwd_plan *prev)
{
	uint8_t used[VW_MAX_SEGMENTS] = {0};

	if (st->conf.n_segments >= VW_MAX_SEGMENTS)
		return -ENOSPC;
	for (size_t i = 0; i < st->conf.n_segments; i++) {
		const struct vw_segment_conf *sc = &st->conf.segments[i];
		struct seg_rt *rt = &p->segs[p->n_segs++];

		plan_segment(rt, sc, vw_overrides_effective(ops, sc->name, sc->mode),
			     prev_seg(prev, sc->name));
		rt->slot = assign_slot(prev, sc->name, used);
		if (!rt->slot)
			return -ENOSPC;
	}
	return 0;
}

/* Per interface: the default slot and, if it has VLAN segments, a row. */
static int plan_interfaces(struct vwd_plan *p)
{
	uint32_t rows = 0;

	for (size_t i = 0; i < p->n_segs; i++) {
		const struct seg_rt *rt = &p->segs[i];
		struct vwd_iface_row *f;
		size_t k;

		if (!rt->ifindex)
			continue;
		for (k = 0; k < p->n_ifaces && p->ifaces[k].ifindex != rt->ifindex; k++)
			;
		f = &p->ifaces[k];
		if (k == p->n_ifaces) {
			*f = (struct vwd_iface_row){ .ifindex = rt->ifindex };
			p->n_ifaces++;
		}
		if (rt->vlan < 0) {
			f->ifc.slot = rt->slot;
			continue;
		}
		if (!f->ifc.vlan_row) {
			if (rows >= VW_MAX_VLAN_IFACES)
				return -ENOSPC;
			f->ifc.vlan_row = ++rows;
		}
		p->vlans[p->n_vlans++] = (struct vwd_vlan_row){
			.row = f->ifc.vlan_row, .vid = rt->vlan, .slot = rt->slot,
		};
	}
	return 0;
}

/* Whether segment a restricts more than b: block over monitor over off,
 * then dropping over redirecting, then no quarantine cap over a cap. */
static bool stricter(const struct vw_segment *a, const struct vw_segment *b)
{
	if (a->mode != b->mode)
		return a->mode > b->mode;
	if (a->action != b->action)
		return a->action == VW_ACTION_DROP;
	return !a->max_new_per_hour && b->max_new_per_hour;
}

/* A frame whose VLAN the data plane cannot read (more tags than it reads,
 * or cut short) belongs to no known segment: it meets the strictest
 * segment of its interface, published at VW_VID_UNKNOWN in the
 * interface's row. An interface without a row has one segment anyway. */
static void plan_unknown_vlans(struct vwd_plan *p)
{
	for (size_t k = 0; k < p->n_ifaces; k++) {
		const struct vwd_iface_row *f = &p->ifaces[k];
		const struct seg_rt *best = NULL;

		if (!f->ifc.vlan_row)
			continue;
		for (size_t i = 0; i < p->n_segs; i++) {
			const struct seg_rt *rt = &p->segs[i];

			if (rt->ifindex == f->ifindex &&
			    (!best || stricter(&rt->seg, &best->seg)))
				best = rt;
		}
		p->vlans[p->n_vlans++] = (struct vwd_vlan_row){
			.row = f->ifc.vlan_row, .vid = VW_VID_UNKNOWN, .slot = best->slot,
		};
	}
}

size_t vwd_plan_count_decisions(const struct vw_state *st, const struct vw_overrides *ops,
				time_t now)
{
	size_t n = ops->n_quarantines;

	for (size_t i = 0; i < st->conf.n_waivers; i++)
		n += !st->conf.waivers[i].until || st->conf.waivers[i].until > now;
	for (size_t i = 0; i < ops->n_waivers; i++)
		n += !ops->waivers[i].until || ops->waivers[i].until > now;
	return n;
}

/* Configured and operator waivers, each MAC once; expired ones are left
 * out so that a restart after expiry enforces at once. */
static int plan_decisions(struct vwd_plan *p, const struct vw_state *st,
			  const struct vw_overrides *ops, time_t now)
{
	size_t n_conf = st->conf.n_waivers, total = n_conf + ops->n_waivers;

	if (vwd_plan_count_decisions(st, ops, now) > VWD_MAX_DECISIONS)
		return -ENOSPC;
	p->waivers = calloc(total + 1, sizeof(*p->waivers));
	p->quarantined = calloc(ops->n_quarantines + 1, sizeof(*p->quarantined));
	if (!p->waivers || !p->quarantined)
		return -ENOMEM;
	for (size_t i = 0; i < total; i++) {
		bool op = i >= n_conf;
		const uint8_t *mac = op ? ops->waivers[i - n_conf].mac : st->conf.waivers[i].mac;
		time_t until = op ? ops->waivers[i - n_conf].until : st->conf.waivers[i].until;

		if (until && until <= now)
			continue;
		memcpy(p->waivers[p->n_waivers].mac, mac, 6);
		p->waivers[p->n_waivers].until = until;
		p->waivers[p->n_waivers++].operator = op;
	}
	for (size_t i = 0; i < ops->n_quarantines; i++)
		memcpy(p->quarantined[p->n_quarantined++].mac, ops->quarantines[i].mac, 6);
	/* Each MAC once, its first decision (a configured waiver first). */
	p->n_waivers = first_of_each(p->waivers, p->n_waivers, sizeof(*p->waivers), &p->waiver_keys);
	p->n_quarantined = first_of_each(p->quarantined, p->n_quarantined, sizeof(*p->quarantined),
					 &p->quarantine_keys);
	return p->waiver_keys && p->quarantine_keys ? 0 : -ENOMEM;
}

static void plan_config(struct vw_config *cfg, const struct vw_state *st)
{
	*cfg = (struct vw_config){
		.alert_interval_s = st->conf.alert_interval_s,
		.events_per_s = 1000,
		.event_burst = 100,
		.sample_interval_ms = 1000,
		.sample_burst = 8,
		.sample_snaplen = VW_SAMPLE_MAX,
		.samples_per_s = VW_SAMPLES_PER_S,
		.sample_global_burst = VW_SAMPLES_PER_S / 4,
	};
}

void vwd_plan_free(struct vwd_plan *p)
{
	if (!p)
		return;
	free(p->waivers);
	free(p->quarantined);
	free(p->waiver_keys);
	free(p->quarantine_keys);
	free(p);
}

int vwd_plan_build(struct vwd_plan **out, const struct vw_state *st,
		   const struct vw_overrides *ops, const struct vwd_plan *prev, time_t now)
{
	struct vwd_plan *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	plan_config(&p->cfg, st);
	p->set = &st->set;
	err = plan_segments(p, st, ops, prev);
	if (!err)
		err = plan_interfaces(p);
	if (!err)
		plan_unknown_vlans(p);
	if (!err)
		err = plan_decisions(p, st, ops, now);
	if (err) {
		vwd_plan_free(p);
		return err;
	}
	vw_state_version(st, ops, now, p->version);
	*out = p;
	return 0;
}
