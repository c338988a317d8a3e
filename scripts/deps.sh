#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "deps": install what config/packages lists and is missing, from
# Debian's registry only. DEPS_EXTRA adds packages (self-tests use it);
# NO_INSTALL=1 only checks and names what is missing.
STEP=${STEP:-deps}
. "$(dirname "$0")/lib.sh"

export DEBIAN_FRONTEND=noninteractive
LIST=${PACKAGES_LIST:-$HARNESS_DIR/config/packages}
step_begin "checking $(grep -c '^[^#]' "$LIST") tools"

missing=
while read -r what pkg; do
	case $what in ''|'#'*) continue;; esac
	if [ "${what#/}" != "$what" ]; then
		[ -e "$what" ] && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	missing="$missing $pkg"
done <"$LIST"
missing="$missing ${DEPS_EXTRA:-}"
missing=$(echo $missing)

if [ -n "$missing" ]; then
	[ "${NO_INSTALL:-0}" = 1 ] && die "missing Debian package(s): $missing (NO_INSTALL=1; run 'make deps' as root)"
	[ "$(id -u)" = 0 ] || die "missing Debian package(s): $missing; run 'make deps' as root"
	say "installing:$missing"
	# This machine's own package lists decide (not a stamp in the shared
	# cache: a fresh root has none): update when they are missing or old.
	if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -720 2>/dev/null | head -1)" ]; then
		run apt-get update || die "apt-get update failed"
	fi
	for p in $missing; do
		apt-cache show "$p" >/dev/null 2>&1 ||
			die "package '$p' is not available from Debian's registry (apt-cache show $p)"
	done
	run apt-get install -y --no-install-recommends $missing ||
		die "apt-get install failed for:$missing"
fi

# Foreign arm64 packages (busybox, and later the VMM) are only downloaded
# and unpacked, never installed; apt needs to know the architecture.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	[ "$(id -u)" = 0 ] || die "dpkg does not know arm64; run 'make deps' as root"
	run dpkg --add-architecture arm64 || die "dpkg --add-architecture arm64 failed"
	run apt-get update || die "apt-get update failed"
fi
step_end "${missing:+installed: $missing}"
