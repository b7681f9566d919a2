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
#include "siphash.h"

_Static_assert(sizeof(struct vw_fp_evidence) == 64, "one evidence item, one cache line");

#define EPS 1e-9
#define MAX_ADDRS 4
#define MAX_MATCHES 32
#define NIL (-1)
#define EV_CHUNK 64                  /* devices' evidence blocks per allocation */

/* 64-byte aligned, and the first line holds what every frame of a device
 * reads or writes (lookup, LRU, evidence, IPv4 addresses): with thousands
 * of devices a device is a cache miss, one line rather than three. The
 * rest is read when its evidence changes or it is reported. */
struct dev {
	uint64_t key;                /* 48-bit MAC */
	struct vw_fp_evidence *ev;   /* max_evidence entries, allocated on first use */
	uint64_t last_us;
	int32_t hnext;               /* hash chain, or free list */
	int32_t prev, next;          /* LRU, most recent at head */
	int32_t cur;                 /* ident index or NIL */
	uint16_t n_ev;
	uint8_t n4, n6, r4, r6;      /* counts and round-robin replace positions */
	bool oui_done;
	uint8_t fam;                 /* subject's IP family: 0, 4 or 6 */
	uint8_t ipv4[MAX_ADDRS][4];
	/* second line */
	double conf;
	enum vw_fp_state state;
	bool monitor, block;
	/* Subject (KEY_* tag of key): by IP and via a router's MAC. */
	bool has_via;
	uint8_t via[6];
	uint32_t lease_s;
	uint64_t first_us;
	uint8_t ip[16];
	uint8_t ipv6[MAX_ADDRS][16];
} __attribute__((aligned(64)));

/* Device keys: a MAC on the segment is its 48 bits; the other subjects
 * are tagged above them so that no claim about a device behind a router
 * ever lands on the device with the same MAC on the segment. IPv6 keys
 * are a fold, the full address is compared (find_subj). */
#define KEY_MAC    0ull
#define KEY_RMAC   (1ull << 48)  /* a relayed DHCP client, by chaddr */
#define KEY_IP4    (2ull << 48)
#define KEY_IP6    (3ull << 48)
#define KEY_TAG(k) ((k) & (3ull << 48))

struct vw_fp_engine {
	struct vw_fp_engine_conf conf;
	const struct vw_fp_rules *rules;
	const struct vw_ouiset *set;
	bool *restricted;            /* per ident */
	double *acc;                 /* per ident scratch: prod(1 - c) */
	struct dev *devs;
	int32_t *buckets;
	uint32_t mask;
	/* The table grows with the devices (load <= 1/2) up to max_mask, so
	 * a few thousand devices walk a cache-resident table even where
	 * max_devices is large. */
	uint32_t max_mask;
	/* Device MACs are chosen by whoever sends frames: the table hashes
	 * them with a key drawn per engine, so nobody can aim a flood of
	 * MACs at one chain. */
	struct vw_siphash_key hkey;
	int32_t free_head, head, tail;
	size_t n_devs;
	/* devs[fresh..] were never used: the pool is taken in order, so a
	 * large max_devices (classify's 262,144) costs no page until a
	 * device needs it. */
	size_t fresh;
	/* Evidence blocks are carved from chunks of EV_CHUNK: one aligned
	 * allocation per chunk (memalign per device cost 1 % of classify). */
	void **ev_chunks;
	size_t n_ev_chunks;
	char *ev_next;
	size_t ev_left;
	struct vw_fp_engine_stats st;
	vw_fp_lease_cb lease_cb;
	void *lease_ctx;
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
	return (uint32_t)vw_siphash24(&e->hkey, &k, sizeof(k)) & e->mask;
}

