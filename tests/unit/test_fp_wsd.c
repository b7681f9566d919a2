// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/wsd.c: Hikvision ProbeMatches and Dahua Hello with ONVIF scopes, probes, cut and hostile envelopes. */
#include "fp_unit.h"

static const char hik_probe_matches[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
	"<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" "
	"xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
	"xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" "
	"xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">"
	"<env:Header><wsa:MessageID>urn:uuid:3a1b2c3d-0000-1000-8000-4419b6123456</wsa:MessageID>"
	"<wsa:RelatesTo>uuid:0a6dc791-2e0b-4f69-b7e1-96a1c2a8b3d4</wsa:RelatesTo>"
	"<wsa:To env:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
	"<wsa:Action env:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>"
	"<d:AppSequence InstanceId=\"1\" MessageNumber=\"5\"/></env:Header>"
	"<env:Body><d:ProbeMatches><d:ProbeMatch>"
	"<wsa:EndpointReference><wsa:Address>urn:uuid:3a1b2c3d-0000-1000-8000-4419b6123456</wsa:Address></wsa:EndpointReference>"
	"<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>"
	"<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming "
	"onvif://www.onvif.org/MAC/44:19:b6:12:34:56 onvif://www.onvif.org/hardware/DS-2CD2042WD-I "
	"onvif://www.onvif.org/name/HIKVISION%20DS-2CD2042WD-I onvif://www.onvif.org/location/city/hangzhou</d:Scopes>"
	"<d:XAddrs>http://192.168.1.64/onvif/device_service http://[fe80::4619:b6ff:fe12:3456]/onvif/device_service</d:XAddrs>"
	"<d:MetadataVersion>10</d:MetadataVersion>"
	"</d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>";

static const char dahua_hello[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\" ?>"
	"<s:Envelope xmlns:sc=\"http://www.w3.org/2003/05/soap-encoding\" xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
	"xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\" xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "
	"xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">"
	"<s:Header><a:MessageID>uuid:1f2e3d4c-5b6a-7980-a1b2-e0508b123456</a:MessageID>"
	"<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
	"<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</a:Action>"
	"<d:AppSequence InstanceId=\"1702\" MessageNumber=\"1\"></d:AppSequence></s:Header>"
	"<s:Body><d:Hello><a:EndpointReference><a:Address>uuid:1f2e3d4c-5b6a-7980-a1b2-e0508b123456</a:Address></a:EndpointReference>"
	"<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>"
	"<d:Scopes>onvif://www.onvif.org/location/country/china onvif://www.onvif.org/name/Dahua "
	"onvif://www.onvif.org/hardware/IPC-HFW2228M-I1-V2 onvif://www.onvif.org/Profile/Streaming "
	"onvif://www.onvif.org/type/Network_Video_Transmitter onvif://www.onvif.org/extension/unique_identifier</d:Scopes>"
	"<d:XAddrs>http://192.168.1.108/onvif/device_service</d:XAddrs>"
	"<d:MetadataVersion>1</d:MetadataVersion></d:Hello></s:Body></s:Envelope>";

static const char probe[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
	"xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">"
	"<e:Header><w:MessageID>uuid:84ede3de-7dec-11d0-c360-f01234567890</w:MessageID>"
	"<w:To e:mustUnderstand=\"true\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>"
	"<w:Action a:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>"
	"<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>";

#define S(x) ((const uint8_t *)(x))

static bool has_scope(const struct vw_fp_result *r, const char *want)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct vw_fp_field *f = &r->fields[i];

		if (!strcmp(f->name, "scope") && f->len == strlen(want) && !memcmp(f->val, want, f->len))
			return true;
	}
	return false;
}

static void test_hikvision_probe_matches(void **state)
{
	struct vw_fp_result r;

	fp_seed("wsd", "hik-probematches", S(hik_probe_matches), strlen(hik_probe_matches));
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(hik_probe_matches), strlen(hik_probe_matches), &r), 0);
	assert_int_equal(r.signal, VW_SIG_WSD);
	assert_field(&r, "message", "ProbeMatches");
	assert_int_equal(count_field(&r, "scope"), 6);
	assert_true(has_scope(&r, "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2042WD-I"));
	assert_true(has_scope(&r, "onvif://www.onvif.org/hardware/DS-2CD2042WD-I"));
	assert_true(has_scope(&r, "onvif://www.onvif.org/location/city/hangzhou"));
	assert_field(&r, "types", "dn:NetworkVideoTransmitter tds:Device");
	assert_field(&r, "xaddrs",
		     "http://192.168.1.64/onvif/device_service http://[fe80::4619:b6ff:fe12:3456]/onvif/device_service");
}

static void test_dahua_hello(void **state)
{
	struct vw_fp_result r;

	fp_seed("wsd", "dahua-hello", S(dahua_hello), strlen(dahua_hello));
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(dahua_hello), strlen(dahua_hello), &r), 0);
	assert_field(&r, "message", "Hello");
	assert_true(has_scope(&r, "onvif://www.onvif.org/name/Dahua"));
	assert_true(has_scope(&r, "onvif://www.onvif.org/hardware/IPC-HFW2228M-I1-V2"));
	assert_field(&r, "xaddrs", "http://192.168.1.108/onvif/device_service");
}

