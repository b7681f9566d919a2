// SPDX-License-Identifier: GPL-2.0-only
/*
 * vendorwalld: builds the policy, drives the data plane and reports what
 * it sees. main only reads the command line; the manager (manager.c) does
 * the rest.
 */
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <sysexits.h>

#include "diag.h"
#include "manager.h"
#include "state.h"

#define VW_DEFAULT_CONFIG "/etc/vendorwall/vendorwall.conf"

static int check_config(const char *path)
{
	struct vw_diag diag = {0};
	struct vw_state *st = NULL;
	int err;

	/* The daemon's compiled rule databases make a check as quick as a
	 * start (~130 ms less), but a check never writes them. */
	err = vw_state_check(&st, path, &diag);
	for (size_t i = 0; i < diag.n; i++)
		fprintf(stderr, "%s\n", diag.msgs[i]);
	vw_diag_free(&diag);
	if (err)
		return 1;
	printf("%s: OK (%zu segment(s), %zu prefixes, policy version %s)\n",
	       path, st->conf.n_segments, st->set.n, st->version);
	vw_state_free(st);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: vendorwalld [--config FILE] [--check-config]\n"
		   "  -c, --config FILE    configuration (default " VW_DEFAULT_CONFIG ")\n"
		   "      --check-config   validate configuration and policy, then exit\n"
		   "  -h, --help           this text\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *config = VW_DEFAULT_CONFIG;
	struct daemon *d = NULL;
	int c, err, do_check = 0;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': do_check = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (do_check)
		return check_config(config);
	err = vwd_manager_new(&d, config);
	if (err) {
		fprintf(stderr, "vendorwalld: out of memory\n");
		return 1;
	}
	err = vwd_manager_start(d);
	if (!err)
		err = vwd_manager_run(d);
	vwd_manager_free(d);
	/* Pins we must not touch (a newer layout): a restart would only say it
	 * again, so the unit's RestartPreventExitStatus= stops there. */
	if (err == -EPROTO)
		return EX_CONFIG;
	return err ? 1 : 0;
}
