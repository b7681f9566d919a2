/* SPDX-License-Identifier: GPL-2.0-only */
/* Builds whole Ethernet frames of the management protocols the fingerprint engine reads (LLDP, UDP/TCP over IPv4/IPv6), for the engine and classify tests and the bench; no test framework inside. */
#ifndef VW_TEST_FP_FRAMES_H
#define VW_TEST_FP_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FF_MAX 2048

struct ff {
	uint8_t b[FF_MAX];
	size_t n;
};

static inline void ff_put(struct ff *f, const void *d, size_t n)
{
	if (f->n + n > FF_MAX)
		n = FF_MAX - f->n;
	memcpy(f->b + f->n, d, n);
	f->n += n;
}
static inline void ff_u8(struct ff *f, uint8_t v) { ff_put(f, &v, 1); }
static inline void ff_u16(struct ff *f, uint16_t v) { ff_u8(f, v >> 8); ff_u8(f, v & 0xFF); }
static inline void ff_set16(struct ff *f, size_t at, uint16_t v) { f->b[at] = v >> 8; f->b[at + 1] = v & 0xFF; }

static inline void ff_eth(struct ff *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	f->n = 0;
	ff_put(f, dst, 6);
	ff_put(f, src, 6);
	ff_u16(f, type);
}

static inline void ff_lldp_tlv(struct ff *f, unsigned type, const void *v, size_t n)
{
	ff_u16(f, (uint16_t)(type << 9 | n));
	ff_put(f, v, n);
}

/* LLDPDU with a MAC chassis ID (subtype 4), port, TTL, name, description. */
static inline void ff_lldp(struct ff *f, const uint8_t src[6], const uint8_t chassis[6],
			   const char *sysname, const char *sysdesc)
{
	static const uint8_t dst[6] = { 0x01, 0x80, 0xC2, 0x00, 0x00, 0x0E };
	uint8_t ch[7] = { 4 }, port[] = { 5, 'G', 'E', '0', '/', '0', '/', '1' }, ttl[2] = { 0, 120 };

	ff_eth(f, dst, src, 0x88CC);
	memcpy(ch + 1, chassis, 6);
	ff_lldp_tlv(f, 1, ch, sizeof(ch));
	ff_lldp_tlv(f, 2, port, sizeof(port));
	ff_lldp_tlv(f, 3, ttl, 2);
	if (sysname)
		ff_lldp_tlv(f, 5, sysname, strlen(sysname));
	if (sysdesc)
		ff_lldp_tlv(f, 6, sysdesc, strlen(sysdesc));
	ff_u16(f, 0);
}

static inline uint16_t ff_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}

/* IPv4 + UDP (proto 17) or TCP (6) carrying payload. */
static inline void ff_ipv4(struct ff *f, const uint8_t dst[6], const uint8_t src[6],
			   const uint8_t sip[4], const uint8_t dip[4], uint8_t proto,
			   uint16_t sport, uint16_t dport, const void *payload, size_t plen)
{
	size_t ip, l4hl = proto == 6 ? 20 : 8;

	ff_eth(f, dst, src, 0x0800);
	ip = f->n;
	ff_u8(f, 0x45); ff_u8(f, 0);
	ff_u16(f, (uint16_t)(20 + l4hl + plen));
	ff_u16(f, 1); ff_u16(f, 0x4000);
	ff_u8(f, 64); ff_u8(f, proto);
	ff_u16(f, 0);
	ff_put(f, sip, 4);
	ff_put(f, dip, 4);
	ff_set16(f, ip + 10, ff_csum(f->b + ip, 20));
	ff_u16(f, sport); ff_u16(f, dport);
	if (proto == 6) {
		ff_u16(f, 0); ff_u16(f, 1);      /* seq */
		ff_u16(f, 0); ff_u16(f, 1);      /* ack */
		ff_u8(f, 5 << 4); ff_u8(f, 0x18); /* PSH ACK */
		ff_u16(f, 65535); ff_u16(f, 0); ff_u16(f, 0);
	} else {
		ff_u16(f, (uint16_t)(8 + plen)); ff_u16(f, 0);
	}
	ff_put(f, payload, plen);
}

static inline void ff_ipv6_udp(struct ff *f, const uint8_t dst[6], const uint8_t src[6],
			       const uint8_t sip[16], const uint8_t dip[16],
			       uint16_t sport, uint16_t dport, const void *payload, size_t plen)
{
	ff_eth(f, dst, src, 0x86DD);
	ff_u8(f, 0x60); ff_u8(f, 0); ff_u16(f, 0);
	ff_u16(f, (uint16_t)(8 + plen));
	ff_u8(f, 17); ff_u8(f, 64);
	ff_put(f, sip, 16);
	ff_put(f, dip, 16);
	ff_u16(f, sport); ff_u16(f, dport);
	ff_u16(f, (uint16_t)(8 + plen)); ff_u16(f, 0);
	ff_put(f, payload, plen);
}

/* A BOOTREQUEST (DHCPDISCOVER) with options 60 and 12 when given. */
static inline size_t ff_dhcp_payload(uint8_t *out, size_t cap, const uint8_t chaddr[6],
				     const char *vendor_class, const char *hostname)
{
	size_t n = 0;

	if (cap < 300)
		return 0;
	memset(out, 0, 300);
	out[0] = 1; out[1] = 1; out[2] = 6;
	out[4] = 0x12; out[5] = 0x34;
	memcpy(out + 28, chaddr, 6);
	n = 236;
	out[n++] = 99; out[n++] = 130; out[n++] = 83; out[n++] = 99;
	out[n++] = 53; out[n++] = 1; out[n++] = 1;
	if (vendor_class) {
		size_t l = strlen(vendor_class);

		out[n++] = 60; out[n++] = (uint8_t)l;
		memcpy(out + n, vendor_class, l);
		n += l;
	}
	if (hostname) {
		size_t l = strlen(hostname);

		out[n++] = 12; out[n++] = (uint8_t)l;
		memcpy(out + n, hostname, l);
		n += l;
	}
	out[n++] = 55; out[n++] = 4; out[n++] = 1; out[n++] = 3; out[n++] = 6; out[n++] = 15;
	out[n++] = 255;
	return n;
}

#endif
