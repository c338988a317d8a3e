#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "harness-selftests": break things on purpose and check that the
# harness says so clearly and quickly, instead of hanging or building
# something else:
#  - the console parser on a known console (tests/harness/);
#  - a patch that does not apply: named, with its failing file;
#  - the series onto a newer base with git am -3: merged from the
#    pre-image blobs the series carries; without them, named;
#  - a missing package: named;
#  - the base: not served any more (fallback or refusal, both versions
#    named), a wrong checksum, a newest base that rejects the series;
#  - a package missing from config/packages, in a fresh Debian 12 root;
#  - a kernel that panics at boot (rdinit= pointing nowhere);
#  - a QEMU that never finishes: killed at the timeout, tail printed;
#  - a profile a base is known to fail: the named failure seen (one pass),
#    gone (the manifest applies), unnamed or the old exclusion (a failure);
#  - the nested guest's results, read by every line and plan (a later
#    "not ok" of the same name, a KTAP document short of its plan);
#  - dmesg:clean with no dump, an empty or wrapped dump, a WARNING
#    outside the dump: each a failure naming why;
#  - make's architectural line, on a console whose probes passed over a
#    write-back dump: it says "Normal", never "Normal-NC";
#  - a base with fewer results than its plans and manifest add up to (the
#    summary's run/reused/inferred counts);
#  - in the nested-VMM scenario, a nested guest that hangs (killed at the
#    scenario's timeout) and a device the VMM cannot open (QEMU's error);
#  - the step-time table (scripts/step-times.sh) and its records; CI's
#    time budget: .ci/run stopped at its deadline says where and counts
#    it, and a boot, a base or a variant past it is not started.
# Usage: harness-selftests.sh RESULTS_TSV
RESULTS=${1:?usage: harness-selftests.sh RESULTS_TSV}
STEP=harness-selftests
. "$(dirname "$0")/lib.sh"

T=$HARNESS_DIR/tests/harness
W=$BUILD_DIR/harness-selftests
rm -rf "$W" && mkdir -p "$W"

n=0
# expect NAME PATTERN EXPECTED-RC CMD...: run CMD (output in $W/NAME.out);
# pass when it exits with EXPECTED-RC (or any non-zero for "fail") and its
# output matches PATTERN (grep -E).
expect() {
	local name=$1 pat=$2 want=$3 rc st reason=; shift 3
	n=$((n + 1))
	"$@" >"$W/$name.out" 2>&1 </dev/null
	rc=$?
	if [ "$want" = fail ] && [ $rc = 0 ]; then
		st=fail reason="expected a failure, got exit 0"
	elif [ "$want" != fail ] && [ $rc != "$want" ]; then
		st=fail reason="exit $rc, expected $want"
	elif ! grep -qE "$pat" "$W/$name.out"; then
		st=fail reason="output lacks /$pat/"
	else
		st=pass reason="$(grep -m1 -E "$pat" "$W/$name.out" | sed 's/^[[:space:]]*//' | cut -c1-150)"
	fi
	[ $st = fail ] && { echo "--- $W/$name.out"; tail -5 "$W/$name.out"; } >>"$STEP_LOG"
	record harness $st "harness:$name" "$reason"
}

step_begin "parser, failure paths, nested-VMM failures"
# The steps the tests run are not this run's steps (not in its step-time
# table), and not under its CI deadline: their results must not depend on it.
export STEP_TIMES_FILE=$W/step-times.raw
unset HARNESS_DEADLINE
# The plan: one result per expect call below, whether it runs or skips.
record_plan harness "$(grep -c '^[[:space:]]*expect [a-z]' "$0")"

# skip_expect NAME REASON: an expect that cannot run here, said so.
skip_expect() {
	n=$((n + 1))
	record harness skip "harness:$1" "$2"
}

# The parser, on a console with every kind of line it must tell apart.
expect parser '^ok$' 0 bash -c "
	'$HARNESS_DIR/scripts/parse.sh' '$T/console-sample.log' sample '$W/sample.tsv' &&
	diff -u '$T/expected-sample.tsv' '$W/sample.tsv' && echo ok"

# KUnit's own verdict, per suite and per case (scripts/ktap.py), on a
# crafted console (tests/harness/console-kunit.log): a suite with a failed
# case, a suite KUnit failed while its cases passed (its init), and a
# suite KUnit skipped. None of them may pass.
expect kunit-suite-failed 'fail	kunit:failed_suite	KUnit failed the suite: plan 1\.\.2, 2 cases reported: 1 passed, 1 failed' 0 bash -c "
	'$HARNESS_DIR/scripts/parse.sh' '$T/console-kunit.log' kunit '$W/kunit.tsv'; grep kunit: '$W/kunit.tsv'"
expect kunit-suite-failed-cases-passed 'fail	kunit:init_failed_suite	KUnit failed the suite \(init_failed_suite: failed to initialise\)' 0 \
	cat "$W/kunit.tsv"
expect kunit-suite-skipped 'skip	kunit:skipped_suite	KUnit skipped the suite: FEAT_S2FWB not present' 0 \
	cat "$W/kunit.tsv"

# /init's reading of a selftest's TAP (run_selftest, taken from
# tests/guest/init and run by the host's sh on a sample output): each
# sub-test under its own name, kselftest's "ok N # SKIP NAME" included,
# with the skip's print_skip() reason and a failure's TEST_ASSERT report.
expect init-selftest-tap '^ok$' 0 bash -c "
	'$T/selftest-tap.sh' '$HARNESS_DIR/tests/guest/init' '$T/selftest-tap-sample.txt' '$W' >'$W/tap.got' &&
	diff -u '$T/selftest-tap-expected.txt' '$W/tap.got' && echo ok"

# /init's reading of the nested guest's results (nested_data_results,
# taken from tests/guest/init and run by the host's sh on a crafted nested
# console, tests/harness/console-nested-ktap.txt): a name reported twice,
# the later line "not ok", fails naming both lines; a KTAP document that
# reports fewer results than its plan fails its results, naming it.
expect nested-duplicate-not-ok '^fail vmm:bar2_wc_readback reported 2 times by the nested guest \(nested console line 7: ok; line 9: not ok # word 7' 0 \
	"$T/nested-ktap.sh" "$HARNESS_DIR/tests/guest/init" "$T/console-nested-ktap.txt" "$W"
expect nested-plan-mismatch '^fail vmm:user_resource2 its KTAP document \(nested console line 10\) has plan 1\.\.3, 2 results' 0 \
	"$T/nested-ktap.sh" "$HARNESS_DIR/tests/guest/init" "$T/console-nested-ktap.txt" "$W"

