/* SPDX-License-Identifier: GPL-2.0-only */
/* The one-line STATUS= for systemctl status, and the device counts of
 * the status reply. */
#ifndef VWD_STATUS_H
#define VWD_STATUS_H

#include "vwd.h"

void vwd_update_status(struct daemon *d);
/* Restricted devices in the inventory: on segment rt, or all (rt NULL);
 * 0 when it cannot say. Under flood a figure up to a second old (throttle.h). */
size_t vwd_status_devices(struct daemon *d, const struct seg_rt *rt);

#endif
