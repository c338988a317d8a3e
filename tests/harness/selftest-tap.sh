#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run_selftest() of tests/guest/init, with the tap_report() it reads the
# TAP with, taken out of it and run here on a sample program output
# instead of a real selftest (the harness self-test init-selftest-tap).
# Prints one "STATUS NAME [REASON]" line per result.
# Usage: selftest-tap.sh INIT SAMPLE WORKDIR
init=$1 sample=$2 w=$3
{
	echo 'result() { echo "$1 $2${3:+ $3}"; }'
	echo "run_with_timeout() { cat '$sample'; return 1; }"
	sed -n -e '/^tap_report() {/,/^}/p' -e '/^run_selftest() {/,/^}/p' "$init" |
		sed -e "s#/tmp/out#$w/tap.out#g" -e "s#/tmp/subs#$w/tap.subs#g" -e "s#/tmp/tap-names#$w/tap.names#g" \
		    -e 's#\[ ! -x "/tests/kvm/$prog" \]#false#' -e 's#cd /tests/kvm \&\& ##'
	echo 'run_selftest sample 10'
} >"$w/tap.sh" || exit 1
grep -q '^run_selftest() {' "$w/tap.sh" || { echo "no run_selftest() in $init" >&2; exit 1; }
grep -q '^tap_report() {' "$w/tap.sh" || { echo "no tap_report() in $init" >&2; exit 1; }
sh "$w/tap.sh" | grep -v '^#'
