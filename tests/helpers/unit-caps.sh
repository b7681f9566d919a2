#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs vendorwalld with exactly the capabilities packaging/vendorwalld.service
# grants (CapabilityBoundingSet=), as systemd would: root, every other
# capability gone from the bounding, inheritable and ambient sets. Use as
#   VW_DAEMON=tests/helpers/unit-caps.sh tests/run.sh build tests/e2e/X.sh
# to find out whether the unit's set is enough (VW_UNIT_CAPS overrides it,
# e.g. to show that one of them is needed).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
caps=${VW_UNIT_CAPS:-$(sed -n 's/^CapabilityBoundingSet=//p' "$here/packaging/vendorwalld.service")}
set=-all
for c in $caps; do
	c=${c,,}
	set="$set,+${c#cap_}"
done
exec setpriv --bounding-set="$set" --inh-caps=-all --ambient-caps=-all -- \
	"${VW_REAL_DAEMON:-$here/build/vendorwalld}" "$@"
