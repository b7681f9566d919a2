/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules out, from the raw name alone, organisations that match none of a
 * set of normalised patterns (vw_org_matches), so that building the prefix
 * set normalises and compares only the few registry rows that may match. */
#ifndef VW_ORGINDEX_H
#define VW_ORGINDEX_H

#include <stdbool.h>
#include <stdint.h>

#define VW_ORG_INDEX_SLOTS 256

/* The first words of the patterns, by hash: a pattern matches as whole
 * words, so a name holding none of them as a word matches none. */
struct vw_org_index {
	uint64_t slot[VW_ORG_INDEX_SLOTS];   /* 0: empty */
	unsigned n;
	bool all;        /* too many words to index: every name may match */
};

/* Adds one normalised pattern (an empty one never matches anything). */
void vw_org_index_add(struct vw_org_index *ix, const char *norm_pattern);
/* False only when the organisation name, raw as registered, matches none
 * of the patterns added. */
bool vw_org_index_maybe(const struct vw_org_index *ix, const char *org);

#endif
