// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/ouiset.c: shipped policy over the real registry, look-alikes, longest prefix. */
#include "unit.h"
#include "orgindex.h"
#include "ouiset.h"

struct fixture {
	struct vw_registry reg;
	struct vw_policy pol;
	struct vw_ouiset set;     /* us-ndaa-889: all five groups */
};

static int setup(void **state)
{
	static const char *const prof[] = { "us-ndaa-889" };
	struct fixture *f = calloc(1, sizeof(*f));
	struct vw_diag diag = { 0 };
	char *dir = NULL;
	int r = -1;

	if (!f || asprintf(&dir, "%s/policy", src_dir()) < 0)
		goto out;
	if (vw_registry_load(&f->reg, ieee_dir(), &diag) < 0 ||
	    vw_policy_load(&f->pol, dir, &diag) < 0 ||
	    vw_ouiset_build(&f->set, &f->reg, &f->pol, prof, 1, &diag) < 0 || diag.n)
		goto out;
	*state = f;
	f = NULL;
	r = 0;
out:
	for (size_t i = 0; i < diag.n; i++)
		fprintf(stderr, "# %s\n", diag.msgs[i]);
	vw_diag_free(&diag);
	free(dir);
	free(f);
	return r;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vw_ouiset_free(&f->set);
	vw_policy_free(&f->pol);
	vw_registry_free(&f->reg);
	free(f);
	return 0;
}

static uint16_t look(const struct vw_ouiset *set, uint64_t mac)
{
	uint8_t m[6];

	for (int i = 0; i < 6; i++)
		m[i] = mac >> (40 - 8 * i);
	return vw_ouiset_lookup(set, m);
}

static const struct vw_ouiset_stats *stats(const struct vw_ouiset *set, uint16_t vendor)
{
	for (size_t i = 0; i < set->n_stats; i++)
		if (set->stats[i].vendor == vendor)
			return &set->stats[i];
	fail_msg("no stats for vendor %u", vendor);
	return NULL;
}

static void test_counts(void **state)
{
	const struct fixture *f = *state;
	const struct vw_ouiset_stats *s;

	assert_int_equal(f->set.n_stats, 5);
	/* policy/fingerprints/CATALOGUE.md 2.2 (ieee-data 2022-08-27) plus the subsidiaries
	 * listed there; upper bounds leave room for newer registries. */
	s = stats(&f->set, 1);          /* Huawei 1398 */
	assert_in_range(s->mal, 1398, 2100);
	assert_int_equal(s->mam + s->mas, 0);
	s = stats(&f->set, 2);          /* ZTE 299 + Nubia 1 */
	assert_in_range(s->mal, 300, 650);
	s = stats(&f->set, 3);          /* 51 + Ezviz 5 + Hikrobot 1 + HikMicro 2; Hikrobot MA-M */
	assert_in_range(s->mal, 59, 120);
	assert_in_range(s->mam, 1, 5);
	s = stats(&f->set, 4);          /* 24 + Huacheng 1 */
	assert_in_range(s->mal, 25, 50);
	s = stats(&f->set, 5);          /* 2 + Sepura + Teltronic S.A.U.; Norsat MA-S */
	assert_in_range(s->mal, 4, 10);
	assert_int_equal(s->mas, 1);
}

static void test_known_blocks(void **state)
{
	static const struct { uint64_t mac; uint16_t vendor; const char *what; } cases[] = {
		{ 0x00E0FC123456, 1, "HUAWEI 00E0FC" },
		{ 0x0022A1000001, 1, "Huawei Symantec" },
		{ 0x64F81C000001, 1, "Huawei Technologies Co., Ltd." },
		{ 0x10327E000001, 1, "Huawei Device" },
		{ 0x00D0D0295206, 2, "ZHONGXING TELECOM" },
		{ 0xFCC897000001, 2, "zte corporation" },
		{ 0xDCF090000001, 2, "Nubia" },
		{ 0x4447CC000001, 3, "Hikvision" },
		{ 0x24B105000001, 3, "Prama Hikvision India" },
		{ 0x64F2FB000001, 3, "Ezviz" },
		{ 0x34BD20000001, 3, "Hikrobot MA-L" },
		{ 0xB0B353612345, 3, "Hikrobot MA-M" },
		{ 0xECDFC9000001, 3, "HikMicro (Hangzhou Microimage)" },
		{ 0x08EDED000001, 4, "Dahua" },
		{ 0x906A94000001, 4, "Huacheng (Imou)" },
		{ 0x6469BC000001, 5, "Hytera" },
		{ 0x9C066E000001, 5, "Hytera" },
		{ 0x001E96000001, 5, "Sepura" },
		{ 0x000418000001, 5, "Teltronic S.A.U." },
		{ 0x70B3D50AE123, 5, "Norsat MA-S" },
	};
	const struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (look(&f->set, cases[i].mac) != cases[i].vendor)
			fail_msg("%012llX (%s): got %u, want %u", (unsigned long long)cases[i].mac,
				 cases[i].what, look(&f->set, cases[i].mac), cases[i].vendor);
	}
}

