// SPDX-License-Identifier: GPL-2.0-only
/* Compiles registry rows and policy into the longest-prefix set the data plane enforces. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "orgindex.h"
#include "ouiset.h"
#include "vendorwall.h"

static uint64_t mask_of(uint8_t plen)
{
	return ((1ull << plen) - 1) << (48 - plen);
}

int vw_ouiset_entry_cmp(const void *a, const void *b)
{
	const struct vw_ouiset_entry *x = a, *y = b;

	if (x->plen != y->plen)
		return x->plen < y->plen ? -1 : 1;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return 0;
}

/* Binary search in the first n (sorted) entries. */
static const struct vw_ouiset_entry *find(const struct vw_ouiset_entry *v, size_t n,
					  uint64_t prefix, uint8_t plen)
{
	struct vw_ouiset_entry key = { .prefix = prefix & mask_of(plen), .plen = plen };

	return n ? bsearch(&key, v, n, sizeof(*v), vw_ouiset_entry_cmp) : NULL;
}

/* The longest entry strictly shorter than plen that covers prefix. */
static const struct vw_ouiset_entry *covering(const struct vw_ouiset_entry *v, size_t n,
					      uint64_t prefix, uint8_t plen)
{
	static const uint8_t plens[] = { 36, 28, 24 };
	const struct vw_ouiset_entry *e;

	for (size_t i = 0; i < sizeof(plens); i++) {
		if (plens[i] >= plen)
			continue;
		e = find(v, n, prefix, plens[i]);
		if (e)
			return e;
	}
	return NULL;
}

static int push(struct vw_ouiset *set, uint64_t prefix, uint8_t plen, bool restricted,
		uint16_t vendor)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 1024;
		struct vw_ouiset_entry *v = realloc(set->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n++] = (struct vw_ouiset_entry){
		.prefix = prefix & mask_of(plen), .plen = plen,
		.restricted = restricted, .vendor = vendor,
	};
	return 0;
}

static bool excluded(const struct vw_vendor *v, uint64_t prefix, uint8_t plen)
{
	for (size_t i = 0; i < v->n_excludes; i++) {
		const struct vw_explicit_prefix *x = &v->excludes[i];

		if (x->plen <= plen && (prefix & mask_of(x->plen)) == x->prefix)
			return true;
	}
	return false;
}

static bool org_hit(const struct vw_vendor *v, const char *norm)
{
	bool hit = false;

	for (size_t i = 0; i < v->org_patterns.n && !hit; i++)
		hit = vw_org_matches(norm, v->org_patterns.v[i]);
	for (size_t i = 0; i < v->exclude_orgs.n && hit; i++)
		hit = !vw_org_matches(norm, v->exclude_orgs.v[i]);
	return hit;
}

static const char *vendor_id(const struct vw_policy *pol, uint16_t code)
{
	const struct vw_vendor *v = vw_policy_vendor_by_code(pol, code);

	return v && v->id ? v->id : "(benign)";
}

/* Sorts and merges identical entries; the same block claimed by two
 * owners is a policy error, not something to resolve silently. */
static int sort_unique(struct vw_ouiset *set, const struct vw_policy *pol, struct vw_diag *diag)
{
	size_t o = 0;
	int r = 0;

	/* A profile naming no vendor leaves the set empty (and v NULL). */
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), vw_ouiset_entry_cmp);
	for (size_t i = 0; i < set->n; i++) {
		const struct vw_ouiset_entry *e = &set->v[i];

		if (o && !vw_ouiset_entry_cmp(&set->v[o - 1], e)) {
			const struct vw_ouiset_entry *p = &set->v[o - 1];

			if (p->vendor != e->vendor || p->restricted != e->restricted) {
				vw_diag_add(diag, NULL, 0, "block %0*llX/%u claimed by both %s and %s",
					    e->plen / 4, (unsigned long long)(e->prefix >> (48 - e->plen)),
					    e->plen, vendor_id(pol, p->vendor), vendor_id(pol, e->vendor));
				r = -EINVAL;
			}
			continue;
		}
		set->v[o++] = *e;
	}
	set->n = o;
	return r;
}

/* What the profiles restrict of one vendor group: all of it, or only some
 * of its subgroups (a profile narrowing it, Vendor=huawei:technologies). */
struct selection {
	const struct vw_vendor *v;
	bool whole;
	const struct vw_subgroup **subs;
	size_t n_subs;
};

