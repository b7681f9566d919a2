// SPDX-License-Identifier: GPL-2.0-only
/* Durations and points in time, one syntax for the configuration and the command line. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "timeparse.h"

#define SPAN_MAX ((int64_t)100 * 366 * 86400)

int vw_parse_timespan(const char *s, int64_t *secs)
{
	/* Longest spelling first so that "min" is not read as "m" + "in". */
	static const struct { const char *unit; int64_t mult; } units[] = {
		{ "sec", 1 }, { "min", 60 }, { "hr", 3600 },
		{ "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 7 * 86400 },
		{ "", 1 },
	};
	int64_t total = 0;
	bool any = false;

	while (*s == ' ')
		s++;
	while (*s) {
		unsigned long long v;
		char *end;
		size_t i, ulen;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || v > (unsigned long long)SPAN_MAX)
			return -ERANGE;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			ulen = strlen(units[i].unit);
			if (!strncmp(end, units[i].unit, ulen) &&
			    (end[ulen] == '\0' || end[ulen] == ' ' || isdigit((unsigned char)end[ulen])))
				break;
		}
		if (i == sizeof(units) / sizeof(units[0]))
			return -EINVAL;
		if ((int64_t)v > (SPAN_MAX - total) / units[i].mult)
			return -ERANGE;
		total += (int64_t)v * units[i].mult;
		any = true;
		s = end + ulen;
		while (*s == ' ')
			s++;
	}
	if (!any)
		return -EINVAL;
	*secs = total;
	return 0;
}

/* Reads exactly n digits. */
static int digits(const char **s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -EINVAL;
		v = v * 10 + (**s - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

struct iso_time {
	int y, mo, d, h, mi, sec;
	bool date_only, zone;
	long offset;          /* seconds east of UTC, when zone */
};

/* The ISO 8601 forms both front ends accept; fields checked, not normalised. */
static int parse_iso_fields(const char *s, struct iso_time *t)
{
	int oh, om, sign;

	*t = (struct iso_time){ .date_only = true };
	if (digits(&s, 4, &t->y) || *s++ != '-' || digits(&s, 2, &t->mo) || *s++ != '-' ||
	    digits(&s, 2, &t->d))
		return -EINVAL;
	if (*s == 'T' || *s == ' ') {
		s++;
		t->date_only = false;
		if (digits(&s, 2, &t->h) || *s++ != ':' || digits(&s, 2, &t->mi))
			return -EINVAL;
		if (*s == ':' && (s++, digits(&s, 2, &t->sec)))
			return -EINVAL;
		if (*s == 'Z') {
			s++;
			t->zone = true;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (digits(&s, 2, &oh))
				return -EINVAL;
			if (*s == ':')
				s++;
			if (digits(&s, 2, &om) || oh > 23 || om > 59)
				return -EINVAL;
			t->offset = sign * (oh * 3600L + om * 60L);
			t->zone = true;
		}
	}
	/* Checked here because mktime would quietly turn 31 February into March. */
	if (*s || t->mo < 1 || t->mo > 12 || t->d < 1 || t->d > days_in_month(t->y, t->mo) ||
	    t->h > 23 || t->mi > 59 || t->sec > 59)
		return -EINVAL;
	return 0;
}

static struct tm iso_tm(const struct iso_time *t, int extra_days)
{
	return (struct tm){
		.tm_year = t->y - 1900, .tm_mon = t->mo - 1, .tm_mday = t->d + extra_days,
		.tm_hour = t->h, .tm_min = t->mi, .tm_sec = t->sec, .tm_isdst = -1,
	};
}

static int parse_iso(const char *s, int direction, time_t *out)
{
	struct iso_time it;
	struct tm tm;
	time_t t;
	int r = parse_iso_fields(s, &it);

	if (r < 0)
		return r;
	tm = iso_tm(&it, it.date_only && direction > 0);  /* "through that day" */
	t = it.zone ? timegm(&tm) - it.offset : mktime(&tm);
	if (t == (time_t)-1)
		return -ERANGE;
	*out = t;
	return 0;
}

int vw_parse_utc(const char *s, time_t *t, bool *date_only)
{
	struct iso_time it;
	struct tm tm;
	time_t v;

	if (parse_iso_fields(s, &it) < 0 || it.offset != 0)
		return -EINVAL;   /* files are in UTC: "Z", "+00:00" or no zone */
	tm = iso_tm(&it, 0);
	v = timegm(&tm);
	if (v == (time_t)-1)
		return -EINVAL;
	*t = v;
	*date_only = it.date_only;
	return 0;
}

int vw_parse_time(const char *s, time_t now, int direction, time_t *out)
{
	int64_t secs;
	int r, sign = direction < 0 ? -1 : 1;

	if (!s || !*s)
		return -EINVAL;
	if (*s == '@') {
		char *end;
		long long v;

		if (!isdigit((unsigned char)s[1]))
			return -EINVAL;
		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (errno || *end)
			return errno ? -ERANGE : -EINVAL;
		*out = (time_t)v;
		return 0;
	}
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-')
		return parse_iso(s, direction, out);
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	r = vw_parse_timespan(s, &secs);
	if (r < 0)
		return r;
	*out = now + sign * secs;
	return 0;
}
