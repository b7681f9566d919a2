/* SPDX-License-Identifier: GPL-2.0-only */
/* The inventory's record of what was enforced and of degraded states, for the compliance report. */
#ifndef VWD_HISTORY_H
#define VWD_HISTORY_H

#include "vwd.h"

/* A degraded condition was raised (key as in the degraded set). */
void vwd_history_degraded(struct daemon *d, const char *key, const char *segment,
			  const char *detail);
/* A plan was applied: one "policy" row when the enforced version changed,
 * then the degraded conditions still in force. */
void vwd_history_state(struct daemon *d, const struct vw_state *st);

#endif