int vw_fp_engine_new(struct vw_fp_engine **out, const struct vw_fp_engine_conf *conf,
		     const struct vw_fp_rules *rules, const struct vw_ouiset *set,
		     const struct vw_policy *pol)
{
	struct vw_fp_engine *e;
	uint32_t nb = 16, start = 1024;
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
	rc = vw_siphash_key_random(&e->hkey);
	if (rc < 0)
		goto fail;
	rc = -ENOMEM;
	e->set = set;
	e->restricted = calloc(rules->n_idents + 1, sizeof(bool));
	e->acc = calloc(rules->n_idents + 1, sizeof(double));
	while (nb < conf->max_devices * 2)
		nb <<= 1;
	e->max_mask = nb - 1;
	if (nb > start)
		nb = start;
	e->mask = nb - 1;
	e->buckets = malloc(nb * sizeof(int32_t));
	/* Not zeroed: a slot is initialised when the pool hands it out. */
	e->devs = aligned_alloc(_Alignof(struct dev), conf->max_devices * sizeof(struct dev));
	if (!e->restricted || !e->acc || !e->buckets || !e->devs)
		goto fail;
	for (uint32_t i = 0; i < nb; i++)
		e->buckets[i] = NIL;
	e->free_head = NIL;
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
	for (size_t i = 0; i < e->n_ev_chunks; i++)
		free(e->ev_chunks[i]);
	free(e->ev_chunks);
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

static int32_t find(const struct vw_fp_engine *e, uint64_t k, uint32_t b)
{
	for (int32_t i = e->buckets[b]; i != NIL; i = e->devs[i].hnext)
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

/* Doubles the bucket array and rehashes every device; on ENOMEM the
 * table keeps its size (longer chains, same answers). */
static void grow(struct vw_fp_engine *e)
{
	uint32_t nb = (e->mask + 1) * 2;
	int32_t *t = realloc(e->buckets, nb * sizeof(*t));

	if (!t)
		return;
	e->buckets = t;
	e->mask = nb - 1;
	for (uint32_t b = 0; b < nb; b++)
		t[b] = NIL;
	for (int32_t i = e->head; i != NIL; i = e->devs[i].next) {
		uint32_t b = hash(e, e->devs[i].key);

		e->devs[i].hnext = t[b];
		t[b] = i;
	}
}

/* The device of key in bucket b (and, for KEY_IP6, of the full address
 * ip: the key is only a fold of it). */
static int32_t find_subj(const struct vw_fp_engine *e, uint64_t k, const uint8_t *ip, uint32_t b)
{
	if (KEY_TAG(k) != KEY_IP6)
		return find(e, k, b);
	for (int32_t i = e->buckets[b]; i != NIL; i = e->devs[i].hnext)
		if (e->devs[i].key == k && !memcmp(e->devs[i].ip, ip, 16))
			return i;
	return NIL;
}

static int32_t lookup(const struct vw_fp_engine *e, uint64_t k, const uint8_t *ip)
{
	return find_subj(e, k, ip, hash(e, k));
}

static struct dev *get_subj(struct vw_fp_engine *e, uint64_t k, const uint8_t *ip, uint64_t now)
{
	uint32_t b = hash(e, k);
	int32_t i = find_subj(e, k, ip, b);
	struct vw_fp_evidence *ev;
	struct dev *d;

	if (i != NIL) {
		if (e->head != i) {
			lru_unlink(e, i);
			lru_push(e, i);
		}
		d = &e->devs[i];
		d->last_us = now;
		return d;
	}
	if (e->free_head == NIL && e->fresh < e->conf.max_devices) {
		i = (int32_t)e->fresh++;
		d = &e->devs[i];
		ev = NULL;
	} else {
		if (e->free_head == NIL)
			evict(e, e->tail);
		i = e->free_head;
		d = &e->devs[i];
		e->free_head = d->hnext;
		/* Keep the evidence array of the evicted device for the next
		 * one: allocation churn under a MAC flood buys nothing. */
		ev = d->ev;
	}
	*d = (struct dev){ .key = k, .cur = NIL, .ev = ev, .first_us = now, .last_us = now };
	if (KEY_TAG(k) == KEY_IP6)
		memcpy(d->ip, ip, 16);
	d->hnext = e->buckets[b];
	e->buckets[b] = i;
	lru_push(e, i);
	e->n_devs++;
	if (e->n_devs * 2 > (size_t)e->mask + 1 && e->mask < e->max_mask)
		grow(e);
	return d;
}

static struct dev *get_dev(struct vw_fp_engine *e, const uint8_t mac[6], uint64_t now)
{
	return get_subj(e, mac_key(mac), NULL, now);
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

/* A device's evidence: max_evidence items, then their value texts, in one
 * block that stays with the pool slot (freed with the engine). 0 or
 * -ENOMEM. */
static int ev_alloc(struct vw_fp_engine *e, struct dev *d)
{
	size_t n = e->conf.max_evidence, bs = n * (sizeof(*d->ev) + VW_FP_EV_VALUE);

	if (!e->ev_left) {
		void **t = realloc(e->ev_chunks, (e->n_ev_chunks + 1) * sizeof(*t));

		if (!t)
			return -ENOMEM;
		e->ev_chunks = t;
		/* Cache-line aligned (bs is a multiple of 64): one item, one line. */
		e->ev_next = aligned_alloc(64, bs * EV_CHUNK);
		if (!e->ev_next)
			return -ENOMEM;
		t[e->n_ev_chunks++] = e->ev_next;
		e->ev_left = EV_CHUNK;
	}
	/* Not cleared: an item is written whole when add_evidence takes
	 * it, and nothing reads past n_ev. */
	d->ev = (struct vw_fp_evidence *)(void *)e->ev_next;
	e->ev_next += bs;
	e->ev_left--;
	return 0;
}

/* The writable text of ev (its value points into d's block). */
static char *ev_text(const struct vw_fp_engine *e, struct dev *d, const struct vw_fp_evidence *ev)
{
	return (char *)(d->ev + e->conf.max_evidence) + (size_t)(ev - d->ev) * VW_FP_EV_VALUE;
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
	char *text;

	for (uint16_t i = 0; i < d->n_ev; i++) {
		struct vw_fp_evidence *x = &d->ev[i];

		if (x->signal == sig && x->ident == ident &&
		    (sig == VW_FP_SIG_OUI || x->field == field || !strcmp(x->field, field))) {
			x->last_us = now;
			if (conf <= x->confidence + EPS)
				return false;
			ev = x;    /* a stronger rule on the same field replaces it */
			break;
		}
	}
	if (!ev) {
		if (!d->ev && ev_alloc(e, d) < 0) {
			e->st.evidence_dropped++;
			return false;
		}
		if (d->n_ev < e->conf.max_evidence) {
			ev = &d->ev[d->n_ev++];
			ev->value = ev_text(e, d, ev);
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
	text = ev_text(e, d, ev);
	if (mac)
		vw_fp_fmt_mac(text, mac);
	else if (val->kind == VW_FP_NUM)
		text[vw_fp_fmt_u64(text, val->num)] = '\0';
	else
		copy_value(text, val->val, val->len);
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

/* The MAC a carrier field of r names (LLDP chassis, DHCP chaddr, SADP or
 * DHIP MAC, DHCPv6 DUID-LL, TR-069 OUI padded to a MAC), or false. */
static bool carried_mac(const struct vw_fp_result *r, size_t i, uint8_t mac[6])
{
	static const struct { enum vw_fp_signal sig; const char *name; } carriers[] = {
		{ VW_SIG_LLDP, "chassis-id" }, { VW_SIG_DHCP, "chaddr" },
		{ VW_SIG_DHCPV6, "duid-ll-mac" }, { VW_SIG_SADP, "mac" },
		{ VW_SIG_DHIP, "mac" }, { VW_SIG_TR069, "oui" },
	};
	const struct vw_fp_field *f;
	uint8_t buf[12];

	if (carriers[i].sig != r->signal || !(f = vw_fp_get(r, carriers[i].name)))
		return false;
	if (f->kind != VW_FP_STR || f->len < 6 || f->len >= 24)
		return false;
	if (r->signal == VW_SIG_LLDP) {
		const struct vw_fp_field *st = vw_fp_get(r, "chassis-id-subtype");

		if (!st || st->kind != VW_FP_NUM || st->num != 4)
			return false;
	}
	/* TR-069 names the maker by bare OUI ("00E0FC"). */
	if (r->signal == VW_SIG_TR069) {
		if (f->len != 6)
			return false;
		memcpy(buf, f->val, 6);
		memcpy(buf + 6, "000000", 6);
		return vw_fp_parse_mac_text(buf, sizeof(buf), mac) == 0;
	}
	return vw_fp_parse_mac_text(f->val, f->len, mac) == 0;
}

static const char *const carrier_ev[] = { "lldp.chassis-id", "dhcp.chaddr", "dhcpv6.duid-ll-mac",
	"sadp.mac", "dhip.mac", "tr069.oui" };

/* ---- per frame ---- */

/* One frame's subjects: its source (d) and whatever its payload names. */
struct fctx {
	struct vw_fp_engine *e;
	const uint8_t *src;          /* the frame's source MAC */
	const struct vw_fp_frame *f; /* NULL for vw_fp_engine_result */
	struct dev *d;
	uint64_t now;
	bool routed;                 /* the IP packet came through a router */
	bool changed;                /* d's evidence */
	int n;                       /* changes reported for other subjects */
	vw_fp_change_cb cb;
	void *cb_ctx;
};

static int conclude(struct vw_fp_engine *e, struct dev *d, vw_fp_change_cb cb, void *ctx);

static bool apply_rules(struct vw_fp_engine *e, struct dev *d, const struct vw_fp_result *r, uint64_t now)
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
	return changed;
}

/* A MAC named inside a frame from another MAC on the segment: its OUI is
 * a fact about that MAC, never about the sender (anyone can name anyone).
 * Only a restricted OUI is worth a device. */
static void named_mac(struct fctx *c, const uint8_t mac[6], const char *field)
{
	struct dev *o;

	if (!c->e->set || (mac[0] & 1) || !vw_ouiset_lookup(c->e->set, mac))
		return;
	o = get_dev(c->e, mac, c->now);
	if (oui_evidence(c->e, o, mac, field, c->now))
		c->n += conclude(c->e, o, c->cb, c->cb_ctx);
}

/* Inner MACs of r for subject t: a self-description (TR-069's OUI, or
 * any carrier of a routed frame, whose sender is t itself) is evidence
 * about t; a MAC other than the source on the segment is about that MAC. */
static bool inner_macs(struct fctx *c, struct dev *t, const struct vw_fp_result *r)
{
	bool changed = false;

	if (!c->e->set)
		return false;
	for (size_t i = 0; i < sizeof(carrier_ev) / sizeof(carrier_ev[0]); i++) {
		uint8_t mac[6];

		if (!carried_mac(r, i, mac))
			continue;
		if (r->signal == VW_SIG_TR069 || t != c->d)
			changed |= oui_evidence(c->e, t, mac, carrier_ev[i], c->now);
		else if (memcmp(mac, c->src, 6))
			named_mac(c, mac, carrier_ev[i]);
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
	uint64_t tag = KEY_TAG(d->key);

	memset(r->mac, 0, 6);
	if (tag == KEY_MAC || tag == KEY_RMAC)
		key_mac(d->key, r->mac);
	r->by_ip = tag != KEY_MAC;
	r->has_mac = tag == KEY_MAC || tag == KEY_RMAC;
	r->family = d->fam == 4 ? AF_INET : d->fam == 6 ? AF_INET6 : 0;
	memcpy(r->ip, d->ip, 16);
	r->has_via = d->has_via;
	memcpy(r->via_mac, d->via, 6);
	r->lease_s = d->lease_s;
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

/* ---- subjects of a frame ---- */

/* Initial TTLs / hop limits of the common stacks (Linux, BSD, macOS,
 * Android: 64; Windows: 128; network OSes, lwIP: 255). */
static bool ttl_initial(uint8_t t)
{
	return t == 64 || t == 128 || t == 255;
}

/*
 * Did f's IP packet come through a router? Yes when the source MAC is a
 * router's (conf is_router), or, for unicast only, when its TTL/hop limit
 * is not an initial value: a host on the segment sends with 64/128/255
 * and nothing decrements it before the gateway. Limits (README): a stack
 * with another initial TTL (32, 60) looks routed, so its evidence goes to
 * its IP rather than its MAC; a packet from exactly 64 hops away, or from
 * a router that does not decrement, looks local. Multicast and broadcast
 * (mDNS, SSDP, WS-Discovery, DHCP) are link-local by design and use other
 * TTLs, so they never count as routed by TTL.
 */
static bool frame_routed(const struct vw_fp_engine *e, const struct vw_fp_frame *f)
{
	if (f->family != AF_INET && f->family != AF_INET6)
		return false;
	if (e->conf.is_router && e->conf.is_router(e->conf.router_ctx, f->src))
		return true;
	if (f->dst[0] & 1)
		return false;
	if (f->family == AF_INET ? f->daddr[0] >= 224 : f->daddr[0] == 0xFF)
		return false;
	return !ttl_initial(f->ttl);
}

static uint64_t ip_key(int family, const uint8_t *ip)
{
	uint64_t k = 0;

	if (family == AF_INET)
		return KEY_IP4 | (uint64_t)ip[0] << 24 | (uint64_t)ip[1] << 16 | (uint64_t)ip[2] << 8 | ip[3];
	for (int i = 0; i < 16; i++)
		k = (k << 8 | k >> 40) ^ ip[i];
	return KEY_IP6 | (k & 0xFFFFFFFFFFFFull);
}

/* The device behind a router known by f's source IP. */
static struct dev *ip_subject(struct fctx *c)
{
	const struct vw_fp_frame *f = c->f;
	struct dev *t = get_subj(c->e, ip_key(f->family, f->saddr), f->saddr, c->now);

	t->fam = f->family == AF_INET ? 4 : 6;
	memcpy(t->ip, f->saddr, f->family == AF_INET ? 4 : 16);
	memcpy(t->via, f->src, 6);
	t->has_via = true;
	return t;
}

static uint32_t num_field(const struct vw_fp_result *r, const char *name)
{
	const struct vw_fp_field *f = vw_fp_get(r, name);

	return f && f->kind == VW_FP_NUM ? (uint32_t)f->num : 0;
}

static void ip4_bytes(uint32_t ip, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = ip >> 24;
	out[1] = ip >> 16 & 0xFF;
	out[2] = ip >> 8 & 0xFF;
	out[3] = ip & 0xFF;
}

/* A server's DHCPACK: the client's address and lease, to the lease
 * callback and to the relayed client's device when there is one. */
static void dhcp_ack(struct fctx *c, const struct vw_fp_result *r, const uint8_t mac[6])
{
	uint32_t yi = num_field(r, "yiaddr"), lease = num_field(r, "lease-time");
	uint8_t ip[16];
	struct dev *t;
	int32_t i;

	if (num_field(r, "msg-type") != 5 || !yi)
		return;
	ip4_bytes(yi, ip);
	if (c->e->lease_cb)
		c->e->lease_cb(c->e->lease_ctx, AF_INET, ip, mac, lease);
	i = lookup(c->e, KEY_RMAC | mac_key(mac), NULL);
	if (i == NIL)
		return;
	t = &c->e->devs[i];
	if (t->fam == 4 && !memcmp(t->ip, ip, 16) && t->lease_s == lease)
		return;
	t->fam = 4;
	memcpy(t->ip, ip, 16);
	t->lease_s = lease;
	c->n += conclude(c->e, t, c->cb, c->cb_ctx);
}

/* Evidence of r for a subject other than the frame's source. */
static void other_subject(struct fctx *c, struct dev *t, const struct vw_fp_result *r)
{
	bool changed = apply_rules(c->e, t, r, c->now);

	changed |= inner_macs(c, t, r);
	if (changed)
		c->n += conclude(c->e, t, c->cb, c->cb_ctx);
}

/*
 * DHCP names its client by chaddr. A request from that MAC itself is the
 * client speaking. A relayed one (giaddr set) describes a device behind
 * the relay: all of it (chaddr's OUI, options 60/12/55) is about that
 * client, never the relay. A request from another MAC without giaddr is
 * a spoof or a MAC-rewriting repeater: only chaddr's OUI counts, for
 * chaddr; its options describe nobody we can name. A reply describes
 * the server, and an ACK gives the client its address.
 */
static void dhcp_result(struct fctx *c, const struct vw_fp_result *r)
{
	const struct vw_fp_field *ch = vw_fp_get(r, "chaddr");
	uint8_t mac[6];
	bool eth = ch && ch->kind == VW_FP_STR && ch->len == 17 && carried_mac(r, 1, mac);
	struct dev *t;

	if (num_field(r, "op") == 2) {
		if (eth)
			dhcp_ack(c, r, mac);
		/* A reply's chaddr is its client's, never the server's: only
		 * the rules speak for the server, routed or not. */
		if (c->routed) {
			t = ip_subject(c);
			if (apply_rules(c->e, t, r, c->now))
				c->n += conclude(c->e, t, c->cb, c->cb_ctx);
		} else {
			c->changed |= apply_rules(c->e, c->d, r, c->now);
		}
		return;
	}
	if (eth && num_field(r, "giaddr") && !(mac[0] & 1)) {
		uint32_t ci = num_field(r, "ciaddr");

		t = get_subj(c->e, KEY_RMAC | mac_key(mac), NULL, c->now);
		memcpy(t->via, c->src, 6);
		t->has_via = true;
		if (ci && !t->fam) {
			t->fam = 4;
			ip4_bytes(ci, t->ip);
		}
		other_subject(c, t, r);
		return;
	}
	if (!eth || !memcmp(mac, c->src, 6)) {
		c->changed |= apply_rules(c->e, c->d, r, c->now);
		return;
	}
	named_mac(c, mac, carrier_ev[1]);
}

static int on_result(void *ctx, const struct vw_fp_frame *f, const struct vw_fp_result *r)
{
	struct fctx *c = ctx;

	(void)f;
	if (r->signal == VW_SIG_DHCP) {
		dhcp_result(c, r);
	} else if (c->routed) {
		other_subject(c, ip_subject(c), r);
	} else {
		c->changed |= apply_rules(c->e, c->d, r, c->now);
		c->changed |= inner_macs(c, c->d, r);
	}
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

void vw_fp_engine_set_lease_cb(struct vw_fp_engine *e, vw_fp_lease_cb cb, void *ctx)
{
	e->lease_cb = cb;
	e->lease_ctx = ctx;
}

int vw_fp_engine_frame(struct vw_fp_engine *e, const uint8_t *data, size_t len,
		       uint64_t now_us, vw_fp_change_cb cb, void *ctx)
{
	struct vw_fp_frame f;
	struct fctx c = { .e = e, .f = &f, .src = f.src, .now = now_us, .cb = cb, .cb_ctx = ctx };
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
	/* Its evidence is read after the payload is parsed; from a cold
	 * device it would be a miss then. */
	if (c.d->ev)
		__builtin_prefetch(c.d->ev);
	c.changed = source_oui(e, c.d, f.src, now_us);
	c.routed = frame_routed(e, &f);
	/* A routed packet's source address is not the router's. */
	if (!c.routed)
		add_addr(c.d, &f);
	rc = vw_fp_dissect(&f, on_result, &c);
	if (rc == -ENOMEM)
		return rc;
	return c.n + (c.changed ? conclude(e, c.d, cb, ctx) : 0);
}

int vw_fp_engine_result(struct vw_fp_engine *e, const uint8_t mac[6],
			const struct vw_fp_result *r, uint64_t now_us,
			vw_fp_change_cb cb, void *ctx)
{
	struct fctx c = { .e = e, .src = mac, .now = now_us, .cb = cb, .cb_ctx = ctx };

	if (!e || !mac || (mac[0] & 1))
		return -EINVAL;
	c.d = get_dev(e, mac, now_us);
	c.changed = source_oui(e, c.d, mac, now_us);
	if (r)
		on_result(&c, NULL, r);
	return c.n + (c.changed ? conclude(e, c.d, cb, ctx) : 0);
}

int vw_fp_engine_get_ip(struct vw_fp_engine *e, int family, const uint8_t *ip, struct vw_fp_report *out)
{
	int32_t i;

	if (!e || !ip || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	i = lookup(e, ip_key(family, ip), ip);
	if (i == NIL)
		return -ENOENT;
	fill_report(e, &e->devs[i], out);
	return 0;
}

int vw_fp_engine_get(struct vw_fp_engine *e, const uint8_t mac[6], struct vw_fp_report *out)
{
	uint64_t k = mac_key(mac);
	int32_t i = find(e, k, hash(e, k));

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

uint32_t vw_fp_engine_bucket(const struct vw_fp_engine *e, const uint8_t mac[6])
{
	return hash(e, mac_key(mac));
}

size_t vw_fp_engine_longest_chain(const struct vw_fp_engine *e)
{
	size_t longest = 0;

	for (uint32_t b = 0; b <= e->mask; b++) {
		size_t n = 0;

		for (int32_t i = e->buckets[b]; i != NIL; i = e->devs[i].hnext)
			n++;
		if (n > longest)
			longest = n;
	}
	return longest;
}
