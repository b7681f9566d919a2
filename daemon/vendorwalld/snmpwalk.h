/* SPDX-License-Identifier: GPL-2.0-only */
/* One poll of one switch with net-snmp's single-session API: walks every
 * column of vw_snmp_columns into tables. Runs in a worker thread (see
 * switches.c), never in the event loop. */
#ifndef VWD_SNMPWALK_H
#define VWD_SNMPWALK_H

#include <stdatomic.h>
#include <stddef.h>

#include "snmppoll.h"
#include "switchconf.h"

/* Once, in the main thread, before any worker starts: loads net-snmp
 * (-ENOENT: not installed, -ENOSYS: a symbol is missing) and sets it up:
 * no configuration files, no persistent state, no MIB files (numeric OIDs
 * only). The library still creates a directory or two at start
 * (cert_indexes): in dir, not in /var/lib/snmp, which the unit does not
 * let us write. */
int vwd_snmp_global_init(const char *dir);

/* Fills t (initialised by the caller with its limits). Returns 0 (t may
 * be truncated), -ETIMEDOUT (the agent did not answer), -ECANCELED (stop
 * was set), -ENOMEM, or -EIO with why in err. Credentials are never put
 * in err. */
int vwd_snmp_walk(const struct vw_switch_conf *c, struct vw_snmp_tables *t,
		  const atomic_bool *stop, char *err, size_t errlen);

#endif
