#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "debs": download arm64 .debs from Debian's registry (never install
# them) and unpack them into $DEBS_ROOT. Cached in $CACHE_DIR/debs.
# Usage: arm64-debs.sh PACKAGE...
STEP=${STEP:-debs}
. "$(dirname "$0")/lib.sh"

DEBS_ROOT=${DEBS_ROOT:-$SHARED_DIR/arm64-root}
debs=$CACHE_DIR/debs
mkdir -p "$debs" "$DEBS_ROOT"

step_begin "$(echo "$*" | cut -c1-60)$([ ${#*} -gt 60 ] && echo ...) ($# packages)"
# One apt-cache call for all candidates (it costs about a second a call).
declare -A cand
while read -r p v; do
	cand[$p]=$v
done < <(apt-cache policy $(printf '%s:arm64 ' "$@") 2>/dev/null |
	awk '/^[^ ].*:$/ { sub(/:arm64:$/, ""); sub(/:$/, ""); p = $0 } /Candidate:/ { print p, $2 }')
want=()
files=()
for p in "$@"; do
	ver=${cand[$p]:-}
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		die "no arm64 candidate for $p (is arm64 added with dpkg --add-architecture and apt-get update run?)"
	f=$debs/${p}_${ver//:/%3a}_arm64.deb
	[ -f "$f" ] || want+=("$p:arm64=$ver")
	files+=("$f")
done
# Runs of two clones share $CACHE_DIR/debs: one downloads at a time.
exec 9>"$debs/.lock"
flock -w "${LOCK_WAIT:-1800}" 9 || die "another run holds $debs/.lock"
want=($(for w in "${want[@]}"; do p=${w%%:*} v=${w##*=}; [ -f "$debs/${p}_${v//:/%3a}_arm64.deb" ] || echo "$w"; done))
if [ ${#want[@]} -gt 0 ]; then
	say "downloading ${#want[@]} package(s) from Debian's registry"
	# Into a temporary folder, moved when complete: no half .deb stays.
	rm -rf "$debs/.download" && mkdir -p "$debs/.download"
	( cd "$debs/.download" && apt-get download "${want[@]}" ) >>"$STEP_LOG" 2>&1 ||
		die "apt-get download failed for: ${want[*]}"
	mv "$debs/.download"/*.deb "$debs/" && rmdir "$debs/.download"
fi
flock -u 9
for f in "${files[@]}"; do
	[ -f "$f" ] || die "apt-get download did not give $f"
	run dpkg -x "$f" "$DEBS_ROOT" || die "cannot unpack $f"
	basename "$f" .deb | awk -F_ '{ sub(/%3a/, ":", $2); print $1, $2 }' >>"$DEBS_ROOT/.versions"
done
step_end "$DEBS_ROOT"
