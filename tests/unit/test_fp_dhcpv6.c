// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/dhcpv6.c: DUID-EN/LL/LLT, vendor class and options, FQDN, server-side DUIDs, and malformed option framing. */
#include "fp_unit.h"

static void hdr(struct fbuf *b, uint8_t type)
{
	fb_u8(b, type);
	fb_put(b, "\x12\x34\x56", 3);   /* transaction id */
}

static void opt(struct fbuf *b, uint16_t code, const void *v, size_t n)
{
	fb_u16(b, code);
	fb_u16(b, (uint16_t)n);
	fb_put(b, v, n);
}

/* DUID-EN, enterprise 2011 (Huawei), identifier = a device ESN. */
static const uint8_t duid_en_huawei[] = {
	0x00, 0x02, 0x00, 0x00, 0x07, 0xDB,
	'2', '1', '0', '2', '3', '5', '4', '1', '9', '0', 'P', '0',
};
/* DUID-LLT: hw type 1, time, MAC 00:E0:FC:12:34:56. */
static const uint8_t duid_llt[] = {
	0x00, 0x01, 0x00, 0x01, 0x2A, 0x3B, 0x4C, 0x5D,
	0x00, 0xE0, 0xFC, 0x12, 0x34, 0x56,
};

static void build_huawei_solicit(struct fbuf *b)
{
	/* vendor class: enterprise 2011, one item "HUAWEI AR6140" */
	static const uint8_t vclass[] = {
		0x00, 0x00, 0x07, 0xDB, 0x00, 0x0D,
		'H', 'U', 'A', 'W', 'E', 'I', ' ', 'A', 'R', '6', '1', '4', '0',
	};
	/* vendor opts: enterprise 2011, sub-option 1 len 2 */
	static const uint8_t vopts[] = { 0x00, 0x00, 0x07, 0xDB, 0x00, 0x01, 0x00, 0x02, 'o', 'k' };
	/* FQDN: flags, "ar6140.example.net" (not fully qualified: no root label) */
	static const uint8_t fqdn[] = {
		0x01, 6, 'a', 'r', '6', '1', '4', '0', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't',
	};

	hdr(b, 1);
	opt(b, 1, duid_en_huawei, sizeof(duid_en_huawei));
	opt(b, 8, "\x00\x00", 2);                 /* elapsed time */
	opt(b, 6, "\x00\x17\x00\x18\x00\x11", 6); /* ORO */
	opt(b, 16, vclass, sizeof(vclass));
	opt(b, 17, vopts, sizeof(vopts));
	opt(b, 39, fqdn, sizeof(fqdn));
}

static void build_llt_request(struct fbuf *b)
{
	static const uint8_t server_duid[] = { 0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

	hdr(b, 3);
	opt(b, 1, duid_llt, sizeof(duid_llt));
	opt(b, 2, server_duid, sizeof(server_duid));
	opt(b, 8, "\x00\x00", 2);
}

/* A server's Reply: its own DUID is option 2; option 1 and the vendor
 * options are the client's business. */
static void build_reply(struct fbuf *b)
{
	static const uint8_t server_duid[] = { 0x00, 0x02, 0x00, 0x00, 0x0F, 0x3E, 'z', 't', 'e' };
	static const uint8_t vopts[] = { 0x00, 0x00, 0x07, 0xDB, 0x00, 0x01, 0x00, 0x00 };

	hdr(b, 7);
	opt(b, 1, duid_en_huawei, sizeof(duid_en_huawei));
	opt(b, 2, server_duid, sizeof(server_duid));
	opt(b, 17, vopts, sizeof(vopts));
}

static uint64_t num(const struct vw_fp_result *r, const char *name)
{
	const struct vw_fp_field *f = vw_fp_get(r, name);

	assert_non_null(f);
	assert_int_equal(f->kind, VW_FP_NUM);
	return f->num;
}

static void test_duid_en_huawei(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_huawei_solicit(&b);
	fp_seed("dhcpv6", "huawei-solicit-duid-en", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_DHCPV6);
	assert_int_equal(num(&r, "msg-type"), 1);
	assert_int_equal(num(&r, "duid-type"), 2);
	assert_int_equal(num(&r, "duid-enterprise"), 2011);
	assert_int_equal(num(&r, "vendor-class-enterprise"), 2011);
	assert_field(&r, "vendor-class", "HUAWEI AR6140");
	assert_int_equal(num(&r, "vendor-opts-enterprise"), 2011);
	assert_field(&r, "fqdn", "ar6140.example.net");
	assert_no_field(&r, "duid-ll-mac");
	fb_free(&b);
}

static void test_duid_llt(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_llt_request(&b);
	fp_seed("dhcpv6", "request-duid-llt", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "duid-type"), 1);
	assert_field(&r, "duid-ll-mac", "00:e0:fc:12:34:56");
	/* only the client's DUID: one duid-type */
	assert_int_equal(count_field(&r, "duid-type"), 1);
	fb_free(&b);

	/* DUID-LL (type 3) */
	hdr(&b, 11);
	opt(&b, 1, "\x00\x03\x00\x01\x28\x57\xBE\x01\x02\x03", 10);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), 0);
	assert_field(&r, "duid-ll-mac", "28:57:be:01:02:03");
	fb_free(&b);
}

