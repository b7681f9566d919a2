// SPDX-License-Identifier: GPL-2.0-only
/* Helpers the report formatters share: times, waiver text, HTML and CSV escaping. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report_fmt.h"

/* UTC everywhere: a report is read elsewhere and later than it is made. */
const char *vw_report_time(int64_t t, char *buf)
{
	time_t tt = t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return strcpy(buf, "-");
	return buf;
}

const char *vw_report_date(int64_t t, char *buf)
{
	time_t tt = t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%d", &tm))
		return strcpy(buf, "unknown");
	return buf;
}

void vw_report_waiver_text(const struct vw_report_waiver *w, char *buf, size_t len)
{
	char t[32];

	snprintf(buf, len, "%s%s by %s%s%s: %s", w->until ? "until " : "no expiry",
		 w->until ? vw_report_time(w->until, t) : "", w->by,
		 w->ticket ? ", ticket " : "", w->ticket ? w->ticket : "", w->reason ? w->reason : "");
}

void vw_report_html_escape(FILE *f, const char *s)
{
	while (s && *s) {
		/* Plain runs in one write: the report of 100,000 devices is
		 * mostly plain text. */
		size_t n = strcspn(s, "&<>\"'");

		fwrite(s, 1, n, f);
		s += n;
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: return;
		}
		s++;
	}
}

void vw_report_csv_field(FILE *f, const char *s)
{
	bool formula;

	s = s ? s : "";
	formula = strchr("=+-@\t\r", *s) && *s;
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
