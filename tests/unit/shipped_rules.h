/* SPDX-License-Identifier: GPL-2.0-only */
/* A cmocka fixture: the shipped policy/ and policy/fingerprints/ of this checkout, loaded
 * without a single diagnostic, for the tests that hold real rules against real strings. */
#ifndef VW_TEST_SHIPPED_RULES_H
#define VW_TEST_SHIPPED_RULES_H

#include <stdio.h>
#include <stdlib.h>
#include "policy.h"
#include "rules.h"

struct fx {
	struct vw_policy pol;
	struct vw_fp_rules *rs;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vw_diag d = { 0 };
	char *pdir = NULL, *rdir = NULL;

	assert_non_null(f);
	assert_true(asprintf(&pdir, "%s/policy", src_dir()) > 0);
	assert_true(asprintf(&rdir, "%s/policy/fingerprints", src_dir()) > 0);
	assert_int_equal(vw_policy_load(&f->pol, pdir, &d), 0);
	if (vw_fp_rules_load(&f->rs, rdir, &f->pol, &d) < 0)
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(d.n, 0);
	assert_non_null(f->rs);
	vw_diag_free(&d);
	free(pdir);
	free(rdir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vw_fp_rules_free(f->rs);
	vw_policy_free(&f->pol);
	free(f);
	return 0;
}

#endif
