// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/dhip.c: DHIP notifyDevInfo and search, the legacy 5050 reply, lying lengths, cut, deep and huge JSON. */
#include "fp_unit.h"

static const char dev_info[] =
	"{\"mac\":\"e0:50:8b:12:34:56\",\"method\":\"client.notifyDevInfo\",\"params\":{\"deviceInfo\":"
	"{\"AlarmInputChannels\":2,\"DeviceClass\":\"IPC\",\"DeviceType\":\"IPC-HFW2431S-S-S2\",\"HttpPort\":80,"
	"\"IPv4Address\":{\"DefaultGateway\":\"192.168.1.1\",\"DhcpEnable\":false,\"IPAddress\":\"192.168.1.108\","
	"\"SubnetMask\":\"255.255.255.0\"},\"IPv6Address\":{\"DefaultGateway\":\"\",\"DhcpEnable\":false,"
	"\"IPAddress\":\"/64\",\"LinkLocalAddress\":\"fe80::e250:8bff:fe12:3456/64\"},"
	"\"MachineName\":\"5J0012BPAZ12345\",\"Port\":37777,\"SerialNo\":\"5J0012BPAZ12345\","
	"\"Vendor\":\"Private\",\"Version\":\"2.800.0000000.16.R\"}}}";

static const char search[] = "{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\",\"uni\":1}}";

static void dhip(struct fbuf *b, const void *body, size_t n, uint32_t stated)
{
	fb_u32le(b, 0x20);
	fb_str(b, "DHIP");
	fb_zero(b, 8);
	fb_u32le(b, stated);
	fb_zero(b, 4);
	fb_u32le(b, stated);
	fb_zero(b, 4);
	fb_put(b, body, n);
}

static void test_notify_dev_info(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	dhip(&b, dev_info, strlen(dev_info), strlen(dev_info));
	fp_seed("dhip", "notify-devinfo", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_DHIP);
	assert_field(&r, "magic", "DHIP");
	assert_field(&r, "method", "client.notifyDevInfo");
	assert_field(&r, "mac", "e0:50:8b:12:34:56");
	assert_field(&r, "device-type", "IPC-HFW2431S-S-S2");
	assert_field(&r, "serial", "5J0012BPAZ12345");
	assert_field(&r, "vendor", "Private");
	assert_field(&r, "version", "2.800.0000000.16.R");
	assert_field(&r, "machine-name", "5J0012BPAZ12345");
	/* Trailing bytes beyond the stated body are not JSON's business. */
	fb_put(&b, "\0\0garbage", 9);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), 0);
	fb_free(&b);
}

static void test_search_is_not_a_device(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	dhip(&b, search, strlen(search), strlen(search));
	fp_seed("dhip", "search", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

static void test_truncated_every_length(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	dhip(&b, dev_info, strlen(dev_info), strlen(dev_info));
	fp_all_prefixes(vw_fp_parse_dhip, b.p, b.n);
	/* JSON cut: the magic survives, damage reported */
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n - 10, &r), -EBADMSG);
	assert_field(&r, "magic", "DHIP");
	assert_no_field(&r, "serial");
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, 20, &r), -EBADMSG);
	fb_free(&b);
}

static void test_lying_lengths(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* States 4 GiB: read only what is there, flag it */
	dhip(&b, dev_info, strlen(dev_info), 0xFFFFFFFF);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "serial", "5J0012BPAZ12345");
	fb_free(&b);
	/* States less than there is: JSON cut by the header's own word */
	dhip(&b, dev_info, strlen(dev_info), 40);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	/* Zero body */
	dhip(&b, "", 0, 0);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	/* Wrong magic */
	dhip(&b, dev_info, strlen(dev_info), strlen(dev_info));
	b.p[7] = 'X';
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

static void test_hostile_json(void **state)
{
	static const char *const bodies[] = {
		"[1,2,3]",
		"{\"params\":\"deviceInfo\"}",
		"{\"params\":{\"deviceInfo\":[\"SerialNo\"]}}",
		"{\"params\":{\"deviceInfo\":{\"SerialNo\":12345,\"Vendor\":null,\"DeviceType\":{}}}}",
		"{\"method\":7,\"mac\":true}",
		"{\"params\":{\"deviceInfo\":{\"SerialNo\":\"\xFF\xFE\xC0\x80\",\"Vendor\":\"\\u0000x\\ud800\"}}}",
		"{\"a\":\"unterminated",
		"{\"a\":1}{\"b\":2}",
		"\"just a string\"",
		"{\"params\":{\"deviceInfo\":{\"Vendor\":\"Dahua\",\"Vendor\":\"Other\"}}}",
	};
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		dhip(&b, bodies[i], strlen(bodies[i]), strlen(bodies[i]));
		fp_parse_exact(vw_fp_parse_dhip, b.p, b.n, &r);
		fp_all_prefixes(vw_fp_parse_dhip, b.p, b.n);
		fb_free(&b);
	}
	/* Numbers where strings belong are ignored, not coerced */
	dhip(&b, bodies[3], strlen(bodies[3]), strlen(bodies[3]));
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), 0);
	assert_no_field(&r, "serial");
	fb_free(&b);
	/* Raw invalid UTF-8 and an escaped NUL: copied as bytes */
	dhip(&b, bodies[5], strlen(bodies[5]), strlen(bodies[5]));
	fp_parse(vw_fp_parse_dhip, b.p, b.n, &r);
	fb_free(&b);
}

