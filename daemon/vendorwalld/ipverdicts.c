// SPDX-License-Identifier: GPL-2.0-only
/* IP verdicts and routers: see ipverdicts.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert_ids.h"
#include "engine.h"
#include "ipverdicts.h"
#include "journal.h"
#include "mac.h"
#include "names.h"

#define MAX_IPV        VW_MAX_IP_VERDICTS
#define MAX_ROUTERS    1024
#define MAX_CANDIDATES 4096

struct ipv {
	struct vw_ip_key key;
	uint32_t op;               /* operator: VW_DEV_QUARANTINED | VW_DEV_WAIVED */
	uint32_t fp;               /* evidence: VW_DEV_RESTRICTED */
	uint16_t vendor;
	time_t fp_expires;         /* evidence ends (lease or max age) */
	time_t waiver_until;
	time_t first_seen, last_seen;
	bool has_holder;  uint8_t holder[6];   /* the client holding the address */
	bool has_via;     uint8_t via[6];
	char evidence[192];
	char reason[128];
	uint32_t applied;          /* flags in vw_ip */
};

struct router {
	uint8_t mac[6];
	bool named, learned, applied;
};

/* A MAC and the distinct addresses seen behind it (up to the threshold). */
struct candidate {
	uint8_t mac[6];
	uint32_t n;
	struct vw_ip_key *addrs;
};

struct vwd_ipv {
	struct ipv *v;                 size_t n;
	struct router r[MAX_ROUTERS];  size_t n_r;
	struct candidate *c;           size_t n_c;
};

static time_t secs(uint64_t now_us)
{
	return (time_t)(now_us / 1000000u);
}

static void key_of(struct vw_ip_key *k, int family, const uint8_t ip[16])
{
	memset(k, 0, sizeof(*k));
	k->family = family == AF_INET ? 4 : 6;
	memcpy(k->addr, ip, family == AF_INET ? 4 : 16);
}

