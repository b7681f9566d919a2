// SPDX-License-Identifier: GPL-2.0-only
/* The words vendorwall uses for the data plane's enums, one table each. */
#include <errno.h>
#include <string.h>
#include "names.h"
#include "vendorwall.h"

static const char *const mode_names[] = {
	[VW_MODE_OFF] = "off", [VW_MODE_MONITOR] = "monitor", [VW_MODE_BLOCK] = "block",
};

const char *vw_mode_name(uint8_t mode)
{
	return mode < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[mode] : "unknown";
}

int vw_mode_from_name(const char *s)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (!strcmp(mode_names[i], s))
			return (int)i;
	return -EINVAL;
}
