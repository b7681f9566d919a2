// SPDX-License-Identifier: GPL-2.0-only
/* The compliance report as one self-contained HTML file: inline style, an
 * inline SVG timeline, no script and no external asset; printable. Every
 * string that a device or a file chose is escaped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mac.h"
#include "names.h"
#include "report_fmt.h"

#define esc vw_report_html_escape

static const char style[] =
	"body{font:14px/1.4 sans-serif;color:#111;margin:2em;max-width:75em}"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #999}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}"
	"th{background:#eee}td.n{text-align:right}"
	"dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}"
	"dl.meta dt{font-weight:bold}dl.meta dd{margin:0}"
	".blocked,.quarantined{color:#a00}.waived{color:#850}.monitored{color:#036}"
	".not-enforced{color:#666}.ev{font-size:.85em;color:#444}"
	"svg text{font:12px sans-serif}"
	"@media print{body{margin:0;max-width:none}h2{break-after:avoid}"
	"tr{break-inside:avoid}}";

static const char *const palette[] = {
	"#c0392b", "#2471a3", "#239b56", "#b9770e", "#7d3c98", "#138d75", "#566573",
};

static void meta(FILE *f, const struct vw_report *r)
{
	const struct vw_report_input *in = r->in;
	char a[32], b[32];

	fprintf(f, "<dl class=\"meta\"><dt>Generated</dt><dd>%s</dd>",
		vw_report_time(in->generated, a));
	fprintf(f, "<dt>Period</dt><dd>%s to %s</dd>",
		in->since > 0 ? vw_report_time(in->since, a) : "start of the inventory",
		vw_report_time(in->until, b));
	fputs("<dt>Policy version</dt><dd>", f);
	esc(f, in->policy_version);
	fputs(" (files now)", f);
	for (size_t i = 0; i < r->n_policies; i++) {
		fprintf(f, "<br>applied %s: ", vw_report_time(r->policies[i]->at, a));
		esc(f, r->policies[i]->what);
		fputs(" (", f);
		esc(f, r->policies[i]->detail);
		fputs(")", f);
	}
	fprintf(f, "</dd><dt>Registry date</dt><dd>%s</dd><dt>Profiles enforced</dt><dd>",
		vw_report_date(in->registry_date, a));
	for (size_t i = 0; i < in->n_active; i++) {
		fputs(i ? " " : "", f);
		esc(f, in->active[i]);
	}
	fputs("</dd><dt>Status</dt><dd>as enforced when the report was generated</dd></dl>\n", f);
}

static void degraded(FILE *f, const struct vw_report *r)
{
	char t[32];

	fputs("<h2 id=\"degraded\">Degraded states during the period</h2>\n", f);
	if (!r->data->has_history) {
		fputs("<p>Not recorded: the inventory was written by a vendorwall without history.</p>\n", f);
		return;
	}
	if (!r->n_degraded)
		fputs("<p>None recorded.</p>\n", f);
	else
		fputs("<table><tr><th>Time</th><th>State</th><th>Detail</th></tr>\n", f);
	for (size_t i = 0; i < r->n_degraded; i++) {
		const struct vw_report_event *e = r->degraded[i];

		fprintf(f, "<tr><td>%s</td><td>", vw_report_time(e->at, t));
		esc(f, e->what);
		if (e->segment) {
			fputs(" on ", f);
			esc(f, e->segment);
		}
		fputs("</td><td>", f);
		esc(f, e->detail);
		fputs("</td></tr>\n", f);
	}
	if (r->n_degraded)
		fputs("</table>\n", f);
}

static void summary(FILE *f, const struct vw_report *r)
{
	fputs("<h2 id=\"summary\">Summary</h2>\n<table class=\"summary\"><tr><th>Profile</th>"
	      "<th>Basis</th><th>Devices</th>", f);
	for (int s = 0; s < VW_RS_MAX; s++)
		fprintf(f, "<th>%s</th>", vw_report_status_name(s));
	fputs("</tr>\n", f);
	for (size_t i = 0; i < r->n_sec; i++) {
		const struct vw_report_section *s = &r->sec[i];

		fputs("<tr><td>", f);
		esc(f, s->profile->id);
		fputs(s->active ? "" : " (not enforced)", f);
		fputs("</td><td>", f);
		esc(f, s->profile->basis ? s->profile->basis : s->profile->source);
		fprintf(f, "</td><td class=\"n\">%zu</td>", s->n_devices);
		for (int k = 0; k < VW_RS_MAX; k++)
			fprintf(f, "<td class=\"n\">%zu</td>", s->count[k]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The x axis spans the period (or the sightings when it is open). */
