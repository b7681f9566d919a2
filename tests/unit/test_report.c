// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/report.c (inventory -> model) and the four report
 * formats of vendorwallctl, on a real SQLite inventory and the shipped policy. */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <json-c/json.h>

#include "unit.h"
#include "inventory.h"
#include "policy.h"
#include "report.h"
#include "report_fmt.h"
#include "state.h"
#include "vendorwall.h"

static const uint8_t HW[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 };   /* huawei, lan */
static const uint8_t ZT[6] = { 0x00, 0xd0, 0xd0, 0x00, 0x00, 0x02 };   /* zte, lan, waived */
static const uint8_t HK[6] = { 0x44, 0x19, 0xb6, 0x00, 0x00, 0x03 };   /* hikvision, cams */
static const uint8_t OLD[6] = { 0x00, 0xe0, 0xfc, 0x00, 0x00, 0x09 }; /* before the period */

/* A device-chosen value that must come out inert in every format. */
#define EVIL "=HYPERLINK(\"x\")<script>alert('&')</script>"

struct fixture {
	char *dir;
	char path[512];
	struct vw_policy pol;
	struct vw_report_data data;
	struct vw_report_input in;
	struct vw_report rep;
};

static const char *const profiles[] = { "us-ndaa-889", "uk-telecoms-2020", "jp-govt-procurement-2018" };
static const char *const active[] = { "us-ndaa-889" };
static const struct vw_report_segmode modes[] = {
	{ "lan", VW_MODE_BLOCK }, { "cams", VW_MODE_MONITOR },
};
static const struct vw_report_waiver waivers[] = {
	{ .mac = { 0x00, 0xd0, 0xd0, 0x00, 0x00, 0x02 }, .until = 2000000000, .by = "uid 0 (root)",
	  .reason = "PBX, replacement ordered", .ticket = "CHG-1234" },
	/* expired: must not count */
	{ .mac = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 }, .until = 1000, .by = "uid 0 (root)",
	  .reason = "old" },
};

static void observe(struct vw_inventory *inv, const uint8_t *mac, const char *vendor,
		    const char *seg, int64_t t)
{
	bool nd, ns;

	assert_int_equal(vw_inventory_observe(inv, mac, vendor, seg, "restricted", "dropped", t, &nd, &ns), 0);
}

