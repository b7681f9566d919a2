// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/lldp.c: catalogued LLDPDUs (VRP, ZXR10, H3C look-alike, LLDP-MED) and every malformed shape we could think of. */
#include "fp_unit.h"

static const char vrp_desc[] =
	"Huawei Versatile Routing Platform Software\r\n"
	"VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700)\r\n"
	"Copyright (C) 2012-2017 Huawei Technologies Co., Ltd.\r\n"
	"HUAWEI CE6870-48S6CQ-EI";
static const char zxr10_desc[] =
	"ZXR10 ROS Version V4.8.01A ZXPON C220 Software, Version V2.8.01A.21, RELEASE SOFTWARE\r\n"
	"Copyright (c) 2001-2012 by ZTE Corporation";
static const char h3c_desc[] =
	"H3C Comware Platform Software, Software Version 7.1.064, Release 1311P01\r\n"
	"H3C S6520X-30QC-EI\r\n"
	"Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.";

static void tlv(struct fbuf *b, unsigned type, const void *v, size_t n)
{
	fb_u16(b, (uint16_t)(type << 9 | (n & 0x1FF)));
	fb_put(b, v, n);
}

static void tlv_str(struct fbuf *b, unsigned type, const char *s)
{
	tlv(b, type, s, strlen(s));
}

static void chassis_mac(struct fbuf *b, const uint8_t mac[6])
{
	uint8_t v[7] = { 4 };

	memcpy(v + 1, mac, 6);
	tlv(b, 1, v, sizeof(v));
}

static void port_ifname(struct fbuf *b, const char *name)
{
	uint8_t v[64] = { 5 };
	size_t n = strlen(name);

	memcpy(v + 1, name, n);
	tlv(b, 2, v, n + 1);
}

static void ttl(struct fbuf *b)
{
	static const uint8_t v[2] = { 0x00, 0x78 };

	tlv(b, 3, v, 2);
}

static void mgmt_ipv4(struct fbuf *b, const uint8_t ip[4])
{
	/* addr len 5, subtype 1 (IPv4), addr, ifIndex numbering, ifindex, OID len 0 */
	uint8_t v[12] = { 5, 1, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0 };

	memcpy(v + 2, ip, 4);
	tlv(b, 8, v, sizeof(v));
}

static void med(struct fbuf *b, uint8_t subtype, const char *s)
{
	uint8_t v[64] = { 0x00, 0x12, 0xBB, subtype };
	size_t n = strlen(s);

	memcpy(v + 4, s, n);
	tlv(b, 127, v, n + 4);
}

static void end(struct fbuf *b)
{
	tlv(b, 0, NULL, 0);
}

static void build_vrp(struct fbuf *b)
{
	static const uint8_t mac[6] = { 0x00, 0xE0, 0xFC, 0x12, 0x34, 0x56 };
	static const uint8_t ip[4] = { 192, 168, 1, 1 };
	static const uint8_t caps[4] = { 0x00, 0x14, 0x00, 0x14 };
	/* an 802.1 port VLAN ID org TLV, ignored */
	static const uint8_t pvid[6] = { 0x00, 0x80, 0xC2, 0x01, 0x00, 0x01 };

	chassis_mac(b, mac);
	port_ifname(b, "10GE1/0/1");
	ttl(b);
	tlv_str(b, 4, "10GE1/0/1");
	tlv_str(b, 5, "HUAWEI");
	tlv_str(b, 6, vrp_desc);
	tlv(b, 7, caps, 4);
	mgmt_ipv4(b, ip);
	tlv(b, 127, pvid, sizeof(pvid));
	end(b);
}

static void build_zxr10(struct fbuf *b)
{
	static const uint8_t mac[6] = { 0x00, 0xD0, 0xD0, 0x29, 0x52, 0x06 };

	chassis_mac(b, mac);
	port_ifname(b, "gei_1/1");
	ttl(b);
	tlv_str(b, 5, "ZXR10");
	tlv_str(b, 6, zxr10_desc);
	end(b);
}

static void build_h3c(struct fbuf *b)
{
	/* Huawei-3Com era hardware carries the Huawei OUI (§2.6). */
	static const uint8_t mac[6] = { 0x00, 0xE0, 0xFC, 0x00, 0x56, 0x00 };
	static const uint8_t med_caps[7] = { 0x00, 0x12, 0xBB, 0x01, 0x00, 0x33, 0x04 };

	chassis_mac(b, mac);
	port_ifname(b, "GigabitEthernet1/0/1");
	ttl(b);
	tlv_str(b, 5, "H3C");
	tlv_str(b, 6, h3c_desc);
	tlv(b, 127, med_caps, sizeof(med_caps));
	med(b, 5, "Ver.A");          /* hardware revision: not a field we keep */
	med(b, 9, "H3C");
	med(b, 10, "S6520X-30QC-EI");
	end(b);
}

