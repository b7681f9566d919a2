#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages vendorwall needs to build, test and demo; idempotent and silent
# when everything is already present, so `make check` can call it every time.
set -eu

# Build: toolchain, BPF compiler and skeleton generator, libraries the daemon links.
# linux-libc-dev provides /usr/include/<triplet>/asm, which `clang -target bpf` needs
# (the Makefile passes -I/usr/include/<triplet>; no gcc-multilib required).
build_pkgs="build-essential make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev
	zlib1g-dev linux-libc-dev libsystemd-dev libinih-dev libnl-3-dev libnl-route-3-dev
	libmnl-dev libjson-c-dev libpcap-dev libsqlite3-dev sqlite3 libcmocka-dev ieee-data
	libclang-rt-dev"
# The fingerprint rule engine (one scan per field for all its rules): Hyperscan on amd64,
# its API-compatible port Vectorscan elsewhere (Debian builds Hyperscan for amd64 only).
if [ "$(dpkg --print-architecture)" = amd64 ]; then
	build_pkgs="$build_pkgs libhyperscan-dev"
else
	build_pkgs="$build_pkgs libvectorscan-dev"
fi
# Test and demo: a real journald + journalctl (systemd), namespaces (util-linux), traffic and
# inspection tools.
test_pkgs="xdp-tools iproute2 iputils-ping systemd util-linux ethtool tcpdump coreutils procps jq"
# The report test renders the HTML report in a real headless browser and reads back the PDF
# it prints (pdftotext, pdftoppm); a font so the rendering has glyphs.
test_pkgs="$test_pkgs chromium poppler-utils fonts-dejavu-core"
build_pkgs="$build_pkgs libcurl4-openssl-dev" test_pkgs="$test_pkgs openssl systemd-journal-remote"  # registry fetch; updater and SOC tests
# Switch polling links net-snmp; its e2e test runs snmpd agents (snmp: snmpwalk to look at one
# by hand when a test fails).
build_pkgs="$build_pkgs libsnmp-dev" test_pkgs="$test_pkgs snmpd snmp"
# Package: `make deb` (dpkg-buildpackage, debhelper, lintian); the package test boots it under a
# real systemd with systemd-nspawn; git archive builds the previous version's package.
pkg_pkgs="dpkg-dev debhelper lintian systemd-container git"
# `deps.sh bench` also brings tshark, the reference the fingerprint bench races.
bench_pkgs=
[ "${1:-}" != bench ] || bench_pkgs=tshark

missing=
for pkg in $build_pkgs $test_pkgs $pkg_pkgs $bench_pkgs; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $pkg"
done

if [ -z "$missing" ]; then
	# Installed is not always usable: a broken linux-libc-dev would only show up in the
	# middle of the BPF build with an obscure "asm/types.h not found".
	triplet=$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
	if [ ! -e "/usr/include/$triplet/asm/types.h" ]; then
		echo "deps.sh: /usr/include/$triplet/asm/types.h is missing although" \
			"linux-libc-dev is installed; reinstall it" >&2
		exit 1
	fi
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing Debian packages:$missing" >&2
	echo "deps.sh: run as root (or: sudo apt-get install --no-install-recommends$missing)" >&2
	exit 1
fi

echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps.sh: done"
