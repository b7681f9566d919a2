// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/sadp.c (and the XML scanner under it): SADP Hello/ProbeMatch XML and 0x8033 frames, cut, hostile and huge inputs. */
#include "fp_unit.h"
#include "xmlscan.h"

static const char probe_match[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
	"<ProbeMatch>\r\n"
	"<Uuid>8D2091BC-1DD2-11B2-807B-8CE748CF9334</Uuid>\r\n"
	"<Types>inquiry</Types>\r\n"
	"<DeviceType>138</DeviceType>\r\n"
	"<DeviceDescription>DS-2CD2042WD-I</DeviceDescription>\r\n"
	"<DeviceSN>DS-2CD2042WD-I20150611CCWR519876543</DeviceSN>\r\n"
	"<CommandPort>8000</CommandPort>\r\n"
	"<HttpPort>80</HttpPort>\r\n"
	"<MAC>44-19-b6-12-34-56</MAC>\r\n"
	"<IPv4Address>192.168.1.64</IPv4Address>\r\n"
	"<IPv4SubnetMask>255.255.255.0</IPv4SubnetMask>\r\n"
	"<IPv4Gateway>192.168.1.1</IPv4Gateway>\r\n"
	"<IPv6Address>::</IPv6Address>\r\n"
	"<DHCP>false</DHCP>\r\n"
	"<AnalogChannelNum>0</AnalogChannelNum>\r\n"
	"<DigitalChannelNum>1</DigitalChannelNum>\r\n"
	"<SoftwareVersion>V5.4.5build 170124</SoftwareVersion>\r\n"
	"<DSPVersion>V7.3 build 170110</DSPVersion>\r\n"
	"<BootTime>2017-05-02 10:11:12</BootTime>\r\n"
	"<Activated>true</Activated>\r\n"
	"<PasswordResetAbility>true</PasswordResetAbility>\r\n"
	"<OEMCode>1</OEMCode>\r\n"
	"<EZVIZCode>false</EZVIZCode>\r\n"
	"</ProbeMatch>\r\n";

static const char hello[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
	"<Hello>\r\n"
	"<Types>hello</Types>\r\n"
	"<DeviceType>2</DeviceType>\r\n"
	"<DeviceDescription>DS-7816H-SNH</DeviceDescription>\r\n"
	"<DeviceSN>DS-7816H-SNH1620140125AACH123456789WCVU</DeviceSN>\r\n"
	"<MAC>c0:56:e3:01:02:03</MAC>\r\n"
	"<SoftwareVersion>V3.4.92 build 170227</SoftwareVersion>\r\n"
	"<OEMCode>false</OEMCode>\r\n"
	"</Hello>\r\n";

static const char probe[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>13A888A9-F1B1-4020-AE9F-05607682D23B</Uuid><Types>inquiry</Types></Probe>";

#define S(x) ((const uint8_t *)(x))

static void test_probe_match(void **state)
{
	struct vw_fp_result r;

	fp_seed("sadp_xml", "probematch", S(probe_match), strlen(probe_match));
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(probe_match), strlen(probe_match), &r), 0);
	assert_int_equal(r.signal, VW_SIG_SADP);
	assert_field(&r, "message", "ProbeMatch");
	assert_field(&r, "device-description", "DS-2CD2042WD-I");
	assert_field(&r, "device-sn", "DS-2CD2042WD-I20150611CCWR519876543");
	assert_field(&r, "mac", "44-19-b6-12-34-56");
	assert_field(&r, "oem-code", "1");
	assert_field(&r, "software-version", "V5.4.5build 170124");
	assert_field(&r, "device-type", "138");
}

static void test_hello(void **state)
{
	struct vw_fp_result r;

	fp_seed("sadp_xml", "hello", S(hello), strlen(hello));
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(hello), strlen(hello), &r), 0);
	assert_field(&r, "message", "Hello");
	assert_field(&r, "device-description", "DS-7816H-SNH");
	assert_field(&r, "mac", "c0:56:e3:01:02:03");
	assert_field(&r, "oem-code", "false");
}

