#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "kernel": cross-build the arm64 Image (and modules, and the uapi
# headers the test programs compile against) into $OBJ_DIR. Incremental:
# only what changed since the last build is rebuilt.
STEP=${STEP:-kernel}
. "$(dirname "$0")/lib.sh"

OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH}
KTARGETS=${KTARGETS:-Image modules}

step_begin "$KARCH $KTARGETS in $OBJ_DIR (-j$JOBS)"
[ -f "$OBJ_DIR/.config" ] || die "no $OBJ_DIR/.config: run the config step first"
with_progress "building" kmake O="$OBJ_DIR" -j"$JOBS" $KTARGETS ||
	die_tail "kernel build failed"
if [ "$KARCH" = arm64 ]; then
	run kmake O="$OBJ_DIR" headers_install INSTALL_HDR_PATH="$OBJ_DIR/usr" ||
		die_tail "headers_install failed"
fi
n=$(grep -c '^  CC ' "$STEP_LOG")
step_end "$n objects compiled, $(kmake -s O="$OBJ_DIR" kernelrelease 2>/dev/null)"
