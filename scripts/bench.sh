#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "bench": what the series costs in the stage-2 fault path and what
# KVM maps for a vfio-pci BAR, the unpatched base kernel against the
# patched one, booted with the same config and the same initramfs in
# alternation (pair i: base, then patched, for every profile and clock)
# under QEMU. Each boot runs tests/bench/kvm_bench once (see its header
# for what it measures); scripts/bench-report.sh turns the consoles into
# the table, build/bench/bench.csv and build/bench/bench-fault-cost.png.
#
# Two clocks (BENCH_CLOCKS):
#   wall    QEMU as every other boot runs it: CLOCK_MONOTONIC of the
#           emulated host follows the real time of this machine, with
#           all its noise (other jobs, QEMU's translator).
#   icount  -icount shift=0,sleep=off: QEMU's virtual clock advances
#           1 ns per emulated instruction, so a time is an instruction
#           count of the emulated machine (guest, KVM, host kernel):
#           deterministic, and what the series adds to the fault path.
#
# A benchmark, not a test: no figure is judged. It fails only when
# something is broken (a boot, the device, the program, a kernel that is
# not the one it should be), and then says which boot and where to look.
STEP=${STEP:-bench}
. "$(dirname "$0")/lib.sh"

BENCH_DIR=$BUILD_DIR/bench
BENCH_PAIRS=${BENCH_PAIRS:-7}
BENCH_PROFILES=${BENCH_PROFILES:-${PROFILES:-vhe-fwb nvhe-nofwb}}
BENCH_CLOCKS=${BENCH_CLOCKS:-wall icount}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-300}
PATCHED_IMAGE=${PATCHED_IMAGE:-$BUILD_DIR/obj/$KARCH/arch/arm64/boot/Image}
BASE_IMAGE=${BASE_IMAGE:-$BUILD_DIR/base/obj/$KARCH/arch/arm64/boot/Image}
CONSOLES=$BENCH_DIR/console
BOOT_LOGS=$LOG_DIR/bench
# Other bases' patched kernels, booted in the same alternation after the
# pair (BENCH_BASES, e.g. "6.12": kernel label "6.12", Image of
# $BUILD_ROOT/6.12): the same program, initramfs and profiles.
BENCH_BASES=${BENCH_BASES:-}
KERNELS="base patched $BENCH_BASES"

step_begin "$BENCH_PAIRS rounds ($KERNELS) per profile and clock: $BENCH_PROFILES; $BENCH_CLOCKS"
[ "$BENCH_PAIRS" -ge 1 ] 2>/dev/null || die "BENCH_PAIRS must be a number >= 1, not '$BENCH_PAIRS'"
[ -f "$PATCHED_IMAGE" ] || die "no patched kernel $PATCHED_IMAGE: run 'make kernel'"
[ -f "$BASE_IMAGE" ] || die "no base kernel $BASE_IMAGE: run 'make base-kernel'"
for b in $BENCH_BASES; do
	[ "$b" != "$BASE" ] || die "BENCH_BASES names $b, the base of the pair itself"
	[ -f "$HARNESS_DIR/bases/$b.conf" ] || die "BENCH_BASES names '$b', which has no bases/$b.conf"
	[ -f "$BUILD_ROOT/$b/obj/$KARCH/arch/arm64/boot/Image" ] ||
		die "no $b kernel $BUILD_ROOT/$b/obj/$KARCH/arch/arm64/boot/Image: run 'BASE=$b make kernel'"
done
for p in $BENCH_PROFILES; do
	[ -f "$HARNESS_DIR/profiles/$p.conf" ] || die "no machine profile '$p'"
	# The base and patched Images are of the default config only.
	grep -q '^KERNEL_VARIANT=.' "$HARNESS_DIR/profiles/$p.conf" &&
		die "profile '$p' boots a kernel variant, for which no base kernel is built: leave it out of BENCH_PROFILES"
done
for c in $BENCH_CLOCKS; do
	case $c in wall|icount) ;; *) die "BENCH_CLOCKS: '$c' is neither 'wall' nor 'icount'";; esac
done
"$HARNESS_DIR/scripts/bench-prog.sh" || die "cannot build the benchmark program"

rm -rf "$CONSOLES" "$BOOT_LOGS"
mkdir -p "$CONSOLES" "$BOOT_LOGS"
qemu=${QEMU:-qemu-system-aarch64}
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine=$(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
	# The outer QEMU each profile boots (its OUTER_QEMU, unless QEMU or
	# OUTER_QEMU is set), not just the one on PATH.
	echo "qemu=$(for p in $BENCH_PROFILES; do
		o=${OUTER_QEMU:-$(unset OUTER_QEMU; . "$HARNESS_DIR/profiles/$p.conf"; echo "${OUTER_QEMU:-debian12}")}
		printf '%s: %s; ' "$p" "$(${QEMU:-"$HARNESS_DIR/scripts/qemu.sh" $o} --version | head -1)"
	done | sed 's/; $//')"
	echo "pairs=$BENCH_PAIRS"
	echo "profiles=$BENCH_PROFILES"
	echo "clocks=$BENCH_CLOCKS"
	echo "base_image=$BASE_IMAGE"
	echo "patched_image=$PATCHED_IMAGE"
	echo "kernels=$KERNELS"
	for b in $BENCH_BASES; do
		echo "image_${b//./_}=$BUILD_ROOT/$b/obj/$KARCH/arch/arm64/boot/Image"
	done
} >"$BENCH_DIR/meta.txt"

