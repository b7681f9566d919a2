// SPDX-License-Identifier: GPL-2.0-only
/* vendorwalld's control commands (the protocol is control.h's) and their
 * audit trail in the journal. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "alert.h"
#include "alert_ids.h"
#include "capkeep.h"
#include "confidence.h"
#include "control_server.h"
#include "journal.h"
#include "decisions.h"
#include "handlers.h"
#include "ipverdicts.h"
#include "reload.h"
#include "status.h"
#include "switches.h"

/* From the VERSION file, through the Makefile. */
#ifndef VW_VERSION
#define VW_VERSION "unknown"
#endif
#define VWD_VERSION VW_VERSION

static int oom(void)
{
	return -ENOMEM;
}

static char *fmt_err(const char *fmt, const char *arg)
{
	char *s = NULL;

	if (asprintf(&s, fmt, arg) < 0)
		return NULL;
	return s;
}

static void audit_set(struct vw_control_change *chg, const char *old_fmt, const char *old_v,
		      const char *new_fmt, const char *new_v)
{
	snprintf(chg->old_value, sizeof(chg->old_value), old_fmt, old_v);
	snprintf(chg->new_value, sizeof(chg->new_value), new_fmt, new_v);
}

static const char *attach_name(const struct seg_rt *rt)
{
	if (!rt->ifindex)
		return "absent";
	return rt->attach == VW_ATTACH_GENERIC ? "generic" : "native";
}

static struct json_object *segment_json(struct daemon *d, struct seg_rt *rt)
{
	struct json_object *o = json_object_new_object(), *c = json_object_new_object();
	uint64_t ctr[VW_CTR_MAX] = {0};
	uint64_t passed;

	if (!o || !c) {
		json_object_put(o);
		json_object_put(c);
		return NULL;
	}
	vw_datapath_read_counters(d->dp, rt->slot, ctr);
	passed = ctr[VW_REASON_BENIGN] + ctr[VW_REASON_MALFORMED] + ctr[VW_REASON_NO_OUI] +
		 ctr[VW_REASON_WAIVER] + ctr[VW_REASON_DEVICE_CLEAR] + ctr[VW_CTR_WOULD_DROP] +
		 ctr[VW_CTR_OFF];
	json_object_object_add(o, "name", json_object_new_string(rt->name));
	json_object_object_add(o, "interface", json_object_new_string(rt->ifname));
	json_object_object_add(o, "ifindex", json_object_new_int(rt->ifindex));
	json_object_object_add(o, "vlan", json_object_new_int(rt->vlan < 0 ? 0 : rt->vlan));
	json_object_object_add(o, "mode", json_object_new_string(vw_mode_name(rt->mode)));
	json_object_object_add(o, "configured_mode",
			       json_object_new_string(vw_mode_name(rt->configured_mode)));
	json_object_object_add(o, "attach", json_object_new_string(attach_name(rt)));
	json_object_object_add(c, vw_outcome_key(VW_VERDICT_PASS), json_object_new_int64(passed));
	json_object_object_add(c, vw_outcome_key(VW_VERDICT_DROP), json_object_new_int64(ctr[VW_CTR_DROP]));
	json_object_object_add(c, vw_outcome_key(VW_VERDICT_WOULD_DROP),
			       json_object_new_int64(ctr[VW_CTR_WOULD_DROP]));
	json_object_object_add(c, vw_outcome_key(VW_VERDICT_REDIRECT),
			       json_object_new_int64(ctr[VW_CTR_REDIRECT]));
	json_object_object_add(o, "counters", c);
	json_object_object_add(o, "devices", json_object_new_int64(vwd_status_devices(d, rt)));
	return o;
}

static struct json_object *segments_json(struct daemon *d)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < vwd_n_segs(d); i++)
		json_object_array_add(arr, segment_json(d, vwd_seg(d, i)));
	return arr;
}

/* Where the last switch poll put the device, when one did. */
static void switch_location(struct daemon *d, const uint8_t mac[6], struct json_object *o)
{
	char sw[VW_SWITCH_NAME_MAX + 1], port[64];

	if (vwd_switches_where(d, mac, sw, sizeof(sw), port, sizeof(port)))
		return;
	json_object_object_add(o, "switch", json_object_new_string(sw));
	json_object_object_add(o, "port", json_object_new_string(port));
}

