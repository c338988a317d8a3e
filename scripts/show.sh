#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job's last step: boot one profile, run the end-to-end test
# once, and say in a few lines what the host came up with, which stage-2
# memory type the guest's mappings of the vfio-pci BAR got, and whether
# the guest's data arrived in the ivshmem backing file outside.
PROFILE=${1:-vhe-fwb}
STEP=show
. "$(dirname "$0")/lib.sh"

"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" show || exit 1
console=$LOG_DIR/console-$PROFILE-show.log
res=$BUILD_DIR/show.tsv
: >"$res"
"$HARNESS_DIR/scripts/parse.sh" "$console" "$PROFILE" "$res"
"$HARNESS_DIR/scripts/outside-check.sh" "$PROFILE" "$BUILD_DIR/ivshmem-$PROFILE-show.bin" "$res" >/dev/null
echo
echo "== $(sed -n 's/^PROFILE_DESC="\(.*\)"/\1/p' "$HARNESS_DIR/profiles/$PROFILE.conf")"
grep -m1 '^HARNESS-START' "$console" | sed 's/^HARNESS-START /   /'
grep '^harness: ' "$console" | sed 's/^harness: /   /'
awk -F'\t' '$3 == "outside:ivshmem-pattern" {
	printf "   data written by the guest, read from the backing file outside: %s\n", ($2 == "pass" ? "all arrived" : toupper($2))
	n = split($4, a, ";"); for (i = 1; i <= n; i++) printf "     %s\n", a[i] }' "$res"
awk -F'\t' '$2 == "fail" { printf "   FAIL %s: %s\n", $3, $4 }' "$res"
awk -F'\t' '{ n[$2]++ } END { printf "   %d passed, %d failed, %d skipped (log: %s)\n", n["pass"], n["fail"], n["skip"], c }' c="$console" "$res"
! grep -q "	fail	" "$res"
