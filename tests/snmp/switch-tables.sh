#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An snmpd pass_persist script serving a simulated switch's tables: BRIDGE-MIB
# dot1dTpFdbPort and dot1dBasePortIfIndex, Q-BRIDGE-MIB dot1qTpFdbPort, IF-MIB ifName,
# IP-MIB ipNetToPhysicalPhysAddress and ipNetToMediaPhysAddress, LLDP-MIB lldpRemTable
# (chassis id subtype and id, sysName, sysDesc).
#
#   switch-tables.sh TABLES_FILE
#
# TABLES_FILE has one row per line, "OID TYPE VALUE" with TYPE as pass_persist says it
# (integer, string, octet = hex bytes separated by spaces) and OIDs in any order, or
# "fdb-range COUNT" for COUNT dot1dTpFdbPort rows of MACs 00:1b:21:xx:xx:xx (a huge table).
# The rows are sorted once (OID sub-identifiers compared as numbers) and GETNEXT is a
# binary search, so a table of a hundred thousand rows answers as fast as a small one.
set -u
# snmpd waits for each answer before asking again: mawk (Debian's awk) would wait for a full
# input block unless told its input is interactive; gawk answers line by line anyway.
interactive=()
awk -W version 2>&1 | grep -q mawk && interactive=(-W interactive)
exec awk "${interactive[@]}" -v tables="$1" '
function key(oid,    n, i, a, k) {   # zero-padded sub-identifiers: string order = OID order
	n = split(oid, a, ".")
	k = ""
	for (i = 2; i <= n; i++) k = k sprintf("%010d.", a[i])
	return k
}
function add(oid, type, value) { n++; K[n] = key(oid); O[n] = oid; T[n] = type; V[n] = value }
function isort(lo, hi,    i, j, p, t) {   # in-place quicksort on K, carrying O T V
	while (lo < hi) {
		p = K[int((lo + hi) / 2)]; i = lo; j = hi
		while (i <= j) {
			while (K[i] < p) i++
			while (K[j] > p) j--
			if (i <= j) {
				t = K[i]; K[i] = K[j]; K[j] = t; t = O[i]; O[i] = O[j]; O[j] = t
				t = T[i]; T[i] = T[j]; T[j] = t; t = V[i]; V[i] = V[j]; V[j] = t
				i++; j--
			}
		}
		if (j - lo < hi - i) { isort(lo, j); lo = i } else { isort(i, hi); hi = j }
	}
}
function first_after(k,    lo, hi, mid) {   # the first row whose key is > k
	lo = 1; hi = n + 1
	while (lo < hi) { mid = int((lo + hi) / 2); if (K[mid] <= k) lo = mid + 1; else hi = mid }
	return lo
}
function answer(i) { printf "%s\n%s\n%s\n", O[i], T[i], V[i]; fflush() }
BEGIN {
	n = 0
	while ((getline line < tables) > 0) {
		if (line ~ /^#/ || line == "") continue
		split(line, f, " ")
		if (f[1] == "fdb-range") {
			for (i = 0; i < f[2]; i++)
				add(sprintf(".1.3.6.1.2.1.17.4.3.1.2.0.27.33.%d.%d.%d", int(i / 65536) % 256,
					    int(i / 256) % 256, i % 256), "integer", 1 + i % 48)
			continue
		}
		v = line
		sub(/^[^ ]+ +[^ ]+ +/, "", v)
		add(f[1], f[2], v)
	}
	isort(1, n)
}
$0 == "PING" { print "PONG"; fflush(); next }
$0 == "get" || $0 == "getnext" {
	cmd = $0
	if ((getline oid) <= 0) exit
	k = key(oid)
	i = first_after(k)
	if (cmd == "get") i = (i > 1 && K[i - 1] == k) ? i - 1 : 0
	if (i >= 1 && i <= n) answer(i); else { print "NONE"; fflush() }
	next
}
$0 == "set" { getline; getline; print "not-writable"; fflush(); next }
'
