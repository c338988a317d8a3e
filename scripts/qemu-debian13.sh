#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "qemu13": Debian 13's qemu-system-aarch64 (QEMU 10.0, amd64), the
# outer QEMU of the profiles with OUTER_QEMU=debian13. QEMU >= 9.0 checks
# alignment by memory type, as hardware does; Debian 12's 7.2 does not.
#
# Nothing is installed on this machine. A private apt configuration (its
# own folder, the machine's dpkg status and keyrings) reads the trixie
# suite from the same archive as this machine's bookworm entries; the
# .debs base/QEMU13 records are downloaded into $CACHE_DIR/debs-trixie,
# checked against their recorded sha256, unpacked with dpkg -x, and only
# the binary, its ELF DT_NEEDED closure and the loader go to $QEMU13_ROOT.
# scripts/qemu.sh runs it through that loader.
#
# When the archive no longer serves a recorded version, one line says so
# and the served version is used (QEMU13_MISMATCH=refuse stops instead;
# 'scripts/qemu-debian13.sh record' rewrites base/QEMU13). A wrong
# checksum of a recorded version always stops.
#
# Usage: qemu-debian13.sh [fetch|record]
WHAT=${1:-fetch}
STEP=${STEP:-qemu13}
. "$(dirname "$0")/lib.sh"
DATA=${QEMU13_FILE:-$HARNESS_DIR/base/QEMU13}
. "$DATA"

QEMU13_ROOT=${QEMU13_ROOT:-$SHARED_DIR/qemu-debian13}
QEMU13_MISMATCH=${QEMU13_MISMATCH:-${BASE_MISMATCH:-fallback}}
APT_DIR=$CACHE_DIR/apt-$QEMU13_SUITE
DEBS=$CACHE_DIR/debs-$QEMU13_SUITE
bin=usr/bin/qemu-system-aarch64
libdir=usr/lib/x86_64-linux-gnu

case $WHAT in fetch|record) ;; *) die "usage: qemu-debian13.sh [fetch|record], not '$WHAT'";; esac
case $QEMU13_MISMATCH in refuse|fallback) ;;
*) die "QEMU13_MISMATCH must be 'fallback' or 'refuse', not '$QEMU13_MISMATCH'";;
esac

step_begin "Debian 13's $QEMU13_PACKAGE (amd64, $WHAT; base/QEMU13 records $QEMU13_VERSION)"
need apt-get apt
need dpkg-deb dpkg
need readelf binutils

# The recorded list, and what is already there.
stamp="$QEMU13_PACKAGE $QEMU13_VERSION $(echo "$QEMU13_DEBS" | sha256sum | cut -c1-16)"
if [ "$WHAT" = fetch ] && [ "$(cat "$QEMU13_ROOT/VERSION" 2>/dev/null)" = "$stamp" ] &&
	[ -x "$QEMU13_ROOT/$bin" ]; then
	step_end "cached: $QEMU13_VERSION"
	exit 0
fi

# This machine's own archive: the URI of its bookworm entry (deb822
# .sources first, then one-line sources.list), used with the trixie suite.
mirror_uri() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
			{ uris = ""; hit = 0
			  for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
				if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) hit = 1
				if ($i ~ /^Types:/ && $i !~ /[ \t]deb([ \t]|$)/) hit = -1
			  }
			  if (hit == 1 && uris != "") { split(uris, u, " "); print u[1]; exit } }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^deb[ \t]\+\(\[[^]]*\][ \t]\+\)\?\([^ \t]\+\)[ \t]\+bookworm[ \t].*/\2/p' "$f"
	done
}
uri=$(mirror_uri | head -1)
[ -n "$uri" ] || die "no bookworm entry in /etc/apt/sources.list{,.d/*}: cannot tell where Debian's archive is"

mkdir -p "$APT_DIR"/etc/apt/{apt.conf.d,preferences.d,sources.list.d} \
	"$APT_DIR"/var/lib/apt/lists/partial "$APT_DIR"/var/cache/apt/archives/partial "$DEBS"
