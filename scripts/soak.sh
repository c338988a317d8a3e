#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "soak" (make soak): boot PROFILE with the suite "soak", in which
# /init runs only the vfio_pci_memattr soak (-s SOAK_SECONDS): a guest
# stores to BAR2 through Normal-NC while the VMM resets the device and
# toggles memory decoding, at most 200 cycles or SOAK_SECONDS. The
# results: the boot's (this run, no panic, TAP plan, clean dmesg), the
# soak's own (data through vfio; MemAvailable before and after is printed,
# not asserted, since v3: too fragile on a busy real host), and the
# backing file read here after QEMU exited: every word of the soak's page
# holds the guest's last store to it, as the test printed
# ("soak-final: offset=.. words=.. last=.."), and every other word is 0.
# Usage: soak.sh PROFILE RESULTS_TSV
PROFILE=${1:?usage: soak.sh PROFILE RESULTS_TSV}
RESULTS=${2:?usage: soak.sh PROFILE RESULTS_TSV}
STEP=soak-$PROFILE
. "$(dirname "$0")/lib.sh"

SOAK_SECONDS=${SOAK_SECONDS:-60}
[[ $SOAK_SECONDS =~ ^[1-9][0-9]*$ ]] || die "SOAK_SECONDS must be a whole number of seconds > 0, not '$SOAK_SECONDS'"
console=$LOG_DIR/console-$PROFILE-soak.log
file=$BUILD_DIR/ivshmem-$PROFILE-soak.bin
group=soak
soak_test=selftest:aarch64/vfio_pci_memattr:soak-reset-decode

step_begin "$PROFILE, up to $SOAK_SECONDS s"
EXTRA_CMDLINE="${EXTRA_CMDLINE:-} harness_soak_s=$SOAK_SECONDS" \
	"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" soak || true
"$HARNESS_DIR/scripts/parse.sh" "$console" "$group" "$RESULTS"

# The soak must have run and passed: a skip proves nothing here.
st=$(awk -F'\t' -v n="$soak_test" '$3 == n { print $2 }' "$RESULTS")
if [ "$st" = pass ]; then
	record $group pass "soak:ran" "$(tr -d '\r' <"$console" | grep -m1 'soak: .* cycles' | sed 's/^[# ]*soak: //')"
else
	record $group fail "soak:ran" "$soak_test is ${st:-missing}: see $console"
fi

# The backing file, outside.
final=$(tr -d '\r' <"$console" | sed -n 's/^# # soak-final: //p' | tail -1)
if [ -z "$final" ]; then
	record $group fail "soak:backing-file" "no soak-final line on the console: nothing to check"
elif [ ! -s "$file" ]; then
	record $group fail "soak:backing-file" "no backing file $file"
else
	why=$("$HARNESS_DIR/scripts/soak-file-check.py" "$file" $final) && record $group pass "soak:backing-file" "$why" || record $group fail "soak:backing-file" "$why"
fi
step_end "$(awk -F'\t' '$2 == "fail"' "$RESULTS" | wc -l) failed"
