#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds "the previous version's package" for the upgrade test: the daemon and policy of an
# earlier commit (git archive, so the binaries really are the old ones) packaged with this
# tree's Makefile and packaging/ at a lower version number.
#
#   tools/prev-deb.sh COMMIT VERSION OUTDIR
set -eu
[ $# -eq 3 ] || { echo "usage: $0 COMMIT VERSION OUTDIR" >&2; exit 2; }
commit=$1 version=$2 out=$3
repo=$(cd "$(dirname "$0")/.." && pwd)
git -C "$repo" cat-file -e "$commit^{commit}" 2>/dev/null ||
	{ echo "$0: commit $commit is not in this clone's history (a shallow clone?)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vw-prev.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git -C "$repo" archive "$commit" | tar -x -C "$tmp"
# The old tree had no install target and no packaging: give it ours.
rm -rf "$tmp/packaging"
cp -a "$repo/Makefile" "$repo/packaging" "$tmp/"
echo "$version" >"$tmp/VERSION"
cat >"$tmp/packaging/debian/changelog" <<CHANGES
vendorwall ($version) unstable; urgency=medium

  * The daemon of commit $commit, packaged for the upgrade test.

 -- vendorwall tests <tests@localhost>  $(date -R -d @0)
CHANGES
make -C "$tmp" --no-print-directory deb VERSION="$version" LINTIAN=no
mkdir -p "$out"
cp "$tmp"/build/vendorwall_"$version"_*.deb "$out/"
