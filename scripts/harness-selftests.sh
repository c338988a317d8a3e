#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "harness-selftests": break things on purpose and check that the
# harness says so clearly and quickly, instead of hanging or building
# something else:
#  - the console parser on a known console (tests/harness/);
#  - a patch that does not apply: named, with its failing file;
#  - a missing package: named;
#  - the base: not served any more (fallback or refusal, both versions
#    named), a wrong checksum, a newest base that rejects the series;
#  - a package missing from config/packages, in a fresh Debian 12 root;
#  - a kernel that panics at boot (rdinit= pointing nowhere);
#  - a QEMU that never finishes: killed at the timeout, tail printed;
#  - in the nested-VMM scenario, a nested guest that hangs (killed at the
#    scenario's timeout) and a device the VMM cannot open (QEMU's error).
# Usage: harness-selftests.sh RESULTS_TSV
RESULTS=${1:?usage: harness-selftests.sh RESULTS_TSV}
STEP=harness-selftests
. "$(dirname "$0")/lib.sh"

T=$HARNESS_DIR/tests/harness
W=$BUILD_DIR/harness-selftests
rm -rf "$W" && mkdir -p "$W"

n=0
# expect NAME PATTERN EXPECTED-RC CMD...: run CMD (output in $W/NAME.out);
# pass when it exits with EXPECTED-RC (or any non-zero for "fail") and its
# output matches PATTERN (grep -E).
expect() {
	local name=$1 pat=$2 want=$3 rc st reason=; shift 3
	n=$((n + 1))
	"$@" >"$W/$name.out" 2>&1 </dev/null
	rc=$?
	if [ "$want" = fail ] && [ $rc = 0 ]; then
		st=fail reason="expected a failure, got exit 0"
	elif [ "$want" != fail ] && [ $rc != "$want" ]; then
		st=fail reason="exit $rc, expected $want"
	elif ! grep -qE "$pat" "$W/$name.out"; then
		st=fail reason="output lacks /$pat/"
	else
		st=pass reason="$(grep -m1 -E "$pat" "$W/$name.out" | sed 's/^[[:space:]]*//' | cut -c1-150)"
	fi
	[ $st = fail ] && { echo "--- $W/$name.out"; tail -5 "$W/$name.out"; } >>"$STEP_LOG"
	record harness $st "harness:$name" "$reason"
}

step_begin "parser, failure paths, nested-VMM failures"

# The parser, on a console with every kind of line it must tell apart.
expect parser '^ok$' 0 bash -c "
	'$HARNESS_DIR/scripts/parse.sh' '$T/console-sample.log' sample '$W/sample.tsv' &&
	diff -u '$T/expected-sample.tsv' '$W/sample.tsv' && echo ok"

# A broken patch, applied with git am in a tiny sparse worktree.
wt=$W/am-tree
git -C "$SRC_TREE" worktree prune
git -C "$SRC_TREE" worktree add -q -f --no-checkout --detach "$wt" base >>"$STEP_LOG" 2>&1 &&
	git -C "$wt" sparse-checkout set --no-cone /Makefile /README >>"$STEP_LOG" 2>&1 &&
	git -C "$wt" checkout -q --detach base >>"$STEP_LOG" 2>&1
git -C "$SRC_TREE" branch -D harness-selftest >/dev/null 2>&1
expect broken-patch 'patch 2 \(0002-broken.patch\) does not apply.*failing file\(s\): Makefile' fail \
	env SRC_TREE="$wt" PATCHES_DIR="$T" STEP=tree STEP_LOG="$W/tree.log" TREE_BRANCH=harness-selftest \
	"$HARNESS_DIR/scripts/tree.sh"
git -C "$SRC_TREE" worktree remove -f "$wt" >/dev/null 2>&1
git -C "$SRC_TREE" branch -D harness-selftest >/dev/null 2>&1

# A missing package: named, whether only checking or installing.
printf 'kvmnc-no-such-tool kvmnc-no-such-package\n' >"$W/packages"
expect missing-package-check "missing Debian package\(s\): kvmnc-no-such-package" fail \
	env NO_INSTALL=1 PACKAGES_LIST="$W/packages" STEP_LOG="$W/deps1.log" "$HARNESS_DIR/scripts/deps.sh"
if [ "$(id -u)" = 0 ]; then
	expect missing-package-install "package 'kvmnc-no-such-package' is not available" fail \
		env PACKAGES_LIST="$W/packages" STEP_LOG="$W/deps2.log" "$HARNESS_DIR/scripts/deps.sh"
fi

# The base: the recorded version no longer served (fallback to the
# newest, both versions named; or a stop with BASE_MISMATCH=refuse), a
# wrong checksum (a stop naming both sums), and a newest base that does
# not take the series (the result names the patch and the file).
expect base-not-served "records linux-source-6.1 6\.1\.999-9, which Debian's registry no longer serves \(newest: [^)]*\); building [^ ]+ instead" 0 \
	env EXPECT_BASE_VERSION=6.1.999-9 BASE_MISMATCH=fallback STEP_LOG="$W/base1.log" "$HARNESS_DIR/scripts/base-fetch.sh"
expect base-not-served-refuse "no longer serves .*BASE_MISMATCH=refuse: stopping" fail \
	env EXPECT_BASE_VERSION=6.1.999-9 BASE_MISMATCH=refuse STEP_LOG="$W/base2.log" "$HARNESS_DIR/scripts/base-fetch.sh"
