#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "outside": after QEMU exited, read the ivshmem backing file on the
# outer machine and check that what the guests wrote through BAR2 arrived
# (tests/host/ivshmem-check.c): the nested-VMM guest's driver and
# user-space patterns, and the alignment probes' unaligned stores where
# the probe says it stored; one result for each, and nothing stray. The
# vfio_pci_memattr selftest checks its own data through vfio; its scratch
# range [0, 8 MiB) of BAR2 is left out of the check.
# The series' user-space driver test vfio_pci_wc_mmap (both bases: in the host,
# selftest:vfio/vfio_pci_wc_mmap, and in the nested guest,
# vmm:vfio_pci_wc_mmap) says on the console where its window of BAR2 is
# ("# window:", data it checks itself through both mappings) and where it
# left a pattern through the write-combining alias ("# pattern:"): the
# pattern must be in the file word for word (outside:vfio_pci_wc_mmap-pattern,
# outside:nested-vfio_pci_wc_mmap-pattern), the rest of its window is its
# own, and nothing outside the windows may change.
# Usage: outside-check.sh PROFILE IVSHMEM_FILE RESULTS_TSV [CONSOLE]
PROFILE=${1:?usage}; FILE=${2:?usage}; RESULTS=${3:?usage}
STEP=outside-$PROFILE
. "$(dirname "$0")/lib.sh"
CONSOLE=${4:-$LOG_DIR/console-$PROFILE-check.log}

# status_of NAME: the status the run gave test NAME ("" if absent).
status_of() { awk -F'\t' -v n="$1" '$3 == n { print $2 }' "$RESULTS" 2>/dev/null; }

# Each writer: the result that says it ran, and the name of its check.
declare -A ran=([nested]="vmm:nested-guest"
	[probe_driver]="vmm:probe_driver_wc_unaligned" [probe_user]="vmm:probe_user_wc_unaligned")
declare -A label=([nested]="outside:nested-pattern"
	[probe_driver]="outside:probe_driver_wc_store" [probe_user]="outside:probe_user_wc_store")
declare -A prefix=([nested]="nested guest (driver|user) " [probe_driver]="nested guest probe, driver"
	[probe_user]="nested guest probe, user")
writers=
for w in nested probe_driver probe_user; do
	st=$(status_of "${ran[$w]}")
	# A probe stored only when it worked: passed, or skipped on a QEMU
	# that cannot make it fail. Otherwise its bytes must stay zero.
	case $w in probe_*)
		[ "$st" = pass ] || awk -F'\t' -v n="${ran[$w]}" '$3 == n && $2 == "skip" && /\(it worked\)/ { f = 1 } END { exit !f }' "$RESULTS" ||
			{ [ -z "$st" ] || record "$PROFILE" skip "${label[$w]}" "the probe did not store (${ran[$w]}: $st)" >/dev/null; continue; };;
	esac
	if [ -n "$st" ] && [ "$st" != skip ] || { [ "${w#probe_}" != "$w" ] && [ -n "$st" ]; }; then
		writers="$writers $w"
	elif [ -n "$st" ]; then
		record "$PROFILE" skip "${label[$w]}" "${ran[$w]} did not run (not in this tree, WITH_VMM=0, or no device)" >/dev/null
	fi
done

# vfio_pci_wc_mmap: its window and pattern, from its own lines.
declare -A vprog=([host]="selftest:vfio/vfio_pci_wc_mmap" [nested]="vmm:vfio_pci_wc_mmap")
declare -A vpre=([host]="# # " [nested]="# nested-vfio: # ")
declare -A vlabel=([host]="outside:vfio_pci_wc_mmap-pattern" [nested]="outside:nested-vfio_pci_wc_mmap-pattern")
extra=()
vwriters=
for who in host nested; do
	st=$(status_of "${vprog[$who]}")
	[ -n "$st" ] || continue	# not in this base, or not run in this suite
	win= pat=
	if [ -f "$CONSOLE" ]; then
		lines=$(tr -d '\r' <"$CONSOLE" | grep -F "${vpre[$who]}" | sed "s/^${vpre[$who]}//")
		win=$(sed -n 's/^window: BAR2 \[\(0x[0-9a-f]*\), \(0x[0-9a-f]*\)).*/\1,\2/p' <<<"$lines" | head -1)
		pat=$(sed -n 's/^pattern: BAR2 offset \(0x[0-9a-f]*\), \([0-9]*\) LE u64 words \(0x[0-9a-f]*\)|index.*/\1,\2,\3/p' <<<"$lines" | head -1)
	fi
	[ -n "$win" ] && extra+=("window:$who-vfio_pci_wc_mmap=$win")
	bp=$(status_of "${vprog[$who]}:backing_pattern")
	if [ "$bp" != pass ]; then
		record "$PROFILE" skip "${vlabel[$who]}" "the writer did not leave its pattern (${vprog[$who]}:backing_pattern: ${bp:-not reported})" >/dev/null
	elif [ -z "$pat" ]; then
		record "$PROFILE" fail "${vlabel[$who]}" "${vprog[$who]}:backing_pattern passed, but no '# pattern:' line of it in $CONSOLE" >/dev/null
	else
		extra+=("pattern:$who-vfio_pci_wc_mmap=$pat")
		vwriters="$vwriters $who"
	fi
done
[ -n "$writers$vwriters" ] || exit 0

checker=$BUILD_DIR/ivshmem-check
if [ ! -x "$checker" ] || [ "$HARNESS_DIR/tests/host/ivshmem-check.c" -nt "$checker" ]; then
	gcc -O2 -Wall -Werror -o "$checker" "$HARNESS_DIR/tests/host/ivshmem-check.c" >>"$STEP_LOG" 2>&1 || {
		for w in $writers; do
			record "$PROFILE" fail "${label[$w]}" "cannot build the checker: $STEP_LOG" >/dev/null
		done
		exit 0
	}
fi
out=$("$checker" "$FILE" selftest $writers "${extra[@]}" 2>&1)
rc=$?
echo "$out" >>"$STEP_LOG"
stray=$(echo "$out" | grep -E '^(stray|elsewhere: [1-9])')
for w in $writers; do
	mine=$(echo "$out" | grep -E "^${prefix[$w]}")
	if [ $rc -le 1 ] && [ -n "$mine" ] && ! echo "$mine" | grep -qvE ', 0 wrong$' && [ -z "$stray" ]; then
		record "$PROFILE" pass "${label[$w]}" "$(echo "$mine" | paste -sd';')" >/dev/null
	else
		record "$PROFILE" fail "${label[$w]}" "$(echo "$mine" "$stray" "$([ $rc -gt 1 ] && echo "$out")" | paste -sd';')" >/dev/null
	fi
done
for who in $vwriters; do
	mine=$(echo "$out" | grep -E "^$who-vfio_pci_wc_mmap pattern")
	if [ $rc -le 1 ] && [ -n "$mine" ] && ! echo "$mine" | grep -qvE ', 0 wrong$' && [ -z "$stray" ]; then
		record "$PROFILE" pass "${vlabel[$who]}" "$mine" >/dev/null
	else
		record "$PROFILE" fail "${vlabel[$who]}" "$(echo "$mine" "$stray" "$([ $rc -gt 1 ] && echo "$out")" | paste -sd';')" >/dev/null
	fi
done
echo "$out" | sed "s/^/[$PROFILE] outside: /"
