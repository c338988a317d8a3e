#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "negative": prove the series' tests can fail. For every variant in
# tests/negative/*.conf (a patch of the series reverted, or a one-line
# mutation), rebuild the kernel in the bisect worktree, boot it in
# $NEGATIVE_PROFILE and require each test named in EXPECT_FAIL to fail
# (with EXPECT_REASON in its reason, when set) and each test named in
# EXPECT_PASS to pass. BASE_KERNEL=1 boots the unpatched base kernel
# (scripts/base-kernel.sh) instead: a control, not a mutant.
# A variant whose patch or line is not in the series is a skip.
# Usage: negative.sh RESULTS_TSV
RESULTS=${1:?usage: negative.sh RESULTS_TSV}
STEP=negative
. "$(dirname "$0")/lib.sh"

PROFILE=${NEGATIVE_PROFILE:-vhe-fwb}
WT=$BUILD_DIR/bisect/linux
OBJ=$BUILD_DIR/bisect/obj/arm64
final=$(git -C "$SRC_TREE" rev-parse HEAD)

emit() { record negative "$@"; }

step_begin "$(ls "$HARNESS_DIR"/tests/negative/*.conf | wc -l) variants in $PROFILE"
if [ -z "$(git -C "$SRC_TREE" rev-list base..HEAD)" ]; then
	for conf in "$HARNESS_DIR"/tests/negative/*.conf; do
		emit skip "negative:$(basename "$conf" .conf)" "empty series: nothing to take away"
	done
	step_end "empty series"
	exit 0
fi
[ -e "$WT/.git" ] && [ -f "$OBJ/.config" ] ||
	die "no bisect worktree/build: the static step must run first"

initrd=$BUILD_DIR/negative/initramfs.cpio
mkdir -p "$BUILD_DIR/negative"
INITRAMFS=$initrd SELFTESTS_LIST=$HARNESS_DIR/tests/negative/selftests.list \
	STEP_LOG=$LOG_DIR/negative-initramfs.log "$HARNESS_DIR/scripts/initramfs.sh" >/dev/null ||
	die "cannot build the variants' initramfs"

# build_variant NAME: build the variant's kernel; prints its Image.
build_variant() {
	if [ "${BASE_KERNEL:-0}" = 1 ]; then
		"$HARNESS_DIR/scripts/base-kernel.sh" >"$LOG_DIR/negative-build-$1.log" 2>&1 ||
			{ emit fail "negative:$1" "the base kernel does not build: $LOG_DIR/negative-build-$1.log" >&2; return 1; }
		echo "$BUILD_DIR/base/obj/arm64/arch/arm64/boot/Image"
		return 0
	fi
	git -C "$WT" checkout -q -f --detach "$final" || die "cannot check out $final in $WT"
	if [ -n "${REVERT_SUBJECT:-}" ]; then
		c=$(git -C "$WT" log --format='%H%x09%s' base.."$final" |
		    awk -F'\t' -v re="$REVERT_SUBJECT" '$2 ~ re { print $1; exit }')
		if [ -z "$c" ]; then
			emit skip "negative:$1" "no commit matching '$REVERT_SUBJECT' in the series" >&2
			return 1
		fi
		git -C "$WT" -c user.name=harness -c user.email=harness@invalid revert --no-edit "$c" \
			>>"$STEP_LOG" 2>&1 || { emit fail "negative:$1" "revert of $c does not apply" >&2; return 1; }
	fi
	if [ -n "${MUTATE_FILE:-}" ]; then
		sed -i "$MUTATE_SED" "$WT/$MUTATE_FILE"
		if git -C "$WT" diff --quiet; then
			emit skip "negative:$1" "mutation '$MUTATE_SED' matches nothing in $MUTATE_FILE" >&2
			return 1
		fi
	fi
	( SRC_TREE=$WT; kmake O="$OBJ" -j"$JOBS" Image ) >"$LOG_DIR/negative-build-$1.log" 2>&1 ||
		{ emit fail "negative:$1" "variant does not build: $LOG_DIR/negative-build-$1.log" >&2; return 1; }
	echo "$OBJ/arch/arm64/boot/Image"
}

for conf in "$HARNESS_DIR"/tests/negative/*.conf; do
	v=$(basename "$conf" .conf)
	unset REVERT_SUBJECT MUTATE_FILE MUTATE_SED BASE_KERNEL EXPECT_REASON EXPECT_PASS
	. "$conf"
	say "$v: $VARIANT_DESC: building"
	image=$(build_variant "$v") || continue
	tsv=$BUILD_DIR/negative/$v.tsv
	: >"$tsv"
	KERNEL=$image INITRAMFS=$initrd STEP=negative-boot-$v \
		CONSOLE=$LOG_DIR/console-negative-$v.log IVSHMEM_FILE=$BUILD_DIR/negative/ivshmem-$v.bin \
		"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" check >/dev/null 2>&1
	"$HARNESS_DIR/scripts/parse.sh" "$LOG_DIR/console-negative-$v.log" "$v" "$tsv"
	for want in $EXPECT_FAIL; do
		got=$(awk -F'\t' -v w="$want" 'index($3, w) == 1 && $2 == "fail" { print $3 ": " $4; exit }' "$tsv")
		if [ -z "$got" ]; then
			emit fail "negative:$v:$want" "did not fail: $(awk -F'\t' -v w="$want" 'index($3, w) == 1 { printf "%s=%s ", $3, $2 }' "$tsv")"
		elif [ -n "${EXPECT_REASON:-}" ] && [ "${got#*"$EXPECT_REASON"}" = "$got" ]; then
			emit fail "negative:$v:$want" "fails, but not with '$EXPECT_REASON': $got"
		else
			emit pass "negative:$v:$want" "fails as it must: $got"
		fi
	done
	for want in ${EXPECT_PASS:-}; do
		got=$(awk -F'\t' -v w="$want" '$3 == w { print $2 ": " $4; exit }' "$tsv")
		if [ "${got%%:*}" = pass ]; then
			emit pass "negative:$v:$want" "passes as it must"
		else
			emit fail "negative:$v:$want" "must pass here: ${got:-not reported}"
		fi
	done
done
git -C "$WT" checkout -q -f --detach "$final"
rm -f "$BUILD_DIR"/negative/ivshmem-*.bin
step_end
