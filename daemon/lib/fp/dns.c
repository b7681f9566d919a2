// SPDX-License-Identifier: GPL-2.0-only
/*
 * One reader for DNS messages (RFC 1035) in two roles:
 *
 *   - unicast DNS to UDP 53: only a standard query says something about
 *     its sender (the names it wants resolved, e.g. a camera looking up
 *     its vendor's device cloud); an answer names other hosts.
 *   - mDNS / DNS-SD from UDP 5353 (RFC 6762, 6763): a responder announces
 *     its own records (host name, service instances, TXT strings such as
 *     a model number). The answers of a query are known answers about
 *     other hosts, so a query counts only by its authority section (a
 *     probe claiming the sender's own names).
 *
 * Names are returned dotted and lower-cased (DNS compares names without
 * ASCII case, and 0x20 randomisation changes case per query), without
 * the final dot. Compression pointers must point backwards (before the
 * label that holds them) and are followed at most DNS_MAX_JUMPS times, so
 * a name is decoded in bounded time whatever the message; a name longer
 * than 255 bytes is malformed.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md 7.5 (mDNS) and 8 (device
 * cloud names).
 */
#include <errno.h>
#include <string.h>

#include "fp.h"

#define DNS_HDR        12
#define DNS_NAME_MAX   255
#define DNS_MAX_JUMPS  16   /* real messages need one or two per name */
#define DNS_MAX_QUEST  8    /* a query carries one question in practice */
#define DNS_MAX_RRS    64   /* a large DNS-SD announcement has ~20 */
#define DNS_MAX_TXT    32   /* strings per TXT record */

enum { T_A = 1, T_PTR = 12, T_TXT = 16, T_AAAA = 28, T_SRV = 33 };

struct dns_msg {
	const uint8_t *p;
	size_t len;
	size_t pos;
	uint16_t flags, qd, an, ns, ar;
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Decodes the name at *pos into out (lower case, dotted), advancing *pos
 * past the name as it appears at *pos. 0 or -EBADMSG. */
static int read_name(const uint8_t *p, size_t len, size_t *pos, char out[DNS_NAME_MAX + 1],
		     size_t *olen)
{
	size_t at = *pos, n = 0, end = 0;
	unsigned jumps = 0;

	for (;;) {
		uint8_t l;

		if (at >= len)
			return -EBADMSG;
		l = p[at];
		if ((l & 0xC0) == 0xC0) {
			size_t to;

			if (at + 1 >= len || ++jumps > DNS_MAX_JUMPS)
				return -EBADMSG;
			to = (size_t)(l & 0x3F) << 8 | p[at + 1];
			if (!end)
				end = at + 2;
			if (to >= at)   /* only backwards: no loops */
				return -EBADMSG;
			at = to;
			continue;
		}
		if (l & 0xC0)   /* 0x40/0x80: extended label types, unused */
			return -EBADMSG;
		if (l == 0) {
			if (!end)
				end = at + 1;
			break;
		}
		if (at + 1 + l > len || n + (n != 0) + l > DNS_NAME_MAX)
			return -EBADMSG;
		if (n)
			out[n++] = '.';
		for (size_t i = 0; i < l; i++) {
			uint8_t c = p[at + 1 + i];

			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		at += 1 + (size_t)l;
	}
	out[n] = '\0';
	*olen = n;
	*pos = end;
	return 0;
}

static int read_header(struct dns_msg *m, const uint8_t *p, size_t len)
{
	if (len < DNS_HDR)
		return -ENOMSG;
	m->p = p;
	m->len = len;
	m->pos = DNS_HDR;
	m->flags = be16(p + 2);
	m->qd = be16(p + 4);
	m->an = be16(p + 6);
	m->ns = be16(p + 8);
	m->ar = be16(p + 10);
	/* Opcode 0 (standard query) only: updates and notifies are not a
	 * host asking for names. */
	if ((m->flags >> 11) & 0xF)
		return -ENOMSG;
	return 0;
}

/* Adds name=value unless the same pair is already there (an mDNS
 * announcement repeats its host name in A, AAAA and SRV records). */
static void add_once(struct vw_fp_result *r, const char *name, const char *v, size_t n)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct vw_fp_field *f = &r->fields[i];

		if (f->kind == VW_FP_STR && f->len == n && !strcmp(f->name, name) &&
		    !memcmp(f->val, v, n))
			return;
	}
	vw_fp_add_copy(r, name, v, n);
}

static int read_questions(struct dns_msg *m, struct vw_fp_result *r, unsigned max)
{
	char name[DNS_NAME_MAX + 1];
	size_t n;

	for (unsigned i = 0; i < m->qd; i++) {
		if (i >= max)
			return -EBADMSG;
		if (read_name(m->p, m->len, &m->pos, name, &n) < 0 || m->pos + 4 > m->len)
			return -EBADMSG;
		m->pos += 4;   /* type, class */
		if (r && n)
			add_once(r, "query-name", name, n);
	}
	return 0;
}

