/* SPDX-License-Identifier: GPL-2.0-only */
/* The words vendorwall uses for the data plane's enums, one table each. */
#ifndef VW_NAMES_H
#define VW_NAMES_H

#include <stdint.h>

const char *vw_mode_name(uint8_t mode);   /* "unknown" when out of range */
int vw_mode_from_name(const char *s);     /* enum vw_mode or -EINVAL */

#endif