static int cmd_status(void *ctx, const struct vw_caller *c, struct json_object *args,
		      struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	struct daemon *d = ctx;
	struct json_object *o = json_object_new_object(), *p, *lost, *deg;
	uint64_t ctr[VW_CTR_MAX], ev = 0, sa = 0;
	char date[16] = "unknown";
	struct tm tm;

	if (!o)
		return oom();
	p = json_object_new_array();
	for (size_t i = 0; i < d->st->conf.profiles.n; i++)
		json_object_array_add(p, json_object_new_string(d->st->conf.profiles.v[i]));
	if (d->st->registry.date && gmtime_r(&d->st->registry.date, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	for (size_t i = 0; i < vwd_n_segs(d); i++) {
		if (vw_datapath_read_counters(d->dp, vwd_seg(d, i)->slot, ctr))
			continue;
		ev += ctr[VW_CTR_EVENT_LOST];
		sa += ctr[VW_CTR_SAMPLE_LOST];
	}
	lost = json_object_new_object();
	json_object_object_add(lost, "events", json_object_new_int64(ev));
	json_object_object_add(lost, "samples", json_object_new_int64(sa));
	deg = json_object_new_array();
	for (size_t i = 0; i < d->degraded.n; i++) {
		char line[512];

		snprintf(line, sizeof(line), "%s: %s", d->degraded.v[i].key, d->degraded.v[i].detail);
		json_object_array_add(deg, json_object_new_string(line));
	}
	json_object_object_add(o, "version", json_object_new_string(VWD_VERSION));
	json_object_object_add(o, "policy_version", json_object_new_string(vwd_policy_version(d)));
	json_object_object_add(o, "profiles", p);
	json_object_object_add(o, "registry_date", json_object_new_string(date));
	json_object_object_add(o, "registry_path", json_object_new_string(d->st->registry_path));
	json_object_object_add(o, "segments", segments_json(d));
	json_object_object_add(o, "ringbuf_lost", lost);
	json_object_object_add(o, "degraded", deg);
	json_object_object_add(o, "cap_blocked", vwd_cap_json(d));
	json_object_object_add(o, "switches", vwd_switches_json(d));
	json_object_object_add(o, "routers", vwd_ipv_routers_json(d));
	*result = o;
	return 0;
}

static int cmd_segments(void *ctx, const struct vw_caller *c, struct json_object *args,
			struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	struct daemon *d = ctx;
	struct json_object *o = json_object_new_object();

	if (!o)
		return oom();
	json_object_object_add(o, "segments", segments_json(d));
	*result = o;
	return 0;
}

static void decision_to_inventory(struct daemon *d, const uint8_t *mac, const char *kind,
				  const char *segment, const char *detail,
				  const struct vw_caller *c, time_t until)
{
	struct vw_decision dec = {
		.kind = kind, .segment = segment, .detail = detail, .comm = c->comm,
		.uid = c->uid, .at = time(NULL), .until = until,
	};

	if (d->inv)
		vw_inventory_add_decision(d->inv, mac, &dec);
}

static int cmd_mode(void *ctx, const struct vw_caller *c, struct json_object *args,
		    struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	static const char *const keys[] = { "segment", "mode", NULL };
	struct daemon *d = ctx;
	const char *name = NULL;
	struct json_object *o;
	struct vw_overrides next = {0};
	struct seg_rt *rt;
	int mode = 0, err;
	uint8_t prev;
	char why[64];

	err = vw_json_check_keys(args, keys, errmsg);
	err = err ?: vw_json_get_string(args, "segment", true, &name, errmsg);
	err = err ?: vw_json_get_enum(args, "mode", true, vw_mode_names, VW_N_MODES, &mode, errmsg);
	if (err)
		return err;
	rt = vwd_plan_seg(d->applied, name);
	if (!rt) {
		*errmsg = fmt_err("args.segment: no segment named '%s'", name);
		return -ENOENT;
	}
	prev = rt->mode;
	err = vwd_decisions_clone(&next, &d->ops);
	if (!err && mode == rt->configured_mode)
		vw_overrides_remove(&next, name);
	else if (!err)
		err = vw_overrides_set(&next, name, mode, rt->configured_mode, time(NULL), c->uid);
	snprintf(why, sizeof(why), "operator uid %u", (unsigned)c->uid);
	if (!err)
		err = vwd_decisions_change(d, &next, why, errmsg);
	vw_overrides_free(&next);
	if (err)
		return err;
	decision_to_inventory(d, NULL, "mode", name, vw_mode_name(mode), c, 0);
	audit_set(chg, "mode=%s", vw_mode_name(prev), "mode=%s", vw_mode_name(mode));
	o = json_object_new_object();
	if (!o)
		return oom();
	json_object_object_add(o, "segment", json_object_new_string(name));
	json_object_object_add(o, "mode", json_object_new_string(vw_mode_name(mode)));
	json_object_object_add(o, "previous_mode", json_object_new_string(vw_mode_name(prev)));
	*result = o;
	return 0;
}

static const char *verdict_of(struct daemon *d, const struct vw_inventory_device *dev)
{
	int kept = vw_verdict_from_word(dev->verdict);

	if (d->applied && vwd_plan_waived(d->applied, dev->mac))
		return vw_verdict_word(VW_V_WAIVED);
	if (d->applied && vwd_plan_quarantined(d->applied, dev->mac))
		return vw_verdict_word(VW_V_QUARANTINED);
	/* A look-alike's claim, disputed (OUI verdict kept) or cleared. */
	if (kept == VW_V_DISPUTED || kept == VW_V_CLEARED)
		return vw_verdict_word(kept);
	return vw_verdict_word(VW_V_RESTRICTED);
}

static struct json_object *str_array_of(struct vw_inventory_address *a, size_t n, int family)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++)
		if (a[i].family == family)
			json_object_array_add(arr, json_object_new_string(a[i].addr));
	return arr;
}

