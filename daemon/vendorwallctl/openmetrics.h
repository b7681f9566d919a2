/* SPDX-License-Identifier: GPL-2.0-only */
/* The daemon's per-segment counters in the OpenMetrics text format, for
 * Prometheus scrapes and node_exporter's textfile collector. */
#ifndef VW_CTL_OPENMETRICS_H
#define VW_CTL_OPENMETRICS_H

#include <stdio.h>
#include <json-c/json.h>

/* stats is the result of the "stats" command ({"segments": [{"name",
 * "counters": {NAME: N}}]}). Writes every family with TYPE, HELP and
 * samples, label values escaped, then "# EOF". Returns 0, -EBADMSG when
 * stats is not of that shape, or -EIO when f failed. */
int vw_openmetrics_write(FILE *f, struct json_object *stats);

#endif
