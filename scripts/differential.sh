#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "differential": the same cases on every base, side by side. On 6.12
# the core is upstream's implementation, on 6.1 it is the series': the
# table shows what each gives, per row of tests/differential/rows, over
# the machine profiles of $PROFILES: what a pass shows, the first failure
# and its reason, and the profiles that skipped and why. Results (group
# "differential"):
#  - one per row: pass when every base shows the same value, or when the
#    difference is one tests/differential/expected explains; fail when the
#    values differ unexplained, or an explained difference is gone;
#  - a row no base reported fails (the table would be empty there).
# The table is printed and kept as Markdown in $BUILD_ROOT/results/
# differential.md.
# Usage: differential.sh RESULTS_TSV BASE...
RESULTS=${1:?usage: differential.sh RESULTS_TSV BASE...}
shift
STEP=differential
. "$(dirname "$0")/lib.sh"
ROWS=${DIFF_ROWS:-$HARNESS_DIR/tests/differential/rows}
EXPECTED=${DIFF_EXPECTED:-$HARNESS_DIR/tests/differential/expected}
MD=${DIFF_MD:-$(dirname "$RESULTS")/differential.md}
[ $# -ge 1 ] || die "no base named"
[ -f "$ROWS" ] || die "no rows file $ROWS"
step_begin "$* in ${PROFILES:-vhe-fwb}"

if [ $# -lt 2 ]; then
	record_plan differential 1
	record differential pass "differential:one-base" "only base $1 ran (BASES=$*): nothing to compare"
	step_end "one base"
	exit 0
fi

# Every base's results, as "BASE<TAB>PROFILE<TAB>STATUS<TAB>NAME<TAB>REASON".
all=$(for b in "$@"; do
	for p in ${PROFILES:-vhe-fwb}; do
		f=$BUILD_ROOT/$b/results/$p.tsv
		[ -f "$f" ] && awk -F'\t' -v OFS='\t' -v b="$b" -v p="$p" '$2 != "plan" { print b, p, $2, $3, $4 }' "$f"
	done
done)

out=$(awk -F'\t' -v bases="$*" -v rowsf="$ROWS" -v expf="$EXPECTED" -v md="$MD" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
BEGIN {
	nb = split(bases, B, " ")
	while ((getline line < rowsf) > 0) {
		if (line ~ /^[ \t]*(#|$)/) continue
		n = split(line, f, "|")
		if (n != 3) { print "ERROR\tmalformed row in " rowsf ": " line; exit 1 }
		nr++; rname[nr] = trim(f[1]); rshow[nr] = trim(f[2]); rlabel[nr] = trim(f[3])
	}
	while ((getline line < expf) > 0) {
		if (line ~ /^[ \t]*(#|$)/) continue
		n = split(line, f, "|")
		if (n != 3) { print "ERROR\tmalformed line in " expf ": " line; exit 1 }
		ex[trim(f[2])] = trim(f[3]); exbases[trim(f[2])] = trim(f[1])
	}
	FS = "\t"
}
{
	# $1 base, $2 profile, $3 status, $4 name, $5 reason
	k = $1 SUBSEP $4
	st[k, $3]++; seen[k] = 1
	if ($3 == "fail" && !((k, "fail") in why)) why[k, "fail"] = $2 ": fail" ($5 != "" ? ": " $5 : "")
	if ($3 == "skip") { skipped[k] = skipped[k] (skipped[k] != "" ? ", " : "") $2; if (!((k, "skip") in why)) why[k, "skip"] = $5 }
}
END {
	print "| case | " bases_hdr() " |" > md
	printf "|---|" > md; for (i = 1; i <= nb; i++) printf "---|" > md; print "" > md
	for (r = 1; r <= nr; r++) {
		line = "| " rlabel[r] " |"
		first = ""; same = 1; none = 1
		for (i = 1; i <= nb; i++) {
			k = B[i] SUBSEP rname[r]
			if (!(k in seen)) v = "not run"
			else if ((k, "fail") in why) v = why[k, "fail"]
			else if (!st[k, "pass"]) v = "skip: " why[k, "skip"]
			else if (k in skipped) v = rshow[r] " (skipped in " skipped[k] ": " why[k, "skip"] ")"
			else v = rshow[r]
			if (k in seen) none = 0
			val[i] = v
			if (i == 1) first = v; else if (v != first) same = 0
			gsub(/\|/, "/", v)
			line = line " " v " |"
		}
		print line > md
		if (none) { print "fail\tdifferential:" rlabel[r] "\tno base reported " rname[r]; continue }
		if (same && (rlabel[r] in ex)) { print "fail\tdifferential:" rlabel[r] "\tthe bases no longer differ here (" first "), but tests/differential/expected explains a difference: update it and the README"; continue }
		if (same) { print "pass\tdifferential:" rlabel[r] "\tsame on every base: " first; continue }
		if (rlabel[r] in ex) {
			d = ""; for (i = 1; i <= nb; i++) d = d (i > 1 ? "; " : "") B[i] ": " val[i]
			print "pass\tdifferential:" rlabel[r] "\tdiffers as explained (" ex[rlabel[r]] "): " d
			continue
		}
		d = ""; for (i = 1; i <= nb; i++) d = d (i > 1 ? "; " : "") B[i] ": " val[i]
		print "fail\tdifferential:" rlabel[r] "\tunexplained difference: " d
	}
}
function bases_hdr(   s, i) { s = ""; for (i = 1; i <= nb; i++) s = s (i > 1 ? " | " : "") B[i]; return s }
' <<<"$all") || die "$(grep '^ERROR' <<<"$out" | cut -f2)"

record_plan differential "$(grep -c . <<<"$out")"
while IFS=$'\t' read -r status name why; do
	record differential "$status" "$name" "$why" >/dev/null
done <<<"$out"
echo "Differential table ($*; profiles: ${PROFILES:-vhe-fwb}):"
# Aligned for the terminal (awk: column(1) is not in every Debian root).
awk -F'|' '{ for (i = 2; i < NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NF; r = NR }
	END { for (j = 1; j <= r; j++) { l = "  |"; for (i = 2; i < n; i++) l = l sprintf("%-" w[i] "s|", c[j, i]); print l } }' "$MD"
step_end "$(grep -c '^pass' <<<"$out") rows agree or differ as explained, $(grep -c '^fail' <<<"$out") not"
