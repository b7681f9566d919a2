// SPDX-License-Identifier: GPL-2.0-only
/* Turns walked SNMP columns into bounded tables (see snmppoll.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "snmppoll.h"

#define COL(n, ...) { n, (const uint32_t[]){ __VA_ARGS__ }, \
		      sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t) }
#define LLDP_REM 1, 0, 8802, 1, 1, 2, 1, 4, 1, 1

enum col {
	C_FDB, C_QFDB, C_BPORT, C_IFNAME, C_NETPHYS, C_NETMEDIA,
	C_LLDP_SUBTYPE, C_LLDP_CHASSIS, C_LLDP_NAME, C_LLDP_DESC,
};

/* Names and numbers from RFC 4188 (BRIDGE-MIB), RFC 4363 (Q-BRIDGE-MIB),
 * RFC 2863 (IF-MIB), RFC 4293 (IP-MIB) and IEEE 802.1AB (LLDP-MIB). */
const struct vw_snmp_column vw_snmp_columns[] = {
	[C_FDB]          = COL("dot1dTpFdbPort", 1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 2),
	[C_QFDB]         = COL("dot1qTpFdbPort", 1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2),
	[C_BPORT]        = COL("dot1dBasePortIfIndex", 1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2),
	[C_IFNAME]       = COL("ifName", 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1),
	[C_NETPHYS]      = COL("ipNetToPhysicalPhysAddress", 1, 3, 6, 1, 2, 1, 4, 35, 1, 4),
	[C_NETMEDIA]     = COL("ipNetToMediaPhysAddress", 1, 3, 6, 1, 2, 1, 4, 22, 1, 2),
	[C_LLDP_SUBTYPE] = COL("lldpRemChassisIdSubtype", LLDP_REM, 4),
	[C_LLDP_CHASSIS] = COL("lldpRemChassisId", LLDP_REM, 5),
	[C_LLDP_NAME]    = COL("lldpRemSysName", LLDP_REM, 9),
	[C_LLDP_DESC]    = COL("lldpRemSysDesc", LLDP_REM, 10),
};
const size_t vw_snmp_n_columns = sizeof(vw_snmp_columns) / sizeof(vw_snmp_columns[0]);

void vw_snmp_tables_init(struct vw_snmp_tables *t, const struct vw_snmp_limits *lim)
{
	*t = (struct vw_snmp_tables){ .lim = *lim };
}

void vw_snmp_tables_free(struct vw_snmp_tables *t)
{
	free(t->fdb);
	free(t->bport);
	free(t->ifname);
	free(t->arp);
	free(t->lldp);
	*t = (struct vw_snmp_tables){ 0 };
}

/* A new row in one of the arrays: counts it against max_rows. */
static void *grow(struct vw_snmp_tables *t, void **v, size_t *n, size_t *cap, size_t size)
{
	if (t->rows >= t->lim.max_rows) {
		t->truncated = true;
		return NULL;
	}
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 64;
		void *nv = realloc(*v, c * size);

		if (!nv)
			return NULL;
		*v = nv;
		*cap = c;
	}
	t->rows++;
	return (char *)*v + (*n)++ * size;
}
#define GROW(t, arr) grow(t, (void **)&(t)->arr, &(t)->n_##arr, &(t)->cap_##arr, sizeof(*(t)->arr))

/* An index of 6 sub-identifiers, each an octet. */
static bool index_mac(const uint32_t *idx, size_t n, uint8_t mac[6])
{
	if (n != 6)
		return false;
	for (size_t i = 0; i < 6; i++) {
		if (idx[i] > 255)
			return false;
		mac[i] = (uint8_t)idx[i];
	}
	return true;
}

static bool value_mac(const struct vw_snmp_vb *vb, uint8_t mac[6])
{
	if (vb->type != VW_SNMP_T_OCTETS || vb->len != 6)
		return false;
	memcpy(mac, vb->bytes, 6);
	return true;
}