# boot_one PROFILE CLOCK KERNEL(base|patched) PAIR: one boot, checked.
boot_one() {
	local p=$1 c=$2 k=$3 i=$4 image=$PATCHED_IMAGE t0=$(date +%s) extra=
	local console=$CONSOLES/$p-$c-$k-$i.log log=$BOOT_LOGS/boot-$p-$c-$k-$i.log why rc=0
	case $k in
	base) image=$BASE_IMAGE;;
	patched) ;;
	*) image=$BUILD_ROOT/$k/obj/$KARCH/arch/arm64/boot/Image;;
	esac
	[ "$c" = icount ] && extra="-icount shift=0,sleep=off"
	KERNEL=$image INITRAMFS=$BENCH_DIR/initramfs.cpio CONSOLE=$console \
	IVSHMEM_FILE=$BENCH_DIR/ivshmem.bin BOOT_TIMEOUT=$BENCH_TIMEOUT \
	EXTRA_CMDLINE="${EXTRA_CMDLINE:-} bench_kernel=$k bench_run=$i" \
	QEMU_EXTRA="${QEMU_EXTRA:-} $extra" \
	STEP=bench-boot-$p-$c-$k-$i STEP_LOG=$log \
		"$HARNESS_DIR/scripts/boot.sh" "$p" bench >>"$log" 2>&1 || rc=$?
	why=$(sed -n 's/^bench-end: error //p' "$console" 2>/dev/null | head -1)
	[ -z "$why" ] || die "$p, $c clock, $k kernel, pair $i: $why; console: $console"
	# The console decides: a run that printed all its figures counts even
	# if QEMU or the boot step ended badly afterwards (said, not hidden).
	if ! grep -q '^bench-end: ok' "$console" 2>/dev/null; then
		why=$(grep -m1 'Kernel panic' "$console" 2>/dev/null)
		[ -n "$why" ] || why=$(grep -m1 FAILED "$log" | sed 's/.*FAILED: //')
		die "$p, $c clock, $k kernel, pair $i: the benchmark did not finish (${why:-QEMU exited without its end line}); console: $console, log: $log"
	fi
	[ $rc = 0 ] || warn "$p, $c clock, $k kernel, pair $i: the boot step failed after the benchmark finished (kept): $(tail -n 1 "$log")"
	[ "$(grep -c '^bench: slot=' "$console")" = 3 ] ||
		die "$p, $c clock, $k kernel, pair $i: expected 3 'bench: slot=' lines; console: $console"
	# The right kernel: only the patched ones have the stage-2 dump.
	case $k:$(grep -c '^bench: slot=.* dump=yes' "$console") in
	base:0|patched:3) ;;
	base:*) die "$p, pair $i: the base kernel $image has the stage-2 dump: not the unpatched base";;
	*:3) ;;
	*:*) die "$p, pair $i: the $k kernel $image has no stage-2 dump with memory types (CONFIG_PTDUMP_STAGE2_DEBUGFS off?)";;
	esac
	awk -v p="$p $c" -v k="$k" -v i="$i" -v n="$BENCH_PAIRS" -v s=$(( $(date +%s) - t0 )) '
		/^bench: slot=/ {
			for (f = 2; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = kv[2] }
			ns[v["slot"]] = v["first_ns"] / v["pages"]
			ex[v["slot"]] = v["first_exits"]
		}
		END {
			printf "[bench] pair %d/%d %-17s %-7s %3ds: ns per first touch: bar %6.0f ram %6.0f; 2M-aligned bar: %d exits\n",
				i, n, p, k, s, ns["bar"], ns["ram"], ex["bar2m"]
		}' "$console"
}

for i in $(seq "$BENCH_PAIRS"); do
	for p in $BENCH_PROFILES; do
		for c in $BENCH_CLOCKS; do
			for k in $KERNELS; do
				boot_one "$p" "$c" "$k" "$i"
			done
		done
	done
done
rm -f "$BENCH_DIR/ivshmem.bin"

"$HARNESS_DIR/scripts/bench-report.sh" || die "cannot make the report"
step_end "$(( BENCH_PAIRS * $(echo $KERNELS | wc -w) * $(echo $BENCH_PROFILES | wc -w) * $(echo $BENCH_CLOCKS | wc -w) )) boots"
