#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "initramfs": busybox, /init, the test list and the test programs
# (and, when built, the kernel modules) in one uncompressed cpio archive.
STEP=${STEP:-initramfs}
. "$(dirname "$0")/lib.sh"

OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH}
OUT=${SELFTESTS_OUT:-$BUILD_DIR/selftests/kvm}
LIST=$SELFTESTS_LIST
DEBS_ROOT=${DEBS_ROOT:-$SHARED_DIR/arm64-root}
INITRAMFS=${INITRAMFS:-$BUILD_DIR/initramfs.cpio}
GUEST_INIT=${GUEST_INIT:-$HARNESS_DIR/tests/guest/init}
# The nested-VMM scenario: Debian's arm64 QEMU and what its guest boots.
# WITH_VMM=0 leaves them out (an initramfs 60 MiB smaller).
WITH_VMM=${WITH_VMM:-1}
VMM_ROOT=${VMM_ROOT:-$SHARED_DIR/vmm-root}
NESTED_DIR=${NESTED_DIR:-$BUILD_DIR/nested}

step_begin "$INITRAMFS"
root=$BUILD_DIR/initramfs.d
busybox_root "$root" "$GUEST_INIT"
mkdir -p "$root"/{tests/kvm,lib/modules}
cp "$LIST" "$root/tests/selftests.list"
while read -r prog _; do
	case $prog in ''|'#'*) continue;; esac
	mkdir -p "$root/tests/kvm/$(dirname "$prog")"
	[ -x "$OUT/$prog" ] || continue	# not in this tree: /init skips it
	cp "$OUT/$prog" "$root/tests/kvm/$prog" || die "cannot copy selftest $prog"
done <"$LIST"
# The host's own check of its stage 2 under pKVM (tests/guest/init runs
# it in protected mode only).
run "${KCROSS}gcc" -static -O2 -Wall -Wextra -Werror -o "$root/tests/host-stage2-probe" \
	"$HARNESS_DIR/tests/guest/host-stage2-probe.c" || die_tail "tests/guest/host-stage2-probe.c does not build"
# Extra test programs of the series (if any) live beside the selftests.
for extra in ${EXTRA_GUEST_FILES:-}; do
	cp -r "$extra" "$root/tests/" || die "cannot copy $extra"
done
if [ "$WITH_VMM" = 1 ]; then
	[ -x "$VMM_ROOT/usr/bin/qemu-system-aarch64" ] || die "no VMM in $VMM_ROOT: run the vmm step (or set WITH_VMM=0)"
	[ -f "$NESTED_DIR/initramfs.cpio" ] || die "no nested guest in $NESTED_DIR: run the nested step (or set WITH_VMM=0)"
	cp -a "$VMM_ROOT/." "$root/"
	mv "$root/VERSION" "$root/vmm-version"
	mkdir -p "$root/nested"
	cp "$NESTED_DIR/Image" "$NESTED_DIR/initramfs.cpio" "$root/nested/"
fi
if [ -d "$OBJ_DIR/modules-install/lib/modules" ]; then
	cp -r "$OBJ_DIR/modules-install/lib/modules/." "$root/lib/modules/"
fi
pack_cpio "$root" "$INITRAMFS"
step_end "$(du -m "$INITRAMFS" | cut -f1) MiB"