static bool value_u32(const struct vw_snmp_vb *vb, uint32_t *v)
{
	if (vb->type != VW_SNMP_T_INT || vb->num < 0 || vb->num > UINT32_MAX)
		return false;
	*v = (uint32_t)vb->num;
	return true;
}

static int add_fdb(struct vw_snmp_tables *t, bool q, const uint32_t *idx, size_t n,
		   const struct vw_snmp_vb *vb)
{
	struct vw_snmp_fdb row = { .fdb_id = q && n ? idx[0] : 0 }, *r;

	if (!index_mac(idx + q, n - (q && n), row.mac) || (q && !n) ||
	    !value_u32(vb, &row.bridge_port))
		return -EBADMSG;
	/* Port 0: the agent knows the address but not where (RFC 4188). */
	if (!row.bridge_port)
		return 0;
	if (!(r = GROW(t, fdb)))
		return t->truncated ? -ENOSPC : -ENOMEM;
	*r = row;
	return 0;
}

static int add_bport(struct vw_snmp_tables *t, const uint32_t *idx, size_t n,
		     const struct vw_snmp_vb *vb)
{
	struct vw_snmp_bport *r;
	uint32_t ifindex;

	if (n != 1 || !value_u32(vb, &ifindex))
		return -EBADMSG;
	if (!(r = GROW(t, bport)))
		return t->truncated ? -ENOSPC : -ENOMEM;
	*r = (struct vw_snmp_bport){ .bridge_port = idx[0], .ifindex = ifindex };
	return 0;
}

/* Interface names are shown to people and written to the journal: only
 * printable ASCII survives, the rest becomes '?'. */
static void copy_text(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t n = len < size - 1 ? len : size - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] :
			 (src[i] == '\n' || src[i] == '\t') ? (char)src[i] : '?';
	dst[n] = 0;
}

static int add_ifname(struct vw_snmp_tables *t, const uint32_t *idx, size_t n,
		      const struct vw_snmp_vb *vb)
{
	struct vw_snmp_ifname *r;

	if (n != 1 || vb->type != VW_SNMP_T_OCTETS)
		return -EBADMSG;
	if (!(r = GROW(t, ifname)))
		return t->truncated ? -ENOSPC : -ENOMEM;
	r->ifindex = idx[0];
	copy_text(r->name, sizeof(r->name), vb->bytes, vb->len);
	for (char *p = r->name; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return 0;
}

/* ipNetToPhysicalTable index: ifIndex, InetAddressType (1 ipv4, 2 ipv6),
 * then the InetAddress with its length first (RFC 4293).
 * ipNetToMediaTable index: ifIndex, then the four octets. */
static int add_arp(struct vw_snmp_tables *t, bool phys, const uint32_t *idx, size_t n,
		   const struct vw_snmp_vb *vb)
{
	struct vw_snmp_arp row = { 0 }, *r;
	size_t alen, off;

	if (n < 1 || !value_mac(vb, row.mac))
		return -EBADMSG;
	row.ifindex = idx[0];
	if (phys) {
		if (n < 3)
			return -EBADMSG;
		/* ipv4z, ipv6z, dns: not what a neighbour table is keyed by here. */
		if (idx[1] != 1 && idx[1] != 2)
			return 0;
		alen = idx[1] == 1 ? 4 : 16;
		off = 3;
		if (idx[2] != alen || n != off + alen)
			return -EBADMSG;
		row.family = idx[1] == 1 ? AF_INET : AF_INET6;
	} else {
		alen = 4;
		off = 1;
		if (n != 5)
			return -EBADMSG;
		row.family = AF_INET;
	}
	for (size_t i = 0; i < alen; i++) {
		if (idx[off + i] > 255)
			return -EBADMSG;
		row.addr[i] = (uint8_t)idx[off + i];
	}
	if (!(r = GROW(t, arp)))
		return t->truncated ? -ENOSPC : -ENOMEM;
	*r = row;
	return 0;
}

static int lldp_key_cmp(const struct vw_snmp_lldp *a, uint32_t port, uint32_t index)
{
	if (a->local_port != port)
		return a->local_port < port ? -1 : 1;
	return a->index == index ? 0 : a->index < index ? -1 : 1;
}

/* The row of (port, index), created when new. Columns are walked one after
 * the other, each in index order: the row after the last one used is
 * almost always the next one wanted, so the search starts there. */
static struct vw_snmp_lldp *lldp_row(struct vw_snmp_tables *t, uint32_t port, uint32_t index)
{
	size_t hint = t->lldp_hint;
	struct vw_snmp_lldp *r = NULL;

	if (hint < t->n_lldp && !lldp_key_cmp(&t->lldp[hint], port, index))
		r = &t->lldp[hint];
	if (!r && !t->lldp_unsorted) {
		size_t lo = 0, hi = t->n_lldp;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = lldp_key_cmp(&t->lldp[mid], port, index);

			if (!c)
				r = &t->lldp[mid];
			if (c <= 0)
				lo = mid + 1;
			else
				hi = mid;
			if (r)
				break;
		}
	}
	/* Rows out of (port, index) order (the time mark comes first in the
	 * index) leave only a linear search: bounded by MaxRows all the same. */
	for (size_t i = 0; !r && t->lldp_unsorted && i < t->n_lldp; i++)
		if (!lldp_key_cmp(&t->lldp[i], port, index))
			r = &t->lldp[i];
	if (!r && t->n_lldp && lldp_key_cmp(&t->lldp[t->n_lldp - 1], port, index) > 0)
		t->lldp_unsorted = true;
	if (!r && (r = GROW(t, lldp)))
		*r = (struct vw_snmp_lldp){ .local_port = port, .index = index };
	if (r)
		t->lldp_hint = (size_t)(r - t->lldp) + 1;
	return r;
}

