/* SPDX-License-Identifier: GPL-2.0-only */
/* The inventory file: opened at start and, while it is unusable, tried
 * again on every reload. Unusable is degraded, never fatal: enforcement
 * does not depend on it. */
#ifndef VWD_STORE_H
#define VWD_STORE_H

#include "vwd.h"

/* Opens the inventory if it is not open. With defer_cap the bound on
 * devices (a count of every row) waits for vwd_store_apply_cap: a start
 * applies it once it is READY. */
void vwd_store_open(struct daemon *d, bool defer_cap);
void vwd_store_apply_cap(struct daemon *d);

#endif
