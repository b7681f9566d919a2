// SPDX-License-Identifier: GPL-2.0-only
/* STATUS= for the service manager. */
#include <stdio.h>

#include <systemd/sd-daemon.h>

#include "names.h"
#include "status.h"

void vwd_update_status(struct daemon *d)
{
	char buf[512];
	size_t off = 0, devices = 0;

	if (d->inv)
		vw_inventory_count(d->inv, &devices);
	off += snprintf(buf, sizeof(buf), "STATUS=%zu segment(s):", vwd_n_segs(d));
	for (size_t i = 0; i < vwd_n_segs(d) && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, " %s=%s%s", vwd_seg(d, i)->name,
				vw_mode_name(vwd_seg(d, i)->mode),
				vwd_seg(d, i)->ifindex ? "" : "(absent)");
	if (off < sizeof(buf))
		snprintf(buf + off, sizeof(buf) - off, "; %zu restricted device(s) known", devices);
	sd_notify(0, buf);
}
