#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "parse": turn one profile's serial console into results, one per
# test: the flat TAP lines /init prints (boot checks, selftests and their
# sub-tests, the nested-VMM scenario), the KUnit suites of the kernel log
# (read by the kernel's own KTAP parser, scripts/ktap.py), plus what only
# the console can tell: is this run's console (the nonce boot.sh put on
# the command line, echoed by /init), did the host reach /init, did it
# finish, did its TAP plan match, did it panic, did dmesg stay clean
# (dmesg:clean: its dump complete, with the start of the log, and it and
# the console free of the warnings named below).
#
# Usage: parse.sh CONSOLE_LOG PROFILE RESULTS_TSV
# Appends "profile<TAB>pass|fail|skip<TAB>name<TAB>reason" lines to
# RESULTS_TSV. Exits 0; the summary step counts.
CONSOLE=${1:?usage: parse.sh CONSOLE PROFILE RESULTS}
PROFILE=${2:?usage: parse.sh CONSOLE PROFILE RESULTS}
RESULTS=${3:?usage: parse.sh CONSOLE PROFILE RESULTS}
HARNESS_DIR=$(cd "$(dirname "$0")/.." && pwd)
# The base's build folder (scripts/lib.sh: BUILD_ROOT/BASE), whose tree
# has the kernel's KTAP parser.
BUILD_DIR=${BUILD_DIR:-${BUILD_ROOT:-$HARNESS_DIR/build}/${BASE:-6.1}}
KUNIT_DIR=${KUNIT_DIR:-${SRC_TREE:-$BUILD_DIR/linux}/tools/testing/kunit}
# The nonce of the run that wrote CONSOLE (scripts/boot.sh).
NONCE=${NONCE:-$(cat "$CONSOLE.nonce" 2>/dev/null)}

# out LINE: append one result line, or fail loudly (a full disk must not
# leave a silently shorter result file).
out() {
	printf '%s\n' "$1" >>"$RESULTS" || { echo "parse: FAILED: cannot write $RESULTS" >&2; exit 1; }
}

if [ ! -s "$CONSOLE" ]; then
	out "$PROFILE	fail	boot:reached-init	no console output in $CONSOLE (QEMU did not start?)"
	exit 0
fi
if [ -z "$NONCE" ]; then
	out "$PROFILE	fail	boot:this-run	no nonce for $CONSOLE ($CONSOLE.nonce missing): cannot tell it from a stale console"
	exit 0
fi