# The soak's outside check (scripts/soak-file-check.py), on a 1 MiB file
# written here: the guest's last stores, then one store lost (an older
# value in word 5), then one stray word outside the page.
python3 -c '
import struct, sys
off, words, last = 0x80000, 512, 100000
v = [0] * (1 << 17)
for w in range(words):
    v[off // 8 + w] = last - (last - w) % words
open(sys.argv[1], "wb").write(struct.pack("<%dQ" % len(v), *v))
v[off // 8 + 5] -= words
open(sys.argv[2], "wb").write(struct.pack("<%dQ" % len(v), *v))
v[off // 8 + 5] += words
v[7] = 1
open(sys.argv[3], "wb").write(struct.pack("<%dQ" % len(v), *v))
' "$W/soak-good.bin" "$W/soak-lost.bin" "$W/soak-stray.bin"
expect soak-file-good '^512 words as last stored' 0 \
	"$HARNESS_DIR/scripts/soak-file-check.py" "$W/soak-good.bin" offset=0x80000 words=512 last=100000
expect soak-file-lost-store "word 5 holds 0x18405, the guest's last store there was 0x18605" fail \
	"$HARNESS_DIR/scripts/soak-file-check.py" "$W/soak-lost.bin" offset=0x80000 words=512 last=100000
expect soak-file-stray '1 non-zero words outside the soak' fail \
	"$HARNESS_DIR/scripts/soak-file-check.py" "$W/soak-stray.bin" offset=0x80000 words=512 last=100000
rm -f "$W"/soak-*.bin

# A broken patch, applied with git am in a tiny sparse worktree.
wt=$W/am-tree
git -C "$SRC_TREE" worktree prune
git -C "$SRC_TREE" worktree add -q -f --no-checkout --detach "$wt" base >>"$STEP_LOG" 2>&1 &&
	git -C "$wt" sparse-checkout set --no-cone /Makefile /README >>"$STEP_LOG" 2>&1 &&
	git -C "$wt" checkout -q --detach base >>"$STEP_LOG" 2>&1
git -C "$SRC_TREE" branch -D harness-selftest >/dev/null 2>&1
expect broken-patch 'patch 2 \(0002-broken.patch\) does not apply.*failing file\(s\): Makefile' fail \
	env SRC_TREE="$wt" PATCHES_DIR="$T" STEP=tree STEP_LOG="$W/tree.log" TREE_BRANCH=harness-selftest \
	"$HARNESS_DIR/scripts/tree.sh"
git -C "$SRC_TREE" worktree remove -f "$wt" >/dev/null 2>&1
git -C "$SRC_TREE" branch -D harness-selftest >/dev/null 2>&1

# The fallback onto a newer base (its recorded version not served): git am
# -3 merges a patch whose context changed there, from the pre-image blobs
# scripts/series.sh packs with the series (preimages.pack); without them
# it cannot, and the failure names the file. Tiny trees of their own: a
# developer tree (base: seven lines; the patch: "four" -> "FOUR") and two
# "newer bases" made from scratch, like a newer tarball, where "two" is
# "TWO", inside the patch's context.
a3=$W/am3
rm -rf "$a3" && mkdir -p "$a3/b" "$a3/series"
mini() {	# mini DIR: a new repository whose one commit (tag base) is f
	git init -q -b dev "$1" && git -C "$1" add f &&
	git -C "$1" -c user.name=h -c user.email=h@invalid commit -q -m base && git -C "$1" tag base
}
mkdir -p "$a3/dev" && printf '%s\n' one two three four five six seven >"$a3/dev/f" && mini "$a3/dev" &&
	sed -i 's/^four$/FOUR/' "$a3/dev/f" &&
	git -C "$a3/dev" -c user.name=h -c user.email=h@invalid commit -q -am "harness: four in capitals" &&
	DEV_TREE="$a3/dev" PATCHES_DIR="$a3/series" STEP_LOG="$a3/series.log" "$HARNESS_DIR/scripts/series.sh" >/dev/null 2>&1
for t in newer newer-nopack; do
	mkdir -p "$a3/$t" && printf '%s\n' one TWO three four five six seven >"$a3/$t/f" && mini "$a3/$t"
done >/dev/null 2>&1
cp -r "$a3/series" "$a3/series-nopack" && rm -f "$a3/series-nopack/preimages.pack"
echo "linux-source-6.1 6.1.999-9" >"$a3/b/base-version"	# not the recorded one: git am -3
expect am3-fallback-merges '^one TWO three FOUR five six seven $' 0 bash -c "
	SRC_TREE='$a3/newer' BUILD_DIR='$a3/b' PATCHES_DIR='$a3/series' STEP=tree STEP_LOG='$a3/tree1.log' \
		'$HARNESS_DIR/scripts/tree.sh' && echo && tr '\n' ' ' <'$a3/newer/f'"
expect am3-fallback-needs-preimages 'patch 1 \(0001-[^)]*\) does not apply.*failing file\(s\): f' fail \
	env SRC_TREE="$a3/newer-nopack" BUILD_DIR="$a3/b" PATCHES_DIR="$a3/series-nopack" STEP=tree STEP_LOG="$a3/tree2.log" \
	"$HARNESS_DIR/scripts/tree.sh"

# A missing package: named, whether only checking or installing.
printf 'kvmnc-no-such-tool kvmnc-no-such-package\n' >"$W/packages"
expect missing-package-check "missing Debian package\(s\): kvmnc-no-such-package" fail \
	env NO_INSTALL=1 PACKAGES_LIST="$W/packages" STEP_LOG="$W/deps1.log" "$HARNESS_DIR/scripts/deps.sh"
if [ "$(id -u)" != 0 ]; then
	skip_expect missing-package-install "needs root (apt-get)"
else
	expect missing-package-install "package 'kvmnc-no-such-package' is not available" fail \
		env PACKAGES_LIST="$W/packages" STEP_LOG="$W/deps2.log" "$HARNESS_DIR/scripts/deps.sh"
fi

# The base: the recorded version no longer served (fallback to the
# newest, both versions named; or a stop with BASE_MISMATCH=refuse), a
# wrong checksum (a stop naming both sums), and a newest base that does
# not take the series (the result names the patch and the file).
expect base-not-served "records linux-source-6.1 6\.1\.999-9, which Debian's registry no longer serves \(newest: [^)]*\); building [^ ]+ instead" 0 \
	env EXPECT_BASE_VERSION=6.1.999-9 BASE_MISMATCH=fallback STEP_LOG="$W/base1.log" "$HARNESS_DIR/scripts/base-fetch.sh"
expect base-not-served-refuse "no longer serves .*BASE_MISMATCH=refuse: stopping" fail \
	env EXPECT_BASE_VERSION=6.1.999-9 BASE_MISMATCH=refuse STEP_LOG="$W/base2.log" "$HARNESS_DIR/scripts/base-fetch.sh"
expect base-checksum "checksum mismatch for linux-source-6.1 .*: the registry's tarball has sha256 [0-9a-f]{64}, bases/6.1.conf records 0{64}" fail \
	env EXPECT_BASE_SHA256=$(printf '0%.0s' $(seq 64)) STEP_LOG="$W/base3.log" "$HARNESS_DIR/scripts/base-fetch.sh"
expect base-newest-rejects-series "fail base:series-applies-to-newest .*patch 2 \(0002-broken.patch\) does not apply.*failing file\(s\): Makefile" 0 \
	env PATCHES_DIR="$T" SKIP_BUILT_VERSION=1 BUILD_DIR="$W/newest" STEP_LOG="$W/newest.log" \
	"$HARNESS_DIR/scripts/base-newest.sh" /dev/null

# A package left out of config/packages: in a fresh Debian 12 root (what
# CI runs make check in), installing a list without rsync and then doing
# what the kernel step does (headers_install) fails, naming rsync; the
# same list with rsync works. The list is the real one's lines for the
# tools headers_install uses, so a change there shows here.
if [ "$(id -u)" != 0 ]; then
	skip_expect fresh-root-missing-package "needs root (mount, chroot)"
	skip_expect fresh-root-package-listed "needs root (mount, chroot)"
else
	root=$W/root
	if ! STEP_LOG=$W/fresh-root.log "$HARNESS_DIR/scripts/fresh-root.sh" "$root" >"$W/fresh-root.out" 2>&1; then
		echo "cannot make a fresh root: $(tail -1 "$W/fresh-root.out")" >"$W/no-root"
	fi
	grep -E '^(make|gcc|/usr/include/stdio.h|bc|flex|bison|rsync) ' "$HARNESS_DIR/config/packages" >"$W/pk-with"
	grep -v '^rsync ' "$W/pk-with" >"$W/pk-without"
	hdr="make -s -C '$SRC_TREE' O=/tmp/hdr ARCH=arm64 headers_install INSTALL_HDR_PATH=/tmp/hdr/usr"
	expect fresh-root-missing-package "rsync: not found" fail \
		"$HARNESS_DIR/scripts/in-root.sh" "$root" \
		"PACKAGES_LIST='$W/pk-without' STEP_LOG=/tmp/deps.log scripts/deps.sh && $hdr"
	expect fresh-root-package-listed "^headers ok" 0 \
		"$HARNESS_DIR/scripts/in-root.sh" "$root" \
		"PACKAGES_LIST='$W/pk-with' STEP_LOG=/tmp/deps.log scripts/deps.sh && $hdr && echo headers ok"
	rm -rf "$root"
fi

# A kernel that panics at boot: no /init to run and no root device.
expect panic-at-boot 'fail	boot:no-panic	Kernel panic' 0 bash -c "
	EXTRA_CMDLINE='rdinit=/harness-no-such-init' BOOT_TIMEOUT=180 STEP_LOG='$W/boot-panic.log' \
	CONSOLE='$W/console-panic.log' IVSHMEM_FILE='$W/ivshmem-panic.bin' \
	'$HARNESS_DIR/scripts/boot.sh' vhe-fwb panic >/dev/null;
	'$HARNESS_DIR/scripts/parse.sh' '$W/console-panic.log' vhe-fwb /dev/stdout"

# A guest that never finishes: QEMU is killed and the console tail shown.
expect qemu-hang 'did not finish within 20s' fail \
	env BOOT_TIMEOUT=20 STEP_LOG="$W/boot-hang.log" CONSOLE="$W/console-hang.log" \
	IVSHMEM_FILE="$W/ivshmem-hang.bin" "$HARNESS_DIR/scripts/boot.sh" vhe-fwb hang

# A profile a base is known to fail (BASE_KNOWN_FAIL_PROFILES): booted
# every run, with a stand-in QEMU that prints a given console. The named
# failure on the console: one pass that shows it. Not on the console (the
# cause is gone, or another failure): the profile's manifest applies and
# fails on what is missing. A conf that names the profile without its
# lines, or still sets the old BASE_PROFILES_EXCLUDED: one failure that
# says so.
: >"$W/kf-Image" && : >"$W/kf-initramfs"
kf_run() {	# kf_run NAME CONSOLE [conf line...]: profile-run.sh pkvm on a base "kf"
	local name=$1 console=$2; shift 2
	{ grep -E '^BASE_(PACKAGE|VERSION|SHA256|SERIES|SERIES_VERSION|FRAGMENTS|SELFTESTS|MANIFEST|NEGATIVE|MATRIX)=' \
		"$HARNESS_DIR/bases/6.12.conf"
	  printf '%s\n' "$@"; } >"$W/kf-$name.conf"
	rm -rf "$W/kf-$name" && : >"$W/kf-$name.tsv"
	BASE=kf BASE_FILE="$W/kf-$name.conf" BUILD_DIR="$W/kf-$name" QEMU="$T/fake-qemu" FAKE_CONSOLE="$console" \
		KERNEL="$W/kf-Image" INITRAMFS="$W/kf-initramfs" REUSE_RESULTS=0 \
		"$HARNESS_DIR/scripts/profile-run.sh" pkvm "$W/kf-$name.tsv" >/dev/null 2>&1
	cat "$W/kf-$name.tsv"
}
kf_lines=(BASE_KNOWN_FAIL_PROFILES=pkvm 'BASE_KNOWN_FAIL_pkvm="nVHE hyp panic at:
__kvm_nvhe_handle_trap+0x54/
ESR:0000000096000007"' 'BASE_KNOWN_FAIL_WHY_pkvm="a known failure"')
expect known-failure-seen 'pass	profile:known-failure	a known failure; seen on this boot.s console: kvm \[1\]: nVHE hyp panic at: \[<[0-9a-f]+>\] __kvm_nvhe_handle_trap\+0x54/0x[0-9a-f]+!; .*ESR:0000000096000007' 0 \
	kf_run seen "$T/console-pkvm-known-failure.log" "${kf_lines[@]}"
expect known-failure-gone 'fail	manifest:boot:kvm-mode	missing' 0 kf_run gone "$T/console-sample.log" "${kf_lines[@]}"
expect known-failure-unnamed 'fail	profile:known-failure	bases/kf.conf names pkvm in BASE_KNOWN_FAIL_PROFILES without BASE_KNOWN_FAIL_pkvm' 0 \
	kf_run unnamed "$T/console-pkvm-known-failure.log" BASE_KNOWN_FAIL_PROFILES=pkvm
expect known-failure-old-exclusion 'fail	profile:known-failure	bases/kf.conf sets BASE_PROFILES_EXCLUDED, which is no longer read' 0 \
	kf_run old "$T/console-pkvm-known-failure.log" BASE_PROFILES_EXCLUDED=pkvm 'BASE_EXCLUDED_WHY="x"'

# The nested-VMM scenario: a nested guest that never gets ready, and a VMM
# that cannot start (a device address that does not exist).
expect vmm-hang 'fail	vmm:nested-guest	nested guest not ready after 10s \(TIMEOUT\)' 0 bash -c "
	EXTRA_CMDLINE='harness_nested_hang=1 harness_vmm_timeout=10' BOOT_TIMEOUT=300 \
	STEP_LOG='$W/boot-vmm-hang.log' CONSOLE='$W/console-vmm-hang.log' IVSHMEM_FILE='$W/ivshmem-vmm.bin' \
	'$HARNESS_DIR/scripts/boot.sh' vhe-fwb show >/dev/null;
	'$HARNESS_DIR/scripts/parse.sh' '$W/console-vmm-hang.log' vhe-fwb /dev/stdout"
expect vmm-bad-device 'fail	vmm:nested-guest	QEMU exited early: .*0000:7f:1f.7' 0 bash -c "
	EXTRA_CMDLINE='harness_vmm_bad_bdf=1' BOOT_TIMEOUT=300 \
	STEP_LOG='$W/boot-vmm-bad.log' CONSOLE='$W/console-vmm-bad.log' IVSHMEM_FILE='$W/ivshmem-vmm.bin' \
	'$HARNESS_DIR/scripts/boot.sh' vhe-fwb show >/dev/null;
	'$HARNESS_DIR/scripts/parse.sh' '$W/console-vmm-bad.log' vhe-fwb /dev/stdout"
# --- Results that must not vanish (a missing result is a failure) ---------
# A result missing from a profile: the manifest check names it.
grep -v '	kunit:kvm_arm64_stage2_memattr\.' "$T/manifest-results.tsv" >"$W/manifest-short.tsv"
expect manifest-missing-result 'manifest:kunit:kvm_arm64_stage2_memattr\.[a-z_]+: missing \(expected pass\): no KTAP' 0 \
	env STEP_LOG="$W/manifest.log" "$HARNESS_DIR/scripts/manifest-check.sh" vhe-fwb "$W/manifest-short.tsv"
# A proof turned into a skip: the manifest check names it.
sed 's/	pass	vmm:stage2-bar2-normal-nc	/	skip	vmm:stage2-bar2-normal-nc	/' "$T/manifest-results.tsv" >"$W/manifest-skip.tsv"
expect manifest-skip-hides-proof 'manifest:vmm:stage2-bar2-normal-nc: expected pass, got skip' 0 \
	env STEP_LOG="$W/manifest.log" "$HARNESS_DIR/scripts/manifest-check.sh" vhe-fwb "$W/manifest-skip.tsv"
# A manifest check that cannot run: a base whose bases/<base>.conf names no
# manifest. The check records a failure naming it, and the summary fails.
grep -v '^BASE_MANIFEST=' "$HARNESS_DIR/bases/6.1.conf" >"$W/base-no-manifest.conf"
cp "$T/manifest-results.tsv" "$W/manifest-none.tsv"
expect manifest-base-names-none 'FAIL vhe-fwb/manifest:check: base 6\.1 names no manifest: [^ ]*/base-no-manifest\.conf sets no BASE_MANIFEST.* [0-9]+ passed, 1 failed, [0-9]+ skipped $' fail bash -c "
	BASE_FILE='$W/base-no-manifest.conf' STEP_LOG='$W/manifest.log' '$HARNESS_DIR/scripts/manifest-check.sh' vhe-fwb '$W/manifest-none.tsv' >/dev/null 2>&1
	set -o pipefail; EXPECT_GROUPS=vhe-fwb MANIFEST_GROUPS=vhe-fwb '$HARNESS_DIR/scripts/summary.sh' '$W/manifest-none.tsv' | tr '\n' ' '"
# A profile whose results no manifest check ever saw: the summary fails it.
printf 'p\tpass\tboot:this-run\t\np\tpass\tboot:finished\t\n' >"$W/no-verdict.tsv"
expect profile-without-manifest-verdict 'FAIL p: no manifest verdict .*nothing held its 2 results against the manifest.* 2 passed, 1 failed, 0 skipped $' fail \
	bash -c "set -o pipefail; EXPECT_GROUPS=p MANIFEST_GROUPS=p '$HARNESS_DIR/scripts/summary.sh' '$W/no-verdict.tsv' | tr '\n' ' '"
# A profile-run.sh that stops (here: a profile that does not exist): make's
# loop goes on, and the stop is a failed result of the profile.
mkdir -p "$W/stopped"
expect profile-run-stopped 'FAIL harness-no-such-profile/profile:run: scripts/profile-run.sh harness-no-such-profile stopped \(exit 1\)' fail bash -c "
	make --no-print-directory -C '$HARNESS_DIR' boot-tests-run PROFILES=harness-no-such-profile RESULTS='$W/stopped' BUILD_ROOT='$W/stopped-build' >/dev/null 2>&1
	set -o pipefail; MANIFEST_GROUPS=harness-no-such-profile '$HARNESS_DIR/scripts/summary.sh' '$W'/stopped/*.tsv | tr '\n' ' '"
# A group short of its plan, a group with no results, a run of skips only.
printf 'g\tplan\t3\t\ng\tpass\ta\t\ng\tpass\tb\t\n' >"$W/plan.tsv"
expect plan-short 'FAIL h: no results at all.*FAIL g: planned 3 results, got 2' fail \
	bash -c "set -o pipefail; EXPECT_GROUPS='g h' '$HARNESS_DIR/scripts/summary.sh' '$W/plan.tsv' | tr '\n' ' '"
printf 'g\tskip\ta\tno hardware\n' >"$W/skips.tsv"
expect only-skips 'FAIL: no test passed' fail "$HARNESS_DIR/scripts/summary.sh" "$W/skips.tsv"
# The same files give the same initramfs, whatever their dates: what lets
# an unchanged boot's results be reused (scripts/profile-run.sh).
expect reproducible-cpio '^same [0-9a-f]{16}$' 0 bash -c "
	. '$HARNESS_DIR/scripts/lib.sh' && mkdir -p '$W/cpio/a' && echo x >'$W/cpio/a/f' &&
	pack_cpio '$W/cpio' '$W/c1.cpio' && sleep 1 && rm -rf '$W/cpio' && mkdir -p '$W/cpio/a' &&
	echo x >'$W/cpio/a/f' && pack_cpio '$W/cpio' '$W/c2.cpio' &&
	a=\$(sha256sum <'$W/c1.cpio' | cut -c1-16) && b=\$(sha256sum <'$W/c2.cpio' | cut -c1-16) &&
	{ [ \$a = \$b ] && echo same \$a || echo differ \$a \$b; }"
# --- Bases (bases/*.conf) ------------------------------------------------------
# A base that has no data file: make names it, and the bases there are.
expect unknown-base "unknown base '9\.9': no bases/9\.9\.conf \(bases: 6\.1 6\.12" fail \
	make --no-print-directory -C "$HARNESS_DIR" BASE=9.9 help
# The summary names each base's groups BASE/GROUP, and counts them apart.
# Before the counts, one line per base names the version built, from the
# base:version result of scripts/base-newest.sh: here 6.1 built at its
# recorded version, 6.12 on a fallback (its recorded version not served).
printf 'vhe-fwb\tpass\ta\t\n' >"$W/b1.tsv"
printf 'vhe-fwb\tfail\ta\tbroken\n' >"$W/b2.tsv"
rm -f "$W/bv1.tsv" "$W/bv2.tsv"
mkdir -p "$W/bv1" "$W/bv2"
( . "$HARNESS_DIR/bases/6.1.conf"; echo "$BASE_PACKAGE $BASE_VERSION" >"$W/bv1/base-version" )
echo "linux-source-6.12 6.12.999-9" >"$W/bv2/base-version"
BASE=6.1 BUILD_DIR="$W/bv1" ONLY_BUILT_VERSION=1 STEP_LOG="$W/bv.log" "$HARNESS_DIR/scripts/base-newest.sh" "$W/bv1.tsv" >/dev/null 2>&1
BASE=6.12 BUILD_DIR="$W/bv2" ONLY_BUILT_VERSION=1 STEP_LOG="$W/bv.log" "$HARNESS_DIR/scripts/base-newest.sh" "$W/bv2.tsv" >/dev/null 2>&1
v61=$(. "$HARNESS_DIR/bases/6.1.conf"; echo "$BASE_VERSION" | sed 's/[.]/\\./g')
v612=$(. "$HARNESS_DIR/bases/6.12.conf"; echo "$BASE_VERSION" | sed 's/[.]/\\./g')
expect summary-per-base "FAIL 6\.12/vhe-fwb/a: broken 6\.1: built on linux-source-6\.1 $v61 \(recorded\) 6\.12: built on linux-source-6\.12 6\.12\.999-9 \(fallback: recorded $v612 not served\)[^ ]* .*6\.1/vhe-fwb +1 passed.*6\.12/vhe-fwb +0 passed, +1 failed.* [0-9]+ passed, 1 failed, 0 skipped \$" fail \
	bash -c "set -o pipefail; '$HARNESS_DIR/scripts/summary.sh' --base 6.1 '$W/b1.tsv' '$W/bv1.tsv' --base 6.12 '$W/b2.tsv' '$W/bv2.tsv' | tr '\n' ' '"
# Counts that cannot shrink unnoticed: before the final line, each base's
# results run, reused and inferred (from the steps' .how side files), and
# a base with fewer results than its plans and manifest add up to fails,
# naming both numbers (here a profile with 2 results of 6.1's manifest).
mkdir -p "$W/counts"
printf 'static\tplan\t3\t\nstatic\tpass\tstatic:a\t\nstatic\tpass\tstatic:b\tnot reached: x\nstatic\tpass\tstatic:c\treused: y\n' >"$W/counts/static.tsv"
printf 'static\tinferred\tstatic:b\nstatic\treused\tstatic:c\n' >"$W/counts/static.tsv.how"
printf 'vhe-fwb\tpass\tboot:this-run\t\nvhe-fwb\tpass\tmanifest:complete\t\n' >"$W/counts/vhe-fwb.tsv"
printf 'vhe-fwb\treused\tboot:this-run\n' >"$W/counts/vhe-fwb.tsv.how"
m61=$(grep -cvE '^[[:space:]]*(#|$)' "$HARNESS_DIR/tests/6.1/manifest")
expect summary-counts-short "6\.1: 5 results: 2 run, 2 reused, 1 inferred .*expected at least $((m61 + 3)) \(plans 3, manifest $m61 x 1 profiles\) FAIL 6\.1: 4 results where its plans and manifests add up to $((m61 + 3)) .*results went missing 5 passed, 1 failed, 0 skipped \$" fail \
	bash -c "set -o pipefail; MANIFEST_GROUPS=6.1/vhe-fwb '$HARNESS_DIR/scripts/summary.sh' --base 6.1 '$W'/counts/*.tsv 2>&1 | tr '\n' ' '"
# The differential table: a difference nobody explained fails; one
# tests/differential/expected explains passes; an explanation whose
# difference is gone fails.
mkdir -p "$W/diff/6.1/results" "$W/diff/6.12/results"
printf 'r:a | A-type | row a\nr:b | B-type | row b\n' >"$W/diff/rows"
printf 'vhe-fwb\tpass\tr:a\t\nvhe-fwb\tpass\tr:b\t\n' >"$W/diff/6.1/results/vhe-fwb.tsv"
printf 'vhe-fwb\tfail\tr:a\tgot C-type\nvhe-fwb\tpass\tr:b\t\n' >"$W/diff/6.12/results/vhe-fwb.tsv"
: >"$W/diff/none"
printf '6.1:6.12 | row a | a reason\n' >"$W/diff/a"
printf '6.1:6.12 | row b | a reason\n' >"$W/diff/b"
expect differential-unexplained 'fail	differential:row a	unexplained difference: 6\.1: A-type; 6\.12: vhe-fwb: fail: got C-type' 0 \
	bash -c "BUILD_ROOT='$W/diff' PROFILES=vhe-fwb DIFF_ROWS='$W/diff/rows' DIFF_EXPECTED='$W/diff/none' DIFF_MD='$W/diff/t.md' STEP_LOG='$W/diff.log' \
		'$HARNESS_DIR/scripts/differential.sh' '$W/diff/unexplained.tsv' 6.1 6.12 >/dev/null; cut -f2- '$W/diff/unexplained.tsv'"
expect differential-explained 'pass	differential:row a	differs as explained \(a reason\)' 0 \
	bash -c "BUILD_ROOT='$W/diff' PROFILES=vhe-fwb DIFF_ROWS='$W/diff/rows' DIFF_EXPECTED='$W/diff/a' DIFF_MD='$W/diff/t.md' STEP_LOG='$W/diff.log' \
		'$HARNESS_DIR/scripts/differential.sh' '$W/diff/explained.tsv' 6.1 6.12 >/dev/null; cut -f2- '$W/diff/explained.tsv'"
expect differential-stale 'fail	differential:row b	the bases no longer differ here' 0 \
	bash -c "BUILD_ROOT='$W/diff' PROFILES=vhe-fwb DIFF_ROWS='$W/diff/rows' DIFF_EXPECTED='$W/diff/b' DIFF_MD='$W/diff/t.md' STEP_LOG='$W/diff.log' \
		'$HARNESS_DIR/scripts/differential.sh' '$W/diff/stale.tsv' 6.1 6.12 >/dev/null; cut -f2- '$W/diff/stale.tsv'"
# The architectural line of make's show (scripts/show.sh, on a crafted
# console, tests/harness/console-show-normal.log): the alignment probes
# passed, but the dump maps BAR2 NORMAL (write-back). The probe tells
# Device from Normal only: the line says "Normal", never "Normal-NC",
# and names the dump's result.
expect show-probe-says-normal '^=> an unaligned load .*: stage 2 is Normal, not Device .*the dump does not show Normal-NC \(vmm:stage2-bar2-normal-nc fail: BAR2 at stage 2: 0 KiB NORMAL_NC, 3088 KiB NORMAL' 0 bash -c "
	BUILD_DIR='$W/show' SHOW_CONSOLE='$T/console-show-normal.log' KUNIT_DIR=/nonexistent '$HARNESS_DIR/scripts/show.sh' vhe-fwb >'$W/show.txt' 2>&1
	cat '$W/show.txt'; ! grep 'stage 2 is Normal-NC' '$W/show.txt' | sed 's/^/claims more than the probe shows: /' | grep ."
# A stale console: the nonce on it is not this run's.
cp "$T/console-sample.log" "$W/stale.log"
echo "some-other-run" >"$W/stale.log.nonce"
expect stale-console 'fail	boot:this-run	stale console: /init echoed nonce "sample-nonce", this run is "some-other-run"' 0 \
	"$HARNESS_DIR/scripts/parse.sh" "$W/stale.log" sample /dev/stdout
# dmesg:clean checks what it says it checks (tests/harness/console-dmesg-clean.log,
# a clean console, and four made from it here): no dump, an empty dump, a
# dump that lost the start of the log (the buffer wrapped), a WARNING on
# the console outside the dump; each fails, naming why.
C=$T/console-dmesg-clean.log
sed '/^==== dmesg begin ====$/,/^==== dmesg end ====$/d' "$C" >"$W/dmesg-none.log"
sed '/^==== dmesg begin ====$/,/^==== dmesg end ====$/{/^====/!d}' "$C" >"$W/dmesg-empty.log"
sed '/^Booting Linux/d' "$C" >"$W/dmesg-wrapped.log"
sed 's/^ok 2 boot:fwb$/WARNING: CPU: 0 PID: 90 at drivers\/vfio\/pci\/vfio_pci_core.c:1 x+0x0\/0x4\n&/' "$C" >"$W/dmesg-outside.log"
for c in clean none empty wrapped outside; do
	[ $c = clean ] && f=$C || f=$W/dmesg-$c.log
	NONCE=dmesg-nonce KUNIT_DIR=/nonexistent "$HARNESS_DIR/scripts/parse.sh" "$f" dmesg "$W/dmesg-$c.tsv"
done
expect dmesg-clean-names-checks 'pass	dmesg:clean	the whole log \(3 lines from "Booting Linux"\) and the console outside it free of: WARNING, .*no hung-task or UBSAN check' 0 \
	cat "$W/dmesg-clean.tsv"
expect dmesg-no-dump 'fail	dmesg:clean	no dmesg dump on the console .*the kernel log was not checked' 0 cat "$W/dmesg-none.tsv"
expect dmesg-empty-dump 'fail	dmesg:clean	the dmesg dump is empty: the kernel log was not checked' 0 cat "$W/dmesg-empty.tsv"
expect dmesg-wrapped-dump 'fail	dmesg:clean	the dmesg dump lacks the start of the log \(no "Booting Linux on physical CPU" line in its 2 lines\): the log buffer wrapped' 0 \
	cat "$W/dmesg-wrapped.tsv"
expect dmesg-warning-outside-dump 'fail	dmesg:clean	on the console outside the dump, line 6: WARNING: CPU: 0 PID: 90 at drivers/vfio/pci/vfio_pci_core.c:1' 0 \
	cat "$W/dmesg-outside.tsv"
# A result that cannot be written (a full disk): the step fails, loudly.
expect full-disk 'cannot write /dev/full' fail \
	bash -c "RESULTS=/dev/full; STEP=full-disk; LOG_DIR='$W'; . '$HARNESS_DIR/scripts/lib.sh'; record g pass a"
# A mutation target that is gone: every expectation of the variant fails,
# naming it (never a skip).
mkdir -p "$W/negative"
cat >"$W/negative/gone.conf" <<'CONF'
VARIANT_DESC="a mutation whose target is gone"
MUTATE='
arch/arm64/kvm/hyp/pgtable.c s/this line is not in pgtable.c/nor is this/
'
EXPECT_FAIL='
vmm:stage2-bar2-normal-nc   DEVICE_nGnRE
'
CONF
echo gone >"$W/negative/variants.list"
expect mutation-target-gone "fail	negative:gone:vmm:stage2-bar2-normal-nc	mutation target gone: .* matches nothing in arch/arm64/kvm/hyp/pgtable.c" 0 \
	bash -c "NEGATIVE_DIR='$W/negative' STEP_LOG='$W/negative.log' '$HARNESS_DIR/scripts/negative.sh' '$W/neg.tsv' >/dev/null 2>&1; cat '$W/neg.tsv'"
# A variant file deleted: the list names it, so it fails, named; a
# .conf the list forgets fails too. Both before anything is built (no
# variant is left to run here, so the step ends at once).
mkdir -p "$W/negative-list"
echo gone >"$W/negative-list/variants.list"
cp "$W/negative/gone.conf" "$W/negative-list/stray.conf"
expect variant-missing "fail	negative:gone:variant-present	listed in .*variants.list, but .*/gone.conf is gone" 0 \
	bash -c "NEGATIVE_DIR='$W/negative-list' STEP_LOG='$W/negative-list.log' '$HARNESS_DIR/scripts/negative.sh' '$W/neg-list.tsv' >/dev/null 2>&1; cat '$W/neg-list.tsv'"
expect variant-unlisted "fail	negative:stray:variant-listed	.*/stray.conf is not named in .*variants.list" 0 \
	cat "$W/neg-list.tsv"
# A variant file that does not read strictly (tests/harness/negative-broken/):
# an apostrophe inside EXPECT_FAIL's quotes, a misspelt key, a mutation
# with no expected failure, a reason on a control's line. Each fails,
# naming the file and the problem, and none is run (nothing is built).
expect variant-apostrophe "fail	negative:apostrophe:variant-file	[^	]*/apostrophe.conf: bash cannot read it \(exit 127\): line [0-9]+: mapping: command not found" 0 \
	bash -c "NEGATIVE_DIR='$T/negative-broken' STEP_LOG='$W/negative-broken.log' '$HARNESS_DIR/scripts/negative.sh' '$W/neg-broken.tsv' >/dev/null 2>&1; cat '$W/neg-broken.tsv'"
expect variant-unknown-key "fail	negative:unknown-key:variant-file	[^	]*/unknown-key.conf: unknown key EXPECT_FAILS" 0 \
	cat "$W/neg-broken.tsv"
expect variant-mutation-expects-nothing "fail	negative:no-expected-failure:variant-file	[^	]*/no-expected-failure.conf: a revert or mutation with no EXPECT_FAIL" 0 \
	cat "$W/neg-broken.tsv"
expect variant-bad-line "fail	negative:bad-line:variant-file	[^	]*/bad-line.conf: EXPECT_PASS line 'vmm:probe_user_device_sigbus +SIGBUS' is not one NAME" 0 \
	cat "$W/neg-broken.tsv"

# --- Step times and CI's time budget ----------------------------------------
# The step-time table (scripts/step-times.sh) of a crafted run that died:
# 6.1's kernel reused (so the unit is 6.12's, named), a nested step, a
# step begun and never ended, a line cut short (said, left out); and the
# same from a make check's console lines (--log).
expect step-times-table '^ok$' 0 bash -c "
	{ '$HARNESS_DIR/scripts/step-times.sh' -o '$W/step-times.tsv' '$T/step-times-sample.raw' 2>&1 &&
	  '$HARNESS_DIR/scripts/step-times.sh' --log '$T/step-times-console.log' 2>&1 && cat '$W/step-times.tsv'; } >'$W/step-times.got' &&
	diff -u '$T/step-times-expected.txt' '$W/step-times.got' && echo ok"
# Each step's time where it ends (lib.sh step_begin, step_end): a line
# when it begins and one when it ends, a step inside another one deeper.
mkdir -p "$W/st"
expect step-times-recorded '^6\.1 outer - 0;6\.1 inner - 1;6\.1 inner [0-9]+ 1;6\.1 outer [0-9]+ 0;$' 0 bash -c "
	unset HARNESS_STEP_DEPTH; export BUILD_ROOT='$W/st' LOG_DIR='$W/st' STEP_TIMES_FILE='$W/st/times'
	STEP=outer bash -c '. \"\$1\"; step_begin; STEP=inner bash -c \". \\\"\$1\\\"; step_begin; step_end\" - \"\$1\"; step_end' - '$HARNESS_DIR/scripts/lib.sh' >/dev/null
	cut -f1-3,5 '$W/st/times' | tr '\t\n' ' ;'"
# The hard guard: a make check that would run past CI's budget (5 s
# here; a step that sleeps 60 s) is stopped at the deadline, and .ci/run
# names the step, prints the step times and a summary line that counts
# the stop as a failure, within seconds.
expect ci-time-budget '^ok: stopped in [0-9]+ s$' 0 bash -c "
	t=\$(date +%s)
	CI_BUDGET_SECONDS=5 CI_FRESH_ROOT_CMD=true CI_IN_ROOT_CMD='$T/ci-fake-in-root' CI_BUILD_ROOT='$W/ci-build' \
		FRESH_ROOT='$W/ci-root' timeout -k 5 60 '$HARNESS_DIR/.ci/run' >'$W/ci-run.out' 2>&1; rc=\$? s=\$((\$(date +%s) - t))
	cat '$W/ci-run.out'
	[ \$rc = 1 ] || { echo \"exit \$rc, not 1\"; exit 1; }
	grep -qE '^FAIL ci:time-budget: stopped at 6\.1/fake-long after [0-9]+ s of the 5 s budget \(steps that took the time: 6\.1/kernel [0-9]+ s\)$' '$W/ci-run.out' ||
		{ echo 'no FAIL ci:time-budget line naming 6.1/fake-long'; exit 1; }
	grep -qE '^6\.1 +fake-long +- +- +began, never ended' '$W/ci-run.out' || { echo 'no step-time table'; exit 1; }
	[ \"\$(tail -n 1 '$W/ci-run.out')\" = '1 passed, 1 failed, 0 skipped' ] || { echo 'last line: not 1 passed, 1 failed, 0 skipped'; exit 1; }
	[ \$s -le 12 ] || { echo \"took \$s s, more than 12\"; exit 1; }
	echo \"ok: stopped in \$s s\""
# The soft guard: under a deadline (HARNESS_DEADLINE) a boot, a base or a
# negative variant that needs more than the time left is not started:
# a failure that says so. Without a deadline nothing is held back.
expect budget-no-deadline '^no deadline: budget_short 999999 exits 1$' 0 bash -c "
	unset HARNESS_DEADLINE; STEP=budget; LOG_DIR='$W'; . '$HARNESS_DIR/scripts/lib.sh'
	budget_short 999999; echo \"no deadline: budget_short 999999 exits \$?\""
expect budget-boot-not-started 'vhe-fwb	fail	profile:vhe-fwb:boot	boot of vhe-fwb not started: [0-9]+ s left of the CI budget, the step needs about 300 s' 0 bash -c "
	BUILD_DIR='$W/budget' STEP_TIMES_FILE='$W/budget/none' REUSE_RESULTS=0 BUDGET_BOOT_SECONDS=300 HARNESS_DEADLINE=\$((\$(date +%s) + 60)) \
		'$HARNESS_DIR/scripts/profile-run.sh' vhe-fwb '$W/budget-boot.tsv' >/dev/null; cat '$W/budget-boot.tsv'"
printf '6.1\tkernel\t-\t1000\t0\tbuild-kernel.sh\n6.1\tkernel\t400\t1000\t0\tbuild-kernel.sh\n' >"$W/budget-times"
expect budget-base-not-started 'budget	fail	budget:base-6.12	base 6.12 not started: [0-9]+ s left of the CI budget, the step needs about 900 s \(BUDGET_BASE_SECONDS: what a base takes at least, its results reused\)' fail bash -c "
	BASE=6.12 BUILD_DIR='$W/budget-6.12' STEP_TIMES_FILE='$W/budget-times' HARNESS_DEADLINE=\$((\$(date +%s) + 60)) \
		'$HARNESS_DIR/scripts/budget-base.sh' '$W/budget-base.tsv' >/dev/null; rc=\$?; cat '$W/budget-base.tsv'; exit \$rc"
expect budget-variant-not-started 'fail	negative:gone:vmm:stage2-bar2-normal-nc	variant gone not started: [0-9]+ s left of the CI budget, the step needs about 600 s' 0 bash -c "
	HARNESS_DEADLINE=\$((\$(date +%s) + 60)) REUSE_RESULTS=0 NEGATIVE_DIR='$W/negative' STEP_LOG='$W/negative-budget.log' \
		'$HARNESS_DIR/scripts/negative.sh' '$W/neg-budget.tsv' >/dev/null 2>&1; cat '$W/neg-budget.tsv'"

# --- A harness that survives interruption -----------------------------------
# Ctrl-C during a long build step stops the build itself (its whole
# process group), not only the script that started it.
marker=$((300000 + RANDOM))
# SIGINT at its default (tests/harness/sigint-default), whatever this
# run inherited, and a time limit: the test never hangs the run.
expect interrupt-stops-build "^stopped: no process left$" 0 timeout -k 5 90 "$T/sigint-default" bash -c "
	set -m	# job control: the job gets SIGINT as a foreground job would
	STEP=interrupt LOG_DIR='$W' \
		bash -c '. \"$HARNESS_DIR/scripts/lib.sh\"; with_progress sleeping bash -c \"sleep $marker & sleep $marker; wait\"' &
	pid=\$!; sleep 3; kill -INT -\$pid; wait \$pid; sleep 1	# to its process group, as a terminal does
	# Anchored: this shell's own command line holds the words too.
	if pgrep -f '^sleep $marker\$' >/dev/null; then pkill -f '^sleep $marker\$'; echo 'still running: sleep $marker'; else echo 'stopped: no process left'; fi"
pkill -f "^sleep $marker\$"	# after a timeout
# A killed base step (a half-made cached base left behind), then a
# clean rerun; and a second run while another holds the base lock. In a
# cache of their own (the tarball is shared), on a build folder of their
# own.
# (the base: lib.sh)
bc=$W/base-cache
mkdir -p "$bc/base"
ln -f "$CACHE_DIR"/base/*.tar.xz "$bc/base/" 2>/dev/null || cp "$CACHE_DIR"/base/*.tar.xz "$bc/base/"
( CACHE_DIR=$bc BUILD_DIR=$W/base-build LOG_DIR=$W STEP_LOG=$W/base-int.log \
	setsid "$HARNESS_DIR/scripts/base.sh" >"$W/base-int.out" 2>&1 & echo $! >"$W/base-int.pid"; wait ) &
for _ in $(seq 120); do grep -q 'unpacking' "$W/base-int.out" 2>/dev/null && break; sleep 1; done
sleep 8
kill -KILL -"$(cat "$W/base-int.pid")" 2>/dev/null	# as hard as it gets: no clean-up at all
wait
expect base-interrupted-rerun "checking out base-" 0 bash -c "
	ls -d '$bc'/*.tmp '$W'/base-build/base-unpack 2>/dev/null | sed 's/^/left by the interrupted run: /'
	mkdir -p '$bc/base-$BASE_VERSION.git.tmp/objects'	# as if cut during the copy into the cache
	CACHE_DIR='$bc' BUILD_DIR='$W/base-build' LOG_DIR='$W' STEP_LOG='$W/base-rerun.log' '$HARNESS_DIR/scripts/base.sh'"
expect lock-held "another run .*holds .*base.lock" fail bash -c "
	flock '$bc/base.lock' sleep 20 & sleep 1
	CACHE_DIR='$bc' BUILD_DIR='$W/base-build2' LOG_DIR='$W' STEP_LOG='$W/base-lock.log' LOCK_WAIT=2 '$HARNESS_DIR/scripts/base.sh'; rc=\$?
	kill %1 2>/dev/null; exit \$rc"
expect run-lock-held "another run holds .*/.run.lock" fail bash -c "
	mkdir -p '$W/run-build'; flock '$W/run-build/.run.lock' sleep 20 & sleep 1
	BUILD_ROOT='$W/run-build' '$HARNESS_DIR/scripts/locked.sh' true; rc=\$?
	kill %1 2>/dev/null; exit \$rc"
# Nothing a run leaves running holds the next run out: the lock is not
# inherited by the command it runs (a detached git gc once outlived
# `make` and failed the `make check` after it).
marker=$((400000 + RANDOM))
expect run-lock-not-inherited "^second run: exit 0$" 0 bash -c "
	BUILD_ROOT='$W/run-build2' '$HARNESS_DIR/scripts/locked.sh' bash -c 'sleep $marker >/dev/null 2>&1 &'
	BUILD_ROOT='$W/run-build2' '$HARNESS_DIR/scripts/locked.sh' true; echo \"second run: exit \$?\"
	pkill -f '^sleep $marker\$'; exit 0"
# No git command of the harness starts automatic maintenance (a gc that
# detaches), whatever the repository's own configuration asks for.
expect git-auto-maintenance-off "^gc.auto=0 maintenance.auto=false$" 0 bash -c "
	unset HARNESS_GIT_QUIET GIT_CONFIG_COUNT \${!GIT_CONFIG_KEY_*} \${!GIT_CONFIG_VALUE_*}
	rm -rf '$W/gc-repo' && git init -q '$W/gc-repo' &&
	git -C '$W/gc-repo' config gc.auto 1 && git -C '$W/gc-repo' config maintenance.auto true &&
	. '$HARNESS_DIR/scripts/lib.sh' &&
	echo gc.auto=\$(git -C '$W/gc-repo' config --get gc.auto) maintenance.auto=\$(git -C '$W/gc-repo' config --get maintenance.auto)"
rm -rf "$bc" "$W"/base-build* "$W/run-build2" "$W/gc-repo"
rm -f "$W"/ivshmem-*.bin

step_end "$n self-tests"