/* lldpRemTable index: lldpRemTimeMark, lldpRemLocalPortNum, lldpRemIndex. */
static int add_lldp(struct vw_snmp_tables *t, enum col c, const uint32_t *idx, size_t n,
		    const struct vw_snmp_vb *vb)
{
	struct vw_snmp_lldp *r;
	uint32_t u = 0;

	if (n != 3 || (c == C_LLDP_SUBTYPE ? !value_u32(vb, &u) : vb->type != VW_SNMP_T_OCTETS))
		return -EBADMSG;
	if (!(r = lldp_row(t, idx[1], idx[2])))
		return t->truncated ? -ENOSPC : -ENOMEM;
	switch (c) {
	case C_LLDP_SUBTYPE:
		r->chassis_subtype = u;
		break;
	case C_LLDP_CHASSIS:
		r->chassis_len = vb->len < sizeof(r->chassis) ? vb->len : sizeof(r->chassis);
		memcpy(r->chassis, vb->bytes, r->chassis_len);
		break;
	case C_LLDP_NAME:
		copy_text(r->sys_name, sizeof(r->sys_name), vb->bytes, vb->len);
		break;
	default:
		copy_text(r->sys_desc, sizeof(r->sys_desc), vb->bytes, vb->len);
		break;
	}
	return 0;
}

int vw_snmp_tables_add(struct vw_snmp_tables *t, size_t col, const struct vw_snmp_vb *vb)
{
	const struct vw_snmp_column *c;
	const uint32_t *idx;
	size_t n;
	int r;

	if (col >= vw_snmp_n_columns)
		return -EINVAL;
	c = &vw_snmp_columns[col];
	if (vb->oid_len <= c->oid_len || vb->oid_len > VW_SNMP_OID_MAX ||
	    memcmp(vb->oid, c->oid, c->oid_len * sizeof(uint32_t)))
		return -ENOMSG;
	if (t->truncated)
		return -ENOSPC;
	t->bytes += vb->oid_len * sizeof(uint32_t) + (vb->type == VW_SNMP_T_OCTETS ? vb->len : 8);
	if (t->bytes > t->lim.max_bytes) {
		t->truncated = true;
		return -ENOSPC;
	}
	idx = vb->oid + c->oid_len;
	n = vb->oid_len - c->oid_len;
	switch ((enum col)col) {
	case C_FDB:
	case C_QFDB:
		r = add_fdb(t, col == C_QFDB, idx, n, vb);
		break;
	case C_BPORT:
		r = add_bport(t, idx, n, vb);
		break;
	case C_IFNAME:
		r = add_ifname(t, idx, n, vb);
		break;
	case C_NETPHYS:
	case C_NETMEDIA:
		r = add_arp(t, col == C_NETPHYS, idx, n, vb);
		break;
	default:
		r = add_lldp(t, (enum col)col, idx, n, vb);
		break;
	}
	if (r == -EBADMSG) {
		t->malformed++;
		return 0;
	}
	return r;
}

