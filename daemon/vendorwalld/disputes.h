/* SPDX-License-Identifier: GPL-2.0-only */
/* Disputed devices: a restricted OUI whose device claims to be a look-alike
 * (H3C, Honor, xFusion, Uniview). The claim is the device's own, so it is
 * reported for an operator to confirm and lifts the OUI verdict only where
 * the segment says LookAlikeClears=yes. */
#ifndef VWD_DISPUTES_H
#define VWD_DISPUTES_H

#include <stdbool.h>

#include "engine.h"
#include "vwd.h"

/* Whether a dispute seen on segment clears the device (LookAlikeClears=). */
bool vwd_dispute_clears(const struct daemon *d, const char *segment);
/* The verdict bits for a disputed device seen on segment. */
void vwd_dispute_bits(const struct daemon *d, const char *segment, uint32_t *set,
		      uint32_t *clear);
/* The journal alert (once per change of state or identity) and the
 * inventory row, with both the OUI and the look-alike evidence. */
void vwd_dispute_report(struct daemon *d, const struct vw_fp_change *c, const char *segment,
			const char *ifname);

#endif
