/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Devices behind routers, identified and enforced by IP address: the
 * routers (named by Router= or learned from the neighbour table) get
 * VW_DEV_ROUTER in vw_device, and each IP verdict is one vw_ip entry.
 * An IP verdict lives as long as the evidence behind it: a DHCP lease or
 * IpVerdictMaxAge=, whichever ends first; new evidence re-confirms it, and
 * a DHCP ACK giving the address to another client drops it at once, so a
 * stale verdict never blocks the address's next holder.
 */
#ifndef VWD_IPVERDICTS_H
#define VWD_IPVERDICTS_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "control_server.h"
#include "vwd.h"

struct vw_fp_report;
struct vw_event;

/* What one piece of evidence says about an address (the fields of a
 * vw_fp_report that concern IP identification). */
struct vwd_ipv_evidence {
	bool restricted;           /* the engine's verdict enforces (block threshold) */
	uint16_t vendor;
	const char *text;          /* "signal field=value", for devices/journal */
	bool has_mac;  uint8_t mac[6];      /* the device's own MAC */
	bool has_via;  uint8_t via[6];      /* the router that carried it */
	uint32_t lease_s;          /* 0 = unknown */
};

int vwd_ipv_init(struct daemon *d);
void vwd_ipv_free(struct daemon *d);

/* The fingerprint engine's shapes (issue 11 interface). now_us is
 * CLOCK_REALTIME in microseconds. The observe functions return 1 when
 * the address has just become restricted (the caller says so once), 0
 * when it was already, or when the evidence does not restrict it, or
 * -errno. */
int vwd_ipv_observe(struct daemon *m, int family, const uint8_t ip[16],
		    const struct vw_fp_report *r, uint64_t now_us);
int vwd_ipv_observe_evidence(struct daemon *m, int family, const uint8_t ip[16],
			     const struct vwd_ipv_evidence *ev, uint64_t now_us);
int vwd_ipv_lease(struct daemon *m, int family, const uint8_t ip[16], const uint8_t mac[6],
		  uint32_t lease_s, uint64_t now_us);
bool vwd_is_router(void *mgr, const uint8_t mac[6]);
/* vwd_ipv_lease in the shape of the engine's vw_fp_lease_cb (ctx is the
 * daemon), for vw_fp_engine_set_lease_cb(e, vwd_ipv_on_lease, d). */
void vwd_ipv_on_lease(void *ctx, int family, const uint8_t ip[16], const uint8_t mac[6],
		      uint32_t lease_s);

/* Neighbour table: counts addresses behind each MAC to learn routers. */
void vwd_ipv_neigh(struct daemon *d, bool del, const uint8_t mac[6], int family,
		   const void *addr);
/* Once a second: expiry, and the routers' bits kept equal to the config. */
void vwd_ipv_tick(struct daemon *d);
/* An event whose MAC is an IP tag (VW_IP_TAG0): the journal alert. True
 * when it was one (handled here). */
bool vwd_ipv_on_event(struct daemon *d, const struct vw_event *ev);

/* Control commands given "ip" instead of "mac". */
bool vwd_ipv_args(struct json_object *args);
int vwd_ipv_cmd(struct daemon *d, const char *cmd, const struct vw_caller *c,
		struct json_object *args, struct json_object **result,
		struct vw_control_change *chg, char **errmsg);
/* devices and status: IP devices and routers, as JSON arrays. */
struct json_object *vwd_ipv_devices_json(struct daemon *d);
struct json_object *vwd_ipv_routers_json(struct daemon *d);

#endif
