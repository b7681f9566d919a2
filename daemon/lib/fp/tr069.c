// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts the DeviceId (Manufacturer, OUI, ProductClass, SerialNumber) of
 * a TR-069 CWMP Inform that a CPE POSTs to its ACS.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §10 — Huawei ONT/HG: OUI 00E0FC; ZTE ONT:
 * Manufacturer "ZTE", ProductClass "F6600P"…; carrier firmware prefixes
 * (X_HW_, X_ZTE-COM_, X_CMCC_…) live in parameter names, which the rules
 * do not need from here.
 *
 * Input is a TCP payload: either an HTTP POST (its headers are skipped,
 * never read for fields) or a later segment that is all body. The XML is
 * read with the bounded scanner in xmlscan.c; only the DeviceId inside an
 * Inform counts, so an InformResponse or a parameter value that happens to
 * say "Manufacturer" elsewhere is not a field.
 */
#include <errno.h>
#include <string.h>

#include "fp.h"
#include "textscan.h"
#include "xmlscan.h"

/* A POST to an ACS carries about ten headers. */
#define HTTP_MAX_HEADERS 256

static const struct {
	const char *elem, *field;
} device_id[] = {
	{ "Manufacturer", "manufacturer" },
	{ "OUI", "oui" },
	{ "ProductClass", "product-class" },
	{ "SerialNumber", "serial" },
};

/* Offset of the body after the request's header block, or -EBADMSG when
 * the block does not end within the input or the cap. */
static long skip_headers(const uint8_t *p, size_t len)
{
	struct vw_span line;
	size_t pos = 0;

	for (unsigned n = 0; n <= HTTP_MAX_HEADERS; n++) {
		if (vw_next_line(p, len, &pos, &line) != VW_LINE_OK)
			return -EBADMSG;
		if (n && line.len == 0)
			return (long)pos;
	}
	return -EBADMSG;
}

int vw_fp_parse_tr069(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct vw_xml_span inform, dev;
	size_t body = 0, pos;
	bool damaged = false;
	int rc;

	vw_fp_reset(r, VW_SIG_TR069);
	if (len == 0)
		return -ENOMSG;
	if (len >= 5 && !memcmp(p, "POST ", 5)) {
		long b = skip_headers(p, len);

		if (b < 0)
			return -EBADMSG;
		body = (size_t)b;
	} else if (p[0] != '<' && p[0] != ' ' && p[0] != '\t' && p[0] != '\r' &&
		   p[0] != '\n' && p[0] != 0xEF) {
		/* Not a POST and not XML (0xEF: a UTF-8 BOM): an ACS's
		 * connection request, a response, or something else. */
		return -ENOMSG;
	}

	pos = body;
	rc = vw_xml_next(p, len, &pos, "Inform", &inform);
	if (rc == 0)
		return -ENOMSG;
	/* An Inform cut by the segment end: read what arrived. */
	if (rc < 0) {
		if (!inform.len)
			return -EBADMSG;
		damaged = true;
	}
	pos = 0;
	rc = vw_xml_next(inform.p, inform.len, &pos, "DeviceId", &dev);
	if (rc == 0)
		return damaged ? -EBADMSG : -ENOMSG;
	if (rc < 0) {
		if (!dev.len)
			return -EBADMSG;
		damaged = true;
	}
	for (size_t i = 0; i < sizeof(device_id) / sizeof(device_id[0]); i++) {
		/* Each child is looked up from the start: devices do not all
		 * keep the schema's order. */
		pos = 0;
		if (vw_xml_add_next(r, device_id[i].field, dev.p, dev.len, &pos, device_id[i].elem) < 0)
			damaged = true;
	}
	if (damaged)
		return -EBADMSG;
	return r->n ? 0 : -ENOMSG;
}
