// SPDX-License-Identifier: GPL-2.0-only
/* The compliance report as plain text, for a terminal or a printer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "mac.h"
#include "names.h"
#include "report_fmt.h"

/* Text devices and users chose (vendor names, evidence, reasons) may hold
 * terminal controls or bidi overrides: shown escaped (escape.h). */
static const char *esc(const char *s, char *buf, size_t n)
{
	vw_escape(s, strlen(s), buf, n);
	return buf;
}

static void header(FILE *f, const struct vw_report *r)
{
	const struct vw_report_input *in = r->in;
	char a[32], b[32];

	fprintf(f, "vendorwall compliance report\n\n");
	fprintf(f, "Generated:          %s\n", vw_report_time(in->generated, a));
	fprintf(f, "Period:             %s to %s\n",
		in->since > 0 ? vw_report_time(in->since, a) : "start of the inventory",
		vw_report_time(in->until, b));
	fprintf(f, "Policy version:     %s (files now)\n", in->policy_version);
	for (size_t i = 0; i < r->n_policies; i++)
		fprintf(f, "  applied %s:  %s (%s)\n", vw_report_time(r->policies[i]->at, a),
			r->policies[i]->what, r->policies[i]->detail ? r->policies[i]->detail : "");
	fprintf(f, "Registry date:      %s\n", vw_report_date(in->registry_date, a));
	fprintf(f, "Profiles enforced:  ");
	for (size_t i = 0; i < in->n_active; i++)
		fprintf(f, "%s%s", i ? " " : "", in->active[i]);
	fprintf(f, "\nStatus:             as enforced when the report was generated\n");
}

static void degraded(FILE *f, const struct vw_report *r)
{
	char t[32];

	fprintf(f, "\nDegraded states during the period:\n");
	if (!r->data->has_history)
		fprintf(f, "  not recorded (inventory from a vendorwall without history)\n");
	else if (!r->n_degraded)
		fprintf(f, "  none recorded\n");
	for (size_t i = 0; i < r->n_degraded; i++) {
		const struct vw_report_event *e = r->degraded[i];

		char d[1024];

		fprintf(f, "  %s  %s%s%s: %s\n", vw_report_time(e->at, t), e->what,
			e->segment ? " on " : "", e->segment ? e->segment : "",
			esc(e->detail ? e->detail : "", d, sizeof(d)));
	}
	if (r->data->has_history && !r->n_policies)
		fprintf(f, "  (no policy was recorded as applied during the period: "
			   "was the daemon running?)\n");
}

static void counts(FILE *f, const size_t *c)
{
	for (int s = 0; s < VW_RS_MAX; s++)
		fprintf(f, "  %*zu", (int)strlen(vw_report_status_name(s)), c[s]);
}

static void summary(FILE *f, const struct vw_report *r)
{
	fprintf(f, "\nSummary (device-segment pairs by status):\n%-28s %7s", "PROFILE", "DEVICES");
	for (int s = 0; s < VW_RS_MAX; s++)
		fprintf(f, "  %s", vw_report_status_name(s));
	fputc('\n', f);
	for (size_t i = 0; i < r->n_sec; i++) {
		fprintf(f, "%-28s %7zu", r->sec[i].profile->id, r->sec[i].n_devices);
		counts(f, r->sec[i].count);
		fputc('\n', f);
	}
}

static void device(FILE *f, const struct vw_report_device *d)
{
	char mac[VW_MAC_STRLEN], a[32], b[32], w[512], e1[256], e2[1024];

	vw_format_mac(d->row->mac, mac);
	fprintf(f, "  %-17s  %-10s  %-12s  %-20s  %-20s  %s\n", mac, esc(d->row->vendor, e1, sizeof(e1)),
		vw_report_status_name(d->status), vw_report_time(d->row->first_seen, a),
		vw_report_time(d->row->last_seen, b),
		*d->row->addresses ? esc(d->row->addresses, e2, sizeof(e2)) : "-");
	if (*d->row->evidence)
		fprintf(f, "      evidence: %s\n", esc(d->row->evidence, e2, sizeof(e2)));
	if (d->waiver) {
		vw_report_waiver_text(d->waiver, w, sizeof(w));
		fprintf(f, "      waiver:   %s\n", esc(w, e2, sizeof(e2)));
	}
}

static void profile_head(FILE *f, const struct vw_report_section *s)
{
	const struct vw_profile *p = s->profile;

	fprintf(f, "\nProfile %s: %s%s\n", p->id, p->name, s->active ? "" : " (not enforced here)");
	fprintf(f, "  Basis:   %s\n  Source:  %s\n  Date:    %s\n", p->basis ? p->basis : "-",
		p->source, p->date);
	for (size_t i = 0; i < p->urls.n; i++)
		fprintf(f, "  Text:    %s\n", p->urls.v[i]);
	fprintf(f, "  Scope:   %s\n  Vendors: ", p->scope ? p->scope : "-");
	for (size_t i = 0; i < p->vendors.n; i++)
		fprintf(f, "%s%s", i ? " " : "", p->vendors.v[i]);
	fprintf(f, "%s\n", p->vendors.n ? "" : "none: the measure names no vendor");
	if (p->note)
		fprintf(f, "  Note:    %s\n", p->note);
}

static void section(FILE *f, const struct vw_report_section *s)
{
	profile_head(f, s);
	fprintf(f, "  Devices: %zu\n", s->n_devices);
	for (size_t i = 0; i < s->n_seg; i++) {
		const struct vw_report_segment *g = &s->seg[i];

		fprintf(f, "\n  Segment %s (mode %s): %zu device(s):", *g->name ? g->name : "(none)",
			g->mode < 0 ? "not configured" : vw_mode_name(g->mode), g->n_dev);
		for (int k = 0; k < VW_RS_MAX; k++)
			if (g->count[k])
				fprintf(f, " %zu %s", g->count[k], vw_report_status_name(k));
		fprintf(f, "\n  %-17s  %-10s  %-12s  %-20s  %-20s  %s\n", "MAC", "VENDOR", "STATUS",
			"FIRST-SEEN", "LAST-SEEN", "ADDRESSES");
		for (size_t j = 0; j < g->n_dev; j++)
			device(f, &g->dev[j]);
	}
}

int vw_report_write_text(FILE *f, const struct vw_report *r)
{
	header(f, r);
	degraded(f, r);
	summary(f, r);
	for (size_t i = 0; i < r->n_sec; i++)
		section(f, &r->sec[i]);
	return ferror(f) ? -EIO : 0;
}
