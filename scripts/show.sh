#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job's last step: boot one profile and say, in a few lines,
# what the host came up with.
PROFILE=${1:-vhe-fwb}
STEP=show
. "$(dirname "$0")/lib.sh"

"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" show || exit 1
console=$LOG_DIR/console-$PROFILE-show.log
res=$BUILD_DIR/show.tsv
: >"$res"
"$HARNESS_DIR/scripts/parse.sh" "$console" "$PROFILE" "$res"
echo
echo "== $(sed -n 's/^PROFILE_DESC="\(.*\)"/\1/p' "$HARNESS_DIR/profiles/$PROFILE.conf")"
grep -m1 '^HARNESS-START' "$console" | sed 's/^HARNESS-START /   /'
grep '^harness: ' "$console" | sed 's/^harness: /   /'
awk -F'\t' '{ printf "   %-4s %s%s\n", ($2 == "pass" ? "ok" : toupper($2)), $3, ($4 != "" ? " (" $4 ")" : "") }' "$res"
! grep -q "	fail	" "$res"
