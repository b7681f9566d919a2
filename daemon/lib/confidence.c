// SPDX-License-Identifier: GPL-2.0-only
/* Confidence of a piece of evidence or of a verdict: a probability in
 * [0, 1], with one set of levels and one way of writing it. */
#include <stdio.h>
#include "confidence.h"

unsigned vw_conf_percent(double c)
{
	long p;

	if (!(c > 0))
		return 0;
	if (c >= 1)
		return 100;
	p = (long)(c * 100 + 0.5);
	return p >= 100 ? 99 : (unsigned)p;
}

double vw_conf_from_percent(unsigned p)
{
	return (p > 100 ? 100 : p) / 100.0;
}

const char *vw_conf_format(double c, char buf[VW_CONF_STRLEN])
{
	unsigned p = vw_conf_percent(c);

	/* p is 0..100: one digit before the point */
	snprintf(buf, VW_CONF_STRLEN, "%u.%02u", (p / 100) & 1, p % 100);
	return buf;
}
