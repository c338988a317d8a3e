#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# How tests/guest/init reads the nested guest's results (nested_ktap(),
# nested_result(), nested_data_results()), taken out of it and run here on
# a crafted nested console instead of a real nested guest's (the harness
# self-tests nested-duplicate-not-ok, nested-plan-mismatch).
# Prints one "STATUS NAME [REASON]" line per result.
# Usage: nested-ktap.sh INIT NESTED_CONSOLE WORKDIR
init=$1 console=$2 w=$3
cp "$console" "$w/nested.log.txt" || exit 1
{
	echo 'result() { echo "$1 $2${3:+ $3}"; }'
	grep -E '^NESTED_(TESTS|PROBES)=' "$init"
	sed -n -e '/^nested_ktap() {/,/^}/p' -e '/^nested_result() {/,/^}/p' -e '/^nested_data_results() {/,/^}/p' "$init" |
		sed -e "s#/tmp/nktap#$w/nktap#g"
	echo "nested_data_results '$w/nested.log'"
} >"$w/nktap.sh" || exit 1
for f in nested_ktap nested_result nested_data_results; do
	grep -q "^$f() {" "$w/nktap.sh" || { echo "no $f() in $init" >&2; exit 1; }
done
sh "$w/nktap.sh"
