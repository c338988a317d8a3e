#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "profile-kernel": the host kernel of a machine profile that names
# a kernel variant (KERNEL_VARIANT, KERNEL_FRAGMENTS in its profile file):
# config/host.config plus its fragments, configured and built by the
# normal steps (scripts/config.sh, scripts/build-kernel.sh) into
# $BUILD_DIR/obj/$KARCH-<variant>, where scripts/boot.sh takes it from.
# A profile without a variant boots the kernel of `make kernel`: nothing
# to do. Incremental, like the kernel step.
# Usage: profile-kernel.sh PROFILE...
STEP=profile-kernel
. "$(dirname "$0")/lib.sh"

for PROFILE in "$@"; do
	conf=$HARNESS_DIR/profiles/$PROFILE.conf
	[ -f "$conf" ] || die "no machine profile '$PROFILE'"
	KERNEL_VARIANT= KERNEL_FRAGMENTS=
	. "$conf"
	[ -n "$KERNEL_VARIANT" ] || continue
	frags=$HARNESS_DIR/config/host.config
	for f in $KERNEL_FRAGMENTS; do
		[ -f "$HARNESS_DIR/config/$f" ] || die "profile $PROFILE: no config/$f"
		frags="$frags $HARNESS_DIR/config/$f"
	done
	export OBJ_DIR=$BUILD_DIR/obj/$KARCH-$KERNEL_VARIANT KCONFIG_FRAGMENTS=$frags
	STEP=config-$KERNEL_VARIANT STEP_LOG= "$HARNESS_DIR/scripts/config.sh" ||
		die "profile $PROFILE: the config of kernel variant $KERNEL_VARIANT failed"
	STEP=kernel-$KERNEL_VARIANT STEP_LOG= "$HARNESS_DIR/scripts/build-kernel.sh" ||
		die "profile $PROFILE: the build of kernel variant $KERNEL_VARIANT failed"
done
