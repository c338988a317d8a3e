#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the outer qemu-system-aarch64 a machine profile names (OUTER_QEMU):
#   debian12  the machine's own, Debian 12's QEMU 7.2 (qemu-system-arm);
#   debian13  Debian 13's QEMU 10.0, unpacked by scripts/qemu-debian13.sh
#             into $QEMU13_ROOT and run through its own loader and
#             libraries, with its own (empty) data and module folders so
#             that it never loads 7.2's modules or ROMs from the machine.
# Usage: qemu.sh debian12|debian13 QEMU-ARGS...
KEY=${1:?usage: qemu.sh debian12|debian13 QEMU-ARGS...}
shift
HARNESS_DIR=$(cd "$(dirname "$0")/.." && pwd)
case $KEY in
debian12)
	exec qemu-system-aarch64 "$@";;
debian13)
	root=${QEMU13_ROOT:-${SHARED_DIR:-${BUILD_ROOT:-$HARNESS_DIR/build}/shared}/qemu-debian13}
	lib=$root/usr/lib/x86_64-linux-gnu
	if [ ! -x "$root/usr/bin/qemu-system-aarch64" ]; then
		echo "qemu.sh: no Debian 13 QEMU in $root: run 'make qemu13' (scripts/qemu-debian13.sh)" >&2
		exit 127
	fi
	QEMU_MODULE_DIR=$lib/qemu exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" \
		"$root/usr/bin/qemu-system-aarch64" -L "$root/usr/share/qemu" "$@";;
*)
	echo "qemu.sh: unknown outer QEMU '$KEY' (debian12 or debian13)" >&2
	exit 2;;
esac
