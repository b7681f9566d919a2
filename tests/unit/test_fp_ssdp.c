// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/ssdp.c: Huawei/ZTE NOTIFYs and search responses, M-SEARCH requests that must not count, and malformed datagrams. */
#include "fp_unit.h"

static const char huawei_notify[] =
	"NOTIFY * HTTP/1.1\r\n"
	"HOST: 239.255.255.250:1900\r\n"
	"CACHE-CONTROL: max-age=1800\r\n"
	"LOCATION: http://192.168.100.1:49652/49652gatedesc.xml\r\n"
	"NT: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
	"NTS: ssdp:alive\r\n"
	"SERVER: Linux UPnP/1.0 Huawei-ATP-IGD\r\n"
	"USN: uuid:00e0fc37-2626-2828-2600-587f668e2d3d::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
	"\r\n";

static const char zte_response[] =
	"HTTP/1.1 200 OK\r\n"
	"CACHE-CONTROL: max-age=120\r\n"
	"ST: upnp:rootdevice\r\n"
	"USN: uuid:fc6e2a3c-0000-0000-0000-00d0d0123456::upnp:rootdevice\r\n"
	"EXT:\r\n"
	"server: ZTE/1.0 UPnP/1.1 miniupnpd/1.9\r\n"
	"location: http://192.168.1.1:5431/rootDesc.xml\r\n"
	"\r\n";

static const char huawei_sdk_notify[] =
	"NOTIFY * HTTP/1.1\r\n"
	"Host:239.255.255.250:1900\r\n"
	"NT:upnp:rootdevice\r\n"
	"NTS:ssdp:alive\r\n"
	"Server:PACKAGE_VERSION HUAWEI, UPnP, HUAWEI SDK for UPnP devices/\r\n"
	"USN:uuid:3d2c1b0a::upnp:rootdevice\r\n"
	"Location:http://192.168.3.1:52869/desc.xml\r\n"
	"Cache-Control:max-age=1800";   /* no final CR LF, no blank line */

static const char msearch[] =
	"M-SEARCH * HTTP/1.1\r\n"
	"HOST: 239.255.255.250:1900\r\n"
	"MAN: \"ssdp:discover\"\r\n"
	"MX: 2\r\n"
	"ST: ssdp:all\r\n"
	"SERVER: Linux UPnP/1.0 Huawei-ATP-IGD\r\n"
	"USER-AGENT: Google Chrome/120.0 Windows\r\n"
	"\r\n";

static void test_huawei_notify(void **state)
{
	struct vw_fp_result r;

	fp_seed("ssdp", "huawei-atp-notify", (const uint8_t *)huawei_notify, strlen(huawei_notify));
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)huawei_notify, strlen(huawei_notify), &r), 0);
	assert_int_equal(r.signal, VW_SIG_SSDP);
	assert_field(&r, "server", "Linux UPnP/1.0 Huawei-ATP-IGD");
	assert_field(&r, "nt", "urn:schemas-upnp-org:device:InternetGatewayDevice:1");
	assert_field(&r, "location", "http://192.168.100.1:49652/49652gatedesc.xml");
	assert_field(&r, "usn", "uuid:00e0fc37-2626-2828-2600-587f668e2d3d::urn:schemas-upnp-org:device:InternetGatewayDevice:1");
	assert_no_field(&r, "st");
}

static void test_zte_response(void **state)
{
	struct vw_fp_result r;

	fp_seed("ssdp", "zte-msearch-response", (const uint8_t *)zte_response, strlen(zte_response));
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)zte_response, strlen(zte_response), &r), 0);
	assert_field(&r, "server", "ZTE/1.0 UPnP/1.1 miniupnpd/1.9");
	assert_field(&r, "st", "upnp:rootdevice");
	assert_field(&r, "location", "http://192.168.1.1:5431/rootDesc.xml");
	assert_no_field(&r, "nt");
}

/* One datagram is the whole message: no blank line and no final CR LF
 * still parse. */
