// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts what an SNMP agent says about itself — sysObjectID.0,
 * sysDescr.0, trap enterprise / snmpTrapOID.0, the enterprise number of
 * any OID it answers with, and the SNMPv3 authoritative engine ID — from
 * one v1/v2c/v3 message, with a bounded BER reader.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §5 — OIDs under 1.3.6.1.4.1.<PEN> and engine
 * IDs 0x80000000|PEN (80 00 07 DB = Huawei 2011, 80 00 0F 3E = ZTE 3902,
 * 80 00 98 FD = Hikvision 39165, …); sysDescr strings of §5.3.
 *
 * The reader walks the fixed SNMP schema iteratively; it never descends
 * into a TLV the schema does not name, so a 10 000-deep nest of SEQUENCEs
 * costs one skipped TLV, and every descent is also counted against
 * BER_MAX_DEPTH so no future change can turn it into unbounded recursion.
 * Only definite lengths, at most 4 length octets, never beyond the window.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fp.h"

/* Deepest real nesting: message > msgSecurityParameters contents > USM
 * SEQUENCE, or message > scopedPDU > PDU > varbind list > varbind. */
#define BER_MAX_DEPTH     8
/* A response fits in one datagram; a walk answer carries a few dozen
 * varbinds. The cap bounds work on 64 KiB of two-byte varbinds. */
#define SNMP_MAX_VARBINDS 512
/* RFC 2578 §7.1.3: at most 128 sub-identifiers, each at most 2^32-1. */
#define OID_MAX_ARCS      128
#define OID_TEXT_MAX      (OID_MAX_ARCS * 11)
/* Distinct enterprise numbers reported per message. */
#define MAX_PENS          8

enum {
	T_INTEGER = 0x02, T_OCTETS = 0x04, T_OID = 0x06, T_SEQ = 0x30,
	T_IPADDR = 0x40, T_TIMETICKS = 0x43,
	/* varbind value exceptions (RFC 3416): the agent lacks the object */
	T_NOSUCHOBJECT = 0x80, T_NOSUCHINSTANCE = 0x81, T_ENDOFMIBVIEW = 0x82,
};

enum {
	PDU_GET = 0xA0, PDU_GETNEXT = 0xA1, PDU_RESPONSE = 0xA2, PDU_SET = 0xA3,
	PDU_TRAP_V1 = 0xA4, PDU_GETBULK = 0xA5, PDU_INFORM = 0xA6,
	PDU_TRAP_V2 = 0xA7, PDU_REPORT = 0xA8,
};

/* RFC 3412 msgFlags: set on Confirmed-Class PDUs (requests, Inform),
 * whose authoritative engine is the receiver. */
#define V3_REPORTABLE 0x04
#define USM_MODEL     3

