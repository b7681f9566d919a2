// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/registry_update.c: which registry copy is used, what
 * a candidate must keep to be accepted, and the versioned symlink swap. */
#include <limits.h>
#include "unit.h"
#include "registry_update.h"

#define HDR "Registry,Assignment,Organization Name,Organization Address\n"
#define HW1 "MA-L,00E0FC,\"HUAWEI TECHNOLOGIES CO.,LTD\",Shenzhen\n"
#define HW2 "MA-L,30FBB8,\"HUAWEI TECHNOLOGIES CO.,LTD\",Dongguan\n"
#define ZTE "MA-L,000A62,zte corporation,Shenzhen\n"
#define INTEL "MA-L,001B21,Intel Corporate,Santa Clara\n"
#define OTHER "MA-L,0C0001,Example One,X\nMA-L,0C0002,Example Two,X\nMA-L,0C0003,Example Three,X\n"

struct fx {
	char *tmp;
	struct vw_policy pol;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vw_diag diag = { 0 };
	char *dir = NULL;

	assert_non_null(f);
	assert_true(asprintf(&dir, "%s/policy", src_dir()) > 0);
	assert_int_equal(vw_policy_load(&f->pol, dir, &diag), 0);
	free(dir);
	vw_diag_free(&diag);
	f->tmp = tmpdir_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vw_policy_free(&f->pol);
	rm_rf(f->tmp);
	free(f);
	return 0;
}

/* A registry directory rel under the fixture with oui.csv and .lastupdate. */
static char *reg_dir(struct fx *f, const char *rel, const char *oui, long long date)
{
	char *dir = NULL, *rp = NULL, stamp[32];

	assert_true(asprintf(&dir, "%s/%s", f->tmp, rel) > 0);
	assert_true(asprintf(&rp, "%s/oui.csv", rel) > 0);
	free(write_file(f->tmp, rp, oui));
	free(rp);
	assert_true(asprintf(&rp, "%s/.lastupdate", rel) > 0);
	snprintf(stamp, sizeof(stamp), "%lld\n", date);
	free(write_file(f->tmp, rp, stamp));
	free(rp);
	return dir;
}

static void link_to(struct fx *f, const char *target)
{
	char *link = NULL;

	assert_true(asprintf(&link, "%s/state/registry", f->tmp) > 0);
	unlink(link);
	assert_int_equal(symlink(target, link), 0);
	free(link);
}

static void expect_best(struct fx *f, const char *floor, const char *want_suffix, size_t rows)
{
	struct vw_registry reg;
	struct vw_diag diag = { 0 };
	char *state = NULL, *path = NULL;

	assert_true(asprintf(&state, "%s/state", f->tmp) > 0);
	assert_int_equal(vw_registry_load_best(&reg, &path, state, floor, &diag), 0);
	assert_diag_empty(&diag);
	if (strlen(path) < strlen(want_suffix) ||
	    strcmp(path + strlen(path) - strlen(want_suffix), want_suffix))
		fail_msg("chose %s, expected …%s", path, want_suffix);
	assert_int_equal(reg.n, rows);
	vw_registry_free(&reg);
	free(path);
	free(state);
}

static void test_load_best(void **state)
{
	struct fx *f = *state;
	char *floor = reg_dir(f, "floor", HDR HW1 INTEL, 1000);
	char *newer = reg_dir(f, "state/registry-new", HDR HW1 HW2 INTEL, 2000);
	char *older = reg_dir(f, "state/registry-old", HDR HW1, 500);
	char *broken = reg_dir(f, "state/registry-bad", "<html>oops</html>\n", 3000);
	char *older2 = NULL;

	expect_best(f, floor, "/floor", 2);           /* no state/registry at all */
	link_to(f, "registry-new");
	expect_best(f, floor, "/state/registry", 3);  /* newer update wins */
	link_to(f, "registry-old");
	expect_best(f, floor, "/floor", 2);           /* ieee-data newer than the update */
	link_to(f, "registry-bad");
	expect_best(f, floor, "/floor", 2);           /* a damaged update is ignored */
	free(floor);
	/* An older floor is not read at all: its bad row is never reported. */
	floor = reg_dir(f, "floor-old", HDR HW1 "MA-L,XYZ,Bad,x\n", 1000);
	link_to(f, "registry-new");
	expect_best(f, floor, "/state/registry", 3);
	free(floor);
	/* A floor without .lastupdate is dated by its files (now): it wins. */
	floor = reg_dir(f, "floor-undated", HDR HW1 INTEL, 1);
	assert_true(asprintf(&older2, "%s/.lastupdate", floor) > 0);
	assert_int_equal(unlink(older2), 0);
	expect_best(f, floor, "/floor-undated", 2);
	free(older2);
	free(floor);
	free(newer);
	free(older);
	free(broken);
}

