#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "summary": print the failures, the base version each base was
# built on, a count per group and the final line "N passed, N failed,
# N skipped". Exits 1 if anything failed.
# A result that went missing is a failure too:
#  - every group named in EXPECT_GROUPS must have results;
#  - a group that stated a plan ("GROUP<TAB>plan<TAB>N", lib.sh
#    record_plan) must have exactly N results;
#  - every group named in MANIFEST_GROUPS (the machine profiles) that
#    stated no plan must have the manifest's verdict (scripts/
#    manifest-check.sh: a pass "manifest:complete" or a failed
#    "manifest:..." result): without it, nothing held its results against
#    the manifest, so a missing result would not show;
#  - a run with no passed result at all fails (only skips prove nothing).
# Usage: summary.sh [RESULTS_TSV...] [--base BASE RESULTS_TSV...]...
# The groups of the files after "--base BASE" are named BASE/GROUP.
# For each such BASE, one line before the counts names what was built,
# from its base:version result (scripts/base-newest.sh):
# "6.1: built on linux-source-6.1 6.1.192-2 (recorded)".
# After the counts, one line per BASE says how many of its results were
# run, reused from an earlier identical run and inferred (a per-patch
# build not reached), from the side files RESULTS_TSV.how that the steps
# write ("GROUP<TAB>reused|inferred<TAB>NAME": scripts/profile-run.sh,
# static-checks.sh, negative.sh), and what the plans and manifests add up
# to: the plans of its groups, and its manifest's entries (bases/BASE.conf
# BASE_MANIFEST) for each machine profile (MANIFEST_GROUPS) without a
# plan. A base with fewer results fails, naming both numbers.
HARNESS_DIR=$(cd "$(dirname "$0")/.." && pwd)
EXPECT_GROUPS=${EXPECT_GROUPS:-}
MANIFEST_GROUPS=${MANIFEST_GROUPS:-}
bases=$(while [ $# -gt 0 ]; do [ "$1" = --base ] && echo "${2:-}"; shift; done | awk '!seen[$0]++')
results() {
	local prefix=
	while [ $# -gt 0 ]; do
		if [ "$1" = --base ]; then
			prefix=${2:?summary.sh: --base needs a name}/
			shift 2
			continue
		fi
		[ -f "$1" ] && awk -F'\t' -v OFS='\t' -v p="$prefix" '{ $1 = p $1; print }' "$1"
		[ -f "$1.reused" ] && sed "s|^|reused: $prefix|" "$1.reused" >&2
		# Its reused and inferred results, as lines of status "@reused",
		# "@inferred" (anything else there: "@bad", a failure).
		[ -f "$1.how" ] && awk -F'\t' -v OFS='\t' -v p="$prefix" -v f="$1.how" '{
			if (NF == 3 && ($2 == "reused" || $2 == "inferred") && $3 != "") print p $1, "@" $2, $3
			else print p $1, "@bad", f " line " NR ": not GROUP<TAB>reused|inferred<TAB>NAME: " $0
		}' "$1.how"
		shift
	done
}
# The manifest entries of each base: "BASE=N ...", or "BASE=?WHY".
mcounts=$(for b in $bases; do
	conf=$HARNESS_DIR/bases/$b.conf
	if [ ! -f "$conf" ]; then
		echo "$b=?no bases/$b.conf"
		continue
	fi
	mf=$(BASE_MANIFEST=; . "$conf" >/dev/null 2>&1; echo "${BASE_MANIFEST:-}")
	if [ -z "$mf" ] || [ ! -f "$HARNESS_DIR/$mf" ]; then
		echo "$b=?bases/$b.conf names no manifest that exists (BASE_MANIFEST=${mf:-unset})"
		continue
	fi
	echo "$b=$(grep -cvE '^[[:space:]]*(#|$)' "$HARNESS_DIR/$mf")"
done)
results "$@" | awk -F'\t' -v expect="$EXPECT_GROUPS" -v mgroups="$MANIFEST_GROUPS" -v bases="$bases" -v mcounts="$mcounts" '
$3 == "base:version" && $2 != "plan" && (i = index($1, "/")) {
	b = substr($1, 1, i - 1)
	built[b] = $2 == "pass" ? $4 : "base version not known (base:version " $2 ": " $4 ")"
}
$2 == "plan" { plan[$1] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++np] = $1 }; next }
$2 == "@bad" { printf "FAIL %s: %s\n", $1, $3; bad_how++; next }
$2 ~ /^@/ { marked[$1 "\t" $3] = substr($2, 2); next }
{ n[$1 "\t" $2]++; cnt[$1]++; total[$2]++; if (!($1 in seen)) { seen[$1] = 1; order[++np] = $1 } }
{ have[$1 "\t" $3] = 1; if ($3 !~ /^(manifest|profile):/) own[$1]++ }
$2 == "fail" { printf "FAIL %s/%s: %s\n", $1, $3, $4 }
($3 == "manifest:complete" && $2 == "pass") || ($3 ~ /^manifest:/ && $2 == "fail") { mverdict[$1] = 1 }
END {
	extra = 0
	ne = split(expect, eg, " ")
	nm = split(mgroups, mg, " ")
	for (i = 1; i <= nm; i++)
		if (!index(" " expect " ", " " mg[i] " "))
			eg[++ne] = mg[i]
	for (i = 1; i <= ne; i++)
		if (!(eg[i] in cnt)) {
			printf "FAIL %s: no results at all (its step died before recording any; see its log in build/logs/)\n", eg[i]
			extra++
		}
	for (i = 1; i <= nm; i++)
		if ((mg[i] in cnt) && !(mg[i] in plan) && !(mg[i] in mverdict)) {
			printf "FAIL %s: no manifest verdict (no manifest:complete, no manifest failure): nothing held its %d results against the manifest, so a missing one would not show (see manifest-check in its log in build/logs/)\n", mg[i], cnt[mg[i]]
			extra++
		}
	for (g in plan)
		if (cnt[g] + 0 != plan[g] + 0) {
			printf "FAIL %s: planned %d results, got %d (a result went missing; see its log in build/logs/)\n", g, plan[g], cnt[g]
			extra++
		}
	nb = split(bases, bl, "\n")
	for (i = 1; i <= nb; i++)
		printf "%s: %s\n", bl[i], (bl[i] in built) ? built[bl[i]] : "base version not known (no base:version result)"
	for (i = 1; i <= np; i++)
		printf "  %-20s %3d passed, %3d failed, %3d skipped\n", order[i],
		       n[order[i] "\tpass"], n[order[i] "\tfail"], n[order[i] "\tskip"]
	# Run, reused, inferred; and the total the plans and manifests add up to.
	extra += bad_how
	for (k in marked) {
		split(k, kk, "\t")
		if (!(k in have)) { printf "FAIL %s: marked %s, but no result %s in its results\n", kk[1], marked[k], kk[2]; extra++; continue }
		how[kk[1] "\t" marked[k]]++
	}
	split(mcounts, ml, "\n")
	for (i in ml) if ((j = index(ml[i], "="))) mc[substr(ml[i], 1, j - 1)] = substr(ml[i], j + 1)
	for (i = 1; i <= nb; i++) {
		b = bl[i]; tot = re = inf = eplan = eman = got = nprof = 0; detail = ""
		for (g in cnt) {
			if (index(g, b "/") != 1) continue
			tot += cnt[g]; r = how[g "\treused"] + 0; f = how[g "\tinferred"] + 0
			re += r; inf += f
			if (r || f) detail = detail (detail != "" ? ", " : "") substr(g, length(b) + 2) " " r " reused " f " inferred"
		}
		for (g in plan) if (index(g, b "/") == 1) { eplan += plan[g]; got += cnt[g] }
		for (k = 1; k <= nm; k++) {
			g = mg[k]
			if (index(g, b "/") != 1 || (g in plan)) continue
			if (mc[b] ~ /^\?/ || mc[b] == "") { printf "FAIL %s: cannot tell how many results %s must report: %s\n", b, g, mc[b] == "" ? "no manifest count" : substr(mc[b], 2); extra++; continue }
			eman += mc[b]; nprof++; got += own[g]
		}
		printf "%s: %d results: %d run, %d reused, %d inferred%s; expected at least %d (plans %d, manifest %s x %d profiles)\n",
			b, tot, tot - re - inf, re, inf, detail != "" ? " (" detail ")" : "", eplan + eman, eplan, (mc[b] ~ /^[0-9]+$/ ? mc[b] : "?"), nprof
		if (got < eplan + eman) {
			printf "FAIL %s: %d results where its plans and manifests add up to %d (plans %d, manifest entries %d): results went missing\n", b, got, eplan + eman, eplan, eman
			extra++
		}
	}
	if (total["pass"] + 0 == 0) {
		printf "FAIL: no test passed (only skips or nothing at all prove nothing)\n"
		extra++
	}
	printf "%d passed, %d failed, %d skipped\n", total["pass"], total["fail"] + extra, total["skip"]
	exit (total["fail"] + extra) > 0
}'
