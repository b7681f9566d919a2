// SPDX-License-Identifier: GPL-2.0-only
/* The shipped data plane object: the out-of-line functions that the
 * verifier should check once, against their prototypes, are global in its
 * BTF. A `static` put back in front of one still loads and still works,
 * but it makes the kernel verify that function again for every state its
 * callers reach it in, and a first start of the daemon waits for that
 * (bpf/PERFORMANCE.md §4.8). */
#include "unit.h"
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "vendorwall.skel.h"

static const char *const verified_alone[] = {
	"vw_report", "vw_sample_xdp", "vw_sample_tc", "vw_ip_judge_xdp", "vw_ip_judge_tc",
};

static void test_verified_alone_are_global(void **state)
{
	struct vendorwall_bpf *skel = vendorwall_bpf__open();
	const struct btf *btf;

	assert_non_null(skel);
	btf = bpf_object__btf(skel->obj);
	assert_non_null(btf);
	for (size_t i = 0; i < sizeof(verified_alone) / sizeof(verified_alone[0]); i++) {
		__s32 id = btf__find_by_name_kind(btf, verified_alone[i], BTF_KIND_FUNC);
		const struct btf_type *t;

		if (id <= 0)
			fail_msg("%s: no such function in the object's BTF", verified_alone[i]);
		t = btf__type_by_id(btf, id);
		if (btf_vlen(t) != BTF_FUNC_GLOBAL)
			fail_msg("%s: linkage %u, not global: the verifier walks it per caller state",
				 verified_alone[i], btf_vlen(t));
	}
	vendorwall_bpf__destroy(skel);
}

/* The check above finds what it looks for: the shared helpers that must
 * stay inlined or static are not global. */
static void test_static_ones_are_not_global(void **state)
{
	struct vendorwall_bpf *skel = vendorwall_bpf__open();
	const struct btf *btf;
	__s32 id;

	assert_non_null(skel);
	btf = bpf_object__btf(skel->obj);
	id = btf__find_by_name_kind(btf, "vw_capped", BTF_KIND_FUNC);
	assert_true(id > 0);
	assert_int_equal(btf_vlen(btf__type_by_id(btf, id)), BTF_FUNC_STATIC);
	vendorwall_bpf__destroy(skel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verified_alone_are_global),
		cmocka_unit_test(test_static_ones_are_not_global),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
