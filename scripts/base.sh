#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "base": get Debian's linux-source-6.1, check it is the recorded
# version and tarball, and turn it into a git tree whose first commit is
# the pristine base (tag "base").
#
# BASE_MISMATCH=refuse (default) stops when the registry serves another
# version than base/BASE records; BASE_MISMATCH=continue warns and builds
# what is served (the series is then applied with a 3-way merge).
STEP=base
. "$(dirname "$0")/lib.sh"
. "$HARNESS_DIR/base/BASE"

BASE_MISMATCH=${BASE_MISMATCH:-refuse}
EXPECT_VERSION=${EXPECT_BASE_VERSION:-$BASE_VERSION}
TARBALL=/usr/src/$BASE_PACKAGE.tar.xz

case $BASE_MISMATCH in refuse|continue) ;;
*) die "BASE_MISMATCH must be 'refuse' or 'continue', not '$BASE_MISMATCH'";;
esac

step_begin "$BASE_PACKAGE $EXPECT_VERSION"

installed=$(dpkg-query -W -f='${Status} ${Version}' "$BASE_PACKAGE" 2>/dev/null |
	    awk '$3 == "installed" { print $4 }')
if [ -z "$installed" ]; then
	[ "$(id -u)" = 0 ] || die "$BASE_PACKAGE is not installed and this is not root"
	say "installing $BASE_PACKAGE"
	# Prefer the exact recorded version; the registry may no longer have it.
	run apt-get install -y --no-install-recommends "$BASE_PACKAGE=$EXPECT_VERSION" ||
		run apt-get install -y --no-install-recommends "$BASE_PACKAGE" ||
		die "cannot install $BASE_PACKAGE from Debian's registry"
	installed=$(dpkg-query -W -f='${Version}' "$BASE_PACKAGE")
fi

if [ "$installed" != "$EXPECT_VERSION" ]; then
	msg="base version mismatch: $BASE_PACKAGE is $installed, base/BASE records $EXPECT_VERSION"
	[ "$BASE_MISMATCH" = continue ] ||
		die "$msg (set BASE_MISMATCH=continue to build $installed anyway)"
	warn "$msg; BASE_MISMATCH=continue: building $installed"
else
	[ -r "$TARBALL" ] || die "$TARBALL missing although $BASE_PACKAGE is installed"
	sum=$(sha256sum "$TARBALL" | cut -d' ' -f1)
	[ "$sum" = "$BASE_SHA256" ] ||
		die "checksum mismatch for $TARBALL: $sum, base/BASE records $BASE_SHA256"
fi

# Reuse the tree when it already holds this very base.
tag=base-$installed
if [ -d "$SRC_TREE/.git" ] && git -C "$SRC_TREE" rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
	step_end "reusing $SRC_TREE ($tag)"
	exit 0
fi

# Keep one bare copy of the base per version in the cache, so a fresh
# clone on the same machine does not unpack and commit 75000 files again.
cached=$CACHE_DIR/$tag.git
if [ ! -d "$cached" ]; then
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
	mkdir -p "$CACHE_DIR"
	run git clone -q --bare "$src" "$cached.tmp" && mv "$cached.tmp" "$cached" ||
		die "cannot store the base in $CACHE_DIR"
	rm -rf "$tmp"
fi

say "checking out $tag into $SRC_TREE"
rm -rf "$SRC_TREE"
run git clone -q -b "$tag" "$cached" "$SRC_TREE" ||
	die "cannot clone $cached"
run git -C "$SRC_TREE" tag -f base "$tag"
run git -C "$SRC_TREE" checkout -q -B applied base
step_end "$SRC_TREE at $tag"
