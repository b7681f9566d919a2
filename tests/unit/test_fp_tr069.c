// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/tr069.c: Huawei and ZTE CWMP Informs in an HTTP POST or a body-only segment, ACS traffic that must not count, and malformed HTTP/XML. */
#include "fp_unit.h"

#define POST_HEADERS \
	"POST /acs HTTP/1.1\r\n" \
	"Host: acs.example.net:7547\r\n" \
	"User-Agent: HW_ATP_HTTP\r\n" \
	"Content-Type: text/xml; charset=\"utf-8\"\r\n" \
	"SOAPAction: \"\"\r\n" \
	"Content-Length: 1234\r\n" \
	"\r\n"

#define ENVELOPE_OPEN \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" " \
	"xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">" \
	"<SOAP-ENV:Header><cwmp:ID SOAP-ENV:mustUnderstand=\"1\">1</cwmp:ID></SOAP-ENV:Header>" \
	"<SOAP-ENV:Body>"

#define ENVELOPE_CLOSE "</SOAP-ENV:Body></SOAP-ENV:Envelope>"

#define HUAWEI_INFORM \
	"<cwmp:Inform>\n" \
	"<DeviceId>\n" \
	"  <Manufacturer>Huawei Technologies Co., Ltd</Manufacturer>\n" \
	"  <OUI>00E0FC</OUI>\n" \
	"  <ProductClass>HG8245H</ProductClass>\n" \
	"  <SerialNumber>48575443A1B2C3D4</SerialNumber>\n" \
	"</DeviceId>\n" \
	"<Event SOAP-ENC:arrayType=\"cwmp:EventStruct[1]\"><EventStruct><EventCode>0 BOOTSTRAP</EventCode>" \
	"<CommandKey></CommandKey></EventStruct></Event>\n" \
	"<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00</CurrentTime><RetryCount>0</RetryCount>\n" \
	"<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterValueStruct[2]\">" \
	"<ParameterValueStruct><Name>InternetGatewayDevice.DeviceInfo.Manufacturer</Name>" \
	"<Value>Not this one</Value></ParameterValueStruct>" \
	"<ParameterValueStruct><Name>InternetGatewayDevice.X_HW_DEBUG.AdminTR069</Name>" \
	"<Value>1</Value></ParameterValueStruct></ParameterList>\n" \
	"</cwmp:Inform>"

static const char huawei_post[] = POST_HEADERS ENVELOPE_OPEN HUAWEI_INFORM ENVELOPE_CLOSE;

/* A later TCP segment: all body, no request line. Children out of schema
 * order, an entity to decode. */
static const char zte_body[] =
	ENVELOPE_OPEN
	"<cwmp:Inform><DeviceId><SerialNumber>ZTEGC8123456</SerialNumber>"
	"<ProductClass>F6600P</ProductClass><OUI>00D0D0</OUI>"
	"<Manufacturer>ZTE &amp; Co</Manufacturer></DeviceId>"
	"<ParameterList><ParameterValueStruct><Name>InternetGatewayDevice.WANDevice.1."
	"X_ZTE-COM_WANPONInterfaceConfig.RXPower</Name><Value>-18</Value></ParameterValueStruct>"
	"</ParameterList></cwmp:Inform>"
	ENVELOPE_CLOSE;

static void test_huawei_inform(void **state)
{
	struct vw_fp_result r;

	fp_seed("tr069", "huawei-inform-post", (const uint8_t *)huawei_post, strlen(huawei_post));
	assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)huawei_post, strlen(huawei_post), &r), 0);
	assert_int_equal(r.signal, VW_SIG_TR069);
	assert_field(&r, "manufacturer", "Huawei Technologies Co., Ltd");
	assert_field(&r, "oui", "00E0FC");
	assert_field(&r, "product-class", "HG8245H");
	assert_field(&r, "serial", "48575443A1B2C3D4");
	assert_int_equal(count_field(&r, "manufacturer"), 1);
}

static void test_zte_body_segment(void **state)
{
	struct vw_fp_result r;

	fp_seed("tr069", "zte-inform-body", (const uint8_t *)zte_body, strlen(zte_body));
	assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)zte_body, strlen(zte_body), &r), 0);
	assert_field(&r, "manufacturer", "ZTE & Co");
	assert_field(&r, "oui", "00D0D0");
	assert_field(&r, "product-class", "F6600P");
	assert_field(&r, "serial", "ZTEGC8123456");
}