static struct json_object *device_json(struct daemon *d, const struct vw_inventory_device *dev,
				       bool full)
{
	struct json_object *o = json_object_new_object(), *segs = json_object_new_array();
	char mac[VW_MAC_STRLEN];

	if (!o || !segs) {
		json_object_put(o);
		json_object_put(segs);
		return NULL;
	}
	vw_format_mac(dev->mac, mac);
	json_object_object_add(o, "mac", json_object_new_string(mac));
	json_object_object_add(o, "vendor", json_object_new_string(dev->vendor));
	json_object_object_add(o, "first_seen", json_object_new_int64(dev->first_seen));
	json_object_object_add(o, "last_seen", json_object_new_int64(dev->last_seen));
	for (size_t i = 0; i < dev->n_segments; i++) {
		if (!full) {
			json_object_array_add(segs, json_object_new_string(dev->segments[i].name));
			continue;
		}
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "name", json_object_new_string(dev->segments[i].name));
		json_object_object_add(s, "first_seen", json_object_new_int64(dev->segments[i].first_seen));
		json_object_object_add(s, "last_seen", json_object_new_int64(dev->segments[i].last_seen));
		json_object_array_add(segs, s);
	}
	json_object_object_add(o, "segments", segs);
	json_object_object_add(o, "verdict", json_object_new_string(verdict_of(d, dev)));
	json_object_object_add(o, "outcome", json_object_new_string(dev->outcome));
	json_object_object_add(o, "ipv4", str_array_of(dev->addresses, dev->n_addresses, AF_INET));
	json_object_object_add(o, "ipv6", str_array_of(dev->addresses, dev->n_addresses, AF_INET6));
	switch_location(d, dev->mac, o);
	if (!full)
		return o;

	struct json_object *ev = json_object_new_array(), *dec = json_object_new_array();

	for (size_t i = 0; i < dev->n_evidence; i++) {
		const struct vw_evidence_rec *e = &dev->evidence[i].e;
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "signal", json_object_new_string(e->signal ? e->signal : ""));
		json_object_object_add(x, "field", json_object_new_string(e->field ? e->field : ""));
		json_object_object_add(x, "value", json_object_new_string(e->value ? e->value : ""));
		char cs[VW_CONF_STRLEN];
		double conf = vw_conf_from_percent(e->confidence);

		/* Two decimals as the engine means them, not 0.9000000000000000222. */
		json_object_object_add(x, "confidence",
				       json_object_new_double_s(conf, vw_conf_format(conf, cs)));
		json_object_object_add(x, "time", json_object_new_int64(dev->evidence[i].last_seen));
		json_object_array_add(ev, x);
	}
	for (size_t i = 0; i < dev->n_decisions; i++) {
		const struct vw_decision_rec *x = &dev->decisions[i].d;
		struct json_object *y = json_object_new_object();
		char by[64];

		snprintf(by, sizeof(by), "uid %u (%s)", (unsigned)x->uid, x->comm ? x->comm : "?");
		json_object_object_add(y, "time", json_object_new_int64(x->at));
		json_object_object_add(y, "action", json_object_new_string(x->kind ? x->kind : ""));
		json_object_object_add(y, "by", json_object_new_string(by));
		json_object_object_add(y, "reason", json_object_new_string(x->detail ? x->detail : ""));
		json_object_array_add(dec, y);
	}
	json_object_object_add(o, "evidence", ev);
	json_object_object_add(o, "decisions", dec);
	return o;
}

