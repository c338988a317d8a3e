#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "debs": download arm64 .debs from Debian's registry (never install
# them) and unpack them into $DEBS_ROOT. Cached in $CACHE_DIR/debs.
# Usage: arm64-debs.sh PACKAGE...
STEP=${STEP:-debs}
. "$(dirname "$0")/lib.sh"

DEBS_ROOT=${DEBS_ROOT:-$BUILD_DIR/arm64-root}
debs=$CACHE_DIR/debs
mkdir -p "$debs" "$DEBS_ROOT"

step_begin "$*"
for p in "$@"; do
	ver=$(apt-cache policy "$p:arm64" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		die "no arm64 candidate for $p (is arm64 added with dpkg --add-architecture and apt-get update run?)"
	f=$(ls "$debs/${p}_${ver//:/%3a}_arm64.deb" 2>/dev/null)
	if [ -z "$f" ]; then
		( cd "$debs" && apt-get download "$p:arm64=$ver" ) >>"$STEP_LOG" 2>&1 ||
			die "apt-get download $p:arm64=$ver failed"
		f=$(ls "$debs/${p}_"*"_arm64.deb" | tail -1)
	fi
	run dpkg -x "$f" "$DEBS_ROOT" || die "cannot unpack $f"
	echo "$p $ver" >>"$DEBS_ROOT/.versions"
done
step_end "$DEBS_ROOT"
