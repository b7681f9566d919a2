// SPDX-License-Identifier: GPL-2.0-only
/* MAC -> IP addresses learnt from the neighbour table, bounded. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "addrbook.h"

#define VW_ADDRBOOK_DEFAULT_MAX 65536

int vw_addrbook_init(struct vw_addrbook *ab, size_t max)
{
	memset(ab, 0, sizeof(*ab));
	ab->max = max ? max : VW_ADDRBOOK_DEFAULT_MAX;
	if (ab->max > UINT32_MAX - 1)
		return -EINVAL;
	/* Neighbours' MACs are chosen by whoever is on the segment: a secret
	 * key keeps them from being picked to collide in the index. */
	if (getrandom(&ab->key, sizeof(ab->key), GRND_NONBLOCK) != sizeof(ab->key))
		ab->key = (uint64_t)(uintptr_t)ab ^ (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull;
	return 0;
}

void vw_addrbook_free(struct vw_addrbook *ab)
{
	free(ab->v);
	free(ab->index);
	memset(ab, 0, sizeof(*ab));
}

static size_t mac_hash(const struct vw_addrbook *ab, const uint8_t mac[6])
{
	uint64_t h = ab->key;

	for (int i = 0; i < 6; i++)
		h ^= (uint64_t)mac[i] << (8 * i);
	/* murmur3's finaliser: every key bit reaches every bucket bit */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (size_t)h & (ab->buckets - 1);
}

static size_t next_bucket(const struct vw_addrbook *ab, size_t b)
{
	return (b + 1) & (ab->buckets - 1);
}

static void index_insert(struct vw_addrbook *ab, size_t i)
{
	size_t b = mac_hash(ab, ab->v[i].mac);

	while (ab->index[b])
		b = next_bucket(ab, b);
	ab->index[b] = i + 1;
}

/* Empties bucket b and moves later entries of its probe run back, so no
 * lookup stops early at the hole (no tombstones to pile up). */
static void index_remove_at(struct vw_addrbook *ab, size_t b)
{
	size_t hole = b;

	ab->index[hole] = 0;
	for (b = next_bucket(ab, b); ab->index[b]; b = next_bucket(ab, b)) {
		size_t home = mac_hash(ab, ab->v[ab->index[b] - 1].mac);

		/* Movable unless its home lies cyclically in (hole, b]. */
		if (hole <= b ? (home > hole && home <= b) : (home > hole || home <= b))
			continue;
		ab->index[hole] = ab->index[b];
		ab->index[b] = 0;
		hole = b;
	}
}

static size_t *find_bucket(const struct vw_addrbook *ab, const uint8_t mac[6])
{
	size_t b;

	if (!ab->buckets)
		return NULL;
	for (b = mac_hash(ab, mac); ab->index[b]; b = next_bucket(ab, b))
		if (!memcmp(ab->v[ab->index[b] - 1].mac, mac, 6))
			return &ab->index[b];
	return NULL;
}

static struct vw_addrbook_entry *find(const struct vw_addrbook *ab, const uint8_t mac[6])
{
	size_t *b = find_bucket(ab, mac);

	return b ? &ab->v[*b - 1] : NULL;
}

const struct vw_addrbook_entry *vw_addrbook_get(const struct vw_addrbook *ab, const uint8_t mac[6])
{
	return find(ab, mac);
}

static void list_unlink(struct vw_addrbook *ab, struct vw_addrbook_entry *e)
{
	if (e->older)
		ab->v[e->older - 1].newer = e->newer;
	else
		ab->oldest = e->newer;
	if (e->newer)
		ab->v[e->newer - 1].older = e->older;
	else
		ab->newest = e->older;
	e->older = e->newer = 0;
}

static void list_push_newest(struct vw_addrbook *ab, struct vw_addrbook_entry *e)
{
	uint32_t id = (uint32_t)(e - ab->v) + 1;

	e->older = ab->newest;
	e->newer = 0;
	if (ab->newest)
		ab->v[ab->newest - 1].newer = id;
	else
		ab->oldest = id;
	ab->newest = id;
}