struct list_ctx {
	struct daemon *d;
	struct json_object *arr;
	size_t n, limit, bytes;
	uint8_t last[6];     /* the page's last MAC: the cursor of the next */
	bool more;
};

/* A page ends at its count or its size, whichever comes first: a response
 * stays far below VW_CONTROL_MAX_RESPONSE, however long the lists. */
static int add_device(void *ctx, const struct vw_inventory_device *dev)
{
	struct list_ctx *l = ctx;
	struct json_object *o;
	size_t len = 0;

	if (l->n == l->limit || l->bytes > VW_CONTROL_PAGE_BYTES) {
		l->more = true;
		return 1;
	}
	o = device_json(l->d, dev, false);
	if (!o)
		return -ENOMEM;
	json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	json_object_array_add(l->arr, o);
	l->bytes += len;
	l->n++;
	memcpy(l->last, dev->mac, 6);
	return 0;
}

static int cmd_devices(void *ctx, const struct vw_caller *c, struct json_object *args,
		       struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	static const char *const keys[] = { "vendor", "segment", "since", "after", "limit", NULL };
	struct daemon *d = ctx;
	struct vw_inventory_filter f = {0};
	struct list_ctx l = { .d = d };
	struct json_object *o, *av = NULL;
	int64_t since = 0, limit = VW_CONTROL_PAGE_DEVICES;
	uint8_t after[6];
	bool paged = false;
	int err;

	err = vw_json_check_keys(args, keys, errmsg);
	err = err ?: vw_json_get_string(args, "vendor", false, &f.vendor, errmsg);
	err = err ?: vw_json_get_string(args, "segment", false, &f.segment, errmsg);
	err = err ?: vw_json_get_int(args, "since", false, 0, INT64_MAX, &since, errmsg);
	err = err ?: vw_json_get_int(args, "limit", false, 1, VW_CONTROL_PAGE_DEVICES, &limit, errmsg);
	err = err ?: vw_json_get_mac(args, "after", false, after, errmsg);
	if (err)
		return err;
	paged = json_object_object_get_ex(args, "after", &av) && av;
	l.limit = (size_t)limit;
	f.since = since;
	if (!d->inv) {
		*errmsg = strdup("the inventory is unavailable (see the degraded list in status)");
		return -EIO;
	}
	o = json_object_new_object();
	l.arr = json_object_new_array();
	if (!o || !l.arr) {
		json_object_put(o);
		json_object_put(l.arr);
		return oom();
	}
	json_object_object_add(o, "devices", l.arr);
	/* Devices behind routers are few (IP verdicts): on the first page. */
	if (!paged)
		json_object_object_add(o, "ip_devices", vwd_ipv_devices_json(d));
	err = vw_inventory_list_page(d->inv, &f, paged ? after : NULL, l.limit + 1, add_device, &l);
	if (err < 0) {
		json_object_put(o);
		return err;
	}
	if (l.more) {
		char next[VW_MAC_STRLEN];

		vw_format_mac(l.last, next);
		json_object_object_add(o, "next", json_object_new_string(next));
	}
	*result = o;
	return 0;
}

