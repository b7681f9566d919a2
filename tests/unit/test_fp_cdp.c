// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/cdp.c: a Comware CDP-compatible frame, the system OID, and malformed TLV chains. */
#include "fp_unit.h"

static const char h3c_version[] =
	"H3C Comware Platform Software, Software Version 5.20.99, Release 1106\r\n"
	"Copyright (c) 2004-2016 Hangzhou H3C Tech. Co., Ltd. All rights reserved.";

static void snap(struct fbuf *b)
{
	static const uint8_t s[8] = { 0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00 };

	fb_put(b, s, sizeof(s));
	fb_u8(b, 2);        /* version */
	fb_u8(b, 180);      /* ttl */
	fb_u16(b, 0xBEEF);  /* checksum: deliberately not verified */
}

static void tlv(struct fbuf *b, uint16_t type, const void *v, size_t n)
{
	fb_u16(b, type);
	fb_u16(b, (uint16_t)(n + 4));
	fb_put(b, v, n);
}

static void tlv_str(struct fbuf *b, uint16_t type, const char *s)
{
	tlv(b, type, s, strlen(s));
}

static void build_h3c(struct fbuf *b)
{
	/* BER OID 1.3.6.1.4.1.25506.1.1 as Cisco sends it: tag, length, content */
	static const uint8_t oid[] = { 0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x81, 0xC7, 0x22, 0x01, 0x01 };
	static const uint8_t caps[4] = { 0, 0, 0, 0x28 };

	snap(b);
	tlv_str(b, 0x0001, "H3C-S5120");
	tlv_str(b, 0x0003, "GigabitEthernet1/0/24");
	tlv(b, 0x0004, caps, 4);
	tlv_str(b, 0x0005, h3c_version);
	tlv_str(b, 0x0006, "H3C S5120-28P-SI");
	tlv_str(b, 0x0014, "core-sw1");
	tlv(b, 0x0015, oid, sizeof(oid));
}

static void build_vrp(struct fbuf *b)
{
	/* bare OID content 1.3.6.1.4.1.2011.2.23.96 */
	static const uint8_t oid[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x8F, 0x5B, 0x02, 0x17, 0x60 };

	snap(b);
	tlv_str(b, 0x0001, "HUAWEI");
	tlv_str(b, 0x0005, "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (S5700 V200R011C10SPC500)");
	tlv_str(b, 0x0006, "S5700-28C-EI");
	tlv(b, 0x0015, oid, sizeof(oid));
}

static void test_h3c(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_h3c(&b);
	fp_seed("cdp", "h3c-s5120", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_CDP);
	assert_field(&r, "device-id", "H3C-S5120");
	assert_field(&r, "software-version", h3c_version);
	assert_field(&r, "platform", "H3C S5120-28P-SI");
	assert_field(&r, "system-name", "core-sw1");
	assert_field(&r, "system-oid", "1.3.6.1.4.1.25506.1.1");
	fb_free(&b);
}

static void test_vrp_bare_oid(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_vrp(&b);
	fp_seed("cdp", "vrp-s5700", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), 0);
	assert_field(&r, "device-id", "HUAWEI");
	assert_field(&r, "platform", "S5700-28C-EI");
	assert_field(&r, "system-oid", "1.3.6.1.4.1.2011.2.23.96");
	fb_free(&b);
}

static void test_truncated_every_length(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_h3c(&b);
	fp_all_prefixes(vw_fp_parse_cdp, b.p, b.n);
	/* Cut in the platform TLV: device-id and version survive. */
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, 12 + 13 + 25 + 8 + 4 + sizeof(h3c_version) - 1 + 10, &r), -EBADMSG);
	assert_field(&r, "device-id", "H3C-S5120");
	assert_field(&r, "software-version", h3c_version);
	assert_no_field(&r, "platform");
	fb_free(&b);
	build_vrp(&b);
	fp_all_prefixes(vw_fp_parse_cdp, b.p, b.n);
	fb_free(&b);
}

static void test_bad_lengths(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* 0xFFFF length */
	snap(&b);
	tlv_str(&b, 0x0001, "sw1");
	fb_u16(&b, 0x0006);
	fb_u16(&b, 0xFFFF);
	fb_str(&b, "S5700");
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "device-id", "sw1");
	assert_no_field(&r, "platform");
	fb_free(&b);

	/* Lengths 0..3 would never advance the walk. */
	for (uint16_t l = 0; l < 4; l++) {
		snap(&b);
		fb_u16(&b, 0x0001);
		fb_u16(&b, l);
		fb_zero(&b, 8);
		assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), -EBADMSG);
		fb_free(&b);
	}

	/* Thousands of empty (length 4) TLVs: bounded. */
	snap(&b);
	tlv_str(&b, 0x0001, "sw1");
	for (int i = 0; i < 3000; i++)
		tlv(&b, 0x0002, NULL, 0);
	tlv_str(&b, 0x0006, "never");
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "device-id", "sw1");
	assert_no_field(&r, "platform");
	fb_free(&b);

	/* Unknown version byte */
	snap(&b);
	b.p[8] = 9;
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

static void test_not_cdp_and_odd_values(void **state)
{
	static const uint8_t vtp[8] = { 0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x03 };
	static const uint8_t bad_oid[] = { 0x2B, 0x06, 0x81 };    /* arc never ends */
	static const uint8_t wide_oid[] = { 0x2B, 0x9F, 0xFF, 0xFF, 0xFF, 0x7F };  /* > 32 bits */
	static const uint8_t junk[] = { 0xC3, 0x28, 0xFF, 0x00, 0xA0 };
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* VTP, same SNAP OUI, different PID */
	fb_put(&b, vtp, sizeof(vtp));
	fb_zero(&b, 20);
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);

	snap(&b);
	tlv(&b, 0x0015, bad_oid, sizeof(bad_oid));
	tlv(&b, 0x0001, junk, sizeof(junk));
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), 0);
	assert_no_field(&r, "system-oid");
	assert_int_equal(vw_fp_get(&r, "device-id")->len, sizeof(junk));
	fb_free(&b);

	snap(&b);
	tlv(&b, 0x0015, wide_oid, sizeof(wide_oid));
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);

	/* Header only: valid, nothing of interest */
	snap(&b);
	assert_int_equal(fp_parse(vw_fp_parse_cdp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

static void test_random_frames(void **state)
{
	uint32_t x = 0xC0FFEE;
	uint8_t buf[200];
	struct vw_fp_result r;

	for (int i = 0; i < 20000; i++) {
		for (size_t k = 0; k < sizeof(buf); k++) {
			x = x * 1103515245 + 12345;
			buf[k] = x >> 16;
		}
		memcpy(buf, "\xAA\xAA\x03\x00\x00\x0C\x20\x00\x02", 9);
		/* keep TLV lengths small so the walk gets somewhere */
		for (size_t k = 14; k < sizeof(buf); k += 7)
			buf[k] = 0;
		x = x * 1103515245 + 12345;
		fp_parse_exact(vw_fp_parse_cdp, buf, (x >> 16) % sizeof(buf), &r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h3c),
		cmocka_unit_test(test_vrp_bare_oid),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_not_cdp_and_odd_values),
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
