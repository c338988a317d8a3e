#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "budget-base": before a base's part of make check (its images,
# static checks, negative variants and boots), under a CI deadline
# (HARNESS_DEADLINE, epoch seconds, set by .ci/run): when less time is
# left than the base needs, one failure that names the base and why, and
# exit 1, so that make does not start it. What a base needs: the longest
# other base of this run so far (its first step's start to its last
# step's end, in the step-time file), or before the first one
# BUDGET_BASE_SECONDS (900). Without HARNESS_DEADLINE: nothing, exit 0.
# Usage: budget-base.sh RESULTS_TSV
RESULTS=${1:?usage: budget-base.sh RESULTS_TSV}
STEP=budget-base
. "$(dirname "$0")/lib.sh"

[ -n "${HARNESS_DEADLINE:-}" ] || exit 0
read -r need whence < <(awk -F'\t' -v b="$BASE" '
	$1 != b && $4 ~ /^[0-9]+$/ {
		if (!($1 in s) || $4 < s[$1]) s[$1] = $4
		e = $4 + ($3 ~ /^[0-9]+$/ ? $3 : 0); if (e > end[$1]) end[$1] = e
	}
	END { for (x in s) if (end[x] - s[x] > m) { m = end[x] - s[x]; w = x }
	      if (m) print m, "base " w " took " m " s in this run" }' "$_STEP_TIMES" 2>/dev/null)
[ -n "$need" ] || need=${BUDGET_BASE_SECONDS:-900} whence="no base has run yet, so BUDGET_BASE_SECONDS"
if budget_short "$need" "$whence"; then
	mkdir -p "$(dirname "$RESULTS")" || die "cannot create $(dirname "$RESULTS")"
	record budget fail "budget:base-$BASE" "base $BASE $BUDGET_WHY"
	exit 1
fi
