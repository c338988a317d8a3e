#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "nested": what the nested guest of the nested-VMM scenario boots:
# the kernel just built (the guest's kernel does not matter to the
# feature, which is all in the host; one build serves both), and an
# initramfs with busybox, tests/nested/init, the test driver module
# ivshmem_wc_test.ko (built against that kernel) and the user-space check,
# and, where the series has it (both series), its user-space driver test
# vfio_pci_wc_mmap from the selftests step, which the nested guest runs
# through its own vfio-pci (tests/nested/init, nested_vfio=), and
# vfio-wc-map, which maps the test's window through the WC alias after it
# and holds it while the host reads stage 2.
# Output: $NESTED_DIR/{Image,initramfs.cpio}.
STEP=${STEP:-nested}
. "$(dirname "$0")/lib.sh"

OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH}
NESTED_DIR=${NESTED_DIR:-$BUILD_DIR/nested}
src=${NESTED_SRC:-$HARNESS_DIR/tests/nested}
VFIO_TEST=${VFIO_TEST:-$BUILD_DIR/selftests/kvm/vfio/vfio_pci_wc_mmap}
HDR_DIR=${HDR_DIR:-$BUILD_DIR/obj/$KARCH/usr/include}

step_begin "nested guest: kernel, test driver, user-space check"
[ -f "$OBJ_DIR/arch/arm64/boot/Image" ] && [ -f "$OBJ_DIR/Module.symvers" ] ||
	die "no kernel and modules in $OBJ_DIR: build the kernel first"

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
busybox_root "$root" "$src/init"
cp "$mod/ivshmem_wc_test.ko" "$NESTED_DIR/ivshmem-user" "$root/"
if [ -x "$VFIO_TEST" ]; then
	# With the test, the few lines of a bus driver that map a window of
	# BAR2 through the WC alias and hold it (tests/nested/vfio-wc-map.c),
	# against the series' uapi headers (of the kernel step's build, also
	# when the guest boots a variant's kernel).
	run "${KCROSS}gcc" -static -O2 -Wall -Wextra -Werror -isystem "$HDR_DIR" \
		-o "$NESTED_DIR/vfio-wc-map" "$src/vfio-wc-map.c" || die_tail "vfio-wc-map does not build"
	cp "$VFIO_TEST" "$NESTED_DIR/vfio-wc-map" "$root/" || die "cannot copy $VFIO_TEST"
fi
pack_cpio "$root" "$NESTED_DIR/initramfs.cpio"
cp "$OBJ_DIR/arch/arm64/boot/Image" "$NESTED_DIR/Image"
step_end "$NESTED_DIR: Image $(du -m "$NESTED_DIR/Image" | cut -f1) MiB, initramfs $(du -k "$NESTED_DIR/initramfs.cpio" | cut -f1) KiB$([ -x "$VFIO_TEST" ] && echo ", with vfio_pci_wc_mmap")"
