// SPDX-License-Identifier: GPL-2.0-only
/* A hash set of the patterns' first words, probed with every word of a raw name. */
#include <string.h>
#include "orgindex.h"

/* Names longer than this are normalised with truncation (vw_normalise_org's
 * 512-byte buffers), which can cut a word short: they are never ruled out. */
#define ORG_INDEXED_MAX 255

static bool word_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
}

/* FNV-1a of the lower-cased word, never 0 (0 marks an empty slot). */
static uint64_t word_hash(const char *w, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)(w[i] | ((w[i] >= 'A' && w[i] <= 'Z') ? 0x20 : 0))) *
		    0x100000001b3ull;
	return h ? h : 1;
}

static bool has(const struct vw_org_index *ix, uint64_t h)
{
	for (unsigned i = h % VW_ORG_INDEX_SLOTS;; i = (i + 1) % VW_ORG_INDEX_SLOTS) {
		if (ix->slot[i] == h)
			return true;
		if (!ix->slot[i])
			return false;
	}
}

void vw_org_index_add(struct vw_org_index *ix, const char *pat)
{
	size_t len = strcspn(pat, " ");
	uint64_t h;
	unsigned i;

	if (!len || ix->all)
		return;
	h = word_hash(pat, len);
	if (has(ix, h))
		return;
	/* Kept at most half full, so that probes stay short and end. */
	if (ix->n >= VW_ORG_INDEX_SLOTS / 2) {
		ix->all = true;
		return;
	}
	for (i = h % VW_ORG_INDEX_SLOTS; ix->slot[i]; i = (i + 1) % VW_ORG_INDEX_SLOTS)
		;
	ix->slot[i] = h;
	ix->n++;
}

bool vw_org_index_maybe(const struct vw_org_index *ix, const char *org)
{
	const char *p = org;

	if (ix->all)
		return true;
	while (*p) {
		const char *w;

		while (*p && !word_char(*p))
			p++;
		for (w = p; word_char(*p); p++)
			;
		if (p > w && has(ix, word_hash(w, p - w)))
			return true;
	}
	return p - org > ORG_INDEXED_MAX;
}