static void fill(const char *path)
{
	struct vw_inventory *inv;
	struct in_addr a4;
	struct vw_evidence oui = { "oui", "mac", "00:e0:fc (IEEE block of huawei)", "ieee-registry", 90 };
	struct vw_evidence evil = { "lldp", "sysDescr", EVIL, "huawei-vrp", 90 };

	assert_int_equal(vw_inventory_open(&inv, path, NULL), 0);
	observe(inv, OLD, "huawei", "lan", 100);
	observe(inv, HW, "huawei", "lan", 1700000000);
	observe(inv, HW, "huawei", "lan", 1700000500);
	observe(inv, ZT, "zte", "lan", 1700000100);
	observe(inv, HK, "hikvision", "cams", 1700000200);
	observe(inv, HK, "hikvision", "lan", 1700000300);
	inet_pton(AF_INET, "192.0.2.11", &a4);
	assert_int_equal(vw_inventory_add_address(inv, HW, AF_INET, &a4, 1700000000), 0);
	assert_int_equal(vw_inventory_add_evidence(inv, HW, &oui, 1700000000), 0);
	assert_int_equal(vw_inventory_add_evidence(inv, HW, &evil, 1700000001), 0);
	assert_int_equal(vw_inventory_add_history(inv, "policy", "0123456789abcdef", NULL,
						  "registry=2022-08-27 profiles=us-ndaa-889", 50), 0);
	assert_int_equal(vw_inventory_add_history(inv, "policy", "fedcba9876543210", NULL,
						  "registry=2022-08-27 profiles=us-ndaa-889", 1699999000), 0);
	assert_int_equal(vw_inventory_add_history(inv, "degraded", "ringbuf-loss", "lan",
						  "3 ring-buffer record(s) lost so far", 1700000050), 0);
	assert_int_equal(vw_inventory_add_history(inv, "degraded", "late", NULL, "after", 1800000000), 0);
	vw_inventory_close(inv);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vw_diag diag = { 0 };
	char *pdir;

	assert_non_null(f);
	f->dir = tmpdir_new();
	snprintf(f->path, sizeof(f->path), "%s/inventory.db", f->dir);
	fill(f->path);
	assert_true(asprintf(&pdir, "%s/policy", src_dir()) > 0);
	assert_int_equal(vw_policy_load(&f->pol, pdir, &diag), 0);
	free(pdir);
	assert_int_equal(vw_report_read(f->path, 1699999500, 1700001000, &f->data), 0);
	f->in = (struct vw_report_input){
		.policy = &f->pol, .profiles = profiles, .n_profiles = 3, .active = active,
		.n_active = 1, .modes = modes, .n_modes = 2, .waivers = waivers, .n_waivers = 2,
		.policy_version = "fedcba9876543210", .registry_date = 1661558400,
		.since = 1699999500, .until = 1700001000, .generated = 1700002000,
	};
	assert_int_equal(vw_report_build(&f->rep, &f->data, &f->in), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vw_report_free(&f->rep);
	vw_report_data_free(&f->data);
	vw_policy_free(&f->pol);
	rm_rf(f->dir);
	free(f);
	return 0;
}

static const struct vw_report_device *find_dev(const struct vw_report_section *s,
					       const char *seg, const uint8_t *mac)
{
	for (size_t i = 0; i < s->n_seg; i++)
		for (size_t j = 0; j < s->seg[i].n_dev; j++)
			if (!strcmp(s->seg[i].name, seg) && !memcmp(s->seg[i].dev[j].row->mac, mac, 6))
				return &s->seg[i].dev[j];
	return NULL;
}

static void test_model(void **state)
{
	struct fixture *f = *state;
	const struct vw_report *r = &f->rep;
	const struct vw_report_section *us = &r->sec[0], *uk = &r->sec[1], *jp = &r->sec[2];
	const struct vw_report_device *d;

	assert_int_equal(r->n_sec, 3);
	/* OLD was last seen before the period: absent. HK counts once over two segments. */
	assert_int_equal(us->n_devices, 3);
	assert_true(us->active);
	assert_int_equal(us->n_seg, 2);
	assert_string_equal(us->seg[0].name, "cams");
	assert_string_equal(us->seg[1].name, "lan");
	assert_int_equal(us->count[VW_RS_BLOCKED], 2);       /* HW, HK on lan */
	assert_int_equal(us->count[VW_RS_WAIVED], 1);        /* ZT */
	assert_int_equal(us->count[VW_RS_MONITORED], 1);     /* HK on cams */
	d = find_dev(us, "lan", HW);
	assert_non_null(d);
	assert_int_equal(d->status, VW_RS_BLOCKED);          /* its waiver expired */
	assert_int_equal(d->row->first_seen, 1700000000);
	assert_int_equal(d->row->last_seen, 1700000500);
	assert_string_equal(d->row->addresses, "192.0.2.11");
	assert_non_null(strstr(d->row->evidence, "oui mac=00:e0:fc (IEEE block of huawei) 0.90"));
	d = find_dev(us, "lan", ZT);
	assert_int_equal(d->status, VW_RS_WAIVED);
	assert_string_equal(d->waiver->ticket, "CHG-1234");
	assert_null(find_dev(us, "lan", OLD));
	/* The UK names Huawei only; Japan's rules name nobody. */
	assert_int_equal(uk->n_devices, 1);
	assert_false(uk->active);
	assert_int_equal(jp->n_devices, 0);
	assert_int_equal(jp->n_seg, 0);
	/* One series per vendor group seen; the policy in force at the start
	 * (1699999000) and the period's degraded state, not the later one. */
	assert_int_equal(r->n_series, 3);
	assert_int_equal(r->n_policies, 1);
	assert_string_equal(r->policies[0]->what, "fedcba9876543210");
	assert_int_equal(r->n_degraded, 1);
	assert_string_equal(r->degraded[0]->what, "ringbuf-loss");
	assert_true(f->data.has_history);
}

static char *render(const struct vw_report *r, int (*fn)(FILE *, const struct vw_report *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, r), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_text(void **state)
{
	struct fixture *f = *state;
	char *t = render(&f->rep, vw_report_write_text);

	assert_non_null(strstr(t, "Registry date:      2022-08-27"));
	assert_non_null(strstr(t, "Policy version:     fedcba9876543210"));
	assert_non_null(strstr(t, "ringbuf-loss on lan: 3 ring-buffer record(s) lost so far"));
	assert_non_null(strstr(t, "us-ndaa-889                        3        2"));
	assert_non_null(strstr(t, "00:d0:d0:00:00:02  zte         waived"));
	assert_non_null(strstr(t, "waiver:   until 2033-05-18T03:33:20Z by uid 0 (root), ticket CHG-1234: PBX, replacement ordered"));
	assert_non_null(strstr(t, "Vendors: none: the measure names no vendor"));
	assert_null(strstr(t, "00:e0:fc:00:00:09"));
	free(t);
}

static void test_json(void **state)
{
	struct fixture *f = *state;
	char *t = render(&f->rep, vw_report_write_json);
	struct json_object *o = json_tokener_parse(t), *secs, *sec, *segs, *lan, *devs, *v;
	bool found_evil = false;

	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "sections", &secs));
	assert_int_equal(json_object_array_length(secs), 3);
	sec = json_object_array_get_idx(secs, 0);
	assert_true(json_object_object_get_ex(sec, "devices", &v));
	assert_int_equal(json_object_get_int(v), 3);
	assert_true(json_object_object_get_ex(sec, "segments", &segs));
	lan = json_object_array_get_idx(segs, 1);
	assert_true(json_object_object_get_ex(lan, "devices", &devs));
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *ev;

		json_object_object_get_ex(json_object_array_get_idx(devs, i), "evidence", &ev);
		found_evil |= strstr(json_object_get_string(ev), EVIL) != NULL;
	}
	assert_true(found_evil);   /* escaped for JSON, intact after parsing */
	assert_true(json_object_object_get_ex(o, "registry_date", &v));
	assert_string_equal(json_object_get_string(v), "2022-08-27");
	json_object_put(o);
	free(t);
}