static void test_lookalikes_not_matched(void **state)
{
	/* Registry blocks of the policy/fingerprints/CATALOGUE.md section 12 look-alikes. */
	static const struct { uint64_t mac; const char *what; } cases[] = {
		{ 0x002675000001, "Aztech Electronics" },
		{ 0x00300A000001, "Aztech Electronics" },
		{ 0x182012000001, "Aztech Associates" },
		{ 0x001352000001, "Naztec" },
		{ 0x7866AE000001, "ZTEC Instruments" },
		{ 0x402C76100001, "Shanghai Dahua Scale Factory (MA-M)" },
		{ 0x48EA63000001, "Zhejiang Uniview" },
		{ 0x6CF17E000001, "Zhejiang Uniview" },
		{ 0x5098B8000001, "New H3C" },
		{ 0xB0F963000001, "Hangzhou H3C" },
		{ 0x109F4F000001, "New H3C Intelligence Terminal" },
		{ 0x90FFD6000001, "Honor Device" },
		{ 0x14AE85700001, "Shenzhen Honor Electronic (MA-M)" },
		{ 0x78CA83500001, "Huatune (MA-M)" },
		{ 0x0041B4000001, "Wuxi Zhongxing Optoelectronics" },
		{ 0x0001D8000001, "Teltronics, Inc." },
		{ 0x540237000001, "Teltronic AG" },
		{ 0x347379000001, "xFusion" },
		{ 0xAC64DD500001, "Shanghai ZTE Technologies (affiliation unverified)" },
		{ 0x000DD4000001, "Symantec Corporation" },
		{ 0x005004000001, "3COM" },
	};
	const struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (look(&f->set, cases[i].mac))
			fail_msg("%012llX (%s) matched vendor %u", (unsigned long long)cases[i].mac,
				 cases[i].what, look(&f->set, cases[i].mac));
	}
}

static void test_fine_blocks_stay_fine(void **state)
{
	const struct fixture *f = *state;

	/* Norsat's MA-S 70B3D50AE and Hikrobot's MA-M B0B3536 live in IEEE RA
	 * /24s: their neighbours belong to others. */
	assert_int_equal(look(&f->set, 0x70B3D50AE000), 5);
	assert_int_equal(look(&f->set, 0x70B3D50AEFFF), 5);
	assert_int_equal(look(&f->set, 0x70B3D50AF000), 0);
	assert_int_equal(look(&f->set, 0x70B3D50AD000), 0);
	assert_int_equal(look(&f->set, 0x70B3D5000001), 0);
	assert_int_equal(look(&f->set, 0xB0B353600000), 3);
	assert_int_equal(look(&f->set, 0xB0B3536FFFFF), 3);
	assert_int_equal(look(&f->set, 0xB0B353700000), 0);
	assert_int_equal(look(&f->set, 0xB0B3535FFFFF), 0);
}

