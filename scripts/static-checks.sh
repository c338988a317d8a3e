#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "static": checks on every patch of the series, as results:
#  - checkpatch.pl --strict: 0 errors and 0 warnings;
#  - bisectability: the series is walked commit by commit (as git am
#    applied it onto the pristine base in the tree step) in a separate
#    worktree, building every configuration of the base's build matrix
#    (bases/<base>.conf: BASE_MATRIX) after each patch that reaches it.
#    A configuration is reached by a patch that changes a file its last
#    build in this walk read (the deps_ and source_ lines kbuild keeps in
#    the .cmd files), or any Kconfig, Makefile or Kbuild file outside
#    tools/testing/ and Documentation/. Otherwise
#    every input of that build is byte for byte what it was at the last
#    build, which passed, so the result cannot differ: it is recorded as
#    a pass that says so ("not reached"), never as a skip;
#  - sparse (C=2) on the directories of the touched C files, base against
#    the whole series: no new warnings in touched files.
# Reuse: a build (or the sparse pass) whose inputs are unchanged since an
# earlier run in which it passed (the commit's tree, the configuration's
# line and fragments, the compilers, this script) is not run again; its
# result says "reused". REUSE_RESULTS=0 runs everything.
# With an empty series every check passes trivially.
# Usage: static-checks.sh RESULTS_TSV
RESULTS=${1:?usage: static-checks.sh RESULTS_TSV}
STEP=static
. "$(dirname "$0")/lib.sh"

MATRIX=$BUILD_MATRIX
BISECT=$BUILD_DIR/bisect
WT=$BISECT_WT
# Same depth as build/linux and build/obj/<arch>, so that ccache (with
# the CCACHE_BASEDIR lib.sh sets) shares objects with the main build.

result() { record static "$@"; }
# mark reused|inferred NAME: the result NAME was not run here, said in the
# side file scripts/summary.sh counts from ("GROUP<TAB>HOW<TAB>NAME").
mark() { printf 'static\t%s\t%s\n' "$1" "$2" >>"$RESULTS.how" || die "cannot write $RESULTS.how"; }

step_begin "checkpatch, per-patch builds, sparse"
commits=$(git -C "$SRC_TREE" rev-list --reverse base..HEAD)
npatch=$(echo $commits | wc -w)
matrix=$(grep -v '^#' "$MATRIX" | grep -v '^[[:space:]]*$')
nmatrix=$(echo "$matrix" | grep -c .)
# checkpatch and one build per configuration for every patch, sparse and
# the send dry run; 1 for an empty series.
record_plan static $([ "$npatch" = 0 ] && echo 1 || echo $((npatch * (1 + nmatrix) + 2)))
if [ "$npatch" = 0 ]; then
	result pass "static:series-empty" "no patches: nothing to check"
	step_end "empty series"
	exit 0
fi

