// SPDX-License-Identifier: GPL-2.0-only
/* The compliance report as CSV (RFC 4180, CRLF): one row per device and
 * segment of each profile, plus "policy" and "degraded" rows, so a
 * spreadsheet holds the whole report. */
#include <errno.h>
#include <stdio.h>

#include "mac.h"
#include "names.h"
#include "report_fmt.h"

enum { C_RECORD, C_PROFILE, C_BASIS, C_SEGMENT, C_MODE, C_MAC, C_VENDOR, C_VERDICT, C_STATUS,
       C_FIRST, C_LAST, C_ADDRESSES, C_EVIDENCE, C_W_UNTIL, C_W_BY, C_W_TICKET, C_W_REASON,
       C_DETAIL, C_MAX };

static const char *const columns[C_MAX] = {
	"record", "profile", "basis", "segment", "mode", "mac", "vendor", "verdict", "status",
	"first_seen", "last_seen", "addresses", "evidence", "waiver_until", "waiver_by",
	"waiver_ticket", "waiver_reason", "detail",
};

static void row(FILE *f, const char *const *cells)
{
	for (int i = 0; i < C_MAX; i++) {
		if (i)
			fputc(',', f);
		vw_report_csv_field(f, cells[i]);
	}
	fputs("\r\n", f);
}

static void device(FILE *f, const struct vw_report_section *s, const struct vw_report_segment *g,
		   const struct vw_report_device *d)
{
	char mac[VW_MAC_STRLEN], a[32], b[32], u[32];
	const char *c[C_MAX] = { 0 };

	vw_format_mac(d->row->mac, mac);
	c[C_RECORD] = "device";
	c[C_PROFILE] = s->profile->id;
	c[C_BASIS] = s->profile->basis;
	c[C_SEGMENT] = g->name;
	c[C_MODE] = g->mode < 0 ? "" : vw_mode_name(g->mode);
	c[C_MAC] = mac;
	c[C_VENDOR] = d->row->vendor;
	c[C_VERDICT] = d->row->verdict;
	c[C_STATUS] = vw_report_status_name(d->status);
	c[C_FIRST] = vw_report_time(d->row->first_seen, a);
	c[C_LAST] = vw_report_time(d->row->last_seen, b);
	c[C_ADDRESSES] = d->row->addresses;
	c[C_EVIDENCE] = d->row->evidence;
	if (d->waiver) {
		c[C_W_UNTIL] = d->waiver->until ? vw_report_time(d->waiver->until, u) : "";
		c[C_W_BY] = d->waiver->by;
		c[C_W_TICKET] = d->waiver->ticket;
		c[C_W_REASON] = d->waiver->reason;
	}
	row(f, c);
}

static void events(FILE *f, const char *record, const struct vw_report_event *const *e, size_t n)
{
	char a[32];

	for (size_t i = 0; i < n; i++) {
		const char *c[C_MAX] = { 0 };

		c[C_RECORD] = record;
		c[C_SEGMENT] = e[i]->segment;
		c[C_FIRST] = vw_report_time(e[i]->at, a);
		c[C_STATUS] = e[i]->what;
		c[C_DETAIL] = e[i]->detail;
		row(f, c);
	}
}

int vw_report_write_csv(FILE *f, const struct vw_report *r)
{
	const char *c[C_MAX] = { 0 };
	char detail[256], g[32], d[32];

	row(f, columns);
	snprintf(detail, sizeof(detail), "generated %s; policy version %s; registry %s",
		 vw_report_time(r->in->generated, g), r->in->policy_version,
		 vw_report_date(r->in->registry_date, d));
	c[C_RECORD] = "report";
	c[C_DETAIL] = detail;
	row(f, c);
	events(f, "policy", r->policies, r->n_policies);
	events(f, "degraded", r->degraded, r->n_degraded);
	for (size_t i = 0; i < r->n_sec; i++)
		for (size_t j = 0; j < r->sec[i].n_seg; j++)
			for (size_t k = 0; k < r->sec[i].seg[j].n_dev; k++)
				device(f, &r->sec[i], &r->sec[i].seg[j], &r->sec[i].seg[j].dev[k]);
	return ferror(f) ? -EIO : 0;
}
