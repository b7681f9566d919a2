// SPDX-License-Identifier: GPL-2.0-only
/* What the event loop makes of a switch poll: restricted OUIs in the
 * forwarding database and LLDP neighbours the fingerprint rules identify
 * are reported with their switch, port and address (journal, inventory,
 * IP enforcement); a switch that stops answering, or whose tables hit
 * MaxRows=/MaxBytes=, is a degraded entry until it recovers. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <json-c/json.h>

#include "alert_ids.h"
#include "confidence.h"
#include "engine.h"
#include "health.h"
#include "ipverdicts.h"
#include "journal.h"
#include "names.h"
#include "samples.h"
#include "switches.h"
#include "switchstate.h"

/* The segment name a switch's devices are recorded under in the inventory:
 * ':' cannot occur in a segment name, so it never collides with one. */
#define VWD_SWITCH_ENTRIES_PER_POLL 100

static void inventory_segment(const struct vwd_switch *sw, char *buf, size_t len)
{
	snprintf(buf, len, "switch:%s", sw->conf->name);
}

static void found_entry(struct daemon *d, const struct vwd_switch *sw,
			const struct vwd_switch_device *dev, const char *ip)
{
	char mac[VW_MAC_STRLEN], prof[256], basis[1024];
	const struct vw_vendor *vendor = vw_policy_vendor(&d->st->policy, dev->vendor);
	struct vw_entry e;

	vw_format_mac(dev->mac, mac);
	vw_entry_init(&e, VW_MID_SWITCH_FOUND, LOG_WARNING);
	vw_entry_add(&e, "MESSAGE", "Restricted device %s (%s) found by polling switch %s: port %s, IP %s (%s)",
		     mac, dev->vendor, sw->conf->name, dev->port, *ip ? ip : "unknown",
		     dev->evidence);
	vw_entry_add(&e, "VW_MAC", "%s", mac);
	vw_entry_add(&e, "VW_VENDOR", "%s", dev->vendor);
	vw_entry_add(&e, "VW_SWITCH", "%s", sw->conf->name);
	vw_entry_add(&e, "VW_PORT", "%s", dev->port);
	if (*ip)
		vw_entry_add(&e, "VW_IP", "%s", ip);
	vw_entry_add(&e, "VW_EVIDENCE", "%s", dev->evidence);
	vw_entry_add(&e, "VW_SOURCE", "%s", dev->how);
	vw_entry_add(&e, "VW_VERDICT", "%s", vw_verdict_word(VW_V_RESTRICTED));
	vw_state_basis(d->st, vendor ? vendor->code : 0, prof, sizeof(prof), basis, sizeof(basis));
	vw_entry_add(&e, "VW_PROFILE", "%s", prof);
	if (*basis)
		vw_entry_add(&e, "VW_LEGAL_BASIS", "%s", basis);
	vw_entry_add(&e, "VW_POLICY_VERSION", "%s", vwd_policy_version(d));
	vw_entry_send(&e);
}

static void record(struct daemon *d, const struct vwd_switch *sw,
		   const struct vwd_switch_device *dev, bool oui)
{
	char seg[96], where[160], oui_text[64];
	struct vw_evidence loc = {
		.signal = "switch", .field = "port", .value = where, .rule = "snmp",
		.confidence = 0,   /* where it is, not what it is */
	};
	struct vw_evidence oe = {
		.signal = "oui", .field = "mac", .value = oui_text, .rule = "ieee-registry",
		.confidence = vw_conf_percent(VW_CONF_OUI),
	};
	time_t now = time(NULL);
	int err;

	if (!d->inv)
		return;
	inventory_segment(sw, seg, sizeof(seg));
	snprintf(where, sizeof(where), "%s %s", sw->conf->name, dev->port);
	snprintf(oui_text, sizeof(oui_text), "%02x:%02x:%02x (IEEE block of %s)",
		 dev->mac[0], dev->mac[1], dev->mac[2], dev->vendor);
	err = vw_inventory_observe(d->inv, dev->mac, dev->vendor, seg,
				   vw_verdict_word(VW_V_RESTRICTED), NULL, now, NULL, NULL);
	err = err ?: vw_inventory_add_evidence(d->inv, dev->mac, &loc, now);
	if (!err && oui)
		err = vw_inventory_add_evidence(d->inv, dev->mac, &oe, now);
	if (!err && dev->family)
		err = vw_inventory_add_address(d->inv, dev->mac, dev->family, dev->addr, now);
	if (err)
		vw_log(LOG_WARNING, "Cannot record a device found on switch %s: %s",
		       sw->conf->name, strerror(-err));
}