# --- checkpatch -------------------------------------------------------------
# Debian's python3 first: spdxcheck.py needs python3-ply and python3-git.
ALLOW=${CHECKPATCH_ALLOW:-$HARNESS_DIR/config/checkpatch-allow}
k=0
for c in $commits; do
	k=$((k + 1))
	name=$(printf '%02d-%s' $k "$(git -C "$SRC_TREE" log -1 --format=%f "$c" | cut -c1-50)")
	out=$BISECT/checkpatch-$k.txt
	mkdir -p "$BISECT"
	git -C "$SRC_TREE" format-patch -1 --stdout "$c" |
		( cd "$SRC_TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --show-types - ) >"$out" 2>&1
	cat "$out" >>"$STEP_LOG"
	tot=$(grep -E '^total: ' "$out" | tail -1)
	e=$(echo "$tot" | sed -n 's/^total: \([0-9]*\) errors.*/\1/p')
	ch=$(echo "$tot" | sed -n 's/.* \([0-9]*\) checks.*/\1/p')
	# Warnings allowed by config/checkpatch-allow, when the message explains.
	msg=$(git -C "$SRC_TREE" log -1 --format=%B "$c")
	unexplained=0 explained=
	while read -r type; do
		word=$(awk -v t="$type" '$1 == t { print $2 }' "$ALLOW" 2>/dev/null)
		if [ -n "$word" ] && grep -qF "$word" <<<"$msg"; then
			explained="$explained $type"
		else
			unexplained=$((unexplained + 1))
		fi
	done < <(sed -n 's/^WARNING:\([A-Z_]*\):.*/\1/p' "$out")
	if [ -z "$tot" ]; then
		result fail "static:checkpatch:$name" "checkpatch.pl did not run; see $out"
	elif [ "$e" = 0 ] && [ "$unexplained" = 0 ]; then
		if [ -n "$explained" ]; then
			result pass "static:checkpatch:$name" "0 errors, warnings explained in the message:$explained, ${ch:-0} checks"
		else
			result pass "static:checkpatch:$name" "0 errors, 0 warnings, ${ch:-0} checks"
		fi
	else
		result fail "static:checkpatch:$name" "$e errors, $unexplained unexplained warnings: $(grep -m1 -E '^(ERROR|WARNING):' "$out")"
	fi
done

# --- the bisect worktree ------------------------------------------------------
bisect_worktree

# configure NAME ARCH CROSS FRAGMENTS
configure() {
	local frags= f
	for f in ${4//,/ }; do frags="$frags $HARNESS_DIR/config/$f"; done
	STEP=static-config-$1 STEP_LOG=$LOG_DIR/static-config-$1.log CONFIG_VERIFY=last \
	SRC_TREE=$WT OBJ_DIR=$BISECT/obj/$1 KARCH=$2 KCROSS=$3 \
	KCONFIG_FRAGMENTS="$frags" "$HARNESS_DIR/scripts/config.sh" >/dev/null
}

# kbuild NAME ARCH CROSS TARGETS... (output to $BISECT/build-NAME.log)
kbuild() {
	local name=$1 arch=$2 cross=$3; shift 3
	( SRC_TREE=$WT KARCH=$arch KCROSS=$cross; kmake O="$BISECT/obj/$name" -j"$JOBS" "$@" ) \
		>"$BISECT/build-$name.log" 2>&1
}

# sparse_warnings NAME ARCH CROSS FILES...: "file: message" lines of C=2
# for the directories holding FILES, restricted to FILES.
sparse_warnings() {
	local name=$1 arch=$2 cross=$3; shift 3
	local dirs=$(for f in "$@"; do case $f in *.c) echo "$(dirname "$f")/";; esac; done | sort -u)
	[ -n "$dirs" ] || return 0
	kbuild "$name" "$arch" "$cross" C=2 $dirs
	cat "$BISECT/build-$name.log" >>"$STEP_LOG"
	local pat=$(printf '%s\n' "$@" | sed 's/[.]/\\./g' | paste -sd'|')
	# sparse names files by their absolute path in the worktree.
	sed "s|^$WT/||" "$BISECT/build-$name.log" |
		grep -E "^($pat):[0-9]+:[0-9]+: (warning|error):" |
		sed -E 's/^([^:]+):[0-9]+:[0-9]+: /\1: /' | sort -u
}

# The reuse helpers, defined before their first use: the sparse key below
# (defined after it, as they were, the key came out empty, every run
# shared the one cache entry "static-", and a run that found it skipped
# the series' sparse pass and compared the base's warnings with a missing
# file: a pass that checked nothing).
# static_key WORDS...: one hash of the inputs of a build or sparse pass.
static_key() {
	{
		printf '%s\n' "$@"
		"${KCROSS}gcc" --version | head -1
		sparse --version 2>&1 | head -1
		sha256sum "$0" "$HARNESS_DIR"/scripts/{lib,config}.sh "$HARNESS_DIR"/config/*.config | cut -d' ' -f1
	} | sha256sum | cut -c1-32
}
# reuse_store KEY: the cache folder of a passed build or sparse pass.
reuse_store() { echo "$CACHE_DIR/results/static-$1"; }
keep() {	# keep KEY FILE...: store FILE... under KEY
	local st=$(reuse_store "$1"); shift
	[ "${REUSE_RESULTS:-1}" = 1 ] || return 0
	mkdir -p "$st.tmp" && cp "$@" "$st.tmp/" && date -u '+%Y-%m-%d %H:%M UTC' >"$st.tmp/when" &&
		rm -rf "$st" && mv "$st.tmp" "$st" || warn "cannot keep a result in $st"
}
reusable() {	# reusable KEY FILE: KEY was kept, with FILE
	[ "${REUSE_RESULTS:-1}" = 1 ] && [ -f "$(reuse_store "$1")/$2" ]
}

touched=$(git -C "$SRC_TREE" diff --name-only base HEAD -- ':!Documentation' ':!tools')

sparse_key=$(static_key sparse "$(git -C "$SRC_TREE" rev-parse "base^{tree}" "HEAD^{tree}")" $touched)
[ -n "$sparse_key" ] || die "cannot compute the sparse key"

if reusable "$sparse_key" sparse-series.txt; then
	say "sparse: reused the base's and the series' warnings of $(cat "$(reuse_store "$sparse_key")/when"): the trees are unchanged"
	cp "$(reuse_store "$sparse_key")"/sparse-{base,series}.txt "$BISECT/"
else
	say "sparse on the base ($(echo $touched | wc -w) touched files)"
	git -C "$WT" checkout -q --detach base || die "cannot check out base in $WT"
	configure arm64 arm64 aarch64-linux-gnu- host.config || die "arm64 config failed (log: $LOG_DIR/static-config-arm64.log)"
	sparse_warnings arm64 arm64 aarch64-linux-gnu- $touched >"$BISECT/sparse-base.txt"
fi

# --- one build per configuration after every patch that reaches it ---------
# read_set NAME: the source-tree files the last build of NAME read, one
# per line, relative to the worktree (from kbuild's .cmd files).
read_set() {
	# kbuild names a source by its absolute path or relative to the
	# object folder (../../linux/...): both are taken.
	local rel=$(realpath -m --relative-to="$BISECT/obj/$1" "$WT")
	find "$BISECT/obj/$1" -name '.*.cmd' -print0 2>/dev/null |
		xargs -0 -r grep -ho -E "($WT|$rel)/[^ )\\]+" |
		sed -E -e "s|^$WT/||" -e "s|^$rel/||" | LC_ALL=C sort -u
}
nreused=0
declare -A built=()
k=0
prev=base
nbuilt=0
for c in $commits; do
	k=$((k + 1))
	name=$(printf '%02d-%s' $k "$(git -C "$SRC_TREE" log -1 --format=%f "$c" | cut -c1-50)")
	git -C "$WT" checkout -q --detach "$c" || die "cannot check out $c in $WT"
	changed=$(git -C "$WT" diff --name-only "$prev" "$c")
	kconfig_changed=$(grep -c Kconfig <<<"$changed")
	# Build files that a kernel build reads (a selftest's Makefile is not).
	build_files=$(grep -E '(^|/)(Kconfig[^/]*|Makefile[^/]*|Kbuild[^/]*|[^/]*\.mk)$' <<<"$changed" |
		grep -vE '^(tools/testing|Documentation)/')
	while read -r cname arch cross frags targets; do
		[ "$cross" = - ] && cross=
		t0=$(date +%s)
		if [ -n "${built[$cname]:-}" ] && [ -z "$build_files" ] && [ "${STATIC_BUILD_ALL:-0}" != 1 ]; then
			hit=$(LC_ALL=C comm -12 <(LC_ALL=C sort -u <<<"$changed") "$BISECT/read-$cname.txt" | head -3 | paste -sd' ')
			if [ -z "$hit" ]; then
				result pass "static:build:$name:$cname" "not reached: its last build (patch ${built[$cname]}) read none of the $(grep -c . <<<"$changed") files this patch changes, so it cannot differ"
				mark inferred "static:build:$name:$cname"
				continue
			fi
		fi
		bkey=$(static_key build "$(git -C "$WT" rev-parse "HEAD^{tree}")" "$cname $arch $cross $frags $targets")
		if reusable "$bkey" read-set.txt; then
			cp "$(reuse_store "$bkey")/read-set.txt" "$BISECT/read-$cname.txt"
			result pass "static:build:$name:$cname" "reused: built and passed on $(cat "$(reuse_store "$bkey")/when") from the same tree and configuration"
			mark reused "static:build:$name:$cname"
			built[$cname]=$k
			nreused=$((nreused + 1))
			continue
		fi
		if [ ! -f "$BISECT/obj/$cname/.config" ] || [ "$kconfig_changed" != 0 ] || [ -z "${built[$cname]:-}" ]; then
			configure "$cname" "$arch" "$cross" "$frags" </dev/null ||
				{ result fail "static:build:$name:$cname" "config failed: $LOG_DIR/static-config-$cname.log"; unset "built[$cname]"; continue; }
		fi
		say "patch $k/$npatch: building $cname ($targets)"
		if kbuild "$cname" "$arch" "$cross" $targets </dev/null; then
			result pass "static:build:$name:$cname" "$(( $(date +%s) - t0 ))s"
			built[$cname]=$k
			nbuilt=$((nbuilt + 1))
			read_set "$cname" >"$BISECT/read-$cname.txt"
			cp "$BISECT/read-$cname.txt" "$BISECT/read-set.txt" && keep "$bkey" "$BISECT/read-set.txt"
		else
			unset "built[$cname]"
			cp "$BISECT/build-$cname.log" "$LOG_DIR/static-build-$k-$cname.log"
			result fail "static:build:$name:$cname" \
				"$(grep -m1 -E 'error:|Error [0-9]' "$BISECT/build-$cname.log" | cut -c1-160); log: $LOG_DIR/static-build-$k-$cname.log"
		fi
	done <<<"$matrix"
	prev=$c
done

# --- sparse: no new warnings ------------------------------------------------
if ! reusable "$sparse_key" sparse-series.txt; then
	say "sparse on the whole series"
	git -C "$WT" checkout -q --detach "$(git -C "$SRC_TREE" rev-parse HEAD)" || die "cannot check out the series in $WT"
	sparse_warnings arm64 arm64 aarch64-linux-gnu- $touched >"$BISECT/sparse-series.txt"
fi
new=$(comm -13 "$BISECT/sparse-base.txt" "$BISECT/sparse-series.txt")
if [ -z "$new" ]; then
	result pass "static:sparse" "$(wc -l <"$BISECT/sparse-base.txt") warnings on base, none new"
	reusable "$sparse_key" sparse-series.txt || keep "$sparse_key" "$BISECT/sparse-base.txt" "$BISECT/sparse-series.txt"
else
	echo "$new" >"$LOG_DIR/static-sparse-new.txt"
	result fail "static:sparse" "$(echo "$new" | wc -l) new warnings, first: $(echo "$new" | head -1)"
fi
# --- the To/Cc list and a dry run of sending the series --------------------
if out=$(STEP_LOG=$LOG_DIR/send.log "$HARNESS_DIR/scripts/send-dry-run.sh" 2>&1); then
	result pass "static:send-dry-run" "$(echo "$out" | grep -m1 '^Dry-run messages')"
else
	result fail "static:send-dry-run" "$(echo "$out" | grep -m1 FAILED)"
fi
step_end "$npatch patches, $nbuilt of $((npatch * nmatrix)) per-patch builds reached and run, $nreused reused"