/* Encoded OID contents of the objects we read by name. */
static const uint8_t oid_sysdescr[] = { 0x2B, 6, 1, 2, 1, 1, 1, 0 };
static const uint8_t oid_sysobjectid[] = { 0x2B, 6, 1, 2, 1, 1, 2, 0 };
static const uint8_t oid_snmptrapoid[] = { 0x2B, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

/* A window [p, p + len) being read from pos, at nesting depth. */
struct ber {
	const uint8_t *p;
	size_t len, pos;
	unsigned depth;
};

struct tlv {
	uint8_t tag;
	const uint8_t *v;
	size_t len;
};

struct ctx {
	struct vw_fp_result *r;
	uint32_t pens[MAX_PENS];
	unsigned npens;
	unsigned facts;        /* device-fact fields added */
	bool damaged;          /* framing intact but something inside was bad */
	bool cut;              /* a container ran past the end of the input */
	bool have_descr, have_oid, have_trapoid;
};

enum { BER_OK = 0, BER_END = 1 };

/* Reads the TLV at c->pos. A container may be `lenient`: when its length
 * runs past the window it is clamped to what is there (ctx->cut records
 * the damage), so the complete varbinds before a cut are still read.
 * Leaves are never clamped: a cut OCTET STRING is not a value. */
static int ber_next(struct ctx *x, struct ber *c, struct tlv *t, bool lenient)
{
	size_t rem, hdr = 2, n;
	uint8_t b;

	if (c->pos >= c->len)
		return BER_END;
	rem = c->len - c->pos;
	if (rem < 2)
		return -EBADMSG;
	t->tag = c->p[c->pos];
	/* High-tag-number form never occurs in SNMP. */
	if ((t->tag & 0x1F) == 0x1F)
		return -EBADMSG;
	b = c->p[c->pos + 1];
	if (b < 0x80) {
		n = b;
	} else {
		size_t k = b & 0x7F;
		uint64_t v = 0;

		/* 0x80 is the indefinite form, which SNMP forbids; more than
		 * four length octets would describe more than any datagram. */
		if (k == 0 || k > 4)
			return -EBADMSG;
		if (rem - 2 < k)
			return -EBADMSG;
		for (size_t i = 0; i < k; i++)
			v = v << 8 | c->p[c->pos + 2 + i];
		hdr += k;
		if (v > rem - hdr) {
			if (!lenient)
				return -EBADMSG;
			v = rem - hdr;
			x->cut = true;
		}
		n = (size_t)v;
	}
	if (n > rem - hdr) {
		if (!lenient)
			return -EBADMSG;
		n = rem - hdr;
		x->cut = true;
	}
	t->v = c->p + c->pos + hdr;
	t->len = n;
	c->pos += hdr + n;
	return BER_OK;
}

/* Reads the next TLV and insists on its tag. */
static int ber_expect(struct ctx *x, struct ber *c, struct tlv *t, uint8_t tag, bool lenient)
{
	int rc = ber_next(x, c, t, lenient);

	if (rc == BER_END)
		return -EBADMSG;
	if (rc)
		return rc;
	return t->tag == tag ? 0 : -EBADMSG;
}

static int ber_enter(const struct ber *parent, const struct tlv *t, struct ber *child)
{
	if (parent->depth + 1 > BER_MAX_DEPTH)
		return -EBADMSG;
	child->p = t->v;
	child->len = t->len;
	child->pos = 0;
	child->depth = parent->depth + 1;
	return 0;
}

/* Small INTEGERs only (version, security model): at most 8 octets. */
static int ber_int(const struct tlv *t, int64_t *out)
{
	uint64_t v;

	if (t->tag != T_INTEGER || t->len < 1 || t->len > 8)
		return -EBADMSG;
	v = (t->v[0] & 0x80) ? UINT64_MAX : 0;
	for (size_t i = 0; i < t->len; i++)
		v = v << 8 | t->v[i];
	*out = (int64_t)v;
	return 0;
}

/* Decodes OID contents into dotted text. Rejects what X.690 forbids (a
 * sub-identifier starting with 0x80, a last octet with the continuation
 * bit) and what SNMP forbids (arcs over 2^32-1, more than 128 arcs), so an
 * arc can never overflow. *pen gets the enterprise number when the OID is
 * under 1.3.6.1.4.1. */
static int oid_decode(const uint8_t *v, size_t n, char *out, size_t *olen, uint32_t *pen, bool *has_pen)
{
	uint32_t arcs[OID_MAX_ARCS];
	size_t na = 0, o = 0;
	uint64_t cur = 0;
	bool in_arc = false;

	if (n == 0)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		if (!in_arc && v[i] == 0x80)
			return -EBADMSG;
		cur = cur << 7 | (v[i] & 0x7F);
		if (cur > UINT32_MAX)
			return -EBADMSG;
		in_arc = v[i] & 0x80;
		if (in_arc)
			continue;
		/* The first sub-identifier packs two arcs (X.690 §8.19.4). */
		if (na == 0) {
			arcs[na++] = cur < 40 ? 0 : cur < 80 ? 1 : 2;
			cur -= arcs[0] * 40;
		}
		if (na >= OID_MAX_ARCS)
			return -EBADMSG;
		arcs[na++] = (uint32_t)cur;
		cur = 0;
	}
	if (in_arc)
		return -EBADMSG;
	/* At most 11 characters an arc: OID_TEXT_MAX always holds them. */
	for (size_t i = 0; i < na; i++) {
		if (i)
			out[o++] = '.';
		o += vw_fp_fmt_u64(out + o, arcs[i]);
	}
	*olen = o;
	*has_pen = na >= 7 && arcs[0] == 1 && arcs[1] == 3 && arcs[2] == 6 &&
		   arcs[3] == 1 && arcs[4] == 4 && arcs[5] == 1;
	*pen = *has_pen ? arcs[6] : 0;
	return 0;
}

static void note_pen(struct ctx *x, uint32_t pen)
{
	for (unsigned i = 0; i < x->npens; i++)
		if (x->pens[i] == pen)
			return;
	if (x->npens >= MAX_PENS)
		return;
	x->pens[x->npens++] = pen;
	vw_fp_add_num(x->r, "enterprise", pen);
	x->facts++;
}

/* An OID-valued fact: the dotted text as field `name` (NULL: only its
 * enterprise number matters). A malformed OID is damage, not fatal. */