static int cmp_seen(const void *a, const void *b)
{
	return memcmp(((const struct vwd_switch_seen *)a)->mac,
		      ((const struct vwd_switch_seen *)b)->mac, 6);
}

/* sw->seen is sorted by MAC (vwd_switch_report). */
static const struct vwd_switch_seen *seen_before(const struct vwd_switch *sw, const uint8_t mac[6])
{
	struct vwd_switch_seen key;

	memcpy(key.mac, mac, 6);
	return sw->n_seen ? bsearch(&key, sw->seen, sw->n_seen, sizeof(key), cmp_seen) : NULL;
}

/* This poll's devices so far: the FDB's come sorted (the table is), the
 * few LLDP ones after them. */
struct poll_found {
	struct vwd_switch_seen *v;
	size_t n, n_sorted;
	size_t entries;               /* journal entries written by this poll */
};

static bool already(const struct poll_found *pf, const uint8_t mac[6])
{
	struct vwd_switch_seen key;

	memcpy(key.mac, mac, 6);
	if (pf->n_sorted && bsearch(&key, pf->v, pf->n_sorted, sizeof(key), cmp_seen))
		return true;
	for (size_t i = pf->n_sorted; i < pf->n; i++)
		if (!memcmp(pf->v[i].mac, mac, 6))
			return true;
	return false;
}

/* Reports dev unless the last poll already showed it on the same port;
 * remembers it in pf (room for every row of this poll). */
static void found(struct daemon *d, struct vwd_switch *sw, struct vwd_switch_device *dev,
		  bool oui, struct poll_found *pf)
{
	const struct vwd_switch_seen *old = seen_before(sw, dev->mac);
	char ip[INET6_ADDRSTRLEN] = "";

	/* In both bridge tables, or in the FDB and LLDP: once. */
	if (already(pf, dev->mac))
		return;
	memcpy(pf->v[pf->n].mac, dev->mac, 6);
	snprintf(pf->v[pf->n].port, sizeof(pf->v[pf->n].port), "%s", dev->port);
	pf->n++;
	dev->switch_name = sw->conf->name;
	if (dev->family)
		inet_ntop(dev->family, dev->addr, ip, sizeof(ip));
	/* A table full of restricted MACs must not flood the journal: past
	 * the budget, devices are recorded and counted, not each announced. */
	if ((!old || strcmp(old->port, dev->port)) && pf->entries++ < VWD_SWITCH_ENTRIES_PER_POLL)
		found_entry(d, sw, dev, ip);
	record(d, sw, dev, oui);
	if (dev->family)
		vwd_switches_found(d, dev);
}

static void locate(const struct vw_snmp_tables *t, uint32_t bridge_port,
		   struct vwd_switch_device *dev)
{
	vw_snmp_port_name(t, bridge_port, dev->port, sizeof(dev->port));
	if (vw_snmp_addr_of(t, dev->mac, &dev->family, dev->addr))
		dev->family = 0;
}

/* A look-alike the fingerprint engine identified (H3C with a Huawei-era
 * OUI) is explained, here as on a segment. */
static bool cleared(struct daemon *d, const uint8_t mac[6])
{
	struct vw_fp_report rep;

	return d->fp && !vw_fp_engine_get(d->fp, mac, &rep) && rep.state == VW_FP_STATE_CLEARED;
}

static void scan_fdb(struct daemon *d, struct vwd_switch *sw, const struct vw_snmp_tables *t,
		     struct poll_found *pf)
{
	for (size_t i = 0; i < t->n_fdb; i++) {
		const struct vw_snmp_fdb *f = &t->fdb[i];
		uint16_t code = vw_ouiset_lookup(&d->st->set, f->mac);
		struct vwd_switch_device dev = { .how = "fdb" };

		if (!code || cleared(d, f->mac))
			continue;
		memcpy(dev.mac, f->mac, 6);
		dev.vendor = vw_state_vendor_id(d->st, code);
		snprintf(dev.evidence, sizeof(dev.evidence), "oui:mac=%02x:%02x:%02x (IEEE block of %s)",
			 f->mac[0], f->mac[1], f->mac[2], dev.vendor);
		locate(t, f->bridge_port, &dev);
		found(d, sw, &dev, true, pf);
	}
	pf->n_sorted = pf->n;
}

/* The neighbour as the LLDP parser would have reported its frame, so the
 * same fingerprint rules judge it. Subtype 4: the chassis id is a MAC, the
 * key of everything else. */
static bool lldp_keyed(const struct vw_snmp_lldp *l)
{
	return l->chassis_subtype == 4 && l->chassis_len == 6;
}

