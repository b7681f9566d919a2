// SPDX-License-Identifier: GPL-2.0-only
/*
 * vendorwalld with a failure injected into one commit, for
 * tests/e2e/reload.sh. VW_TEST_FAIL_APPLY=NTH:STEP makes the NTH commit of
 * the run (1 = the start-up apply, 2 = the first reload or operator change)
 * fail right after commit step STEP (commit.h). The production binary has
 * no such switch: only this test program calls vwd_commit_fail_after.
 * Usage: failing-vendorwalld --config FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"
#include "manager.h"

int main(int argc, char **argv)
{
	const char *spec = getenv("VW_TEST_FAIL_APPLY");
	struct daemon *d = NULL;
	unsigned nth, step;
	int err;

	if (argc != 3 || strcmp(argv[1], "--config")) {
		fprintf(stderr, "usage: %s --config FILE\n", argv[0]);
		return 2;
	}
	if (!spec || sscanf(spec, "%u:%u", &nth, &step) != 2 || !nth ||
	    !step || step > VWD_STEP_COUNT) {
		fprintf(stderr, "%s: VW_TEST_FAIL_APPLY=NTH:STEP (STEP 1..%d) required\n",
			argv[0], VWD_STEP_COUNT);
		return 2;
	}
	vwd_commit_fail_after(nth, step);
	err = vwd_manager_new(&d, argv[2]);
	if (!err)
		err = vwd_manager_start(d);
	if (!err)
		err = vwd_manager_run(d);
	vwd_manager_free(d);
	return err ? 1 : 0;
}
