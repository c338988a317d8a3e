# SPDX-License-Identifier: GPL-2.0
# Common helpers for the harness steps. Sourced, never run.
#
# Every step prints one line when it starts and one when it ends (with its
# duration), keeps its full output in $LOG_DIR/<step>.log, and on failure
# names itself and points at that log.

set -o pipefail

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The base (bases/$BASE.conf, data): its Debian package and version, its
# series, config fragments, selftest list, manifest, negative variants and
# build matrix. Each base builds in a folder of its own, $BUILD_ROOT/$BASE;
# what all bases share (Debian's arm64 packages, the QEMUs) is in
# $SHARED_DIR.
BASE=${BASE:-6.1}
BASE_FILE=${BASE_FILE:-$HARNESS_DIR/bases/$BASE.conf}
if [ ! -f "$BASE_FILE" ]; then
	printf '[%s] FAILED: unknown base "%s": no %s (bases:%s)\n' "${STEP:-$(basename "$0" .sh)}" \
		"$BASE" "$BASE_FILE" "$(cd "$HARNESS_DIR/bases" && for f in *.conf; do printf ' %s' "${f%.conf}"; done)" >&2
	exit 1
fi
. "$BASE_FILE"
BUILD_ROOT=${BUILD_ROOT:-$HARNESS_DIR/build}
BUILD_DIR=${BUILD_DIR:-$BUILD_ROOT/$BASE}
SHARED_DIR=${SHARED_DIR:-$BUILD_ROOT/shared}
export BUILD_ROOT SHARED_DIR
PATCHES_DIR=${PATCHES_DIR:-$HARNESS_DIR/$BASE_SERIES}
SELFTESTS_LIST=${SELFTESTS_LIST:-$HARNESS_DIR/$BASE_SELFTESTS}
MANIFEST=${MANIFEST:-$HARNESS_DIR/$BASE_MANIFEST}
NEGATIVE_DIR=${NEGATIVE_DIR:-$HARNESS_DIR/$BASE_NEGATIVE}
BUILD_MATRIX=${BUILD_MATRIX:-$HARNESS_DIR/$BASE_MATRIX}
DEV_TREE=${DEV_TREE:-$HARNESS_DIR/work/$BASE/linux}
if [ -z "${KCONFIG_FRAGMENTS:-}" ]; then
	for f in $BASE_FRAGMENTS; do KCONFIG_FRAGMENTS="${KCONFIG_FRAGMENTS:+$KCONFIG_FRAGMENTS }$HARNESS_DIR/$f"; done
fi
LOG_DIR=${LOG_DIR:-$BUILD_DIR/logs}
CACHE_DIR=${CACHE_DIR:-/var/cache/kvm-nc-harness}
mkdir -p "$BUILD_DIR" "$LOG_DIR"

STEP=${STEP:-$(basename "$0" .sh)}
STEP_LOG=${STEP_LOG:-$LOG_DIR/$STEP.log}
STEP_T0=$(date +%s)

