/* SPDX-License-Identifier: GPL-2.0-only */
/* Durations and points in time, one syntax for the configuration and the command line. */
#ifndef VW_TIMEPARSE_H
#define VW_TIMEPARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * A time span as systemd writes one (systemd.time(7)): one or more
 * "NUMBER[UNIT]" parts, optionally separated by spaces, summed; a bare
 * number is seconds. Units: s, sec, m, min, h, hr, d, w. "90", "90s",
 * "2m", "2min", "1d12h", "1h 30min". At most 100 years.
 * Returns 0, -EINVAL or -ERANGE.
 */
int vw_parse_timespan(const char *s, int64_t *secs);

/*
 * Times as operators type them, to unix seconds:
 *   ISO 8601  2027-03-31, 2027-03-31T18:00[:SS][Z|±HH:MM] (a space may
 *             replace the T); without a zone in local time; a bare date
 *             means through that day (the next local midnight) when
 *             direction > 0 and its start otherwise
 *   relative  "+8h", "-2h", "7d", "1d12h", "90min", "90" (a time span as
 *             above); with no sign, direction decides (+1: from now on, as
 *             for --until; -1: ago, as for --since)
 *   @SECONDS  unix seconds
 * Returns 0, -EINVAL or -ERANGE.
 */
int vw_parse_time(const char *s, time_t now, int direction, time_t *out);

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][Z|+00:00]" (a space may replace
 * the T), always UTC: the form the configuration and policy files use.
 * *date_only tells which form was given. 0 or -EINVAL. */
int vw_parse_utc(const char *s, time_t *t, bool *date_only);

#endif
