// SPDX-License-Identifier: GPL-2.0-only
/* MAC -> IP addresses learnt from the neighbour table, bounded. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrbook.h"

#define VW_ADDRBOOK_DEFAULT_MAX 65536

int vw_addrbook_init(struct vw_addrbook *ab, size_t max)
{
	memset(ab, 0, sizeof(*ab));
	ab->max = max ? max : VW_ADDRBOOK_DEFAULT_MAX;
	return 0;
}

void vw_addrbook_free(struct vw_addrbook *ab)
{
	free(ab->v);
	free(ab->index);
	memset(ab, 0, sizeof(*ab));
}

static size_t mac_hash(const uint8_t mac[6], size_t buckets)
{
	uint64_t h = 0;

	for (int i = 0; i < 6; i++)
		h = (h << 8) | mac[i];
	return (size_t)((h * 0x9E3779B97F4A7C15ull) >> 40) & (buckets - 1);
}

/* Open addressing over entry indexes (+1, 0 = empty), rebuilt when the
 * entries move; the neighbour table of a large segment has thousands of
 * MACs and every event looks one up. */
static void reindex(struct vw_addrbook *ab)
{
	memset(ab->index, 0, ab->buckets * sizeof(*ab->index));
	for (size_t i = 0; i < ab->n; i++) {
		size_t b = mac_hash(ab->v[i].mac, ab->buckets);

		while (ab->index[b])
			b = (b + 1) & (ab->buckets - 1);
		ab->index[b] = i + 1;
	}
}

static struct vw_addrbook_entry *find(const struct vw_addrbook *ab, const uint8_t mac[6])
{
	size_t b;

	if (!ab->buckets)
		return NULL;
	for (b = mac_hash(mac, ab->buckets); ab->index[b]; b = (b + 1) & (ab->buckets - 1))
		if (!memcmp(ab->v[ab->index[b] - 1].mac, mac, 6))
			return &ab->v[ab->index[b] - 1];
	return NULL;
}

const struct vw_addrbook_entry *vw_addrbook_get(const struct vw_addrbook *ab, const uint8_t mac[6])
{
	return find(ab, mac);
}

static struct vw_addrbook_entry *slot_for(struct vw_addrbook *ab, const uint8_t mac[6])
{
	struct vw_addrbook_entry *e = find(ab, mac), *tmp;

	if (e)
		return e;
	if (ab->n == ab->max) {
		size_t oldest = 0;

		for (size_t i = 1; i < ab->n; i++)
			if (ab->v[i].stamp < ab->v[oldest].stamp)
				oldest = i;
		e = &ab->v[oldest];
	} else {
		if (ab->n == ab->cap) {
			size_t cap = ab->cap ? ab->cap * 2 : 64;
			size_t *idx = calloc(cap * 2, sizeof(*idx));

			tmp = idx ? realloc(ab->v, cap * sizeof(*tmp)) : NULL;
			if (!tmp) {
				free(idx);
				return NULL;
			}
			ab->v = tmp;
			ab->cap = cap;
			free(ab->index);
			ab->index = idx;
			ab->buckets = cap * 2;   /* power of two, load <= 1/2 */
		}
		e = &ab->v[ab->n++];
	}
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, mac, 6);
	reindex(ab);
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
