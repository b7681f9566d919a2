/* SPDX-License-Identifier: GPL-2.0-only */
/* Housekeeping of vw_cap_blocked, the devices admitted under the quarantine
 * cap: frames only add to it, so admissions of devices not seen for
 * CapBlockedMaxAge= are removed here, and its fill is reported. */
#ifndef VWD_CAPKEEP_H
#define VWD_CAPKEEP_H

#include <json-c/json.h>

#include "vwd.h"

/* From the once-a-second tick; scans the map when a scan is due. */
void vwd_cap_tick(struct daemon *d);
/* {"entries", "capacity", "forgotten"} for status; NULL before a scan. */
struct json_object *vwd_cap_json(const struct daemon *d);
void vwd_capkeep_free(struct daemon *d);

#endif
