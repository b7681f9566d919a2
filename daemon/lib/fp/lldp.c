// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts the identity TLVs (chassis, port, system name and description,
 * management address, LLDP-MED inventory) from one LLDPDU.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §3.1 — TLV 6 carries the sysDescr text
 * ("Huawei Versatile Routing Platform Software", "ZXR10 ROS Version", and
 * the H3C Comware look-alike the rule layer must tell apart), TLV 1
 * subtype 4 feeds the OUI table, MED subtypes 9/10 name maker and model.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "fp.h"

/* A 1500-byte LLDPDU holds at most ~750 empty TLVs; real ones carry under
 * 40 even with per-VLAN 802.1 TLVs on a trunk. The cap bounds work on
 * jumbo frames and is reported as damage, not silently accepted. */
#define LLDP_MAX_TLVS 128

enum {
	TLV_END = 0, TLV_CHASSIS = 1, TLV_PORT = 2, TLV_SYSNAME = 5,
	TLV_SYSDESC = 6, TLV_MGMT = 8, TLV_ORG = 127,
};

static const uint8_t oui_med[3] = { 0x00, 0x12, 0xBB };

/* Formats MACs and network addresses as text so rules and the OUI lookup
 * see one spelling whatever subtype the device chose; anything else is
 * kept as the device sent it. */
static void add_addr(struct vw_fp_result *r, const char *name, int kind,
		     const uint8_t *v, size_t n)
{
	char buf[INET6_ADDRSTRLEN];

	if (kind == 'm' && n == 6) {
		vw_fp_fmt_mac(buf, v);
		vw_fp_add_copy(r, name, buf, VW_FP_MAC_TEXT - 1);
		return;
	}
	/* Network address: IANA address family (1 IPv4, 2 IPv6) + bytes. */
	if (kind == 'a' && n == 5 && v[0] == 1 && inet_ntop(AF_INET, v + 1, buf, sizeof(buf))) {
		vw_fp_add_copy(r, name, buf, strlen(buf));
		return;
	}
	if (kind == 'a' && n == 17 && v[0] == 2 && inet_ntop(AF_INET6, v + 1, buf, sizeof(buf))) {
		vw_fp_add_copy(r, name, buf, strlen(buf));
		return;
	}
	if (kind == 'a' && n) {
		v++;    /* unknown family: keep the address bytes only */
		n--;
	}
	vw_fp_add_str(r, name, v, n);
}

/* Management address TLV: address string length (subtype + address),
 * address subtype, address, then interface numbering we do not need. */
static int parse_mgmt(struct vw_fp_result *r, const uint8_t *v, size_t n)
{
	size_t alen;

	if (n < 2)
		return -EBADMSG;
	alen = v[0];
	if (alen < 2 || alen > n - 1)
		return -EBADMSG;
	/* v[1..alen] is the (family, address) shape add_addr wants; family
	 * 6 is IEEE 802 (a MAC). */
	if (v[1] == 6 && alen == 7)
		add_addr(r, "mgmt-address", 'm', v + 2, 6);
	else
		add_addr(r, "mgmt-address", 'a', v + 1, alen);
	return 0;
}

/* Records one TLV; -EBADMSG when it is malformed, 1 at the End TLV.
 * `seen` has a bit per TLV type recorded: the first one wins. */
static int record_tlv(struct vw_fp_result *r, unsigned type, const uint8_t *v, size_t n,
		      unsigned *seen)
{
	unsigned bit = type;

	switch (type) {
	case TLV_END:
		return 1;
	case TLV_CHASSIS:
	case TLV_PORT:
	case TLV_MGMT:
		if (n < 2)
			return -EBADMSG;
		break;
	case TLV_SYSNAME:
	case TLV_SYSDESC:
		break;
	case TLV_ORG:
		/* OUI(3) subtype(1); MED inventory: 9 maker, 10 model */
		if (n < 4)
			return -EBADMSG;
		if (memcmp(v, oui_med, 3) || (v[3] != 9 && v[3] != 10))
			return 0;
		bit = 20 + v[3];
		break;
	default:
		return 0;
	}
	if (*seen & (1u << bit))
		return 0;
	*seen |= 1u << bit;
	switch (type) {
	case TLV_CHASSIS:
		vw_fp_add_num(r, "chassis-id-subtype", v[0]);
		/* chassis subtypes: 4 MAC, 5 network address */
		add_addr(r, "chassis-id", v[0] == 4 ? 'm' : v[0] == 5 ? 'a' : 'x', v + 1, n - 1);
		return 0;
	case TLV_PORT:
		/* port subtypes: 3 MAC, 4 network address */
		add_addr(r, "port-id", v[0] == 3 ? 'm' : v[0] == 4 ? 'a' : 'x', v + 1, n - 1);
		return 0;
	case TLV_SYSNAME:
	case TLV_SYSDESC:
		vw_fp_add_str(r, type == TLV_SYSNAME ? "system-name" : "system-description", v, n);
		return 0;
	case TLV_MGMT:
		return parse_mgmt(r, v, n);
	default:
		vw_fp_add_str(r, v[3] == 9 ? "med-manufacturer" : "med-model", v + 4, n - 4);
		return 0;
	}
}

int vw_fp_parse_lldp(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	size_t off = 0, tlvs = 0;
	unsigned seen = 0;
	int rc = 0;

	vw_fp_reset(r, VW_SIG_LLDP);
	if (!p || len == 0)
		return -ENOMSG;
	while (off < len && rc == 0) {
		unsigned type;
		size_t n;

		if (++tlvs > LLDP_MAX_TLVS || len - off < 2)
			return -EBADMSG;
		type = p[off] >> 1;
		n = ((size_t)(p[off] & 1) << 8) | p[off + 1];
		off += 2;
		/* An LLDPDU must open with the Chassis ID; anything else is
		 * not LLDP whatever the EtherType said. */
		if (tlvs == 1 && type != TLV_CHASSIS)
			return -ENOMSG;
		if (n > len - off)
			return -EBADMSG;
		rc = record_tlv(r, type, p + off, n, &seen);
		off += n;
	}
	if (rc < 0)
		return rc;
	return r->n ? 0 : -ENOMSG;
}