static int add_selection(struct selection **sel, size_t *n, const struct vw_vendor *v,
			 const struct vw_subgroup *sub)
{
	struct selection *s = NULL;
	void *nv;

	for (size_t i = 0; i < *n; i++)
		if ((*sel)[i].v == v)
			s = &(*sel)[i];
	if (!s) {
		nv = realloc(*sel, (*n + 1) * sizeof(**sel));
		if (!nv)
			return -ENOMEM;
		*sel = nv;
		s = &(*sel)[(*n)++];
		*s = (struct selection){ .v = v };
	}
	if (!sub) {
		s->whole = true;
		return 0;
	}
	nv = realloc(s->subs, (s->n_subs + 1) * sizeof(*s->subs));
	if (!nv)
		return -ENOMEM;
	s->subs = nv;
	s->subs[s->n_subs++] = sub;
	return 0;
}

static void free_selection(struct selection *sel, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(sel[i].subs);
	free(sel);
}

/* A registry row of the group is restricted when the whole group is, or
 * when a selected subgroup's pattern matches it too. */
static bool selected_row(const struct selection *s, const char *norm)
{
	if (s->whole)
		return true;
	for (size_t i = 0; i < s->n_subs; i++)
		for (size_t j = 0; j < s->subs[i]->org_patterns.n; j++)
			if (vw_org_matches(norm, s->subs[i]->org_patterns.v[j]))
				return true;
	return false;
}

static int push_explicit(struct vw_ouiset *set, const struct vw_vendor *v,
			 const struct vw_explicit_prefix *p, size_t n)
{
	int q;

	for (size_t k = 0; k < n; k++)
		if (!excluded(v, p[k].prefix, p[k].plen) &&
		    (q = push(set, p[k].prefix, p[k].plen, true, v->code)) < 0)
			return q;
	return 0;
}

/* Blocks pinned with Prefix= (whole group) or SubgroupPrefix= (selected subgroups). */
static int push_selected_prefixes(struct vw_ouiset *set, const struct selection *sel, size_t n)
{
	int q = 0;

	for (size_t j = 0; j < n && !q; j++) {
		if (sel[j].whole)
			q = push_explicit(set, sel[j].v, sel[j].v->prefixes, sel[j].v->n_prefixes);
		for (size_t k = 0; !sel[j].whole && k < sel[j].n_subs && !q; k++)
			q = push_explicit(set, sel[j].v, sel[j].subs[k]->prefixes,
					  sel[j].subs[k]->n_prefixes);
	}
	return q;
}

/* The vendors (and subgroups) the given profiles restrict. */
static int select_vendors(struct selection **sel, size_t *nrv, const struct vw_policy *pol,
			  const char *const *profiles, size_t n_profiles, struct vw_diag *diag)
{
	int r = 0, q;

	for (size_t i = 0; i < n_profiles; i++) {
		const struct vw_profile *p = vw_policy_profile(pol, profiles[i]);

		if (!p) {
			vw_diag_add(diag, NULL, 0, "unknown profile \"%s\"", profiles[i]);
			r = -ENOENT;
			continue;
		}
		for (size_t j = 0; j < p->vendors.n; j++) {
			const struct vw_subgroup *sub;
			const struct vw_vendor *v = vw_policy_selector(pol, p->vendors.v[j], &sub);

			/* vw_policy_load guarantees the vendor exists. */
			if (v && (q = add_selection(sel, nrv, v, sub)) < 0)
				return q;
		}
	}
	return r;
}

/* Pushes every registry block a selected vendor owns. A block two vendors
 * claim is reported and sets *conflict, so that the whole registry is
 * still checked; only a failure to push returns early. */
static int push_registry_blocks(struct vw_ouiset *set, const struct vw_registry *reg,
				const struct selection *sel, size_t nrv, struct vw_diag *diag,
				bool *conflict)
{
	struct vw_org_index ix = { 0 };
	char norm[512];
	int q;

	/* A row no selected group's pattern can match is passed over unread:
	 * nearly all of the 50,000. */
	for (size_t j = 0; j < nrv; j++)
		for (size_t k = 0; k < sel[j].v->org_patterns.n; k++)
			vw_org_index_add(&ix, sel[j].v->org_patterns.v[k]);
	for (size_t i = 0; i < reg->n; i++) {
		const struct vw_registry_row *row = &reg->rows[i];
		const struct vw_vendor *hit = NULL;

		if (!vw_org_index_maybe(&ix, row->org))
			continue;
		vw_normalise_org(row->org, norm, sizeof(norm));
		const struct selection *hs = NULL;

		for (size_t j = 0; j < nrv; j++) {
			if (!org_hit(sel[j].v, norm))
				continue;
			if (hit) {
				vw_diag_add(diag, sel[j].v->file, 0,
					    "registry block %0*llX (%s) is matched by both %s and %s",
					    row->plen / 4,
					    (unsigned long long)(row->prefix >> (48 - row->plen)),
					    row->org, hit->id, sel[j].v->id);
				*conflict = true;
				continue;
			}
			hit = sel[j].v;
			hs = &sel[j];
		}
		if (hit && selected_row(hs, norm) && !excluded(hit, row->prefix, row->plen) &&
		    (q = push(set, row->prefix, row->plen, true, hit->code)) < 0)
			return q;
	}
	return 0;
}

