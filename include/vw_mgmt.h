/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one table of management traffic: which frames the data plane samples
 * for the fingerprint engine and which parser reads each of them. The BPF
 * sampling filter (bpf/vw_classify.h), the dissector's dispatch
 * (daemon/lib/fp/frame.c) and the tests are all expanded from these rows,
 * so a frame is sampled only when a parser reads it.
 *
 * Rows are X-macros; "sampled" 0 marks a row the dissector reads (from an
 * offline capture, say) but the data plane does not copy.
 */
#ifndef VW_MGMT_H
#define VW_MGMT_H

#include <linux/types.h>

/* Protocol ids, one per parser. frame.c switches over them without a
 * default, so an id without a parser does not compile (-Wswitch), and a
 * row naming an unknown id does not compile either. */
#define VW_MGMT_PROTOS(X) \
	X(LLDP) X(HUAWEI_L2) X(SADP_ETH) X(CDP) X(SADP_XML) X(DHIP) \
	X(DAHUA5050) X(WSD) X(SSDP) X(DHCP) X(DHCPV6) X(SNMP) X(HYTERA) \
	X(TR069) X(BANNER) X(DNS) X(MDNS)

enum vw_mgmt_proto {
	VW_MGMT_NONE = 0,
#define VW_MGMT_ENUM_(id) VW_MGMT_##id,
	VW_MGMT_PROTOS(VW_MGMT_ENUM_)
#undef VW_MGMT_ENUM_
	VW_MGMT_MAX
};

/* X(ethertype, proto id, sampled). */
#define VW_MGMT_ETHERTYPES(X) \
	X(0x88CC, LLDP, 1)      /* LLDP */ \
	X(0x9998, HUAWEI_L2, 1) /* Huawei loopback detection */ \
	X(0x88A7, HUAWEI_L2, 1) /* Huawei HGMP/NDP/NTDP (to 01:80:C2:00:00:0A) */ \
	X(0x8033, SADP_ETH, 1)  /* Hikvision SADP over Ethernet */ \
	X(0x0000, HUAWEI_L2, 1) /* Huawei LAD: 802.3 "length" 0 as a marker */ \
	X(0x0806, HUAWEI_L2, 0) /* LAD as ARP with hardware type FFFF: ARP is
				 * too common to sample for it */

/* 802.3 length frames to 01:00:0C:CC:xx:xx: Cisco's SNAP multicast, CDP. */
#define VW_MGMT_CDP_DST0 0x01
#define VW_MGMT_CDP_DST1 0x00
#define VW_MGMT_CDP_DST2 0x0C
#define VW_MGMT_CDP_DST3 0xCC

/* UDP, in the dissector's order of precedence: X(source port,
 * destination port, proto id, sampled); port 0 = any.
 *
 * DNS and mDNS come last: a host sends many of them, and they are sampled
 * under the same per-MAC and global sample budgets as every other row
 * (vw_sample_allowed), so they cannot be copied at an unbounded rate; a
 * chatty host can spend its own per-MAC tokens on them (README, limits).
 * mDNS from 5353 only (responses, announcements, probes: what a host says
 * about itself); DNS to 53 only (queries: the names a host asks for). */
#define VW_MGMT_UDP(X) \
	X(37020, 0, SADP_XML, 1) X(0, 37020, SADP_XML, 1) /* Hikvision SADP */ \
	X(37810, 0, DHIP, 1) X(0, 37810, DHIP, 1)         /* Dahua DHIP */ \
	X(5050, 0, DAHUA5050, 1) X(0, 5050, DAHUA5050, 1) /* Dahua legacy */ \
	X(3702, 0, WSD, 1) X(0, 3702, WSD, 1)             /* WS-Discovery */ \
	X(1900, 0, SSDP, 1) X(0, 1900, SSDP, 1)           /* SSDP */ \
	/* DHCP(v6): client to server; DHCPv4 also relay to server and \
	 * back (67 to 67: chaddr names a client behind a router) and server \
	 * to client (the ACK's address and lease). Those carry another \
	 * host's fields: the engine makes chaddr their subject, never the \
	 * sender (engine.c, dhcp_result). */ \
	X(68, 67, DHCP, 1) X(67, 67, DHCP, 1) X(67, 68, DHCP, 1) \
	X(546, 547, DHCPV6, 1) \
	/* SNMP: agents answer from 161 and send traps to 162; a manager's \
	 * request names OIDs it asks about, not its own. */ \
	X(161, 0, SNMP, 1) X(0, 162, SNMP, 1) \
	X(50000, 0, HYTERA, 1) X(0, 50000, HYTERA, 1)     /* Hytera IPSC */ \
	X(50001, 0, HYTERA, 1) X(0, 50001, HYTERA, 1) \
	X(50002, 0, HYTERA, 1) X(0, 50002, HYTERA, 1) \
	X(5353, 0, MDNS, 1)                               /* mDNS, DNS-SD */ \
	X(0, 53, DNS, 1)                                  /* DNS queries */

