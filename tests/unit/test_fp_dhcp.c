// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/dhcp.c: catalogued DHCPv4 client messages (Huawei phone, Dahua-OEM camera, BusyBox) and malformed option areas. */
#include "fp_unit.h"

static const uint8_t huawei_mac[6] = { 0x5A, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F }; /* randomised */
static const uint8_t amcrest_mac[6] = { 0x9C, 0x8E, 0xCD, 0x01, 0x02, 0x03 };

/* BOOTP header (RFC 2131 §2) for a client request, plus the cookie. */
static void bootp(struct fbuf *b, uint8_t op, const uint8_t mac[6])
{
	fb_u8(b, op);
	fb_u8(b, 1);            /* htype Ethernet */
	fb_u8(b, 6);            /* hlen */
	fb_u8(b, 0);            /* hops */
	fb_u32le(b, 0x3903F326); /* xid */
	fb_u16(b, 0);           /* secs */
	fb_u16(b, 0x8000);      /* broadcast flag */
	fb_zero(b, 16);         /* ciaddr yiaddr siaddr giaddr */
	fb_put(b, mac, 6);
	fb_zero(b, 10);         /* chaddr padding */
	fb_zero(b, 64 + 128);   /* sname, file */
	fb_put(b, "\x63\x82\x53\x63", 4);
}

static void opt(struct fbuf *b, uint8_t code, const void *v, size_t n)
{
	fb_u8(b, code);
	fb_u8(b, (uint8_t)n);
	fb_put(b, v, n);
}

static void opt_str(struct fbuf *b, uint8_t code, const char *s)
{
	opt(b, code, s, strlen(s));
}

static void build_huawei_phone(struct fbuf *b)
{
	static const uint8_t prl[] = { 1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114 };
	uint8_t cid[7] = { 1 };

	memcpy(cid + 1, huawei_mac, 6);
	bootp(b, 1, huawei_mac);
	opt(b, 53, "\x01", 1);
	opt(b, 61, cid, sizeof(cid));
	opt(b, 57, "\x05\xdc", 2);
	opt_str(b, 60, "HUAWEI:android:ELE");
	opt_str(b, 12, "HUAWEI_P30-9e8b07efe8a355");
	opt(b, 55, prl, sizeof(prl));
	fb_u8(b, 255);
	fb_zero(b, 3);          /* padding after End is never read */
}

/* xnih/satori sample: options 53,55,12,61,255 with PRL 1,3,4,5,6,12,15,28,42. */
static void build_amcrest(struct fbuf *b)
{
	static const uint8_t prl[] = { 1, 3, 4, 5, 6, 12, 15, 28, 42 };
	uint8_t cid[7] = { 1 };

	memcpy(cid + 1, amcrest_mac, 6);
	bootp(b, 1, amcrest_mac);
	opt(b, 53, "\x03", 1);
	opt(b, 55, prl, sizeof(prl));
	opt_str(b, 12, "IP3M-943");
	opt(b, 61, cid, sizeof(cid));
	fb_u8(b, 255);
}

static void build_busybox(struct fbuf *b)
{
	static const uint8_t prl[] = { 1, 3, 6, 12, 15, 28, 42 };

	bootp(b, 1, amcrest_mac);
	opt(b, 53, "\x01", 1);
	opt_str(b, 60, "udhcp 1.31.1");
	opt(b, 55, prl, sizeof(prl));
	opt(b, 43, "\x01\x04\x0a\x00\x00\x01", 6);
	fb_u8(b, 255);
}

static void test_huawei_phone(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	build_huawei_phone(&b);
	fp_seed("dhcp", "huawei-phone-discover", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_DHCP);
	f = vw_fp_get(&r, "op");
	assert_non_null(f);
	assert_int_equal(f->kind, VW_FP_NUM);
	assert_int_equal(f->num, 1);
	f = vw_fp_get(&r, "msg-type");
	assert_non_null(f);
	assert_int_equal(f->num, 1);
	assert_field(&r, "chaddr", "5a:1b:2c:3d:4e:5f");
	assert_field(&r, "vendor-class", "HUAWEI:android:ELE");
	assert_field(&r, "hostname", "HUAWEI_P30-9e8b07efe8a355");
	assert_field(&r, "param-list", "1,3,6,15,26,28,51,58,59,43,114");
	assert_field(&r, "client-id", "015a1b2c3d4e5f");
	assert_no_field(&r, "vendor-specific");
	fb_free(&b);
}

