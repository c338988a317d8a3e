#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Target "base-update": move bases/$BASE.conf to the newest version of
# its package Debian serves: fetch it, check that the series applies to it with plain
# git am, then write its version and tarball checksum into bases/$BASE.conf.
# Keeping up is then this plus `make check`.
STEP=base-update
. "$(dirname "$0")/lib.sh"

step_begin "bases/$BASE.conf records $BASE_PACKAGE $BASE_VERSION"
got=$(STEP_LOG=$LOG_DIR/base-fetch-newest.log "$HARNESS_DIR/scripts/base-fetch.sh" newest | tail -1)
[ -n "$got" ] || die "cannot fetch the newest $BASE_PACKAGE (log: $LOG_DIR/base-fetch-newest.log)"
read -r newest _ sum <<<"$got"
if [ "$newest" = "$BASE_VERSION" ] && [ "$sum" = "$BASE_SHA256" ]; then
	step_end "already at the newest served version, $newest"
	exit 0
fi
res=$BUILD_DIR/base-update.tsv
: >"$res"
SKIP_BUILT_VERSION=1 "$HARNESS_DIR/scripts/base-newest.sh" "$res" >/dev/null
grep -q "	pass	base:series-applies-to-newest	" "$res" ||
	die "the series does not apply to $BASE_PACKAGE $newest: $(cut -f4 "$res"); bases/$BASE.conf left at $BASE_VERSION"
sed -e "s/^BASE_VERSION=.*/BASE_VERSION=$newest/" -e "s/^BASE_SHA256=.*/BASE_SHA256=$sum/" \
	"$BASE_FILE" >"$BASE_FILE.tmp" && mv "$BASE_FILE.tmp" "$BASE_FILE" ||
	die "cannot write $BASE_FILE"
step_end "bases/$BASE.conf: $BASE_VERSION -> $newest (sha256 $sum); now run 'make check', then 'make tree' and 'make series' to rebase patches/"
