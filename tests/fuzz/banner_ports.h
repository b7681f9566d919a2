/* SPDX-License-Identifier: GPL-2.0-only */
/* The server ports frame.c hands to the banner parser (banner_port()), in
 * the order the banner fuzz target reads them: a seed's first byte is the
 * index of its port here. */
#ifndef VW_BANNER_PORTS_H
#define VW_BANNER_PORTS_H

#include <stdint.h>

static const uint16_t vw_banner_fuzz_ports[] = { 21, 22, 23, 80, 554, 7547, 8000, 37777 };
#define VW_BANNER_FUZZ_PORTS (sizeof(vw_banner_fuzz_ports) / sizeof(vw_banner_fuzz_ports[0]))

#endif