static int cmd_device(void *ctx, const struct vw_caller *c, struct json_object *args,
		      struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	static const char *const keys[] = { "mac", NULL };
	struct daemon *d = ctx;
	struct vw_inventory_device dev;
	struct json_object *o, *x;
	uint8_t mac[6];
	int err;

	if (vwd_ipv_args(args))   /* a device behind a router */
		return vwd_ipv_cmd(ctx, "device", c, args, result, chg, errmsg);
	err = vw_json_check_keys(args, keys, errmsg);
	err = err ?: vw_json_get_mac(args, "mac", true, mac, errmsg);
	if (err)
		return err;
	if (!d->inv) {
		*errmsg = strdup("the inventory is unavailable (see the degraded list in status)");
		return -EIO;
	}
	err = vw_inventory_get(d->inv, mac, &dev);
	if (err == -ENOENT) {
		*errmsg = strdup("args.mac: no such device in the inventory");
		return err;
	}
	if (err)
		return err;
	x = device_json(d, &dev, true);
	vw_inventory_device_free(&dev);
	o = json_object_new_object();
	if (!o || !x) {
		json_object_put(o);
		json_object_put(x);
		return oom();
	}
	json_object_object_add(o, "device", x);
	*result = o;
	return 0;
}

static struct json_object *mac_result(const uint8_t *mac)
{
	struct json_object *o = json_object_new_object();
	char s[VW_MAC_STRLEN];

	vw_format_mac(mac, s);
	if (o)
		json_object_object_add(o, "mac", json_object_new_string(s));
	return o;
}

static void decision_entry(const char *mid, int prio, const uint8_t *mac, const char *what,
			   const struct vw_caller *c, const char *reason, time_t until)
{
	struct vw_entry e;
	char m[VW_MAC_STRLEN];

	vw_format_mac(mac, m);
	vw_entry_init(&e, mid, prio);
	vw_entry_add(&e, "MESSAGE", "%s %s by uid %u (%s)%s%s", what, m, (unsigned)c->uid,
		     c->comm, reason ? ": " : "", reason ? reason : "");
	vw_entry_add(&e, "VW_MAC", "%s", m);
	vw_entry_add(&e, "VW_CALLER_UID", "%u", (unsigned)c->uid);
	vw_entry_add(&e, "VW_CALLER_PID", "%d", (int)c->pid);
	vw_entry_add(&e, "VW_CALLER_COMM", "%s", c->comm);
	if (until)
		vw_entry_add(&e, "VW_WAIVER_UNTIL", "%lld", (long long)until);
	if (reason)
		vw_entry_add(&e, "VW_REASON_TEXT", "%s", reason);
	vw_entry_send(&e);
}

/* The common end of allow, revoke, quarantine and release: next (the
 * decisions with the change, consumed) is saved and enforced, then the
 * journal and the inventory are told. */
static int decided(struct daemon *d, struct vw_overrides *next, const struct vw_caller *c,
		   const uint8_t *mac, const char *kind, const char *mid, int prio, const char *what,
		   const char *reason, time_t until, struct json_object **result, char **errmsg)
{
	int err = vwd_decisions_change(d, next, NULL, errmsg);

	vw_overrides_free(next);
	if (err)
		return err;
	decision_entry(mid, prio, mac, what, c, reason, until);
	decision_to_inventory(d, mac, kind, NULL, reason, c, until);
	*result = mac_result(mac);
	return *result ? 0 : oom();
}

/* revoke and release take one argument, the MAC. */
static int mac_only(struct json_object *args, uint8_t mac[6], char **errmsg)
{
	static const char *const keys[] = { "mac", NULL };
	int err = vw_json_check_keys(args, keys, errmsg);

	return err ?: vw_json_get_mac(args, "mac", true, mac, errmsg);
}

/* next becomes a copy of the operator's decisions with mac's decision in
 * list (waivers or quarantines of next) set to what *w says. w's strings
 * are borrowed from the request and copied. */
static int with_decision(struct daemon *d, struct vw_overrides *next, bool quarantine,
			 const struct vw_mac_decision *w)
{
	int err = vwd_decisions_clone(next, &d->ops);

	if (err)
		return err;
	return quarantine ? vw_overrides_put(&next->quarantines, &next->n_quarantines, w) :
			    vw_overrides_put(&next->waivers, &next->n_waivers, w);
}