/* TCP, sampled only with payload: X(source port, destination port, proto
 * id, sampled). Banners are a server's greeting, so only the server side:
 * a client can put any text it likes in a request. TR-069 is also
 * recognised by content (an HTTP POST carrying cwmp:Inform), whatever the
 * ports. */
#define VW_MGMT_TCP(X) \
	X(0, 7547, TR069, 0) \
	X(21, 0, BANNER, 1) X(22, 0, BANNER, 1) X(23, 0, BANNER, 1) \
	X(80, 0, BANNER, 1) X(554, 0, BANNER, 1) X(7547, 0, BANNER, 1) \
	X(8000, 0, BANNER, 1) X(37777, 0, BANNER, 1)

/* The banner parser's server ports, in table order (the fuzz target and
 * its seed files index this list). A TCP row with a new id needs its
 * VW_MGMT_IF_BANNER_ line, or this does not compile. */
#define VW_MGMT_BANNER_PORT_(sp, dp, id, s) \
	VW_MGMT_IF_BANNER_##id(sp)
#define VW_MGMT_IF_BANNER_BANNER(sp) sp,
#define VW_MGMT_IF_BANNER_TR069(sp)
#define VW_MGMT_BANNER_PORTS { VW_MGMT_TCP(VW_MGMT_BANNER_PORT_) }

/* A 64-bit sieve per direction: bit (port & 63) is set for every port a
 * sampled row names, so the data plane rejects most frames with two shifts
 * before it compares ports exactly. Rows naming a source port go into the
 * source sieve, rows naming only a destination port into the other. */
#define VW_MGMT_BIT_(port) (1ull << ((port) & 63))
#define VW_MGMT_SRC_BIT_(sp, dp, id, s) | ((s) && (sp) ? VW_MGMT_BIT_(sp) : 0)
#define VW_MGMT_DST_BIT_(sp, dp, id, s) | ((s) && !(sp) ? VW_MGMT_BIT_(dp) : 0)
#define VW_MGMT_UDP_SRC_SIEVE (0ull VW_MGMT_UDP(VW_MGMT_SRC_BIT_))
#define VW_MGMT_UDP_DST_SIEVE (0ull VW_MGMT_UDP(VW_MGMT_DST_BIT_))
#define VW_MGMT_TCP_SRC_SIEVE (0ull VW_MGMT_TCP(VW_MGMT_SRC_BIT_))
#define VW_MGMT_TCP_DST_SIEVE (0ull VW_MGMT_TCP(VW_MGMT_DST_BIT_))

/* The row a (source, destination) port pair matches, first match wins;
 * sampled_only skips the rows the data plane does not sample. */
#define VW_MGMT_MATCH_(sp, dp, id, s) \
	if ((s || !sampled_only) && (!(sp) || sport == (sp)) && \
	    (!(dp) || dport == (dp))) \
		return VW_MGMT_##id;

static inline __attribute__((always_inline)) enum vw_mgmt_proto
vw_mgmt_udp_proto(__u16 sport, __u16 dport, int sampled_only)
{
	VW_MGMT_UDP(VW_MGMT_MATCH_)
	return VW_MGMT_NONE;
}

static inline __attribute__((always_inline)) enum vw_mgmt_proto
vw_mgmt_tcp_proto(__u16 sport, __u16 dport, int sampled_only)
{
	VW_MGMT_TCP(VW_MGMT_MATCH_)
	return VW_MGMT_NONE;
}

static inline __attribute__((always_inline)) enum vw_mgmt_proto
vw_mgmt_ethertype_proto(__u16 type, int sampled_only)
{
	switch (type) {
#define VW_MGMT_ETYPE_CASE_(t, id, s) \
	case t: return (s || !sampled_only) ? VW_MGMT_##id : VW_MGMT_NONE;
	VW_MGMT_ETHERTYPES(VW_MGMT_ETYPE_CASE_)
#undef VW_MGMT_ETYPE_CASE_
	}
	return VW_MGMT_NONE;
}

#endif /* VW_MGMT_H */
