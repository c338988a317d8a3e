#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job's last step: boot one profile and run the nested-VMM
# scenario once: Debian's QEMU inside the host passes the ivshmem device
# through to a Linux guest whose driver maps BAR2 write-combining. Say in
# a few lines what the host came up with, what stage 2 shows for the
# guest's BAR2 and RAM, and end with the answer: which memory type the
# guest's write-combining mapping got at stage 2, what the guest's own
# accesses say about it (the alignment probe: a line no dump of ours
# decides; it tells Device from Normal, not Normal-NC from cacheable
# Normal, so it says "Normal", and Normal-NC only with the dump's result
# behind it), and whether the data arrived in the backing file outside.
# SHOW_CONSOLE=FILE: no boot, the lines of that console instead, and the
# outside check only on SHOW_IVSHMEM, the backing file, if given (the
# harness self-test show-probe-says-normal).
PROFILE=${1:-vhe-fwb}
STEP=show
. "$(dirname "$0")/lib.sh"

if [ -n "${SHOW_CONSOLE:-}" ]; then
	[ -f "$SHOW_CONSOLE" ] || die "SHOW_CONSOLE=$SHOW_CONSOLE: no such console"
	console=$SHOW_CONSOLE
else
	"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" show || exit 1
	console=$LOG_DIR/console-$PROFILE-show.log
fi
res=$BUILD_DIR/show.tsv
: >"$res"
"$HARNESS_DIR/scripts/parse.sh" "$console" "$PROFILE" "$res" >/dev/null
[ -n "${SHOW_CONSOLE:-}" ] && [ -z "${SHOW_IVSHMEM:-}" ] ||
	"$HARNESS_DIR/scripts/outside-check.sh" "$PROFILE" "${SHOW_IVSHMEM:-$BUILD_DIR/ivshmem-$PROFILE-show.bin}" "$res" "$console" >/dev/null
echo
echo "== $(sed -n 's/^PROFILE_DESC="\(.*\)"/\1/p' "$HARNESS_DIR/profiles/$PROFILE.conf")"
grep -m1 '^HARNESS-START' "$console" | sed 's/^HARNESS-START /   /'
grep '^harness: ' "$console" | grep -v '^harness: => ' | sed 's/^harness: /   /'
awk -F'\t' '$2 == "fail" { printf "   FAIL %s: %s\n", $3, $4 }' "$res"
awk -F'\t' '{ n[$2]++ } END { printf "   %d passed, %d failed, %d skipped (console: %s)\n", n["pass"], n["fail"], n["skip"], c }' c="$console" "$res"
echo
verdict=$(grep -m1 '^harness: => ' "$console" | sed 's/^harness: => //')
[ -n "$verdict" ] || verdict="the stage-2 memory type of the nested guest's BAR2 is unknown (see the FAIL lines)"
echo "=> $verdict"
# The architectural line: only when the driver's probe worked and the
# stage-1 Device control faulted in the same run (so the probe could fail).
# An unaligned access faults on Device memory only: the probe shows that
# stage 2 is Normal, not Device; a write-back stage 2 passes it as well.
# That it is Normal-NC is the dump's claim (vmm:stage2-bar2-normal-nc) and
# KUnit's (the encoding), said only when the dump's result passed.
st() { awk -F'\t' -v n="$1" '$3 == n { print $2; exit }' "$res"; }
why() { awk -F'\t' -v n="$1" '$3 == n { print $4; exit }' "$res"; }
drv=$(st vmm:probe_driver_wc_unaligned) ctl=$(st vmm:probe_user_device_sigbus)
dmp=$(st vmm:stage2-bar2-normal-nc)
if [ "$drv" = pass ] && [ "$ctl" = pass ]; then
	if [ "$dmp" = pass ]; then
		nc=": that it is Normal-NC is the dump's claim (vmm:stage2-bar2-normal-nc passed) and KUnit's"
	else
		nc=", and the dump does not show Normal-NC (vmm:stage2-bar2-normal-nc ${dmp:-not reported}${dmp:+: $(why vmm:stage2-bar2-normal-nc)})"
	fi
	echo "=> an unaligned load through the guest's ioremap_wc() mapping works: stage 2 is Normal, not Device (first touch; through its stage-1 Device mapping the same access takes SIGBUS); the probe cannot tell Normal-NC from cacheable Normal$nc"
elif [ "$drv" = fail ]; then
	echo "=> an unaligned load through the guest's ioremap_wc() mapping FAILED: $(why vmm:probe_driver_wc_unaligned)"
elif [ "$drv" = pass ]; then
	echo "=> an unaligned load through the guest's ioremap_wc() mapping works, but the stage-1 Device control did not fault ($ctl: $(why vmm:probe_user_device_sigbus)): no conclusion"
elif [ -n "$drv" ]; then
	echo "=> the alignment probe cannot tell the memory type here: $(why vmm:probe_driver_wc_unaligned)"
fi
awk -F'\t' '$3 == "outside:nested-pattern" {
	printf "=> data the nested guest wrote (driver ioremap_wc, user resource2_wc and resource2), read from the backing file outside: %s\n",
		($2 == "pass" ? "all arrived, nothing else changed" : toupper($2) ": " $4) }' "$res"
! grep -q "	fail	" "$res"
