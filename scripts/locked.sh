#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run CMD holding the build folder's run lock, so that two runs in one
# clone (one $BUILD_ROOT, all bases) never interleave: the second stops at once and
# says which run holds the lock. Runs in two clones share only $CACHE_DIR,
# whose writers take locks of their own (base, debs, roots).
# Usage: locked.sh CMD...
BUILD_ROOT=${BUILD_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/build}
mkdir -p "$BUILD_ROOT"
lock=$BUILD_ROOT/.run.lock
exec 8>>"$lock"
if ! flock -n 8; then
	echo "[lock] FAILED: another run holds $lock ($(cat "$lock.owner" 2>/dev/null || echo 'owner unknown')): wait for it to finish, or use another BUILD_ROOT" >&2
	exit 1
fi
echo "pid $$, '$*', started $(date '+%F %T')" >"$lock.owner"
# The lock is this script's alone: CMD does not inherit it, so that
# nothing CMD leaves running (a detached process) keeps the next run out
# after this one has ended.
"$@" 8>&-
rc=$?
rm -f "$lock.owner"
exit $rc
