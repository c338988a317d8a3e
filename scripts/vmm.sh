#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "vmm": Debian's arm64 qemu-system-aarch64, to run inside the
# emulated host as the VMM of the nested-VMM scenario. The arm64 .debs of
# qemu-system-arm's library dependencies are downloaded from Debian's
# registry (cached in $CACHE_DIR/debs) and unpacked, never installed; only
# the binary and its ELF DT_NEEDED closure go to $VMM_ROOT, at the paths
# the arm64 loader searches. The QEMU version is in $VMM_ROOT/VERSION.
STEP=${STEP:-vmm}
. "$(dirname "$0")/lib.sh"

VMM_ROOT=${VMM_ROOT:-$SHARED_DIR/vmm-root}
stage=$SHARED_DIR/vmm-stage
bin=usr/bin/qemu-system-aarch64
READELF=${KCROSS}readelf

step_begin "Debian's arm64 qemu-system-aarch64 into $VMM_ROOT"
need "$READELF" "binutils-${KCROSS%-}"
ver=$(apt-cache policy qemu-system-arm:arm64 2>/dev/null | awk '/Candidate:/ { print $2 }')
[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
	die "no arm64 candidate for qemu-system-arm (is arm64 added with dpkg --add-architecture and apt-get update run?)"
if [ "$(cat "$VMM_ROOT/VERSION" 2>/dev/null)" = "qemu-system-arm:arm64 $ver" ] && [ -x "$VMM_ROOT/$bin" ]; then
	step_end "cached: qemu-system-arm:arm64 $ver"
	exit 0
fi

# The package and every library package of its Depends closure (zlib1g
# is one that is not named lib*).
pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances qemu-system-arm:arm64 2>>"$STEP_LOG" |
	grep -E '^(lib[^ ]*|zlib1g|qemu-system-arm):arm64$' | sed 's/:arm64$//' | sort -u)
[ -n "$pkgs" ] || die "apt-cache depends qemu-system-arm:arm64 gave no packages"
say "$(echo $pkgs | wc -w) packages (downloaded once, then from $CACHE_DIR/debs)"
rm -rf "$stage" "$VMM_ROOT"
DEBS_ROOT=$stage STEP_LOG=$LOG_DIR/vmm-debs.log STEP=vmm-debs \
	"$HARNESS_DIR/scripts/arm64-debs.sh" $pkgs >/dev/null || die "cannot get the arm64 packages: $LOG_DIR/vmm-debs.log"
[ -x "$stage/$bin" ] || die "qemu-system-arm:arm64 has no $bin"

# Copy the binary and the DT_NEEDED closure (libraries are looked up in
# the multiarch folders, where Debian puts them; symlinks are resolved),
# reading the needs of each copied file.
libdirs="lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu"
mkdir -p "$VMM_ROOT/usr/bin" "$VMM_ROOT/lib/aarch64-linux-gnu"
cp "$stage/$bin" "$VMM_ROOT/$bin"
todo=$bin
done_libs=" "
while [ -n "$todo" ]; do
	next=
	for f in $todo; do
		for lib in $("$READELF" -d "$VMM_ROOT/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $done_libs in *" $lib "*) continue;; esac
			done_libs="$done_libs$lib "
			found=
			for d in $libdirs; do
				[ -e "$stage/$d/$lib" ] && { found=$d/$lib; break; }
			done
			[ -n "$found" ] || die "$f needs $lib, which no unpacked package has"
			cp -L "$stage/$found" "$VMM_ROOT/lib/aarch64-linux-gnu/$lib"
			next="$next lib/aarch64-linux-gnu/$lib"
		done
	done
	todo=$next
done
# The loader the binary names in PT_INTERP.
interp=$("$READELF" -l "$stage/$bin" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
[ -n "$interp" ] || die "cannot read the program interpreter of $bin"
mkdir -p "$VMM_ROOT/$(dirname "$interp")"
cp -L "$stage$interp" "$VMM_ROOT$interp" || die "no loader $interp in the unpacked packages"
rm -rf "$stage"
echo "qemu-system-arm:arm64 $ver" >"$VMM_ROOT/VERSION"
step_end "QEMU $ver: $(echo $done_libs | wc -w) libraries + loader, $(du -sm "$VMM_ROOT" | cut -f1) MiB"