static int allow_args(struct json_object *args, struct vw_mac_decision *w, char **reason,
		      char **ticket, char **errmsg)
{
	static const char *const keys[] = { "mac", "until", "reason", "ticket", NULL };
	const char *r = NULL, *t = NULL;
	int err;

	err = vw_json_check_keys(args, keys, errmsg);
	err = err ?: vw_json_get_mac(args, "mac", true, w->mac, errmsg);
	err = err ?: vw_json_get_int(args, "until", true, 1, INT64_MAX, &w->until, errmsg);
	err = err ?: vw_json_get_string(args, "reason", true, &r, errmsg);
	err = err ?: vw_json_get_string(args, "ticket", false, &t, errmsg);
	if (err)
		return err;
	if (w->until <= time(NULL)) {
		*errmsg = strdup("args.until: must be in the future");
		return -EINVAL;
	}
	if (!*r) {
		*errmsg = strdup("args.reason: must not be empty");
		return -EINVAL;
	}
	*reason = strdup(r);
	*ticket = t ? strdup(t) : NULL;
	return *reason && (!t || *ticket) ? 0 : oom();
}

static int cmd_allow(void *ctx, const struct vw_caller *c, struct json_object *args,
		     struct json_object **result, struct vw_control_change *chg,
		     char **errmsg)
{
	struct daemon *d = ctx;
	struct vw_mac_decision w = { .since = time(NULL), .uid = c->uid };
	const struct vw_mac_decision *old;
	struct vw_overrides next = {0};
	char buf[64];
	int err;

	if (vwd_ipv_args(args))   /* a device behind a router */
		return vwd_ipv_cmd(ctx, "allow", c, args, result, chg, errmsg);
	err = allow_args(args, &w, &w.reason, &w.ticket, errmsg);
	if (!err) {
		old = vw_overrides_find(d->ops.waivers, d->ops.n_waivers, w.mac);
		snprintf(buf, sizeof(buf), "%lld", old ? (long long)old->until : 0LL);
		audit_set(chg, old ? "waiver until %s" : "no waiver", buf, "%s", "");
		snprintf(chg->new_value, sizeof(chg->new_value), "waiver until %lld", (long long)w.until);
		err = with_decision(d, &next, false, &w);
	}
	if (!err)
		err = decided(d, &next, c, w.mac, "waiver", VW_MID_WAIVER_ADDED, LOG_NOTICE,
			      "Waiver granted for", w.reason, w.until, result, errmsg);
	if (!err)
		json_object_object_add(*result, "until", json_object_new_int64(w.until));
	vw_overrides_free(&next);
	free(w.reason);
	free(w.ticket);
	return err;
}

/* How revoke and release describe the operator decision they drop. */
struct dropped {
	bool waiver;            /* a waiver, else a quarantine */
	const char *kind, *was, *now, *what;
};

/* Applies the operator decisions without mac's waiver or quarantine (which
 * the caller has found). */
static int drop_decision(struct daemon *d, const struct vw_caller *c, const uint8_t mac[6],
			 const struct dropped *k, struct json_object **result,
			 struct vw_control_change *chg, char **errmsg)
{
	struct vw_overrides next = {0};
	int err = vwd_decisions_clone(&next, &d->ops);

	if (err)
		return err;
	if (k->waiver)
		vw_overrides_drop(next.waivers, &next.n_waivers, mac);
	else
		vw_overrides_drop(next.quarantines, &next.n_quarantines, mac);
	audit_set(chg, "%s", k->was, "%s", k->now);
	return decided(d, &next, c, mac, k->kind, VW_MID_AUDIT, LOG_NOTICE, k->what, NULL, 0,
		       result, errmsg);
}

static int cmd_revoke(void *ctx, const struct vw_caller *c, struct json_object *args,
		      struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	static const struct dropped revoked = {
		.waiver = true, .kind = "revoke", .was = "waiver", .now = "no waiver",
		.what = "Waiver revoked for",
	};
	struct daemon *d = ctx;
	uint8_t mac[6];
	int err;

	if (vwd_ipv_args(args))   /* a device behind a router */
		return vwd_ipv_cmd(ctx, "revoke", c, args, result, chg, errmsg);
	err = mac_only(args, mac, errmsg);
	if (err)
		return err;
	if (!vw_overrides_find(d->ops.waivers, d->ops.n_waivers, mac)) {
		for (size_t i = 0; i < d->st->conf.n_waivers; i++) {
			if (memcmp(d->st->conf.waivers[i].mac, mac, 6))
				continue;
			*errmsg = fmt_err("the waiver comes from the configuration (%s); remove it there and reload",
					  d->st->conf.waivers[i].file ? d->st->conf.waivers[i].file : "?");
			return -EPERM;
		}
		*errmsg = strdup("args.mac: no operator waiver for this MAC");
		return -ENOENT;
	}
	return drop_decision(d, c, mac, &revoked, result, chg, errmsg);
}