static void test_probe_and_bye(void **state)
{
	static const char bye[] =
		"<s:Envelope xmlns:s=\"x\"><s:Body><d:Bye><a:EndpointReference><a:Address>uuid:1</a:Address>"
		"</a:EndpointReference></d:Bye></s:Body></s:Envelope>";
	struct vw_fp_result r;

	fp_seed("wsd", "probe", S(probe), strlen(probe));
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(probe), strlen(probe), &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(bye), strlen(bye), &r), -ENOMSG);
	/* SADP shares the multicast group; its XML is not an envelope. */
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S("<Hello><MAC>x</MAC></Hello>"), 27, &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S("M-SEARCH * HTTP/1.1\r\n"), 21, &r), -ENOMSG);
}

static void test_truncated_every_length(void **state)
{
	struct vw_fp_result r;
	size_t cut;

	fp_all_prefixes(vw_fp_parse_wsd, S(hik_probe_matches), strlen(hik_probe_matches));
	fp_all_prefixes(vw_fp_parse_wsd, S(dahua_hello), strlen(dahua_hello));
	fp_all_prefixes(vw_fp_parse_wsd, S(probe), strlen(probe));
	/* Cut after the scopes: they survive, the damage is reported. */
	cut = strstr(hik_probe_matches, "<d:XAddrs>") - hik_probe_matches + 12;
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(hik_probe_matches), cut, &r), -EBADMSG);
	assert_field(&r, "message", "ProbeMatches");
	assert_true(has_scope(&r, "onvif://www.onvif.org/hardware/DS-2CD2042WD-I"));
	assert_no_field(&r, "xaddrs");
}

static void test_scope_filtering_and_caps(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	fb_str(&b, "<Envelope><Body><Hello><Scopes>\r\n\t http://example.com/x ONVIF://WWW.ONVIF.ORG/name/Hik&amp;Co "
		   "onvif://www.onvif.org/ onvif://www.onvif.org/name/\xFF\xFE ");
	for (int i = 0; i < 40; i++)
		fb_str(&b, "onvif://www.onvif.org/Profile/Streaming ");
	fb_str(&b, "</Scopes><Types>");
	for (int i = 0; i < 1000; i++)
		fb_str(&b, "tds:Device ");
	fb_str(&b, "</Types></Hello></Body></Envelope>");
	assert_int_equal(fp_parse(vw_fp_parse_wsd, b.p, b.n, &r), 0);
	/* Non-ONVIF and bare-prefix scopes dropped; decoded; bytes kept. */
	assert_false(has_scope(&r, "http://example.com/x"));
	assert_true(has_scope(&r, "ONVIF://WWW.ONVIF.ORG/name/Hik&Co"));
	assert_true(has_scope(&r, "onvif://www.onvif.org/name/\xFF\xFE"));
	assert_int_equal(count_field(&r, "scope"), 16);
	f = vw_fp_get(&r, "types");
	assert_non_null(f);
	assert_true(f->truncated);
	fb_free(&b);
}

static void test_hostile_envelopes(void **state)
{
	static const char *const docs[] = {
		"<s:Envelope><s:Header/></s:Envelope>",                 /* no Body */
		"<s:Envelope><s:Body>",                                 /* empty, cut */
		"<s:Envelope><s:Body><d:Hello><d:Scopes>onvif://www.onvif.org/name/x",
		"<s:Envelope><s:Body>text<d:Hello/></s:Body></s:Envelope>",
		"<s:Envelope><s:Body><d:Hello/></s:Body></s:Envelope>",
		"<s:Envelope><s:Body><!-- unterminated",
		"<s:Envelope><s:Body><d:Hello><d:Scopes><![CDATA[onvif://www.onvif.org/name/cdata]]></d:Scopes></d:Hello></s:Body></s:Envelope>",
		"<s:Envelope><s:Body><s:Body><d:Hello></s:Body>",
	};
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		fp_parse_exact(vw_fp_parse_wsd, S(docs[i]), strlen(docs[i]), &r);
		fp_all_prefixes(vw_fp_parse_wsd, S(docs[i]), strlen(docs[i]));
	}
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(docs[0]), strlen(docs[0]), &r), -EBADMSG);
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(docs[2]), strlen(docs[2]), &r), -EBADMSG);
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(docs[4]), strlen(docs[4]), &r), 0);
	assert_int_equal(fp_parse(vw_fp_parse_wsd, S(docs[6]), strlen(docs[6]), &r), 0);
	assert_true(has_scope(&r, "onvif://www.onvif.org/name/cdata"));

	/* 1 MiB of nested elements inside the Body */
	fb_str(&b, "<s:Envelope><s:Body><d:Hello>");
	while (b.n < (1 << 20))
		fb_str(&b, "<d:Scopes><x>");
	assert_int_equal(fp_parse_exact(vw_fp_parse_wsd, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	/* 1 MiB of Scopes elements: only the first few are read */
	fb_str(&b, "<s:Envelope><s:Body><d:Hello>");
	while (b.n < (1 << 20))
		fb_str(&b, "<d:Scopes>onvif://www.onvif.org/name/a</d:Scopes>");
	fb_str(&b, "</d:Hello></s:Body></s:Envelope>");
	assert_int_equal(fp_parse_exact(vw_fp_parse_wsd, b.p, b.n, &r), 0);
	fb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hikvision_probe_matches),
		cmocka_unit_test(test_dahua_hello),
		cmocka_unit_test(test_probe_and_bye),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_scope_filtering_and_caps),
		cmocka_unit_test(test_hostile_envelopes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
