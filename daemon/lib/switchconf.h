/* SPDX-License-Identifier: GPL-2.0-only */
/* [Switch NAME] sections of vendorwall.conf: a switch the daemon polls with
 * SNMP (read-only credentials), and its polling bounds. */
#ifndef VW_SWITCHCONF_H
#define VW_SWITCHCONF_H

#include <stdbool.h>
#include <stdint.h>
#include "diag.h"

#define VW_SWITCH_NAME_MAX 64

enum vw_snmp_version { VW_SNMP_V2C = 0, VW_SNMP_V3 = 1 };
enum vw_snmp_auth { VW_SNMP_AUTH_SHA = 0, VW_SNMP_AUTH_SHA256, VW_SNMP_AUTH_SHA512, VW_SNMP_AUTH_MD5 };
enum vw_snmp_priv { VW_SNMP_PRIV_AES = 0, VW_SNMP_PRIV_DES };

struct vw_switch_conf {
	char *name;
	char *address;             /* IPv4/IPv6 literal or host name */
	uint16_t port;             /* default 161 */
	uint8_t version;           /* enum vw_snmp_version */
	/* Secrets: never logged, never shown by status. */
	char *community;           /* v2c */
	char *user;                /* v3 security name */
	uint8_t auth_proto;        /* enum vw_snmp_auth */
	char *auth_password;       /* v3: required (authNoPriv at least) */
	uint8_t priv_proto;        /* enum vw_snmp_priv */
	char *priv_password;       /* v3: set = authPriv */
	uint32_t interval_s;       /* default 300 */
	uint32_t timeout_ms;       /* per request, default 2000 */
	uint32_t retries;          /* default 1 */
	uint32_t max_rows;         /* per poll, all tables together; default 50000 */
	uint32_t max_bytes;        /* per poll, OIDs and values; default 16 MiB */
	char *file;  int line;     /* where the section starts */
};

/* The section [Switch name] opened at file:line: the entry of that name
 * in *v (a later drop-in extends it) or a new one. 0, -EINVAL (reported
 * to diag: bad name) or -ENOMEM. */
int vw_switchconf_open(struct vw_switch_conf **v, size_t *n, const char *name,
		       const char *file, int line, size_t *idx, struct vw_diag *diag);
/* One key of a [Switch] section. Secrets are refused from a file that
 * users other than its owner and group may read. 0 or -EINVAL (reported),
 * -ENOMEM. */
int vw_switchconf_key(struct vw_switch_conf *s, const char *key, const char *value,
		      const char *file, int line, struct vw_diag *diag);
/* What only the merged files can tell: credentials complete for the
 * version. 0 or -EINVAL (reported). */
int vw_switchconf_validate(const struct vw_switch_conf *s, struct vw_diag *diag);
void vw_switchconf_free(struct vw_switch_conf *v, size_t n);

#endif
