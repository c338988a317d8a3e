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
# A profile the base is known to fail for an upstream cause
# (bases/<base>.conf: BASE_KNOWN_FAIL_PROFILES, and for each the console
# lines that name the failure, BASE_KNOWN_FAIL_<profile>, one fixed
# string a line, and BASE_KNOWN_FAIL_WHY_<profile>). It is booted every
# run, never excluded by configuration alone:
#  - every named line is on the console: one pass that says the known
#    failure is still there, with the lines as evidence; its manifest,
#    whose results cannot exist before /init, does not apply;
#  - not all of them are: the cause is gone, or another failure stands in
#    its place. The profile is then judged by its manifest like any other
#    profile (so the exclusion ends by itself), and a line says so.
# Such a boot is never reused: it must show its failure each time.
known_fail=
if [ -n "${BASE_PROFILES_EXCLUDED:-}" ]; then
	record_plan "$PROFILE" 1
	record "$PROFILE" fail "profile:known-failure" \
		"bases/$BASE.conf sets BASE_PROFILES_EXCLUDED, which is no longer read (a profile is never left out by configuration alone): name the failure in BASE_KNOWN_FAIL_PROFILES (scripts/profile-run.sh)"
	exit 0
fi
if [[ " ${BASE_KNOWN_FAIL_PROFILES:-} " == *" $PROFILE "* ]]; then
	v=BASE_KNOWN_FAIL_${PROFILE//-/_}
	known_fail=${!v:-}
	v=BASE_KNOWN_FAIL_WHY_${PROFILE//-/_}
	known_why=${!v:-}
	[ -n "$known_fail" ] && [ -n "$known_why" ] ||
		{ record_plan "$PROFILE" 1
		  record "$PROFILE" fail "profile:known-failure" \
			"bases/$BASE.conf names $PROFILE in BASE_KNOWN_FAIL_PROFILES without BASE_KNOWN_FAIL_${PROFILE//-/_} (the console lines) and BASE_KNOWN_FAIL_WHY_${PROFILE//-/_}"
		  exit 0; }
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

reused= booted=
if [ -n "$known_fail" ]; then
	: >"$out"
	"$HARNESS_DIR/scripts/boot.sh" "$PROFILE" check || true
	seen= missing=
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if grep -qF -- "$line" "$console" 2>/dev/null; then
			l=$(grep -m1 -F -- "$line" "$console" | tr -d '\r' | sed 's/^\[ *[0-9.]*\] //' | cut -c1-120)
			[[ "$seen" == *"$l"* ]] || seen="${seen:+$seen; }$l"
		else
			missing="${missing:+$missing; }$line"
		fi
	done <<<"$known_fail"
	if [ -z "$missing" ]; then
		record_plan "$PROFILE" 1
		record "$PROFILE" pass "profile:known-failure" "$known_why; seen on this boot's console: $seen"
		exit 0
	fi
	say "the known failure of $PROFILE on base $BASE is not on the console (missing: $missing):" \
		"judged by its manifest; if it passes, remove $PROFILE from BASE_KNOWN_FAIL_PROFILES in bases/$BASE.conf"
	booted=1
elif [ "${REUSE_RESULTS:-1}" = 1 ] && [ -f "$kernel" ] && [ -f "$initramfs" ]; then
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
	if [ -z "$booted" ]; then
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
	fi
	# A checker that stops is a failed result (profile:NAME), in $out so
	# that such a boot is never kept for reuse.
	"$HARNESS_DIR/scripts/parse.sh" "$console" "$PROFILE" "$out" ||
		printf '%s\tfail\tprofile:parse\tscripts/parse.sh stopped (exit %s) on %s: its results are not all there\n' \
			"$PROFILE" $? "$console" >>"$out" || die "cannot write $out"
	"$HARNESS_DIR/scripts/outside-check.sh" "$PROFILE" "$ivshmem" "$out" "$console" ||
		printf '%s\tfail\tprofile:outside-check\tscripts/outside-check.sh stopped (exit %s) on %s: its results are not all there\n' \
			"$PROFILE" $? "$ivshmem" >>"$out" || die "cannot write $out"
	if [ "${REUSE_RESULTS:-1}" = 1 ] && [ -n "${key:-}" ] && [ -s "$out" ] &&
	   ! awk -F'\t' '$2 == "fail" { f = 1 } END { exit !f }' "$out"; then
		mkdir -p "$store.tmp" && cp "$console" "$store.tmp/console.log" && cp "$out" "$store.tmp/results.tsv" &&
			date -u '+%Y-%m-%d %H:%M UTC' >"$store.tmp/when" && rm -rf "$store" && mv "$store.tmp" "$store" ||
			warn "cannot keep the results in $store (the next run boots again)"
	fi
fi
cat "$out" >>"$RESULTS" || die "cannot write $RESULTS"
[ -z "$reused" ] || echo "$PROFILE: reused, boot of $reused" >>"$RESULTS.reused"
# Each reused result, by name, in the side file scripts/summary.sh counts
# them from ("GROUP<TAB>reused<TAB>NAME"): a reused result is never
# counted as run.
[ -z "$reused" ] || awk -F'\t' -v OFS='\t' '$2 != "plan" { print $1, "reused", $3 }' "$out" >>"$RESULTS.how" ||
	die "cannot write $RESULTS.how"
"$HARNESS_DIR/scripts/manifest-check.sh" "$PROFILE" "$RESULTS"