static void lldp_result(const struct vw_snmp_lldp *l, struct vw_fp_result *r)
{
	char mac[VW_FP_MAC_TEXT];

	vw_fp_reset(r, VW_SIG_LLDP);
	vw_fp_fmt_mac(mac, l->chassis);
	vw_fp_add_copy(r, "chassis-id", mac, strlen(mac));
	vw_fp_add_num(r, "chassis-id-subtype", l->chassis_subtype);
	if (l->sys_name[0])
		vw_fp_add_copy(r, "system-name", l->sys_name, strlen(l->sys_name));
	if (l->sys_desc[0])
		vw_fp_add_copy(r, "system-description", l->sys_desc, strlen(l->sys_desc));
}

/* Every neighbour to the engine first, so the forwarding database is read
 * with what they say about themselves. */
static void feed_lldp(struct daemon *d, const struct vw_snmp_tables *t)
{
	struct vw_fp_result *r = malloc(sizeof(*r));
	struct timespec ts;

	if (!r || !d->fp)
		goto out;
	clock_gettime(CLOCK_REALTIME, &ts);
	for (size_t i = 0; i < t->n_lldp; i++) {
		if (!lldp_keyed(&t->lldp[i]))
			continue;
		lldp_result(&t->lldp[i], r);
		vw_fp_engine_result(d->fp, t->lldp[i].chassis, r,
				    (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, NULL, NULL);
	}
out:
	free(r);
}

static void scan_lldp(struct daemon *d, struct vwd_switch *sw, const struct vw_snmp_tables *t,
		      struct poll_found *pf)
{
	for (size_t i = 0; d->fp && i < t->n_lldp; i++) {
		const struct vw_snmp_lldp *l = &t->lldp[i];
		struct vwd_switch_device dev = { .how = "lldp" };
		struct vw_fp_report rep;
		char conf[16];

		if (!lldp_keyed(l) || vw_fp_engine_get(d->fp, l->chassis, &rep) ||
		    rep.state != VW_FP_STATE_RESTRICTED || !rep.monitor || !rep.ident)
			continue;
		if (rep.block)
			vw_datapath_device_verdict(d->dp, rep.mac, VW_DEV_RESTRICTED, VW_DEV_CLEARED,
						   rep.vendor_code);
		memcpy(dev.mac, l->chassis, 6);
		dev.vendor = rep.ident->id;
		vwd_fp_describe(d, dev.mac, dev.evidence, sizeof(dev.evidence), conf, sizeof(conf));
		/* LLDP-MIB: on a bridge lldpRemLocalPortNum is the dot1dBasePort. */
		locate(t, l->local_port, &dev);
		found(d, sw, &dev, false, pf);
	}
}

static void key_of(const struct vwd_switch *sw, const char *what, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", what, sw->conf->name);
}

static void health(struct daemon *d, struct vwd_switch *sw, const struct vwd_switch_result *res)
{
	char key[96], detail[512];

	key_of(sw, "switch", key, sizeof(key));
	if (res->err) {
		snprintf(detail, sizeof(detail),
			 "switch %s (%s port %u) is not polled: %s; other switches are polled as usual",
			 sw->conf->name, sw->conf->address, sw->conf->port,
			 *res->detail ? res->detail : strerror(-res->err));
		vwd_degraded(d, key, NULL, detail);
		return;
	}
	vwd_recovered(d, key, "it answers again");
	key_of(sw, "switch-table", key, sizeof(key));
	if (res->t.truncated) {
		snprintf(detail, sizeof(detail),
			 "switch %s: its tables exceed MaxRows=%u or MaxBytes=%u; the poll stopped at %zu rows, %zu bytes, devices beyond are not seen",
			 sw->conf->name, sw->conf->max_rows, sw->conf->max_bytes, res->t.rows,
			 res->t.bytes);
		vwd_degraded(d, key, NULL, detail);
	} else {
		vwd_recovered(d, key, "its tables fit the limits again");
	}
}

void vwd_switch_report(struct daemon *d, struct vwd_switch *sw, const struct vwd_switch_result *res)
{
	const struct vw_snmp_tables *t = &res->t;
	struct poll_found pf = { 0 };

	sw->last_poll = res->at;
	sw->took_ms = res->took_ms;
	snprintf(sw->detail, sizeof(sw->detail), "%s", res->detail);
	health(d, sw, res);
	if (res->err) {
		sw->state = VWD_SW_DOWN;
		return;
	}
	sw->state = VWD_SW_OK;
	sw->last_ok = res->at;
	sw->rows = t->rows;
	sw->truncated = t->truncated;
	pf.v = calloc(t->n_fdb + t->n_lldp + 1, sizeof(*pf.v));
	if (!pf.v) {
		vw_log(LOG_ERR, "Cannot examine the tables of switch %s: out of memory", sw->conf->name);
		return;
	}
	if (d->inv)
		vw_inventory_begin(d->inv);
	feed_lldp(d, t);
	scan_fdb(d, sw, t, &pf);
	scan_lldp(d, sw, t, &pf);
	if (d->inv)
		vw_inventory_commit(d->inv);
	if (pf.entries > VWD_SWITCH_ENTRIES_PER_POLL)
		vw_log(LOG_WARNING, "Switch %s: %zu more restricted devices new or moved in this poll, recorded in the inventory but not announced one by one",
		       sw->conf->name, pf.entries - VWD_SWITCH_ENTRIES_PER_POLL);
	if (pf.n)
		qsort(pf.v, pf.n, sizeof(*pf.v), cmp_seen);
	free(sw->seen);
	sw->seen = pf.v;
	sw->n_seen = pf.n;
	sw->found = pf.n;
}

void vwd_switch_forget(struct daemon *d, struct vwd_switch *sw)
{
	char key[96];

	key_of(sw, "switch", key, sizeof(key));
	vwd_recovered(d, key, "no longer configured");
	key_of(sw, "switch-table", key, sizeof(key));
	vwd_recovered(d, key, "no longer configured");
}

static const char *const state_names[] = {
	[VWD_SW_NEVER] = "not-polled-yet", [VWD_SW_OK] = "ok", [VWD_SW_DOWN] = "not-answering",
};

struct json_object *vwd_switches_json(struct daemon *d)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && d->switches && i < d->switches->n; i++) {
		const struct vwd_switch *sw = d->switches->v[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		json_object_object_add(o, "name", json_object_new_string(sw->conf->name));
		json_object_object_add(o, "address", json_object_new_string(sw->conf->address));
		json_object_object_add(o, "port", json_object_new_int(sw->conf->port));
		json_object_object_add(o, "version",
				       json_object_new_string(sw->conf->version == VW_SNMP_V3 ? "3" : "2c"));
		json_object_object_add(o, "state", json_object_new_string(state_names[sw->state]));
		json_object_object_add(o, "last_poll", json_object_new_int64(sw->last_poll));
		json_object_object_add(o, "last_answer", json_object_new_int64(sw->last_ok));
		json_object_object_add(o, "poll_ms", json_object_new_int64((int64_t)sw->took_ms));
		json_object_object_add(o, "rows", json_object_new_int64((int64_t)sw->rows));
		json_object_object_add(o, "truncated", json_object_new_boolean(sw->truncated));
		json_object_object_add(o, "devices", json_object_new_int64((int64_t)sw->found));
		if (sw->state == VWD_SW_DOWN)
			json_object_object_add(o, "error", json_object_new_string(sw->detail));
		json_object_array_add(arr, o);
	}
	return arr;
}