static void test_amcrest_dahua_oem(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_amcrest(&b);
	fp_seed("dhcp", "amcrest-request", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	assert_field(&r, "chaddr", "9c:8e:cd:01:02:03");
	assert_field(&r, "param-list", "1,3,4,5,6,12,15,28,42");
	assert_field(&r, "hostname", "IP3M-943");
	assert_no_field(&r, "vendor-class");
	assert_int_equal(vw_fp_get(&r, "msg-type")->num, 3);
	fb_free(&b);
}

/* Generic stacks parse like any other; the rules call them generic. */
static void test_busybox(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	build_busybox(&b);
	fp_seed("dhcp", "busybox-udhcp", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	assert_field(&r, "vendor-class", "udhcp 1.31.1");
	f = vw_fp_get(&r, "vendor-specific");
	assert_non_null(f);
	assert_int_equal(f->kind, VW_FP_NUM);
	assert_int_equal(f->num, 1);
	fb_free(&b);
}

static void test_overload_into_file(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	bootp(&b, 1, huawei_mac);
	opt(&b, 53, "\x01", 1);
	opt(&b, 52, "\x01", 1);
	fb_u8(&b, 255);
	/* file field (offset 108) holds the hostname option */
	memcpy(b.p + 108, "\x0c\x06" "HUAWEI\xff", 9);
	fp_seed("dhcp", "overload-file", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	assert_field(&r, "hostname", "HUAWEI");
	/* overloaded area whose last option claims more than the area */
	memset(b.p + 108, 0, 128);
	memcpy(b.p + 108 + 126, "\x0c\xff", 2);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

static void test_truncated_every_length(void **state)
{
	void (*builders[])(struct fbuf *) = { build_huawei_phone, build_amcrest, build_busybox };

	for (size_t i = 0; i < sizeof(builders) / sizeof(builders[0]); i++) {
		struct fbuf b = { 0 };

		builders[i](&b);
		fp_all_prefixes(vw_fp_parse_dhcp, b.p, b.n);
		fb_free(&b);
	}
}

static void test_truncated_keeps_prefix(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_huawei_phone(&b);
	/* Cut inside the hostname option: vendor class kept. */
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, 240 + 3 + 9 + 4 + 20 + 5, &r), -EBADMSG);
	assert_field(&r, "vendor-class", "HUAWEI:android:ELE");
	assert_no_field(&r, "hostname");
	/* Cut before the cookie: chaddr from the header only. */
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, 100, &r), -EBADMSG);
	assert_field(&r, "chaddr", "5a:1b:2c:3d:4e:5f");
	assert_no_field(&r, "vendor-class");
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, 0, &r), -ENOMSG);
	fb_free(&b);
}

static void test_option_length_past_end(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	bootp(&b, 1, huawei_mac);
	opt_str(&b, 60, "HUAWEI:android:VOG");
	fb_u8(&b, 12);
	fb_u8(&b, 0xFF);        /* 255 claimed, 5 present */
	fb_str(&b, "HUAWE");
	fp_seed("dhcp", "len-past-end", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "vendor-class", "HUAWEI:android:VOG");
	assert_no_field(&r, "hostname");
	fb_free(&b);

	/* A code with no length byte at all. */
	bootp(&b, 1, huawei_mac);
	fb_u8(&b, 60);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

static void test_no_end_and_duplicates(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	bootp(&b, 1, huawei_mac);
	opt_str(&b, 60, "HUAWEI:android:ALP");
	opt_str(&b, 60, "MSFT 5.0");     /* a second instance cannot override */
	opt(&b, 53, "\x01\x02", 2);     /* wrong length: not a msg-type */
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	assert_field(&r, "vendor-class", "HUAWEI:android:ALP");
	assert_int_equal(count_field(&r, "vendor-class"), 1);
	assert_no_field(&r, "msg-type");
	fb_free(&b);
}

static void test_not_dhcp(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* op 3 */
	bootp(&b, 3, huawei_mac);
	opt_str(&b, 60, "HUAWEI:android:ELE");
	fb_u8(&b, 255);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), -ENOMSG);
	/* plain BOOTP: no cookie */
	b.p[0] = 1;
	memset(b.p + 236, 0, 4);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