static void test_local_and_multicast(void **state)
{
	const struct fixture *f = *state;
	struct vw_ouiset_entry e[] = {
		/* Entries that would match if the flag bits were ignored. */
		{ .prefix = 0x02E0FC000000, .plen = 24, .restricted = true, .vendor = 1 },
		{ .prefix = 0x03E0FC000000, .plen = 24, .restricted = true, .vendor = 1 },
	};
	struct vw_ouiset forged = { .v = e, .n = 2, .cap = 2 };

	assert_int_equal(look(&f->set, 0x00E0FC000001), 1);
	assert_int_equal(look(&f->set, 0x02E0FC000001), 0);   /* locally administered */
	assert_int_equal(look(&f->set, 0x01E0FC000001), 0);   /* multicast */
	assert_int_equal(look(&f->set, 0x03E0FC000001), 0);
	assert_int_equal(look(&forged, 0x02E0FC000001), 0);
	assert_int_equal(look(&forged, 0x03E0FC000001), 0);
}

static void test_set_invariants(void **state)
{
	const struct fixture *f = *state;

	for (size_t i = 0; i < f->set.n; i++) {
		const struct vw_ouiset_entry *e = &f->set.v[i];

		assert_true(e->plen == 24 || e->plen == 28 || e->plen == 36);
		assert_int_equal(e->prefix & ((1ull << (48 - e->plen)) - 1), 0);
		assert_true(e->restricted == (e->vendor != 0));
		if (i)
			assert_true(f->set.v[i - 1].plen < e->plen ||
				    (f->set.v[i - 1].plen == e->plen && f->set.v[i - 1].prefix < e->prefix));
	}
}

static void test_profile_subsets(void **state)
{
	const struct fixture *f = *state;
	static const char *const uk[] = { "uk-telecoms-2020" };
	/* Japan's rules name no vendor: combined with Australia's, Australia's decide. */
	static const char *const jp_au[] = { "jp-govt-procurement-2018", "au-5g-2018" };
	static const char *const jp[] = { "jp-govt-procurement-2018" };
	struct vw_diag diag = { 0 };
	struct vw_ouiset set;

	assert_int_equal(vw_ouiset_build(&set, &f->reg, &f->pol, uk, 1, &diag), 0);
	assert_int_equal(set.n_stats, 1);
	assert_int_equal(look(&set, 0x00E0FC000001), 1);
	assert_int_equal(look(&set, 0xFCC897000001), 0);
	assert_int_equal(look(&set, 0x4447CC000001), 0);
	vw_ouiset_free(&set);

	assert_int_equal(vw_ouiset_build(&set, &f->reg, &f->pol, jp_au, 2, &diag), 0);
	assert_int_equal(set.n_stats, 2);
	assert_int_equal(look(&set, 0xFCC897000001), 2);
	assert_int_equal(look(&set, 0x08EDED000001), 0);
	vw_ouiset_free(&set);

	assert_int_equal(vw_ouiset_build(&set, &f->reg, &f->pol, jp, 1, &diag), 0);
	assert_int_equal(set.n_stats, 0);
	assert_int_equal(look(&set, 0x00E0FC000001), 0);
	vw_ouiset_free(&set);
	assert_diag_empty(&diag);
}

/* A profile narrowing the huawei group to Huawei Technologies restricts
 * its registry blocks and the pinned 00E0FC, not Huawei Device's; a profile
 * naming the whole group as well restores them (union). */
