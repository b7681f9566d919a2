/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fingerprint engine's shared vocabulary: what a protocol parser
 * extracts from one frame (signal + named fields), so that the rule matcher
 * and the decision never need to know any wire format.
 *
 * Parsers are pure functions over (bytes, length): no I/O, no allocation,
 * never trust a length field, never read past len. They return 0 when they
 * extracted something, -ENOMSG when the bytes are not their protocol (or
 * carry nothing of interest), -EBADMSG when the bytes claim to be their
 * protocol but are malformed (what was extracted before the damage is kept).
 */
#ifndef VW_FP_H
#define VW_FP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Signals: one per protocol family; stable names via vw_fp_signal_name(). */
enum vw_fp_signal {
	VW_SIG_NONE = 0,
	VW_SIG_LLDP,        /* "lldp" */
	VW_SIG_CDP,         /* "cdp" */
	VW_SIG_HUAWEI_L2,   /* "huawei-l2": LBDT 0x9998, HGMP 0x88A7, LAD */
	VW_SIG_SADP,        /* "sadp": Hikvision, UDP 37020 XML or EtherType 0x8033 */
	VW_SIG_DHIP,        /* "dhip": Dahua, UDP 37810 and legacy 5050 */
	VW_SIG_WSD,         /* "ws-discovery": ONVIF, UDP 3702 */
	VW_SIG_DHCP,        /* "dhcp" */
	VW_SIG_DHCPV6,      /* "dhcpv6" */
	VW_SIG_SNMP,        /* "snmp" */
	VW_SIG_BANNER,      /* "banner": first server payload on TCP */
	VW_SIG_SSDP,        /* "ssdp" */
	VW_SIG_HYTERA,      /* "hytera": IPSC heartbeats, UDP 50000-50002 */
	VW_SIG_TR069,       /* "tr069": CWMP Inform */
	VW_SIG_DNS,         /* "dns": standard queries to UDP 53 */
	VW_SIG_MDNS,        /* "mdns": mDNS / DNS-SD from UDP 5353 */
	VW_SIG_MAX
};

/* Field kinds: a field is a string (bytes, not necessarily UTF-8 or NUL
 * terminated) or an unsigned number (enterprise numbers, option codes). */
enum vw_fp_kind { VW_FP_STR = 0, VW_FP_NUM = 1 };

#define VW_FP_MAX_FIELDS   24
#define VW_FP_FIELD_MAX    512   /* longer values are truncated (flagged) */
#define VW_FP_STORE        4096  /* per-result storage for decoded values */

struct vw_fp_field {
	const char *name;      /* static string, e.g. "system-description" */
	enum vw_fp_kind kind;
	const uint8_t *val;    /* VW_FP_STR: points into the frame or store */
	size_t len;
	uint64_t num;          /* VW_FP_NUM */
	bool truncated;
};

struct vw_fp_result {
	enum vw_fp_signal signal;
	struct vw_fp_field fields[VW_FP_MAX_FIELDS];
	size_t n;
	/* Decoded values (e.g. XML entities, BER OIDs as dotted text) live
	 * here; the result owns nothing else. */
	uint8_t store[VW_FP_STORE];
	size_t store_used;
};

/* Where a frame came from, filled by the frame dispatcher. */
struct vw_fp_frame {
	const uint8_t *data;   /* from the Ethernet header */
	size_t len;
	uint8_t src[6], dst[6];
	uint16_t vlan;
	uint16_t ethertype;    /* innermost, host order */
	/* L3/L4 when present */
	int family;            /* 0, AF_INET, AF_INET6 */
	uint8_t saddr[16], daddr[16];
	uint8_t ttl;           /* IPv4 TTL / IPv6 hop limit as received (with family) */
	uint8_t l4proto;       /* IPPROTO_UDP / IPPROTO_TCP / 0 */
	uint16_t sport, dport;
	const uint8_t *payload; /* L2 payload for L2 protocols, else L4 payload */
	size_t payload_len;
};

/* Helpers for parsers: add a field; they never fail loudly (a full result
 * or store silently drops the rest, flagged by the return value -ENOSPC). */
void vw_fp_reset(struct vw_fp_result *r, enum vw_fp_signal sig);
int vw_fp_add_str(struct vw_fp_result *r, const char *name, const uint8_t *val, size_t len);
/* Copies val into the store (for decoded values that are not in the frame). */
int vw_fp_add_copy(struct vw_fp_result *r, const char *name, const void *val, size_t len);
int vw_fp_add_num(struct vw_fp_result *r, const char *name, uint64_t num);
const struct vw_fp_field *vw_fp_get(const struct vw_fp_result *r, const char *name);

/* Text for parsers and the engine without stdio: these run for every
 * sampled frame, where snprintf's format interpretation cost more than
 * the parsing. vw_fp_fmt_mac writes "aa:bb:cc:dd:ee:ff" and a NUL;
 * vw_fp_fmt_u64 writes decimal digits (at most 20, no NUL) and returns
 * how many. */
#define VW_FP_MAC_TEXT 18
void vw_fp_fmt_mac(char out[VW_FP_MAC_TEXT], const uint8_t m[6]);
size_t vw_fp_fmt_u64(char *out, uint64_t v);

/* A MAC written as text in a field value (s[0..n), not NUL terminated):
 * the value up to its first NUL as vw_parse_mac reads it
 * ("aa:bb:cc:dd:ee:ff", one ':' or '-' throughout, or "aabb.ccdd.eeff")
 * or as 12 bare hex digits. Reads the value where it lies: the engine
 * does this for every LLDP, DHCP, SADP and DHIP result. 0 or -EINVAL. */