static void oid_fact(struct ctx *x, const char *name, const struct tlv *t)
{
	char text[OID_TEXT_MAX + 1];
	size_t len;
	uint32_t pen;
	bool has_pen;

	if (t->tag != T_OID || oid_decode(t->v, t->len, text, &len, &pen, &has_pen)) {
		x->damaged = true;
		return;
	}
	if (name) {
		vw_fp_add_copy(x->r, name, text, len);
		x->facts++;
	}
	if (has_pen)
		note_pen(x, pen);
}

static bool oid_is(const struct tlv *t, const uint8_t *enc, size_t n)
{
	return t->len == n && !memcmp(t->v, enc, n);
}

static int parse_varbinds(struct ctx *x, struct ber *c)
{
	for (unsigned i = 0; i < SNMP_MAX_VARBINDS; i++) {
		struct tlv vb, name, val;
		struct ber in;
		int rc = ber_next(x, c, &vb, true);

		if (rc == BER_END)
			return 0;
		if (rc)
			return rc;
		if (vb.tag != T_SEQ || ber_enter(c, &vb, &in))
			return -EBADMSG;
		if ((rc = ber_expect(x, &in, &name, T_OID, false)) ||
		    (rc = ber_next(x, &in, &val, false)))
			return rc == BER_END ? -EBADMSG : rc;

		if (oid_is(&name, oid_sysdescr, sizeof(oid_sysdescr))) {
			if (val.tag == T_OCTETS && !x->have_descr) {
				vw_fp_add_str(x->r, "sys-descr", val.v, val.len);
				x->facts++;
				x->have_descr = true;
			}
			continue;
		}
		if (oid_is(&name, oid_sysobjectid, sizeof(oid_sysobjectid))) {
			if (val.tag == T_OID && !x->have_oid) {
				x->have_oid = true;
				oid_fact(x, "sys-object-id", &val);
			}
			continue;
		}
		if (oid_is(&name, oid_snmptrapoid, sizeof(oid_snmptrapoid))) {
			if (val.tag == T_OID && !x->have_trapoid) {
				x->have_trapoid = true;
				oid_fact(x, "snmp-trap-oid", &val);
			}
			continue;
		}
		/* An agent that returns a value (not an exception) for an
		 * object under an enterprise subtree implements that vendor's
		 * MIB; an OID-valued object points into one. */
		if (val.tag != T_NOSUCHOBJECT && val.tag != T_NOSUCHINSTANCE &&
		    val.tag != T_ENDOFMIBVIEW)
			oid_fact(x, NULL, &name);
		if (val.tag == T_OID)
			oid_fact(x, NULL, &val);
	}
	/* More varbinds than any real message: stop reading, keep facts. */
	return 0;
}

/* One PDU. Returns -ENOMSG for requests: a manager's PDU names objects
 * it asks about, not its own, and requests reach us addressed to agents. */
static int parse_pdu(struct ctx *x, struct ber *parent, const struct tlv *pdu)
{
	struct ber c, vbl;
	struct tlv t;
	int rc;

	switch (pdu->tag) {
	case PDU_GET: case PDU_GETNEXT: case PDU_SET: case PDU_GETBULK:
		return -ENOMSG;
	case PDU_RESPONSE: case PDU_TRAP_V1: case PDU_INFORM: case PDU_TRAP_V2: case PDU_REPORT:
		break;
	default:
		return -EBADMSG;
	}
	vw_fp_add_num(x->r, "pdu-type", pdu->tag & 0x1F);
	if (ber_enter(parent, pdu, &c))
		return -EBADMSG;
	if (pdu->tag == PDU_TRAP_V1) {
		/* enterprise, agent-addr, generic-trap, specific-trap, time-stamp */
		if ((rc = ber_expect(x, &c, &t, T_OID, false)))
			return rc;
		oid_fact(x, "trap-enterprise", &t);
		if ((rc = ber_expect(x, &c, &t, T_IPADDR, false)) ||
		    (rc = ber_expect(x, &c, &t, T_INTEGER, false)) ||
		    (rc = ber_expect(x, &c, &t, T_INTEGER, false)) ||
		    (rc = ber_expect(x, &c, &t, T_TIMETICKS, false)))
			return rc;
	} else {
		/* request-id, error-status, error-index */
		for (int i = 0; i < 3; i++)
			if ((rc = ber_expect(x, &c, &t, T_INTEGER, false)))
				return rc;
	}
	if ((rc = ber_expect(x, &c, &t, T_SEQ, true)))
		return rc;
	if (ber_enter(&c, &t, &vbl))
		return -EBADMSG;
	return parse_varbinds(x, &vbl);
}

/* RFC 3411 SnmpEngineID: with the high bit set the first four octets are
 * 0x80000000 | PEN; without it (the SNMPv1-era 12-octet form) they are the
 * PEN itself. Anything shorter names no enterprise. */
