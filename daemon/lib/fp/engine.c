/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-device evidence table (hash + LRU over a fixed pool) and the decision that turns evidence into a vendor, a confidence and a state without flapping. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "confidence.h"
#include "config.h"
#include "engine.h"
#include "frame.h"

#define EPS 1e-9
#define MAX_ADDRS 4
#define MAX_MATCHES 32
#define NIL (-1)

struct dev {
	uint64_t key;                /* 48-bit MAC */
	int32_t hnext;               /* hash chain, or free list */
	int32_t prev, next;          /* LRU, most recent at head */
	int32_t cur;                 /* ident index or NIL */
	double conf;
	enum vw_fp_state state;
	bool monitor, block;
	bool oui_done;
	struct vw_fp_evidence *ev;   /* max_evidence entries, allocated on first use */
	uint16_t n_ev;
	uint8_t n4, n6, r4, r6;      /* counts and round-robin replace positions */
	uint8_t ipv4[MAX_ADDRS][4];
	uint8_t ipv6[MAX_ADDRS][16];
	uint64_t first_us, last_us;
};

struct vw_fp_engine {
	struct vw_fp_engine_conf conf;
	const struct vw_fp_rules *rules;
	const struct vw_ouiset *set;
	bool *restricted;            /* per ident */
	double *acc;                 /* per ident scratch: prod(1 - c) */
	struct dev *devs;
	int32_t *buckets;
	uint32_t mask;
	int32_t free_head, head, tail;
	size_t n_devs;
	struct vw_fp_engine_stats st;
};

static const char *const oui_fields[] = { "src-mac", "lldp.chassis-id", "dhcp.chaddr",
	"dhcpv6.duid-ll-mac", "sadp.mac", "dhip.mac" };

void vw_fp_engine_conf_default(struct vw_fp_engine_conf *c)
{
	*c = (struct vw_fp_engine_conf){
		.conf_high = VW_CONF_HIGH, .conf_medium = VW_CONF_MEDIUM, .conf_low = VW_CONF_LOW,
		.conf_oui = VW_CONF_OUI,
		/* one high signal identifies a device */
		.threshold_monitor = VW_CONF_HIGH, .threshold_block = VW_CONF_HIGH,
		.max_devices = 16384, .max_evidence = 8,
	};
}

const char *vw_fp_state_name(enum vw_fp_state s)
{
	switch (s) {
	case VW_FP_STATE_NONE: return "none";
	case VW_FP_STATE_RESTRICTED: return "restricted";
	case VW_FP_STATE_CLEARED: return "cleared";
	case VW_FP_STATE_DISPUTED: return "disputed";
	}
	return "unknown";
}

const char *vw_fp_evidence_signal(const struct vw_fp_evidence *ev)
{
	return ev->signal == VW_FP_SIG_OUI ? "oui" : vw_fp_signal_name((enum vw_fp_signal)ev->signal);
}

const char *vw_fp_change_event(const struct vw_fp_change *c)
{
	if ((c->what & VW_FP_CHG_VENDOR) && c->old_ident && c->dev.ident)
		return "vendor-changed";
	if (c->what & (VW_FP_CHG_STATE | VW_FP_CHG_VENDOR)) {
		if (c->dev.state == VW_FP_STATE_RESTRICTED)
			return "restricted";
		if (c->dev.state == VW_FP_STATE_CLEARED)
			return "cleared";
		if (c->dev.state == VW_FP_STATE_DISPUTED)
			return "disputed";
		if (c->old_state != VW_FP_STATE_NONE)
			return "unrestricted";
	}
	if (c->what & VW_FP_CHG_MODE)
		return "threshold";
	return "evidence";
}

