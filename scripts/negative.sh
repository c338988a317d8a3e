#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "negative": prove the series' tests can fail, and fail for the
# reason they name. For every variant that tests/<base>/negative/
# variants.list names (NAME.conf beside it: a patch of the series
# reverted, one or more one-line mutations of the kernel (MUTATE) or of
# the nested guest's test code (NESTED_MUTATE), or the unpatched base
# kernel as a control), build the kernel, boot it in
# $NEGATIVE_PROFILE (with the variant's own kernel command line
# VARIANT_CMDLINE added, if it has one: an operator's switch, a knob of
# /init; NESTED_KERNEL=variant: the nested guest boots the variant's kernel
# too, instead of the series') and require:
#  - each test of EXPECT_FAIL to fail, with its stated reason in the
#    failure message ("NAME<TAB>REASON" lines; a NAME ending in ":" or "."
#    matches every result that starts with it);
#  - each test of EXPECT_PASS (the controls) to pass;
#  - the boot to be clean: this run's console, no panic, /init finished
#    with its TAP plan, no warning in dmesg.
# A revert or mutation target that is not in the series, a variant that
# does not build or does not boot: every expectation of that variant
# fails, saying why. Nothing becomes a skip.
# Reuse: a variant whose every input is unchanged since a run in which it
# met all its expectations (the series' tree, the variant, the config,
# the initramfs, the harness code, the outer QEMU) is not built and booted
# again: its results from that run are judged again, and a line says so.
# REUSE_RESULTS=0 builds and boots every variant.
# Under a CI deadline (HARNESS_DEADLINE, lib.sh budget_short), a variant
# that needs more than the time left (the longest variant of this run, or
# BUDGET_VARIANT_SECONDS, 600) is not built: its expectations fail, saying so.
# Usage: negative.sh RESULTS_TSV
RESULTS=${1:?usage: negative.sh RESULTS_TSV}
STEP=negative
. "$(dirname "$0")/lib.sh"

PROFILE=${NEGATIVE_PROFILE:-vhe-fwb}
WT=$BISECT_WT
OBJ=$BUILD_DIR/bisect/obj/arm64
final=$(git -C "$SRC_TREE" rev-parse HEAD)
BOOT_CLEAN="boot:this-run boot:no-panic boot:finished dmesg:clean"

emit() { record negative "$@"; }

# lines TEXT: the non-empty, non-comment lines of TEXT.
lines() { printf '%s\n' "$1" | sed -e 's/^[[:space:]]*//' -e '/^$/d' -e '/^#/d'; }

# The settings a variant file may make; load resets each before reading.
VARIANT_KEYS="VARIANT_DESC REVERT_SUBJECT MUTATE NESTED_MUTATE NESTED_KERNEL BASE_KERNEL CONFIG_FRAGMENT
	VARIANT_CMDLINE EXPECT_FAIL EXPECT_PASS"

# load CONF: the variant's settings, with every optional one reset first.
load() {
	unset $VARIANT_KEYS
	. "$1"
}

