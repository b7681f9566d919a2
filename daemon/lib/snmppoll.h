/* SPDX-License-Identifier: GPL-2.0-only */
/* What a switch's SNMP agent says, as tables: the forwarding database
 * (BRIDGE-MIB dot1dTpFdbTable, Q-BRIDGE-MIB dot1qTpFdbTable), bridge port
 * -> ifIndex -> ifName, the ARP table (IP-MIB ipNetToPhysicalTable,
 * ipNetToMediaTable) and the LLDP remote table. Pure and bounded: varbinds
 * in, rows out, no I/O; the SNMP transport is the caller's. */
#ifndef VW_SNMPPOLL_H
#define VW_SNMPPOLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VW_SNMP_OID_MAX   128     /* sub-identifiers; longer OIDs are malformed */
#define VW_SNMP_NAME_MAX  64      /* ifName, with NUL */
#define VW_SNMP_TEXT_MAX  256     /* LLDP strings, with NUL */

enum vw_snmp_type { VW_SNMP_T_INT, VW_SNMP_T_OCTETS, VW_SNMP_T_OTHER };

/* One variable binding as decoded by the transport. */
struct vw_snmp_vb {
	const uint32_t *oid;
	size_t oid_len;
	enum vw_snmp_type type;
	int64_t num;                  /* VW_SNMP_T_INT */
	const uint8_t *bytes;         /* VW_SNMP_T_OCTETS */
	size_t len;
};

/* The columns walked, in walk order; each is a subtree the caller walks
 * with GETNEXT/GETBULK until the answers leave it. */
struct vw_snmp_column {
	const char *name;             /* "dot1dTpFdbPort" */
	const uint32_t *oid;
	size_t oid_len;
};
extern const struct vw_snmp_column vw_snmp_columns[];
extern const size_t vw_snmp_n_columns;

struct vw_snmp_fdb { uint8_t mac[6]; uint32_t bridge_port; uint32_t fdb_id; };
struct vw_snmp_bport { uint32_t bridge_port; uint32_t ifindex; };
struct vw_snmp_ifname { uint32_t ifindex; char name[VW_SNMP_NAME_MAX]; };
struct vw_snmp_arp { uint8_t mac[6]; int family; uint8_t addr[16]; uint32_t ifindex; };
struct vw_snmp_lldp {
	uint32_t local_port, index;   /* lldpRemLocalPortNum, lldpRemIndex */
	uint32_t chassis_subtype;     /* 4 = MAC address */
	uint8_t chassis[VW_SNMP_NAME_MAX]; size_t chassis_len;
	char sys_name[VW_SNMP_TEXT_MAX], sys_desc[VW_SNMP_TEXT_MAX];
};

struct vw_snmp_limits { size_t max_rows, max_bytes; };

struct vw_snmp_tables {
	struct vw_snmp_fdb *fdb;       size_t n_fdb, cap_fdb;
	struct vw_snmp_bport *bport;   size_t n_bport, cap_bport;
	struct vw_snmp_ifname *ifname; size_t n_ifname, cap_ifname;
	struct vw_snmp_arp *arp;       size_t n_arp, cap_arp;
	struct vw_snmp_lldp *lldp;     size_t n_lldp, cap_lldp;
	struct vw_snmp_limits lim;
	size_t rows, bytes;            /* taken so far */
	size_t lldp_hint;              /* where the next LLDP column's row likely is */
	bool lldp_unsorted;            /* rows not in (port, index) order */
	size_t malformed;              /* varbinds of our columns with bad index or value */
	bool truncated;                /* a limit stopped the walk */
	bool finished;                 /* sorted for lookups */
};

void vw_snmp_tables_init(struct vw_snmp_tables *t, const struct vw_snmp_limits *lim);
void vw_snmp_tables_free(struct vw_snmp_tables *t);

/* Takes one varbind of column col (index in vw_snmp_columns). Returns 0
 * (taken, or skipped as malformed: counted), -ENOMSG when the OID is
 * outside that column (its walk is over), -ENOSPC when a limit is reached
 * (truncated is set; stop walking), -ENOMEM. */
int vw_snmp_tables_add(struct vw_snmp_tables *t, size_t col, const struct vw_snmp_vb *vb);

/* Sorts for the lookups below; call once after the walk. */
void vw_snmp_tables_finish(struct vw_snmp_tables *t);

/* The name of a bridge port: ifName of its ifIndex, else "ifIndex N",
 * else "bridge-port N". */
void vw_snmp_port_name(const struct vw_snmp_tables *t, uint32_t bridge_port, char *buf,
		       size_t len);
/* An address the ARP table gives mac (IPv4 first); -ENOENT if none. */
int vw_snmp_addr_of(const struct vw_snmp_tables *t, const uint8_t mac[6], int *family,
		    uint8_t addr[16]);
/* The bridge port the forwarding database puts mac on; -ENOENT if none. */
int vw_snmp_port_of(const struct vw_snmp_tables *t, const uint8_t mac[6], uint32_t *bridge_port);

#endif