static int cmd_quarantine(void *ctx, const struct vw_caller *c, struct json_object *args,
			  struct json_object **result, struct vw_control_change *chg,
			  char **errmsg)
{
	static const char *const keys[] = { "mac", "reason", NULL };
	struct daemon *d = ctx;
	struct vw_mac_decision q = { .since = time(NULL), .uid = c->uid };
	struct vw_overrides next = {0};
	const char *reason = NULL;
	bool was;
	int err;

	if (vwd_ipv_args(args))   /* a device behind a router */
		return vwd_ipv_cmd(ctx, "quarantine", c, args, result, chg, errmsg);
	err = vw_json_check_keys(args, keys, errmsg);
	err = err ?: vw_json_get_mac(args, "mac", true, q.mac, errmsg);
	err = err ?: vw_json_get_string(args, "reason", true, &reason, errmsg);
	if (err)
		return err;
	if (!*reason) {
		*errmsg = strdup("args.reason: must not be empty");
		return -EINVAL;
	}
	was = vw_overrides_find(d->ops.quarantines, d->ops.n_quarantines, q.mac) != NULL;
	q.reason = strdup(reason);
	err = q.reason ? with_decision(d, &next, true, &q) : oom();
	audit_set(chg, "%s", was ? "quarantined" : "not quarantined", "%s", "quarantined");
	if (!err)
		err = decided(d, &next, c, q.mac, "quarantine", VW_MID_AUDIT, LOG_WARNING,
			      "Device quarantined:", q.reason, 0, result, errmsg);
	vw_overrides_free(&next);
	free(q.reason);
	return err;
}

static int cmd_release(void *ctx, const struct vw_caller *c, struct json_object *args,
		       struct json_object **result, struct vw_control_change *chg,
		       char **errmsg)
{
	static const struct dropped released = {
		.waiver = false, .kind = "release", .was = "quarantined", .now = "not quarantined",
		.what = "Device released from quarantine:",
	};
	struct daemon *d = ctx;
	uint8_t mac[6];
	int err;

	if (vwd_ipv_args(args))   /* a device behind a router */
		return vwd_ipv_cmd(ctx, "release", c, args, result, chg, errmsg);
	err = mac_only(args, mac, errmsg);
	if (err)
		return err;
	if (!vw_overrides_find(d->ops.quarantines, d->ops.n_quarantines, mac)) {
		*errmsg = strdup("args.mac: this MAC is not quarantined");
		return -ENOENT;
	}
	return drop_decision(d, c, mac, &released, result, chg, errmsg);
}

static int cmd_reload(void *ctx, const struct vw_caller *c, struct json_object *args,
		      struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	struct daemon *d = ctx;
	char old[VW_STATE_VERSION_LEN];
	int err;

	snprintf(old, sizeof(old), "%s", vwd_policy_version(d));
	err = vwd_reload(d, errmsg);
	if (err)
		return err;
	audit_set(chg, "policy %s", old, "policy %s", vwd_policy_version(d));
	*result = json_object_new_object();
	if (!*result)
		return oom();
	json_object_object_add(*result, "policy_version", json_object_new_string(vwd_policy_version(d)));
	return 0;
}

static int cmd_stats(void *ctx, const struct vw_caller *c, struct json_object *args,
		     struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	struct daemon *d = ctx;
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();

	if (!o || !arr) {
		json_object_put(o);
		json_object_put(arr);
		return oom();
	}
	for (size_t i = 0; i < vwd_n_segs(d); i++) {
		struct json_object *s = json_object_new_object(), *cs = json_object_new_object();
		uint64_t ctr[VW_CTR_MAX] = {0};

		vw_datapath_read_counters(d->dp, vwd_seg(d, i)->slot, ctr);
		for (int k = 0; k < VW_CTR_MAX; k++)
			json_object_object_add(cs, vw_counter_name(k), json_object_new_int64(ctr[k]));
		json_object_object_add(s, "name", json_object_new_string(vwd_seg(d, i)->name));
		json_object_object_add(s, "counters", cs);
		json_object_array_add(arr, s);
	}
	json_object_object_add(o, "segments", arr);
	*result = o;
	return 0;
}

