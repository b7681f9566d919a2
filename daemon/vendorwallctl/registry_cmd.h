/* SPDX-License-Identifier: GPL-2.0-only */
/* vendorwallctl registry import|fetch: a new IEEE registry, validated and
 * swapped in, from files carried in or over HTTPS. */
#ifndef VW_CTL_REGISTRY_H
#define VW_CTL_REGISTRY_H

#include <stddef.h>

#define VW_REGISTRY_MAX_BYTES (64u << 20)   /* oui.csv is ~3 MB today */
#define VW_CONFIG_DEFAULT     "/etc/vendorwall/vendorwall.conf"

/* argv[0] is "registry". Exit status as vendorwallctl's. */
int vw_ctl_registry_main(int argc, char **argv);
/* Downloads url (https only) to path, at most max bytes; 0 or -errno with
 * a message in err (size errlen). cacert may be NULL (system bundle). */
int vw_ctl_fetch(const char *url, const char *path, const char *cacert, size_t max,
		 long timeout_s, char *err, size_t errlen);
/* The registry file a name stands for ("oui.csv" of "…/oui/oui.csv"), or -1. */
int vw_ctl_registry_kind(const char *name);

#endif