/* Splits one CSV record (RFC 4180) starting at *p; returns the field count. */
static size_t csv_record(const char **p, char fields[][512], size_t max)
{
	size_t n = 0, o = 0;
	bool q = false;

	for (; **p; (*p)++) {
		char c = **p;

		if (q && c == '"' && (*p)[1] == '"') {
			fields[n][o++] = '"';
			(*p)++;
		} else if (c == '"') {
			q = !q;
		} else if (!q && c == ',') {
			fields[n++][o] = '\0';
			o = 0;
			assert_true(n < max);
		} else if (!q && c == '\r' && (*p)[1] == '\n') {
			*p += 2;
			break;
		} else {
			fields[n][o++] = c;
		}
	}
	fields[n++][o] = '\0';
	return n;
}

static void test_csv(void **state)
{
	struct fixture *f = *state;
	char *t = render(&f->rep, vw_report_write_csv);
	static char fld[32][512];
	const char *p = t;
	size_t ncols = csv_record(&p, fld, 32), devices = 0, degraded = 0;

	assert_int_equal(ncols, 18);
	assert_string_equal(fld[0], "record");
	while (*p) {
		assert_int_equal(csv_record(&p, fld, 32), ncols);
		if (!strcmp(fld[0], "degraded"))
			degraded++;
		if (strcmp(fld[0], "device"))
			continue;
		devices++;
		if (!strcmp(fld[5], "00:e0:fc:12:34:56"))
			/* the evidence cell holds the formula as text, not a formula */
			assert_non_null(strstr(fld[12], EVIL));
		if (!strcmp(fld[5], "00:d0:d0:00:00:02") && !strcmp(fld[1], "us-ndaa-889")) {
			assert_string_equal(fld[8], "waived");
			assert_string_equal(fld[15], "CHG-1234");
		}
	}
	assert_int_equal(devices, 4 + 1);   /* us: 4 device-segment pairs, uk: 1 */
	assert_int_equal(degraded, 1);
	free(t);
}

/* Bytes a device sent that are not UTF-8 must not break the JSON. */
static void test_json_bytes(void **state)
{
	struct fixture *f = *state;
	struct vw_inventory *inv;
	struct vw_evidence bad = { "dhcp", "option60", "caf\xc3\xa9 \xff\xfe\x01 \xed\xa0\x80 ok", NULL, 30 };
	struct vw_report_data d;
	struct vw_report r;
	struct json_object *o;
	char *t;

	assert_int_equal(vw_inventory_open(&inv, f->path, NULL), 0);
	assert_int_equal(vw_inventory_add_evidence(inv, HW, &bad, 1700000002), 0);
	vw_inventory_close(inv);
	assert_int_equal(vw_report_read(f->path, f->in.since, f->in.until, &d), 0);
	assert_int_equal(vw_report_build(&r, &d, &f->in), 0);
	t = render(&r, vw_report_write_json);
	o = json_tokener_parse(t);
	assert_non_null(o);
	assert_non_null(strstr(t, "caf\xc3\xa9 \\ufffd\\ufffd\\u0001 \\ufffd\\ufffd\\ufffd ok"));
	json_object_put(o);
	free(t);
	vw_report_free(&r);
	vw_report_data_free(&d);
}

