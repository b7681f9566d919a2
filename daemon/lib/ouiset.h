/* SPDX-License-Identifier: GPL-2.0-only */
/* Compiles registry + policy into the prefix set the data plane enforces. */
#ifndef VW_OUISET_H
#define VW_OUISET_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "registry.h"
#include "policy.h"

struct vw_ouiset_entry {
	uint64_t prefix;     /* 48-bit value, masked to plen */
	uint8_t plen;        /* 24, 28, 36 */
	bool restricted;     /* false: a benign block shadowing a restricted /24 */
	uint16_t vendor;     /* vendor code, 0 for benign shadows */
};

struct vw_ouiset_stats {
	uint16_t vendor;
	size_t mal, mam, mas;   /* IAB rows count as MA-S (36-bit) */
};

struct vw_ouiset {
	struct vw_ouiset_entry *v;  size_t n, cap;   /* sorted by (plen, prefix) */
	struct vw_ouiset_stats *stats; size_t n_stats; /* one per vendor group */
};

/* Restricted vendor groups = union of the profiles' vendor lists. A row
 * matches a group when its normalised org contains a pattern and no
 * exclusion, as whole words (vw_org_matches); explicit prefixes are added, excluded prefixes removed. For
 * every /28 or /36 registry row of another owner inside a restricted /24 a
 * benign shadow entry is added, so longest-prefix match gives it back. */
int vw_ouiset_build(struct vw_ouiset *set, const struct vw_registry *reg,
		    const struct vw_policy *pol, const char *const *profiles,
		    size_t n_profiles, struct vw_diag *diag);
void vw_ouiset_free(struct vw_ouiset *set);

/* The order of vw_ouiset.v, for qsort and bsearch: by (plen, prefix). */
int vw_ouiset_entry_cmp(const void *a, const void *b);

/* Longest-prefix lookup with the data plane's semantics (multicast and
 * locally administered MACs never match). Returns the vendor code or 0. */
uint16_t vw_ouiset_lookup(const struct vw_ouiset *set, const uint8_t mac[6]);

#endif
