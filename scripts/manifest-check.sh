#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "manifest": hold one profile's results against tests/manifest, the
# list of results every profile must report and the status each must have.
#  - a listed name with no result fails, naming itself and what could
#    have kept it from being reported;
#  - a result whose status is not the listed one fails (a skip where a
#    pass is listed is a failure: a skip never hides a proof);
#  - a result that is not listed fails (the manifest stays complete);
#  - every entry of tests/selftests.list must be in the manifest.
# (The harness's own results, manifest:* and profile:* such as a checker
# that stopped, are failures of their own, not held against it.)
# Adds one "manifest:NAME" failure per problem, and one pass line with
# the counts. A check that cannot run records its verdict too, on every
# way out: "manifest:check" fails, naming why (no manifest, a base that
# names none, no selftests list, awk failing, the step stopping). The
# summary requires one of the two in every profile (scripts/summary.sh,
# MANIFEST_GROUPS): a profile whose manifest was never held against its
# results fails. Exits 0 once a verdict is recorded, pass or fail.
# Usage: manifest-check.sh PROFILE RESULTS_TSV
PROFILE=${1:?usage: manifest-check.sh PROFILE RESULTS_TSV}
RESULTS=${2:?usage: manifest-check.sh PROFILE RESULTS_TSV}
STEP=manifest-$PROFILE

# verdict_lost: on any exit before a verdict is recorded (lib.sh's die,
# an unknown base), the failure that says so.
verdict=
verdict_lost() {
	local rc=$?
	[ -n "$verdict" ] && return
	printf '%s\tfail\tmanifest:check\t%s\n' "$PROFILE" \
		"the manifest check stopped (exit $rc) before its verdict: see its messages above and ${STEP_LOG:-its log}" >>"$RESULTS"
	printf '[%s] manifest: manifest:check: stopped (exit %s) before its verdict\n' "$PROFILE" "$rc" >&2
}
trap verdict_lost EXIT
. "$(dirname "$0")/lib.sh"
LIST=$SELFTESTS_LIST

# cannot_check WHY: the check cannot run; its verdict is this failure.
cannot_check() {
	record "$PROFILE" fail "manifest:check" "$*: $PROFILE's results are not held against a manifest"
	verdict=1
	exit 0
}

[ -n "${BASE_MANIFEST:-}" ] || [ "$MANIFEST" != "$HARNESS_DIR/" ] ||
	cannot_check "base $BASE names no manifest: ${BASE_FILE#"$HARNESS_DIR"/} sets no BASE_MANIFEST"
[ -f "$MANIFEST" ] || cannot_check "no manifest $MANIFEST (base $BASE, ${BASE_FILE#"$HARNESS_DIR"/})"
[ -n "${BASE_SELFTESTS:-}" ] || [ "$LIST" != "$HARNESS_DIR/" ] ||
	cannot_check "base $BASE names no selftests list: ${BASE_FILE#"$HARNESS_DIR"/} sets no BASE_SELFTESTS"
[ -f "$LIST" ] || cannot_check "no selftests list $LIST (base $BASE, ${BASE_FILE#"$HARNESS_DIR"/})"
[ -f "$RESULTS" ] || cannot_check "no results file $RESULTS"
out=$(awk -v P="$PROFILE" -v OFS='\t' -v LIST="$LIST" -v MF="$MANIFEST" '
function hint(n) {
	if (n ~ /^kunit:/) return "no KTAP for it: the suite did not run at boot (KUnit off, its Kconfig option not set), or the log lost it"
	if (n ~ /^selftest:[^:]*:/) return "the program did not report this sub-test (stopped early, or renamed)"
	if (n ~ /^selftest:/) return "not run: not in the initramfs, or /init stopped before it"
	if (n ~ /^vmm:/) return "the nested-VMM scenario did not report it (nested guest not ready, or /init stopped)"
	if (n ~ /^outside:/) return "the outside check did not run (its writer did not run or was skipped)"
	return "/init or the parser did not get that far"
}
FILENAME == LIST {
	if ($1 != "" && $1 !~ /^#/) listed["selftest:" $1] = 1
	next
}
FILENAME == MF {
	if ($1 == "" || $1 ~ /^#/) next
	want[$1] = $2
	for (i = 3; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == P) want[$1] = kv[2]
	}
	order[++n] = $1
	next
}
{
	split($0, f, "\t")
	if (f[3] ~ /^(manifest|profile):/) next	# results of the harness itself, not tests
	got[f[3]] = f[2]; why[f[3]] = f[4]
}
END {
	bad = 0
	for (s in listed)
		if (!(s in want)) { print P, "fail", "manifest:" s, "in tests/selftests.list but not in tests/manifest"; bad++ }
	for (i = 1; i <= n; i++) {
		k = order[i]
		if (!(k in got)) { print P, "fail", "manifest:" k, "missing (expected " want[k] "): " hint(k); bad++ }
		else if (got[k] != want[k] && got[k] != "fail") {
			print P, "fail", "manifest:" k, "expected " want[k] ", got " got[k] (why[k] != "" ? ": " why[k] : ""); bad++
		}
	}
	for (k in got)
		if (!(k in want)) { print P, "fail", "manifest:" k, "reported (" got[k] ") but not in tests/manifest: add it, with its expected status"; bad++ }
	if (!bad) print P, "pass", "manifest:complete", n " results expected, all present with the expected status"
}' "$LIST" "$MANIFEST" "$RESULTS") || cannot_check "awk failed (exit $?) on $LIST, $MANIFEST and $RESULTS"
[ -n "$out" ] || cannot_check "the manifest check printed nothing"
printf '%s\n' "$out" >>"$RESULTS" || die "cannot write $RESULTS"
verdict=1
printf '%s\n' "$out" | awk -F'\t' -v p="[$PROFILE] " '$2 == "fail" { print p "manifest: " $3 ": " $4 }'