static void test_csv_field(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" }, { "a,b", "\"a,b\"" }, { "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "=1+2", "\"'=1+2\"" }, { "+1", "\"'+1\"" }, { "-1", "\"'-1\"" }, { "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "\tx", "\"'\tx\"" }, { "line\nbreak", "\"line\nbreak\"" }, { "", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		vw_report_csv_field(f, cases[i].in);
		fclose(f);
		assert_string_equal(buf, cases[i].out);
		free(buf);
	}
}

static void test_html(void **state)
{
	struct fixture *f = *state;
	char *t = render(&f->rep, vw_report_write_html);
	size_t polylines = 0;

	/* Escaped device text, no script, no external asset. */
	assert_null(strstr(t, "<script"));
	assert_non_null(strstr(t, "=HYPERLINK(&quot;x&quot;)&lt;script&gt;alert(&#39;&amp;&#39;)&lt;/script&gt;"));
	assert_null(strstr(t, "src="));
	assert_null(strstr(t, "href="));
	assert_null(strstr(t, "<link"));
	assert_null(strstr(t, "@import"));
	assert_non_null(strstr(t, "<table class=\"summary\">"));
	assert_non_null(strstr(t, "<svg id=\"timeline\""));
	for (const char *p = t; (p = strstr(p, "<polyline class=\"series\"")); p++)
		polylines++;
	assert_int_equal(polylines, 3);
	assert_non_null(strstr(t, "data-vendor=\"huawei\" data-count=\"1\""));
	assert_non_null(strstr(t, "<td class=\"waived\">waived</td>"));
	free(t);
}

static void test_missing_and_old(void **state)
{
	struct fixture *f = *state;
	struct vw_report_data d;
	char path[600];
	snprintf(path, sizeof(path), "%s/none.db", f->dir);
	assert_int_equal(vw_report_read(path, 0, 1, &d), -ENOENT);
	/* A file that is not an inventory. */
	free(write_file(f->dir, "junk.db", "not a database at all, certainly not SQLite\n"));
	snprintf(path, sizeof(path), "%s/junk.db", f->dir);
	assert_int_equal(vw_report_read(path, 0, 1, &d), -EBADMSG);
	/* A period with nothing in it is a report with nothing in it. */
	{
		struct vw_report_input in = f->in;
		struct vw_report r;
		char *t;

		assert_int_equal(vw_report_read(f->path, 1, 2, &d), 0);
		assert_int_equal(d.n_rows, 0);
		in.since = 1;
		in.until = 2;
		assert_int_equal(vw_report_build(&r, &d, &in), 0);
		assert_int_equal(r.n_series, 0);
		assert_int_equal(r.sec[0].n_devices, 0);
		t = render(&r, vw_report_write_html);
		assert_non_null(strstr(t, "no restricted device seen"));
		free(t);
		vw_report_free(&r);
		vw_report_data_free(&d);
	}
	/* An unknown profile is refused. */
	{
		static const char *const bad[] = { "mars-2100" };
		struct vw_report_input in = f->in;
		struct vw_report r;

		in.profiles = bad;
		in.n_profiles = 1;
		assert_int_equal(vw_report_build(&r, &f->data, &in), -ENOENT);
	}
}

/* The alert's profiles and legal basis: only the enforced profiles that
 * name the device's vendor group. */
static void test_alert_basis(void **state)
{
	struct fixture *f = *state;
	struct vw_state st = { .policy = f->pol };
	char prof[256], basis[1024];

	assert_int_equal(vw_strv_push(&st.conf.profiles, "uk-telecoms-2020"), 0);
	assert_int_equal(vw_strv_push(&st.conf.profiles, "us-ndaa-889"), 0);
	assert_int_equal(vw_strv_push(&st.conf.profiles, "jp-govt-procurement-2018"), 0);
	vw_state_basis(&st, 1 /* huawei */, prof, sizeof(prof), basis, sizeof(basis));
	assert_string_equal(prof, "uk-telecoms-2020 us-ndaa-889");
	assert_true(!strncmp(basis, "uk-telecoms-2020: Telecommunications (Security) Act 2021", 56));
	assert_non_null(strstr(basis, "; us-ndaa-889: John S. McCain National Defense Authorization Act"));
	vw_state_basis(&st, 3 /* hikvision */, prof, sizeof(prof), basis, sizeof(basis));
	assert_string_equal(prof, "us-ndaa-889");
	vw_state_basis(&st, 0, prof, sizeof(prof), basis, sizeof(basis));
	assert_string_equal(prof, "uk-telecoms-2020 us-ndaa-889 jp-govt-procurement-2018");
	assert_string_equal(basis, "");
	vw_strv_free(&st.conf.profiles);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_model, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_bytes, setup, teardown),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test_setup_teardown(test_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alert_basis, setup, teardown),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
