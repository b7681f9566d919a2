// SPDX-License-Identifier: GPL-2.0-only
/* The fingerprint rules' matcher databases compiled in a child process
 * (see compile_aside.h). */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile_aside.h"

void vwd_compile_aside(const char *rules_dir, const struct vw_policy *pol, const char *cache)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(vw_state_compile_rules(rules_dir, pol, cache) ? 1 : 0);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}