static void test_not_inform(void **state)
{
	static const char *no[] = {
		/* the ACS's answer */
		"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n" ENVELOPE_OPEN
		"<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>" ENVELOPE_CLOSE,
		/* an ACS connection request to the CPE's port 7547 */
		"GET /tr069 HTTP/1.1\r\nHost: 10.0.0.1:7547\r\n\r\n",
		/* an empty POST that ends the session */
		"POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
		/* a POST carrying another RPC */
		POST_HEADERS ENVELOPE_OPEN "<cwmp:GetParameterValuesResponse><ParameterList>"
		"<DeviceId><Manufacturer>Huawei</Manufacturer></DeviceId></ParameterList>"
		"</cwmp:GetParameterValuesResponse>" ENVELOPE_CLOSE,
		/* an Inform whose DeviceId is missing */
		ENVELOPE_OPEN "<cwmp:Inform><Manufacturer>Huawei</Manufacturer></cwmp:Inform>" ENVELOPE_CLOSE,
		"",
	};
	struct vw_fp_result r;

	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)no[i], strlen(no[i]), &r), -ENOMSG);
}

static void test_truncated(void **state)
{
	const char *cut = strstr(huawei_post, "  <ProductClass>") + 8;
	struct vw_fp_result r;

	assert_true(fp_all_prefixes(vw_fp_parse_tr069, (const uint8_t *)huawei_post, strlen(huawei_post)) > 0);
	fp_all_prefixes(vw_fp_parse_tr069, (const uint8_t *)zte_body, strlen(zte_body));
	/* Cut inside DeviceId: the complete children before the cut stay. */
	assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)huawei_post,
				  (size_t)(cut - huawei_post), &r), -EBADMSG);
	assert_field(&r, "manufacturer", "Huawei Technologies Co., Ltd");
	assert_field(&r, "oui", "00E0FC");
	assert_no_field(&r, "product-class");
	/* Headers without their blank line. */
	assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)huawei_post, 60, &r), -EBADMSG);
	assert_int_equal(r.n, 0);
}

static void test_malformed_xml(void **state)
{
	static const char noclose[] = ENVELOPE_OPEN "<cwmp:Inform><DeviceId><OUI>00E0FC</OUI>"
				      "<Manufacturer>Huawei</Manufacturer</DeviceId></cwmp:Inform>" ENVELOPE_CLOSE;
	static const char nogt[] = ENVELOPE_OPEN "<cwmp:Inform><DeviceId><OUI>00E0FC</OUI><Manufacturer";
	static const char utf8[] = "<cwmp:Inform><DeviceId><Manufacturer>\xff\xfe\xc0\x80Hua\xe5\x8d</Manufacturer>"
				   "</DeviceId></cwmp:Inform>";
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	fp_seed("tr069", "missing-gt", (const uint8_t *)noclose, strlen(noclose));
	assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)noclose, strlen(noclose), &r), -EBADMSG);
	assert_field(&r, "oui", "00E0FC");
	assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)nogt, strlen(nogt), &r), -EBADMSG);
	assert_field(&r, "oui", "00E0FC");
	assert_no_field(&r, "manufacturer");
	fp_seed("tr069", "invalid-utf8", (const uint8_t *)utf8, strlen(utf8));
	assert_int_equal(fp_parse(vw_fp_parse_tr069, (const uint8_t *)utf8, strlen(utf8), &r), 0);
	f = vw_fp_get(&r, "manufacturer");
	assert_int_equal(f->len, 9);
}

static void test_huge(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result *r = malloc(sizeof(*r));

	/* 1 MiB of headers: the header cap says damaged, nothing read. */
	fb_str(&b, "POST /acs HTTP/1.1\r\n");
	while (b.n < (1u << 20))
		fb_str(&b, "X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
	fb_str(&b, "\r\n" ENVELOPE_OPEN HUAWEI_INFORM ENVELOPE_CLOSE);
	assert_int_equal(fp_parse_exact(vw_fp_parse_tr069, b.p, b.n, r), -EBADMSG);
	fb_free(&b);
	/* 10 000 nested elements around the Inform, then a 1 MiB value. */
	fb_str(&b, POST_HEADERS);
	for (int i = 0; i < 10000; i++)
		fb_str(&b, "<a>");
	fb_str(&b, "<cwmp:Inform><DeviceId><OUI>00E0FC</OUI><ProductClass>");
	for (int i = 0; i < (1 << 16); i++)
		fb_str(&b, "HG8245H HG8245H ");
	fb_str(&b, "</ProductClass></DeviceId></cwmp:Inform>");
	for (int i = 0; i < 10000; i++)
		fb_str(&b, "</a>");
	assert_int_equal(fp_parse_exact(vw_fp_parse_tr069, b.p, b.n, r), 0);
	assert_int_equal(fp_parse(vw_fp_parse_tr069, b.p, b.n, r), 0);
	assert_true(vw_fp_get(r, "product-class")->truncated);
	assert_field(r, "oui", "00E0FC");
	fb_free(&b);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huawei_inform),
		cmocka_unit_test(test_zte_body_segment),
		cmocka_unit_test(test_not_inform),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed_xml),
		cmocka_unit_test(test_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