static void test_narrowed_group(void **state)
{
	const struct fixture *f = *state;
	static const char *const narrow[] = { "t" };
	static const char *const both[] = { "t", "uk-telecoms-2020" };
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	struct vw_ouiset set;
	char *dir = tmpdir_new(), *src;
	size_t tech = 0;

	assert_true(asprintf(&src, "%s/policy/vendors/huawei.conf", src_dir()) > 0);
	{
		FILE *in = fopen(src, "r");
		char buf[8192];
		size_t n;

		assert_non_null(in);
		n = fread(buf, 1, sizeof(buf) - 1, in);
		buf[n] = '\0';
		fclose(in);
		free(write_file(dir, "vendors/huawei.conf", buf));
	}
	free(src);
	free(write_file(dir, "profiles/t.conf",
		"[Profile]\nId=t\nName=T\nSource=S\nDate=2020-01-01\nVendor=huawei:technologies\n"));
	free(write_file(dir, "profiles/uk.conf",
		"[Profile]\nId=uk-telecoms-2020\nName=U\nSource=S\nDate=2020-01-01\nVendor=huawei\n"));
	assert_int_equal(vw_policy_load(&pol, dir, &diag), 0);
	assert_true(vw_profile_selects(vw_policy_profile(&pol, "t"), "huawei"));
	assert_false(vw_profile_selects(vw_policy_profile(&pol, "t"), "hua"));

	assert_int_equal(vw_ouiset_build(&set, &f->reg, &pol, narrow, 1, &diag), 0);
	assert_int_equal(look(&set, 0x30FBB8000001), 1);   /* HUAWEI TECHNOLOGIES CO.,LTD */
	assert_int_equal(look(&set, 0x00E0FC000001), 1);   /* pinned for the subgroup */
	assert_int_equal(look(&set, 0x10327E000001), 0);   /* Huawei Device Co., Ltd. */
	assert_int_equal(look(&set, 0xD88ADC000001), 0);
	tech = set.stats[0].mal;
	assert_true(tech > 500);
	vw_ouiset_free(&set);

	assert_int_equal(vw_ouiset_build(&set, &f->reg, &pol, both, 2, &diag), 0);
	assert_int_equal(look(&set, 0x10327E000001), 1);
	assert_true(set.stats[0].mal > tech + 300);
	vw_ouiset_free(&set);
	assert_diag_empty(&diag);
	vw_policy_free(&pol);
	rm_rf(dir);
}

static void test_unknown_profile(void **state)
{
	const struct fixture *f = *state;
	static const char *const prof[] = { "us-ndaa-889", "mars-2100" };
	struct vw_diag diag = { 0 };
	struct vw_ouiset set;

	assert_int_equal(vw_ouiset_build(&set, &f->reg, &f->pol, prof, 2, &diag), -ENOENT);
	assert_int_equal(set.n, 0);
	assert_diag_has(&diag, "unknown profile \"mars-2100\"");
	vw_diag_free(&diag);
}

/* A synthetic policy exercises exclusions and shadows on real registry
 * rows: "Aztech" matches 002675, 00300A, E08E3C and 182012. */
static void test_exclusions_and_shadows(void **state)
{
	static const char *const prof[] = { "t" };
	const struct fixture *f = *state;
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	struct vw_ouiset set;
	char *dir = tmpdir_new();

	free(write_file(dir, "vendors/acme.conf",
		"[Vendor]\nId=acme\nName=Acme\nCode=9\n"
		"Organization=Aztech\n"
		"ExcludeOrganization=Aztech Associates\n"
		"ExcludePrefix=E08E3C\n"        /* whole registry block */
		"ExcludePrefix=0026751\n"       /* carve a /28 out of a /24 */
		"Prefix=001BC5\n"               /* IEEE RA /24 full of MA-S blocks */
		"ExcludePrefix=001BC50CA\n"));
	free(write_file(dir, "profiles/t.conf",
		"[Profile]\nId=t\nName=T\nSource=S\nDate=2020-01-01\nVendor=acme\n"));
	assert_int_equal(vw_policy_load(&pol, dir, &diag), 0);
	assert_int_equal(vw_ouiset_build(&set, &f->reg, &pol, prof, 1, &diag), 0);
	assert_diag_empty(&diag);

	assert_int_equal(look(&set, 0x00300A000001), 9);
	assert_int_equal(look(&set, 0x002675000001), 9);
	assert_int_equal(look(&set, 0x00267510ABCD), 0);   /* ExcludePrefix /28 */
	assert_int_equal(look(&set, 0x00267520ABCD), 9);
	assert_int_equal(look(&set, 0x182012000001), 0);   /* ExcludeOrganization */
	assert_int_equal(look(&set, 0xE08E3C000001), 0);   /* ExcludePrefix /24 */
	/* Unassigned part of the explicit /24 is restricted ... */
	assert_int_equal(look(&set, 0x001BC5018001), 9);
	assert_int_equal(look(&set, 0x001BC50CB001), 9);
	/* ... but MA-S blocks of other owners under it are shadowed back. */
	assert_int_equal(look(&set, 0x001BC5094001), 0);   /* reelyActive */
	assert_int_equal(look(&set, 0x001BC5000001), 0);
	assert_int_equal(look(&set, 0x001BC50CA001), 0);   /* ExcludePrefix /36 */
	assert_int_equal(stats(&set, 9)->mal, 3);
	vw_ouiset_free(&set);
	vw_policy_free(&pol);
	rm_rf(dir);
}

