#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "base-fetch": get the base's source tarball at exactly the version
# bases/$BASE.conf records, whatever the machine has installed: the .deb is
# fetched with `apt-get download` into $CACHE_DIR/base (never installed),
# and its tarball is taken out of it and checked against BASE_SHA256.
#
# When Debian's registry no longer serves the recorded version, one plain
# line says so and the newest served version is fetched instead (unless
# BASE_MISMATCH=refuse). A wrong checksum of the recorded version always
# stops.
#
# Usage: base-fetch.sh [recorded|newest]
#   recorded (default): the version to build, as above;
#   newest: the newest version the registry serves (no checksum to check).
# Prints "VERSION TARBALL SHA256" as its last line on standard output.
WHICH=${1:-recorded}
STEP=${STEP:-base-fetch}
. "$(dirname "$0")/lib.sh"

BASE_MISMATCH=${BASE_MISMATCH:-fallback}
RECORDED=${EXPECT_BASE_VERSION:-$BASE_VERSION}
RECORDED_SUM=${EXPECT_BASE_SHA256:-$BASE_SHA256}
store=$CACHE_DIR/base

case $BASE_MISMATCH in refuse|fallback) ;;
*) die "BASE_MISMATCH must be 'fallback' or 'refuse', not '$BASE_MISMATCH'";;
esac
case $WHICH in recorded|newest) ;;
*) die "usage: base-fetch.sh [recorded|newest], not '$WHICH'";;
esac

step_begin "$BASE_PACKAGE ($WHICH; bases/$BASE.conf records $RECORDED)" >&2
need apt-get apt
need dpkg-deb dpkg
mkdir -p "$store"

# Versions the registry serves, newest first. apt-cache madison asks the
# local lists, so refresh them once if they do not know the package.
served() {
	apt-cache madison "$BASE_PACKAGE" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
		awk '!seen[$0]++'
}
versions=$(served)
if [ -z "$versions" ]; then
	say "apt lists do not know $BASE_PACKAGE: apt-get update" >&2
	run apt-get update || die "apt-get update failed"
	versions=$(served)
fi
[ -n "$versions" ] || die "Debian's registry serves no $BASE_PACKAGE (apt-cache madison $BASE_PACKAGE is empty)"
newest=$(echo "$versions" | head -1)

want=$RECORDED
if [ "$WHICH" = newest ]; then
	want=$newest
elif ! echo "$versions" | grep -qxF "$RECORDED"; then
	msg="bases/$BASE.conf records $BASE_PACKAGE $RECORDED, which Debian's registry no longer serves (newest: $newest)"
	[ "$BASE_MISMATCH" = refuse ] &&
		die "$msg; BASE_MISMATCH=refuse: stopping ('make base-update' moves bases/$BASE.conf)"
	say "$msg; building $newest instead, the series applied with git am -3" >&2
	want=$newest
fi

# The .deb and the tarball inside it, one file per version in the store.
# A download or an extraction goes to a temporary name first and is
# renamed when complete, so an interrupted run leaves nothing half-made.
deb=$store/${BASE_PACKAGE}_${want//:/%3a}_all.deb
tarball=$store/${BASE_PACKAGE}_${want//:/%3a}.tar.xz
exec 9>"$store/.lock"
flock -w 1800 9 || die "another run holds $store/.lock for more than 30 min"
if [ ! -f "$tarball" ]; then
	if [ ! -f "$deb" ]; then
		say "downloading $BASE_PACKAGE=$want from Debian's registry" >&2
		tmp=$store/download.tmp
		rm -rf "$tmp" && mkdir -p "$tmp"
		( cd "$tmp" && apt-get download "$BASE_PACKAGE=$want" ) >>"$STEP_LOG" 2>&1 ||
			die "apt-get download $BASE_PACKAGE=$want failed"
		got=$(ls "$tmp"/*.deb 2>/dev/null | head -1)
		[ -n "$got" ] || die "apt-get download $BASE_PACKAGE=$want gave no .deb"
		mv "$got" "$deb" && rm -rf "$tmp"
	fi
	# Extracted as a file (not a stream) so that it keeps its mtime from
	# the package: the base commit's date, and so its id, come from it.
	member=./usr/src/$BASE_PACKAGE.tar.xz
	tmp=$store/extract.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" 2>>"$STEP_LOG" | tar -xf - -C "$tmp" "$member" 2>>"$STEP_LOG" &&
		[ -s "$tmp/$member" ] && mv "$tmp/$member" "$tarball" ||
		{ rm -rf "$tmp"; die "$deb has no $member"; }
	rm -rf "$tmp"
	# The .deb only wraps the tarball: keep one copy, not two.
	rm -f "$deb"
fi
sum=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$want" = "$RECORDED" ] && [ "$sum" != "$RECORDED_SUM" ]; then
	die "checksum mismatch for $BASE_PACKAGE $want: the registry's tarball has sha256 $sum, bases/$BASE.conf records $RECORDED_SUM (cached as $tarball; delete it to fetch again)"
fi
step_end "$want" >&2
echo "$want $tarball $sum"
