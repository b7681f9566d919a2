// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts device ID, software version, platform, system name and system
 * OID from one CDP frame (from its LLC/SNAP header).
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §3.2 — H3C/Comware (and possibly VRP) send
 * CDP-compatible frames whose Platform and Version TLVs carry the model and
 * sysDescr text; vendor attribution is the rule layer's business.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fp.h"

/* A CDP TLV is at least its 4-byte header, so a 1500-byte frame holds at
 * most ~370; real ones carry about 15. */
#define CDP_MAX_TLVS 64
#define CDP_HDR      4   /* version, ttl, checksum */

enum {
	CDP_DEVICE_ID = 0x0001, CDP_VERSION = 0x0005, CDP_PLATFORM = 0x0006,
	CDP_SYSNAME = 0x0014, CDP_SYSOID = 0x0015,
};

static const uint8_t snap_cdp[8] = { 0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00 };

/* BER OID content to dotted text. Returns the text length, 0 when the
 * bytes are not a well-formed OID (arcs wider than 32 bits included). */
static size_t oid_text(const uint8_t *v, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	bool first = true;

	/* Cisco sends the full BER TLV (06 len ...); accept bare content too. */
	if (n >= 2 && v[0] == 0x06 && v[1] == n - 2) {
		v += 2;
		n -= 2;
	}
	if (!n)
		return 0;
	while (i < n) {
		uint64_t arc = 0;
		size_t k = 0;
		char num[48];
		size_t w = 0;

		do {
			if (i >= n || k++ == 5)
				return 0;
			arc = arc << 7 | (v[i] & 0x7F);
		} while (v[i++] & 0x80);
		if (arc > UINT32_MAX)
			return 0;
		if (first) {
			unsigned a = arc < 40 ? 0 : arc < 80 ? 1 : 2;

			w = vw_fp_fmt_u64(num, a);
			num[w++] = '.';
			w += vw_fp_fmt_u64(num + w, arc - 40 * a);
			first = false;
		} else {
			num[w++] = '.';
			w += vw_fp_fmt_u64(num + w, arc);
		}
		if (w >= cap - o)
			return 0;   /* longer than any OID we would match */
		memcpy(out + o, num, w);
		o += w;
	}
	return o;
}

int vw_fp_parse_cdp(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	size_t off, tlvs = 0;
	unsigned seen = 0;
	bool bad = false;

	vw_fp_reset(r, VW_SIG_CDP);
	if (!p || len < sizeof(snap_cdp) || memcmp(p, snap_cdp, sizeof(snap_cdp)))
		return -ENOMSG;
	off = sizeof(snap_cdp);
	if (len - off < CDP_HDR)
		return -EBADMSG;
	/* Only versions 1 and 2 exist; the checksum is not verified: a
	 * frame with a bad one still tells us what sent it. */
	if (p[off] != 1 && p[off] != 2)
		return -EBADMSG;
	off += CDP_HDR;
	while (off < len) {
		unsigned type;
		size_t n;
		const uint8_t *v;
		const char *name = NULL;
		unsigned bit = 0;

		if (++tlvs > CDP_MAX_TLVS || len - off < 4) {
			bad = true;
			break;
		}
		type = (unsigned)p[off] << 8 | p[off + 1];
		n = (size_t)p[off + 2] << 8 | p[off + 3];
		/* The length counts the header: below 4 it would never
		 * advance, past the end it lies. */
		if (n < 4 || n > len - off) {
			bad = true;
			break;
		}
		v = p + off + 4;
		n -= 4;
		off += n + 4;
		switch (type) {
		case CDP_DEVICE_ID: name = "device-id"; bit = 0; break;
		case CDP_VERSION:   name = "software-version"; bit = 1; break;
		case CDP_PLATFORM:  name = "platform"; bit = 2; break;
		case CDP_SYSNAME:   name = "system-name"; bit = 3; break;
		case CDP_SYSOID:    name = "system-oid"; bit = 4; break;
		default: continue;
		}
		if (seen & (1u << bit))
			continue;
		seen |= 1u << bit;
		if (type == CDP_SYSOID) {
			char buf[160];
			size_t t = oid_text(v, n, buf, sizeof(buf));

			if (t)
				vw_fp_add_copy(r, name, buf, t);
			continue;
		}
		vw_fp_add_str(r, name, v, n);
	}
	if (bad)
		return -EBADMSG;
	return r->n ? 0 : -ENOMSG;
}
