// SPDX-License-Identifier: GPL-2.0-only
/* The compliance report as JSON, written as a stream: 100,000 devices never
 * become a tree in memory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mac.h"
#include "names.h"
#include "report_fmt.h"

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong 3/4-byte forms, no surrogates, nothing past U+10FFFF */
	if ((n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) ||
	    (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))))
		return 0;
	return n;
}

/* A JSON string; device-chosen bytes that are not UTF-8 become U+FFFD so
 * the document stays valid JSON. */
static void jstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	while (*s) {
		const unsigned char *u = (const unsigned char *)s;
		size_t n = 0, k;

		while (u[n] >= 0x20 && u[n] < 0x80 && u[n] != '"' && u[n] != '\\')
			n++;
		fwrite(s, 1, n, f);
		s += n;
		u += n;
		if (!*u)
			break;
		if (*u == '"' || *u == '\\') {
			fprintf(f, "\\%c", *u);
			k = 1;
		} else if (*u < 0x20) {
			fprintf(f, "\\u%04x", *u);
			k = 1;
		} else if ((k = utf8_len(u))) {
			fwrite(u, 1, k, f);
		} else {
			fputs("\\ufffd", f);
			k = 1;
		}
		s += k;
	}
	fputc('"', f);
}

static void jtime(FILE *f, int64_t t)
{
	char b[32];

	if (t)
		jstr(f, vw_report_time(t, b));
	else
		fputs("null", f);
}

/* ,"key":"value" after the first member of an object. */
static void jkstr(FILE *f, const char *key, const char *s)
{
	fprintf(f, ",\"%s\":", key);
	jstr(f, s);
}

static void jktime(FILE *f, const char *key, int64_t t)
{
	fprintf(f, ",\"%s\":", key);
	jtime(f, t);
}

static void jstrv(FILE *f, const struct vw_strv *v)
{
	fputc('[', f);
	for (size_t i = 0; i < v->n; i++) {
		fputs(i ? "," : "", f);
		jstr(f, v->v[i]);
	}
	fputc(']', f);
}

static void jcounts(FILE *f, const size_t *c)
{
	fputc('{', f);
	for (int s = 0; s < VW_RS_MAX; s++) {
		fprintf(f, "%s", s ? "," : "");
		jstr(f, vw_report_status_name(s));
		fprintf(f, ":%zu", c[s]);
	}
	fputc('}', f);
}

static void jevents(FILE *f, const struct vw_report_event *const *e, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"at\":" : "{\"at\":", f);
		jtime(f, e[i]->at);
		jkstr(f, "what", e[i]->what);
		jkstr(f, "segment", e[i]->segment);
		jkstr(f, "detail", e[i]->detail);
		fputc('}', f);
	}
	fputc(']', f);
}

static void jdevice(FILE *f, const struct vw_report_device *d)
{
	char mac[VW_MAC_STRLEN];

	vw_format_mac(d->row->mac, mac);
	fputs("{\"mac\":", f);
	jstr(f, mac);
	jkstr(f, "vendor", d->row->vendor);
	jkstr(f, "verdict", d->row->verdict);
	jkstr(f, "status", vw_report_status_name(d->status));
	jktime(f, "first_seen", d->row->first_seen);
	jktime(f, "last_seen", d->row->last_seen);
	jkstr(f, "addresses", d->row->addresses);
	jkstr(f, "evidence", d->row->evidence);
	fputs(",\"waiver\":", f);
	if (d->waiver) {
		fputs("{\"until\":", f);
		jtime(f, d->waiver->until);
		jkstr(f, "by", d->waiver->by);
		jkstr(f, "ticket", d->waiver->ticket);
		jkstr(f, "reason", d->waiver->reason);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputc('}', f);
}

static void jprofile(FILE *f, const struct vw_profile *p)
{
	fputs("{\"id\":", f);
	jstr(f, p->id);
	jkstr(f, "name", p->name);
	jkstr(f, "basis", p->basis);
	jkstr(f, "source", p->source);
	fputs(",\"urls\":", f);
	jstrv(f, &p->urls);
	jkstr(f, "date", p->date);
	jkstr(f, "scope", p->scope);
	fputs(",\"vendors\":", f);
	jstrv(f, &p->vendors);
	jkstr(f, "note", p->note);
	fputc('}', f);
}

static void jsection(FILE *f, const struct vw_report_section *s)
{
	fputs("{\"profile\":", f);
	jprofile(f, s->profile);
	fprintf(f, ",\"enforced\":%s,\"devices\":%zu,\"counts\":", s->active ? "true" : "false",
		s->n_devices);
	jcounts(f, s->count);
	fputs(",\"segments\":[", f);
	for (size_t i = 0; i < s->n_seg; i++) {
		const struct vw_report_segment *g = &s->seg[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		jstr(f, g->name);
		jkstr(f, "mode", g->mode < 0 ? NULL : vw_mode_name(g->mode));
		fputs(",\"counts\":", f);
		jcounts(f, g->count);
		fputs(",\"devices\":[", f);
		for (size_t j = 0; j < g->n_dev; j++) {
			fputs(j ? ",\n" : "\n", f);
			jdevice(f, &g->dev[j]);
		}
		fputs("]}", f);
	}
	fputs("]}", f);
}

int vw_report_write_json(FILE *f, const struct vw_report *r)
{
	const struct vw_report_input *in = r->in;
	char b[32];

	fputs("{\"generated\":", f);
	jtime(f, in->generated);
	jktime(f, "since", in->since > 0 ? in->since : 0);
	jktime(f, "until", in->until);
	jkstr(f, "policy_version", in->policy_version);
	jkstr(f, "registry_date", in->registry_date ? vw_report_date(in->registry_date, b) : NULL);
	fputs(",\"profiles_enforced\":[", f);
	for (size_t i = 0; i < in->n_active; i++) {
		fputs(i ? "," : "", f);
		jstr(f, in->active[i]);
	}
	fprintf(f, "],\"history_recorded\":%s,\"policies_applied\":",
		r->data->has_history ? "true" : "false");
	jevents(f, r->policies, r->n_policies);
	fputs(",\"degraded\":", f);
	jevents(f, r->degraded, r->n_degraded);
	fputs(",\"sections\":[", f);
	for (size_t i = 0; i < r->n_sec; i++) {
		fputs(i ? ",\n" : "\n", f);
		jsection(f, &r->sec[i]);
	}
	fputs("]}\n", f);
	return ferror(f) ? -EIO : 0;
}