/* Doubles the array and the index; the one place the index is rebuilt. */
static int grow(struct vw_addrbook *ab)
{
	size_t cap = ab->cap ? ab->cap * 2 : 64;
	size_t *idx = calloc(cap * 2, sizeof(*idx));
	struct vw_addrbook_entry *v = idx ? realloc(ab->v, cap * sizeof(*v)) : NULL;

	if (!v) {
		free(idx);
		return -ENOMEM;
	}
	ab->v = v;
	ab->cap = cap;
	free(ab->index);
	ab->index = idx;
	ab->buckets = cap * 2;   /* power of two, load <= 1/2 */
	for (size_t i = 0; i < ab->n; i++)
		index_insert(ab, i);
	return 0;
}

static struct vw_addrbook_entry *slot_for(struct vw_addrbook *ab, const uint8_t mac[6])
{
	struct vw_addrbook_entry *e = find(ab, mac);

	if (e) {
		list_unlink(ab, e);
		list_push_newest(ab, e);
		return e;
	}
	if (ab->n == ab->max && ab->oldest) {
		/* Full: the least recently updated MAC makes room, in place. */
		e = &ab->v[ab->oldest - 1];
		index_remove_at(ab, (size_t)(find_bucket(ab, e->mac) - ab->index));
		list_unlink(ab, e);
	} else {
		if (ab->n == ab->cap && grow(ab) < 0)
			return NULL;
		e = &ab->v[ab->n++];
	}
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, mac, 6);
	index_insert(ab, (size_t)(e - ab->v));
	list_push_newest(ab, e);
	return e;
}

int vw_addrbook_add(struct vw_addrbook *ab, const uint8_t mac[6], int family,
		    const void *addr, bool *added)
{
	struct vw_addrbook_entry *e;

	*added = false;
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	e = slot_for(ab, mac);
	if (!e)
		return -ENOMEM;
	e->stamp = ++ab->clock;
	if (family == AF_INET) {
		for (size_t i = 0; i < e->n_v4; i++)
			if (!memcmp(&e->v4[i], addr, sizeof(e->v4[i])))
				return 0;
		if (e->n_v4 == VW_ADDRBOOK_PER_MAC)
			memmove(&e->v4[0], &e->v4[1], sizeof(e->v4[0]) * --e->n_v4);
		memcpy(&e->v4[e->n_v4++], addr, sizeof(e->v4[0]));
	} else {
		for (size_t i = 0; i < e->n_v6; i++)
			if (!memcmp(&e->v6[i], addr, sizeof(e->v6[i])))
				return 0;
		if (e->n_v6 == VW_ADDRBOOK_PER_MAC)
			memmove(&e->v6[0], &e->v6[1], sizeof(e->v6[0]) * --e->n_v6);
		memcpy(&e->v6[e->n_v6++], addr, sizeof(e->v6[0]));
	}
	*added = true;
	return 0;
}

int vw_addrbook_del(struct vw_addrbook *ab, const uint8_t mac[6], int family, const void *addr)
{
	struct vw_addrbook_entry *e = find(ab, mac);

	if (!e)
		return -ENOENT;
	if (family == AF_INET) {
		for (size_t i = 0; i < e->n_v4; i++) {
			if (memcmp(&e->v4[i], addr, sizeof(e->v4[i])))
				continue;
			memmove(&e->v4[i], &e->v4[i + 1], sizeof(e->v4[0]) * (--e->n_v4 - i));
			return 0;
		}
	} else if (family == AF_INET6) {
		for (size_t i = 0; i < e->n_v6; i++) {
			if (memcmp(&e->v6[i], addr, sizeof(e->v6[i])))
				continue;
			memmove(&e->v6[i], &e->v6[i + 1], sizeof(e->v6[0]) * (--e->n_v6 - i));
			return 0;
		}
	}
	return -ENOENT;
}

void vw_addrbook_format(const struct vw_addrbook_entry *e, int family, char *buf, size_t len)
{
	char one[INET6_ADDRSTRLEN];
	size_t off = 0, n;

	if (!len)
		return;
	buf[0] = '\0';
	if (!e)
		return;
	n = family == AF_INET ? e->n_v4 : e->n_v6;
	for (size_t i = 0; i < n; i++) {
		const void *a = family == AF_INET ? (const void *)&e->v4[i] : (const void *)&e->v6[i];
		int w;

		if (!inet_ntop(family, a, one, sizeof(one)))
			continue;
		w = snprintf(buf + off, len - off, "%s%s", off ? "," : "", one);
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += w;
	}
}