say()  { printf '[%s] %s\n' "$STEP" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$STEP" "$*" >&2; }

# die MESSAGE: stop the step with a message naming the step and its log.
die() {
	printf '[%s] FAILED: %s\n' "$STEP" "$*" >&2
	[ -s "$STEP_LOG" ] && printf '[%s] log: %s\n' "$STEP" "$STEP_LOG" >&2
	[ -z "${_STEP_BEGUN:-}" ] || step_time "$(( $(date +%s) - STEP_T0 ))" died
	exit 1
}

# Step times: each step appends a line to $STEP_TIMES_FILE when it begins
# and one when it ends, "BASE<TAB>STEP<TAB>SECONDS<TAB>START_EPOCH<TAB>
# DEPTH<TAB>SCRIPT" (SECONDS "-" when it begins; DEPTH 0 for a step make
# started, 1 for a step started inside another step, and so on; a step
# that dies, die(), ends with a seventh field, "died"). One file
# per run: make check empties it first; scripts/step-times.sh prints the
# table. One short printf per line, appended: steps may end at once.
_STEP_TIMES=${STEP_TIMES_FILE:-$BUILD_ROOT/step-times.raw}
STEP_DEPTH=${HARNESS_STEP_DEPTH:-0}
step_time() {
	printf '%s\t%s\t%s\t%s\t%s\t%s%s\n' "$BASE" "$STEP" "$1" "$STEP_T0" "$STEP_DEPTH" "${0##*/}" "${2:+	$2}" \
		>>"$_STEP_TIMES" 2>/dev/null || warn "cannot append to $_STEP_TIMES: this step is not in the step-time table"
}

step_begin() {
	: >"$STEP_LOG"
	printf '==> %-12s %s\n' "$STEP" "$*"
	step_time -
	_STEP_BEGUN=1
	export HARNESS_STEP_DEPTH=$((STEP_DEPTH + 1))
}

step_end() {
	local s=$(( $(date +%s) - STEP_T0 ))
	printf '<== %-12s done in %ss%s\n' "$STEP" "$s" "${1:+ ($1)}"
	step_time "$s"
}

# budget_short SECONDS [WHENCE]: true when a CI deadline is set
# (HARNESS_DEADLINE, epoch seconds: .ci/run sets it, scripts/in-root.sh
# passes it into the root) and fewer than SECONDS are left before it;
# BUDGET_WHY then says so (WHENCE: where the estimate comes from). A
# long step calls it before it starts, and records a failure instead of
# starting. Without HARNESS_DEADLINE: false, nothing changes.
budget_short() {
	[ -n "${HARNESS_DEADLINE:-}" ] || return 1
	[[ $HARNESS_DEADLINE =~ ^[0-9]+$ ]] || die "HARNESS_DEADLINE='$HARNESS_DEADLINE' is not a time (epoch seconds)"
	[[ $1 =~ ^[0-9]+$ ]] || die "budget_short: '$1' is not a number of seconds"
	local left=$(( HARNESS_DEADLINE - $(date +%s) ))
	[ "$left" -lt "$1" ] || return 1
	[ "$left" -ge 0 ] || left=0
	BUDGET_WHY="not started: $left s left of the CI budget, the step needs about $1 s${2:+ ($2)}"
}

# step_seconds_max REGEX: the seconds of the longest step of this run
# whose name matches REGEX (awk), from the step-time file; nothing if none.
step_seconds_max() {
	awk -F'\t' -v re="$1" '$3 ~ /^[0-9]+$/ && $2 ~ re && $3 + 0 > m + 0 { m = $3 } END { if (m != "") print m }' \
		"$_STEP_TIMES" 2>/dev/null
}

# record GROUP STATUS NAME [REASON]: one result (STATUS: pass, fail or
# skip) appended to $RESULTS as "GROUP<TAB>STATUS<TAB>NAME<TAB>REASON",
# the format scripts/parse.sh writes and scripts/summary.sh counts, and
# printed as a progress line.
record() {
	local reason=${4:-}
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${reason//	/ }" >>"$RESULTS" ||
		die "cannot write $RESULTS (disk full?): a result would be lost"
	printf '[%s] %-4s %s%s\n' "$1" "$2" "$3" "${reason:+ ($reason)}"
}

# record_plan GROUP N: the number of results GROUP will record, said
# before the first one (the TAP plan of a results file). scripts/summary.sh
# fails a group whose count differs, or that has no plan.
record_plan() {
	printf '%s\tplan\t%s\t\n' "$1" "$2" >>"$RESULTS" ||
		die "cannot write $RESULTS"
}

# run CMD...: run a command with its output in the step log only.
run() {
	printf '+ %s\n' "$*" >>"$STEP_LOG"
	"$@" >>"$STEP_LOG" 2>&1
}

# need TOOL PACKAGE: fail clearly when a tool is missing.
need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "missing tool '$1' (Debian package '$2'); run 'make deps' as root"
}

# Kernel build parameters shared by the build steps.
JOBS=${JOBS:-$(( $(nproc) + 1 ))}
SRC_TREE=${SRC_TREE:-$BUILD_DIR/linux}

# Cross-compilation through ccache, with fixed build identity so that
# rebuilds of an unchanged tree hit the cache.
KARCH=${KARCH:-arm64}
KCROSS=${KCROSS:-aarch64-linux-gnu-}
export CCACHE_DIR=${CCACHE_DIR:-$CACHE_DIR/ccache}
# Paths below the build folder are hashed relative to it, so two build
# folders of the same layout (developers', the bisect worktree) share hits.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD_DIR}
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2024-01-01}
export KBUILD_BUILD_USER=harness KBUILD_BUILD_HOST=harness
# The build number in the version string ("#1"): fixed, so that a relink
# of unchanged objects gives the same Image.
export KBUILD_BUILD_VERSION=${KBUILD_BUILD_VERSION:-1}