static bool engine_pen(const uint8_t *v, size_t n, uint32_t *pen)
{
	if (n < 4 || (!(v[0] & 0x80) && n != 12))
		return false;
	*pen = (uint32_t)(v[0] & 0x7F) << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
	return true;
}

static int parse_v3(struct ctx *x, struct ber *msg)
{
	struct tlv global, flags, model_t, secp, usm, eid, data, t;
	struct ber g, sp, u, s;
	int64_t model;
	uint32_t pen;
	int rc;

	/* msgGlobalData: msgID, msgMaxSize, msgFlags, msgSecurityModel */
	if ((rc = ber_expect(x, msg, &global, T_SEQ, false)) || ber_enter(msg, &global, &g))
		return rc ? rc : -EBADMSG;
	if ((rc = ber_expect(x, &g, &t, T_INTEGER, false)) ||
	    (rc = ber_expect(x, &g, &t, T_INTEGER, false)) ||
	    (rc = ber_expect(x, &g, &flags, T_OCTETS, false)) ||
	    (rc = ber_expect(x, &g, &model_t, T_INTEGER, false)))
		return rc;
	if (flags.len != 1 || ber_int(&model_t, &model))
		return -EBADMSG;

	if ((rc = ber_expect(x, msg, &secp, T_OCTETS, false)))
		return rc;
	/* USM's parameters are themselves BER inside the OCTET STRING; other
	 * security models (TSM) carry none we can read. The engine ID is the
	 * sender's only for Unconfirmed-Class PDUs (Response, Trap, Report):
	 * msgFlags says which even when the scoped PDU is encrypted. */
	if (model == USM_MODEL && secp.len) {
		sp = (struct ber){ .p = secp.v, .len = secp.len, .depth = msg->depth + 1 };
		if ((rc = ber_expect(x, &sp, &usm, T_SEQ, false)) || ber_enter(&sp, &usm, &u))
			return rc ? rc : -EBADMSG;
		if ((rc = ber_expect(x, &u, &eid, T_OCTETS, false)))
			return rc;
		if (!(flags.v[0] & V3_REPORTABLE) && engine_pen(eid.v, eid.len, &pen)) {
			vw_fp_add_num(x->r, "engine-id-enterprise", pen);
			x->facts++;
		}
	}

	rc = ber_next(x, msg, &data, true);
	if (rc == BER_END)
		return -EBADMSG;
	if (rc)
		return rc;
	/* encryptedPDU: nothing more to read, the engine ID is all we get. */
	if (data.tag == T_OCTETS)
		return 0;
	if (data.tag != T_SEQ || ber_enter(msg, &data, &s))
		return -EBADMSG;
	/* ScopedPDU: contextEngineID, contextName, PDU */
	if ((rc = ber_expect(x, &s, &t, T_OCTETS, false)) ||
	    (rc = ber_expect(x, &s, &t, T_OCTETS, false)))
		return rc;
	rc = ber_next(x, &s, &t, true);
	if (rc == BER_END)
		return -EBADMSG;
	if (rc)
		return rc;
	return parse_pdu(x, &s, &t);
}

int vw_fp_parse_snmp(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct ctx x = { .r = r };
	struct ber top = { .p = p, .len = len }, msg;
	struct tlv m, ver, t;
	int64_t v;
	int rc;

	vw_fp_reset(r, VW_SIG_SNMP);
	if (len < 1 || p[0] != T_SEQ)
		return -ENOMSG;
	if (ber_next(&x, &top, &m, true) != BER_OK || ber_enter(&top, &m, &msg))
		return -EBADMSG;
	/* Up to the version we only know it is a SEQUENCE: anything other
	 * than a valid SNMP version means "not SNMP", not "broken SNMP". */
	if (ber_next(&x, &msg, &ver, false) != BER_OK)
		return -EBADMSG;
	if (ver.tag != T_INTEGER)
		return -ENOMSG;
	if (ber_int(&ver, &v))
		return -EBADMSG;
	if (v != 0 && v != 1 && v != 3)
		return -ENOMSG;
	vw_fp_add_num(r, "version", (uint64_t)v);

	if (v == 3) {
		rc = parse_v3(&x, &msg);
	} else {
		/* community, then the PDU */
		rc = ber_expect(&x, &msg, &t, T_OCTETS, false);
		if (!rc) {
			rc = ber_next(&x, &msg, &t, true);
			rc = rc == BER_END ? -EBADMSG : rc ? rc : parse_pdu(&x, &msg, &t);
		}
	}
	if (rc == -ENOMSG)
		return rc;
	if (rc || x.cut || x.damaged)
		return -EBADMSG;
	return x.facts ? 0 : -ENOMSG;
}