static const struct vw_control_command commands[] = {
	{ "status", false, cmd_status },
	{ "segments", false, cmd_segments },
	{ "mode", true, cmd_mode },
	{ "devices", false, cmd_devices },
	{ "device", false, cmd_device },
	{ "allow", true, cmd_allow },
	{ "revoke", true, cmd_revoke },
	{ "quarantine", true, cmd_quarantine },
	{ "release", true, cmd_release },
	{ "reload", true, cmd_reload },
	{ "stats", false, cmd_stats },
};

/* Every refusal and every change goes to the journal; successful reads do
 * not, or `watch vendorwallctl status` would flood the SIEM. */
static void audit(void *ctx, const struct vw_control_audit *a)
{
	static const struct vw_control_change none;
	const struct vw_control_change *chg = a->change ? a->change : &none;
	const struct vw_caller *c = a->caller;
	struct vw_entry e;
	const char *cmd = a->command ? a->command : "?";

	if (!a->mutating && a->result != -EPERM && a->command)
		return;
	vw_entry_init(&e, VW_MID_AUDIT, a->result == -EPERM ? LOG_WARNING : LOG_NOTICE);
	if (a->suppressed)
		vw_entry_add(&e, "MESSAGE", "%u refusals from uid %u suppressed (last: %s, pid %d)",
			     a->suppressed, (unsigned)c->uid, c->comm, (int)c->pid);
	else if (a->result == -EPERM)
		vw_entry_add(&e, "MESSAGE", "Control command '%s' refused for uid %u (%s)",
			     cmd, (unsigned)c->uid, c->comm);
	else if (a->result)
		vw_entry_add(&e, "MESSAGE", "Control command '%s' by uid %u (%s) failed: %s",
			     cmd, (unsigned)c->uid, c->comm, a->message ? a->message : strerror(-a->result));
	else
		vw_entry_add(&e, "MESSAGE", "Control command '%s' by uid %u (%s): %s -> %s",
			     cmd, (unsigned)c->uid, c->comm, chg->old_value, chg->new_value);
	vw_entry_add(&e, "VW_COMMAND", "%s", cmd);
	vw_entry_add(&e, "VW_CALLER_UID", "%u", (unsigned)c->uid);
	vw_entry_add(&e, "VW_CALLER_PID", "%d", (int)c->pid);
	vw_entry_add(&e, "VW_CALLER_COMM", "%s", c->comm);
	vw_entry_add(&e, "VW_RESULT", "%s", a->result ? strerrorname_np(-a->result) : "ok");
	if (a->suppressed)
		vw_entry_add(&e, "VW_SUPPRESSED", "%u", a->suppressed);
	if (a->args)
		vw_entry_add(&e, "VW_ARGS", "%s", json_object_to_json_string_ext(a->args, JSON_C_TO_STRING_PLAIN));
	if (!a->result && a->mutating) {
		vw_entry_add(&e, "VW_OLD_VALUE", "%s", chg->old_value);
		vw_entry_add(&e, "VW_NEW_VALUE", "%s", chg->new_value);
	}
	vw_entry_send(&e);
}

int vwd_control_open(struct daemon *d)
{
	struct vw_control_config cfg = {
		.group = d->st->conf.control_group,
		.cmds = commands,
		.n_cmds = sizeof(commands) / sizeof(commands[0]),
		.audit = audit,
		.ctx = d,
	};
	char path[PATH_MAX];
	gid_t gid;
	int err;

	if (mkdir(d->st->conf.runtime_dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/%s", d->st->conf.runtime_dir, VW_CONTROL_SOCKET_NAME);
	cfg.path = path;
	err = vw_control_open(&d->ctl, d->loop, &cfg);
	if (err)
		return err;
	if (vw_control_group(d->ctl, &gid) == -ENOENT)
		vw_log(LOG_NOTICE, "Control group '%s' does not exist: only root may use %s",
		       d->st->conf.control_group, path);
	return 0;
}
