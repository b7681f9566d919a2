// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for daemon/lib/snmppoll.c: the input is a switch's answers to a poll, a
 * sequence of varbinds as an agent (or anyone spoofing one) may send them. Each record:
 * column (1 byte), type (1), flags (1: bit 0 = OID not under the column), index length (1),
 * that many 16-bit sub-identifiers, value length (1), that many value bytes (also the
 * number for integers). Small limits, so truncation is reached. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "snmppoll.h"

struct reader { const uint8_t *p; size_t n; };

static bool take(struct reader *r, void *out, size_t len)
{
	if (r->n < len)
		return false;
	memcpy(out, r->p, len);
	r->p += len;
	r->n -= len;
	return true;
}

static bool next_vb(struct reader *r, size_t *col, uint32_t *oid, uint8_t *val,
		    struct vw_snmp_vb *vb)
{
	uint8_t h[4], vlen;
	const struct vw_snmp_column *c;
	size_t n = 0;

	if (!take(r, h, 4))
		return false;
	*col = h[0] % vw_snmp_n_columns;
	c = &vw_snmp_columns[*col];
	if (!(h[2] & 1)) {
		memcpy(oid, c->oid, c->oid_len * sizeof(uint32_t));
		n = c->oid_len;
	}
	for (size_t i = 0; i < h[3] % 40; i++) {
		uint16_t s;

		if (!take(r, &s, 2))
			return false;
		oid[n++] = s;
	}
	if (!take(r, &vlen, 1) || !take(r, val, vlen))
		return false;
	*vb = (struct vw_snmp_vb){
		.oid = oid, .oid_len = n, .type = (enum vw_snmp_type)(h[1] % 3),
		.bytes = val, .len = vlen, .num = vlen ? (int64_t)(int8_t)val[0] * 1000 + val[vlen - 1] : 0,
	};
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vw_snmp_limits lim = { 64, 4096 };
	struct reader rd = { data, size };
	uint32_t oid[VW_SNMP_OID_MAX + 40];
	uint8_t val[256], addr[16];
	struct vw_snmp_tables t;
	struct vw_snmp_vb vb;
	size_t col;
	char port[64];
	uint32_t bp;
	int fam, r;

	vw_snmp_tables_init(&t, &lim);
	while (next_vb(&rd, &col, oid, val, &vb)) {
		r = vw_snmp_tables_add(&t, col, &vb);
		if (r != 0 && r != -ENOMSG && r != -ENOSPC)
			abort();
		if (r == -ENOSPC && !t.truncated)
			abort();
	}
	if (t.rows > lim.max_rows || t.n_fdb + t.n_bport + t.n_ifname + t.n_arp + t.n_lldp != t.rows)
		abort();
	vw_snmp_tables_finish(&t);
	for (size_t i = 0; i < t.n_fdb; i++) {
		vw_snmp_port_name(&t, t.fdb[i].bridge_port, port, sizeof(port));
		if (!memchr(port, 0, sizeof(port)) || vw_snmp_port_of(&t, t.fdb[i].mac, &bp))
			abort();
		r = vw_snmp_addr_of(&t, t.fdb[i].mac, &fam, addr);
		if (r == 0 && fam != AF_INET && fam != AF_INET6)
			abort();
	}
	for (size_t i = 0; i < t.n_lldp; i++)
		if (t.lldp[i].chassis_len > sizeof(t.lldp[i].chassis) ||
		    strnlen(t.lldp[i].sys_desc, VW_SNMP_TEXT_MAX) == VW_SNMP_TEXT_MAX)
			abort();
	vw_snmp_tables_free(&t);
	return 0;
}
