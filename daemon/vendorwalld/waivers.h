/* SPDX-License-Identifier: GPL-2.0-only */
/* Waivers ending: configured and operator waivers whose time is up. */
#ifndef VWD_WAIVERS_H
#define VWD_WAIVERS_H

#include "vwd.h"

/* Ends waivers whose time is up: entries, operator file, data plane. */
void vwd_expire_waivers(struct daemon *d);

#endif
