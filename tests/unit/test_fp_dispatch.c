// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the management table (include/vw_mgmt.h) and the dissector's dispatch (daemon/lib/fp/frame.c): every row the data plane samples reaches the parser it names, the data plane's port sieve lets every sampled row through, and DNS/mDNS are read only in the direction that describes the sender. */
#include <netinet/in.h>

#include "unit.h"
#include "fp_frames.h"
#include "frame.h"

static const uint8_t dst_mac[6] = { 0x00, 0x11, 0x22, 0xAA, 0xBB, 0xCC };
static const uint8_t src_mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t hgmp_dst[6] = { 0x01, 0x80, 0xC2, 0x00, 0x00, 0x0A };
static const uint8_t sip[4] = { 192, 0, 2, 1 }, dip[4] = { 192, 0, 2, 2 };
static const uint8_t sip6[16] = { 0xFE, 0x80, [15] = 1 };
static const uint8_t dip6[16] = { 0xFF, 0x02, [15] = 0x0C };
static const char payload[] = "0123456789abcdef0123456789abcdef";

/* Neither is in the table: a row's "any port" stays any. */
#define ANY_SPORT 40000
#define ANY_DPORT 40001

struct row {
	int l4;              /* 0 = EtherType, else IPPROTO_UDP/TCP */
	uint16_t a, b;       /* EtherType, or source and destination port */
	enum vw_mgmt_proto proto;
	int sampled;
};

static const struct row rows[] = {
#define ETYPE_ROW(t, id, s) { 0, t, 0, VW_MGMT_##id, s },
	VW_MGMT_ETHERTYPES(ETYPE_ROW)
#define UDP_ROW(sp, dp, id, s) { IPPROTO_UDP, sp, dp, VW_MGMT_##id, s },
	VW_MGMT_UDP(UDP_ROW)
#define TCP_ROW(sp, dp, id, s) { IPPROTO_TCP, sp, dp, VW_MGMT_##id, s },
	VW_MGMT_TCP(TCP_ROW)
};

static uint16_t port(uint16_t p, uint16_t any)
{
	return p ? p : any;
}

/* A frame matching the row, parsed by the dissector's header walk. */
static void frame_of(const struct row *r, struct ff *fr, struct vw_fp_frame *f, bool v6)
{
	uint16_t sp = port(r->a, ANY_SPORT), dp = port(r->b, ANY_DPORT);

	memset(fr, 0, sizeof(*fr));
	if (!r->l4) {
		/* HGMP is HGMP only to the cluster address; ARP is LAD only
		 * with hardware type FFFF (the gates of frame.c). */
		ff_eth(fr, r->a == 0x88A7 ? hgmp_dst : dst_mac, src_mac, r->a);
		if (r->a == 0x0806)
			ff_u16(fr, 0xFFFF);
		ff_put(fr, payload, sizeof(payload) - 1);
	} else if (v6) {
		ff_ipv6_udp(fr, dst_mac, src_mac, sip6, dip6, sp, dp, payload,
			    sizeof(payload) - 1);
	} else {
		ff_ipv4(fr, dst_mac, src_mac, sip, dip, (uint8_t)r->l4, sp, dp,
			payload, sizeof(payload) - 1);
	}
	assert_int_equal(vw_fp_frame_parse(fr->b, fr->n, f), 0);
}

/* What the data plane's sieve (bpf/vw_classify.h) lets through. */
static bool sieve_passes(int l4, uint16_t sp, uint16_t dp)
{
	uint64_t s = l4 == IPPROTO_UDP ? VW_MGMT_UDP_SRC_SIEVE : VW_MGMT_TCP_SRC_SIEVE;
	uint64_t d = l4 == IPPROTO_UDP ? VW_MGMT_UDP_DST_SIEVE : VW_MGMT_TCP_DST_SIEVE;

	return ((s >> (sp & 63)) & 1) || ((d >> (dp & 63)) & 1);
}

/* The promise of the table: whatever the data plane samples, a parser
 * reads. The parser switch in frame.c has no default, so every id has a
 * parser; this checks that each sampled row's frame reaches its id. */
static void test_sampled_rows_reach_their_parser(void **state)
{
	int nsampled = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		uint16_t sp = port(r->a, ANY_SPORT), dp = port(r->b, ANY_DPORT);
		struct vw_fp_frame f;
		struct ff fr;

		assert_true(r->proto > VW_MGMT_NONE && r->proto < VW_MGMT_MAX);
		if (!r->sampled)
			continue;
		nsampled++;
		frame_of(r, &fr, &f, false);
		if (vw_fp_frame_proto(&f) != r->proto)
			fail_msg("row %zu (%d %u/%u): dispatched to %d, table says %d",
				 i, r->l4, r->a, r->b, vw_fp_frame_proto(&f), r->proto);
		if (!r->l4) {
			assert_int_equal(vw_mgmt_ethertype_proto(r->a, 1), r->proto);
			continue;
		}
		assert_true(sieve_passes(r->l4, sp, dp));
		if (r->l4 == IPPROTO_UDP) {
			assert_int_equal(vw_mgmt_udp_proto(sp, dp, 1), r->proto);
			frame_of(r, &fr, &f, true);
			assert_int_equal(vw_fp_frame_proto(&f), r->proto);
		} else {
			assert_int_equal(vw_mgmt_tcp_proto(sp, dp, 1), r->proto);
		}
	}
	assert_true(nsampled > 20);
}

