#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "outside": after QEMU exited, read the ivshmem backing file on the
# outer machine and check the words the guest wrote through its Normal-NC
# and Device mappings of BAR2 arrived (tests/host/ivshmem-check.c).
# Usage: outside-check.sh PROFILE IVSHMEM_FILE RESULTS_TSV
PROFILE=${1:?usage}; FILE=${2:?usage}; RESULTS=${3:?usage}
STEP=outside-$PROFILE
. "$(dirname "$0")/lib.sh"

name=outside:ivshmem-pattern
emit() { record "$PROFILE" "$1" "$name" "$2" >/dev/null; }

st=$(awk -F'\t' '$3 == "selftest:aarch64/vfio_pci_memattr" { print $2 }' "$RESULTS" 2>/dev/null)
if [ -z "$st" ] || [ "$st" = skip ]; then
	emit skip "the vfio_pci_memattr selftest did not run (not in this tree, or no device)"
	exit 0
fi
checker=$BUILD_DIR/ivshmem-check
if [ ! -x "$checker" ] || [ "$HARNESS_DIR/tests/host/ivshmem-check.c" -nt "$checker" ]; then
	gcc -O2 -Wall -Werror -o "$checker" "$HARNESS_DIR/tests/host/ivshmem-check.c" >>"$STEP_LOG" 2>&1 ||
		{ emit fail "cannot build the checker: $STEP_LOG"; exit 0; }
fi
if out=$("$checker" "$FILE" 2>&1); then
	emit pass "$(echo "$out" | paste -sd';')"
else
	emit fail "$(echo "$out" | paste -sd';')"
fi
echo "$out" | sed "s/^/[$PROFILE] outside: /"