static void test_conflict(void **state)
{
	static const char *const prof[] = { "t" };
	const struct fixture *f = *state;
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	struct vw_ouiset set;
	char *dir = tmpdir_new();

	free(write_file(dir, "vendors/a.conf",
		"[Vendor]\nId=a\nName=A\nCode=1\nOrganization=Huawei\n"));
	free(write_file(dir, "vendors/b.conf",
		"[Vendor]\nId=b\nName=B\nCode=2\nPrefix=00E0FC\nOrganization=Huawei Device\n"));
	free(write_file(dir, "profiles/t.conf",
		"[Profile]\nId=t\nName=T\nSource=S\nDate=2020-01-01\nVendor=a\nVendor=b\n"));
	assert_int_equal(vw_policy_load(&pol, dir, &diag), 0);
	assert_int_equal(vw_ouiset_build(&set, &f->reg, &pol, prof, 1, &diag), -EINVAL);
	assert_int_equal(set.n, 0);
	assert_diag_has(&diag, "%s/vendors/b.conf: registry block 10327E (Huawei Device Co., Ltd.) "
			"is matched by both a and b", dir);
	vw_diag_free(&diag);
	vw_policy_free(&pol);
	rm_rf(dir);
}

/* No real registry row that matches a shipped pattern (include, exclude
 * or subgroup) is ruled out by an index of that pattern, and an index of
 * all include patterns rules out nearly every row. */
static void index_check(const struct fixture *f, const char *pat)
{
	struct vw_org_index ix = { 0 };
	char norm[512];

	vw_org_index_add(&ix, pat);
	for (size_t i = 0; i < f->reg.n; i++) {
		vw_normalise_org(f->reg.rows[i].org, norm, sizeof(norm));
		if (vw_org_matches(norm, pat) && !vw_org_index_maybe(&ix, f->reg.rows[i].org))
			fail_msg("\"%s\" matches \"%s\" but was ruled out", f->reg.rows[i].org, pat);
	}
}

static void test_org_index_real(void **state)
{
	const struct fixture *f = *state;
	struct vw_org_index all = { 0 };
	size_t maybe = 0;

	for (size_t i = 0; i < f->pol.n_vendors; i++) {
		const struct vw_vendor *v = &f->pol.vendors[i];

		for (size_t j = 0; j < v->org_patterns.n; j++) {
			index_check(f, v->org_patterns.v[j]);
			vw_org_index_add(&all, v->org_patterns.v[j]);
		}
		for (size_t j = 0; j < v->exclude_orgs.n; j++)
			index_check(f, v->exclude_orgs.v[j]);
		for (size_t k = 0; k < v->n_subgroups; k++)
			for (size_t j = 0; j < v->subgroups[k].org_patterns.n; j++)
				index_check(f, v->subgroups[k].org_patterns.v[j]);
	}
	for (size_t i = 0; i < f->reg.n; i++)
		maybe += vw_org_index_maybe(&all, f->reg.rows[i].org);
	assert_false(all.all);
	assert_true(maybe > 0 && maybe < f->reg.n / 10);
}

static void test_org_index_crafted(void **state)
{
	struct vw_org_index ix = { 0 };
	char long_name[400];

	vw_org_index_add(&ix, "zte corporation");
	vw_org_index_add(&ix, "");
	assert_int_equal(ix.n, 1);
	assert_true(vw_org_index_maybe(&ix, "ZTE CORPORATION"));
	assert_true(vw_org_index_maybe(&ix, "Shenzhen,ZTE.Corp"));   /* a candidate, not a match */
	assert_false(vw_org_index_maybe(&ix, "Aztec Ztec ZTE2 zt e"));
	assert_false(vw_org_index_maybe(&ix, ""));
	/* Too long to be normalised whole: never ruled out. */
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_true(vw_org_index_maybe(&ix, long_name));
	/* More first words than the table holds: every name may match. */
	for (int i = 0; i < VW_ORG_INDEX_SLOTS; i++) {
		char w[16];

		snprintf(w, sizeof(w), "w%d", i);
		vw_org_index_add(&ix, w);
	}
	assert_true(ix.all);
	assert_true(vw_org_index_maybe(&ix, "Aztec"));
}