int vw_fp_parse_mac_text(const uint8_t *s, size_t n, uint8_t mac[6]);

const char *vw_fp_signal_name(enum vw_fp_signal s);
enum vw_fp_signal vw_fp_signal_from_name(const char *name);

/* ---- Parsers. Each takes the protocol payload (see each comment). ---- */

/* LLDPDU after the EtherType 0x88CC. Fields: chassis-id (string form;
 * MAC subtype formatted "aa:bb:cc:dd:ee:ff"), chassis-id-subtype (num),
 * port-id, system-name, system-description, med-manufacturer, med-model,
 * mgmt-address. */
int vw_fp_parse_lldp(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* CDP: from the LLC/SNAP header (AA AA 03 00 00 0C 20 00). Fields:
 * device-id, software-version, platform, system-name, system-oid. */
int vw_fp_parse_cdp(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* Huawei L2 by EtherType (0x9998, 0x88A7, or 0x0000/0x0806 for LAD), p is
 * the payload after the EtherType. Fields: protocol ("lbdt", "hgmp",
 * "lad"), system-mac (LBDT), flag (LAD "Huawei Link Search"). */
int vw_fp_parse_huawei_l2(uint16_t ethertype, const uint8_t *p, size_t len, struct vw_fp_result *r);
/* Hikvision SADP: XML over UDP (37020) or the binary 0x8033 header.
 * Fields: message ("Hello", "ProbeMatch", "inquiry-response"...),
 * device-description, device-sn, mac, oem-code, software-version, device-type. */
int vw_fp_parse_sadp_xml(const uint8_t *p, size_t len, struct vw_fp_result *r);
int vw_fp_parse_sadp_eth(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* Dahua DHIP (UDP 37810: 32-byte header "DHIP" at offset 4 + JSON) and the
 * legacy UDP 5050 reply. Fields: magic, device-type, serial, vendor, mac,
 * version, machine-name. */
int vw_fp_parse_dhip(const uint8_t *p, size_t len, struct vw_fp_result *r);
int vw_fp_parse_dahua5050(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* ONVIF WS-Discovery (UDP 3702) SOAP. Fields: message (Hello, ProbeMatches),
 * scope (repeated: each onvif://www.onvif.org/... scope), types, xaddrs. */
int vw_fp_parse_wsd(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* DHCPv4 from the BOOTP header. Fields: op, chaddr, vendor-class (opt 60),
 * hostname (12), param-list (55, as "1,3,6,..."), client-id (61, hex),
 * vendor-specific (43 presence: num 1), msg-type (53); the addresses
 * ciaddr, yiaddr, giaddr (num, IPv4 in host order, only when not 0.0.0.0)
 * and lease-time (51, seconds). */
int vw_fp_parse_dhcp(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* DHCPv6 message. Fields: msg-type, duid-type, duid-enterprise (DUID-EN),
 * duid-ll-mac, vendor-class-enterprise (opt 16), vendor-class,
 * vendor-opts-enterprise (opt 17), fqdn. */
int vw_fp_parse_dhcpv6(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* SNMP v1/v2c/v3 (BER). Fields: version, pdu-type, sys-object-id (dotted),
 * sys-descr, trap-enterprise (dotted), snmp-trap-oid (dotted),
 * engine-id-enterprise (num, v3 msgAuthoritativeEngineID), enterprise
 * (num: the PEN under 1.3.6.1.4.1 of any OID found). Only responses and
 * traps carry device facts; requests yield -ENOMSG. */
int vw_fp_parse_snmp(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* First payload of a TCP segment from a server port. Fields: kind ("ssh",
 * "telnet", "ftp", "http", "rtsp"), ssh-version (the full identification
 * line), server (HTTP/RTSP Server:), www-authenticate-realm, ftp-banner,
 * telnet-banner (printable text after IAC sequences). Headers only: words
 * in an HTTP body are never fields. */
int vw_fp_parse_banner(uint16_t sport, const uint8_t *p, size_t len, struct vw_fp_result *r);
/* SSDP (UDP 1900) NOTIFY or response. Fields: server, usn, nt/st, location. */
int vw_fp_parse_ssdp(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* Hytera IPSC heartbeat (UDP 50000-50002). Fields: magic, radio-id. */
int vw_fp_parse_hytera(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* TR-069 CWMP Inform (HTTP POST body, SOAP). Fields: manufacturer, oui,
 * product-class, serial. */
int vw_fp_parse_tr069(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* DNS standard query (UDP 53 payload). Fields: query-name (repeated; each
 * question's name, dotted, lower case, no final dot). Responses and other
 * opcodes yield -ENOMSG. */
int vw_fp_parse_dns(const uint8_t *p, size_t len, struct vw_fp_result *r);
/* mDNS / DNS-SD message (UDP 5353 payload). Fields, repeated and each
 * value once: host-name (owner of A/AAAA, SRV target, reverse PTR
 * target), service (PTR owner, "_http._tcp.local"), instance (PTR target,
 * SRV owner), txt (each TXT string, as sent). Names as for DNS. From a
 * response: answer, authority and additional records; from a query only
 * the authority records (a probe's claim), never its known answers. */
int vw_fp_parse_mdns(const uint8_t *p, size_t len, struct vw_fp_result *r);

#endif
