// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts the sender's identity from one DHCPv6 message: its DUID
 * (enterprise number of DUID-EN, MAC of DUID-LL/LLT), the enterprise
 * numbers of the Vendor Class and Vendor-specific options, and the FQDN.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §4 (last row) — DUID-EN, option 16 and option
 * 17 each start with a 4-byte IANA PEN (2011 Huawei, 3902 ZTE, …, §5.1);
 * DUID-LL/LLT embed the MAC for the OUI table.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fp.h"

enum {
	MSG_SOLICIT = 1, MSG_ADVERTISE = 2, MSG_REPLY = 7, MSG_RECONFIGURE = 10,
	MSG_INFO_REQUEST = 11, MSG_RELAY_FORW = 12, MSG_RELAY_REPL = 13,
};

enum {
	OPT_CLIENTID = 1, OPT_SERVERID = 2, OPT_VENDOR_CLASS = 16,
	OPT_VENDOR_OPTS = 17, OPT_FQDN = 39,
};

enum { DUID_LLT = 1, DUID_EN = 2, DUID_LL = 3 };

/* Vendor Class data items kept as fields: enough for every sample we know
 * (one or two), and bounded against an option packed with empty items. */
#define VCLASS_MAX_ITEMS 4

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void add_mac(struct vw_fp_result *r, const uint8_t *m)
{
	char buf[18];

	vw_fp_fmt_mac(buf, m);
	vw_fp_add_copy(r, "duid-ll-mac", buf, 17);
}

static int parse_duid(struct vw_fp_result *r, const uint8_t *v, size_t n)
{
	uint16_t type, hw;
	size_t hdr;

	if (n < 2)
		return -EBADMSG;
	type = be16(v);
	vw_fp_add_num(r, "duid-type", type);
	switch (type) {
	case DUID_EN:
		if (n < 6)
			return -EBADMSG;
		vw_fp_add_num(r, "duid-enterprise", be32(v + 2));
		return 0;
	case DUID_LLT:
	case DUID_LL:
		/* LLT: type, hw type, 4-byte time, address; LL: no time. */
		if (n < 4)
			return -EBADMSG;
		hw = be16(v + 2);
		hdr = type == DUID_LLT ? 8 : 4;
		if (n < hdr)
			return -EBADMSG;
		v += hdr;
		n -= hdr;
		/* Only Ethernet (hw type 1) addresses mean an OUI. */
		if (hw == 1 && n == 6)
			add_mac(r, v);
		return 0;
	}
	return 0;
}

static int parse_vendor_class(struct vw_fp_result *r, const uint8_t *v, size_t n)
{
	size_t i = 4;

	if (n < 4)
		return -EBADMSG;
	vw_fp_add_num(r, "vendor-class-enterprise", be32(v));
	/* vendor-class-data: a list of (2-byte length, opaque) items. */
	for (int items = 0; i < n && items < VCLASS_MAX_ITEMS; items++) {
		size_t l;

		if (n - i < 2)
			return -EBADMSG;
		l = be16(v + i);
		i += 2;
		if (l > n - i)
			return -EBADMSG;
		vw_fp_add_str(r, "vendor-class", v + i, l);
		i += l;
	}
	return 0;
}

/* RFC 4704: flags byte, then a DNS wire-format name, possibly partial (no
 * root label). Rendered as dotted text; compression pointers are not
 * allowed in DHCPv6 and count as damage. */
static int parse_fqdn(struct vw_fp_result *r, const uint8_t *v, size_t n)
{
	char buf[256];
	size_t o = 0, i = 1;
	int rc = 0;

	if (n < 1)
		return -EBADMSG;
	while (i < n) {
		size_t l = v[i++];

		if (l == 0)
			break;
		if (l > 63 || l > n - i) {
			rc = -EBADMSG;
			break;
		}
		/* 255 bytes is the DNS name limit; beyond it is damage. */
		if (o + l + 1 > sizeof(buf)) {
			rc = -EBADMSG;
			break;
		}
		if (o)
			buf[o++] = '.';
		memcpy(buf + o, v + i, l);
		o += l;
		i += l;
	}
	if (o)
		vw_fp_add_copy(r, "fqdn", buf, o);
	return rc;
}

int vw_fp_parse_dhcpv6(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	bool server, got_duid = false, got_vc = false, got_vo = false, got_fqdn = false;
	size_t i = 4;
	int rc = 0;
	uint8_t type;

	vw_fp_reset(r, VW_SIG_DHCPV6);
	if (len < 1)
		return -ENOMSG;
	type = p[0];
	/* Relay messages carry another host's message: its facts describe
	 * the client behind the relay, not the frame's sender, and would be
	 * attributed to the relay's MAC. Types beyond Information-request
	 * (leasequery, bulk, failover, 4o6) are not client messages either. */
	if (type < MSG_SOLICIT || type > MSG_INFO_REQUEST)
		return -ENOMSG;
	vw_fp_add_num(r, "msg-type", type);
	if (len < 4)
		return -EBADMSG;
	/* A server's message carries the client's DUID too: for the sender
	 * take the Server Identifier, and skip Vendor-specific Information,
	 * which a server sends as configuration for the client's vendor. */
	server = type == MSG_ADVERTISE || type == MSG_REPLY || type == MSG_RECONFIGURE;

	/* Each option consumes at least 4 bytes: bounded by len. */
	while (i < len) {
		uint16_t code;
		size_t n;
		const uint8_t *v;
		int orc = 0;

		if (len - i < 4)
			return -EBADMSG;
		code = be16(p + i);
		n = be16(p + i + 2);
		i += 4;
		if (n > len - i)
			return -EBADMSG;
		v = p + i;
		i += n;

		if (code == (server ? OPT_SERVERID : OPT_CLIENTID) && !got_duid) {
			got_duid = true;
			orc = parse_duid(r, v, n);
		} else if (code == OPT_VENDOR_CLASS && !got_vc) {
			got_vc = true;
			orc = parse_vendor_class(r, v, n);
		} else if (code == OPT_VENDOR_OPTS && !server && !got_vo) {
			got_vo = true;
			if (n < 4)
				orc = -EBADMSG;
			else
				vw_fp_add_num(r, "vendor-opts-enterprise", be32(v));
		} else if (code == OPT_FQDN && !server && !got_fqdn) {
			got_fqdn = true;
			orc = parse_fqdn(r, v, n);
		}
		/* A damaged option inside a well-framed message: remember it,
		 * keep reading the options that follow. */
		if (orc)
			rc = orc;
	}
	return rc;
}