static void time_range(const struct vw_report *r, int64_t *t0, int64_t *t1)
{
	*t0 = r->in->since > 0 ? r->in->since : 0;
	*t1 = r->in->until;
	for (size_t i = 0; i < r->n_series; i++)
		if (r->series[i].n && (!*t0 || r->series[i].first[0] < *t0))
			*t0 = r->series[i].first[0];
	if (!*t0 || *t1 <= *t0)
		*t0 = *t1 - 3600;
	/* An open period starts at the first sighting: leave a margin so its
	 * step is not drawn on the axis. */
	if (r->in->since <= 0)
		*t0 -= (*t1 - *t0) / 20 + 60;
}

static double xpos(int64_t t, int64_t t0, int64_t t1)
{
	double x = 60 + 640 * (double)(t - t0) / (double)(t1 - t0);

	return x < 60 ? 60 : x > 700 ? 700 : x;
}

/* A cumulative step line; sightings that fall in the same pixel column
 * become one step, so 100,000 devices stay a small picture. */
static void series_line(FILE *f, const struct vw_report_series *s, const char *color,
			int64_t t0, int64_t t1, size_t ymax)
{
	double y = 220;

	fputs("<polyline class=\"series\" data-vendor=\"", f);
	esc(f, s->vendor);
	fprintf(f, "\" data-count=\"%zu\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		   "points=\"60,220", s->n, color);
	for (size_t i = 0; i < s->n; i++) {
		double x = xpos(s->first[i], t0, t1);

		if (i + 1 < s->n && (int)xpos(s->first[i + 1], t0, t1) == (int)x)
			continue;
		fprintf(f, " %.1f,%.1f", x, y);
		y = 220 - 200 * (double)(i + 1) / (double)ymax;
		fprintf(f, " %.1f,%.1f", x, y);
	}
	fprintf(f, " 700,%.1f\"/>\n", y);
}

static void timeline(FILE *f, const struct vw_report *r)
{
	char a[32], b[32];
	int64_t t0, t1;
	size_t ymax = 1;

	fputs("<h2 id=\"timeline-title\">First sightings per vendor</h2>\n", f);
	time_range(r, &t0, &t1);
	for (size_t i = 0; i < r->n_series; i++)
		ymax = r->series[i].n > ymax ? r->series[i].n : ymax;
	fprintf(f, "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" "
		   "height=\"%zu\" viewBox=\"0 0 720 %zu\" role=\"img\" aria-label=\"Cumulative "
		   "first sightings per vendor\">\n", 270 + 18 * r->n_series, 270 + 18 * r->n_series);
	fputs("<rect x=\"60\" y=\"20\" width=\"640\" height=\"200\" fill=\"#fafafa\" stroke=\"#888\"/>\n", f);
	fprintf(f, "<text x=\"55\" y=\"25\" text-anchor=\"end\">%zu</text>"
		   "<text x=\"55\" y=\"220\" text-anchor=\"end\">0</text>\n", ymax);
	fprintf(f, "<text x=\"60\" y=\"238\">%s</text><text x=\"700\" y=\"238\" text-anchor=\"end\">%s</text>\n",
		vw_report_time(t0, a), vw_report_time(t1, b));
	for (size_t i = 0; i < r->n_series; i++) {
		const char *color = palette[i % (sizeof(palette) / sizeof(palette[0]))];

		series_line(f, &r->series[i], color, t0, t1, ymax);
		fprintf(f, "<rect x=\"60\" y=\"%zu\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			   "<text class=\"legend\" x=\"78\" y=\"%zu\">", 252 + 18 * i, color, 263 + 18 * i);
		esc(f, r->series[i].vendor);
		fprintf(f, " (%zu)</text>\n", r->series[i].n);
	}
	if (!r->n_series)
		fputs("<text x=\"380\" y=\"120\" text-anchor=\"middle\">no restricted device seen</text>\n", f);
	fputs("</svg>\n", f);
}