static uint64_t mac_key(const uint8_t m[6])
{
	return (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 | (uint64_t)m[2] << 24 |
	       (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5];
}

static void key_mac(uint64_t k, uint8_t m[6])
{
	for (int i = 5; i >= 0; i--, k >>= 8)
		m[i] = k & 0xFF;
}

static uint32_t hash(const struct vw_fp_engine *e, uint64_t k)
{
	return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & e->mask;
}

int vw_fp_engine_new(struct vw_fp_engine **out, const struct vw_fp_engine_conf *conf,
		     const struct vw_fp_rules *rules, const struct vw_ouiset *set,
		     const struct vw_policy *pol)
{
	struct vw_fp_engine *e;
	uint32_t nb = 16;
	int rc = -ENOMEM;

	*out = NULL;
	if (!conf || !rules || conf->max_devices < 1 || conf->max_devices > (1u << 24) ||
	    conf->max_evidence < 1 || conf->max_evidence > 64 ||
	    conf->threshold_monitor <= 0 || conf->threshold_block <= 0 ||
	    conf->threshold_monitor > 1 || conf->threshold_block > 1)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->conf = *conf;
	e->rules = rules;
	e->set = set;
	e->restricted = calloc(rules->n_idents + 1, sizeof(bool));
	e->acc = calloc(rules->n_idents + 1, sizeof(double));
	while (nb < conf->max_devices * 2)
		nb <<= 1;
	e->mask = nb - 1;
	e->buckets = malloc(nb * sizeof(int32_t));
	e->devs = calloc(conf->max_devices, sizeof(struct dev));
	if (!e->restricted || !e->acc || !e->buckets || !e->devs)
		goto fail;
	for (uint32_t i = 0; i < nb; i++)
		e->buckets[i] = NIL;
	for (size_t i = 0; i < conf->max_devices; i++)
		e->devs[i].hnext = i + 1 < conf->max_devices ? (int32_t)(i + 1) : NIL;
	e->free_head = 0;
	e->head = e->tail = NIL;
	/* The restricted vendors are those the active profiles compiled
	 * into the OUI set; without a set, every policy vendor is. */
	for (size_t i = 0; i < rules->n_idents; i++) {
		const struct vw_fp_ident *id = &rules->idents[i];

		if (id->is_class)
			continue;
		if (!set) {
			e->restricted[i] = true;
			continue;
		}
		for (size_t j = 0; j < set->n_stats; j++)
			if (set->stats[j].vendor == id->code)
				e->restricted[i] = true;
	}
	(void)pol;
	*out = e;
	return 0;
fail:
	vw_fp_engine_free(e);
	return rc;
}

void vw_fp_engine_free(struct vw_fp_engine *e)
{
	if (!e)
		return;
	if (e->devs)
		for (size_t i = 0; i < e->conf.max_devices; i++)
			free(e->devs[i].ev);
	free(e->devs);
	free(e->buckets);
	free(e->restricted);
	free(e->acc);
	free(e);
}

/* ---- device table ---- */

static void lru_unlink(struct vw_fp_engine *e, int32_t i)
{
	struct dev *d = &e->devs[i];

	if (d->prev != NIL)
		e->devs[d->prev].next = d->next;
	else
		e->head = d->next;
	if (d->next != NIL)
		e->devs[d->next].prev = d->prev;
	else
		e->tail = d->prev;
}

static void lru_push(struct vw_fp_engine *e, int32_t i)
{
	struct dev *d = &e->devs[i];

	d->prev = NIL;
	d->next = e->head;
	if (e->head != NIL)
		e->devs[e->head].prev = i;
	e->head = i;
	if (e->tail == NIL)
		e->tail = i;
}

static int32_t find(const struct vw_fp_engine *e, uint64_t k)
{
	for (int32_t i = e->buckets[hash(e, k)]; i != NIL; i = e->devs[i].hnext)
		if (e->devs[i].key == k)
			return i;
	return NIL;
}

static void evict(struct vw_fp_engine *e, int32_t i)
{
	struct dev *d = &e->devs[i];
	int32_t *pp = &e->buckets[hash(e, d->key)];

	while (*pp != i)
		pp = &e->devs[*pp].hnext;
	*pp = d->hnext;
	lru_unlink(e, i);
	d->hnext = e->free_head;
	e->free_head = i;
	e->n_devs--;
	e->st.evictions++;
}

static struct dev *get_dev(struct vw_fp_engine *e, const uint8_t mac[6], uint64_t now)
{
	uint64_t k = mac_key(mac);
	int32_t i = find(e, k);
	struct vw_fp_evidence *ev;
	struct dev *d;
	uint32_t b;

	if (i != NIL) {
		if (e->head != i) {
			lru_unlink(e, i);
			lru_push(e, i);
		}
		d = &e->devs[i];
		d->last_us = now;
		return d;
	}
	if (e->free_head == NIL)
		evict(e, e->tail);
	i = e->free_head;
	d = &e->devs[i];
	e->free_head = d->hnext;
	/* Keep the evidence array of the evicted device for the next one:
	 * allocation churn under a MAC flood buys nothing. */
	ev = d->ev;
	*d = (struct dev){ .key = k, .cur = NIL, .ev = ev, .first_us = now, .last_us = now };
	b = hash(e, k);
	d->hnext = e->buckets[b];
	e->buckets[b] = i;
	lru_push(e, i);
	e->n_devs++;
	return d;
}

static void add_addr(struct dev *d, const struct vw_fp_frame *f)
{
	static const uint8_t zero[16];

	if (f->family == AF_INET) {
		if (!memcmp(f->saddr, zero, 4) || f->saddr[0] >= 224)
			return;   /* DHCP's 0.0.0.0, multicast, broadcast */
		for (int i = 0; i < d->n4; i++)
			if (!memcmp(d->ipv4[i], f->saddr, 4))
				return;
		if (d->n4 < MAX_ADDRS) {
			memcpy(d->ipv4[d->n4++], f->saddr, 4);
		} else {
			memcpy(d->ipv4[d->r4], f->saddr, 4);
			d->r4 = (d->r4 + 1) % MAX_ADDRS;
		}
	} else if (f->family == AF_INET6) {
		if (!memcmp(f->saddr, zero, 16) || f->saddr[0] == 0xFF)
			return;
		for (int i = 0; i < d->n6; i++)
			if (!memcmp(d->ipv6[i], f->saddr, 16))
				return;
		if (d->n6 < MAX_ADDRS) {
			memcpy(d->ipv6[d->n6++], f->saddr, 16);
		} else {
			memcpy(d->ipv6[d->r6], f->saddr, 16);
			d->r6 = (d->r6 + 1) % MAX_ADDRS;
		}
	}
}

/* ---- evidence ---- */

/* Evidence values end up in tables, JSON and the journal: control bytes
 * become spaces and invalid UTF-8 becomes '?', so no consumer has to
 * cope with raw device bytes. */
static void copy_value(char *dst, const uint8_t *v, size_t n)
{
	size_t o = 0, i = 0;

	while (i < n && o + 1 < VW_FP_EV_VALUE) {
		uint8_t c = v[i];
		size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
			     (c & 0xF8) == 0xF0 ? 4 : 0;
		bool ok = len > 0 && i + len <= n;

		for (size_t j = 1; ok && j < len; j++)
			ok = (v[i + j] & 0xC0) == 0x80;
		if (len > 1 && ok && o + len < VW_FP_EV_VALUE) {
			memcpy(dst + o, v + i, len);
			o += len;
			i += len;
			continue;
		}
		if (len > 1 && ok)
			break;    /* would not fit whole: stop rather than cut a character */
		dst[o++] = !ok ? '?' : (c < 0x20 || c == 0x7F) ? ' ' : (char)c;
		i++;
	}
	dst[o] = '\0';
}

static double level_conf(const struct vw_fp_engine *e, enum vw_fp_level l)
{
	return l == VW_FP_HIGH ? e->conf.conf_high : l == VW_FP_MEDIUM ? e->conf.conf_medium : e->conf.conf_low;
}

/* Adds or strengthens one piece of evidence; returns true when the set
 * changed (what the decision depends on), false for a repeat. The value
 * (val, or mac for OUI evidence) is turned into text only then: repeats
 * are the common case and cost no formatting. */
static bool add_evidence(struct vw_fp_engine *e, struct dev *d, uint16_t sig, const char *field,
			 const struct vw_fp_field *val, const uint8_t *mac,
			 const struct vw_fp_rule *rule, const struct vw_fp_ident *ident,
			 enum vw_fp_level level, double conf, uint64_t now)
{
	struct vw_fp_evidence *ev = NULL;

	for (uint16_t i = 0; i < d->n_ev; i++) {
		struct vw_fp_evidence *x = &d->ev[i];

		if (x->signal == sig && x->ident == ident &&
		    (sig == VW_FP_SIG_OUI || !strcmp(x->field, field))) {
			x->last_us = now;
			if (conf <= x->confidence + EPS)
				return false;
			ev = x;    /* a stronger rule on the same field replaces it */
			break;
		}
	}
	if (!ev) {
		if (!d->ev) {
			d->ev = calloc(e->conf.max_evidence, sizeof(*d->ev));
			if (!d->ev) {
				e->st.evidence_dropped++;
				return false;
			}
		}
		if (d->n_ev < e->conf.max_evidence) {
			ev = &d->ev[d->n_ev++];
		} else {
			/* Full: the weakest, then oldest, item gives way, and
			 * only to something stronger. */
			struct vw_fp_evidence *w = &d->ev[0];

			for (uint16_t i = 1; i < d->n_ev; i++)
				if (d->ev[i].confidence < w->confidence - EPS ||
				    (d->ev[i].confidence <= w->confidence + EPS && d->ev[i].last_us < w->last_us))
					w = &d->ev[i];
			e->st.evidence_dropped++;
			if (conf <= w->confidence + EPS)
				return false;
			ev = w;
		}
		ev->first_us = now;
	}
	ev->signal = sig;
	ev->field = field;
	ev->rule = rule;
	ev->ident = ident;
	ev->level = level;
	ev->confidence = conf;
	ev->last_us = now;
	if (mac)
		vw_fp_fmt_mac(ev->value, mac);
	else if (val->kind == VW_FP_NUM)
		ev->value[vw_fp_fmt_u64(ev->value, val->num)] = '\0';
	else
		copy_value(ev->value, val->val, val->len);
	return true;
}

static const struct vw_fp_ident *vendor_ident(const struct vw_fp_engine *e, uint16_t code)
{
	for (size_t i = 0; i < e->rules->n_idents; i++)
		if (!e->rules->idents[i].is_class && e->rules->idents[i].code == code)
			return &e->rules->idents[i];
	return NULL;
}

static bool oui_evidence(struct vw_fp_engine *e, struct dev *d, const uint8_t mac[6],
			 const char *field, uint64_t now)
{
	const struct vw_fp_ident *id;
	uint16_t code;

	if (!e->set)
		return false;
	code = vw_ouiset_lookup(e->set, mac);
	if (!code || !(id = vendor_ident(e, code)))
		return false;
	return add_evidence(e, d, VW_FP_SIG_OUI, field, NULL, mac, NULL, id, VW_FP_HIGH,
			    e->conf.conf_oui, now);
}

/* vw_parse_mac's notations plus 12 bare hex digits (how some parsers and
 * TR-069 write them). */
static int parse_mac_any(const char *s, uint8_t mac[6])
{
	if (strlen(s) == 12)
		return vw_hex_decode(s, mac, 6);
	return vw_parse_mac(s, mac);
}

/* MACs a protocol carries about its sender: the same OUI test as the
 * source MAC (a randomised source MAC does not hide a chassis MAC). */
static bool inner_macs(struct vw_fp_engine *e, struct dev *d, const struct vw_fp_result *r, uint64_t now)
{
	static const struct { enum vw_fp_signal sig; const char *name; const char *ev; } carriers[] = {
		{ VW_SIG_LLDP, "chassis-id", "lldp.chassis-id" },
		{ VW_SIG_DHCP, "chaddr", "dhcp.chaddr" },
		{ VW_SIG_DHCPV6, "duid-ll-mac", "dhcpv6.duid-ll-mac" },
		{ VW_SIG_SADP, "mac", "sadp.mac" },
		{ VW_SIG_DHIP, "mac", "dhip.mac" },
		{ VW_SIG_TR069, "oui", "tr069.oui" },
	};
	bool changed = false;

	if (!e->set)
		return false;
	for (size_t i = 0; i < sizeof(carriers) / sizeof(carriers[0]); i++) {
		const struct vw_fp_field *f;
		char buf[32];
		uint8_t mac[6];

		if (carriers[i].sig != r->signal || !(f = vw_fp_get(r, carriers[i].name)))
			continue;
		if (f->kind != VW_FP_STR || f->len < 6 || f->len >= sizeof(buf) - 8)
			continue;
		if (r->signal == VW_SIG_LLDP) {
			const struct vw_fp_field *st = vw_fp_get(r, "chassis-id-subtype");

			if (!st || st->kind != VW_FP_NUM || st->num != 4)
				continue;
		}
		memcpy(buf, f->val, f->len);
		buf[f->len] = '\0';
		/* TR-069 names the maker by bare OUI ("00E0FC"). */
		if (r->signal == VW_SIG_TR069) {
			if (f->len != 6)
				continue;
			memcpy(buf + 6, "000000", 7);
		}
		if (parse_mac_any(buf, mac) == 0)
			changed |= oui_evidence(e, d, mac, carriers[i].ev, now);
	}
	return changed;
}

/* ---- decision ---- */

static size_t ident_idx(const struct vw_fp_engine *e, const struct vw_fp_ident *id)
{
	return (size_t)(id - e->rules->idents);
}

/* Is ev (for a vendor) explained by a look-alike class identified at
 * least as strongly as ev itself? acc holds the classes' products. */
static bool explained(const struct vw_fp_engine *e, const struct vw_fp_evidence *ev)
{
	const struct vw_fp_rules *rs = e->rules;

	for (size_t i = 0; i < rs->n_idents; i++) {
		const struct vw_fp_ident *c = &rs->idents[i];

		if (!c->is_class || !(c->explains & (1u << ev->signal)))
			continue;
		if (1.0 - e->acc[i] + EPS < ev->confidence)
			continue;
		for (size_t j = 0; j < c->n_lookalike; j++)
			if (c->lookalike_of[j] == ev->ident->code)
				return true;
	}
	return false;
}

static void decide(struct vw_fp_engine *e, struct dev *d)
{
	size_t n = e->rules->n_idents;
	int32_t best = NIL;
	double best_c = 0, cur_c;
	bool disputed = false;   /* a restricted vendor's evidence explained away */

	for (size_t i = 0; i < n; i++)
		e->acc[i] = 1.0;
	/* Classes first: whether a vendor's evidence still counts depends on
	 * how strongly its look-alike is identified. */
	for (uint16_t i = 0; i < d->n_ev; i++)
		if (d->ev[i].ident->is_class)
			e->acc[ident_idx(e, d->ev[i].ident)] *= 1.0 - d->ev[i].confidence;
	for (uint16_t i = 0; i < d->n_ev; i++) {
		size_t k = ident_idx(e, d->ev[i].ident);

		if (d->ev[i].ident->is_class)
			continue;
		if (!explained(e, &d->ev[i]))
			e->acc[k] *= 1.0 - d->ev[i].confidence;
		else
			disputed |= e->restricted[k];
	}
	for (size_t i = 0; i < n; i++) {
		double c = 1.0 - e->acc[i];

		if (c > EPS && (best == NIL || c > best_c + EPS)) {
			best = (int32_t)i;
			best_c = c;
		}
	}
	/* No flapping: the current identity stays unless another one is
	 * strictly stronger. */
	cur_c = d->cur == NIL ? 0 : 1.0 - e->acc[d->cur];
	if (d->cur == NIL || cur_c <= EPS || (best != NIL && best != d->cur && best_c > cur_c + EPS)) {
		d->cur = best;
		cur_c = best_c;
	}
	d->conf = d->cur == NIL ? 0 : cur_c;
	d->monitor = d->block = false;
	d->state = VW_FP_STATE_NONE;
	if (d->cur == NIL)
		return;
	if (e->rules->idents[d->cur].is_class) {
		if (d->conf + EPS >= e->conf.threshold_monitor)
			d->state = disputed ? VW_FP_STATE_DISPUTED : VW_FP_STATE_CLEARED;
		return;
	}
	if (!e->restricted[d->cur])
		return;
	d->monitor = d->conf + EPS >= e->conf.threshold_monitor;
	d->block = d->conf + EPS >= e->conf.threshold_block;
	if (d->monitor || d->block)
		d->state = VW_FP_STATE_RESTRICTED;
}

static void fill_report(const struct vw_fp_engine *e, const struct dev *d, struct vw_fp_report *r)
{
	key_mac(d->key, r->mac);
	r->state = d->state;
	r->ident = d->cur == NIL ? NULL : &e->rules->idents[d->cur];
	r->vendor_code = d->state == VW_FP_STATE_RESTRICTED ? r->ident->code : 0;
	r->confidence = d->conf;
	r->monitor = d->monitor;
	r->block = d->block;
	r->evidence = d->ev;
	r->n_evidence = d->n_ev;
	r->ipv4 = (const uint8_t (*)[4])d->ipv4;
	r->n_ipv4 = d->n4;
	r->ipv6 = (const uint8_t (*)[16])d->ipv6;
	r->n_ipv6 = d->n6;
	r->first_us = d->first_us;
	r->last_us = d->last_us;
}

/* Re-decides after new evidence and reports what changed. */
static int conclude(struct vw_fp_engine *e, struct dev *d, vw_fp_change_cb cb, void *ctx)
{
	struct vw_fp_change c = {
		.old_state = d->state,
		.old_ident = d->cur == NIL ? NULL : &e->rules->idents[d->cur],
		.old_confidence = d->conf,
		.what = VW_FP_CHG_EVIDENCE,
	};
	bool om = d->monitor, ob = d->block;

	decide(e, d);
	if (d->state != c.old_state)
		c.what |= VW_FP_CHG_STATE;
	if ((d->cur == NIL ? NULL : &e->rules->idents[d->cur]) != c.old_ident)
		c.what |= VW_FP_CHG_VENDOR;
	if (d->monitor != om || d->block != ob)
		c.what |= VW_FP_CHG_MODE;
	fill_report(e, d, &c.dev);
	if (cb)
		cb(ctx, &c);
	return 1;
}

/* ---- per frame ---- */

struct fctx {
	struct vw_fp_engine *e;
	struct dev *d;
	uint64_t now;
	bool changed;
};

static bool apply_result(struct vw_fp_engine *e, struct dev *d, const struct vw_fp_result *r, uint64_t now)
{
	struct vw_fp_match m[MAX_MATCHES];
	size_t n = vw_fp_rules_match(e->rules, r, m, MAX_MATCHES);
	bool changed = false;

	e->st.results++;
	e->st.matches += n;
	for (size_t i = 0; i < n; i++) {
		const struct vw_fp_rule *ru = m[i].rule;

		changed |= add_evidence(e, d, (uint16_t)r->signal, ru->field, m[i].field, NULL, ru,
					&e->rules->idents[ru->ident], ru->level,
					level_conf(e, ru->level), now);
	}
	changed |= inner_macs(e, d, r, now);
	return changed;
}

static int on_result(void *ctx, const struct vw_fp_frame *f, const struct vw_fp_result *r)
{
	struct fctx *c = ctx;

	(void)f;
	c->changed |= apply_result(c->e, c->d, r, c->now);
	return 0;
}

static bool source_oui(struct vw_fp_engine *e, struct dev *d, const uint8_t mac[6], uint64_t now)
{
	/* The source MAC is the device key: its OUI cannot change, so it is
	 * looked up once per device, not per frame. */
	if (d->oui_done)
		return false;
	d->oui_done = true;
	return oui_evidence(e, d, mac, oui_fields[0], now);
}

int vw_fp_engine_frame(struct vw_fp_engine *e, const uint8_t *data, size_t len,
		       uint64_t now_us, vw_fp_change_cb cb, void *ctx)
{
	struct vw_fp_frame f;
	struct fctx c = { .e = e, .now = now_us };
	int rc;

	e->st.frames++;
	rc = vw_fp_frame_parse(data, len, &f);
	if (rc < 0 && len < 14) {
		e->st.bad_frames++;
		return -EBADMSG;
	}
	if (rc < 0)
		e->st.bad_frames++;
	/* Group source addresses are forged or broken; nothing to learn. */
	if (f.src[0] & 1)
		return 0;
	c.d = get_dev(e, f.src, now_us);
	c.changed = source_oui(e, c.d, f.src, now_us);
	add_addr(c.d, &f);
	rc = vw_fp_dissect(&f, on_result, &c);
	if (rc == -ENOMEM)
		return rc;
	return c.changed ? conclude(e, c.d, cb, ctx) : 0;
}

int vw_fp_engine_result(struct vw_fp_engine *e, const uint8_t mac[6],
			const struct vw_fp_result *r, uint64_t now_us,
			vw_fp_change_cb cb, void *ctx)
{
	struct dev *d;
	bool changed;

	if (!e || !mac || (mac[0] & 1))
		return -EINVAL;
	d = get_dev(e, mac, now_us);
	changed = source_oui(e, d, mac, now_us);
	if (r)
		changed |= apply_result(e, d, r, now_us);
	return changed ? conclude(e, d, cb, ctx) : 0;
}

int vw_fp_engine_get(struct vw_fp_engine *e, const uint8_t mac[6], struct vw_fp_report *out)
{
	int32_t i = find(e, mac_key(mac));

	if (i == NIL)
		return -ENOENT;
	fill_report(e, &e->devs[i], out);
	return 0;
}

void vw_fp_engine_foreach(struct vw_fp_engine *e,
			  void (*fn)(void *ctx, const struct vw_fp_report *r), void *ctx)
{
	struct vw_fp_report r;

	for (int32_t i = e->head; i != NIL; i = e->devs[i].next) {
		fill_report(e, &e->devs[i], &r);
		fn(ctx, &r);
	}
}

void vw_fp_engine_stats(const struct vw_fp_engine *e, struct vw_fp_engine_stats *st)
{
	*st = e->st;
	st->devices = e->n_devs;
}
