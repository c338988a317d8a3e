#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "boot": boot the arm64 host under qemu-system-aarch64 (TCG) with
# nested virtualisation, an SMMUv3, an ivshmem device backed by a file
# and an edu device, for one machine profile. The serial console goes to
# $LOG_DIR/console-<profile>[-<suite>].log; results are printed live, with
# the stage-2 lines and verdict of the nested-VMM scenario.
#
# Usage: boot.sh PROFILE [SUITE]   (SUITE: show, check, hang)
# Exits 0 when QEMU stopped by itself (even after a panic: the parse step
# judges that), 1 when it had to be killed after $BOOT_TIMEOUT seconds.
PROFILE=${1:?usage: boot.sh PROFILE [SUITE]}
SUITE=${2:-check}
STEP=${STEP:-boot-$PROFILE}
. "$(dirname "$0")/lib.sh"

tag=$PROFILE${SUITE:+-$SUITE}
CONSOLE=${CONSOLE:-$LOG_DIR/console-$tag.log}
IVSHMEM_FILE=${IVSHMEM_FILE:-$BUILD_DIR/ivshmem-$tag.bin}
# Before anything can fail: no console, nonce or backing file of an
# earlier run may be left for the parse and outside steps to score. The
# nonce goes on the command line; /init echoes it and the parser requires
# it (scripts/parse.sh).
rm -f "$CONSOLE" "$CONSOLE.nonce" "$IVSHMEM_FILE"
NONCE=$(date +%s%N)-$$-$RANDOM

conf=$HARNESS_DIR/profiles/$PROFILE.conf
[ -f "$conf" ] || die "no machine profile '$PROFILE' (profiles: $(cd "$HARNESS_DIR/profiles" && ls *.conf | sed 's/\.conf//' | tr '\n' ' '))"
# OUTER_QEMU from the environment overrides the profile's.
outer_env=${OUTER_QEMU:-}
. "$conf"
OUTER_QEMU=${outer_env:-${OUTER_QEMU:-debian12}}

# A profile with a kernel variant (KERNEL_VARIANT, KERNEL_FRAGMENTS) boots
# the kernel scripts/profile-kernel.sh built for it, in its own folder.
OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH${KERNEL_VARIANT:+-$KERNEL_VARIANT}}
KERNEL=${KERNEL:-$OBJ_DIR/arch/arm64/boot/Image}
INITRAMFS=${INITRAMFS:-$BUILD_DIR/initramfs.cpio}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-1500}
# The outer QEMU: scripts/qemu.sh runs the one the profile names, unless
# QEMU names a binary.
QEMU=${QEMU:-$HARNESS_DIR/scripts/qemu.sh $OUTER_QEMU}

step_begin "$PROFILE_DESC, suite '$SUITE', QEMU $OUTER_QEMU, timeout ${BOOT_TIMEOUT}s"
qemu_version=$($QEMU --version 2>&1 | head -1)
case $qemu_version in
"QEMU emulator version "*) ;;
*) die "outer QEMU '$QEMU' does not run: ${qemu_version:-no output} (OUTER_QEMU=debian12: Debian package qemu-system-arm, 'make deps'; debian13: 'make qemu13')";;
esac
[ -f "$KERNEL" ] || die "no kernel image $KERNEL: build it first"
[ -f "$INITRAMFS" ] || die "no initramfs $INITRAMFS: build it first"

# A fresh, zeroed 64 MiB backing file for BAR2 of the ivshmem device.
truncate -s 64M "$IVSHMEM_FILE" || die "cannot create $IVSHMEM_FILE"

cmdline="console=ttyAMA0 panic=-1 loglevel=5 $KERNEL_CMDLINE"
cmdline="$cmdline harness_profile=$PROFILE harness_suite=$SUITE"
cmdline="$cmdline harness_mode=$EXPECT_KVM_MODE harness_fwb=$EXPECT_FWB harness_nonce=$NONCE"
# QEMU >= 9.0 checks alignment by memory type; /init judges the alignment
# probes by that (they cannot fail on an older QEMU).
qemu_major=$(echo "$qemu_version" | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
cmdline="$cmdline harness_qemu=${qemu_major:-0} ${EXTRA_CMDLINE:-}"
# Only these programs of tests/selftests.list (the others report a skip).
[ -n "${SELFTESTS_ONLY:-}" ] && cmdline="$cmdline harness_selftests_only=$(echo $SELFTESTS_ONLY | tr ' ' ,)"

qemu_cmd=(
	$QEMU -M virt,virtualization=on,gic-version=3,iommu=smmuv3
	-cpu "$QEMU_CPU" -smp 2 -m 2048
	-display none -monitor none -serial stdio -no-reboot -nic none
	-kernel "$KERNEL" -initrd "$INITRAMFS" -append "$cmdline"
	-object "memory-backend-file,id=shm,mem-path=$IVSHMEM_FILE,size=64M,share=on"
	-device pcie-root-port,id=rp0,chassis=1,slot=0
	-device ivshmem-plain,memdev=shm,bus=rp0
	-device edu
	${QEMU_EXTRA:-}
)
echo "outer QEMU: $qemu_version" >>"$STEP_LOG"
printf '+ %q ' "${qemu_cmd[@]}" >>"$STEP_LOG"; echo >>"$STEP_LOG"

: >"$CONSOLE"
echo "$NONCE" >"$CONSOLE.nonce" || die "cannot write $CONSOLE.nonce"
timeout --foreground -k 10 "$BOOT_TIMEOUT" "${qemu_cmd[@]}" </dev/null >"$CONSOLE" 2>>"$STEP_LOG" &
qpid=$!
# Live progress: every result line as it arrives.
tail -n +1 -F --pid=$qpid "$CONSOLE" 2>/dev/null |
	awk -v p="[$PROFILE] " '/==== dmesg begin/ { d = 1 } /==== dmesg end/ { d = 0 }
		!d && /^(not )?ok [0-9]+ |HARNESS-START|Kernel panic|^harness: (=>|nested guest.s BAR2|    0x)/ {
			print p $0; fflush() }' &
tpid=$!
wait $qpid
rc=$?
wait $tpid 2>/dev/null

case $rc in
0) step_end "QEMU exited";;
124|137)
	echo "----- last 30 lines of $CONSOLE -----" >&2
	tail -n 30 "$CONSOLE" >&2
	die "QEMU did not finish within ${BOOT_TIMEOUT}s (hang?): killed; console: $CONSOLE";;
*)
	echo "----- last 30 lines of $CONSOLE -----" >&2
	tail -n 30 "$CONSOLE" >&2
	die "QEMU failed with exit code $rc; console: $CONSOLE";;
esac