# No git command of the harness may leave a process behind. git's
# automatic maintenance (after am, commit and the like) detaches a
# "gc --auto" into the background when a repository holds many loose
# objects, as every tree cloned from the cached base does (about 85,000).
# That gc outlives its step for a minute or more and keeps every file the
# step held open, the run lock of scripts/locked.sh among them. The trees
# are the harness's own and short-lived: they are never repacked.
# (Once per run: scripts started by scripts inherit it.)
if [ -z "${HARNESS_GIT_QUIET:-}" ]; then
	_n=${GIT_CONFIG_COUNT:-0}
	export "GIT_CONFIG_KEY_$_n=gc.auto" "GIT_CONFIG_VALUE_$_n=0" \
		"GIT_CONFIG_KEY_$((_n + 1))=maintenance.auto" "GIT_CONFIG_VALUE_$((_n + 1))=false" \
		GIT_CONFIG_COUNT=$((_n + 2)) HARNESS_GIT_QUIET=1
	unset _n
fi

# bisect_worktree: make sure the series' second worktree exists
# ($BUILD_DIR/bisect/linux, the same depth as $BUILD_DIR/linux so ccache
# shares objects), for the per-patch builds (static) and the variants
# (negative). Each step that uses it calls this: neither may count on
# the other having run, or having built anything (a step whose results
# were all reused creates nothing).
BISECT_WT=$BUILD_DIR/bisect/linux
bisect_worktree() {
	[ -e "$BISECT_WT/.git" ] && return 0
	say "creating the bisect worktree $BISECT_WT (about a minute)"
	git -C "$SRC_TREE" worktree prune
	run git -C "$SRC_TREE" worktree add -f --detach "$BISECT_WT" base ||
		die "cannot create worktree $BISECT_WT"
}

kmake() {
	local cc=${KCROSS}gcc
	command -v ccache >/dev/null 2>&1 && cc="ccache $cc"
	make -C "$SRC_TREE" ARCH="$KARCH" CROSS_COMPILE="$KCROSS" CC="$cc" "$@"
}

# with_progress LABEL CMD...: run CMD with output in the step log, printing
# a line every 30 s with the number of objects compiled so far. CMD runs
# in a process group of its own; an interrupt (Ctrl-C) or a TERM stops
# that whole group (a background job of a script ignores SIGINT, so
# without this the build would go on after the script stopped).
with_progress() {
	local label=$1; shift
	local start=$(date +%s) n pid rc
	printf '+ %s\n' "$*" >>"$STEP_LOG"
	# Job control on for this one job: it gets a process group of its own
	# (and CMD may be a shell function, such as kmake).
	set -m
	"$@" >>"$STEP_LOG" 2>&1 &
	pid=$!
	set +m
	trap 'kill -TERM -- -'"$pid"' 2>/dev/null; sleep 1; kill -KILL -- -'"$pid"' 2>/dev/null; die "interrupted: stopped $label"' INT TERM
	while kill -0 "$pid" 2>/dev/null; do
		for _ in $(seq 30); do
			sleep 1
			kill -0 "$pid" 2>/dev/null || break
		done
		kill -0 "$pid" 2>/dev/null || break
		n=$(grep -c '^  CC ' "$STEP_LOG")
		say "$label: $n objects compiled, $(( $(date +%s) - start ))s"
	done
	wait "$pid"
	rc=$?
	trap - INT TERM
	return $rc
}

# fail_with_log_tail MESSAGE: die, showing the last errors from the log.
die_tail() {
	{
		echo "----- last lines of $STEP_LOG -----"
		grep -E 'error|Error|ERROR|warning: |fatal' "$STEP_LOG" | tail -20
		tail -5 "$STEP_LOG"
		echo "-----"
	} >&2
	die "$*"
}

# busybox_root ROOT INIT: a fresh initramfs tree in ROOT with the arm64
# busybox of $DEBS_ROOT and INIT as /init. Applets are linked at boot by
# /init's first line; /bin/sh is needed before that to run /init itself.
busybox_root() {
	local bb=${DEBS_ROOT:-$SHARED_DIR/arm64-root}/bin/busybox
	[ -x "$bb" ] || die "no arm64 busybox in ${bb%/bin/busybox}: run the debs step"
	rm -rf "$1"
	mkdir -p "$1"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp}
	cp "$bb" "$1/bin/"
	ln -s busybox "$1/bin/sh"
	cp "$2" "$1/init"
	sed -i '2i /bin/busybox --install -s' "$1/init"
}

# pack_cpio ROOT OUT: ROOT as an uncompressed newc archive, written whole
# or not at all.
# Every file gets the same date and cpio renumbers the inodes, so the
# same content gives the same archive (what lets an unchanged boot's
# results be reused, scripts/profile-run.sh).
pack_cpio() {
	( cd "$1" && find . -exec touch -h -d "@${SOURCE_DATE_EPOCH:-1704067200}" {} + &&
	  find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible ) >"$2.tmp" &&
		mv "$2.tmp" "$2" || { rm -f "$2.tmp"; die "cpio of $1 failed"; }
}