static bool is_reverse(const char *s, size_t n)
{
	static const char v4[] = ".in-addr.arpa", v6[] = ".ip6.arpa";

	return (n >= sizeof(v4) - 1 && !memcmp(s + n - (sizeof(v4) - 1), v4, sizeof(v4) - 1)) ||
	       (n >= sizeof(v6) - 1 && !memcmp(s + n - (sizeof(v6) - 1), v6, sizeof(v6) - 1));
}

static int read_txt(const uint8_t *d, size_t n, struct vw_fp_result *r)
{
	size_t at = 0;

	for (unsigned k = 0; at < n; k++) {
		size_t l = d[at];

		if (k >= DNS_MAX_TXT || at + 1 + l > n)
			return -EBADMSG;
		if (l)
			add_once(r, "txt", (const char *)d + at + 1, l);
		at += 1 + l;
	}
	return 0;
}

/* The facts of one record about its owner: names of the host and its
 * service instances, TXT strings. rdata is read within its own length
 * (names in it may point back into the message). */
static int use_rr(const struct dns_msg *m, uint16_t type, const char *owner, size_t on,
		  size_t rd, size_t rdlen, struct vw_fp_result *r)
{
	char name[DNS_NAME_MAX + 1];
	size_t n, at = rd;

	switch (type) {
	case T_A:
	case T_AAAA:
		if (on)
			add_once(r, "host-name", owner, on);
		return 0;
	case T_TXT:
		return read_txt(m->p + rd, rdlen, r);
	case T_SRV:
		if (rdlen < 7)
			return -EBADMSG;
		at += 6;   /* priority, weight, port */
		if (read_name(m->p, rd + rdlen, &at, name, &n) < 0)
			return -EBADMSG;
		if (on)
			add_once(r, "instance", owner, on);
		if (n)
			add_once(r, "host-name", name, n);
		return 0;
	case T_PTR:
		if (read_name(m->p, rd + rdlen, &at, name, &n) < 0)
			return -EBADMSG;
		if (is_reverse(owner, on)) {
			if (n)
				add_once(r, "host-name", name, n);
			return 0;
		}
		if (on)
			add_once(r, "service", owner, on);
		if (n)
			add_once(r, "instance", name, n);
		return 0;
	default:
		return 0;
	}
}

/* count records from m->pos; with r NULL they are only skipped. */
static int read_rrs(struct dns_msg *m, unsigned count, struct vw_fp_result *r)
{
	char owner[DNS_NAME_MAX + 1];
	size_t on;

	for (unsigned i = 0; i < count; i++) {
		uint16_t type, rdlen;
		size_t rd;

		if (read_name(m->p, m->len, &m->pos, owner, &on) < 0 || m->pos + 10 > m->len)
			return -EBADMSG;
		type = be16(m->p + m->pos);
		rdlen = be16(m->p + m->pos + 8);
		rd = m->pos + 10;
		if (rd + rdlen > m->len)
			return -EBADMSG;
		m->pos = rd + rdlen;
		if (r && use_rr(m, type, owner, on, rd, rdlen, r) < 0)
			return -EBADMSG;
	}
	return 0;
}

int vw_fp_parse_dns(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct dns_msg m;
	int rc;

	vw_fp_reset(r, VW_SIG_DNS);
	if (read_header(&m, p, len) < 0 || (m.flags & 0x8000) || !m.qd)
		return -ENOMSG;
	rc = read_questions(&m, r, DNS_MAX_QUEST);
	if (rc < 0)
		return -EBADMSG;
	return r->n ? 0 : -ENOMSG;
}

int vw_fp_parse_mdns(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct dns_msg m;
	unsigned total;
	int rc;

	vw_fp_reset(r, VW_SIG_MDNS);
	if (read_header(&m, p, len) < 0)
		return -ENOMSG;
	total = (unsigned)m.an + m.ns + m.ar;
	if (total > DNS_MAX_RRS)
		return -EBADMSG;
	rc = read_questions(&m, NULL, DNS_MAX_RRS);
	if (!rc && (m.flags & 0x8000)) {
		rc = read_rrs(&m, m.an, r);
		if (!rc)
			rc = read_rrs(&m, m.ns, r);
		if (!rc)
			rc = read_rrs(&m, m.ar, r);
	} else if (!rc) {
		/* A query's answers are known answers about other hosts:
		 * skipped; its authority section is a probe's own claim. */
		rc = read_rrs(&m, m.an, NULL);
		if (!rc)
			rc = read_rrs(&m, m.ns, r);
	}
	if (rc < 0)
		return -EBADMSG;
	return r->n ? 0 : -ENOMSG;
}
