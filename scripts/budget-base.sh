#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "budget-base": before a base's part of make check (its images,
# static checks, negative variants and boots), under a CI deadline
# (HARNESS_DEADLINE, epoch seconds, set by .ci/run): when less time is
# left than the base needs, one failure that names the base and why, and
# exit 1, so that make does not start it. What a base needs:
# BUDGET_BASE_SECONDS (900), what one base takes at least when its
# results can be reused. Another base's time in this run predicts nothing
# (what each base can reuse differs: 6.1 alone took 3638 s with nothing
# reusable on 2026-12-08, 6.12 1639 s), so it is not used: a base that
# runs longer than the time left is stopped, named, by .ci/run's hard
# deadline. Without HARNESS_DEADLINE: nothing, exit 0.
# Usage: budget-base.sh RESULTS_TSV
RESULTS=${1:?usage: budget-base.sh RESULTS_TSV}
STEP=budget-base
. "$(dirname "$0")/lib.sh"

[ -n "${HARNESS_DEADLINE:-}" ] || exit 0
need=${BUDGET_BASE_SECONDS:-900} whence="BUDGET_BASE_SECONDS: what a base takes at least, its results reused"
if budget_short "$need" "$whence"; then
	mkdir -p "$(dirname "$RESULTS")" || die "cannot create $(dirname "$RESULTS")"
	record budget fail "budget:base-$BASE" "base $BASE $BUDGET_WHY"
	exit 1
fi
