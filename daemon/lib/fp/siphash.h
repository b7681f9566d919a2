/* SPDX-License-Identifier: GPL-2.0-only */
/* SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed hash for tables whose keys an attacker chooses (MACs, addresses), so that without the key nobody can pick keys that share a bucket. */
#ifndef VW_FP_SIPHASH_H
#define VW_FP_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct vw_siphash_key {
	uint64_t k0, k1;      /* the 128-bit key, k0 from its first 8 bytes (little-endian) */
};

/* SipHash-2-4 of n bytes under key. */
uint64_t vw_siphash24(const struct vw_siphash_key *key, const void *data, size_t n);

/* A fresh random key from getrandom(2): 0, or -errno (no entropy source,
 * which on Linux >= 3.17 after early boot does not happen). */
int vw_siphash_key_random(struct vw_siphash_key *key);

#endif