static void test_odd_hardware_and_utf8(void **state)
{
	static const uint8_t junk[] = { 'H', 0xFF, 0xFE, 0xC0, 0x80, 0x00, 'W' };
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	bootp(&b, 1, huawei_mac);
	b.p[1] = 6;     /* IEEE 802 */
	b.p[2] = 200;   /* hlen lies beyond the 16-byte field */
	opt(&b, 12, junk, sizeof(junk));
	fb_u8(&b, 255);
	fp_seed("dhcp", "odd-hw-utf8", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	assert_field(&r, "chaddr", "5a1b2c3d4e5f00000000000000000000");
	f = vw_fp_get(&r, "hostname");
	assert_non_null(f);
	assert_int_equal(f->len, sizeof(junk));
	assert_memory_equal(f->val, junk, sizeof(junk));
	fb_free(&b);
}

static uint64_t num(const struct vw_fp_result *r, const char *name)
{
	const struct vw_fp_field *f = vw_fp_get(r, name);

	assert_non_null(f);
	assert_int_equal(f->kind, VW_FP_NUM);
	return f->num;
}

/* A relayed ACK (server to relay agent): the addresses that say whom the
 * message is about (yiaddr, giaddr) and the lease time; 0.0.0.0 fields
 * are absent. Cut inside the header, the addresses before the cut stay. */
static void test_relayed_ack_addresses(void **state)
{
	static const uint8_t lease[4] = { 0, 1, 0x51, 0x80 };   /* 86400 s */
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	(void)state;
	bootp(&b, 2, amcrest_mac);
	b.p[3] = 1;                                             /* hops */
	memcpy(b.p + 16, "\x0a\x01\x00\x32", 4);                /* yiaddr 10.1.0.50 */
	memcpy(b.p + 24, "\x0a\x01\x00\x01", 4);                /* giaddr 10.1.0.1 */
	opt(&b, 53, "\x05", 1);
	opt(&b, 51, lease, 4);
	opt(&b, 51, "\x00\x00\x00\x01", 4);                     /* a second one does not win */
	fb_u8(&b, 255);
	fp_seed("dhcp", "relayed-ack", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "op"), 2);
	assert_int_equal(num(&r, "msg-type"), 5);
	assert_int_equal(num(&r, "yiaddr"), 0x0a010032);
	assert_int_equal(num(&r, "giaddr"), 0x0a010001);
	assert_int_equal(num(&r, "lease-time"), 86400);
	assert_no_field(&r, "ciaddr");
	assert_field(&r, "chaddr", "9c:8e:cd:01:02:03");
	/* A lease option of the wrong length is ignored. */
	b.p[240 + 3 + 1] = 3;
	b.p[240 + 3 + 2 + 3] = 255;
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, 240 + 3 + 2 + 4, &r), 0);
	assert_no_field(&r, "lease-time");
	/* Cut before the cookie: the header's addresses are still read. */
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, 200, &r), -EBADMSG);
	assert_int_equal(num(&r, "giaddr"), 0x0a010001);
	fb_free(&b);
}

static void test_max_options(void **state)
{
	uint8_t prl[255], cid[255];
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	for (int i = 0; i < 255; i++)
		prl[i] = cid[i] = (uint8_t)(i + 1);
	bootp(&b, 1, huawei_mac);
	opt(&b, 55, prl, sizeof(prl));
	opt(&b, 61, cid, sizeof(cid));
	fb_u8(&b, 255);
	assert_int_equal(fp_parse(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	/* "1,2,…,255" is 893 characters: cut at the field limit, flagged */
	f = vw_fp_get(&r, "param-list");
	assert_non_null(f);
	assert_int_equal(f->len, VW_FP_FIELD_MAX);
	assert_true(f->truncated);
	f = vw_fp_get(&r, "client-id");
	assert_int_equal(f->len, 510);
	fb_free(&b);
}

/* 1 MiB of pad options, then junk options: linear, bounded. */
static void test_huge(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	bootp(&b, 1, huawei_mac);
	fb_zero(&b, 1 << 20);
	for (int i = 0; i < 20000; i++)
		opt_str(&b, 77, "x");
	opt_str(&b, 60, "HUAWEI:android:NOH-AN00");
	assert_int_equal(fp_parse_exact(vw_fp_parse_dhcp, b.p, b.n, &r), 0);
	fb_free(&b);
}

static void test_random_frames(void **state)
{
	uint32_t x = 0x2468ace0;
	uint8_t buf[400];
	struct vw_fp_result r;

	for (int i = 0; i < 20000; i++) {
		size_t n;

		for (size_t k = 0; k < sizeof(buf); k++) {
			x = x * 1103515245 + 12345;
			buf[k] = x >> 16;
		}
		buf[0] = 1;
		memcpy(buf + 236, "\x63\x82\x53\x63", 4);
		x = x * 1103515245 + 12345;
		n = (x >> 16) % sizeof(buf);
		fp_parse_exact(vw_fp_parse_dhcp, buf, n, &r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huawei_phone),
		cmocka_unit_test(test_amcrest_dahua_oem),
		cmocka_unit_test(test_busybox),
		cmocka_unit_test(test_overload_into_file),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_truncated_keeps_prefix),
		cmocka_unit_test(test_option_length_past_end),
		cmocka_unit_test(test_no_end_and_duplicates),
		cmocka_unit_test(test_not_dhcp),
		cmocka_unit_test(test_odd_hardware_and_utf8),
		cmocka_unit_test(test_max_options),
		cmocka_unit_test(test_relayed_ack_addresses),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
