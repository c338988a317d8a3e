#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "bench-prog": build tests/bench/kvm_bench.c statically for arm64,
# the way the KVM selftests are built (their flags, their library objects,
# the uapi headers of the patched kernel), and the bench initramfs:
# busybox, tests/bench/init as /init, /tests/kvm_bench. The same binary
# runs on the base and on the patched kernel (it uses no new uAPI).
STEP=${STEP:-bench-prog}
. "$(dirname "$0")/lib.sh"

OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH}
OUT=${SELFTESTS_OUT:-$BUILD_DIR/selftests/kvm}
BENCH_DIR=$BUILD_DIR/bench
KSELF=$SRC_TREE/tools/testing/selftests/kvm
prog=$BENCH_DIR/prog/kvm_bench

step_begin "$prog and $BENCH_DIR/initramfs.cpio"
need "${KCROSS}gcc" "gcc-${KCROSS%-}"
[ -d "$OBJ_DIR/usr/include/linux" ] || die "no uapi headers in $OBJ_DIR/usr: run 'make kernel'"
libobjs=$(ls "$OUT"/lib/*.o "$OUT"/lib/aarch64/*.o 2>/dev/null)
[ -f "$OUT/lib/kvm_util.o" ] && [ -f "$OUT/lib/aarch64/processor.o" ] ||
	die "no KVM selftest library objects in $OUT/lib: run 'make selftests'"
mkdir -p "$BENCH_DIR/prog"

# The flags of tools/testing/selftests/kvm/Makefile (CFLAGS, LDFLAGS -static).
run "${KCROSS}gcc" -Wall -Wstrict-prototypes -Wuninitialized -O2 -g -std=gnu99 \
	-U_FORTIFY_SOURCE -fno-stack-protector -fno-PIE \
	-I"$SRC_TREE/tools/include" -I"$SRC_TREE/tools/arch/arm64/include" \
	-I"$OBJ_DIR/usr/include" -I"$KSELF/include" -I"$KSELF/include/aarch64" \
	-I"$KSELF/.." -static -pthread -no-pie \
	"$HARNESS_DIR/tests/bench/kvm_bench.c" $libobjs -ldl -o "$prog.tmp" ||
	die_tail "cannot build tests/bench/kvm_bench.c"
mv "$prog.tmp" "$prog"

# The bench initramfs: no selftests (an empty list), the bench /init.
# Built in its own folder so it cannot collide with the main initramfs.
list=$BENCH_DIR/no-selftests.list
: >"$list"
debs=${DEBS_ROOT:-$SHARED_DIR/arm64-root}
BUILD_DIR=$BENCH_DIR LOG_DIR=$LOG_DIR DEBS_ROOT=$debs WITH_VMM=0 \
OBJ_DIR=$BENCH_DIR/no-modules SELFTESTS_LIST=$list \
GUEST_INIT=$HARNESS_DIR/tests/bench/init EXTRA_GUEST_FILES=$prog \
INITRAMFS=$BENCH_DIR/initramfs.cpio STEP=bench-initramfs \
STEP_LOG=$LOG_DIR/bench-initramfs.log \
	"$HARNESS_DIR/scripts/initramfs.sh" >"$BENCH_DIR/initramfs.out" 2>&1 || {
	cat "$BENCH_DIR/initramfs.out" >>"$STEP_LOG"
	die "cannot build the bench initramfs: $(grep -m1 FAILED "$BENCH_DIR/initramfs.out" | sed 's/.*FAILED: //')"
}
step_end "$(du -k "$prog" | cut -f1) KiB program"
