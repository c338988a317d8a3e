#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "base": get the base's Debian package ($BASE_PACKAGE) at the version bases/$BASE.conf
# records (scripts/base-fetch.sh: downloaded, checked, never installed)
# and turn it into a git tree whose first commit is the pristine base
# (tag "base").
STEP=base
. "$(dirname "$0")/lib.sh"

step_begin "$BASE_PACKAGE, bases/$BASE.conf records $BASE_VERSION"
# The tarball at the recorded version (or, when the registry no longer
# serves it, the newest one; base-fetch.sh says so), fetched and checked.
got=$(STEP_LOG=$LOG_DIR/base-fetch.log "$HARNESS_DIR/scripts/base-fetch.sh" recorded | tail -1)
[ -n "$got" ] || die "cannot get the base tarball (log: $LOG_DIR/base-fetch.log)"
read -r installed TARBALL _ <<<"$got"
# The version really built, for the tree step (3-way merge when it is not
# the recorded one), the results and the summary.
echo "$BASE_PACKAGE $installed" >"$BUILD_DIR/base-version.tmp" &&
	mv "$BUILD_DIR/base-version.tmp" "$BUILD_DIR/base-version" || die "cannot write $BUILD_DIR/base-version"

# Reuse the tree when it already holds this very base.
# A Debian version may hold '~' (6.12.117-1~deb12u1), which git refuses
# in a tag name: it becomes '_'.
tag=base-${installed//\~/_}
if [ -d "$SRC_TREE/.git" ] && git -C "$SRC_TREE" rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
	step_end "reusing $SRC_TREE ($tag)"
	exit 0
fi

# Keep one bare copy of the base per version in the cache, so a fresh
# clone on the same machine does not unpack and commit 75000 files again.
# Made under a lock, with a temporary name renamed when complete: a run
# that was interrupted half-way leaves a .tmp that the next one removes.
cached=$CACHE_DIR/$tag.git
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/base.lock"
if ! flock -n 9; then
	say "another run is making $cached (it holds $CACHE_DIR/base.lock): waiting"
	flock -w "${LOCK_WAIT:-1800}" 9 || die "another run holds $CACHE_DIR/base.lock (for more than ${LOCK_WAIT:-1800}s): it is making the cached base"
fi
if [ ! -d "$cached" ]; then
	rm -rf "$cached.tmp"
	say "unpacking $TARBALL and committing it (about a minute)"
	tmp=$BUILD_DIR/base-unpack
	rm -rf "$tmp" && mkdir -p "$tmp"
	run tar -C "$tmp" -xJf "$TARBALL" || die "cannot unpack $TARBALL"
	src=$tmp/$BASE_PACKAGE
	[ -f "$src/Makefile" ] || die "$TARBALL does not contain $BASE_PACKAGE/Makefile"
	# A fixed identity and date make the base commit id the same on every
	# machine, so patches/ records a meaningful base-commit.
	date="@$(stat -c %Y "$TARBALL") +0000"
	(
		cd "$src" &&
		git init -q -b base . &&
		git add -f -A . &&
		GIT_AUTHOR_NAME="Debian $BASE_PACKAGE" GIT_AUTHOR_EMAIL="$BASE_PACKAGE@debian.invalid" \
		GIT_COMMITTER_NAME="Debian $BASE_PACKAGE" GIT_COMMITTER_EMAIL="$BASE_PACKAGE@debian.invalid" \
		GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" \
		git commit -q -m "Debian $BASE_PACKAGE $installed (pristine base)" &&
		git tag "$tag"
	) >>"$STEP_LOG" 2>&1 || die "cannot commit the unpacked base"
	run git clone -q --bare "$src" "$cached.tmp" && mv "$cached.tmp" "$cached" ||
		die "cannot store the base in $CACHE_DIR"
	rm -rf "$tmp"
fi

flock -u 9

say "checking out $tag into $SRC_TREE"
rm -rf "$SRC_TREE"
run git clone -q -b "$tag" "$cached" "$SRC_TREE" ||
	die "cannot clone $cached"
run git -C "$SRC_TREE" tag -f base "$tag"
run git -C "$SRC_TREE" checkout -q -B applied base
step_end "$SRC_TREE at $tag"
