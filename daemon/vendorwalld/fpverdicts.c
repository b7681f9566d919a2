// SPDX-License-Identifier: GPL-2.0-only
/* Fingerprint verdicts, bounded and aged (see fpverdicts.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <syslog.h>
#include <time.h>

#include "engine.h"
#include "fpverdicts.h"
#include "health.h"
#include "journal.h"

#define NIL (-1)
#define FP_BITS (VW_DEV_RESTRICTED | VW_DEV_CLEARED)

struct ent {
	uint64_t key, seen;
	int32_t prev, next;     /* recency list: head most recent */
	int32_t chain;          /* bucket chain, or the free list */
};

/* The entries and buckets are fresh anonymous mappings, touched only as
 * they are used: a table sized for 61,440 verdicts costs a start nothing
 * (initialising its 2.5 MiB was ~5 % of one) and its pages come as
 * verdicts do. So a zero bucket is empty (they hold index + 1) and
 * entries never used are taken in order (fresh) before the free list. */
struct vwd_fpv {
	struct ent *e;
	int32_t *buckets;       /* index + 1 of the chain's first entry; 0: none */
	uint64_t seed;          /* MACs are chosen by whoever sends frames */
	uint32_t mask;
	int32_t head, tail, free_head, fresh;
	size_t n, cap, nb;
};