expect base-checksum "checksum mismatch for linux-source-6.1 .*: the registry's tarball has sha256 [0-9a-f]{64}, base/BASE records 0{64}" fail \
	env EXPECT_BASE_SHA256=$(printf '0%.0s' $(seq 64)) STEP_LOG="$W/base3.log" "$HARNESS_DIR/scripts/base-fetch.sh"
expect base-newest-rejects-series "fail base:series-applies-to-newest .*patch 2 \(0002-broken.patch\) does not apply.*failing file\(s\): Makefile" 0 \
	env PATCHES_DIR="$T" SKIP_BUILT_VERSION=1 BUILD_DIR="$W/newest" STEP_LOG="$W/newest.log" \
	"$HARNESS_DIR/scripts/base-newest.sh" /dev/null

# A package left out of config/packages: in a fresh Debian 12 root (what
# CI runs make check in), installing a list without rsync and then doing
# what the kernel step does (headers_install) fails, naming rsync; the
# same list with rsync works. The list is the real one's lines for the
# tools headers_install uses, so a change there shows here.
if [ "$(id -u)" = 0 ] && [ "${SKIP_FRESH_ROOT_SELFTEST:-0}" != 1 ]; then
	root=$W/root
	if STEP_LOG=$W/fresh-root.log "$HARNESS_DIR/scripts/fresh-root.sh" "$root" >"$W/fresh-root.out" 2>&1; then
		grep -E '^(make|gcc|/usr/include/stdio.h|bc|flex|bison|rsync) ' "$HARNESS_DIR/config/packages" >"$W/pk-with"
		grep -v '^rsync ' "$W/pk-with" >"$W/pk-without"
		hdr="make -s -C '$SRC_TREE' O=/tmp/hdr ARCH=arm64 headers_install INSTALL_HDR_PATH=/tmp/hdr/usr"
		expect fresh-root-missing-package "rsync: not found" fail \
			"$HARNESS_DIR/scripts/in-root.sh" "$root" \
			"PACKAGES_LIST='$W/pk-without' STEP_LOG=/tmp/deps.log scripts/deps.sh && $hdr"
		expect fresh-root-package-listed "^headers ok" 0 \
			"$HARNESS_DIR/scripts/in-root.sh" "$root" \
			"PACKAGES_LIST='$W/pk-with' STEP_LOG=/tmp/deps.log scripts/deps.sh && $hdr && echo headers ok"
	else
		n=$((n + 1))
		record harness fail "harness:fresh-root-missing-package" "cannot make a fresh root: $(tail -1 "$W/fresh-root.out")"
	fi
	rm -rf "$root"
fi

# A kernel that panics at boot: no /init to run and no root device.
expect panic-at-boot 'fail	boot:no-panic	Kernel panic' 0 bash -c "
	EXTRA_CMDLINE='rdinit=/harness-no-such-init' BOOT_TIMEOUT=180 STEP_LOG='$W/boot-panic.log' \
	CONSOLE='$W/console-panic.log' IVSHMEM_FILE='$W/ivshmem-panic.bin' \
	'$HARNESS_DIR/scripts/boot.sh' vhe-fwb panic >/dev/null;
	'$HARNESS_DIR/scripts/parse.sh' '$W/console-panic.log' vhe-fwb /dev/stdout"

# A guest that never finishes: QEMU is killed and the console tail shown.
expect qemu-hang 'did not finish within 20s' fail \
	env BOOT_TIMEOUT=20 STEP_LOG="$W/boot-hang.log" CONSOLE="$W/console-hang.log" \
	IVSHMEM_FILE="$W/ivshmem-hang.bin" "$HARNESS_DIR/scripts/boot.sh" vhe-fwb hang

# The nested-VMM scenario: a nested guest that never gets ready, and a VMM
# that cannot start (a device address that does not exist).
expect vmm-hang 'fail	vmm:nested-guest	nested guest not ready after 10s \(TIMEOUT\)' 0 bash -c "
	EXTRA_CMDLINE='harness_nested_hang=1 harness_vmm_timeout=10' BOOT_TIMEOUT=300 \
	STEP_LOG='$W/boot-vmm-hang.log' CONSOLE='$W/console-vmm-hang.log' IVSHMEM_FILE='$W/ivshmem-vmm.bin' \
	'$HARNESS_DIR/scripts/boot.sh' vhe-fwb show >/dev/null;
	'$HARNESS_DIR/scripts/parse.sh' '$W/console-vmm-hang.log' vhe-fwb /dev/stdout"
expect vmm-bad-device 'fail	vmm:nested-guest	QEMU exited early: .*0000:7f:1f.7' 0 bash -c "
	EXTRA_CMDLINE='harness_vmm_bad_bdf=1' BOOT_TIMEOUT=300 \
	STEP_LOG='$W/boot-vmm-bad.log' CONSOLE='$W/console-vmm-bad.log' IVSHMEM_FILE='$W/ivshmem-vmm.bin' \
	'$HARNESS_DIR/scripts/boot.sh' vhe-fwb show >/dev/null;
	'$HARNESS_DIR/scripts/parse.sh' '$W/console-vmm-bad.log' vhe-fwb /dev/stdout"
rm -f "$W"/ivshmem-*.bin

step_end "$n self-tests"
