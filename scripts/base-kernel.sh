#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "base-kernel": the unpatched base kernel, built with the same
# configuration as the patched one, as a control (make bench compares the
# two). It reuses the ordinary steps on a second build folder,
# $BUILD_DIR/base, with an empty series:
#   $BUILD_DIR/base/linux                      the pristine base tree
#   $BUILD_DIR/base/obj/arm64/arch/arm64/boot/Image
# Options the series adds (CONFIG_PTDUMP_STAGE2_DEBUGFS, ...) are not in the base
# tree; the config step ignores them, with a note.
STEP=${STEP:-base-kernel}
. "$(dirname "$0")/lib.sh"

BASE_BUILD=$BUILD_DIR/base
empty=$BASE_BUILD/no-patches

step_begin "unpatched base, same config, into $BASE_BUILD/obj/$KARCH"
mkdir -p "$empty" "$BASE_BUILD"
: >"$empty/series"

# sub STEP: run one harness step on the base build folder. Its log is
# $LOG_DIR/base-kernel-STEP.log. CCACHE_BASEDIR follows the build folder,
# so objects the series does not touch hit the patched build's entries.
sub() {
	BUILD_DIR=$BASE_BUILD LOG_DIR=$LOG_DIR SRC_TREE=$BASE_BUILD/linux \
	OBJ_DIR=$BASE_BUILD/obj/$KARCH CCACHE_BASEDIR=$BASE_BUILD \
	PATCHES_DIR=$empty TREE_BRANCH=applied KTARGETS=Image \
	STEP=base-kernel-$1 STEP_LOG=$LOG_DIR/base-kernel-$1.log \
		"$HARNESS_DIR/scripts/$1.sh"
}

sub base || die "cannot get the base tree into $BASE_BUILD/linux"
sub tree || die "cannot reset $BASE_BUILD/linux to the pristine base"
[ -z "$(git -C "$BASE_BUILD/linux" rev-list base..HEAD)" ] ||
	die "$BASE_BUILD/linux is not the pristine base"
sub config || die "config of the base kernel failed"
sub build-kernel || die "build of the base kernel failed"
image=$BASE_BUILD/obj/$KARCH/arch/arm64/boot/Image
[ -f "$image" ] || die "no $image after the build"
step_end "$image"
