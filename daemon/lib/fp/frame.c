/* SPDX-License-Identifier: GPL-2.0-only */
/* Bounds-checked header walk (Ethernet, VLAN, 802.3/SNAP, IPv4, IPv6, UDP, TCP) and the dispatch of a frame to the parser its row in include/vw_mgmt.h names. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "frame.h"

#define ETH_HLEN        14
#define ETH_P_IPV4      0x0800
#define ETH_P_ARP       0x0806
#define ETH_P_IPV6      0x86DD
#define ETH_P_8021Q     0x8100
#define ETH_P_8021AD    0x88A8
#define ETH_P_QINQ_OLD  0x9100
#define ETH_P_HGMP      0x88A7
#define ETH_MIN_TYPE    0x0600   /* below: an 802.3 length field */

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void set_l4(struct vw_fp_frame *f, const uint8_t *p, size_t len, uint8_t proto)
{
	size_t hl;

	if (proto == IPPROTO_UDP) {
		size_t ulen;

		if (len < 8)
			return;
		f->l4proto = IPPROTO_UDP;
		f->sport = be16(p);
		f->dport = be16(p + 2);
		/* The UDP length may shorten the datagram (trailing bytes
		 * of a padded frame) but never extend it past the capture. */
		ulen = be16(p + 4);
		if (ulen >= 8 && ulen <= len)
			len = ulen;
		f->payload = p + 8;
		f->payload_len = len - 8;
	} else if (proto == IPPROTO_TCP) {
		if (len < 20)
			return;
		f->l4proto = IPPROTO_TCP;
		f->sport = be16(p);
		f->dport = be16(p + 2);
		hl = (size_t)(p[12] >> 4) * 4;
		/* A data offset below the minimum or past the segment is
		 * damage; keep the ports but hand no payload to a parser. */
		if (hl < 20 || hl > len)
			return;
		f->payload = p + hl;
		f->payload_len = len - hl;
	}
}

static int parse_ipv4(struct vw_fp_frame *f, const uint8_t *p, size_t len)
{
	size_t ihl, tot;
	uint16_t frag;

	if (len < 20 || (p[0] >> 4) != 4)
		return -EBADMSG;
	ihl = (size_t)(p[0] & 0x0F) * 4;
	tot = be16(p + 2);
	if (ihl < 20 || ihl > len || tot < ihl)
		return -EBADMSG;
	f->family = AF_INET;
	f->ttl = p[8];
	memcpy(f->saddr, p + 12, 4);
	memcpy(f->daddr, p + 16, 4);
	/* A snaplen-cut capture keeps what it has; padding beyond the total
	 * length is not payload. */
	if (tot < len)
		len = tot;
	frag = be16(p + 6) & 0x1FFF;
	if (frag)
		return 0;    /* later fragments carry no L4 header */
	set_l4(f, p + ihl, len - ihl, p[9]);
	return 0;
}

