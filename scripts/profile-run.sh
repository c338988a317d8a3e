#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "profile": one machine profile of make check: boot (boot.sh), the
# console's results (parse.sh), the backing file checked outside
# (outside-check.sh), then the manifest (manifest-check.sh).
#
# Reuse: when every input of the boot is byte for byte what it was for
# an earlier boot of this profile that had no failure (the kernel Image,
# the initramfs, the profile, the harness code that boots and parses, the
# outer QEMU's version, the settings that reach QEMU or the command line),
# the results of that boot are taken from $CACHE_DIR/results/ instead of
# booting again, and a line says so. A boot with a failure is never kept,
# so a failure is always run again. The manifest check always runs.
# REUSE_RESULTS=0 boots every time.
# Under a CI deadline (HARNESS_DEADLINE, lib.sh budget_short), a boot
# that needs more than the time left (the longest boot of this run, or
# BUDGET_BOOT_SECONDS, 300) is one failure that says so, not a boot.
# Usage: profile-run.sh PROFILE RESULTS_TSV
PROFILE=${1:?usage: profile-run.sh PROFILE RESULTS_TSV}
RESULTS=${2:?usage: profile-run.sh PROFILE RESULTS_TSV}
STEP=profile-$PROFILE
. "$(dirname "$0")/lib.sh"

conf=$HARNESS_DIR/profiles/$PROFILE.conf
[ -f "$conf" ] || die "no machine profile '$PROFILE'"
# A profile the base cannot boot (bases/<base>.conf says why): one skip
# that says so, instead of a boot and a manifest.
if [[ " ${BASE_PROFILES_EXCLUDED:-} " == *" $PROFILE "* ]]; then
	record_plan "$PROFILE" 1
	record "$PROFILE" skip "profile:$PROFILE" "not booted on base $BASE: ${BASE_EXCLUDED_WHY:-see bases/$BASE.conf}"
	exit 0
fi
variant=$(unset KERNEL_VARIANT; . "$conf"; echo "${KERNEL_VARIANT:-}")
outer=$(unset OUTER_QEMU; . "$conf"; echo "${OUTER_QEMU:-debian12}")
kernel=$BUILD_DIR/obj/$KARCH${variant:+-$variant}/arch/arm64/boot/Image
initramfs=$BUILD_DIR/initramfs.cpio
console=$LOG_DIR/console-$PROFILE-check.log
ivshmem=$BUILD_DIR/ivshmem-$PROFILE-check.bin
out=$BUILD_DIR/profile-$PROFILE.tsv

# reuse_key: one hash of everything the boot's results depend on.
reuse_key() {
	{
		echo "base=$BASE profile=$PROFILE"
		for v in OUTER_QEMU QEMU EXTRA_CMDLINE QEMU_EXTRA BOOT_TIMEOUT WITH_VMM; do
			echo "$v=${!v:-}"
		done
		"$HARNESS_DIR/scripts/qemu.sh" "${OUTER_QEMU:-$outer}" --version 2>&1 | head -1
		sha256sum "$kernel" "$initramfs" "$conf" "$HARNESS_DIR"/scripts/{lib,boot,qemu,parse,outside-check}.sh \
			"$HARNESS_DIR"/scripts/ktap.py "$HARNESS_DIR"/tests/guest/init "$HARNESS_DIR"/tests/host/* |
			cut -d' ' -f1
	} | sha256sum | cut -c1-32
}

reused=
if [ "${REUSE_RESULTS:-1}" = 1 ] && [ -f "$kernel" ] && [ -f "$initramfs" ]; then
	key=$(reuse_key)
	store=$CACHE_DIR/results/$key
	if [ -s "$store/results.tsv" ] && [ -s "$store/console.log" ]; then
		cp "$store/console.log" "$console" && cp "$store/results.tsv" "$out" || die "cannot copy $store"
		reused=$(cat "$store/when" 2>/dev/null)
		printf '[%s] reused the results of its boot of %s: every input is unchanged (key %s; REUSE_RESULTS=0 boots again)\n' \
			"$PROFILE" "${reused:-earlier}" "$key"
	fi
fi
if [ -z "$reused" ]; then
	# Under a CI deadline, a boot that cannot end in time is not started.
	need=$(step_seconds_max '(^|-)boot-') whence="the longest boot of this run"
	[ -n "$need" ] || need=${BUDGET_BOOT_SECONDS:-300} whence="no boot yet in this run: BUDGET_BOOT_SECONDS"
	if budget_short "$need" "$whence"; then
		record_plan "$PROFILE" 1
		record "$PROFILE" fail "profile:$PROFILE:boot" "boot of $PROFILE $BUDGET_WHY"
		exit 0
	fi
	: >"$out"
	"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" check || true
	"$HARNESS_DIR/scripts/parse.sh" "$console" "$PROFILE" "$out"
	"$HARNESS_DIR/scripts/outside-check.sh" "$PROFILE" "$ivshmem" "$out" "$console"
	if [ "${REUSE_RESULTS:-1}" = 1 ] && [ -n "${key:-}" ] && [ -s "$out" ] &&
	   ! awk -F'\t' '$2 == "fail" { f = 1 } END { exit !f }' "$out"; then
		mkdir -p "$store.tmp" && cp "$console" "$store.tmp/console.log" && cp "$out" "$store.tmp/results.tsv" &&
			date -u '+%Y-%m-%d %H:%M UTC' >"$store.tmp/when" && rm -rf "$store" && mv "$store.tmp" "$store" ||
			warn "cannot keep the results in $store (the next run boots again)"
	fi
fi
cat "$out" >>"$RESULTS" || die "cannot write $RESULTS"
[ -z "$reused" ] || echo "$PROFILE: reused, boot of $reused" >>"$RESULTS.reused"
"$HARNESS_DIR/scripts/manifest-check.sh" "$PROFILE" "$RESULTS"
