// SPDX-License-Identifier: GPL-2.0-only
/* Finds the policy of the checkout a binary was built in, if it was. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

/* How far above the binary a checkout's root may be: build/x up to
 * build/asan/tests/unit/x. */
#define CHECKOUT_DEPTH 5

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A checkout is recognised by its policy and its daemon sources together,
 * so an installed /usr/sbin never mistakes /usr for one. */
static int is_checkout(const char *dir, char *policy, size_t len)
{
	char src[PATH_MAX];
	int n = snprintf(policy, len, "%s/policy", dir);

	if (n < 0 || (size_t)n >= len)
		return 0;
	if (snprintf(src, sizeof(src), "%s/daemon/lib", dir) >= (int)sizeof(src))
		return 0;
	return is_dir(src) && is_dir(policy) && strlen(policy) < len;
}

int vw_policy_dir_for(const char *exe, char *buf, size_t len)
{
	char dir[PATH_MAX];
	int n;

	if (snprintf(dir, sizeof(dir), "%s", exe) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	for (int up = 0; up < CHECKOUT_DEPTH; up++) {
		char *slash = strrchr(dir, '/');

		if (!slash || slash == dir)
			break;
		*slash = '\0';
		if (up > 0 && is_checkout(dir, buf, len))
			return 0;
	}
	n = snprintf(buf, len, "%s", VW_POLICY_DIR);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int vw_policy_dir_default(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		n = snprintf(buf, len, "%s", VW_POLICY_DIR);
		return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
	}
	exe[n] = '\0';
	return vw_policy_dir_for(exe, buf, len);
}