static void test_unterminated_datagram(void **state)
{
	struct vw_fp_result r;

	fp_seed("ssdp", "huawei-sdk-notify", (const uint8_t *)huawei_sdk_notify, strlen(huawei_sdk_notify));
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)huawei_sdk_notify,
				  strlen(huawei_sdk_notify), &r), 0);
	assert_field(&r, "server", "PACKAGE_VERSION HUAWEI, UPnP, HUAWEI SDK for UPnP devices/");
	assert_field(&r, "nt", "upnp:rootdevice");
	assert_field(&r, "location", "http://192.168.3.1:52869/desc.xml");
}

static void test_msearch_and_others(void **state)
{
	static const char *no[] = {
		msearch,
		"GET /rootDesc.xml HTTP/1.1\r\nHost: x\r\n\r\n",
		"HTTP/1.1 404 Not Found\r\nSERVER: Huawei\r\n\r\n",
		"notify * HTTP/1.1\r\nSERVER: lower-case method\r\n\r\n",
		"",
	};
	struct vw_fp_result r;

	fp_seed("ssdp", "msearch", (const uint8_t *)msearch, strlen(msearch));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)no[i], strlen(no[i]), &r), -ENOMSG);
	/* A NOTIFY with nothing we keep. */
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)"NOTIFY * HTTP/1.1\r\nNTS: x\r\n\r\n", 29, &r),
			 -ENOMSG);
	/* Start line without its newline. */
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)"NOTIFY * HTTP/1.1", 17, &r), -EBADMSG);
}

static void test_body_and_duplicates(void **state)
{
	static const char m[] =
		"NOTIFY * HTTP/1.1\r\nSERVER: first\r\nSERVER: second\r\n\r\nSERVER: in-body\r\nUSN: body\r\n";
	struct vw_fp_result r;

	assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)m, strlen(m), &r), 0);
	assert_field(&r, "server", "first");
	assert_int_equal(count_field(&r, "server"), 1);
	assert_no_field(&r, "usn");
}

static void test_truncated_every_length(void **state)
{
	const char *all[] = { huawei_notify, zte_response, huawei_sdk_notify, msearch };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		fp_all_prefixes(vw_fp_parse_ssdp, (const uint8_t *)all[i], strlen(all[i]));
}

static void test_utf8_and_huge(void **state)
{
	static const char junk[] = "NOTIFY * HTTP/1.1\r\nSERVER: \xc0\x80\xff\xfe\x00x\r\n\r\n";
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	fp_seed("ssdp", "invalid-utf8", (const uint8_t *)junk, sizeof(junk) - 1);
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, (const uint8_t *)junk, sizeof(junk) - 1, &r), 0);
	f = vw_fp_get(&r, "server");
	assert_int_equal(f->len, 6);
	/* 1 MiB of headers: the header cap stops the walk. */
	fb_str(&b, "NOTIFY * HTTP/1.1\r\nSERVER: Huawei-ATP-IGD\r\n");
	while (b.n < (1u << 20))
		fb_str(&b, "X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
	fb_str(&b, "USN: never\r\n\r\n");
	assert_int_equal(fp_parse_exact(vw_fp_parse_ssdp, b.p, b.n, &r), -EBADMSG);
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "server", "Huawei-ATP-IGD");
	assert_no_field(&r, "usn");
	fb_free(&b);
	/* one 1 MiB line */
	fb_str(&b, "NOTIFY * HTTP/1.1\r\nSERVER: ");
	while (b.n < (1u << 20))
		fb_str(&b, "Huawei ");
	assert_int_equal(fp_parse_exact(vw_fp_parse_ssdp, b.p, b.n, &r), 0);
	assert_int_equal(fp_parse(vw_fp_parse_ssdp, b.p, b.n, &r), 0);
	assert_true(vw_fp_get(&r, "server")->truncated);
	fb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huawei_notify),
		cmocka_unit_test(test_zte_response),
		cmocka_unit_test(test_unterminated_datagram),
		cmocka_unit_test(test_msearch_and_others),
		cmocka_unit_test(test_body_and_duplicates),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_utf8_and_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
