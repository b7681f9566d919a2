/* SPDX-License-Identifier: GPL-2.0-only */
/* Operator decisions made at run time (segment modes, waivers,
 * quarantines), persisted in StateDirectory so they survive a restart. */
#ifndef VW_OVERRIDES_H
#define VW_OVERRIDES_H

#include <stdint.h>
#include <stddef.h>
#include "diag.h"

struct vw_mode_override {
	char *segment;
	uint8_t mode;        /* enum vw_mode chosen by the operator */
	uint8_t configured;  /* the configured mode it overrode */
	int64_t since;       /* unix seconds */
	uint32_t uid;        /* who */
};

/* An operator waiver (allow) or quarantine of one MAC. */
struct vw_mac_decision {
	uint8_t mac[6];
	int64_t until;       /* waivers: unix seconds; quarantines: 0 */
	char *reason;
	char *ticket;        /* may be NULL */
	int64_t since;
	uint32_t uid;
};

struct vw_overrides {
	struct vw_mode_override *v;
	size_t n;
	struct vw_mac_decision *waivers;     size_t n_waivers;
	struct vw_mac_decision *quarantines; size_t n_quarantines;
};

/* A missing file is an empty set; a corrupt one is -EBADMSG, with one
 * "path: where: what" message in diag (may be NULL) naming the entry. */
int vw_overrides_load(struct vw_overrides *o, const char *path, struct vw_diag *diag);
/* The same from text in memory; name is used in messages. Pure: no I/O. */
int vw_overrides_parse(struct vw_overrides *o, const char *text, size_t len, const char *name,
		       struct vw_diag *diag);
/* Written to a temporary file, synced and renamed: never half a file. */
int vw_overrides_save(const struct vw_overrides *o, const char *path);
int vw_overrides_set(struct vw_overrides *o, const char *segment, uint8_t mode,
		     uint8_t configured, int64_t since, uint32_t uid);
const struct vw_mode_override *vw_overrides_get(const struct vw_overrides *o, const char *segment);
void vw_overrides_remove(struct vw_overrides *o, const char *segment);
void vw_overrides_free(struct vw_overrides *o);

/* Adds or replaces the decision for d->mac (strings are copied). */
int vw_overrides_put(struct vw_mac_decision **list, size_t *n, const struct vw_mac_decision *d);
struct vw_mac_decision *vw_overrides_find(struct vw_mac_decision *list, size_t n, const uint8_t mac[6]);
/* 0, or -ENOENT when there was none. */
int vw_overrides_drop(struct vw_mac_decision *list, size_t *n, const uint8_t mac[6]);

/* The mode to enforce: the override while the configuration still says
 * what it said when the operator overrode it; a changed configuration
 * wins (the file is the newer decision). */
uint8_t vw_overrides_effective(const struct vw_overrides *o, const char *segment,
			       uint8_t configured);

#endif
