#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "base-newest": two results about the base, no build needed.
#  - base:version: the version this run built (from the base step), and
#    whether it is the one bases/$BASE.conf records. Its reason is the
#    line scripts/summary.sh prints for the base ("built on PACKAGE
#    VERSION (recorded)" or "(fallback: recorded VERSION not served)"):
#    keep it one short line;
#  - base:series-applies-to-newest: the series applies with plain git am
#    (no 3-way merge) to the newest version of the base's package Debian serves today.
#    Only the files the series touches are taken out of that tarball.
#    When it does not apply, the result names the patch and the file.
# SKIP_BUILT_VERSION=1 records only the second, ONLY_BUILT_VERSION=1 only
# the first (no fetch: the harness self-test of the summary's line).
# Usage: base-newest.sh RESULTS_TSV
RESULTS=${1:?usage: base-newest.sh RESULTS_TSV}
STEP=${STEP:-base-newest}
. "$(dirname "$0")/lib.sh"
W=$BUILD_DIR/base-newest

step_begin "does the series apply to the newest $BASE_PACKAGE served?"
record_plan base $([ -z "${SKIP_BUILT_VERSION:-}" ] && [ -z "${ONLY_BUILT_VERSION:-}" ] && echo 2 || echo 1)
if [ -z "${SKIP_BUILT_VERSION:-}" ]; then
	built=$(cut -d' ' -f2 "$BUILD_DIR/base-version" 2>/dev/null)
	if [ -z "$built" ]; then
		record base fail "base:version" "no $BUILD_DIR/base-version: the base step did not run"
	elif [ "$built" = "$BASE_VERSION" ]; then
		record base pass "base:version" "built on $BASE_PACKAGE $built (recorded)"
	else
		record base pass "base:version" "built on $BASE_PACKAGE $built (fallback: recorded $BASE_VERSION not served), the series applied with git am -3"
	fi
fi
if [ -n "${ONLY_BUILT_VERSION:-}" ]; then
	step_end "built version only"
	exit 0
fi

got=$(STEP_LOG=$LOG_DIR/base-fetch-newest.log "$HARNESS_DIR/scripts/base-fetch.sh" newest 2>>"$STEP_LOG" | tail -1)
if [ -z "$got" ]; then
	record base fail "base:series-applies-to-newest" "cannot fetch the newest $BASE_PACKAGE: $LOG_DIR/base-fetch-newest.log"
	exit 0
fi
read -r newest tarball _ <<<"$got"

patches=$(sed -e 's/#.*//' "$PATCHES_DIR/series" 2>/dev/null | grep -v '^[[:space:]]*$')
files=$(for p in $patches; do sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$PATCHES_DIR/$p"; done | sort -u)
rm -rf "$W" && mkdir -p "$W/tree"
if [ -n "$files" ]; then
	# New files are not in the tarball: tar names them and goes on.
	tar -C "$W" -xJf "$tarball" $(printf "$BASE_PACKAGE/%s " $files) >>"$STEP_LOG" 2>&1
	[ -d "$W/$BASE_PACKAGE" ] && cp -a "$W/$BASE_PACKAGE/." "$W/tree/"
fi
git -C "$W/tree" init -q -b pristine . &&
	git -C "$W/tree" add -A . &&
	git -C "$W/tree" -c user.name=harness -c user.email=harness@invalid \
		commit -q --allow-empty -m "$BASE_PACKAGE $newest (touched files only)" &&
	git -C "$W/tree" tag base || die "cannot make the scratch tree $W/tree"
: >"$W/base-version"
if out=$(SRC_TREE=$W/tree BUILD_DIR=$W PATCHES_DIR=$PATCHES_DIR TREE_BRANCH=newest \
	 STEP=base-newest-am STEP_LOG=$LOG_DIR/base-newest-am.log "$HARNESS_DIR/scripts/tree.sh" 2>&1); then
	if [ "$newest" = "$BASE_VERSION" ]; then
		record base pass "base:series-applies-to-newest" "the newest served, $newest, is the recorded base"
	else
		record base pass "base:series-applies-to-newest" "applies cleanly to $BASE_PACKAGE $newest (recorded: $BASE_VERSION; 'make base-update' moves to it)"
	fi
else
	why=$(echo "$out" | grep -m1 'FAILED' | sed 's/^\[[^]]*\] FAILED: //')
	record base fail "base:series-applies-to-newest" "$BASE_PACKAGE $newest: ${why:-see $LOG_DIR/base-newest-am.log}"
fi
rm -rf "$W"
step_end "newest served: $newest"
