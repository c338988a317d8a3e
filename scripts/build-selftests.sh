#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "selftests": build the KVM selftests statically for arm64 against
# the uapi headers of the kernel just built, and, when the tree has
# tools/testing/selftests/vfio/ (both series add it), the vfio
# selftests into $OUT/vfio/ (list entries "vfio/<program>"). Programs that
# do not build on this base are built around (make -k); a program the
# test list needs but that did not build stops the step.
STEP=${STEP:-selftests}
. "$(dirname "$0")/lib.sh"

OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH}
OUT=${SELFTESTS_OUT:-$BUILD_DIR/selftests/kvm}
LIST=$SELFTESTS_LIST

step_begin "KVM selftests into $OUT"
[ -d "$OBJ_DIR/usr/include/linux" ] || die "no uapi headers in $OBJ_DIR/usr: build the kernel first"
mkdir -p "$OUT"
# The listed programs are relinked every time: after make -k, a program
# that failed to rebuild must be missing, not an old binary tested again.
while read -r prog _; do
	case $prog in ''|'#'*) continue;; esac
	rm -f "$OUT/$prog"
done <"$LIST"
LDFLAGS=-static with_progress "building" \
	make -k -C "$SRC_TREE/tools/testing/selftests/kvm" ARCH=arm64 \
	CROSS_COMPILE="$KCROSS" INSTALL_HDR_PATH="$OBJ_DIR/usr" OUTPUT="$OUT" -j"$JOBS"
if [ -d "$SRC_TREE/tools/testing/selftests/vfio" ]; then
	mkdir -p "$OUT/vfio"
	LDFLAGS=-static with_progress "building vfio" \
		make -k -C "$SRC_TREE/tools/testing/selftests/vfio" ARCH=arm64 \
		CROSS_COMPILE="$KCROSS" KHDR_INCLUDES="-isystem $OBJ_DIR/usr/include" \
		OUTPUT="$OUT/vfio" -j"$JOBS"
fi
# A listed program whose source this tree does not have (a test the series
# adds, while the plain base is built) is reported by /init as a skip.
missing=
absent=
while read -r prog _; do
	case $prog in ''|'#'*) continue;; esac
	[ -x "$OUT/$prog" ] && continue
	case $prog in
	vfio/*) src=$SRC_TREE/tools/testing/selftests/$prog.c;;
	*) src=$SRC_TREE/tools/testing/selftests/kvm/$prog.c;;
	esac
	if [ -f "$src" ]; then
		missing="$missing $prog"
	else
		absent="$absent $prog"
	fi
done <"$LIST"
[ -z "$missing" ] || die_tail "listed selftests did not build:$missing"
step_end "$(find "$OUT" -type f -perm -u+x | wc -l) programs${absent:+; not in this tree:$absent}"
