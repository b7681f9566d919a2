/* SPDX-License-Identifier: GPL-2.0-only */
/* A complete running state built aside: config, policy, registry and the
 * compiled prefix set. A reload builds a new one and swaps it in whole. */
#ifndef VW_STATE_H
#define VW_STATE_H

#include "config.h"
#include "diag.h"
#include "ouiset.h"
#include "policy.h"
#include "registry.h"
#include "rules.h"

struct vw_state {
	struct vw_daemon_conf conf;
	struct vw_policy policy;
	struct vw_registry registry;
	char *registry_path;   /* the directory registry was loaded from */
	struct vw_ouiset set;
	struct vw_fp_rules *rules;     /* fingerprint rules, PolicyDirectory/fingerprints */
	char version[17];      /* hex digest of what is enforced */
};

/* Loads everything; every problem is in diag as file:line. On error the
 * partially built state is freed and *st is untouched. */
int vw_state_build(struct vw_state **st, const char *config_path, struct vw_diag *diag);
void vw_state_free(struct vw_state *st);

/* The segment with this name, or NULL. */
const struct vw_segment_conf *vw_state_segment(const struct vw_state *st, const char *name);
/* Vendor group id for a code, "unknown" when absent. */
const char *vw_state_vendor_id(const struct vw_state *st, uint16_t code);
const char *vw_state_vendor_name(const struct vw_state *st, uint16_t code);

#endif
