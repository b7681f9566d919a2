/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests for daemon/lib/fp/xmlscan.c's one-pass lookup: vw_xml_each gives every name what vw_xml_next from position 0 gives it, on documents cut at every length (unterminated markup, unclosed elements, trailing text, names inside comments, CDATA and attribute values, same-name nesting). */
#include "unit.h"
#include "xmlscan.h"

static const char *const docs[] = {
	"<?xml version=\"1.0\"?><ProbeMatch><Uuid>1</Uuid><DeviceType>138</DeviceType>"
	"<DeviceDescription>DS-2CD2143G0-I</DeviceDescription><MAC>44-19-b6-01-02-03</MAC>"
	"<SoftwareVersion>V5.5.0</SoftwareVersion></ProbeMatch>\r\n",
	"<a><!-- <MAC>no</MAC> --><x y='<MAC>'/><![CDATA[<MAC>c</MAC>]]><MAC>a<MAC>b</MAC>c</MAC><s:MAC/></a>",
	"<d:Hello><d:Types>dn:NVT</d:Types><d:Scopes>onvif://www.onvif.org/name/X</d:Scopes>"
	"<d:XAddrs>http://10.0.0.6/onvif</d:XAddrs><d:Types>second</d:Types></d:Hello>",
	"<r><MAC x=\"a>b\">v</MAC></MAC><DeviceType/><DeviceType>t</DeviceType></r>",
};

static const char *const names[] = { "MAC", "DeviceType", "DeviceDescription", "Types", "XAddrs",
				     "Scopes", "Uuid", "SoftwareVersion", "absent", "" };
#define N_NAMES (sizeof(names) / sizeof(names[0]))

static void test_each_equals_next(void **state)
{
	size_t compared = 0;

	(void)state;
	for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
		const uint8_t *p = (const uint8_t *)docs[d];
		size_t full = strlen(docs[d]);

		for (size_t len = 0; len <= full; len++) {
			struct vw_xml_span c[N_NAMES];
			int rc[N_NAMES];

			assert_int_equal(vw_xml_each(p, len, names, N_NAMES, c, rc), 0);
			for (size_t k = 0; k < N_NAMES; k++) {
				struct vw_xml_span one;
				size_t pos = 0;
				int want = vw_xml_next(p, len, &pos, names[k], &one);

				if (want != rc[k] || one.p != c[k].p || one.len != c[k].len)
					fail_msg("doc %zu cut at %zu, <%s>: next %d (%zu@%td), each %d (%zu@%td)",
						 d, len, names[k], want, one.len, one.p - p, rc[k], c[k].len, c[k].p - p);
				compared++;
			}
		}
	}
	assert_true(compared > 1000);
}

/* vw_xml_add_each adds what vw_xml_add_next per element would, in order. */
static void test_add_each_fields(void **state)
{
	static const struct vw_xml_want want[] = {
		{ "DeviceDescription", "device-description" }, { "MAC", "mac" }, { "OEMCode", "oem-code" },
		{ "DeviceType", "device-type" },
	};
	const uint8_t *p = (const uint8_t *)docs[0];
	struct vw_fp_result a, b;
	int bad = 0;

	(void)state;
	vw_fp_reset(&a, VW_SIG_SADP);
	vw_fp_reset(&b, VW_SIG_SADP);
	for (size_t k = 0; k < 4; k++) {
		size_t pos = 0;

		if (vw_xml_add_next(&b, want[k].field, p, strlen(docs[0]), &pos, want[k].elem) < 0)
			bad = -EBADMSG;
	}
	/* The trailing CR LF after the root makes an absent element's
	 * search end in text, which vw_xml_next calls damage: so must this. */
	assert_int_equal(bad, -EBADMSG);
	assert_int_equal(vw_xml_add_each(&a, p, strlen(docs[0]), want, 4), bad);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_string_equal(a.fields[i].name, b.fields[i].name);
		assert_int_equal(a.fields[i].len, b.fields[i].len);
		assert_memory_equal(a.fields[i].val, b.fields[i].val, a.fields[i].len);
	}
	assert_string_equal(a.fields[1].name, "mac");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_equals_next),
		cmocka_unit_test(test_add_each_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