static void test_probe_is_not_a_device(void **state)
{
	struct vw_fp_result r;

	fp_seed("sadp_xml", "probe", S(probe), strlen(probe));
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(probe), strlen(probe), &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S("not xml"), 7, &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S("<Other><MAC>x</MAC></Other>"), 27, &r), -ENOMSG);
}

static void test_entities_cdata_prefixes(void **state)
{
	static const char doc[] =
		"\xEF\xBB\xBF<!-- <Hello> in a comment does not count -->"
		"<!DOCTYPE x [ <!ENTITY boom \"&boom;&boom;\"> ]>"
		"<hik:ProbeMatch xmlns:hik=\"urn:x\" note='a>b'>"
		"<hik:DeviceDescription> DS-2CD&amp;2042 &lt;&#x41;&#66;&gt; &boom; &#0; &#xD800; &#1114112; &#x; &amp</hik:DeviceDescription>"
		"<DeviceSN><![CDATA[DS-<raw>&amp;]]>tail</DeviceSN>"
		"<MAC/>"
		"<SoftwareVersion>\xFF\xFE\xC0\x80</SoftwareVersion>"
		"<OEMCode><!-- c -->&#x4E2D;&#128512;</OEMCode>"
		"</hik:ProbeMatch>";
	struct vw_fp_result r;

	fp_seed("sadp_xml", "entities", S(doc), strlen(doc));
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(doc), strlen(doc), &r), 0);
	assert_field(&r, "message", "ProbeMatch");
	/* Only predefined entities and valid character references decode;
	 * everything else stays verbatim (no DTD entity is ever expanded). */
	assert_field(&r, "device-description",
		     "DS-2CD&2042 <AB> &boom; &#0; &#xD800; &#1114112; &#x; &amp");
	assert_field(&r, "device-sn", "DS-<raw>&amp;tail");
	assert_field(&r, "mac", "");
	assert_field(&r, "software-version", "\xFF\xFE\xC0\x80");
	assert_field(&r, "oem-code", "\xE4\xB8\xAD\xF0\x9F\x98\x80");
}

static void test_truncated_every_length(void **state)
{
	struct vw_fp_result r;
	size_t cut;

	fp_all_prefixes(vw_fp_parse_sadp_xml, S(probe_match), strlen(probe_match));
	fp_all_prefixes(vw_fp_parse_sadp_xml, S(hello), strlen(hello));
	/* Missing closing root tag: complete children kept, damage flagged. */
	cut = strstr(probe_match, "<IPv4Address>") - probe_match;
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(probe_match), cut, &r), -EBADMSG);
	assert_field(&r, "device-description", "DS-2CD2042WD-I");
	assert_field(&r, "mac", "44-19-b6-12-34-56");
	assert_no_field(&r, "software-version");
	/* Cut inside a value: that element is not half-reported. */
	cut = strstr(probe_match, "V5.4.5") - probe_match + 3;
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(probe_match), cut, &r), -EBADMSG);
	assert_no_field(&r, "software-version");
}

static void test_hostile_xml(void **state)
{
	static const char *const docs[] = {
		"<ProbeMatch><DeviceSN>abc",                 /* no closing tags */
		"<ProbeMatch><!-- never ends <DeviceSN>x</DeviceSN></ProbeMatch>",
		"<ProbeMatch><DeviceSN a=\"x>y</DeviceSN></ProbeMatch>",   /* unbalanced quote */
		"<ProbeMatch><DeviceSN><![CDATA[x</DeviceSN></ProbeMatch>",
		"<?xml never ends",
		"<",
		"<ProbeMatch",
		"<ProbeMatch></ProbeMatch></ProbeMatch><MAC>x</MAC>",
		"<ProbeMatch><MAC>&#99999999999;</MAC></ProbeMatch>",
		"<ProbeMatch><MAC>&#xFFFFFFFFFFFF;</MAC></ProbeMatch>",
		"<ProbeMatch><:MAC>x</:MAC><MAC:>y</MAC:></ProbeMatch>",
		"<ProbeMatch/>",
		"<!DOCTYPE [[[>",
	};
	struct vw_fp_result r;

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		fp_parse_exact(vw_fp_parse_sadp_xml, S(docs[i]), strlen(docs[i]), &r);
		fp_all_prefixes(vw_fp_parse_sadp_xml, S(docs[i]), strlen(docs[i]));
	}
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(docs[0]), strlen(docs[0]), &r), -EBADMSG);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, S(docs[11]), strlen(docs[11]), &r), 0);
	assert_field(&r, "message", "ProbeMatch");
}

