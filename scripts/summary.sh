#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "summary": print the failures, a count per profile and the final
# line "N passed, N failed, N skipped". Exits 1 if anything failed.
# Usage: summary.sh RESULTS_TSV...
cat "$@" 2>/dev/null | awk -F'\t' '
{ n[$1 "\t" $2]++; total[$2]++; if (!($1 in seen)) { seen[$1] = 1; order[++np] = $1 } }
$2 == "fail" { printf "FAIL %s/%s: %s\n", $1, $3, $4 }
END {
	for (i = 1; i <= np; i++)
		printf "  %-12s %3d passed, %3d failed, %3d skipped\n", order[i],
		       n[order[i] "\tpass"], n[order[i] "\tfail"], n[order[i] "\tskip"]
	printf "%d passed, %d failed, %d skipped\n", total["pass"], total["fail"], total["skip"]
	exit total["fail"] > 0 || (total["pass"] + total["skip"]) == 0
}'
