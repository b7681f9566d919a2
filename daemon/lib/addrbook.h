/* SPDX-License-Identifier: GPL-2.0-only */
/* What the neighbour table says each MAC's IP addresses are, for alerts and
 * the inventory. Bounded: the least recently updated MAC is dropped. */
#ifndef VW_ADDRBOOK_H
#define VW_ADDRBOOK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define VW_ADDRBOOK_PER_MAC 4

struct vw_addrbook_entry {
	uint8_t mac[6];
	uint64_t stamp;                          /* update order */
	uint32_t older, newer;                   /* update-order list (index + 1, 0 = none) */
	struct in_addr v4[VW_ADDRBOOK_PER_MAC];  size_t n_v4;
	struct in6_addr v6[VW_ADDRBOOK_PER_MAC]; size_t n_v6;
};

/* Entries in an array; an open-addressing index over them (keyed hash,
 * updated per insert and eviction, rebuilt only when the array doubles); a
 * list in update order, so the least recently updated MAC is found at once. */
struct vw_addrbook {
	struct vw_addrbook_entry *v;
	size_t n, cap, max;
	size_t *index, buckets;
	uint64_t clock, key;
	uint32_t oldest, newest;                 /* list ends (index + 1, 0 = empty) */
};

/* max = most MACs kept (0 picks a default). */
int vw_addrbook_init(struct vw_addrbook *ab, size_t max);
void vw_addrbook_free(struct vw_addrbook *ab);
/* Adds addr (AF_INET/AF_INET6) for mac; *added is false when it was known.
 * The oldest address of a full per-MAC list makes room. */
int vw_addrbook_add(struct vw_addrbook *ab, const uint8_t mac[6], int family,
		    const void *addr, bool *added);
int vw_addrbook_del(struct vw_addrbook *ab, const uint8_t mac[6], int family, const void *addr);
const struct vw_addrbook_entry *vw_addrbook_get(const struct vw_addrbook *ab, const uint8_t mac[6]);
/* Comma-separated text of one family's addresses ("" when none). */
void vw_addrbook_format(const struct vw_addrbook_entry *e, int family, char *buf, size_t len);

#endif