static void build_med_phone(struct fbuf *b)
{
	static const uint8_t mac[6] = { 0x04, 0xF9, 0x38, 0xAA, 0xBB, 0xCC };
	/* chassis subtype 5: network address, family 1 (IPv4) */
	static const uint8_t chassis[6] = { 5, 1, 10, 0, 0, 42 };
	/* port subtype 3: MAC */
	uint8_t port[7] = { 3 };
	/* mgmt address: IPv6 */
	uint8_t mg[24] = { 17, 2, 0x20, 0x01, 0x0d, 0xb8 };

	memcpy(port + 1, mac, 6);
	mg[17] = 0x01;
	tlv(b, 1, chassis, sizeof(chassis));
	tlv(b, 2, port, sizeof(port));
	ttl(b);
	med(b, 9, "Huawei Technologies Co., Ltd.");
	med(b, 10, "eSpace 7910");
	tlv(b, 8, mg, 18 + 6);
	end(b);
}

static void test_vrp(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	build_vrp(&b);
	fp_seed("lldp", "vrp-ce6870", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_LLDP);
	assert_field(&r, "chassis-id", "00:e0:fc:12:34:56");
	f = vw_fp_get(&r, "chassis-id-subtype");
	assert_non_null(f);
	assert_int_equal(f->kind, VW_FP_NUM);
	assert_int_equal(f->num, 4);
	assert_field(&r, "port-id", "10GE1/0/1");
	assert_field(&r, "system-name", "HUAWEI");
	assert_field(&r, "system-description", vrp_desc);
	assert_field(&r, "mgmt-address", "192.168.1.1");
	assert_no_field(&r, "med-model");
	fb_free(&b);
}

static void test_zxr10(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_zxr10(&b);
	fp_seed("lldp", "zxr10", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), 0);
	assert_field(&r, "chassis-id", "00:d0:d0:29:52:06");
	assert_field(&r, "system-name", "ZXR10");
	assert_field(&r, "system-description", zxr10_desc);
	fb_free(&b);
}

/* The false-positive case parses like any other: attributing it to H3C
 * rather than Huawei is the rule layer's job. */
static void test_h3c_comware(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_h3c(&b);
	fp_seed("lldp", "h3c-comware-med", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), 0);
	assert_field(&r, "chassis-id", "00:e0:fc:00:56:00");
	assert_field(&r, "port-id", "GigabitEthernet1/0/1");
	assert_field(&r, "system-name", "H3C");
	assert_field(&r, "system-description", h3c_desc);
	assert_field(&r, "med-manufacturer", "H3C");
	assert_field(&r, "med-model", "S6520X-30QC-EI");
	fb_free(&b);
}

static void test_med_addresses(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_med_phone(&b);
	fp_seed("lldp", "med-phone", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), 0);
	assert_field(&r, "chassis-id", "10.0.0.42");
	assert_field(&r, "port-id", "04:f9:38:aa:bb:cc");
	assert_field(&r, "med-manufacturer", "Huawei Technologies Co., Ltd.");
	assert_field(&r, "med-model", "eSpace 7910");
	assert_field(&r, "mgmt-address", "2001:db8::1");
	fb_free(&b);
}

static void test_truncated_every_length(void **state)
{
	void (*builders[])(struct fbuf *) = { build_vrp, build_zxr10, build_h3c, build_med_phone };

	for (size_t i = 0; i < sizeof(builders) / sizeof(builders[0]); i++) {
		struct fbuf b = { 0 };
		struct vw_fp_result r;

		builders[i](&b);
		fp_all_prefixes(vw_fp_parse_lldp, b.p, b.n);
		/* Cut inside the system description: what came before is
		 * kept and the damage reported. */
		if (i == 0) {
			assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, 60, &r), -EBADMSG);
			assert_field(&r, "chassis-id", "00:e0:fc:12:34:56");
			assert_no_field(&r, "system-description");
		}
		fb_free(&b);
	}
	/* Nothing at all is not LLDP. */
	assert_int_equal(vw_fp_parse_lldp((const uint8_t *)"", 0, &(struct vw_fp_result){ 0 }), -ENOMSG);
}

static void test_length_past_end(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0xE0, 0xFC, 1, 2, 3 };
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	chassis_mac(&b, mac);
	/* System name, 9-bit length all ones (511), 10 bytes present */
	fb_u16(&b, 5 << 9 | 0x1FF);
	fb_str(&b, "HUAWEI-SW1");
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "chassis-id", "00:e0:fc:01:02:03");
	assert_no_field(&r, "system-name");
	fp_all_prefixes(vw_fp_parse_lldp, b.p, b.n);
	fb_free(&b);

	/* 0xFFFF header: type 127, length 511 */
	chassis_mac(&b, mac);
	fb_u16(&b, 0xFFFF);
	fb_zero(&b, 20);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