int vwd_switches_where(struct daemon *d, const uint8_t mac[6], char *sw, size_t swlen,
		       char *port, size_t portlen)
{
	for (size_t i = 0; d->switches && i < d->switches->n; i++) {
		const struct vwd_switch_seen *s = seen_before(d->switches->v[i], mac);

		if (s) {
			snprintf(sw, swlen, "%s", d->switches->v[i]->conf->name);
			snprintf(port, portlen, "%s", s->port);
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * A device found in a switch's tables with an address becomes an IP
 * verdict on that address. Whether it is behind a router need not be
 * guessed: an IP verdict only ever judges frames carried by a router's
 * MAC (VW_DEV_ROUTER), so for a device on a gateway segment it is inert
 * (its own MAC is judged by its OUI there) and for one behind a router it
 * is what stops it. Each poll re-confirms it; it ends with IpVerdictMaxAge=
 * or when a DHCP ACK gives the address to another client.
 */
void vwd_switches_found(struct daemon *d, const struct vwd_switch_device *dev)
{
	const struct vw_vendor *vendor = vw_policy_vendor(&d->st->policy, dev->vendor);
	char text[448];
	struct vwd_ipv_evidence ev = {
		.restricted = true, .vendor = vendor ? vendor->code : 0, .text = text,
		.has_mac = true,
	};
	struct timespec ts;
	int err;

	if (dev->family != AF_INET && dev->family != AF_INET6)
		return;
	memcpy(ev.mac, dev->mac, 6);
	snprintf(text, sizeof(text), "switch %s port %s: %s", dev->switch_name, dev->port,
		 dev->evidence);
	clock_gettime(CLOCK_REALTIME, &ts);
	err = vwd_ipv_observe_evidence(d, dev->family, dev->addr, &ev,
				       (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	if (err < 0)
		vw_log(LOG_ERR, "Cannot write the IP verdict of a device found on switch %s: %s",
		       dev->switch_name, strerror(-err));
}
