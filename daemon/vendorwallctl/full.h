/* SPDX-License-Identifier: GPL-2.0-only */
/* The light vendorwallctl hands classify and registry fetch to vendorwallctl-full. */
#ifndef VW_CTL_FULL_H
#define VW_CTL_FULL_H

/* Exit status when vendorwallctl-full cannot be run (the command failed). */
#define VW_CTL_EXIT_UNAVAILABLE 1

/* Runs vendorwallctl-full with argv (argv[0] kept); returns only on failure,
 * after saying why on stderr, with VW_CTL_EXIT_UNAVAILABLE. what names the
 * command in that message. */
int vw_ctl_run_full(char **argv, const char *what);

#endif