static void test_not_lldp(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* Starts with a TTL TLV: not an LLDPDU. */
	ttl(&b);
	tlv_str(&b, 5, "HUAWEI");
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -ENOMSG);
	assert_int_equal(r.n, 0);
	fb_free(&b);
	/* All-zero padding: an End TLV where the chassis should be. */
	fb_zero(&b, 46);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

static void test_zero_length_and_tiny_tlvs(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0xE0, 0xFC, 1, 2, 3 };
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* Zero-length chassis ID is malformed (needs a subtype). */
	tlv(&b, 1, NULL, 0);
	end(&b);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);

	/* Thousands of empty port-description TLVs: bounded walk, the
	 * chassis before them kept. */
	chassis_mac(&b, mac);
	for (int i = 0; i < 5000; i++)
		tlv(&b, 4, NULL, 0);
	tlv_str(&b, 5, "never-reached");
	end(&b);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "chassis-id", "00:e0:fc:01:02:03");
	assert_no_field(&r, "system-name");
	fb_free(&b);

	/* Zero-length TLVs of the kinds we keep: empty values, no crash. */
	chassis_mac(&b, mac);
	tlv(&b, 5, NULL, 0);
	tlv(&b, 6, NULL, 0);
	tlv(&b, 2, NULL, 0);
	end(&b);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);

	/* Org TLV too short for its OUI + subtype; management address whose
	 * inner length lies. */
	chassis_mac(&b, mac);
	tlv(&b, 127, "\x00\x12", 2);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	chassis_mac(&b, mac);
	tlv(&b, 8, "\xFF\x01\x0a\x00\x00\x01", 6);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

static void test_no_end_tlv_and_duplicates(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0xE0, 0xFC, 1, 2, 3 };
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	chassis_mac(&b, mac);
	tlv_str(&b, 5, "first");
	tlv_str(&b, 5, "second");
	/* Ends on a TLV boundary without End: accepted (frames are often cut
	 * there by capture snaplen-free paths and padding is zeros anyway). */
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), 0);
	assert_field(&r, "system-name", "first");
	assert_int_equal(count_field(&r, "system-name"), 1);
	/* Anything after End is not looked at. */
	end(&b);
	fb_u16(&b, 0xFFFF);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), 0);
	fb_free(&b);
}

static void test_invalid_utf8_and_long_values(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0xE0, 0xFC, 1, 2, 3 };
	static const uint8_t junk[] = { 0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x00, 'x' };
	uint8_t big[511];
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	memset(big, 'A', sizeof(big));
	chassis_mac(&b, mac);
	tlv(&b, 5, junk, sizeof(junk));
	tlv(&b, 6, big, sizeof(big));
	end(&b);
	fp_seed("lldp", "invalid-utf8", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_lldp, b.p, b.n, &r), 0);
	f = vw_fp_get(&r, "system-name");
	assert_non_null(f);
	assert_int_equal(f->len, sizeof(junk));
	assert_memory_equal(f->val, junk, sizeof(junk));
	f = vw_fp_get(&r, "system-description");
	assert_non_null(f);
	assert_int_equal(f->len, 511);
	fb_free(&b);
}

/* A cheap in-process fuzz pass so plain `make check` exercises random
 * shapes too (the libFuzzer target goes much further). */
static void test_random_frames(void **state)
{
	uint32_t x = 0x12345678;
	uint8_t buf[300];
	struct vw_fp_result r;

	for (int i = 0; i < 20000; i++) {
		size_t n = 0;

		for (size_t k = 0; k < sizeof(buf); k++) {
			x = x * 1103515245 + 12345;
			buf[k] = x >> 16;
		}
		x = x * 1103515245 + 12345;
		n = (x >> 16) % sizeof(buf);
		buf[0] = 0x02;  /* chassis-ID type so the walk goes on */
		fp_parse_exact(vw_fp_parse_lldp, buf, n, &r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vrp),
		cmocka_unit_test(test_zxr10),
		cmocka_unit_test(test_h3c_comware),
		cmocka_unit_test(test_med_addresses),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_length_past_end),
		cmocka_unit_test(test_not_lldp),
		cmocka_unit_test(test_zero_length_and_tiny_tlvs),
		cmocka_unit_test(test_no_end_tlv_and_duplicates),
		cmocka_unit_test(test_invalid_utf8_and_long_values),
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
