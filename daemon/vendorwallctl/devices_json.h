/* SPDX-License-Identifier: GPL-2.0-only */
/* `vendorwallctl devices --json` (plain): the daemon's pages written as one
 * list, most recently seen first, without merging them into one json-c
 * tree. */
#ifndef VW_CTL_DEVICES_JSON_H
#define VW_CTL_DEVICES_JSON_H

#include <stdio.h>
#include <json-c/json.h>

/* Reads every page of "devices" with args (not changed) from the daemon at
 * socket and writes to out exactly what json-c's PLAIN|NOSLASHESCAPE text
 * of the merged, sorted result would be, and a newline. Each page is
 * parsed, its devices kept as text with their sort key, and freed: 100,000
 * devices cost their text, not a tree of objects. 0, or -errno from the
 * transport (as vw_control_call), -EBADMSG for a malformed page, or
 * -EREMOTEIO with *resp the daemon's error envelope (the caller owns it). */
int vw_ctl_devices_json(const char *socket, struct json_object *args, int timeout_ms,
			FILE *out, struct json_object **resp);

#endif
