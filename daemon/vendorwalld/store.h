/* SPDX-License-Identifier: GPL-2.0-only */
/* The inventory file: opened at start and, while it is unusable, tried
 * again on every reload. Unusable is degraded, never fatal: enforcement
 * does not depend on it. */
#ifndef VWD_STORE_H
#define VWD_STORE_H

#include "vwd.h"

void vwd_store_open(struct daemon *d);

#endif