static bool in_prefixes(const struct vw_explicit_prefix *p, size_t n, const struct vw_ouiset_entry *e)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].prefix == e->prefix && p[i].plen == e->plen)
			return true;
	return false;
}

/* The restricted entries of us-ndaa-889 (every group whole) are exactly
 * what a plain reading gives: each row whose normalised name matches one
 * of a group's patterns (strstr, vw_org_matches) and none of its
 * exclusions, outside its excluded blocks; plus the groups' Prefix= blocks. */
static void test_matches_reference(void **state)
{
	const struct fixture *f = *state;
	struct vw_ouiset_entry *want = calloc(f->reg.n, sizeof(*want));
	size_t n_want = 0, restricted = 0;
	char norm[512];

	assert_non_null(want);
	for (size_t i = 0; i < f->reg.n; i++) {
		const struct vw_registry_row *row = &f->reg.rows[i];
		const struct vw_vendor *hit = NULL;
		bool out = false;

		vw_normalise_org(row->org, norm, sizeof(norm));
		for (size_t j = 0; j < f->pol.n_vendors && !hit; j++) {
			const struct vw_vendor *v = &f->pol.vendors[j];
			bool m = false;

			for (size_t k = 0; k < v->org_patterns.n; k++)
				m |= vw_org_matches(norm, v->org_patterns.v[k]);
			for (size_t k = 0; k < v->exclude_orgs.n; k++)
				m &= !vw_org_matches(norm, v->exclude_orgs.v[k]);
			hit = m ? v : NULL;
		}
		for (size_t k = 0; hit && k < hit->n_excludes; k++)
			out |= hit->excludes[k].plen <= row->plen &&
			       (row->prefix & ~((1ull << (48 - hit->excludes[k].plen)) - 1)) ==
			       hit->excludes[k].prefix;
		if (hit && !out)
			want[n_want++] = (struct vw_ouiset_entry){ .prefix = row->prefix,
				.plen = row->plen, .restricted = true, .vendor = hit->code };
	}
	qsort(want, n_want, sizeof(*want), vw_ouiset_entry_cmp);
	for (size_t i = 0; i < n_want; i++) {
		const struct vw_ouiset_entry *e = bsearch(&want[i], f->set.v, f->set.n,
							  sizeof(*e), vw_ouiset_entry_cmp);

		if (!e || !e->restricted || e->vendor != want[i].vendor)
			fail_msg("%012llX/%u: not restricted to %u", (unsigned long long)want[i].prefix,
				 want[i].plen, want[i].vendor);
	}
	for (size_t i = 0; i < f->set.n; i++) {
		const struct vw_ouiset_entry *e = &f->set.v[i], *w;
		const struct vw_vendor *v = vw_policy_vendor_by_code(&f->pol, e->vendor);

		if (!e->restricted)
			continue;
		restricted++;
		w = bsearch(e, want, n_want, sizeof(*e), vw_ouiset_entry_cmp);
		assert_non_null(v);
		if (!(w && w->vendor == e->vendor) && !in_prefixes(v->prefixes, v->n_prefixes, e))
			fail_msg("%012llX/%u restricted to %s by neither a row nor a Prefix=",
				 (unsigned long long)e->prefix, e->plen, v->id);
	}
	assert_true(n_want > 1700);
	assert_true(restricted >= n_want);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_known_blocks),
		cmocka_unit_test(test_lookalikes_not_matched),
		cmocka_unit_test(test_fine_blocks_stay_fine),
		cmocka_unit_test(test_local_and_multicast),
		cmocka_unit_test(test_set_invariants),
		cmocka_unit_test(test_profile_subsets),
		cmocka_unit_test(test_narrowed_group),
		cmocka_unit_test(test_unknown_profile),
		cmocka_unit_test(test_exclusions_and_shadows),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_org_index_real),
		cmocka_unit_test(test_org_index_crafted),
		cmocka_unit_test(test_matches_reference),
	};

	return cmocka_run_group_tests_name("ouiset", tests, setup, teardown);
}
