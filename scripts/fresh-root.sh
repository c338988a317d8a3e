#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "fresh-root": a fresh, minimal Debian 12 root in ROOT, as a new
# user's machine has it: Debian's minbase plus the two things the README
# assumes (git, to clone, and make). Nothing the harness needs is in it:
# the README's commands must install that themselves (scripts/deps.sh).
#
# The root is made with Debian's mmdebstrap from the apt sources of this
# machine, as a tarball in $CACHE_DIR/roots, and unpacked into ROOT. The
# tarball is remade when older than FRESH_ROOT_MAX_AGE minutes (0: every
# time); the .debs mmdebstrap downloads are kept in $CACHE_DIR/apt-archives
# (a download cache only: nothing installed is kept).
#
# Usage: fresh-root.sh ROOT
ROOT=${1:?usage: fresh-root.sh ROOT}
STEP=${STEP:-fresh-root}
. "$(dirname "$0")/lib.sh"

SUITE=${FRESH_ROOT_SUITE:-bookworm}
MAX_AGE=${FRESH_ROOT_MAX_AGE:-1440}
INCLUDE=${FRESH_ROOT_INCLUDE:-make,git}
roots=$CACHE_DIR/roots
tarball=$roots/$SUITE-minbase.tar
archives=$CACHE_DIR/apt-archives

step_begin "Debian $SUITE minbase + $INCLUDE in $ROOT"
[ "$(id -u)" = 0 ] || die "a fresh root needs root (mount, chroot)"
mkdir -p "$roots" "$archives"
exec 9>"$roots/.lock"
flock -w 1800 9 || die "another run holds $roots/.lock for more than 30 min"

if [ ! -s "$tarball" ] || [ "$MAX_AGE" = 0 ] ||
   [ -n "$(find "$tarball" -mmin +"$MAX_AGE")" ]; then
	need mmdebstrap mmdebstrap
	# The apt sources of this machine (deb822 or one-line), so that the
	# root reaches exactly the registry this machine reaches.
	sources=
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
		[ -s "$f" ] && grep -q "$SUITE" "$f" && sources="$sources $f"
	done
	[ -n "$sources" ] || die "no apt source for $SUITE in /etc/apt/sources.list{,.d/*.sources}"
	say "mmdebstrap $SUITE (minbase + $INCLUDE)"
	t0=$(date +%s)
	# shellcheck disable=SC2086
	run mmdebstrap --mode=root --format=tar --variant=minbase --include="$INCLUDE" \
		--skip=download/empty \
		--setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
		--setup-hook="sync-in $archives /var/cache/apt/archives" \
		--customize-hook="sync-out /var/cache/apt/archives $archives" \
		"$SUITE" "$tarball.tmp" $sources ||
		{ rm -f "$tarball.tmp"; die "mmdebstrap failed"; }
	mv "$tarball.tmp" "$tarball"
	say "made $tarball in $(( $(date +%s) - t0 ))s"
fi

rm -rf "$ROOT" && mkdir -p "$ROOT"
run tar -C "$ROOT" -xf "$tarball" || die "cannot unpack $tarball into $ROOT"
step_end "$(du -sm "$ROOT" | cut -f1) MiB"