static void test_deep_and_huge_json(void **state)
{
	struct fbuf body = { 0 }, b = { 0 };
	struct vw_fp_result r;

	/* 10k-deep arrays: refused by the tokener's depth limit */
	for (int i = 0; i < 10000; i++)
		fb_str(&body, "[");
	for (int i = 0; i < 10000; i++)
		fb_str(&body, "]");
	dhip(&b, body.p, body.n, body.n);
	assert_int_equal(fp_parse_exact(vw_fp_parse_dhip, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	fb_free(&body);

	/* Depth just inside the limit still parses */
	fb_str(&body, "{\"params\":{\"deviceInfo\":{\"SerialNo\":\"X\",\"n\":[[[[1]]]]}}}");
	dhip(&b, body.p, body.n, body.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), 0);
	assert_field(&r, "serial", "X");
	fb_free(&b);
	fb_free(&body);

	/* 1 MiB body: over the cap, never handed to json-c */
	fb_str(&body, "{\"params\":{\"deviceInfo\":{\"SerialNo\":\"");
	while (body.n < (1 << 20))
		fb_str(&body, "AAAAAAAA");
	fb_str(&body, "\"}}}");
	dhip(&b, body.p, body.n, body.n);
	assert_int_equal(fp_parse_exact(vw_fp_parse_dhip, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	fb_free(&body);

	/* A long value under the cap is truncated by the field limit */
	fb_str(&body, "{\"params\":{\"deviceInfo\":{\"SerialNo\":\"");
	for (int i = 0; i < 3000; i++)
		fb_str(&body, "A");
	fb_str(&body, "\"}}}");
	dhip(&b, body.p, body.n, body.n);
	assert_int_equal(fp_parse(vw_fp_parse_dhip, b.p, b.n, &r), 0);
	assert_true(vw_fp_get(&r, "serial")->truncated);
	fb_free(&b);
	fb_free(&body);
}

static void build_5050(struct fbuf *b)
{
	static const char s2[] = "90:02:a9:12:34:56DH-IPC-HDW4300C";
	static const char s3[] = "SerialNo:2K01234PAZ00001\r\nIPv6Addr:fe80::1\r\nVendor:Dahua\r\n";

	fb_u8(b, 0xB3);
	fb_u8(b, 0x00);
	fb_u8(b, (uint8_t)strlen(s2));
	fb_u8(b, 0x00);
	fb_u32le(b, 0x58);
	fb_zero(b, 8);
	fb_u32le(b, 2);                    /* protocol version */
	fb_u8(b, (uint8_t)strlen(s3));     /* section 3 length, LE16 */
	fb_u8(b, 0);
	fb_zero(b, 18);
	fb_cstr(b, "IPC-HDW4300C", 16);    /* 0x28 */
	fb_put(b, "\xC0\xA8\x01\x6C", 4);
	fb_put(b, "\xFF\xFF\xFF\x00", 4);
	fb_put(b, "\xC0\xA8\x01\x01", 4);
	fb_put(b, "\x08\x08\x08\x08", 4);
	fb_zero(b, 48);
	assert_int_equal(b->n, 120);
	fb_str(b, s2);
	fb_str(b, s3);
}

static void test_legacy_5050(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	static const uint8_t request[32] = { 0xA3, 0x01, 0x00, 0x01, [16] = 0x02 };

	build_5050(&b);
	fp_seed("dahua5050", "reply", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dahua5050, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_DHIP);
	assert_field(&r, "magic", "B3");
	assert_field(&r, "mac", "90:02:a9:12:34:56");
	assert_field(&r, "device-type", "DH-IPC-HDW4300C");
	assert_field(&r, "serial", "2K01234PAZ00001");
	assert_field(&r, "vendor", "Dahua");
	fp_all_prefixes(vw_fp_parse_dahua5050, b.p, b.n);
	/* Cut after section 1: the short type from the fixed field */
	assert_int_equal(fp_parse(vw_fp_parse_dahua5050, b.p, 100, &r), -EBADMSG);
	assert_field(&r, "device-type", "IPC-HDW4300C");
	/* Section lengths lying past the end */
	b.p[2] = 0xFF;
	assert_int_equal(fp_parse(vw_fp_parse_dahua5050, b.p, b.n, &r), -EBADMSG);
	b.p[2] = 17;
	b.p[20] = 0xFF;
	b.p[21] = 0xFF;
	assert_int_equal(fp_parse(vw_fp_parse_dahua5050, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "device-type", "IPC-HDW4300C");
	fb_free(&b);

	fp_seed("dahua5050", "request", request, sizeof(request));
	assert_int_equal(fp_parse(vw_fp_parse_dahua5050, request, sizeof(request), &r), -ENOMSG);

	/* Thousands of short lines: bounded */
	build_5050(&b);
	b.n = 120 + 17;
	b.p[2] = 17;
	for (int i = 0; i < 5000; i++)
		fb_str(&b, "\n");
	fb_str(&b, "SerialNo:late\n");
	b.p[20] = (5000 + 14) & 0xFF;
	b.p[21] = (5000 + 14) >> 8;
	assert_int_equal(fp_parse(vw_fp_parse_dahua5050, b.p, b.n, &r), 0);
	assert_no_field(&r, "serial");
	fb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify_dev_info),
		cmocka_unit_test(test_search_is_not_a_device),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_hostile_json),
		cmocka_unit_test(test_deep_and_huge_json),
		cmocka_unit_test(test_legacy_5050),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
