/* SPDX-License-Identifier: GPL-2.0-only */
/* `vendorwallctl classify`: offline OUI + fingerprint classification of pcap/pcapng files with the daemon's engine, no daemon and no root needed. */
#ifndef VW_CTL_CLASSIFY_H
#define VW_CTL_CLASSIFY_H

/*
 * argv[0] is the sub-command name ("classify"); then
 *   [--profile NAME]... [--all] [-j|--json] [--policy-dir DIR]
 *   [--registry-dir DIR] FILE.pcap...
 * Prints a table (or JSON) of the devices judged restricted (all devices
 * with --all) to stdout; errors go to stderr as "Error: ...". A damaged
 * capture is reported as "FILE: frame N: ..." and what was read before it
 * is still classified and printed. Returns the exit status: 0, 1 on any
 * error, 2 on a usage error.
 */
int vw_ctl_classify_main(int argc, char **argv);

#endif
