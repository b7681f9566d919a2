/* SPDX-License-Identifier: GPL-2.0-only */
/* vendorwallctl report: the command and its four output formats. */
#ifndef VW_REPORT_FMT_H
#define VW_REPORT_FMT_H

#include <stdint.h>
#include <stdio.h>
#include "report.h"

/* Each writes the whole report to f; 0, or -errno when writing failed. */
int vw_report_write_text(FILE *f, const struct vw_report *r);
int vw_report_write_json(FILE *f, const struct vw_report *r);
int vw_report_write_csv(FILE *f, const struct vw_report *r);
int vw_report_write_html(FILE *f, const struct vw_report *r);

/* Shared by the formatters. */
/* "2026-11-25T23:43:30Z", or "-" for 0. buf holds at least 32 bytes. */
const char *vw_report_time(int64_t t, char *buf);
/* The date part only, "2022-08-27", or "unknown" for 0. */
const char *vw_report_date(int64_t t, char *buf);
/* Waiver text: "until 2026-11-26T07:43:34Z by uid 0, ticket CHG-1234: reason". */
void vw_report_waiver_text(const struct vw_report_waiver *w, char *buf, size_t len);
/* Writes s with HTML's five special characters escaped. */
void vw_report_html_escape(FILE *f, const char *s);
/* Writes one RFC 4180 field: quoted when needed, and prefixed with ' when
 * it starts with = + - @ (or a tab/CR) so a spreadsheet never runs it. */
void vw_report_csv_field(FILE *f, const char *s);

/* vendorwallctl report / policy profiles: argv from the sub-command on.
 * Returns the exit status. */
int vw_ctl_report_main(int argc, char **argv);
int vw_ctl_profiles_main(int argc, char **argv, int json);

#endif