static int parse_ipv6(struct vw_fp_frame *f, const uint8_t *p, size_t len)
{
	size_t plen, off = 40;
	uint8_t nh;

	if (len < 40 || (p[0] >> 4) != 6)
		return -EBADMSG;
	f->family = AF_INET6;
	f->ttl = p[7];
	memcpy(f->saddr, p + 8, 16);
	memcpy(f->daddr, p + 24, 16);
	plen = be16(p + 4);
	if (plen + 40 < len)
		len = plen + 40;
	nh = p[6];
	for (int i = 0; i <= VW_FP_MAX_IPV6_EXT; i++) {
		size_t el;

		switch (nh) {
		case IPPROTO_UDP:
		case IPPROTO_TCP:
			set_l4(f, p + off, len - off, nh);
			return 0;
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (len - off < 8)
				return -EBADMSG;
			el = ((size_t)p[off + 1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT:
			if (len - off < 8)
				return -EBADMSG;
			if (be16(p + off + 2) & 0xFFF8)
				return 0;    /* not the first fragment */
			el = 8;
			break;
		case IPPROTO_AH:
			if (len - off < 8)
				return -EBADMSG;
			el = ((size_t)p[off + 1] + 2) * 4;
			break;
		default:
			return 0;    /* ESP, ICMPv6, no next header...: no L4 for us */
		}
		if (el > len - off)
			return -EBADMSG;
		nh = p[off];
		off += el;
	}
	return 0;    /* chain longer than we care to walk */
}

int vw_fp_frame_parse(const uint8_t *data, size_t len, struct vw_fp_frame *f)
{
	size_t off = ETH_HLEN;
	uint16_t type;

	if (!data || !f)
		return -EINVAL;
	/* Field by field rather than memset: this runs for every sampled
	 * frame and the 16-byte address arrays are only read with family. */
	f->data = data;
	f->len = len;
	f->vlan = 0;
	f->ethertype = 0;
	f->family = 0;
	f->ttl = 0;
	f->l4proto = 0;
	f->sport = f->dport = 0;
	f->payload = NULL;
	f->payload_len = 0;
	if (len < ETH_HLEN) {
		memset(f->src, 0, 6);
		memset(f->dst, 0, 6);
		return -EBADMSG;
	}
	memcpy(f->dst, data, 6);
	memcpy(f->src, data + 6, 6);
	type = be16(data + 12);
	for (int tags = 0; tags < 2 && (type == ETH_P_8021Q || type == ETH_P_8021AD ||
					  type == ETH_P_QINQ_OLD); tags++) {
		if (len - off < 4)
			return -EBADMSG;
		if (tags == 0)
			f->vlan = be16(data + off) & 0x0FFF;
		type = be16(data + off + 2);
		off += 4;
	}
	f->ethertype = type;
	f->payload = data + off;
	f->payload_len = len - off;
	if (type < ETH_MIN_TYPE) {
		/* 802.3: the length bounds the LLC PDU (padding follows short
		 * frames). Huawei LAD abuses type 0 as a marker; a zero
		 * "length" must not hide its flag, so only a plausible
		 * length shortens the payload. */
		if (type > 0 && type <= f->payload_len)
			f->payload_len = type;
		return 0;
	}
	if (type == ETH_P_IPV4 || type == ETH_P_IPV6) {
		const uint8_t *l3 = f->payload;
		size_t l3len = f->payload_len;

		f->payload = NULL;
		f->payload_len = 0;
		return type == ETH_P_IPV4 ? parse_ipv4(f, l3, l3len) : parse_ipv6(f, l3, l3len);
	}
	return 0;
}

/* ---- dispatch ---- */

/* Which parser reads which frame is the table in include/vw_mgmt.h, shared
 * with the data plane's sampling filter; this file only runs the parser a
 * row names, after the content checks some rows need. */

static const uint8_t snap_cdp[8] = { 0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00 };
static const uint8_t hgmp_dst[6] = { 0x01, 0x80, 0xC2, 0x00, 0x00, 0x0A };

struct dctx {
	vw_fp_dissect_cb cb;
	void *ctx;
	int n;
	struct vw_fp_result r;
};

/* Delivers what a parser extracted: a damaged message still counts when
 * it yielded fields (fp.h), an unrelated payload does not. */
static int deliver(struct dctx *d, const struct vw_fp_frame *f, int rc)
{
	int cb;

	if (rc == -ENOMEM)
		return rc;
	if (rc < 0 && !(rc == -EBADMSG && d->r.n))
		return 0;
	if (!d->r.n)
		return 0;
	cb = d->cb(d->ctx, f, &d->r);
	if (cb)
		return cb;
	d->n++;
	return 0;
}

static bool has_inform(const uint8_t *p, size_t len)
{
	static const char needle[] = "cwmp:Inform";

	return len > 5 && !memcmp(p, "POST ", 5) &&
	       memmem(p, len, needle, sizeof(needle) - 1);
}

/* No default: a protocol id without a parser here does not compile. */
static int parse_payload(enum vw_mgmt_proto proto, const struct vw_fp_frame *f,
			 struct vw_fp_result *r)
{
	const uint8_t *p = f->payload;
	size_t n = f->payload_len;

	switch (proto) {
	case VW_MGMT_NONE:
	case VW_MGMT_MAX:
		return -ENOENT;
	case VW_MGMT_LLDP: return vw_fp_parse_lldp(p, n, r);
	case VW_MGMT_HUAWEI_L2: return vw_fp_parse_huawei_l2(f->ethertype, p, n, r);
	case VW_MGMT_SADP_ETH: return vw_fp_parse_sadp_eth(p, n, r);
	case VW_MGMT_CDP: return vw_fp_parse_cdp(p, n, r);
	case VW_MGMT_SADP_XML: return vw_fp_parse_sadp_xml(p, n, r);
	case VW_MGMT_DHIP: return vw_fp_parse_dhip(p, n, r);
	case VW_MGMT_DAHUA5050: return vw_fp_parse_dahua5050(p, n, r);
	case VW_MGMT_WSD: return vw_fp_parse_wsd(p, n, r);
	case VW_MGMT_SSDP: return vw_fp_parse_ssdp(p, n, r);
	case VW_MGMT_DHCP: return vw_fp_parse_dhcp(p, n, r);
	case VW_MGMT_DHCPV6: return vw_fp_parse_dhcpv6(p, n, r);
	case VW_MGMT_SNMP: return vw_fp_parse_snmp(p, n, r);
	case VW_MGMT_HYTERA: return vw_fp_parse_hytera(p, n, r);
	case VW_MGMT_TR069: return vw_fp_parse_tr069(p, n, r);
	case VW_MGMT_BANNER: return vw_fp_parse_banner(f->sport, p, n, r);
	case VW_MGMT_DNS: return vw_fp_parse_dns(p, n, r);
	case VW_MGMT_MDNS: return vw_fp_parse_mdns(p, n, r);
	}
	return -ENOENT;
}

/* Layer 2: the EtherType row, gated where the type alone is not enough. */
static enum vw_mgmt_proto l2_proto(const struct vw_fp_frame *f)
{
	const uint8_t *p = f->payload;
	size_t n = f->payload_len;

	switch (f->ethertype) {
	case ETH_P_HGMP:
		/* The EtherType alone is not registered to Huawei; with the
		 * cluster group address it is HGMP (policy/fingerprints/CATALOGUE.md §3.3). */
		if (memcmp(f->dst, hgmp_dst, 6))
			return VW_MGMT_NONE;
		break;
	case ETH_P_ARP:
		/* LAD on sub-interfaces: hardware type FFFF never occurs in a
		 * real ARP, so ordinary ARP costs two byte compares. */
		if (n < 2 || p[0] != 0xFF || p[1] != 0xFF)
			return VW_MGMT_NONE;
		break;
	default:
		break;
	}
	if (vw_mgmt_ethertype_proto(f->ethertype, 0) != VW_MGMT_NONE)
		return vw_mgmt_ethertype_proto(f->ethertype, 0);
	if (f->ethertype < ETH_MIN_TYPE && n >= sizeof(snap_cdp) &&
	    !memcmp(p, snap_cdp, sizeof(snap_cdp)))
		return VW_MGMT_CDP;
	return VW_MGMT_NONE;
}

enum vw_mgmt_proto vw_fp_frame_proto(const struct vw_fp_frame *f)
{
	if (!f)
		return VW_MGMT_NONE;
	if (f->family == 0)
		return l2_proto(f);
	if (f->l4proto == IPPROTO_UDP)
		return vw_mgmt_udp_proto(f->sport, f->dport, 0);
	if (f->l4proto == IPPROTO_TCP && f->payload_len)
		return vw_mgmt_tcp_proto(f->sport, f->dport, 0);
	return VW_MGMT_NONE;
}

int vw_fp_dissect(const struct vw_fp_frame *f, vw_fp_dissect_cb cb, void *ctx)
{
	/* Not zero-initialised: the result is 5 KiB (fields and store) and
	 * clearing it was 6 % of classify. Every parser resets it before it
	 * adds anything, and nothing reads beyond r.n and store_used. */
	struct dctx d;
	enum vw_mgmt_proto proto;
	int rc = 0;

	if (!f || !cb)
		return -EINVAL;
	d.cb = cb;
	d.ctx = ctx;
	d.n = 0;
	vw_fp_reset(&d.r, VW_SIG_NONE);
	proto = vw_fp_frame_proto(f);
	/* TR-069 is also known by content: an Inform to whatever port the
	 * ACS listens on. */
	if (f->l4proto == IPPROTO_TCP && proto != VW_MGMT_TR069 &&
	    has_inform(f->payload, f->payload_len))
		rc = deliver(&d, f, parse_payload(VW_MGMT_TR069, f, &d.r));
	if (!rc && proto != VW_MGMT_NONE)
		rc = deliver(&d, f, parse_payload(proto, f, &d.r));
	return rc ? rc : d.n;
}