/* Rows the data plane does not sample are still read from a capture. */
static void test_parse_only_rows(void **state)
{
	struct vw_fp_frame f;
	struct ff fr;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		if (r->sampled)
			continue;
		frame_of(r, &fr, &f, false);
		assert_int_equal(vw_fp_frame_proto(&f), r->proto);
		if (!r->l4)
			assert_int_equal(vw_mgmt_ethertype_proto(r->a, 1), VW_MGMT_NONE);
		else if (r->l4 == IPPROTO_TCP)
			assert_int_equal(vw_mgmt_tcp_proto(port(r->a, ANY_SPORT),
							   port(r->b, ANY_DPORT), 1),
					 VW_MGMT_NONE);
	}
}

/* mDNS is read from 5353 only (what a responder says about itself; a
 * legacy query from an ephemeral port asks); DNS only as a query to 53
 * (an answer from 53 names other hosts). */
static void test_dns_mdns_direction(void **state)
{
	static const struct row cases[] = {
		{ IPPROTO_UDP, 5353, 5353, VW_MGMT_MDNS, 1 },
		{ IPPROTO_UDP, 5353, 40000, VW_MGMT_MDNS, 1 },
		{ IPPROTO_UDP, 40000, 5353, VW_MGMT_NONE, 0 },
		{ IPPROTO_UDP, 40000, 53, VW_MGMT_DNS, 1 },
		{ IPPROTO_UDP, 53, 40000, VW_MGMT_NONE, 0 },
		{ IPPROTO_TCP, 40000, 53, VW_MGMT_NONE, 0 },
	};
	struct vw_fp_frame f;
	struct ff fr;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct row *r = &cases[i];

		frame_of(r, &fr, &f, false);
		if (vw_fp_frame_proto(&f) != r->proto)
			fail_msg("case %zu (%u/%u): dispatched to %d, want %d", i, r->a, r->b,
				 vw_fp_frame_proto(&f), r->proto);
		if (r->l4 == IPPROTO_UDP)
			assert_int_equal(vw_mgmt_udp_proto(r->a, r->b, 1), r->proto);
	}
}

/* Direction matters where the table says so: a DHCPv6 server's reply and
 * a manager's SNMP request carry other hosts' fields; a banner port as the
 * client's destination proves nothing; ordinary ARP is not LAD. (A DHCPv4
 * reply is read: its ACK gives the client's address, and the engine makes
 * chaddr its subject, test_fp_engine.) */
static void test_direction_and_gates(void **state)
{
	static const struct row none[] = {
		{ IPPROTO_UDP, 547, 546, VW_MGMT_NONE, 0 },
		{ IPPROTO_UDP, 40000, 161, VW_MGMT_NONE, 0 },
		{ IPPROTO_TCP, 50000, 22, VW_MGMT_NONE, 0 },
	};
	struct vw_fp_frame f;
	struct ff fr;

	(void)state;
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		frame_of(&none[i], &fr, &f, false);
		assert_int_equal(vw_fp_frame_proto(&f), VW_MGMT_NONE);
		if (none[i].l4 == IPPROTO_UDP)
			assert_int_equal(vw_mgmt_udp_proto(none[i].a, none[i].b, 1),
					 VW_MGMT_NONE);
		else
			assert_int_equal(vw_mgmt_tcp_proto(none[i].a, none[i].b, 1),
					 VW_MGMT_NONE);
	}
	memset(&fr, 0, sizeof(fr));
	ff_eth(&fr, dst_mac, src_mac, 0x0806);
	ff_u16(&fr, 0x0001);
	ff_put(&fr, payload, sizeof(payload) - 1);
	assert_int_equal(vw_fp_frame_parse(fr.b, fr.n, &f), 0);
	assert_int_equal(vw_fp_frame_proto(&f), VW_MGMT_NONE);
	memset(&fr, 0, sizeof(fr));
	ff_eth(&fr, dst_mac, src_mac, 0x88A7);
	ff_put(&fr, payload, sizeof(payload) - 1);
	assert_int_equal(vw_fp_frame_parse(fr.b, fr.n, &f), 0);
	assert_int_equal(vw_fp_frame_proto(&f), VW_MGMT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sampled_rows_reach_their_parser),
		cmocka_unit_test(test_parse_only_rows),
		cmocka_unit_test(test_dns_mdns_direction),
		cmocka_unit_test(test_direction_and_gates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
