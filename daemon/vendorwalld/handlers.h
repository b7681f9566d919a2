/* SPDX-License-Identifier: GPL-2.0-only */
/* The control commands of vendorwalld and their audit trail. */
#ifndef VWD_HANDLERS_H
#define VWD_HANDLERS_H

#include "vwd.h"

int vwd_control_open(struct daemon *d);

#endif
