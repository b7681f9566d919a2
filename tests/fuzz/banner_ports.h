/* SPDX-License-Identifier: GPL-2.0-only */
/* The server ports the dispatcher hands to the banner parser, from the one
 * table (include/vw_mgmt.h), in the order the banner fuzz target reads them:
 * a seed's first byte is the index of its port here. */
#ifndef VW_BANNER_PORTS_H
#define VW_BANNER_PORTS_H

#include <stdint.h>
#include "vw_mgmt.h"

static const uint16_t vw_banner_fuzz_ports[] = VW_MGMT_BANNER_PORTS;
#define VW_BANNER_FUZZ_PORTS (sizeof(vw_banner_fuzz_ports) / sizeof(vw_banner_fuzz_ports[0]))

#endif
