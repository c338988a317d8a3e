#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Target "tree": an editable kernel tree for developers, at $DEV_TREE,
# branch "dev" = the pristine base plus the current patches/ (git am).
# Edit and commit there, then `make series` regenerates patches/.
# An existing $DEV_TREE is never touched.
STEP=dev-tree
. "$(dirname "$0")/lib.sh"

DEV_TREE=${DEV_TREE:-$HARNESS_DIR/work/linux}

step_begin "$DEV_TREE"
if [ -e "$DEV_TREE/.git" ]; then
	step_end "exists already, left as it is (branch $(git -C "$DEV_TREE" branch --show-current))"
	exit 0
fi
git -C "$SRC_TREE" rev-parse -q --verify refs/tags/base >/dev/null ||
	die "$SRC_TREE has no 'base' tag: run 'make base' first"
say "cloning the base (about a minute)"
mkdir -p "$(dirname "$DEV_TREE")"
run git clone -q --no-checkout "$SRC_TREE" "$DEV_TREE" || die "cannot clone $SRC_TREE"
run git -C "$DEV_TREE" checkout -q -b dev base || die "cannot check out base"
n=0
if [ -f "$PATCHES_DIR/series" ]; then
	for p in $(sed -e 's/#.*//' "$PATCHES_DIR/series"); do
		run git -C "$DEV_TREE" am "$PATCHES_DIR/$p" ||
			die "patch $p does not apply in $DEV_TREE (git am --abort there, then fix)"
		n=$((n + 1))
	done
fi
step_end "branch dev: base + $n patches"