echo "deb [arch=amd64] $uri $QEMU13_SUITE main" >"$APT_DIR/etc/apt/sources.list"
cat >"$APT_DIR/apt.conf" <<EOF
Dir "$APT_DIR/";
Dir::State::status "/var/lib/dpkg/status";
Dir::Etc::TrustedParts "/usr/share/keyrings";
APT::Architectures { "amd64"; };
EOF
export APT_CONFIG=$APT_DIR/apt.conf
exec 9>"$APT_DIR/.lock"
flock -w 600 9 || die "another run holds $APT_DIR/.lock for more than 10 min"

lists_update() {
	say "reading the $QEMU13_SUITE lists from $uri"
	run apt-get update || die "apt-get update of the private $QEMU13_SUITE configuration failed (log: $STEP_LOG)"
}
# served PACKAGE: the versions the archive serves, newest first.
served() {
	apt-cache madison "$1" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | awk '!seen[$0]++'
}
[ -n "$(ls "$APT_DIR"/var/lib/apt/lists/*_Packages 2>/dev/null)" ] && [ "$WHAT" = fetch ] || lists_update

# deb_of PACKAGE VERSION: the cached .deb, downloaded once.
deb_of() {
	local f=$DEBS/${1}_${2//:/%3a}_amd64.deb tmp
	if [ ! -f "$f" ]; then
		tmp=$DEBS/download.tmp
		rm -rf "$tmp" && mkdir -p "$tmp"
		( cd "$tmp" && apt-get download "$1=$2" ) >>"$STEP_LOG" 2>&1 ||
			{ rm -rf "$tmp"; die "apt-get download $1=$2 failed (log: $STEP_LOG)"; }
		mv "$tmp"/*.deb "$f" && rm -rf "$tmp" || die "apt-get download $1=$2 gave no .deb"
	fi
	echo "$f"
}

stage=$SHARED_DIR/qemu13-stage
rm -rf "$stage" && mkdir -p "$stage"

if [ "$WHAT" = record ]; then
	# The whole Depends closure of the served version, unpacked; what is
	# kept decides which packages base/QEMU13 lists.
	ver=$(served "$QEMU13_PACKAGE" | head -1)
	[ -n "$ver" ] || die "the $QEMU13_SUITE archive serves no $QEMU13_PACKAGE"
	pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
		--no-replaces --no-enhances "$QEMU13_PACKAGE" 2>>"$STEP_LOG" | grep -E '^[a-z0-9]' | sort -u)
	declare -A pver
	for p in $pkgs; do
		pver[$p]=$(served "$p" | head -1)
		[ -n "${pver[$p]}" ] || die "no version of $p served"
		dpkg -x "$(deb_of "$p" "${pver[$p]}")" "$stage" || die "cannot unpack $p"
	done
else
	declare -A pver psum
	changed=
	while read -r p v s; do
		[ -n "$p" ] || continue
		pver[$p]=$v psum[$p]=$s
	done <<<"$QEMU13_DEBS"
	[ ${#pver[@]} -gt 0 ] || die "$DATA lists no packages"
	for p in "${!pver[@]}"; do
		vs=$(served "$p")
		echo "$vs" | grep -qxF "${pver[$p]}" && continue
		[ -n "$changed" ] || { lists_update; vs=$(served "$p"); echo "$vs" | grep -qxF "${pver[$p]}" && continue; }
		changed="$changed $p"
		new=$(echo "$vs" | head -1)
		[ -n "$new" ] || die "the $QEMU13_SUITE archive no longer serves $p at all (base/QEMU13 records ${pver[$p]})"
		msg="base/QEMU13 records $p ${pver[$p]}, which the $QEMU13_SUITE archive no longer serves (it serves $new)"
		[ "$QEMU13_MISMATCH" = refuse ] &&
			die "$msg; QEMU13_MISMATCH=refuse: stopping ('scripts/qemu-debian13.sh record' moves base/QEMU13)"
		say "$msg; using $new, unchecked"
		pver[$p]=$new psum[$p]=
	done
	for p in "${!pver[@]}"; do
		f=$(deb_of "$p" "${pver[$p]}")
		sum=$(sha256sum "$f" | cut -d' ' -f1)
		[ -z "${psum[$p]}" ] || [ "$sum" = "${psum[$p]}" ] ||
			die "checksum mismatch for $p ${pver[$p]}: the archive's .deb has sha256 $sum, base/QEMU13 records ${psum[$p]} (cached as $f; delete it to fetch again)"
		dpkg -x "$f" "$stage" || die "cannot unpack $f"
	done
	ver=${pver[$QEMU13_PACKAGE]:-}
	[ -n "$ver" ] || die "$DATA does not list $QEMU13_PACKAGE itself"
fi
[ -x "$stage/$bin" ] || die "$QEMU13_PACKAGE $ver has no $bin"

# The binary, its DT_NEEDED closure (symlinks resolved) and the loader.
rm -rf "$QEMU13_ROOT.tmp"
mkdir -p "$QEMU13_ROOT.tmp/usr/bin" "$QEMU13_ROOT.tmp/$libdir" "$QEMU13_ROOT.tmp/usr/share/qemu"
cp "$stage/$bin" "$QEMU13_ROOT.tmp/$bin"
kept="$bin"
todo=$bin done_libs=" "
while [ -n "$todo" ]; do
	next=
	for f in $todo; do
		for lib in $(readelf -d "$QEMU13_ROOT.tmp/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $done_libs in *" $lib "*) continue;; esac
			done_libs="$done_libs$lib "
			[ -e "$stage/$libdir/$lib" ] || die "$f needs $lib, which no unpacked package has"
			cp -L "$stage/$libdir/$lib" "$QEMU13_ROOT.tmp/$libdir/$lib"
			kept="$kept $libdir/$(readlink -f "$stage/$libdir/$lib" | xargs basename)"
			next="$next $libdir/$lib"
		done
	done
	todo=$next
done
loader=$libdir/ld-linux-x86-64.so.2
cp -L "$stage/$loader" "$QEMU13_ROOT.tmp/$loader" || die "no loader $loader in the unpacked packages"
kept="$kept $libdir/$(readlink -f "$stage/$loader" | xargs basename)"

if [ "$WHAT" = record ]; then
	# Which package ships each kept file.
	need_pkgs=
	for p in $pkgs; do
		files=$(dpkg-deb -c "$(deb_of "$p" "${pver[$p]}")" | awk '{ print $NF }' | sed 's|^\./||')
		for k in $kept; do
			echo "$files" | grep -qxF "$k" && { need_pkgs="$need_pkgs $p"; break; }
		done
	done
	{
		sed '/^QEMU13_VERSION=/,$d' "$DATA"
		echo "QEMU13_VERSION=$ver"
		echo "# <package> <version> <sha256 of the .deb>: the packages whose files are kept"
		echo "# (the binary, its DT_NEEDED closure, the loader), written by"
		echo "# 'scripts/qemu-debian13.sh record' on $(date -u +%Y-%m-%d)."
		echo 'QEMU13_DEBS="'
		for p in $need_pkgs; do
			f=$(deb_of "$p" "${pver[$p]}")
			echo "$p ${pver[$p]} $(sha256sum "$f" | cut -d' ' -f1)"
		done
		echo '"'
	} >"$DATA.tmp" && mv "$DATA.tmp" "$DATA"
	. "$DATA"
	stamp="$QEMU13_PACKAGE $QEMU13_VERSION $(echo "$QEMU13_DEBS" | sha256sum | cut -c1-16)"
	say "base/QEMU13: $QEMU13_PACKAGE $ver, $(echo $need_pkgs | wc -w) of $(echo $pkgs | wc -w) packages of its Depends closure"
fi
rm -rf "$stage" "$QEMU13_ROOT"
mv "$QEMU13_ROOT.tmp" "$QEMU13_ROOT"
echo "$stamp" >"$QEMU13_ROOT/VERSION"
got=$("$HARNESS_DIR/scripts/qemu.sh" debian13 --version 2>&1 | head -1)
case $got in "QEMU emulator version "*) ;; *) die "the unpacked QEMU does not run: $got";; esac
step_end "$got: $(echo $done_libs | wc -w) libraries + loader, $(du -sm "$QEMU13_ROOT" | cut -f1) MiB${changed:+ (served, not recorded:$changed)}"
