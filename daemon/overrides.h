/* SPDX-License-Identifier: GPL-2.0-only */
/* Operator mode overrides per segment, persisted in StateDirectory so a
 * `vendorwallctl mode` survives a daemon restart. */
#ifndef VW_OVERRIDES_H
#define VW_OVERRIDES_H

#include <stdint.h>
#include <stddef.h>

struct vw_mode_override {
	char *segment;
	uint8_t mode;        /* enum vw_mode chosen by the operator */
	uint8_t configured;  /* the configured mode it overrode */
	int64_t since;       /* unix seconds */
	uint32_t uid;        /* who */
};

struct vw_overrides {
	struct vw_mode_override *v;
	size_t n;
};

/* A missing file is an empty set; a corrupt one is -EBADMSG. */
int vw_overrides_load(struct vw_overrides *o, const char *path);
/* Written to a temporary file, synced and renamed: never half a file. */
int vw_overrides_save(const struct vw_overrides *o, const char *path);
int vw_overrides_set(struct vw_overrides *o, const char *segment, uint8_t mode,
		     uint8_t configured, int64_t since, uint32_t uid);
const struct vw_mode_override *vw_overrides_get(const struct vw_overrides *o, const char *segment);
void vw_overrides_remove(struct vw_overrides *o, const char *segment);
void vw_overrides_free(struct vw_overrides *o);

/* The mode to enforce: the override while the configuration still says
 * what it said when the operator overrode it; a changed configuration
 * wins (the file is the newer decision). */
uint8_t vw_overrides_effective(const struct vw_overrides *o, const char *segment,
			       uint8_t configured);

#endif
