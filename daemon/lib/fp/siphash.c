/* SPDX-License-Identifier: GPL-2.0-only */
/* SipHash-2-4 as the paper specifies it: four 64-bit words of state, 2 compression rounds per 8-byte word, 4 finalization rounds, the message length in the last byte. */
#include <errno.h>
#include <sys/random.h>

#include "siphash.h"

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static inline void sipround(struct sip *s)
{
	s->v0 += s->v1; s->v1 = rotl(s->v1, 13); s->v1 ^= s->v0; s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3; s->v3 = rotl(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = rotl(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = rotl(s->v1, 17); s->v1 ^= s->v2; s->v2 = rotl(s->v2, 32);
}

static inline void compress(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sipround(s);
	sipround(s);
	s->v0 ^= m;
}

static inline uint64_t le64(const uint8_t *p, size_t n)
{
	uint64_t w = 0;

	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

uint64_t vw_siphash24(const struct vw_siphash_key *key, const void *data, size_t n)
{
	const uint8_t *p = data;
	struct sip s = {
		.v0 = key->k0 ^ 0x736f6d6570736575ull,   /* "somepseu" */
		.v1 = key->k1 ^ 0x646f72616e646f6dull,   /* "dorandom" */
		.v2 = key->k0 ^ 0x6c7967656e657261ull,   /* "lygenera" */
		.v3 = key->k1 ^ 0x7465646279746573ull,   /* "tedbytes" */
	};
	size_t i;

	for (i = 0; i + 8 <= n; i += 8)
		compress(&s, le64(p + i, 8));
	/* The last word: the remaining bytes, and n mod 256 in the top byte. */
	compress(&s, le64(p + i, n - i) | (uint64_t)(n & 0xFF) << 56);
	s.v2 ^= 0xFF;
	for (int r = 0; r < 4; r++)
		sipround(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

int vw_siphash_key_random(struct vw_siphash_key *key)
{
	uint8_t b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	key->k0 = le64(b, 8);
	key->k1 = le64(b + 8, 8);
	return 0;
}
