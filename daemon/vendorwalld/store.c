// SPDX-License-Identifier: GPL-2.0-only
/* Opening the inventory (see store.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "health.h"
#include "journal.h"
#include "store.h"

void vwd_store_open(struct daemon *d, bool defer_cap)
{
	struct vw_inventory_limits lim = {
		.max_devices = d->st->conf.inventory_max_devices,
		.max_evidence_per_device = 64,
		.max_addresses_per_device = 16,
		.touch_interval_s = 60,
		.cap_after_open = defer_cap,
	};
	char path[PATH_MAX], detail[PATH_MAX + 64];
	int err = 0;

	if (d->inv)
		return;
	/* Owner only: the inventory and operator.json name devices, addresses
	 * and who decided what. An older, wider directory is narrowed. */
	if (mkdir(d->st->conf.state_dir, 0700) < 0 && errno != EEXIST)
		err = -errno;
	if (!err && chmod(d->st->conf.state_dir, 0700) < 0)
		err = -errno;
	snprintf(path, sizeof(path), "%s/inventory.db", d->st->conf.state_dir);
	if (!err)
		err = vw_inventory_open(&d->inv, path, &lim);
	if (!err) {
		vwd_recovered(d, "inventory", "inventory open");
		return;
	}
	d->inv = NULL;
	snprintf(detail, sizeof(detail), "inventory %s unusable (%s); devices are not recorded",
		 path, strerror(-err));
	vwd_degraded(d, "inventory", NULL, detail);
}

void vwd_store_apply_cap(struct daemon *d)
{
	int err;

	if (!d->inv)
		return;
	err = vw_inventory_apply_cap(d->inv);
	/* Not degraded: the next new device tries again, and recording
	 * devices goes on meanwhile. */
	if (err)
		vw_log(LOG_WARNING, "Inventory: devices beyond InventoryMaxDevices= not evicted yet: %s",
		       strerror(-err));
}
