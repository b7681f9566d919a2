/* SPDX-License-Identifier: GPL-2.0-only */
/* Switch polling: one worker thread per [Switch] section walks the
 * switch's tables with SNMP (snmpwalk.c) on its Interval= and hands the
 * result to the event loop through a one-slot mailbox and an eventfd; the
 * loop reports restricted devices found there (journal, inventory) and
 * keeps a degraded entry per switch that stops answering. Neither the
 * loop nor the control socket ever waits on SNMP. */
#ifndef VWD_SWITCHES_H
#define VWD_SWITCHES_H

#include <stdint.h>
#include <sys/socket.h>

#include "vwd.h"

struct json_object;

/* A restricted device as a switch's tables show it. */
struct vwd_switch_device {
	const char *switch_name;
	uint8_t mac[6];
	const char *vendor;           /* policy vendor group id */
	char port[64];                /* ifName, "ifIndex N" or "bridge-port N" */
	int family;                   /* AF_INET / AF_INET6; 0: no address known */
	uint8_t addr[16];
	const char *how;              /* "fdb" (OUI in the forwarding database) or "lldp" */
	char evidence[320];           /* "oui:oui24=.." or the LLDP fingerprint */
};

/* Starts, keeps or replaces the workers after d->st changed (start and
 * reload): an unchanged [Switch] keeps its worker and its state. */
int vwd_switches_apply(struct daemon *d);
/* Stops every worker and waits for it (at most one SNMP request's
 * Timeout= x (Retries= + 1)); at exit. */
void vwd_switches_free(struct daemon *d);
/* Status: one object per switch (name, address, state, last poll, rows,
 * truncated, devices found); never a credential. */
struct json_object *vwd_switches_json(struct daemon *d);
/* Where the last poll of any switch put mac: 0, or -ENOENT. */
int vwd_switches_where(struct daemon *d, const uint8_t mac[6], char *sw, size_t swlen,
		       char *port, size_t portlen);
/* The hand-off to IP enforcement (vwd_ipv_observe of ipverdicts.c, which
 * is not on this branch): called once per device found with an address. */
void vwd_switches_found(struct daemon *d, const struct vwd_switch_device *dev);

#endif