# variant_problem CONF: print what is wrong with the variant file CONF
# (nothing if it is sound). A file bash cannot read to its end, or that
# runs a command, sets a key not in VARIANT_KEYS or prints anything, may
# have left expectations unset (an apostrophe in EXPECT_FAIL's single
# quotes ends the value there): it is read first in a bash of its own with
# set -eu, and every line of each setting is then held to its shape. A
# variant that changes the kernel or the nested guest (REVERT_SUBJECT,
# MUTATE, NESTED_MUTATE) must name at least one result that fails.
variant_problem() {
	local out rc l
	out=$(env -i PATH="$PATH" KEYS="$VARIANT_KEYS" bash -c '
		set -eu
		__before=" $(compgen -v | tr "\n" " ") "
		. "$1"
		for __v in $(compgen -v); do
			case "$__before $KEYS __v __before " in *[[:space:]]"$__v"[[:space:]]*) continue ;; esac
			echo "unknown key $__v (a variant sets only:" $KEYS")"
			exit 3
		done' _ "$1" 2>&1 </dev/null)
	rc=$?
	[ $rc = 3 ] && { printf '%s\n' "$out"; return; }
	if [ $rc != 0 ] || [ -n "$out" ]; then
		printf 'bash cannot read it (exit %s): %s\n' "$rc" "$(printf '%s\n' "${out:-no message}" | sed "s|^$1: ||" | tr '\n' ' ' | sed 's/ *$//' | cut -c1-300)"
		return
	fi
	load "$1"
	[ -n "${VARIANT_DESC:-}" ] || { echo "no VARIANT_DESC"; return; }
	case ${BASE_KERNEL:-0} in 0|1) ;; *) echo "BASE_KERNEL is '$BASE_KERNEL', not 0 or 1"; return ;; esac
	case ${NESTED_KERNEL:-} in ''|variant) ;; *) echo "NESTED_KERNEL is '$NESTED_KERNEL', not empty or 'variant'"; return ;; esac
	while read -r l; do
		[[ $l =~ ^[a-z]+:[^[:space:]\'\"]+([[:space:]]|$) ]] ||
			{ echo "EXPECT_FAIL line '$l' is not 'NAME [REASON]' (NAME a result such as vmm:x)"; return; }
	done < <(lines "${EXPECT_FAIL:-}")
	while read -r l; do
		[[ $l =~ ^[a-z]+:[^[:space:]\'\"]+$ ]] ||
			{ echo "EXPECT_PASS line '$l' is not one NAME (a result such as vmm:x, nothing after it)"; return; }
	done < <(lines "${EXPECT_PASS:-}")
	while read -r l; do
		[[ $l =~ ^[^/[:space:]][^[:space:]]*[[:space:]]+[^[:space:]] ]] ||
			{ echo "MUTATE or NESTED_MUTATE line '$l' is not 'FILE SED-EXPRESSION' (FILE relative to the tree)"; return; }
	done < <(lines "${MUTATE:-}"; lines "${NESTED_MUTATE:-}")
	if [ -n "${REVERT_SUBJECT:-}${MUTATE:-}${NESTED_MUTATE:-}" ] && [ -z "$(lines "${EXPECT_FAIL:-}")" ]; then
		echo "a revert or mutation with no EXPECT_FAIL: nothing it breaks is checked"
		return
	fi
	[ -n "$(lines "${EXPECT_FAIL:-}")$(lines "${EXPECT_PASS:-}")" ] || echo "no EXPECT_FAIL and no EXPECT_PASS: it checks nothing"
}

# The base's variants: $NEGATIVE_DIR/variants.list names each, one a
# line ("NAME", "# comments"). A listed variant whose .conf is gone
# fails (negative:NAME:variant-present): a deleted file must not take
# its expectations with it. A .conf the list does not name fails too
# (negative:NAME:variant-listed), and is not run, so the list stays
# complete. Both are decided here, before anything is built. Without a
# list, that fails, and every .conf runs.
VARIANTS_LIST=$NEGATIVE_DIR/variants.list
rel=${NEGATIVE_DIR#"$HARNESS_DIR"/}
present=$(cd "$NEGATIVE_DIR" 2>/dev/null && for f in *.conf; do [ -f "$f" ] && echo "${f%.conf}"; done)
listed=
[ -f "$VARIANTS_LIST" ] && listed=$(lines "$(cat "$VARIANTS_LIST")" | awk '!seen[$1]++ { print $1 }')
missing= unlisted= confs=
for v in $listed; do
	if printf '%s\n' $present | grep -qxF "$v"; then
		confs="$confs $NEGATIVE_DIR/$v.conf"
	else
		missing="$missing $v"
	fi
done
for v in $present; do
	printf '%s\n' $listed | grep -qxF "$v" && continue
	if [ -f "$VARIANTS_LIST" ]; then
		unlisted="$unlisted $v"
	else
		confs="$confs $NEGATIVE_DIR/$v.conf"
	fi
done
# A variant file that does not read strictly (variant_problem) is not
# run: one failure names the file and the problem.
declare -A broken=()
sound=
for conf in $confs; do
	why=$(variant_problem "$conf")
	if [ -n "$why" ]; then
		broken[$(basename "$conf" .conf)]=$why
	else
		sound="$sound $conf"
	fi
done
confs=$sound
plan=$(( $(echo $missing $unlisted | wc -w) + ${#broken[@]} + $([ -f "$VARIANTS_LIST" ] && echo 0 || echo 1) ))
for conf in $confs; do
	load "$conf"
	plan=$((plan + $(lines "${EXPECT_FAIL:-}" | wc -l) + $(lines "${EXPECT_PASS:-}" | wc -l) + $(echo $BOOT_CLEAN | wc -w)))
done
step_begin "$(echo $confs | wc -w) variants in $PROFILE, $plan expectations"
record_plan negative "$plan"
[ -f "$VARIANTS_LIST" ] ||
	emit fail "negative:variants.list" "no $rel/variants.list: the variants that must exist are not named, so a deleted one would vanish"
for v in $missing; do
	emit fail "negative:$v:variant-present" "listed in $rel/variants.list, but $rel/$v.conf is gone: its expectations are not checked"
done
for v in $unlisted; do
	emit fail "negative:$v:variant-listed" "$rel/$v.conf is not named in $rel/variants.list: not run (add it to the list, or remove the file)"
done
for v in $(printf '%s\n' "${!broken[@]}" | sort); do
	emit fail "negative:$v:variant-file" "$rel/$v.conf: ${broken[$v]}: not run, its expectations are not checked"
done
if [ -z "$confs" ]; then
	step_end "no variant to run"
	exit 0
fi

# fail_all VARIANT WHY: every expectation of the loaded variant fails.
fail_all() {
	local name
	while read -r name _; do
		emit fail "negative:$1:$name" "$2"
	done < <(lines "${EXPECT_FAIL:-}"; lines "${EXPECT_PASS:-}"; printf '%s\n' $BOOT_CLEAN)
}

if [ -z "$(git -C "$SRC_TREE" rev-list base..HEAD)" ]; then
	for conf in $confs; do
		load "$conf"
		fail_all "$(basename "$conf" .conf)" "empty series: there is nothing to take away, so nothing is proven"
	done
	step_end "empty series"
	exit 0
fi

initrd=$BUILD_DIR/negative/initramfs.cpio
mkdir -p "$BUILD_DIR/negative"
INITRAMFS=$initrd SELFTESTS_LIST=$NEGATIVE_DIR/selftests.list \
	STEP_LOG=$LOG_DIR/negative-initramfs.log "$HARNESS_DIR/scripts/initramfs.sh" >/dev/null ||
	die "cannot build the variants' initramfs"

# mutate DIR LABEL TEXT: apply each "FILE SED-EXPRESSION" line of TEXT to
# DIR/FILE (LABEL prefixes FILE in messages). A file that is missing, or an
# expression that changes nothing, sets WHY and returns 1.
mutate() {
	local dir=$1 label=$2 file expr
	while read -r file expr; do
		[ -f "$dir/$file" ] || { WHY="mutation target gone: no $label$file"; return 1; }
		cp "$dir/$file" "$BUILD_DIR/negative/before"
		sed -i "$expr" "$dir/$file"
		if cmp -s "$dir/$file" "$BUILD_DIR/negative/before"; then
			WHY="mutation target gone: '$expr' matches nothing in $label$file"
			return 1
		fi
	done < <(lines "$3")
}

# prepare: the worktree and the configuration of $OBJ, the "arm64" row
# of the build matrix, once per run and only when a variant is built (a
# run whose every variant is reused builds nothing). Nothing is taken
# from the static step: its builds may all have been reused, leaving no
# configuration behind (CI once stopped here), or one from an older run.
PREPARED=
prepare() {
	local frags= f
	[ -n "$PREPARED" ] && return 0
	bisect_worktree
	read -r _ _ _ f _ < <(awk '$1 == "arm64"' "$BUILD_MATRIX")
	[ -n "$f" ] || { WHY="no arm64 row in $BUILD_MATRIX"; return 1; }
	for f in ${f//,/ }; do frags="$frags $HARNESS_DIR/config/$f"; done
	git -C "$WT" checkout -q -f --detach "$final" ||
		{ WHY="cannot check out $final in $WT"; return 1; }
	STEP=negative-config STEP_LOG=$LOG_DIR/negative-config.log SRC_TREE=$WT OBJ_DIR=$OBJ \
	KCONFIG_FRAGMENTS="$frags" "$HARNESS_DIR/scripts/config.sh" >/dev/null ||
		{ WHY="config failed: $LOG_DIR/negative-config.log"; return 1; }
	PREPARED=1
}

# build_variant NAME: build the loaded variant's kernel into IMAGE, or set
# WHY and return 1. Runs in this shell (no subshell), so nothing it
# decides can vanish.
build_variant() {
	local c file expr
	IMAGE= WHY=
	if [ "${BASE_KERNEL:-0}" = 1 ]; then
		"$HARNESS_DIR/scripts/base-kernel.sh" >"$LOG_DIR/negative-build-$1.log" 2>&1 ||
			{ WHY="the base kernel does not build: $LOG_DIR/negative-build-$1.log"; return 1; }
		IMAGE=$BUILD_DIR/base/obj/arm64/arch/arm64/boot/Image
		return 0
	fi
	prepare || return 1
	git -C "$WT" checkout -q -f --detach "$final" ||
		{ WHY="cannot check out $final in $WT"; return 1; }
	if [ -n "${REVERT_SUBJECT:-}" ]; then
		c=$(git -C "$WT" log --format='%H%x09%s' base.."$final" |
		    awk -F'\t' -v re="$REVERT_SUBJECT" '$2 ~ re { print $1; exit }')
		[ -n "$c" ] || { WHY="revert target gone: no commit matching '$REVERT_SUBJECT' in the series"; return 1; }
		git -C "$WT" -c user.name=harness -c user.email=harness@invalid revert --no-edit "$c" \
			>>"$STEP_LOG" 2>&1 || { WHY="revert of $c does not apply"; return 1; }
	fi
	mutate "$WT" "" "${MUTATE:-}" || return 1
	local obj=$OBJ
	if [ -n "${CONFIG_FRAGMENT:-}" ]; then
		# A configuration of its own (a debug variant): its own objects.
		obj=$BUILD_DIR/variants/$1
		STEP=negative-config-$1 STEP_LOG=$LOG_DIR/negative-config-$1.log SRC_TREE=$WT OBJ_DIR=$obj \
		KCONFIG_FRAGMENTS="$KCONFIG_FRAGMENTS $HARNESS_DIR/config/$CONFIG_FRAGMENT" \
			"$HARNESS_DIR/scripts/config.sh" >/dev/null ||
			{ WHY="variant config failed: $LOG_DIR/negative-config-$1.log"; return 1; }
		say "$1: building with $CONFIG_FRAGMENT (a full build the first time)"
	fi
	# The nested guest's kernel from the variant: its modules too (the
	# nested test driver is built against them).
	local targets=Image
	[ "${NESTED_KERNEL:-}" = variant ] && targets="Image modules"
	( SRC_TREE=$WT; STEP_LOG=$LOG_DIR/negative-build-$1.log; : >"$STEP_LOG"
	  with_progress "$1" kmake O="$obj" -j"$JOBS" $targets ) ||
		{ WHY="variant does not build: $LOG_DIR/negative-build-$1.log"; return 1; }
	IMAGE=$obj/arch/arm64/boot/Image
	VOBJ=$obj
}

# judge VARIANT: the loaded variant's expectations against its results
# ($tsv, from $console); returns 1 if any was not met.
judge() {
	local v=$1 bad=0 want reason got
	while read -r want reason; do
		got=$(awk -F'\t' -v w="$want" '($3 == w || (w ~ /[:.]$/ && index($3, w) == 1)) && $2 == "fail" { print $3 ": " $4; exit }' "$tsv")
		if [ -z "$got" ]; then
			emit fail "negative:$v:$want" "did not fail: $(awk -F'\t' -v w="$want" '$3 == w || (w ~ /[:.]$/ && index($3, w) == 1) { printf "%s=%s ", $3, $2 }' "$tsv" | cut -c1-200)$(grep -q . "$tsv" || echo "no result; console: $console")"; bad=1
		elif [ -n "$reason" ] && [ "${got#*"$reason"}" = "$got" ]; then
			emit fail "negative:$v:$want" "fails, but not for the stated reason '$reason': $got"; bad=1
		else
			emit pass "negative:$v:$want" "fails as it must: $got"
		fi
	done < <(lines "${EXPECT_FAIL:-}")
	while read -r want; do
		got=$(awk -F'\t' -v w="$want" '$3 == w { print $2 ": " $4; exit }' "$tsv")
		if [ "${got%%:*}" = pass ]; then
			emit pass "negative:$v:$want" "passes as it must"
		else
			emit fail "negative:$v:$want" "must pass here: ${got:-not reported (console: $console)}"; bad=1
		fi
	done < <(lines "${EXPECT_PASS:-}"; printf '%s\n' $BOOT_CLEAN)
	return $bad
}

# variant_key CONF: one hash of everything a variant's results depend on.
variant_key() {
	{
		echo "base=$BASE profile=$PROFILE"
		git -C "$SRC_TREE" rev-parse "HEAD^{tree}" "base^{tree}"
		for v in OUTER_QEMU QEMU EXTRA_CMDLINE QEMU_EXTRA BOOT_TIMEOUT; do echo "$v=${!v:-}"; done
		"$HARNESS_DIR/scripts/qemu.sh" "$(unset OUTER_QEMU; . "$HARNESS_DIR/profiles/$PROFILE.conf"; echo "${OUTER_QEMU:-debian12}")" --version 2>&1 | head -1
		"${KCROSS}gcc" --version | head -1
		sha256sum "$1" $KCONFIG_FRAGMENTS ${CONFIG_FRAGMENT:+"$HARNESS_DIR/config/$CONFIG_FRAGMENT"} "$initrd" \
			"$HARNESS_DIR/profiles/$PROFILE.conf" "$HARNESS_DIR"/scripts/{lib,boot,qemu,parse,negative,base-kernel,config,nested,initramfs,tree}.sh \
			"$HARNESS_DIR"/scripts/ktap.py "$HARNESS_DIR"/tests/guest/init "$HARNESS_DIR"/tests/nested/* | cut -d' ' -f1
	} | sha256sum | cut -c1-32
}

nreused=0
for conf in $confs; do
	v=$(basename "$conf" .conf)
	load "$conf"
	tsv=$BUILD_DIR/negative/$v.tsv
	console=$LOG_DIR/console-negative-$v.log
	key= store=
	if [ "${REUSE_RESULTS:-1}" = 1 ]; then
		key=$(variant_key "$conf")
		store=$CACHE_DIR/results/negative-$key
	fi
	if [ -n "$store" ] && [ -s "$store/results.tsv" ]; then
		cp "$store/results.tsv" "$tsv" && cp "$store/console.log" "$console" || die "cannot copy $store"
		say "$v: reused the results of its run of $(cat "$store/when" 2>/dev/null): every input is unchanged (key $key; REUSE_RESULTS=0 runs it again)"
		nreused=$((nreused + 1))
		# Its judgements stand on reused results: marked so in the side
		# file scripts/summary.sh counts from.
		n0=$(wc -l <"$RESULTS")
		judge "$v"
		tail -n +$((n0 + 1)) "$RESULTS" | awk -F'\t' -v OFS='\t' '$2 != "plan" { print $1, "reused", $3 }' >>"$RESULTS.how" ||
			die "cannot write $RESULTS.how"
		continue
	fi
	# Under a CI deadline: a variant that cannot end in time is not started.
	if [ -n "${vlong:-}" ]; then need=$vlong whence="the longest variant of this run"
	else need=${BUDGET_VARIANT_SECONDS:-600} whence="none built yet in this run: BUDGET_VARIANT_SECONDS"; fi
	if budget_short "$need" "$whence"; then
		fail_all "$v" "variant $v $BUDGET_WHY"
		continue
	fi
	vt0=$(date +%s)
	say "$v: $VARIANT_DESC: building"
	if ! build_variant "$v"; then
		fail_all "$v" "$WHY"
		continue
	fi
	# A mutation of the nested guest's test code (tests/nested/), or a
	# nested guest booting the variant's kernel: its own nested initramfs,
	# and an initramfs of the host carrying it.
	vinitrd=$initrd
	if [ -n "${NESTED_MUTATE:-}" ] || [ "${NESTED_KERNEL:-}" = variant ]; then
		nsrc=$BUILD_DIR/negative/$v-nested-src
		rm -rf "$nsrc" && cp -r "$HARNESS_DIR/tests/nested" "$nsrc"
		nobj=$BUILD_DIR/obj/$KARCH
		[ "${NESTED_KERNEL:-}" = variant ] && nobj=$VOBJ
		WHY=
		if mutate "$nsrc" tests/nested/ "${NESTED_MUTATE:-}"; then
			vinitrd=$BUILD_DIR/negative/$v-initramfs.cpio
			OBJ_DIR=$nobj NESTED_SRC=$nsrc NESTED_DIR=$BUILD_DIR/negative/$v-nested STEP_LOG=$LOG_DIR/negative-nested-$v.log \
				"$HARNESS_DIR/scripts/nested.sh" >/dev/null &&
			NESTED_DIR=$BUILD_DIR/negative/$v-nested INITRAMFS=$vinitrd \
				SELFTESTS_LIST=$NEGATIVE_DIR/selftests.list \
				STEP_LOG=$LOG_DIR/negative-initramfs-$v.log "$HARNESS_DIR/scripts/initramfs.sh" >/dev/null ||
				WHY="the mutated nested guest does not build: $LOG_DIR/negative-nested-$v.log"
		fi
		if [ -n "$WHY" ]; then
			fail_all "$v" "$WHY"
			continue
		fi
	fi
	tsv=$BUILD_DIR/negative/$v.tsv
	console=$LOG_DIR/console-negative-$v.log
	: >"$tsv"
	KERNEL=$IMAGE INITRAMFS=$vinitrd STEP=negative-boot-$v CONSOLE=$console \
		IVSHMEM_FILE=$BUILD_DIR/negative/ivshmem-$v.bin STEP_LOG=$LOG_DIR/negative-boot-$v.log \
		EXTRA_CMDLINE="${EXTRA_CMDLINE:-}${VARIANT_CMDLINE:+ $VARIANT_CMDLINE}" \
		"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" check >/dev/null 2>&1
	"$HARNESS_DIR/scripts/parse.sh" "$console" "$v" "$tsv"
	if judge "$v" && [ -n "$store" ]; then
		mkdir -p "$store.tmp" && cp "$tsv" "$store.tmp/results.tsv" && cp "$console" "$store.tmp/console.log" &&
			date -u '+%Y-%m-%d %H:%M UTC' >"$store.tmp/when" && rm -rf "$store" && mv "$store.tmp" "$store" ||
			warn "cannot keep $v's results in $store"
	fi
	[ $(( $(date +%s) - vt0 )) -le "${vlong:-0}" ] || vlong=$(( $(date +%s) - vt0 ))
done
git -C "$WT" checkout -q -f --detach "$final"
rm -f "$BUILD_DIR"/negative/ivshmem-*.bin
step_end "$(echo $confs | wc -w) variants, $nreused reused"