res=$(tr -d '\r' <"$CONSOLE" | awk -v P="$PROFILE" -v NONCE="$NONCE" -v OFS='\t' '
function emit(st, name, reason) {
	gsub(/\t/, " ", reason)
	print P, st, name, reason
}
# tap(LINE): split a "[not ]ok N NAME[ # [SKIP ]REASON]" line into the
# globals st, num, name and reason.
function tap(line,	i) {
	st = (line ~ /^not ok/) ? "fail" : "pass"
	sub(/^(not )?ok /, "", line)
	num = line; sub(/ .*/, "", num); num += 0
	sub(/^[0-9]+ /, "", line)
	name = line; reason = ""
	i = index(line, " # ")
	if (i) { name = substr(line, 1, i - 1); reason = substr(line, i + 3) }
	if (reason ~ /^SKIP/) { st = "skip"; sub(/^SKIP ?/, "", reason) }
}
/^HARNESS-START / {
	started = 1
	n = split($0, f, " ")
	for (i = 1; i <= n; i++) if (f[i] ~ /^nonce=/) got_nonce = substr(f[i], 7)
}
/^HARNESS-DONE/  { done = 1 }
/Kernel panic - not syncing/ && !panic { panic = $0 }
# dmesg:clean. The dump /init prints (finish(): the whole log buffer,
# between the two markers) must be there, complete (its end marker), not
# empty, and hold the start of the log (the kernel'"'"'s first line, "Booting
# Linux on physical CPU": without it the buffer wrapped and what it lost
# was never checked); it, and the kernel'"'"'s lines on the console outside it
# (loglevel=5: warnings and worse; not /init'"'"'s own lines nor the program
# output it quotes, "# ..."), must be free of BADRE. Hung-task and UBSAN
# reports are not looked for: no config/*.config enables
# CONFIG_DETECT_HUNG_TASK or CONFIG_UBSAN, so no such report can appear;
# KASAN reports come only from the kasan variant'"'"'s kernel.
BEGIN {
	BADRE = "WARNING: |BUG: |Oops|Unable to handle kernel|kernel BUG at|Internal error:|possible circular locking|possible recursive locking|KASAN|general protection|rcu_.* self-detected stall|detected stalls|DEBUG_LOCKS_WARN_ON|inconsistent lock state|sleeping function called from invalid context"
	CHECKED = "WARNING, BUG, Oops, kernel BUG, Internal error, Unable to handle kernel, lockdep (circular or recursive locking, inconsistent lock state, DEBUG_LOCKS_WARN_ON), sleeping in atomic context, KASAN, RCU stalls (no hung-task or UBSAN check: no config enables them)"
}
/==== dmesg begin ====/ { nbegin++; indmesg = 1; dumplines = 0; booted = 0; next }
/==== dmesg end ====/   { if (indmesg) nend++; indmesg = 0; next }
indmesg {
	dumplines++
	if ($0 ~ /Booting Linux on physical CPU/) booted = 1
	if (!bad && $0 ~ BADRE)
		bad = $0
	next
}
!outbad && $0 ~ BADRE && $0 !~ /^(# |harness: |HARNESS-|TAP version |(not )?ok [0-9]+ |1\.\.[0-9]+$)/ {
	outbad = "on the console outside the dump, line " NR ": " $0
}
started && !done && /^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; next }
started && !done && /^(not )?ok [0-9]+ / {
	tap($0)
	count++
	if (num != count && !misnumbered) misnumbered = "result " count " is numbered " num
	emit(st, name, reason)
}
{ last = $0 }
END {
	if (!started) {
		emit("fail", "boot:reached-init", panic ? panic : "no HARNESS-START on the console; last line: " last)
	} else if (got_nonce != NONCE) {
		emit("fail", "boot:this-run", "stale console: /init echoed nonce \"" got_nonce "\", this run is \"" NONCE "\"")
	} else {
		emit("pass", "boot:this-run", "")
	}
	if (panic)
		emit("fail", "boot:no-panic", panic)
	else if (started)
		emit("pass", "boot:no-panic", "")
	if (started && !done)
		emit("fail", "boot:finished", "/init did not finish; last line: " last)
	else if (done) {
		if (plan == "")
			emit("fail", "boot:finished", "/init finished without its TAP plan")
		else if (plan != count || misnumbered)
			emit("fail", "boot:finished", "TAP plan 1.." plan ", " count " results" (misnumbered ? "; " misnumbered : ""))
		else
			emit("pass", "boot:finished", "TAP plan 1.." plan " matched")
	}
	if (done) {
		why = ""
		if (bad) why = bad
		if (outbad) why = why (why != "" ? "; " : "") outbad
		if (!nbegin) why = why (why != "" ? "; " : "") "no dmesg dump on the console (no \"==== dmesg begin ====\"): the kernel log was not checked"
		else if (nbegin > 1) why = why (why != "" ? "; " : "") "the dmesg dump begins " nbegin " times on the console: which one is this boot'"'"'s is not known"
		else if (!nend) why = why (why != "" ? "; " : "") "the dmesg dump has no end marker (\"==== dmesg end ====\"): cut, not all of the log was checked"
		else if (!dumplines) why = why (why != "" ? "; " : "") "the dmesg dump is empty: the kernel log was not checked"
		else if (!booted) why = why (why != "" ? "; " : "") "the dmesg dump lacks the start of the log (no \"Booting Linux on physical CPU\" line in its " dumplines " lines): the log buffer wrapped, what it lost was not checked"
		if (why != "")
			emit("fail", "dmesg:clean", why)
		else
			emit("pass", "dmesg:clean", "the whole log (" dumplines " lines from \"Booting Linux\") and the console outside it free of: " CHECKED)
	}
}') || { echo "parse: FAILED: awk on $CONSOLE" >&2; exit 1; }
[ -z "$res" ] || out "$res"

# KUnit: the KTAP of the kernel log, by the kernel's own parser.
if [ -f "$KUNIT_DIR/kunit_parser.py" ]; then
	kres=$(python3 "$HARNESS_DIR/scripts/ktap.py" "$KUNIT_DIR" "$PROFILE" <"$CONSOLE" 2>>"${STEP_LOG:-/dev/null}") ||
		kres="$PROFILE	fail	kunit:parser	the kernel's KTAP parser failed on $CONSOLE"
else
	kres="$PROFILE	fail	kunit:parser	no $KUNIT_DIR/kunit_parser.py: cannot read KTAP"
fi
[ -z "$kres" ] || out "$kres"