/* Finer blocks that are not the vendor's must keep a benign verdict
 * under a restricted /24 (or /28): add them as shadow entries. The
 * first nsorted entries are sorted; shadows are appended after them. */
static int push_shadows(struct vw_ouiset *set, const struct vw_registry *reg,
			const struct selection *sel, size_t nrv)
{
	size_t nsorted = set->n;
	int q;

	for (size_t j = 0; j < nrv; j++) {
		for (size_t k = 0; k < sel[j].v->n_excludes; k++) {
			const struct vw_explicit_prefix *x = &sel[j].v->excludes[k];
			const struct vw_ouiset_entry *c = covering(set->v, nsorted, x->prefix, x->plen);

			if (c && c->restricted && c->vendor == sel[j].v->code &&
			    (q = push(set, x->prefix, x->plen, false, 0)) < 0)
				return q;
		}
	}
	for (size_t i = 0; i < reg->n; i++) {
		const struct vw_registry_row *row = &reg->rows[i];
		const struct vw_ouiset_entry *c;

		if (row->plen == 24 || find(set->v, nsorted, row->prefix, row->plen))
			continue;
		c = covering(set->v, nsorted, row->prefix, row->plen);
		if (c && c->restricted && (q = push(set, row->prefix, row->plen, false, 0)) < 0)
			return q;
	}
	return 0;
}

/* Counts each vendor's restricted blocks by size; fails when the finer
 * blocks do not fit the data plane's prefix table. */
static int count_blocks(struct vw_ouiset *set, struct vw_diag *diag)
{
	size_t nfine = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct vw_ouiset_entry *e = &set->v[i];

		if (e->plen > 24)
			nfine++;
		for (size_t j = 0; e->restricted && j < set->n_stats; j++) {
			if (set->stats[j].vendor != e->vendor)
				continue;
			if (e->plen == 24)
				set->stats[j].mal++;
			else if (e->plen == 28)
				set->stats[j].mam++;
			else
				set->stats[j].mas++;
		}
	}
	if (nfine > VW_MAX_PREFIXES) {
		vw_diag_add(diag, NULL, 0, "%zu 28/36-bit blocks exceed the data plane's %u",
			    nfine, VW_MAX_PREFIXES);
		return -E2BIG;
	}
	return 0;
}

int vw_ouiset_build(struct vw_ouiset *set, const struct vw_registry *reg,
		    const struct vw_policy *pol, const char *const *profiles,
		    size_t n_profiles, struct vw_diag *diag)
{
	struct selection *sel = NULL;
	size_t nrv = 0;
	bool conflict = false;
	int r, q;

	*set = (struct vw_ouiset){ 0 };

	r = select_vendors(&sel, &nrv, pol, profiles, n_profiles, diag);
	if (r < 0)
		goto out;

	set->stats = calloc(nrv ? nrv : 1, sizeof(*set->stats));
	if (!set->stats) {
		r = -ENOMEM;
		goto out;
	}
	set->n_stats = nrv;
	for (size_t i = 0; i < nrv; i++)
		set->stats[i].vendor = sel[i].v->code;

	r = push_registry_blocks(set, reg, sel, nrv, diag, &conflict);
	if (r < 0)
		goto out;
	r = conflict ? -EINVAL : 0;
	q = push_selected_prefixes(set, sel, nrv);
	if (q < 0) {
		r = q;
		goto out;
	}
	q = sort_unique(set, pol, diag);
	if (q < 0 || r < 0) {
		r = r < 0 ? r : q;
		goto out;
	}

	r = push_shadows(set, reg, sel, nrv);
	if (r < 0)
		goto out;
	r = sort_unique(set, pol, diag);
	if (r < 0)
		goto out;
	r = count_blocks(set, diag);
out:
	free_selection(sel, nrv);
	if (r < 0)
		vw_ouiset_free(set);
	return r;
}

void vw_ouiset_free(struct vw_ouiset *set)
{
	free(set->v);
	free(set->stats);
	*set = (struct vw_ouiset){ 0 };
}

uint16_t vw_ouiset_lookup(const struct vw_ouiset *set, const uint8_t mac[6])
{
	static const uint8_t plens[] = { 36, 28, 24 };
	uint64_t m = vw_mac_to_u64(mac);

	if (VW_MAC_IS_MULTICAST(mac[0]) || VW_MAC_IS_LOCAL(mac[0]))
		return 0;
	for (size_t i = 0; i < sizeof(plens); i++) {
		const struct vw_ouiset_entry *e = find(set->v, set->n, m, plens[i]);

		if (e)
			return e->restricted ? e->vendor : 0;
	}
	return 0;
}