static void *zeroed(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int vwd_fpv_new(struct vwd_fpv **out, size_t cap)
{
	struct vwd_fpv *t;
	size_t nb = 16;

	*out = NULL;
	if (!cap || cap > (1u << 24))
		return -EINVAL;
	while (nb < 2 * cap)
		nb <<= 1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->cap = cap;
	t->nb = nb;
	t->e = zeroed(cap * sizeof(*t->e));
	t->buckets = zeroed(nb * sizeof(*t->buckets));
	if (!t->e || !t->buckets) {
		vwd_fpv_free(t);
		return -ENOMEM;
	}
	if (getrandom(&t->seed, sizeof(t->seed), 0) != sizeof(t->seed))
		t->seed = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull;
	t->mask = (uint32_t)(nb - 1);
	t->head = t->tail = t->free_head = NIL;
	*out = t;
	return 0;
}

void vwd_fpv_free(struct vwd_fpv *t)
{
	if (!t)
		return;
	if (t->e)
		munmap(t->e, t->cap * sizeof(*t->e));
	if (t->buckets)
		munmap(t->buckets, t->nb * sizeof(*t->buckets));
	free(t);
}

size_t vwd_fpv_count(const struct vwd_fpv *t)
{
	return t->n;
}

size_t vwd_fpv_cap(const struct vwd_fpv *t)
{
	return t->cap;
}

/* splitmix64's finaliser over the seeded key. */
static uint32_t bucket(const struct vwd_fpv *t, uint64_t k)
{
	k ^= t->seed;
	k = (k ^ (k >> 30)) * 0xbf58476d1ce4e5b9ull;
	k = (k ^ (k >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(k ^ (k >> 31)) & t->mask;
}

static int32_t find(const struct vwd_fpv *t, uint64_t key)
{
	for (int32_t i = t->buckets[bucket(t, key)] - 1; i != NIL; i = t->e[i].chain)
		if (t->e[i].key == key)
			return i;
	return NIL;
}

static void unlink_lru(struct vwd_fpv *t, int32_t i)
{
	struct ent *x = &t->e[i];

	if (x->prev != NIL)
		t->e[x->prev].next = x->next;
	else
		t->head = x->next;
	if (x->next != NIL)
		t->e[x->next].prev = x->prev;
	else
		t->tail = x->prev;
}

static void push_front(struct vwd_fpv *t, int32_t i)
{
	t->e[i].prev = NIL;
	t->e[i].next = t->head;
	if (t->head != NIL)
		t->e[t->head].prev = i;
	t->head = i;
	if (t->tail == NIL)
		t->tail = i;
}

static void remove_at(struct vwd_fpv *t, int32_t i)
{
	int32_t *b = &t->buckets[bucket(t, t->e[i].key)], j = *b - 1;

	if (j == i) {
		*b = t->e[i].chain + 1;
	} else {
		while (t->e[j].chain != i)
			j = t->e[j].chain;
		t->e[j].chain = t->e[i].chain;
	}
	unlink_lru(t, i);
	t->e[i].chain = t->free_head;
	t->free_head = i;
	t->n--;
}

int vwd_fpv_touch(struct vwd_fpv *t, uint64_t key, uint64_t now, uint64_t *victim)
{
	int32_t i = find(t, key);
	uint32_t b;
	int evicted = 0;

	if (i != NIL) {
		t->e[i].seen = now;
		unlink_lru(t, i);
		push_front(t, i);
		return 0;
	}
	if (t->n == t->cap) {
		*victim = t->e[t->tail].key;
		remove_at(t, t->tail);
		evicted = 1;
	}
	if (t->free_head != NIL) {
		i = t->free_head;
		t->free_head = t->e[i].chain;
	} else {
		i = t->fresh++;
	}
	b = bucket(t, key);
	t->e[i] = (struct ent){ .key = key, .seen = now, .chain = t->buckets[b] - 1 };
	t->buckets[b] = i + 1;
	push_front(t, i);
	t->n++;
	return evicted;
}

bool vwd_fpv_refresh(struct vwd_fpv *t, uint64_t key, uint64_t now)
{
	int32_t i = find(t, key);

	if (i == NIL)
		return false;
	t->e[i].seen = now;
	unlink_lru(t, i);
	push_front(t, i);
	return true;
}

void vwd_fpv_forget(struct vwd_fpv *t, uint64_t key)
{
	int32_t i = find(t, key);

	if (i != NIL)
		remove_at(t, i);
}

int vwd_fpv_pop_older(struct vwd_fpv *t, uint64_t cutoff, uint64_t *key)
{
	if (t->tail == NIL || t->e[t->tail].seen >= cutoff)
		return 0;
	*key = t->e[t->tail].key;
	remove_at(t, t->tail);
	return 1;
}

/* ---- the daemon's side ---- */

static uint64_t key_of(const uint8_t m[6])
{
	return (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 | (uint64_t)m[2] << 24 |
	       (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5];
}

static void mac_of(uint64_t k, uint8_t m[6])
{
	for (int i = 5; i >= 0; i--, k >>= 8)
		m[i] = k & 0xFF;
}

/* Only the fingerprint bits go: a waiver or quarantine on the same MAC
 * stays (vw_datapath_device_flags deletes an entry left without bits). */
static void drop_verdict(struct daemon *d, uint64_t key)
{
	uint8_t mac[6];
	int err;

	mac_of(key, mac);
	err = vw_datapath_device_flags(d->dp, mac, 0, FP_BITS);
	if (err)
		vw_log(LOG_WARNING, "Cannot drop an old fingerprint verdict: %s", strerror(-err));
}

static void full(struct daemon *d)
{
	char detail[160];

	snprintf(detail, sizeof(detail),
		 "fingerprint verdicts at their limit (%zu, MaxFingerprintVerdicts=): the least recently seen devices' are dropped",
		 vwd_fpv_cap(d->fpv));
	vwd_degraded(d, "fingerprint-verdicts", NULL, detail);
}

int vwd_fp_verdict(struct daemon *d, const uint8_t mac[6], uint32_t set, uint32_t clear,
		   uint16_t vendor)
{
	uint64_t key = key_of(mac), victim;
	int err;

	if (!d->fpv || !(set & FP_BITS)) {
		if (d->fpv)
			vwd_fpv_forget(d->fpv, key);
		return vw_datapath_device_verdict(d->dp, mac, set, clear, vendor);
	}
	/* Room first: the map never holds more than the table. */
	if (vwd_fpv_touch(d->fpv, key, (uint64_t)time(NULL), &victim) == 1) {
		drop_verdict(d, victim);
		full(d);
	}
	err = vw_datapath_device_verdict(d->dp, mac, set, clear, vendor);
	if (err)
		vwd_fpv_forget(d->fpv, key);
	return err;
}

void vwd_fp_verdict_seen(struct daemon *d, const uint8_t mac[6])
{
	struct vw_fp_report r;

	if (!d->fpv || vwd_fpv_refresh(d->fpv, key_of(mac), (uint64_t)time(NULL)))
		return;
	/* Its verdict made room for others (a flood) or aged out while the
	 * engine still knows the device: the engine reports no change for a
	 * repeated announcement, so the verdict is written back here. */
	if (!d->fp || vw_fp_engine_get(d->fp, mac, &r))
		return;
	if (r.state == VW_FP_STATE_RESTRICTED && r.block)
		vwd_fp_verdict(d, mac, VW_DEV_RESTRICTED, VW_DEV_CLEARED, r.vendor_code);
	else if (r.state == VW_FP_STATE_CLEARED)
		vwd_fp_verdict(d, mac, VW_DEV_CLEARED, VW_DEV_RESTRICTED, 0);
}

/* Into a new table of the configured size: the old one's entries, least
 * recently seen first, then pinned verdicts the table does not know (an
 * earlier run's) as seen now. What does not fit is dropped. */
static void refill(struct daemon *d, struct vwd_fpv *t, const struct vw_device_entry *devs,
		   size_t n)
{
	uint64_t victim, now = (uint64_t)time(NULL);
	bool dropped = false;

	for (int32_t i = d->fpv ? d->fpv->tail : NIL; i != NIL; i = d->fpv->e[i].prev)
		if (vwd_fpv_touch(t, d->fpv->e[i].key, d->fpv->e[i].seen, &victim) == 1) {
			drop_verdict(d, victim);
			dropped = true;
		}
	for (size_t i = 0; i < n; i++) {
		uint64_t key = key_of(devs[i].mac);

		if (!(devs[i].flags & FP_BITS) || find(t, key) != NIL)
			continue;
		if (vwd_fpv_touch(t, key, now, &victim) == 1) {
			drop_verdict(d, victim);
			dropped = true;
		}
	}
	if (dropped)
		full(d);
}

/* A cleared bit only ever lifts a restricted OUI's verdict, that is, it
 * is a dispute decided for the device. Where no segment lets a look-alike
 * clear (LookAlikeClears=), none may stay: not an earlier run's, not one
 * from before the setting was turned off. */
static void drop_cleared(struct daemon *d, const struct vw_device_entry *devs, size_t n)
{
	for (size_t i = 0; i < d->st->conf.n_segments; i++)
		if (d->st->conf.segments[i].lookalike_clears)
			return;
	for (size_t i = 0; i < n; i++) {
		int err;

		if (!(devs[i].flags & VW_DEV_CLEARED))
			continue;
		err = vw_datapath_device_flags(d->dp, devs[i].mac, 0, VW_DEV_CLEARED);
		if (err)
			vw_log(LOG_WARNING, "Cannot drop a look-alike's cleared verdict: %s",
			       strerror(-err));
		if (d->fpv)
			vwd_fpv_forget(d->fpv, key_of(devs[i].mac));
	}
}

int vwd_fp_verdicts_sync(struct daemon *d)
{
	size_t cap = d->st->conf.fp_max_verdicts;
	struct vw_device_entry *devs = NULL;
	struct vwd_fpv *t = NULL;
	size_t n = 0;
	int err;

	err = vw_datapath_list_devices(d->dp, &devs, &n);
	if (err)
		return err;
	drop_cleared(d, devs, n);
	if (!d->fpv || vwd_fpv_cap(d->fpv) != cap) {
		err = vwd_fpv_new(&t, cap);
		if (!err) {
			refill(d, t, devs, n);
			vwd_fpv_free(d->fpv);
			d->fpv = t;
		}
	}
	free(devs);
	return err;
}

void vwd_fp_verdicts_tick(struct daemon *d)
{
	uint64_t now = (uint64_t)time(NULL), age = d->st->conf.fp_verdict_max_age_s, key;
	size_t n = 0;

	if (!d->fpv)
		return;
	/* Bounded work per tick; a backlog drains over the next ones. */
	while (n < 4096 && now > age && vwd_fpv_pop_older(d->fpv, now - age, &key)) {
		drop_verdict(d, key);
		n++;
	}
	if (vwd_fpv_count(d->fpv) < vwd_fpv_cap(d->fpv) * 9 / 10)
		vwd_recovered(d, "fingerprint-verdicts", "room for fingerprint verdicts again");
}
