// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts the message kind, ONVIF scopes, types and transport addresses
 * from one WS-Discovery (UDP 3702) SOAP envelope.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §7.3 — devices announce themselves in Hello
 * and answer probes with ProbeMatches/ResolveMatches whose <Scopes> carry
 * onvif://www.onvif.org/name/<vendor> and /hardware/<model>. Probe, Resolve
 * and Bye carry no device description and yield -ENOMSG.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "fp.h"
#include "xmlscan.h"

/* Leaves room for message, types and xaddrs among VW_FP_MAX_FIELDS; a
 * camera sends about ten scopes. */
#define WSD_MAX_SCOPES   16
/* ProbeMatches normally holds one ProbeMatch; bound the repeats anyway. */
#define WSD_MAX_SCOPE_ELEMS 8
#define WSD_SCOPES_BUF   4096

static const char onvif_prefix[] = "onvif://www.onvif.org/";

static bool is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Scopes is a whitespace-separated URI list; keep only the ONVIF ones,
 * which are the standardised vendor/model carriers. */
static size_t add_scopes(struct vw_fp_result *r, struct vw_xml_span raw, size_t have)
{
	uint8_t buf[WSD_SCOPES_BUF];
	size_t n = vw_xml_text(raw.p, raw.len, buf, sizeof(buf)), i = 0;
	size_t plen = sizeof(onvif_prefix) - 1;

	if (n > sizeof(buf))
		n = sizeof(buf);   /* a cut last scope is still a prefix of itself */
	while (i < n && have < WSD_MAX_SCOPES) {
		size_t s;

		while (i < n && is_ws(buf[i]))
			i++;
		s = i;
		while (i < n && !is_ws(buf[i]))
			i++;
		/* The scheme and host are case-insensitive in URIs. */
		if (i - s > plen && !strncasecmp((const char *)buf + s, onvif_prefix, plen)) {
			vw_fp_add_copy(r, "scope", buf + s, i - s);
			have++;
		}
	}
	return have;
}

static const struct vw_xml_want wsd_fields[] = {
	{ "Types", "types" },
	{ "XAddrs", "xaddrs" },
};

int vw_fp_parse_wsd(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct vw_xml_span root, body, msg, c;
	size_t pos = 0, scopes = 0;
	bool bad = false;
	int rc;

	vw_fp_reset(r, VW_SIG_WSD);
	if (!p)
		return -ENOMSG;
	rc = vw_xml_root(p, len, &root);
	if (rc < 0)
		return rc;
	if (!vw_xml_span_is(root, "Envelope"))
		return -ENOMSG;
	rc = vw_xml_next(p, len, &pos, "Body", &body);
	if (rc == 0)
		return -EBADMSG;
	if (rc < 0) {
		/* Cut datagram: what precedes the cut may still be whole. */
		bad = true;
		if (!body.len)
			return -EBADMSG;
	}
	rc = vw_xml_root(body.p, body.len, &msg);
	if (rc < 0)
		return bad ? -EBADMSG : rc;
	if (!vw_xml_span_is(msg, "Hello") && !vw_xml_span_is(msg, "ProbeMatches") &&
	    !vw_xml_span_is(msg, "ResolveMatches"))
		return -ENOMSG;
	vw_fp_add_str(r, "message", msg.p, msg.len);

	pos = 0;
	for (int i = 0; i < WSD_MAX_SCOPE_ELEMS; i++) {
		rc = vw_xml_next(body.p, body.len, &pos, "Scopes", &c);
		if (rc == 0)
			break;
		if (rc < 0) {
			bad = true;
			break;
		}
		scopes = add_scopes(r, c, scopes);
	}
	if (vw_xml_add_each(r, body.p, body.len, wsd_fields, sizeof(wsd_fields) / sizeof(wsd_fields[0])) < 0)
		bad = true;
	return bad ? -EBADMSG : 0;
}