/* 1 MiB of nesting, of same-named nesting, of '<' and of comment openers:
 * each a linear scan, and all bounded in what they return. */
static void test_huge_xml(void **state)
{
	const size_t mib = 1 << 20;
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	fb_str(&b, "<ProbeMatch>");
	while (b.n < mib)
		fb_str(&b, "<a>");
	fb_str(&b, "<DeviceSN>deep</DeviceSN>");
	assert_int_equal(fp_parse_exact(vw_fp_parse_sadp_xml, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);

	fb_str(&b, "<ProbeMatch>");
	while (b.n < mib)
		fb_str(&b, "<ProbeMatch>");
	assert_int_equal(fp_parse_exact(vw_fp_parse_sadp_xml, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);

	fb_str(&b, "<Hello>");
	while (b.n < mib)
		fb_str(&b, "<");
	assert_int_equal(fp_parse_exact(vw_fp_parse_sadp_xml, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);

	fb_str(&b, "<Hello><MAC>");
	while (b.n < mib)
		fb_str(&b, "&#x41;<!--x-->");
	fb_str(&b, "</MAC></Hello>");
	assert_int_equal(fp_parse_exact(vw_fp_parse_sadp_xml, b.p, b.n, &r), 0);
	fb_free(&b);

	/* A value longer than the field limit is cut and flagged. */
	fb_str(&b, "<Hello><DeviceSN>");
	for (int i = 0; i < 2000; i++)
		fb_str(&b, "A");
	fb_str(&b, "</DeviceSN><MAC>");
	for (int i = 0; i < 2000; i++)
		fb_str(&b, "&amp;");
	fb_str(&b, "</MAC></Hello>");
	assert_int_equal(fp_parse(vw_fp_parse_sadp_xml, b.p, b.n, &r), 0);
	assert_true(vw_fp_get(&r, "device-sn")->truncated);
	assert_int_equal(vw_fp_get(&r, "device-sn")->len, VW_FP_FIELD_MAX);
	assert_true(vw_fp_get(&r, "mac")->truncated);
	fb_free(&b);
}

static void test_xml_scanner_api(void **state)
{
	static const char doc[] = "<r><x>1</x><p:x>2</p:x><x/><y><x>4</x></y></r>";
	struct vw_xml_span c;
	size_t pos = 0;
	uint8_t out[4];

	assert_int_equal(vw_xml_next(S(doc), strlen(doc), &pos, "x", &c), 1);
	assert_true(vw_xml_span_is(c, "1"));
	assert_int_equal(vw_xml_next(S(doc), strlen(doc), &pos, "x", &c), 1);
	assert_true(vw_xml_span_is(c, "2"));
	assert_int_equal(vw_xml_next(S(doc), strlen(doc), &pos, "x", &c), 1);
	assert_int_equal(c.len, 0);
	assert_int_equal(vw_xml_next(S(doc), strlen(doc), &pos, "x", &c), 1);
	assert_true(vw_xml_span_is(c, "4"));
	assert_int_equal(vw_xml_next(S(doc), strlen(doc), &pos, "x", &c), 0);
	/* Output cap: length reported, never written past */
	assert_int_equal(vw_xml_text(S("abcdefgh"), 8, out, sizeof(out)), 8);
	assert_memory_equal(out, "abcd", 4);
}

static void build_eth(struct fbuf *b, uint8_t op)
{
	static const uint8_t mac[6] = { 0x44, 0x19, 0xB6, 0x12, 0x34, 0x56 };

	fb_u8(b, 0x21);
	fb_u8(b, 0x02);
	fb_u8(b, 0x01);
	fb_u8(b, 38 + 208);
	fb_u32le(b, 0x11223344);
	fb_u8(b, 6);
	fb_u8(b, 4);
	fb_u8(b, op);
	fb_u8(b, 0);
	fb_u16(b, 0x1234);
	fb_put(b, mac, 6);
	fb_put(b, "\xC0\xA8\x01\x40", 4);
	fb_put(b, "\xFF\xFF\xFF\xFF\xFF\xFF", 6);
	fb_put(b, "\xFF\xFF\xFF\xFF", 4);
	fb_put(b, "\xFF\xFF\xFF\x00", 4);
	fb_cstr(b, "DS-2CD2042WD-I20150611CCWR519876543", 48);
	fb_u16(b, 0);
	fb_u16(b, 138);     /* dev_type, big-endian */
	fb_u16(b, 0);
	fb_u16(b, 8000);
	fb_u16(b, 0);
	fb_u16(b, 1);
	fb_zero(b, 4);
	fb_cstr(b, "V5.4.5build 170124", 48);
	fb_cstr(b, "V7.3 build 170110", 48);
	fb_cstr(b, "2017-05-02 10:11:12", 48);
}

static void test_eth_inquiry_response(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_eth(&b, 0x04);
	assert_int_equal(b.n, 246);
	fb_zero(&b, 10);   /* Ethernet padding beyond the stated length */
	fp_seed("sadp_eth", "inquiry-response", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_SADP);
	assert_field(&r, "message", "inquiry-response");
	assert_field(&r, "mac", "44:19:b6:12:34:56");
	assert_field(&r, "device-sn", "DS-2CD2042WD-I20150611CCWR519876543");
	assert_field(&r, "device-type", "138");
	assert_field(&r, "software-version", "V5.4.5build 170124");
	fp_all_prefixes(vw_fp_parse_sadp_eth, b.p, b.n);
	/* Cut in the software version: serial and type kept */
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, 120, &r), -EBADMSG);
	assert_field(&r, "device-sn", "DS-2CD2042WD-I20150611CCWR519876543");
	assert_no_field(&r, "software-version");
	fb_free(&b);

	build_eth(&b, 0x02);
	fp_seed("sadp_eth", "device-online", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), 0);
	assert_field(&r, "message", "device-online");
	fb_free(&b);
}

