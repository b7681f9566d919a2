// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recognises Huawei's proprietary L2 management frames — loopback
 * detection (LBDT, 0x9998), HGMP/NDP/NTDP (0x88A7) and Link Automatic
 * Discovery (LAD) — from the EtherType and the bytes after it.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §3.3. What the sources give is the framing
 * only: LBDT's sub-protocol 0x0001, HGMP's EtherType (its payload layout is
 * not public), LAD's 20-byte flag "Huawei Link Search". The LBDT system MAC
 * is the Ethernet source address, which this parser never sees; the engine
 * has it in vw_fp_frame.src. H3C shares the HGMP family (§12), so the rule
 * layer, not this file, decides what a match means.
 */
#include <errno.h>
#include <string.h>

#include "fp.h"

#define ETH_LBDT 0x9998
#define ETH_HGMP 0x88A7
#define ETH_LAD  0x0000
#define ETH_ARP  0x0806

#define LAD_FLAG_LEN 20   /* "Huawei Link Search" NUL-padded */

static const char lad_flag[] = "Huawei Link Search";

/* LAD flag at p: the text up to its NUL padding. A payload that is a
 * strict prefix of the flag is a cut LAD frame, not something else. */
static int lad(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	size_t want = sizeof(lad_flag) - 1, n;

	if (len < want)
		return len && !memcmp(p, lad_flag, len) ? -EBADMSG : -ENOMSG;
	if (memcmp(p, lad_flag, want))
		return -ENOMSG;
	vw_fp_add_copy(r, "protocol", "lad", 3);
	n = len < LAD_FLAG_LEN ? len : LAD_FLAG_LEN;
	for (size_t i = want; i < n; i++) {
		if (!p[i]) {
			n = i;
			break;
		}
	}
	vw_fp_add_str(r, "flag", p, n);
	return 0;
}

int vw_fp_parse_huawei_l2(uint16_t ethertype, const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	/* LAD on sub-interfaces rides an ARP-typed frame whose hardware and
	 * protocol types are FFFF and address lengths 0: no real ARP. */
	static const uint8_t lad_arp[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00 };
	int rc;

	vw_fp_reset(r, VW_SIG_HUAWEI_L2);
	if (!p)
		len = 0;
	switch (ethertype) {
	case ETH_LBDT:
		if (len < 2)
			return -EBADMSG;
		if (p[0] != 0x00 || p[1] != 0x01)
			return -ENOMSG;
		vw_fp_add_copy(r, "protocol", "lbdt", 4);
		return 0;
	case ETH_HGMP:
		/* The EtherType (with the cluster group MAC the dispatcher
		 * checks) is the whole signature. */
		vw_fp_add_copy(r, "protocol", "hgmp", 4);
		return 0;
	case ETH_LAD:
		return lad(p, len, r);
	case ETH_ARP:
		if (len < sizeof(lad_arp) || memcmp(p, lad_arp, sizeof(lad_arp)))
			return -ENOMSG;
		/* Past that header it can only be LAD: anything else is
		 * damage, not another protocol. */
		rc = lad(p + sizeof(lad_arp), len - sizeof(lad_arp), r);
		return rc == -ENOMSG ? -EBADMSG : rc;
	default:
		return -ENOMSG;
	}
}
