/* SPDX-License-Identifier: GPL-2.0-only */
/* The manager's life cycle: create, start (a straight line of steps, each
 * logging once on failure), run the event loop, stop, free. */
#ifndef VWD_MANAGER_H
#define VWD_MANAGER_H

#include "vwd.h"

int vwd_manager_new(struct daemon **out, const char *config_path);
/* Loads the state, opens and adopts the data plane, enforces, and sets up
 * the event loop, ring buffers, netlink and control socket. */
int vwd_manager_start(struct daemon *d);
/* READY=1, the event loop, then the stop sequence. */
int vwd_manager_run(struct daemon *d);
void vwd_manager_free(struct daemon *d);

#endif
