// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/policy.c: the shipped policy and broken vendor/profile files. */
#include "unit.h"
#include "policy.h"

static char *shipped_dir(void)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/policy", src_dir()) > 0);
	return p;
}

static void assert_profile(const struct vw_policy *pol, const char *id, const char *vendors)
{
	const struct vw_profile *p = vw_policy_profile(pol, id);
	char buf[128] = "";

	assert_non_null(p);
	for (size_t i = 0; i < p->vendors.n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, p->vendors.v[i]);
	}
	assert_string_equal(buf, vendors);
	assert_non_null(p->name);
	assert_non_null(p->source);
	assert_int_equal(strlen(p->date), 10);
}

static void test_shipped_policy(void **state)
{
	static const struct { const char *id; uint16_t code; } want[] = {
		{ "huawei", 1 }, { "zte", 2 }, { "hikvision", 3 }, { "dahua", 4 }, { "hytera", 5 },
	};
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	char *dir = shipped_dir();

	assert_int_equal(vw_policy_load(&pol, dir, &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(pol.n_vendors, 5);
	assert_int_equal(pol.n_profiles, 12);
	for (size_t i = 0; i < 5; i++) {
		const struct vw_vendor *v = vw_policy_vendor(&pol, want[i].id);

		assert_non_null(v);
		assert_int_equal(v->code, want[i].code);
		assert_ptr_equal(vw_policy_vendor_by_code(&pol, want[i].code), v);
		assert_true(v->org_patterns.n > 0);
		assert_true(v->n_enterprises > 0);
	}
	assert_null(vw_policy_vendor(&pol, "honor"));
	assert_null(vw_policy_vendor_by_code(&pol, 6));

	/* Patterns are stored normalised. */
	assert_true(vw_strv_contains(&vw_policy_vendor(&pol, "hytera")->org_patterns,
				     "teltronic s a u"));
	assert_true(vw_strv_contains(&vw_policy_vendor(&pol, "zte")->org_patterns,
				     "zte corporation"));
	assert_int_equal(vw_policy_vendor(&pol, "huawei")->prefixes[0].prefix, 0x00E0FC000000ull);
	assert_int_equal(vw_policy_vendor(&pol, "huawei")->prefixes[0].plen, 24);
	assert_int_equal(vw_policy_vendor(&pol, "hytera")->prefixes[0].prefix, 0x70B3D50AE000ull);
	assert_int_equal(vw_policy_vendor(&pol, "hytera")->prefixes[0].plen, 36);
	assert_int_equal(vw_policy_vendor(&pol, "huawei")->enterprises[0], 2011);

	assert_profile(&pol, "us-ndaa-889", "huawei zte hikvision dahua hytera");
	assert_profile(&pol, "jp-govt-procurement-2018", "");
	assert_profile(&pol, "au-5g-2018", "huawei zte");
	assert_profile(&pol, "uk-telecoms-2020", "huawei");
	assert_null(vw_policy_profile(&pol, "nope"));

	vw_policy_free(&pol);
	free(dir);
}

static void test_normalise(void **state)
{
	char a[64], b[64], small[8];

	vw_normalise_org("HUAWEI TECHNOLOGIES CO.,LTD", a, sizeof(a));
	vw_normalise_org("Huawei Technologies Co., Ltd.", b, sizeof(b));
	assert_string_equal(a, "huawei technologies co ltd");
	assert_string_equal(a, b);
	vw_normalise_org("  Teltronic S.A.U. ", a, sizeof(a));
	assert_string_equal(a, "teltronic s a u");
	vw_normalise_org("Brähler ICS", a, sizeof(a));
	assert_string_equal(a, "br hler ics");
	vw_normalise_org("abcdefghijkl", small, sizeof(small));
	assert_string_equal(small, "abcdefg");
	vw_normalise_org("ab cd", small, 4);
	assert_string_equal(small, "ab");

	assert_true(vw_org_matches("zte corporation", "zte corporation"));
	assert_true(vw_org_matches("shenzhen zte corporation ltd", "zte corporation"));
	assert_false(vw_org_matches("aztec corporation", "zte corporation"));
	assert_false(vw_org_matches("ztec instruments inc", "zte"));
	assert_false(vw_org_matches("aztech electronics pte ltd", "zte"));
	assert_true(vw_org_matches("prama hikvision india private limited", "hikvision"));
	assert_false(vw_org_matches("teltronics inc", "teltronic"));
	assert_false(vw_org_matches("anything", ""));
}

static const char good_vendor[] =
	"[Vendor]\nId=acme\nName=Acme\nCode=7\nOrganization=Acme Corp\n";
static const char good_profile[] =
	"[Profile]\nId=p\nName=P\nSource=Law\nDate=2020-01-01\nVendor=acme\n";

/* Loads a policy tree made of (relative path, content) pairs and returns
 * the diagnostics; the load must fail. */
static void load_bad(const char *const *files, size_t n, char **dirp, struct vw_diag *diag)
{
	struct vw_policy pol;
	char *dir = tmpdir_new();

	for (size_t i = 0; i < n; i += 2)
		free(write_file(dir, files[i], files[i + 1]));
	assert_int_not_equal(vw_policy_load(&pol, dir, diag), 0);
	assert_int_equal(pol.n_vendors, 0);
	assert_int_equal(pol.n_profiles, 0);
	*dirp = dir;
}

static void test_bad_vendor_keys(void **state)
{
	const char *files[] = {
		"vendors/a.conf",
		"# comment\n"
		"[Vendor]\n"                  /* 2 */
		"Id=Acme!\n"                  /* 3 */
		"Name=Acme\n"
		"Code=0\n"                    /* 5 */
		"Colour=red\n"                /* 6 */
		"Prefix=00E0F\n"              /* 7 */
		"Prefix=03E0FC\n"             /* 8 */
		"EnterpriseNumber=-1\n"       /* 9 */
		"Name=Again\n"                /* 10 */
		"Organization=...\n"          /* 11 */
		"[Other]\n"                   /* 12 */
		"Key=value\n"
		"just text\n",                /* 14 */
		"profiles/p.conf", good_profile,
	};
	struct vw_diag diag = { 0 };
	char *dir;

	load_bad(files, sizeof(files) / sizeof(files[0]), &dir, &diag);
	assert_diag_has(&diag, "%s/vendors/a.conf:3: invalid Id=Acme!", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:5: invalid Code=0", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:6: unknown key Colour= in [Vendor]", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:7: invalid Prefix=00E0F", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:8: Prefix=03E0FC is a multicast or locally administered prefix", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:9: invalid EnterpriseNumber=-1", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:10: Name= given more than once", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:11: invalid Organization=...", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:12: unknown section [Other], expected [Vendor]", dir);
	assert_diag_has(&diag, "%s/vendors/a.conf:14: syntax error: expected Key=Value", dir);
	/* The profile names a vendor that failed to load. */
	assert_diag_has(&diag, "%s/profiles/p.conf:6: unknown vendor \"acme\"", dir);
	assert_int_equal(diag.n, 11);
	vw_diag_free(&diag);
	rm_rf(dir);
}

static void test_duplicates_and_missing(void **state)
{
	const char *files[] = {
		"vendors/a.conf", good_vendor,
		"vendors/b.conf", "[Vendor]\nId=acme\nName=B\nCode=7\nPrefix=001122\n",
		"vendors/c.conf", "[Vendor]\nName=C\n",
		"vendors/d.conf", "; nothing here\n",
		"vendors/e.conf", "[Vendor]\nId=e\nName=E\nCode=9\nOrganization=E\n[Vendor]\n",
		"vendors/notes.txt", "ignored: not *.conf\n",
		"profiles/p.conf", good_profile,
		"profiles/q.conf",
		"[Profile]\nId=p\nName=Q\nSource=S\nDate=2020-02-30\nVendor=acme\nVendor=acme\n"
		"Vendor=honor\n",
		"profiles/r.conf", "[Profile]\nId=r\n",
	};
	struct vw_diag diag = { 0 };
	char *dir;

	load_bad(files, sizeof(files) / sizeof(files[0]), &dir, &diag);
	assert_diag_has(&diag, "%s/vendors/b.conf:2: vendor id \"acme\" already defined in %s/vendors/a.conf", dir, dir);
	assert_diag_has(&diag, "%s/vendors/b.conf:4: vendor code 7 already used by %s/vendors/a.conf", dir, dir);
	assert_diag_has(&diag, "%s/vendors/c.conf:1: [Vendor] lacks Id=", dir);
	assert_diag_has(&diag, "%s/vendors/c.conf:1: [Vendor] lacks Code=", dir);
	assert_diag_has(&diag, "%s/vendors/c.conf:1: [Vendor] needs at least one Organization= or Prefix=", dir);
	assert_diag_has(&diag, "%s/vendors/d.conf: no [Vendor] section", dir);
	assert_diag_has(&diag, "%s/vendors/e.conf:6: only one [Vendor] section per file", dir);
	assert_diag_has(&diag, "%s/profiles/q.conf:2: profile id \"p\" already defined in %s/profiles/p.conf", dir, dir);
	assert_diag_has(&diag, "%s/profiles/q.conf:5: invalid Date=2020-02-30", dir);
	assert_diag_has(&diag, "%s/profiles/q.conf:7: vendor \"acme\" listed twice", dir);
	assert_diag_has(&diag, "%s/profiles/q.conf:8: unknown vendor \"honor\"", dir);
	assert_diag_has(&diag, "%s/profiles/r.conf:1: [Profile] lacks Name=", dir);
	assert_diag_has(&diag, "%s/profiles/r.conf:1: [Profile] lacks Source=", dir);
	assert_diag_has(&diag, "%s/profiles/r.conf:1: [Profile] lacks Date=", dir);
	assert_diag_has(&diag, "%s/profiles/r.conf:1: [Profile] lists no Vendor= (write an empty "
			"Vendors= and a Note= when the measure names none)", dir);
	assert_int_equal(diag.n, 15);
	vw_diag_free(&diag);
	rm_rf(dir);
}

static void test_minimal_ok_and_missing_dir(void **state)
{
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	char *dir = tmpdir_new();

	assert_int_equal(vw_policy_load(&pol, dir, &diag), -ENOENT);
	assert_diag_has(&diag, "%s/vendors: cannot read directory: No such file or directory", dir);
	vw_diag_free(&diag);

	free(write_file(dir, "vendors/acme.conf", good_vendor));
	free(write_file(dir, "profiles/p.conf",
			"\xEF\xBB\xBF[Profile]\n  Id = p   ; trailing comment\nName=P\n"
			"Source=Law; with semicolon\nDate=2020-01-01\nVendor=acme\n"));
	assert_int_equal(vw_policy_load(&pol, dir, &diag), 0);
	assert_diag_empty(&diag);
	assert_string_equal(pol.profiles[0].id, "p");
	assert_string_equal(pol.profiles[0].source, "Law; with semicolon");
	assert_string_equal(pol.vendors[0].org_patterns.v[0], "acme corp");
	vw_policy_free(&pol);
	rm_rf(dir);
}

/* What each measure's text names, transcribed from the sources the
 * profiles cite (not from the profile files): "" where it names none. */
static const struct { const char *id; const char *vendors; } measures[] = {
	{ "us-ndaa-889", "huawei zte hikvision dahua hytera" },
	{ "us-fcc-covered-list", "huawei zte hikvision dahua hytera" },
	{ "jp-govt-procurement-2018", "" },
	{ "au-5g-2018", "huawei zte" },
	{ "uk-telecoms-2020", "huawei" },
	{ "nz-gcsb-spark-5g-2018", "huawei" },
	{ "ca-telecom-2022", "huawei zte" },
	{ "se-pts-5g-2020", "huawei zte" },
	{ "de-5g-core-2024", "huawei zte" },
	{ "eu-5g-toolbox-2020", "" },
	{ "eu-commission-5g-2023", "huawei zte" },
	{ "in-trusted-sources-2021", "" },
};

/* Every shipped profile cites its source and basis, says what it binds,
 * and lists exactly the groups its quoted words name: a Named= text names
 * each listed group, no Named= text names a group left out, and a profile
 * that names none says so with a Note=. */
static void test_shipped_profiles_match_text(void **state)
{
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	char *dir = shipped_dir();

	assert_int_equal(vw_policy_load(&pol, dir, &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(pol.n_profiles, sizeof(measures) / sizeof(measures[0]));
	for (size_t i = 0; i < sizeof(measures) / sizeof(measures[0]); i++) {
		const struct vw_profile *p = vw_policy_profile(&pol, measures[i].id);

		assert_profile(&pol, measures[i].id, measures[i].vendors);
		assert_non_null(p->basis);
		assert_non_null(p->scope);
		assert_true(strlen(p->source) > 20);
		for (size_t j = 0; j < pol.n_vendors; j++) {
			const struct vw_vendor *v = &pol.vendors[j];
			bool listed = vw_strv_contains(&p->vendors, v->id);

			if (listed != vw_profile_names_vendor(p, v))
				fail_msg("%s: vendor %s %s", p->id, v->id,
					 listed ? "listed but not named" : "named but not listed");
		}
		assert_true(p->vendors.n == 0 ? p->names_none && p->note && !p->named.n
					      : !p->names_none && p->named.n > 0);
		for (size_t j = 0; j < p->urls.n; j++)
			assert_true(!strncmp(p->urls.v[j], "https://", 8));
	}
	vw_policy_free(&pol);
	free(dir);
}

static void test_profile_names_none_and_named(void **state)
{
	const char *files[] = {
		"vendors/a.conf", good_vendor,
		"vendors/b.conf", "[Vendor]\nId=bolt\nName=Bolt\nCode=8\nOrganization=Bolt Ltd\n",
		"profiles/n.conf", "[Profile]\nId=n\nName=N\nSource=S\nDate=2020-01-01\nVendors=\n",
		"profiles/m.conf",
		"[Profile]\nId=m\nName=M\nSource=S\nDate=2020-01-01\nNamed=Acme Corp.\n"
		"Vendors=acme bolt\n",
		"vendors/c.conf", "[Vendor]\nId=cog\nName=Cog\nCode=9\nSubgroup=Bad! Corp\n"
		"SubgroupPrefix=x 00E0F\nOrganization=Cog\n",
		"profiles/s.conf", "[Profile]\nId=s\nName=S\nSource=S\nDate=2020-01-01\nVendor=acme:nope\n",
		"profiles/u.conf",
		"[Profile]\nId=u\nName=U\nSource=S\nDate=2020-01-01\nVendors=acme\n"
		"Url=http://example.org/\nVendors=acme\n",
	};
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	char *dir;

	load_bad(files, sizeof(files) / sizeof(files[0]), &dir, &diag);
	assert_diag_has(&diag, "%s/profiles/n.conf:1: [Profile] with an empty Vendors= needs a Note= saying why", dir);
	assert_diag_has(&diag, "%s/profiles/m.conf:1: vendor \"bolt\" is not named by any Named= of the profile", dir);
	assert_diag_has(&diag, "%s/profiles/u.conf:7: invalid Url=http://example.org/", dir);
	assert_diag_has(&diag, "%s/profiles/u.conf:8: Vendors= given more than once", dir);
	assert_diag_has(&diag, "%s/profiles/s.conf:6: unknown vendor \"acme:nope\"", dir);
	assert_diag_has(&diag, "%s/vendors/c.conf:5: invalid Subgroup=Bad! Corp (expected: ID ORGANIZATION)", dir);
	assert_diag_has(&diag, "%s/vendors/c.conf:6: invalid SubgroupPrefix=x 00E0F", dir);
	assert_int_equal(diag.n, 7);
	vw_diag_free(&diag);
	rm_rf(dir);

	dir = tmpdir_new();
	free(write_file(dir, "vendors/a.conf", good_vendor));
	free(write_file(dir, "profiles/n.conf",
			"[Profile]\nId=n\nName=N\nSource=S\nDate=2020-01-01\nVendors=\n"
			"Note=names nobody\nBasis=B\nScope=everything\n"));
	free(write_file(dir, "profiles/m.conf",
			"[Profile]\nId=m\nName=M\nSource=S\nDate=2020-01-01\n"
			"Named=ACME CORP and affiliates\nVendors=acme\nUrl=https://example.org/x\n"));
	assert_int_equal(vw_policy_load(&pol, dir, &diag), 0);
	assert_diag_empty(&diag);
	assert_true(vw_policy_profile(&pol, "n")->names_none);
	assert_int_equal(vw_policy_profile(&pol, "n")->vendors.n, 0);
	assert_string_equal(vw_policy_profile(&pol, "n")->scope, "everything");
	assert_string_equal(vw_policy_profile(&pol, "m")->vendors.v[0], "acme");
	assert_string_equal(vw_policy_profile(&pol, "m")->urls.v[0], "https://example.org/x");
	vw_policy_free(&pol);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_policy),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_bad_vendor_keys),
		cmocka_unit_test(test_duplicates_and_missing),
		cmocka_unit_test(test_minimal_ok_and_missing_dir),
		cmocka_unit_test(test_shipped_profiles_match_text),
		cmocka_unit_test(test_profile_names_none_and_named),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