static void test_server_message(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_reply(&b);
	fp_seed("dhcpv6", "reply-server-duid", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "duid-enterprise"), 3902);
	assert_int_equal(count_field(&r, "duid-enterprise"), 1);
	assert_no_field(&r, "vendor-opts-enterprise");
	fb_free(&b);
}

static void test_relay_and_unknown_types(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* Relay-forward: hop count, link and peer addresses, relay message */
	fb_u8(&b, 12);
	fb_zero(&b, 33);
	opt(&b, 9, "\x01\x12\x34\x56\x00\x01\x00\x06\x00\x02\x00\x00\x07\xDB", 14);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	fb_u8(&b, 0);
	fb_zero(&b, 3);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	fb_u8(&b, 200);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, 0, &r), -ENOMSG);
	fb_free(&b);
}

static void test_truncated_every_length(void **state)
{
	void (*builders[])(struct fbuf *) = { build_huawei_solicit, build_llt_request, build_reply };

	for (size_t i = 0; i < sizeof(builders) / sizeof(builders[0]); i++) {
		struct fbuf b = { 0 };

		builders[i](&b);
		fp_all_prefixes(vw_fp_parse_dhcpv6, b.p, b.n);
		fb_free(&b);
	}
}

static void test_option_length_ffff(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	hdr(&b, 1);
	opt(&b, 1, duid_en_huawei, sizeof(duid_en_huawei));
	fb_u16(&b, 16);
	fb_u16(&b, 0xFFFF);
	fb_put(&b, "\x00\x00\x07\xDB", 4);
	fp_seed("dhcpv6", "len-ffff", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -EBADMSG);
	assert_int_equal(num(&r, "duid-enterprise"), 2011);
	assert_no_field(&r, "vendor-class-enterprise");
	fb_free(&b);

	/* Option header cut after the code */
	hdr(&b, 1);
	fb_u16(&b, 1);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

static void test_inner_damage(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* DUID-EN too short for its enterprise number; vendor class item
	 * length past the option; FQDN label past the option; the options
	 * after each damaged one are still read. */
	hdr(&b, 1);
	opt(&b, 1, "\x00\x02\x00\x00", 4);
	opt(&b, 16, "\x00\x00\x07\xDB\x00\x40" "abc", 9);
	opt(&b, 39, "\x00\x06" "HUA", 5);
	opt(&b, 17, "\x00\x00\x98\xFD", 4);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -EBADMSG);
	assert_int_equal(num(&r, "duid-type"), 2);
	assert_no_field(&r, "duid-enterprise");
	assert_int_equal(num(&r, "vendor-class-enterprise"), 2011);
	assert_no_field(&r, "vendor-class");
	assert_no_field(&r, "fqdn");
	assert_int_equal(num(&r, "vendor-opts-enterprise"), 39165);
	fb_free(&b);

	/* FQDN with a label over 63 and one of 0 length in the middle */
	hdr(&b, 1);
	opt(&b, 39, "\x00\x03" "abc" "\x40", 6);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "fqdn", "abc");
	fb_free(&b);
}

static void test_long_fqdn_and_utf8(void **state)
{
	uint8_t v[1 + 5 * 64];
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	size_t o = 1;

	v[0] = 0;
	/* five labels of 63 bytes (invalid UTF-8): over the 255-byte name
	 * limit, so the name is cut after four labels and flagged damaged. */
	for (int i = 0; i < 5; i++) {
		v[o++] = 63;
		memset(v + o, 0xC3, 63);
		o += 63;
	}
	hdr(&b, 1);
	opt(&b, 39, v, o);
	fp_seed("dhcpv6", "long-fqdn", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcpv6, b.p, b.n, &r), -EBADMSG);
	assert_int_equal(vw_fp_get(&r, "fqdn")->len, 4 * 63 + 3);
	fb_free(&b);
}

static void test_huge(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* 1 MiB of empty options, then the DUID: linear, bounded. */
	hdr(&b, 1);
	for (int i = 0; i < (1 << 18); i++)
		opt(&b, 8, NULL, 0);
	opt(&b, 1, duid_en_huawei, sizeof(duid_en_huawei));
	assert_int_equal(fp_parse_exact(vw_fp_parse_dhcpv6, b.p, b.n, &r), 0);
	fb_free(&b);
}

static void test_random_frames(void **state)
{
	uint32_t x = 0x13572468;
	uint8_t buf[200];
	struct vw_fp_result r;

	for (int i = 0; i < 20000; i++) {
		size_t n;

		for (size_t k = 0; k < sizeof(buf); k++) {
			x = x * 1103515245 + 12345;
			buf[k] = x >> 16;
		}
		buf[0] = 1;
		/* steer option codes and lengths towards the ones we read */
		buf[4] = 0;
		buf[5] = (uint8_t)(i % 40);
		buf[6] = 0;
		x = x * 1103515245 + 12345;
		n = (x >> 16) % sizeof(buf);
		fp_parse_exact(vw_fp_parse_dhcpv6, buf, n, &r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duid_en_huawei),
		cmocka_unit_test(test_duid_llt),
		cmocka_unit_test(test_server_message),
		cmocka_unit_test(test_relay_and_unknown_types),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_option_length_ffff),
		cmocka_unit_test(test_inner_damage),
		cmocka_unit_test(test_long_fqdn_and_utf8),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