static void device(FILE *f, const struct vw_report_device *d)
{
	const char *st = vw_report_status_name(d->status);
	char mac[VW_MAC_STRLEN], a[32], b[32], w[512];

	vw_format_mac(d->row->mac, mac);
	fprintf(f, "<tr><td>%s</td><td>", mac);
	esc(f, d->row->vendor);
	fprintf(f, "</td><td class=\"%s\">%s</td><td>%s</td><td>%s</td><td>", st, st,
		vw_report_time(d->row->first_seen, a), vw_report_time(d->row->last_seen, b));
	esc(f, d->row->addresses);
	fputs("</td><td>", f);
	if (d->waiver) {
		vw_report_waiver_text(d->waiver, w, sizeof(w));
		esc(f, w);
	}
	fputs("</td><td class=\"ev\">", f);
	esc(f, d->row->evidence);
	fputs("</td></tr>\n", f);
}

static void profile_meta(FILE *f, const struct vw_profile *p)
{
	static const char *const labels[] = { "Basis", "Source", "Date", "Scope", "Note" };
	const char *values[] = { p->basis, p->source, p->date, p->scope, p->note };

	fputs("<dl class=\"meta\">", f);
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (!values[i])
			continue;
		fprintf(f, "<dt>%s</dt><dd>", labels[i]);
		esc(f, values[i]);
		fputs("</dd>", f);
	}
	for (size_t i = 0; i < p->urls.n; i++) {
		fputs("<dt>Text</dt><dd>", f);
		esc(f, p->urls.v[i]);
		fputs("</dd>", f);
	}
	fputs("<dt>Vendors</dt><dd>", f);
	for (size_t i = 0; i < p->vendors.n; i++) {
		fputs(i ? " " : "", f);
		esc(f, p->vendors.v[i]);
	}
	fputs(p->vendors.n ? "</dd></dl>\n" : "none: the measure names no vendor</dd></dl>\n", f);
}

static void section(FILE *f, const struct vw_report_section *s)
{
	fputs("<section class=\"profile\"><h2>Profile ", f);
	esc(f, s->profile->id);
	fputs(": ", f);
	esc(f, s->profile->name);
	fputs(s->active ? "" : " (not enforced here)", f);
	fputs("</h2>\n", f);
	profile_meta(f, s->profile);
	fprintf(f, "<p>%zu device(s).</p>\n", s->n_devices);
	for (size_t i = 0; i < s->n_seg; i++) {
		const struct vw_report_segment *g = &s->seg[i];

		fputs("<h3>Segment ", f);
		esc(f, *g->name ? g->name : "(none)");
		fprintf(f, " (mode %s)</h3>\n<table class=\"devices\"><tr><th>MAC</th><th>Vendor</th>"
			   "<th>Status</th><th>First seen</th><th>Last seen</th><th>Addresses</th>"
			   "<th>Waiver</th><th>Evidence</th></tr>\n",
			g->mode < 0 ? "not configured" : vw_mode_name(g->mode));
		for (size_t j = 0; j < g->n_dev; j++)
			device(f, &g->dev[j]);
		fputs("</table>\n", f);
	}
	fputs("</section>\n", f);
}

int vw_report_write_html(FILE *f, const struct vw_report *r)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<title>vendorwall compliance report</title><style>%s</style></head><body>\n"
		   "<h1>vendorwall compliance report</h1>\n", style);
	meta(f, r);
	summary(f, r);
	timeline(f, r);
	degraded(f, r);
	for (size_t i = 0; i < r->n_sec; i++)
		section(f, &r->sec[i]);
	fputs("</body></html>\n", f);
	return ferror(f) ? -EIO : 0;
}
