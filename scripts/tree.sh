#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "tree": reset $SRC_TREE to the pristine base and apply the series
# listed in $PATCHES_DIR/series with git am, one patch at a time, so that a
# failure names the patch and the file it failed on.
#
# Files whose content ends up identical to the previous application keep
# their old mtime, so make rebuilds only what the series really changed.
STEP=${STEP:-tree}
. "$(dirname "$0")/lib.sh"

GIT="git -C $SRC_TREE -c user.name=harness -c user.email=harness@invalid"

# series_list: the patch files named by the series file, in order.
series_list() {
	[ -f "$PATCHES_DIR/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$PATCHES_DIR/series" | grep -v '^$'
}

step_begin "$(series_list | wc -l) patches from $PATCHES_DIR"
$GIT rev-parse -q --verify refs/tags/base >/dev/null ||
	die "$SRC_TREE has no 'base' tag: run the base step first"

for p in $(series_list); do
	[ -f "$PATCHES_DIR/$p" ] || die "series names $p, which is not in $PATCHES_DIR"
done

# Nothing to do when this exact series is applied already.
stamp=$( { $GIT rev-parse base; for p in $(series_list); do
	   sha256sum <"$PATCHES_DIR/$p"; done; } | sha256sum | cut -d' ' -f1)
stampfile=$(git -C "$SRC_TREE" rev-parse --absolute-git-dir)/harness-applied
if [ "$(cat "$stampfile" 2>/dev/null)" = "$stamp" ] &&
   [ -z "$($GIT status --porcelain --untracked-files=no)" ]; then
	step_end "unchanged, $($GIT rev-list --count base..HEAD) patches applied"
	exit 0
fi

prev=$($GIT rev-parse HEAD)
# Remember the mtimes of everything the previous series touched.
mtimes=$BUILD_DIR/tree-mtimes
( cd "$SRC_TREE" && git diff --name-only base "$prev" | while read -r f; do
	[ -e "$f" ] && printf '%s %s\n' "$(stat -c %Y "$f")" "$f"; done ) >"$mtimes"

rm -f "$stampfile"
$GIT am --abort >/dev/null 2>&1
run $GIT checkout -q -f -B "${TREE_BRANCH:-applied}" base || die "cannot reset $SRC_TREE to base"
run $GIT clean -q -fd -e '.git*' || die "cannot clean $SRC_TREE"

# A base other than the recorded one (the registry no longer serves it:
# scripts/base-fetch.sh said so) takes the series with a 3-way merge.
# That merge starts from the blobs each patch's "index" line names (the
# file as the patch found it on the recorded base), which a tree made
# from the newer tarball alone lacks: they come with the series, in
# preimages.pack (scripts/series.sh). Without them, a patch whose
# context changed fails ("sha1 information is lacking or useless").
am_opts=
built=$(cut -d' ' -f2 "$BUILD_DIR/base-version" 2>/dev/null)
if [ -n "$built" ] && [ "$built" != "$BASE_VERSION" ]; then
	say "base is $built, not the recorded $BASE_VERSION: git am -3"
	am_opts=--3way
	if [ -f "$PATCHES_DIR/preimages.pack" ]; then
		run $GIT index-pack --stdin <"$PATCHES_DIR/preimages.pack" ||
			die "cannot read $PATCHES_DIR/preimages.pack into $SRC_TREE"
	else
		warn "no $PATCHES_DIR/preimages.pack: a patch whose context changed on $built cannot be merged"
	fi
fi
n=0
for p in $(series_list); do
	n=$((n + 1))
	if ! $GIT am $am_opts "$PATCHES_DIR/$p" >"$BUILD_DIR/am.out" 2>&1; then
		cat "$BUILD_DIR/am.out" >>"$STEP_LOG"
		files=$(sed -n -e 's/^error: patch failed: \(.*\):[0-9]*$/\1/p' \
			       -e 's/^error: \(.*\): does not exist in index$/\1/p' \
			       -e 's/^error: \(.*\): already exists in index$/\1/p' \
			       -e 's/^error: \(.*\): patch does not apply$/\1/p' \
			       -e 's/^error: sha1 information is lacking or useless (\(.*\))\.$/\1/p' \
			       -e 's/^CONFLICT ([^)]*): Merge conflict in \(.*\)$/\1/p' \
			"$BUILD_DIR/am.out" | sort -u | tr '\n' ' ')
		$GIT am --abort >/dev/null 2>&1
		[ -n "$files" ] || files="(no file named; git am says: $(grep -m1 -iE 'error|fatal|patch' "$BUILD_DIR/am.out"))"
		die "patch $n ($p) does not apply to the base: failing file(s): $files"
	fi
	cat "$BUILD_DIR/am.out" >>"$STEP_LOG"
done

# Restore old mtimes for files whose content did not change.
while read -r t f; do
	[ "$($GIT rev-parse -q --verify "$prev:$f" 2>/dev/null)" = \
	  "$($GIT rev-parse -q --verify "HEAD:$f" 2>/dev/null)" ] &&
		touch -d "@$t" "$SRC_TREE/$f"
done <"$mtimes"

echo "$stamp" >"$stampfile"
step_end "$n patches applied on base"
