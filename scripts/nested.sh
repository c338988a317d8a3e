#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "nested": what the nested guest of the nested-VMM scenario boots:
# the kernel just built (the guest's kernel does not matter to the
# feature, which is all in the host; one build serves both), and an
# initramfs with busybox, tests/nested/init, the test driver module
# ivshmem_wc_test.ko (built against that kernel) and the user-space check.
# Output: $NESTED_DIR/{Image,initramfs.cpio}.
STEP=${STEP:-nested}
. "$(dirname "$0")/lib.sh"

OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH}
DEBS_ROOT=${DEBS_ROOT:-$BUILD_DIR/arm64-root}
NESTED_DIR=${NESTED_DIR:-$BUILD_DIR/nested}
src=$HARNESS_DIR/tests/nested

step_begin "nested guest: kernel, test driver, user-space check"
[ -f "$OBJ_DIR/arch/arm64/boot/Image" ] && [ -f "$OBJ_DIR/Module.symvers" ] ||
	die "no kernel and modules in $OBJ_DIR: build the kernel first"
[ -x "$DEBS_ROOT/bin/busybox" ] || die "no arm64 busybox in $DEBS_ROOT: run the debs step"

# An external module is built in its source folder: build a copy.
mod=$NESTED_DIR/module
mkdir -p "$mod"
for f in Kbuild ivshmem_wc_test.c; do
	cmp -s "$src/$f" "$mod/$f" || cp "$src/$f" "$mod/$f"
done
run kmake O="$OBJ_DIR" M="$mod" modules || die_tail "the test driver does not build"

run "${KCROSS}gcc" -static -O2 -Wall -Wextra -Werror -o "$NESTED_DIR/ivshmem-user" \
	"$src/ivshmem-user.c" || die_tail "the user-space check does not build"

root=$NESTED_DIR/initramfs.d
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev}
cp "$DEBS_ROOT/bin/busybox" "$root/bin/"
ln -s busybox "$root/bin/sh"
cp "$src/init" "$root/init"
sed -i '2i /bin/busybox --install -s' "$root/init"
cp "$mod/ivshmem_wc_test.ko" "$NESTED_DIR/ivshmem-user" "$root/"
( cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) >"$NESTED_DIR/initramfs.cpio" ||
	die "cpio failed"
cp "$OBJ_DIR/arch/arm64/boot/Image" "$NESTED_DIR/Image"
step_end "$NESTED_DIR: Image $(du -m "$NESTED_DIR/Image" | cut -f1) MiB, initramfs $(du -k "$NESTED_DIR/initramfs.cpio" | cut -f1) KiB"