static void test_eth_odd(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* The tool's inquiry says nothing about a device. */
	build_eth(&b, 0x03);
	fp_seed("sadp_eth", "inquiry", b.p, 38);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);

	/* Unknown op: named by number, MAC kept */
	build_eth(&b, 0x55);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), 0);
	assert_field(&r, "message", "op-0x55");
	assert_no_field(&r, "device-sn");
	fb_free(&b);

	/* Length byte lies both ways */
	build_eth(&b, 0x04);
	b.p[3] = 0xFF;
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), -EBADMSG);
	assert_field(&r, "software-version", "V5.4.5build 170124");
	b.p[3] = 0x05;
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);

	/* Serial without a NUL, invalid UTF-8 */
	build_eth(&b, 0x04);
	memset(b.p + 38, 0xFF, 48);
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), 0);
	assert_int_equal(vw_fp_get(&r, "device-sn")->len, 48);
	fb_free(&b);

	/* Not SADP: wrong identifier or address lengths */
	build_eth(&b, 0x04);
	b.p[8] = 8;
	assert_int_equal(fp_parse(vw_fp_parse_sadp_eth, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_match),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_probe_is_not_a_device),
		cmocka_unit_test(test_entities_cdata_prefixes),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_hostile_xml),
		cmocka_unit_test(test_huge_xml),
		cmocka_unit_test(test_xml_scanner_api),
		cmocka_unit_test(test_eth_inquiry_response),
		cmocka_unit_test(test_eth_odd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
