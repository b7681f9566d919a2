/* SPDX-License-Identifier: GPL-2.0-only */
/* Degraded conditions: kept in the manager's keyed set and told to the
 * journal when they appear (the degraded MESSAGE_ID) and when they clear. */
#ifndef VWD_HEALTH_H
#define VWD_HEALTH_H

#include "vwd.h"

/* key is "what" or "what:object"; segment (may be NULL) is for the entry. */
void vwd_degraded(struct daemon *d, const char *key, const char *segment, const char *detail);
void vwd_recovered(struct daemon *d, const char *key, const char *why);

#endif