static int cmp_fdb(const void *a, const void *b)
{
	return memcmp(((const struct vw_snmp_fdb *)a)->mac, ((const struct vw_snmp_fdb *)b)->mac, 6);
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_bport(const void *a, const void *b)
{
	return cmp_u32(((const struct vw_snmp_bport *)a)->bridge_port,
		       ((const struct vw_snmp_bport *)b)->bridge_port);
}

static int cmp_ifname(const void *a, const void *b)
{
	return cmp_u32(((const struct vw_snmp_ifname *)a)->ifindex,
		       ((const struct vw_snmp_ifname *)b)->ifindex);
}

/* By MAC, then IPv4 before IPv6, then the address. */
static int cmp_arp(const void *a, const void *b)
{
	const struct vw_snmp_arp *x = a, *y = b;
	int r = memcmp(x->mac, y->mac, 6);

	if (r)
		return r;
	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

/* qsort and bsearch must not see the NULL of an empty table. */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(v, n, size, cmp);
}

static void *find(const void *key, const void *v, size_t n, size_t size,
		  int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, v, n, size, cmp) : NULL;
}

void vw_snmp_tables_finish(struct vw_snmp_tables *t)
{
	sort(t->fdb, t->n_fdb, sizeof(*t->fdb), cmp_fdb);
	sort(t->bport, t->n_bport, sizeof(*t->bport), cmp_bport);
	sort(t->ifname, t->n_ifname, sizeof(*t->ifname), cmp_ifname);
	sort(t->arp, t->n_arp, sizeof(*t->arp), cmp_arp);
	t->finished = true;
}

void vw_snmp_port_name(const struct vw_snmp_tables *t, uint32_t bridge_port, char *buf,
		       size_t len)
{
	struct vw_snmp_bport kb = { .bridge_port = bridge_port }, *b;
	struct vw_snmp_ifname ki, *i;

	b = find(&kb, t->bport, t->n_bport, sizeof(kb), cmp_bport);
	if (!b) {
		snprintf(buf, len, "bridge-port %u", bridge_port);
		return;
	}
	ki.ifindex = b->ifindex;
	i = find(&ki, t->ifname, t->n_ifname, sizeof(ki), cmp_ifname);
	if (i && i->name[0])
		snprintf(buf, len, "%s", i->name);
	else
		snprintf(buf, len, "ifIndex %u", b->ifindex);
}

/* The first row for mac in a MAC-sorted array. */
static const void *first_of(const void *base, size_t n, size_t size, const uint8_t mac[6])
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp((const char *)base + mid * size, mac, 6) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && !memcmp((const char *)base + lo * size, mac, 6))
		return (const char *)base + lo * size;
	return NULL;
}

int vw_snmp_addr_of(const struct vw_snmp_tables *t, const uint8_t mac[6], int *family,
		    uint8_t addr[16])
{
	const struct vw_snmp_arp *a = first_of(t->arp, t->n_arp, sizeof(*t->arp), mac);

	if (!a)
		return -ENOENT;
	*family = a->family;
	memcpy(addr, a->addr, 16);
	return 0;
}

int vw_snmp_port_of(const struct vw_snmp_tables *t, const uint8_t mac[6], uint32_t *bridge_port)
{
	const struct vw_snmp_fdb *f = first_of(t->fdb, t->n_fdb, sizeof(*t->fdb), mac);

	if (!f)
		return -ENOENT;
	*bridge_port = f->bridge_port;
	return 0;
}
