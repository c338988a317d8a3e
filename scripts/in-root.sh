#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run a command inside a root made by scripts/fresh-root.sh, in a private
# mount namespace: /proc, /dev and /sys of this machine, its DNS setup,
# the harness folder and $CACHE_DIR at the same paths as outside, and
# $CACHE_DIR/apt-archives as apt's download cache. Nothing else of this
# machine is visible: no installed package, no tool. Of the environment,
# only CI, HARNESS_DEADLINE (.ci/run's time budget) and FRESH_ROOT_ENV.
#
# Usage: in-root.sh ROOT CMD...   (CMD runs with bash in the harness folder)
ROOT=${1:?usage: in-root.sh ROOT CMD...}
shift
[ $# -gt 0 ] || { echo "usage: in-root.sh ROOT CMD..." >&2; exit 2; }
HARNESS_DIR=$(cd "$(dirname "$0")/.." && pwd)
CACHE_DIR=${CACHE_DIR:-/var/cache/kvm-nc-harness}

[ -x "$ROOT/bin/bash" ] || { echo "[in-root] FAILED: $ROOT is not a root (no /bin/bash): run scripts/fresh-root.sh" >&2; exit 1; }
mkdir -p "$CACHE_DIR/apt-archives/partial"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null

# The mounts live and die with the namespace: nothing to clean up after a
# failure or an interrupt.
exec unshare --mount --propagation private bash -c '
	set -e
	root=$1 src=$2 cache=$3; shift 3
	# The root as a mount point of its own, so that inside it "/" is one
	# (a root made inside a root can then make its mounts private too).
	mount --bind "$root" "$root"
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --rbind /sys "$root/sys"
	mount -t tmpfs tmpfs "$root/tmp"
	mkdir -p "$root$src" "$root$cache"
	mount --bind "$src" "$root$src"
	mount --bind "$cache" "$root$cache"
	mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
	set +e
	exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		CACHE_DIR="$cache" ${CI:+CI=$CI} ${HARNESS_DEADLINE:+HARNESS_DEADLINE=$HARNESS_DEADLINE} ${FRESH_ROOT_ENV:-} \
		bash -c "cd \"$src\" && $*"
' in-root "$ROOT" "$HARNESS_DIR" "$CACHE_DIR" "$*"