static int validate(struct fx *f, const char *cur_csv, const char *cand_csv, struct vw_diag *diag)
{
	struct vw_registry cur, cand;
	struct vw_diag d0 = { 0 };
	char *a = reg_dir(f, "cur", cur_csv, 1), *b = reg_dir(f, "cand", cand_csv, 2);
	int r;

	assert_int_equal(vw_registry_load(&cur, a, &d0), 0);
	assert_diag_empty(&d0);
	r = vw_registry_load(&cand, b, diag);
	if (r == 0) {
		r = vw_registry_validate(&cand, diag->n, "cand", &cur, &f->pol, diag);
		vw_registry_free(&cand);
	}
	vw_registry_free(&cur);
	free(a);
	free(b);
	return r;
}

static void test_validate(void **state)
{
	struct fx *f = *state;
	struct vw_diag d = { 0 };

	/* Growth, and a benign block going away, are fine. */
	assert_int_equal(validate(f, HDR HW1 ZTE INTEL OTHER, HDR HW1 HW2 ZTE OTHER INTEL, &d), 0);
	assert_diag_empty(&d);
	assert_int_equal(validate(f, HDR HW1 ZTE INTEL OTHER OTHER OTHER,
				  HDR HW1 ZTE OTHER OTHER OTHER, &d), 0);
	assert_diag_empty(&d);
	/* One Huawei block gone: rejected, naming vendor group and block.
	 * (00:e0:fc stays: the policy lists it explicitly.) */
	assert_int_equal(validate(f, HDR HW1 HW2 ZTE INTEL OTHER OTHER OTHER,
				  HDR HW1 ZTE INTEL OTHER OTHER OTHER, &d), -EBADMSG);
	assert_diag_has(&d, "cand: 1 of the 2 blocks of vendor group huawei in the registry in use are missing (e.g. 30:fb:b8:00:00:00/24); rejected");
	vw_diag_free(&d);
	d = (struct vw_diag){ 0 };
	/* Much smaller than the copy in use: a truncated download. */
	assert_int_equal(validate(f, HDR HW1 ZTE INTEL OTHER OTHER OTHER, HDR HW1 ZTE INTEL OTHER, &d),
			 -EBADMSG);
	assert_diag_has(&d, "cand: oui.csv: 6 rows, the registry in use has 12 (less than 90%%); truncated? rejected");
	vw_diag_free(&d);
	d = (struct vw_diag){ 0 };
	/* A bad row is a parse failure, even when everything else is there. */
	assert_int_equal(validate(f, HDR HW1 ZTE, HDR HW1 ZTE "MA-L,XYZ,Broken,X\n", &d), -EBADMSG);
	assert_diag_has(&d, "cand: 1 problems while parsing; rejected");
	vw_diag_free(&d);
}

static char *target_of(struct fx *f)
{
	char *link = NULL, buf[PATH_MAX];
	ssize_t n;

	assert_true(asprintf(&link, "%s/state/registry", f->tmp) > 0);
	n = readlink(link, buf, sizeof(buf) - 1);
	free(link);
	assert_true(n > 0);
	buf[n] = '\0';
	return strdup(buf);
}

static char *install(struct fx *f, const char *csv, time_t date)
{
	char *state = NULL, *staging = NULL, *installed = NULL;

	assert_true(asprintf(&state, "%s/state", f->tmp) > 0);
	mkdir(state, 0755);
	assert_int_equal(vw_registry_stage(state, &staging), 0);
	free(write_file(staging, "oui.csv", csv));
	assert_int_equal(vw_registry_commit(state, staging, date, &installed), 0);
	assert_int_equal(access(staging, F_OK), -1);     /* renamed away */
	free(staging);
	free(state);
	return installed;
}

static void test_commit(void **state)
{
	struct fx *f = *state;
	struct vw_registry reg;
	struct vw_diag d = { 0 };
	char *first, *second, *third, *t, *path = NULL;

	first = install(f, HDR HW1, 1111);
	t = target_of(f);
	assert_string_equal(strrchr(first, '/') + 1, t);
	free(t);
	assert_true(asprintf(&path, "%s/state/registry", f->tmp) > 0);
	assert_int_equal(vw_registry_load(&reg, path, &d), 0);
	assert_int_equal(reg.date, 1111);
	vw_registry_free(&reg);
	/* Leftover staging from a crash is discarded by the next stage. */
	free(write_file(f->tmp, "state/registry.new/junk", "x"));
	second = install(f, HDR HW1 HW2, 2222);
	assert_int_equal(access(first, F_OK), 0);        /* previous kept */
	third = install(f, HDR HW1 HW2 ZTE, 3333);
	assert_int_equal(access(second, F_OK), 0);
	assert_int_equal(access(first, F_OK), -1);       /* older ones pruned */
	assert_int_equal(vw_registry_load(&reg, path, &d), 0);
	assert_int_equal(reg.n, 3);
	assert_int_equal(reg.date, 3333);
	vw_registry_free(&reg);
	assert_diag_empty(&d);
	free(path);
	free(first);
	free(second);
	free(third);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_best, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
