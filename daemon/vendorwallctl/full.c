// SPDX-License-Identifier: GPL-2.0-only
/*
 * vendorwallctl comes in two links of the same main (see the Makefile):
 * vendorwallctl, for the control commands, and vendorwallctl-full, with
 * classify (Hyperscan, libpcap), report (SQLite and the whole policy
 * state, fingerprint rules compiled by Hyperscan) and registry fetch
 * (libcurl) too. Those libraries and what they pull in (48 shared objects)
 * cost every command ~40 ms of CPU before main, which is what a `status`
 * waits for when the gateway is flooded. main and registry_cmd.c refer to
 * those entry points weakly, so the light link leaves them out and hands
 * those commands to the full one here.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "full.h"

#ifndef VW_LIBEXEC_DIR
#define VW_LIBEXEC_DIR "/usr/libexec/vendorwall"
#endif
#define FULL_NAME "vendorwallctl-full"

/* Next to this program first (a build tree), then where install puts it. */
static int full_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash + 1 - buf) + sizeof(FULL_NAME) <= len) {
			strcpy(slash + 1, FULL_NAME);
			if (access(buf, X_OK) == 0)
				return 0;
		}
	}
	if ((size_t)snprintf(buf, len, "%s/%s", VW_LIBEXEC_DIR, FULL_NAME) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vw_ctl_run_full(char **argv, const char *what)
{
	char path[PATH_MAX];
	int r = full_path(path, sizeof(path));

	if (r == 0) {
		execv(path, argv);
		r = -errno;
	}
	fprintf(stderr, "Error: %s is done by %s, which cannot be run: %s\n", what,
		r == -ENAMETOOLONG ? FULL_NAME : path, strerror(-r));
	return VW_CTL_EXIT_UNAVAILABLE;
}
