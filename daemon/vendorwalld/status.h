/* SPDX-License-Identifier: GPL-2.0-only */
/* The one-line STATUS= for systemctl status. */
#ifndef VWD_STATUS_H
#define VWD_STATUS_H

#include "vwd.h"

void vwd_update_status(struct daemon *d);

#endif
