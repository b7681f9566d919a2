/* SPDX-License-Identifier: GPL-2.0-only */
/* Interfaces and neighbours from netlink. */
#ifndef VWD_LINKS_H
#define VWD_LINKS_H

#include "vwd.h"

int vwd_netlink_open(struct daemon *d);
int vwd_netlink_sync(struct daemon *d, int timeout_ms);
void vwd_netlink_close(struct daemon *d);

#endif