static const char *ip_text(const struct vw_ip_key *k, char *buf, size_t len)
{
	if (!inet_ntop(k->family == 4 ? AF_INET : AF_INET6, k->addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

static struct ipv *find(struct vwd_ipv *t, const struct vw_ip_key *k)
{
	for (size_t i = 0; i < t->n; i++)
		if (!memcmp(&t->v[i].key, k, sizeof(*k)))
			return &t->v[i];
	return NULL;
}

static struct ipv *get(struct vwd_ipv *t, const struct vw_ip_key *k, time_t now)
{
	struct ipv *e = find(t, k), *nv;

	if (e)
		return e;
	if (t->n >= MAX_IPV)
		return NULL;
	nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	t->v = nv;
	e = &t->v[t->n++];
	*e = (struct ipv){ .key = *k, .first_seen = now, .last_seen = now };
	return e;
}

/* The flags an entry should have in vw_ip now. */
static uint32_t want_flags(const struct ipv *e, time_t now)
{
	uint32_t f = e->op & VW_DEV_QUARANTINED;

	if ((e->op & VW_DEV_WAIVED) && now < e->waiver_until)
		f |= VW_DEV_WAIVED;
	if (e->fp && now < e->fp_expires)
		f |= e->fp;
	return f;
}

/* Writes the entry's flags to the data plane; an entry with nothing left
 * is removed (the caller's index i then holds the next one). */
static int sync_entry(struct daemon *d, size_t i, time_t now)
{
	struct vwd_ipv *t = d->ipv;
	struct ipv *e = &t->v[i];
	uint32_t f = want_flags(e, now);
	int err = 0;

	if (f != e->applied) {
		err = vw_datapath_set_ip(d->dp, &e->key, f, e->vendor);
		if (err)
			return err;
		e->applied = f;
	}
	if (!f && !e->op) {
		t->v[i] = t->v[--t->n];
		return 1;
	}
	return 0;
}

static void note(int prio, const char *what, const struct ipv *e, const char *why)
{
	struct vw_entry j;
	char ip[INET6_ADDRSTRLEN], via[VW_MAC_STRLEN] = "", holder[VW_MAC_STRLEN] = "";

	ip_text(&e->key, ip, sizeof(ip));
	if (e->has_via)
		vw_format_mac(e->via, via);
	if (e->has_holder)
		vw_format_mac(e->holder, holder);
	vw_entry_init(&j, VW_MID_AUDIT, prio);
	vw_entry_add(&j, "MESSAGE", "IP verdict for %s %s: %s", ip, what, why);
	vw_entry_add(&j, e->key.family == 4 ? "VW_IPV4" : "VW_IPV6", "%s", ip);
	if (*via)
		vw_entry_add(&j, "VW_ROUTER", "%s", via);
	if (*holder)
		vw_entry_add(&j, "VW_MAC", "%s", holder);
	vw_entry_send(&j);
}

int vwd_ipv_init(struct daemon *d)
{
	struct vw_ip_key *keys = NULL;
	size_t n = 0;
	int err;

	d->ipv = calloc(1, sizeof(*d->ipv));
	if (!d->ipv)
		return -ENOMEM;
	/* Verdicts of an earlier run are not kept (their evidence is not):
	 * a pinned entry without its lifecycle could block the address's
	 * next holder for ever. */
	err = vw_datapath_list_ips(d->dp, &keys, &n);
	for (size_t i = 0; !err && i < n; i++)
		err = vw_datapath_set_ip(d->dp, &keys[i], 0, 0);
	free(keys);
	return err;
}

void vwd_ipv_free(struct daemon *d)
{
	if (!d->ipv)
		return;
	for (size_t i = 0; i < d->ipv->n_c; i++)
		free(d->ipv->c[i].addrs);
	free(d->ipv->c);
	free(d->ipv->v);
	free(d->ipv);
	d->ipv = NULL;
}

int vwd_ipv_observe_evidence(struct daemon *d, int family, const uint8_t ip[16],
			     const struct vwd_ipv_evidence *ev, uint64_t now_us)
{
	time_t now = secs(now_us), until;
	uint32_t max_age = d->st->conf.ip_verdict_max_age_s;
	struct vw_ip_key k;
	struct ipv *e;
	bool was;

	if (!d->ipv || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	key_of(&k, family, ip);
	e = ev->restricted ? get(d->ipv, &k, now) : find(d->ipv, &k);
	if (!e)
		return ev->restricted ? -ENOSPC : 0;
	was = e->fp && now < e->fp_expires;
	until = now + (ev->lease_s && ev->lease_s < max_age ? ev->lease_s : max_age);
	e->last_seen = now;
	/* Evidence that does not restrict says nothing about who holds the
	 * address: taking its MAC as the holder would let that client's next
	 * ACK pass for a renewal and keep a stale verdict. */
	if (!ev->restricted)
		return sync_entry(d, (size_t)(e - d->ipv->v), now) < 0 ? -EIO : 0;
	e->fp = VW_DEV_RESTRICTED;
	e->vendor = ev->vendor;
	e->fp_expires = until;    /* re-confirmed: lives on from now */
	if (ev->text)
		snprintf(e->evidence, sizeof(e->evidence), "%s", ev->text);
	if (ev->has_mac) {
		e->has_holder = true;
		memcpy(e->holder, ev->mac, 6);
	}
	if (ev->has_via) {
		e->has_via = true;
		memcpy(e->via, ev->via, 6);
	}
	if (sync_entry(d, (size_t)(e - d->ipv->v), now) < 0)
		return -EIO;
	return !was;
}

int vwd_ipv_observe(struct daemon *m, int family, const uint8_t ip[16],
		    const struct vw_fp_report *r, uint64_t now_us)
{
	struct vwd_ipv_evidence ev = {
		.restricted = r->state == VW_FP_STATE_RESTRICTED && r->block,
		.vendor = r->vendor_code,
		.has_mac = r->has_mac,
		.has_via = r->has_via,
		.lease_s = r->lease_s,
	};
	const struct vw_fp_evidence *best = NULL;
	char text[192] = "";

	/* The strongest evidence names the verdict (as the journal does). */
	for (size_t i = 0; i < r->n_evidence; i++)
		if (!best || r->evidence[i].confidence > best->confidence)
			best = &r->evidence[i];
	if (best)
		snprintf(text, sizeof(text), "%s %s=%s", vw_fp_evidence_signal(best), best->field,
			 best->value);
	ev.text = *text ? text : NULL;
	if (r->has_mac)
		memcpy(ev.mac, r->mac, 6);
	if (r->has_via)
		memcpy(ev.via, r->via_mac, 6);
	return vwd_ipv_observe_evidence(m, family, ip, &ev, now_us);
}

int vwd_ipv_lease(struct daemon *d, int family, const uint8_t ip[16], const uint8_t mac[6],
		  uint32_t lease_s, uint64_t now_us)
{
	time_t now = secs(now_us);
	uint32_t max_age = d->st->conf.ip_verdict_max_age_s;
	struct vw_ip_key k;
	struct ipv *e;
	char why[128], m[VW_MAC_STRLEN];

	if (!d->ipv || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	key_of(&k, family, ip);
	e = find(d->ipv, &k);
	if (!e)
		return 0;
	vw_format_mac(mac, m);
	if (e->has_holder && !memcmp(e->holder, mac, 6)) {
		/* The same client renewed: the evidence holds for this lease. */
		if (e->fp)
			e->fp_expires = now + (lease_s && lease_s < max_age ? lease_s : max_age);
		e->last_seen = now;
		return sync_entry(d, (size_t)(e - d->ipv->v), now) < 0 ? -EIO : 0;
	}
	/* Another client, or one we cannot tell from the holder: the verdict
	 * was about whoever held the address before, so it goes. */
	if (e->has_holder) {
		char old[VW_MAC_STRLEN];

		vw_format_mac(e->holder, old);
		snprintf(why, sizeof(why), "dropped, a DHCP ACK gave the address of %s to %s", old, m);
	} else {
		snprintf(why, sizeof(why), "dropped, a DHCP ACK gave the address to %s", m);
	}
	/* VW_MAC of the entry is the address's holder: now the new one. */
	e->has_holder = true;
	memcpy(e->holder, mac, 6);
	note(LOG_NOTICE, "ended", e, why);
	e->op = 0;
	e->fp = 0;
	return sync_entry(d, (size_t)(e - d->ipv->v), now) < 0 ? -EIO : 0;
}

void vwd_ipv_on_lease(void *ctx, int family, const uint8_t ip[16], const uint8_t mac[6],
		      uint32_t lease_s)
{
	struct timespec ts;
	int err;

	clock_gettime(CLOCK_REALTIME, &ts);
	err = vwd_ipv_lease(ctx, family, ip, mac, lease_s,
			    (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
	if (err)
		vw_log(LOG_ERR, "Cannot apply a DHCP lease to the IP verdicts: %s", strerror(-err));
}

/* ---- routers -------------------------------------------------------- */

static struct router *router_find(struct vwd_ipv *t, const uint8_t mac[6])
{
	for (size_t i = 0; i < t->n_r; i++)
		if (!memcmp(t->r[i].mac, mac, 6))
			return &t->r[i];
	return NULL;
}

static struct router *router_get(struct vwd_ipv *t, const uint8_t mac[6])
{
	struct router *r = router_find(t, mac);

	if (r || t->n_r >= MAX_ROUTERS)
		return r;
	r = &t->r[t->n_r++];
	*r = (struct router){ 0 };
	memcpy(r->mac, mac, 6);
	return r;
}

bool vwd_is_router(void *mgr, const uint8_t mac[6])
{
	struct daemon *d = mgr;
	const struct router *r = d->ipv ? router_find(d->ipv, mac) : NULL;

	return r && (r->named || r->learned);
}

/* Named routers follow the configuration; every router's VW_DEV_ROUTER is
 * checked against the map (a commit may rewrite an entry). */
static void sync_routers(struct daemon *d)
{
	struct vwd_ipv *t = d->ipv;
	const struct vw_daemon_conf *conf = &d->st->conf;

	for (size_t i = 0; i < t->n_r; i++)
		t->r[i].named = false;
	for (size_t s = 0; s < conf->n_segments; s++)
		for (size_t j = 0; j < conf->segments[s].n_routers; j++) {
			struct router *r = router_get(t, conf->segments[s].routers[j]);

			if (r)
				r->named = true;
		}
	for (size_t i = 0; i < t->n_r;) {
		struct router *r = &t->r[i];
		bool want = r->named || r->learned;
		int err = vw_datapath_device_flags(d->dp, r->mac, want ? VW_DEV_ROUTER : 0,
						   want ? 0 : VW_DEV_ROUTER);

		if (err) {
			vw_log(LOG_ERR, "Cannot mark a router in the data plane: %s", strerror(-err));
			i++;
			continue;
		}
		r->applied = want;
		if (!want)
			t->r[i] = t->r[--t->n_r];
		else
			i++;
	}
}

static struct candidate *candidate_get(struct vwd_ipv *t, const uint8_t mac[6])
{
	struct candidate *nc;

	for (size_t i = 0; i < t->n_c; i++)
		if (!memcmp(t->c[i].mac, mac, 6))
			return &t->c[i];
	if (t->n_c >= MAX_CANDIDATES)
		return NULL;
	nc = realloc(t->c, (t->n_c + 1) * sizeof(*nc));
	if (!nc)
		return NULL;
	t->c = nc;
	nc = &t->c[t->n_c++];
	*nc = (struct candidate){ 0 };
	memcpy(nc->mac, mac, 6);
	return nc;
}

/* A MAC with RouterLearnThreshold= addresses behind it is a router; once
 * learned it stays one for the daemon's life (neighbour entries age out,
 * routers do not stop routing). */
void vwd_ipv_neigh(struct daemon *d, bool del, const uint8_t mac[6], int family,
		   const void *addr)
{
	uint32_t thr = d->st->conf.router_learn_threshold;
	struct vwd_ipv *t = d->ipv;
	struct candidate *c;
	struct vw_ip_key k;
	struct router *r;

	if (!t || !thr || router_find(t, mac))
		return;
	c = candidate_get(t, mac);
	if (!c)
		return;
	key_of(&k, family, addr);
	for (uint32_t i = 0; i < c->n; i++) {
		if (memcmp(&c->addrs[i], &k, sizeof(k)))
			continue;
		if (del)
			c->addrs[i] = c->addrs[--c->n];
		return;
	}
	if (del)
		return;
	if (!c->addrs && !(c->addrs = calloc(VW_ROUTER_LEARN_MAX, sizeof(k))))
		return;
	c->addrs[c->n++] = k;
	if (c->n < thr || !(r = router_get(t, mac)))
		return;
	r->learned = true;
	free(c->addrs);
	*c = t->c[--t->n_c];
	{
		char m[VW_MAC_STRLEN];

		vw_format_mac(mac, m);
		vw_log(LOG_NOTICE, "Learned router %s: %u addresses behind it in the neighbour table; "
		       "its frames are now judged by IP address", m, thr);
	}
	sync_routers(d);
}

void vwd_ipv_tick(struct daemon *d)
{
	time_t now = time(NULL);
	struct vwd_ipv *t = d->ipv;

	if (!t)
		return;
	sync_routers(d);
	for (size_t i = 0; i < t->n;) {
		struct ipv *e = &t->v[i];

		if (e->fp && now >= e->fp_expires) {
			note(LOG_NOTICE, "expired", e, "its evidence is older than the lease or IpVerdictMaxAge=");
			e->fp = 0;
		}
		if ((e->op & VW_DEV_WAIVED) && now >= e->waiver_until) {
			note(LOG_NOTICE, "waiver expired", e, "the operator's waiver ended");
			e->op &= ~VW_DEV_WAIVED;
		}
		if (sync_entry(d, i, now) != 1)
			i++;
	}
}

/* ---- alerts ----------------------------------------------------------- */

static uint8_t reason_of(uint32_t f)
{
	if (f & VW_DEV_WAIVED)
		return VW_REASON_WAIVER;
	if (f & VW_DEV_QUARANTINED)
		return VW_REASON_QUARANTINE;
	return f & VW_DEV_RESTRICTED ? VW_REASON_DEVICE : VW_REASON_BENIGN;
}

static struct ipv *by_tag(struct vwd_ipv *t, const uint8_t tag[6])
{
	uint8_t x[6];

	for (size_t i = 0; i < t->n; i++) {
		vw_ip_tag(&t->v[i].key, x);
		if (!memcmp(x, tag, 6))
			return &t->v[i];
	}
	return NULL;
}

static void alert_fields(struct vw_entry *j, struct daemon *d, const struct ipv *e,
			 const struct vw_event *ev, const char *ip)
{
	struct seg_rt *seg = d->applied ? vwd_plan_seg_by_slot(d->applied, ev->slot) : NULL;
	char m[VW_MAC_STRLEN];

	vw_entry_add(j, e->key.family == 4 ? "VW_IPV4" : "VW_IPV6", "%s", ip);
	if (e->has_via) {
		vw_format_mac(e->via, m);
		vw_entry_add(j, "VW_ROUTER", "%s", m);
	}
	if (e->has_holder) {
		vw_format_mac(e->holder, m);
		vw_entry_add(j, "VW_MAC", "%s", m);
	}
	vw_entry_add(j, "VW_VENDOR", "%s", vw_state_vendor_id(d->st, e->vendor));
	vw_entry_add(j, "VW_EVIDENCE", "%s", *e->evidence ? e->evidence :
		     ev->reason == VW_REASON_QUARANTINE ? "operator-quarantine" : "device-verdict");
	vw_entry_add(j, "VW_REASON", "%s", vw_reason_name(ev->reason));
	vw_entry_add(j, "VW_VERDICT", "%s", vw_verdict_word(vw_verdict_of_reason(ev->reason)));
	vw_entry_add(j, "VW_SEGMENT", "%s", seg ? seg->name : "");
	vw_entry_add(j, "VW_IFINDEX", "%u", ev->ifindex);
	vw_entry_add(j, "VW_VLAN", "%u", ev->vlan);
	vw_entry_add(j, "VW_DIRECTION", "%s", ev->direction == VW_DIR_EGRESS ? "egress" : "ingress");
	vw_entry_add(j, "VW_ACTION", "%s", vw_outcome_name(ev->verdict));
	vw_entry_add(j, "VW_MODE", "%s", vw_mode_name(ev->mode));
	vw_entry_add(j, "VW_POLICY_VERSION", "%s", vwd_policy_version(d));
}

bool vwd_ipv_on_event(struct daemon *d, const struct vw_event *ev)
{
	struct ipv *e;
	struct vw_entry j;
	const char *mid = VW_MID_DETECTED, *what = "detected";
	char ip[INET6_ADDRSTRLEN];

	if (ev->mac[0] != VW_IP_TAG0)
		return false;
	e = d->ipv ? by_tag(d->ipv, ev->mac) : NULL;
	if (!e)
		return true;   /* the verdict went between the frame and now */
	if (ev->kind == VW_EVENT_REMINDER) {
		mid = VW_MID_REMINDER;
		what = "still present";
	} else if (ev->verdict == VW_VERDICT_DROP || ev->verdict == VW_VERDICT_REDIRECT) {
		mid = VW_MID_BLOCKED;
		what = "blocked";
	}
	ip_text(&e->key, ip, sizeof(ip));
	e->last_seen = time(NULL);
	vw_entry_init(&j, mid, ev->kind == VW_EVENT_REMINDER ? LOG_NOTICE : LOG_WARNING);
	vw_entry_add(&j, "MESSAGE", "Restricted device at %s (%s) behind a router %s, %s mode: %s",
		     ip, vw_state_vendor_name(d->st, e->vendor), what, vw_mode_name(ev->mode),
		     vw_outcome_name(ev->verdict));
	alert_fields(&j, d, e, ev, ip);
	vw_entry_send(&j);
	return true;
}

/* ---- control commands ------------------------------------------------- */

bool vwd_ipv_args(struct json_object *args)
{
	return json_object_object_get_ex(args, "ip", NULL);
}

static int parse_ip(struct json_object *args, struct vw_ip_key *k, char **errmsg)
{
	const char *s = NULL;
	uint8_t a[16] = {0};
	int err = vw_json_get_string(args, "ip", true, &s, errmsg);

	if (err)
		return err;
	if (inet_pton(AF_INET, s, a) == 1) {
		key_of(k, AF_INET, a);
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		key_of(k, AF_INET6, a);
		return 0;
	}
	*errmsg = strdup("args.ip: not an IPv4 or IPv6 address");
	return -EINVAL;
}

static struct json_object *entry_json(struct daemon *d, const struct ipv *e)
{
	struct json_object *o = json_object_new_object();
	uint32_t f = want_flags(e, time(NULL));
	char ip[INET6_ADDRSTRLEN], m[VW_MAC_STRLEN] = "", v[VW_MAC_STRLEN] = "";

	if (!o)
		return NULL;
	if (e->has_holder)
		vw_format_mac(e->holder, m);
	if (e->has_via)
		vw_format_mac(e->via, v);
	json_object_object_add(o, "ip", json_object_new_string(ip_text(&e->key, ip, sizeof(ip))));
	json_object_object_add(o, "vendor", json_object_new_string(
				       e->vendor ? vw_state_vendor_id(d->st, e->vendor) : "-"));
	json_object_object_add(o, "verdict", json_object_new_string(
				       vw_verdict_word(vw_verdict_of_reason(reason_of(f)))));
	json_object_object_add(o, "router", json_object_new_string(v));
	json_object_object_add(o, "mac", json_object_new_string(m));
	json_object_object_add(o, "evidence", json_object_new_string(
				       *e->evidence ? e->evidence : e->op ? "operator" : ""));
	json_object_object_add(o, "reason", json_object_new_string(e->reason));
	json_object_object_add(o, "first_seen", json_object_new_int64(e->first_seen));
	json_object_object_add(o, "last_seen", json_object_new_int64(e->last_seen));
	json_object_object_add(o, "expires", json_object_new_int64(e->fp ? e->fp_expires : 0));
	json_object_object_add(o, "waiver_until", json_object_new_int64(
				       (e->op & VW_DEV_WAIVED) ? e->waiver_until : 0));
	return o;
}

struct json_object *vwd_ipv_devices_json(struct daemon *d)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && d->ipv && i < d->ipv->n; i++)
		json_object_array_add(a, entry_json(d, &d->ipv->v[i]));
	return a;
}

struct json_object *vwd_ipv_routers_json(struct daemon *d)
{
	struct json_object *a = json_object_new_array();
	char m[VW_MAC_STRLEN];

	for (size_t i = 0; a && d->ipv && i < d->ipv->n_r; i++) {
		struct json_object *o = json_object_new_object();

		vw_format_mac(d->ipv->r[i].mac, m);
		json_object_object_add(o, "mac", json_object_new_string(m));
		json_object_object_add(o, "source", json_object_new_string(
					       d->ipv->r[i].named ? "named" : "learned"));
		json_object_array_add(a, o);
	}
	return a;
}

/* Sets or clears one operator bit; the reply and the audit say what. */
static int operator_bit(struct daemon *d, const struct vw_caller *c, const struct vw_ip_key *k,
			uint32_t bit, bool set, const char *reason, time_t until,
			struct vw_control_change *chg, char **errmsg)
{
	time_t now = time(NULL);
	struct ipv *e = set ? get(d->ipv, k, now) : find(d->ipv, k);
	const char *word = bit == VW_DEV_WAIVED ? "waiver" : "quarantine";
	char why[200];

	if (!e && set)
		return -ENOSPC;
	if (!e || (!set && !(e->op & bit))) {
		*errmsg = strdup(bit == VW_DEV_WAIVED ? "args.ip: no operator waiver for this address" :
				 "args.ip: this address is not quarantined");
		return -ENOENT;
	}
	snprintf(chg->old_value, sizeof(chg->old_value), "%s", (e->op & bit) ? word : "none");
	snprintf(chg->new_value, sizeof(chg->new_value), "%s", set ? word : "none");
	e->op = set ? e->op | bit : e->op & ~bit;
	if (bit == VW_DEV_WAIVED)
		e->waiver_until = until;
	if (set)
		snprintf(e->reason, sizeof(e->reason), "%s", reason);
	snprintf(why, sizeof(why), "%s %s by uid %u (%s)%s%s", word, set ? "set" : "removed",
		 (unsigned)c->uid, c->comm, set ? ": " : "", set ? reason : "");
	note(set && bit == VW_DEV_QUARANTINED ? LOG_WARNING : LOG_NOTICE, "changed", e, why);
	if (sync_entry(d, (size_t)(e - d->ipv->v), now) < 0) {
		*errmsg = strdup("cannot write the IP verdict to the data plane");
		return -EIO;
	}
	return 0;
}

static int ip_cmd_args(struct json_object *args, const char *cmd, struct vw_ip_key *k,
		       const char **reason, int64_t *until, char **errmsg)
{
	static const char *const k_allow[] = { "ip", "until", "reason", "ticket", NULL };
	static const char *const k_quar[] = { "ip", "reason", NULL };
	static const char *const k_ip[] = { "ip", NULL };
	bool allow = !strcmp(cmd, "allow"), quar = !strcmp(cmd, "quarantine");
	int err = vw_json_check_keys(args, allow ? k_allow : quar ? k_quar : k_ip, errmsg);

	err = err ?: parse_ip(args, k, errmsg);
	if (!err && (allow || quar))
		err = vw_json_get_string(args, "reason", true, reason, errmsg);
	if (!err && allow)
		err = vw_json_get_int(args, "until", true, 1, INT64_MAX, until, errmsg);
	if (!err && (allow || quar) && !**reason) {
		*errmsg = strdup("args.reason: must not be empty");
		return -EINVAL;
	}
	if (!err && allow && *until <= time(NULL)) {
		*errmsg = strdup("args.until: must be in the future");
		return -EINVAL;
	}
	return err;
}

int vwd_ipv_cmd(struct daemon *d, const char *cmd, const struct vw_caller *c,
		struct json_object *args, struct json_object **result,
		struct vw_control_change *chg, char **errmsg)
{
	const char *reason = "";
	int64_t until = 0;
	struct vw_ip_key k;
	char ip[INET6_ADDRSTRLEN];
	struct ipv *e;
	int err = ip_cmd_args(args, cmd, &k, &reason, &until, errmsg);

	if (err)
		return err;
	if (!d->ipv) {
		*errmsg = strdup("IP verdicts are not available yet (the daemon is starting)");
		return -EAGAIN;
	}
	if (!strcmp(cmd, "device")) {
		e = find(d->ipv, &k);
		if (!e) {
			*errmsg = strdup("args.ip: no device known at this address");
			return -ENOENT;
		}
		*result = json_object_new_object();
		json_object_object_add(*result, "ip_device", entry_json(d, e));
		return 0;
	}
	if (!strcmp(cmd, "allow") || !strcmp(cmd, "revoke"))
		err = operator_bit(d, c, &k, VW_DEV_WAIVED, cmd[0] == 'a', reason, until, chg, errmsg);
	else
		err = operator_bit(d, c, &k, VW_DEV_QUARANTINED, cmd[0] == 'q', reason, 0, chg,
				   errmsg);
	if (err)
		return err;
	*result = json_object_new_object();
	json_object_object_add(*result, "ip", json_object_new_string(ip_text(&k, ip, sizeof(ip))));
	if (!strcmp(cmd, "allow"))
		json_object_object_add(*result, "until", json_object_new_int64(until));
	return 0;
}
